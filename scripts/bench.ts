/**
 * Benchmark: the same work through n8n's built-in HaloPSA node and through this package, in one
 * real n8n against the emulator, plus a plain HTTP loop as the floor. Prints a table (requests,
 * wall time, peak memory); asserts nothing. `npm run bench`; BENCH_QUICK=1 for a short run.
 *
 * (a) Get Many of 1000 tickets, (b) 10 executions of (a), (c) 500 client creates against a Halo with no
 * limit (built-in per item; ours per item and bulk), (d) 100 creates against a Halo that allows 30
 * requests per rolling 30 s with each credential at its defaults (ours on-premise and hosted, each
 * with the 429 stating the true limit, Halo's documented 300 / 5 min, or nothing: an HTML page),
 * (e) the same with our credential set to 30 / 30 s, (f) a plain HTTP loop doing (a).
 * BENCH_SCENARIOS=ce runs only (c) and (e).
 */
import { readFileSync } from 'fs';
import { hostname, cpus } from 'os';

import { DEFAULT_CLIENT, startEmulator, type Emulator } from '../emulator';
import type { RateLimitWording } from '../emulator/quirks';
import { ensureN8n, freePort, N8nInstance, NODE_TYPE, packPackage, type WorkflowJson } from '../test/e2e/harness';

const QUICK = !!process.env.BENCH_QUICK;
const CREATES = QUICK ? 100 : 500;
const LIMITED = QUICK ? 40 : 100;
const LIMIT = QUICK ? { max: 10, windowMs: 10_000 } : { max: 30, windowMs: 30_000 };
const BUILT_IN = 'n8n-nodes-base.haloPSA';

/**
 * The (d) rows of our node: on-premise and hosted defaults, each under every wording of the 429.
 * Each row's credential has its own Resource Server, another spelling of 127.0.0.1, so what one
 * learns from a 429 is not the next one's (the pacer keeps one window per Resource Server URL).
 */
const WORDINGS: Array<{ wording: RateLimitWording; says: string }> = [
	{ wording: 'true', says: 'the true limit' },
	{ wording: 'wrong', says: '300 / 5 min' },
	{ wording: 'none', says: 'nothing (HTML)' },
];
const LOOPBACK_SPELLINGS = ['127.1', '127.0.1', '2130706433', '0x7f000001', '0x7f.1', '0177.0.0.1'];
const LIMITED_ROWS = (['onPremise', 'hostedHalo'] as const).flatMap((hostingType, h) =>
	WORDINGS.map(({ wording, says }, w) => ({
		id: `ours${hostingType === 'onPremise' ? 'OnPrem' : 'Hosted'}${wording[0].toUpperCase()}${wording.slice(1)}`,
		host: LOOPBACK_SPELLINGS[h * WORDINGS.length + w],
		hostingType,
		wording,
		node: `ours, ${hostingType === 'onPremise' ? 'on-premise' : 'hosted'} defaults, 429 states ${says}`,
	})),
);

interface Row {
	scenario: string;
	node: string;
	tokens: number;
	api: number;
	refused: number;
	written?: string;
	ms: number;
	peakMb: number | string;
	note?: string;
}

function peakRss(pid: number | undefined): number | string {
	if (!pid) return 'n/a';
	try {
		return Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024);
	} catch {
		return 'n/a';
	}
}

/** Webhook -> (split the body's items) -> one node; answers with the node's items. */
function workflow(id: string, node: Record<string, unknown>, split: boolean): WorkflowJson {
	const nodes: unknown[] = [
		{
			id: `${id}-hook`,
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: id,
			parameters: { httpMethod: 'POST', path: id, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		},
	];
	const connections: Record<string, unknown> = {};
	let previous = 'Webhook';
	if (split) {
		nodes.push({
			id: `${id}-split`,
			name: 'Split',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [200, 0],
			parameters: { fieldToSplitOut: 'body.items', options: {} },
		});
		connections.Webhook = { main: [[{ node: 'Split', type: 'main', index: 0 }]] };
		previous = 'Split';
	}
	nodes.push({
		id: `${id}-node`,
		name: 'HaloPSA',
		position: [400, 0],
		typeVersion: 1,
		onError: 'continueRegularOutput',
		...node,
	});
	connections[previous] = { main: [[{ node: 'HaloPSA', type: 'main', index: 0 }]] };
	return { id, name: `bench ${id}`, nodes, connections, settings: { executionOrder: 'v1' } };
}

const ours = (credentialId: string, parameters: Record<string, unknown>) => ({
	type: NODE_TYPE,
	parameters,
	credentials: { haloPsaClientCredentialsApi: { id: credentialId, name: credentialId } },
});
const builtIn = (parameters: Record<string, unknown>) => ({
	type: BUILT_IN,
	parameters,
	credentials: { haloPSAApi: { id: 'builtIn', name: 'built-in' } },
});

async function main() {
	const emulator = await startEmulator({
		seed: 'empty',
		extraTickets: 1000,
		rateLimit: null,
		tenant: null,
		quiet: true,
	});
	const port = emulator.port;
	const n8n = new N8nInstance(ensureN8n(), await freePort());
	n8n.installPackage(packPackage());
	const secret = { clientId: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret, scope: 'all' };
	// three Resource Server spellings, so what one credential learns from a 429 is not shared by the next
	n8n.importCredentials([
		{
			id: 'oursOnPrem',
			name: 'oursOnPrem',
			data: { hostingType: 'onPremise', urlMode: 'haloUrl', haloUrl: `http://127.0.0.1:${port}`, ...secret },
		},
		...LIMITED_ROWS.map((row) => ({
			id: row.id,
			name: row.id,
			data: {
				hostingType: row.hostingType,
				...(row.hostingType === 'hostedHalo' ? { tenant: 'bench' } : {}),
				urlMode: 'haloUrl',
				haloUrl: `http://${row.host}:${port}`,
				...secret,
			},
		})),
		{
			id: 'oursCustom',
			name: 'oursCustom',
			data: {
				hostingType: 'onPremise',
				urlMode: 'separate',
				authUrl: `http://localhost:${port}/auth`,
				resourceApiUrl: `http://localhost:${port}/api/`,
				rateLimit: 'custom',
				rateLimitRequests: LIMIT.max,
				rateLimitWindowSeconds: LIMIT.windowMs / 1000,
				...secret,
			},
		},
		{
			id: 'builtIn',
			name: 'built-in',
			type: 'haloPSAApi',
			data: {
				hostingType: 'onPremise',
				authUrl: `http://127.0.0.1:${port}/auth`,
				resourceApiUrl: `http://127.0.0.1:${port}/api`,
				client_id: secret.clientId,
				client_secret: secret.clientSecret,
				tenant: '',
				scope: 'all',
			},
		},
	]);
	const getMany = { resource: 'ticket', operation: 'getAll', returnAll: true, filters: {} };
	// creates are of clients: the built-in node cannot set a ticket's client, which Halo requires
	const create = { resource: 'client', operation: 'create', name: '={{ $json.name }}', additionalFields: {} };
	const workflows: WorkflowJson[] = [
		workflow(
			'builtin-getmany',
			builtIn({ resource: 'ticket', operation: 'getAll', returnAll: true, simplify: false, filters: {} }),
			false,
		),
		workflow('ours-getmany', ours('oursOnPrem', getMany), false),
		workflow(
			'builtin-create',
			builtIn({ resource: 'client', operation: 'create', clientName: '={{ $json.name }}', additionalFields: {} }),
			true,
		),
		workflow('ours-create', ours('oursOnPrem', create), true),
		workflow(
			'ours-bulk',
			ours('oursOnPrem', { resource: 'client', operation: 'upsertMany', recordFrom: 'item', chunkSize: 100 }),
			true,
		),
		...LIMITED_ROWS.map((row) => workflow(row.id, ours(row.id, create), true)),
		workflow('ours-create-custom', ours('oursCustom', create), true),
	];
	n8n.importWorkflows(workflows);
	await n8n.start();
	const pid = (n8n as unknown as { child?: { pid?: number } }).child?.pid;
	const rows: Row[] = [];

	const only = process.env.BENCH_SCENARIOS; // e.g. "c" or "abf"
	async function measure(scenario: string, node: string, work: () => Promise<{ written?: string; note?: string }>) {
		if (only && !only.includes(scenario.charAt(1))) return;
		emulator.clearLog();
		const started = Date.now();
		const { written, note } = await work();
		const ms = Date.now() - started;
		const api = emulator.apiRequests();
		rows.push({
			scenario,
			node,
			tokens: emulator.tokenRequests().length,
			api: api.length,
			refused: api.filter((r) => r.status === 429).length,
			written,
			ms,
			peakMb: peakRss(pid),
			note,
		});
		console.error(`${scenario} | ${node}: ${ms} ms`);
	}
	const clients = (prefix: string) => emulator.store.list('clients').filter((c) => String(c.name).startsWith(prefix));
	async function creates(path: string, prefix: string, count: number) {
		// each item is a whole client record, as a bulk write gets it from the node before
		const body = {
			items: Array.from({ length: count }, (_, i) => ({ name: `${prefix}${i}` })),
		};
		const result = await n8n.webhook(path, body);
		const written = clients(prefix);
		const once = new Set(written.map((c) => c.name)).size === written.length;
		const items = Array.isArray(result.body) ? (result.body as Array<{ error?: { message?: string } }>) : [];
		const failed = items.filter((item) => item?.error);
		const why = failed[0]?.error?.message ?? (items.length ? '' : JSON.stringify(result.body).slice(0, 120));
		return {
			written: `${written.length}/${count}${once ? '' : ' (DUPLICATES)'}`,
			note: failed.length || !items.length ? `${failed.length || count} items failed: ${why}` : undefined,
		};
	}

	try {
		// warm up: each workflow's first run pays n8n's own start-up costs
		await n8n.webhook('builtin-getmany', {});
		await n8n.webhook('ours-getmany', {});

		await measure('(a) Get Many, 1000 tickets', 'built-in', async () => ({
			written: `${(await n8n.webhook('builtin-getmany', {})).body.length} read`,
		}));
		await measure('(a) Get Many, 1000 tickets', 'ours', async () => ({
			written: `${(await n8n.webhook('ours-getmany', {})).body.length} read`,
		}));
		await measure('(b) 10 executions of (a)', 'built-in', async () => {
			for (let i = 0; i < 10; i++) await n8n.webhook('builtin-getmany', {});
			return {};
		});
		await measure('(b) 10 executions of (a)', 'ours', async () => {
			for (let i = 0; i < 10; i++) await n8n.webhook('ours-getmany', {});
			return {};
		});
		await measure('(f) plain HTTP loop doing (a)', 'fetch', async () => ({
			written: `${(await plainLoop(emulator)).length} read`,
		}));

		await measure(
			`(c) ${CREATES} creates, no limit`,
			'built-in, per item',
			async () => await creates('builtin-create', 'c-builtin-', CREATES),
		);
		await measure(
			`(c) ${CREATES} creates, no limit`,
			'ours, per item',
			async () => await creates('ours-create', 'c-ours-', CREATES),
		);
		await measure(
			`(c) ${CREATES} creates, no limit`,
			'ours, bulk (Create or Update Many)',
			async () => await creates('ours-bulk', 'c-bulk-', CREATES),
		);

		const limit = `${LIMIT.max} / ${LIMIT.windowMs / 1000} s`;
		const floor = `floor ${(Math.ceil(LIMITED / LIMIT.max) - 1) * (LIMIT.windowMs / 1000)} s`;
		const limited = async (
			node: string,
			path: string,
			prefix: string,
			label: string,
			wording: RateLimitWording = 'true',
		) => {
			emulator.setRateLimit(LIMIT);
			emulator.setRateLimitWording(wording);
			await measure(`(${label}) ${LIMITED} creates, server ${limit}`, node, async () => {
				const outcome = await creates(path, prefix, LIMITED);
				return { ...outcome, note: [outcome.note, floor].filter(Boolean).join('; ') };
			});
			emulator.setRateLimit(null);
			emulator.setRateLimitWording('true');
			// BENCH_TRACE=1: when each request arrived (seconds from the first) and Halo's answer
			if (process.env.BENCH_TRACE) {
				const entries = [...emulator.log].sort((a, b) => a.seq - b.seq);
				const start = Date.parse(entries[0]?.time ?? '');
				const token = (e: { route: string }) => (e.route.includes('token') ? 'T' : '');
				console.error(
					entries.map((e) => `${((Date.parse(e.time) - start) / 1000).toFixed(1)}:${token(e)}${e.status}`).join(' '),
				);
			}
		};
		await limited('built-in, defaults', 'builtin-create', 'd-builtin-', 'd');
		await limited('ours, configured 30/30 s', 'ours-create-custom', 'e-ours-', 'e');
		for (const row of LIMITED_ROWS) await limited(row.node, row.id, `d-${row.id}-`, 'd', row.wording);
	} finally {
		await n8n.stop();
		n8n.cleanup();
		await emulator.stop();
	}

	const date = new Date().toISOString().slice(0, 10);
	console.log(
		`\nBenchmark ${date}, ${hostname()}, ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), n8n ${ensureN8n().version}, emulator on 127.0.0.1`,
	);
	console.log('| Scenario | Node | Token req. | API req. | 429s | Records | Wall time | n8n peak RSS | Notes |');
	console.log('|---|---|---|---|---|---|---|---|---|');
	for (const r of rows) {
		console.log(
			`| ${r.scenario} | ${r.node} | ${r.tokens} | ${r.api} | ${r.refused} | ${r.written ?? ''} | ${(r.ms / 1000).toFixed(1)} s | ${r.peakMb} MB | ${r.note ?? ''} |`,
		);
	}
}

/** The floor for (a): one token, then pages of 100 with plain fetch until a short page. */
async function plainLoop(emulator: Emulator): Promise<unknown[]> {
	const form = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: DEFAULT_CLIENT.clientId,
		client_secret: DEFAULT_CLIENT.clientSecret,
		scope: 'all',
	});
	const { access_token: token } = (await (
		await fetch(`${emulator.authUrl}/token`, { method: 'POST', body: form })
	).json()) as { access_token: string };
	const rows: unknown[] = [];
	for (let page = 1; ; page++) {
		const response = await fetch(`${emulator.apiUrl}/Tickets?pageinate=true&page_size=100&page_no=${page}`, {
			headers: { Authorization: `Bearer ${token}` },
		});
		const { tickets } = (await response.json()) as { tickets: unknown[] };
		rows.push(...tickets);
		if (tickets.length < 100) return rows;
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
