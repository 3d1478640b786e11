/**
 * Peak memory of Attachment > Upload in a real n8n (issue 17): 8 items of 25 MB (Read Files from
 * Disk, so n8n holds them as stored binary data, its default filesystem mode) uploaded to one
 * ticket against the emulator, with the credential paced at 1 request per 2 s so the items wait
 * their turn, or not paced (every upload starts at once). Each run is a fresh n8n, warmed up by
 * one upload of a 1-byte file; it reports n8n's RSS before the run and its peak during it (VmHWM,
 * reset first through /proc/<pid>/clear_refs). Asserts nothing. Also benchmark (i).
 *
 * `npm run build:test && node build-test/scripts/upload-memory.js`; UPLOAD_UNPACED=1 for no pacing,
 * UPLOAD_RUNS=<n> for more runs, UPLOAD_CONTROL=1 to upload nothing (the cost of the rest of the
 * workflow), UPLOAD_TARBALL=<path> to measure a packed build of another version of the package.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { DEFAULT_CLIENT, startEmulator, type Emulator } from '../emulator';
import { ensureN8n, freePort, N8nInstance, NODE_TYPE, packPackage, type WorkflowJson } from '../test/e2e/harness';

export const UPLOAD_ITEMS = 8;
export const UPLOAD_BYTES = 25_000_000;

export interface UploadPeak {
	/** n8n's RSS before the run, its peak during it, in MB */
	beforeMb: number;
	peakMb: number;
	ms: number;
	/** attachments of UPLOAD_BYTES stored by the run */
	stored: number;
	tokens: number;
	api: number;
	/** the first failed item's error, if any */
	failed?: string;
}

function status(pid: number, field: string): number {
	const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
	return Math.round(kb / 1024);
}

/** One measured run in a fresh n8n, against `emulator` (which must allow the requests: no rate limit). */
export async function uploadPeak(
	emulator: Emulator,
	options: { paced: boolean; tarball?: string; control?: boolean },
): Promise<UploadPeak> {
	const files = mkdtempSync(join(tmpdir(), 'halopsa-upload-files-'));
	for (let i = 0; i < UPLOAD_ITEMS; i++) writeFileSync(join(files, `file-${i}.bin`), Buffer.alloc(UPLOAD_BYTES, i + 1));
	writeFileSync(join(files, 'tiny.bin'), 'x');
	const n8n = new N8nInstance(ensureN8n(), await freePort(), undefined, { N8N_RESTRICT_FILE_ACCESS_TO: files });
	try {
		n8n.installPackage(options.tarball ?? packPackage());
		n8n.importCredentials([
			{
				id: 'uploads',
				name: 'uploads',
				data: {
					hostingType: 'onPremise',
					urlMode: 'haloUrl',
					haloUrl: `http://127.0.0.1:${emulator.port}`,
					clientId: DEFAULT_CLIENT.clientId,
					clientSecret: DEFAULT_CLIENT.clientSecret,
					scope: 'all',
					...(options.paced
						? { rateLimit: 'custom', rateLimitRequests: 1, rateLimitWindowSeconds: 2 }
						: { rateLimit: 'none' }),
				},
			},
		]);
		n8n.importWorkflows([uploadWorkflow(files, emulator.store.tickets()[0].id, !!options.control)]);
		await n8n.start();
		const pid = n8n.pid as number;
		// one upload of a 1-byte file first pays n8n's own first-execution costs
		await n8n.webhook('upload-memory', { warmUp: true });
		const stored = () => emulator.store.list('attachments').filter((a) => a.filesize === UPLOAD_BYTES).length;
		const storedBefore = stored();
		emulator.clearLog();
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		const beforeMb = status(pid, 'VmRSS');
		const started = Date.now();
		const answer = await n8n.webhook('upload-memory', {});
		const ms = Date.now() - started;
		const peakMb = status(pid, 'VmHWM');
		const items = Array.isArray(answer.body) ? (answer.body as Array<{ error?: unknown }>) : [];
		const failed = items.find((item) => item?.error) ?? (items.length ? undefined : answer.body);
		return {
			beforeMb,
			peakMb,
			ms,
			stored: stored() - storedBefore,
			tokens: emulator.tokenRequests().length,
			api: emulator.apiRequests().length,
			failed: failed === undefined ? undefined : JSON.stringify(failed).slice(0, 300),
		};
	} finally {
		await n8n.stop();
		n8n.cleanup();
		rmSync(files, { recursive: true, force: true });
	}
}

/** Webhook -> the paths of the files -> Read Files from Disk -> Upload, one item per file. */
function uploadWorkflow(files: string, ticketId: number, control: boolean): WorkflowJson {
	return {
		id: 'uploadMemory',
		name: 'upload memory',
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'hook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'upload-memory',
				parameters: {
					httpMethod: 'POST',
					path: 'upload-memory',
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: 'paths',
				name: 'Paths',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: {
					jsCode: `const dir = ${JSON.stringify(files)};
if ($json.body.warmUp) return [{ json: { path: dir + '/tiny.bin' } }];
return Array.from({ length: ${UPLOAD_ITEMS} }, (_, i) => ({ json: { path: dir + '/file-' + i + '.bin' } }));`,
				},
			},
			{
				id: 'read',
				name: 'Read',
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1,
				position: [400, 0],
				parameters: { operation: 'read', fileSelector: '={{ $json.path }}', options: {} },
			},
			{
				id: 'upload',
				name: 'Upload',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [600, 0],
				onError: 'continueRegularOutput',
				parameters: {
					resource: 'attachment',
					operation: 'upload',
					ticketId: { __rl: true, mode: 'id', value: String(ticketId) },
					// control: a property no item has, so nothing is uploaded
					binaryPropertyName: control ? 'none' : 'data',
					uploadOptions: { maxFileSizeMb: 100 },
				},
				credentials: { haloPsaClientCredentialsApi: { id: 'uploads', name: 'uploads' } },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Paths', type: 'main', index: 0 }]] },
			Paths: { main: [[{ node: 'Read', type: 'main', index: 0 }]] },
			Read: { main: [[{ node: 'Upload', type: 'main', index: 0 }]] },
		},
	};
}

async function main() {
	const paced = !process.env.UPLOAD_UNPACED;
	const emulator = await startEmulator({ rateLimit: null, tenant: null, quiet: true });
	try {
		for (let run = 1; run <= Number(process.env.UPLOAD_RUNS ?? 1); run++) {
			const r = await uploadPeak(emulator, {
				paced,
				tarball: process.env.UPLOAD_TARBALL,
				control: !!process.env.UPLOAD_CONTROL,
			});
			console.log(
				`run ${run}: ${UPLOAD_ITEMS} items x ${UPLOAD_BYTES / 1e6} MB, Upload ${paced ? 'paced 1 request / 2 s' : 'not paced'}, n8n ${ensureN8n().version}: RSS before ${r.beforeMb} MB, peak ${r.peakMb} MB (+${r.peakMb - r.beforeMb} MB), ${(r.ms / 1000).toFixed(1)} s, ${r.stored} stored${r.failed ? `; failed: ${r.failed}` : ''}`,
			);
		}
	} finally {
		await emulator.stop();
	}
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
