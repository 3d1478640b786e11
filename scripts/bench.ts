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
 *
 * (g) 2000 client creates, one per item, as `n8n execute` runs of a fresh n8n process each (the
 * built-in node and ours alternating, 3 runs each): wall time and each process's own peak RSS.
 * (h) the start-up cost of loading the package: requiring its nodes and credential (what n8n does
 * with a community package when it starts) in a fresh process of n8n's Node, beside requiring the
 * built-in HaloPSA node; time and RSS over n8n-workflow alone, median of 5.
 * (i) 8 uploads of 25 MB (Attachment > Upload of files n8n stored), paced 1 request / 2 s and not
 * paced, each in a fresh n8n: its peak RSS during the run over its RSS before (scripts/upload-memory.ts).
 */
import { execFileSync, spawn } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { hostname, cpus, tmpdir } from 'os';
import { join, resolve } from 'path';

import { DEFAULT_CLIENT, startEmulator, type Emulator } from '../emulator';
import type { RateLimitWording } from '../emulator/quirks';
import { ensureN8n, freePort, N8nInstance, NODE_TYPE, packPackage, type WorkflowJson } from '../test/e2e/harness';
import { UPLOAD_BYTES, UPLOAD_ITEMS, uploadPeak } from './upload-memory';

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
	// (g) runs `n8n execute` on these (a manual trigger, not published)
	n8n.importWorkflows(
		EXECUTE_KINDS.map((kind) => executeWorkflow(kind, EXECUTED)),
		false,
	);
	await n8n.start();
	const pid = n8n.pid;
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

		// (g) and (h) run n8n processes of their own: the server is stopped first
		await n8n.stop();
		if (!only || only.includes('g')) rows.push(...(await executeRuns(n8n, emulator)));
		if (!only || only.includes('h')) rows.push(...loadCost(n8n));
		if (!only || only.includes('i')) rows.push(...(await uploadRows(emulator)));
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

/** (g): items per `n8n execute` run, runs per node, and the two nodes compared. */
const EXECUTED = QUICK ? 200 : 2000;
const EXECUTE_RUNS = QUICK ? 1 : 3;
const EXECUTE_KINDS = ['builtin', 'ours'] as const;
type ExecuteKind = (typeof EXECUTE_KINDS)[number];

/** Manual trigger -> Set (the names) -> Split Out -> one client create per item, as the issue measured it. */
function executeWorkflow(kind: ExecuteKind, count: number): WorkflowJson {
	const id = `execute-${kind}`;
	const halo =
		kind === 'builtin'
			? builtIn({ resource: 'client', operation: 'create', clientName: '={{ $json.name }}', additionalFields: {} })
			: ours('oursOnPrem', {
					resource: 'client',
					operation: 'create',
					name: '={{ $json.name }}',
					additionalFields: {},
				});
	const names = Array.from({ length: count }, (_, i) => ({ name: `g-${kind}-${i}` }));
	return {
		id,
		name: `bench ${id}`,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-start`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${id}-names`,
				name: 'Names',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ items: names }), options: {} },
			},
			{
				id: `${id}-split`,
				name: 'Split',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [400, 0],
				parameters: { fieldToSplitOut: 'items', options: {} },
			},
			{ id: `${id}-node`, name: 'HaloPSA', typeVersion: 1, position: [600, 0], ...halo },
		],
		connections: {
			Start: { main: [[{ node: 'Names', type: 'main', index: 0 }]] },
			Names: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: 'HaloPSA', type: 'main', index: 0 }]] },
		},
	};
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/**
 * (g): `n8n execute` of each node's workflow in a fresh n8n process, alternating, EXECUTE_RUNS
 * times. A preload writes the process's own peak RSS (getrusage) when it exits.
 */
async function executeRuns(n8n: N8nInstance, emulator: Emulator): Promise<Row[]> {
	const env = ensureN8n();
	const dir = mkdtempSync(join(tmpdir(), 'halopsa-bench-rss-'));
	const preload = join(dir, 'peak-rss.js');
	writeFileSync(
		preload,
		`process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(dir)} + '/' + process.pid, String(process.resourceUsage().maxRSS)));`,
	);
	const runs: Record<ExecuteKind, Array<{ ms: number; mb: number; written: number; api: number; tokens: number }>> = {
		builtin: [],
		ours: [],
	};
	try {
		for (let run = 0; run < EXECUTE_RUNS; run++) {
			for (const kind of run % 2 ? [...EXECUTE_KINDS].reverse() : EXECUTE_KINDS) {
				const before = emulator.store.list('clients').length;
				emulator.clearLog();
				const started = Date.now();
				const child = spawn(env.n8nBin, ['execute', `--id=execute-${kind}`], {
					env: { ...n8n.processEnv(), N8N_LOG_LEVEL: 'warn', NODE_OPTIONS: `--require ${preload}` },
					stdio: ['ignore', 'ignore', 'pipe'],
				});
				let errors = '';
				child.stderr?.on('data', (chunk) => (errors = (errors + chunk).slice(-2000)));
				const code = await new Promise<number | null>((r) => child.on('close', r));
				const ms = Date.now() - started;
				if (code !== 0) throw new Error(`n8n execute of ${kind} failed (${code}): ${errors}`);
				const kb = Number(readFileSync(join(dir, String(child.pid)), 'utf8'));
				const api = emulator.apiRequests();
				runs[kind].push({
					ms,
					mb: Math.round(kb / 1024),
					written: emulator.store.list('clients').length - before,
					api: api.length,
					tokens: emulator.tokenRequests().length,
				});
				console.error(`(g) ${kind} run ${run + 1}: ${ms} ms, ${Math.round(kb / 1024)} MB`);
			}
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	return EXECUTE_KINDS.map((kind) => {
		const done = runs[kind];
		const last = done[done.length - 1];
		return {
			scenario: `(g) ${EXECUTED} creates, no limit, one \`n8n execute\``,
			node: kind === 'builtin' ? 'built-in, per item' : 'ours, per item',
			tokens: last.tokens,
			api: last.api,
			refused: 0,
			written: `${Math.min(...done.map((r) => r.written))}/${EXECUTED}`,
			ms: median(done.map((r) => r.ms)),
			peakMb: median(done.map((r) => r.mb)),
			note: `median of ${done.length}: ${done.map((r) => (r.ms / 1000).toFixed(1)).join(' / ')} s, ${done.map((r) => r.mb).join(' / ')} MB (that process's own peak)`,
		};
	});
}

/**
 * (h): what loading costs n8n at start-up: requiring the package's nodes and credential (n8n loads
 * a community package whole), or the built-in node and its credential, in a fresh process of
 * n8n's Node after n8n-workflow; time and RSS growth, median of 5.
 */
function loadCost(n8n: N8nInstance): Row[] {
	const env = ensureN8n();
	const modules = resolve(env.n8nBin, '..', '..');
	const installed = join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-halopsa');
	const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).n8n as Record<string, string[]>;
	const base = join(modules, 'n8n-nodes-base', 'dist');
	const sets = [
		{
			node: 'built-in HaloPSA node + credential',
			files: [
				join(base, 'nodes', 'HaloPSA', 'HaloPSA.node.js'),
				join(base, 'credentials', 'HaloPSAApi.credentials.js'),
			],
		},
		{
			node: `ours: ${manifest.nodes.length} nodes + credential`,
			files: [...manifest.nodes, ...manifest.credentials].map((file) => join(installed, file)),
		},
	];
	return sets.map(({ node, files }) => {
		// n8n's own n8n-workflow, the copy every node file resolves to (never the repository's)
		const script = `require(${JSON.stringify(join(modules, 'n8n-workflow'))});
const rss = process.memoryUsage().rss, started = process.hrtime.bigint();
for (const file of ${JSON.stringify(files)}) for (const type of Object.values(require(file))) if (typeof type === 'function') void new type().description;
console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - started) / 1e6, mb: (process.memoryUsage().rss - rss) / 1048576 }));`;
		const samples = Array.from({ length: 5 }, () =>
			JSON.parse(
				execFileSync(join(env.nodeHome, 'bin', 'node'), ['-e', script], {
					cwd: tmpdir(),
					env: { ...process.env, NODE_PATH: modules },
					encoding: 'utf8',
				}),
			),
		) as Array<{ ms: number; mb: number }>;
		const ms = median(samples.map((s) => s.ms));
		return {
			scenario: '(h) start-up: loading the node code',
			node,
			tokens: 0,
			api: 0,
			refused: 0,
			ms,
			peakMb: `+${median(samples.map((s) => s.mb)).toFixed(1)}`,
			note: `${ms.toFixed(0)} ms; RSS growth over n8n-workflow alone; a fresh process of n8n's Node, median of 5`,
		};
	});
}

/** (i): 8 uploads of 25 MB, paced and not, each in a fresh n8n (scripts/upload-memory.ts). */
async function uploadRows(emulator: Emulator): Promise<Row[]> {
	const rows: Row[] = [];
	for (const paced of [true, false]) {
		const r = await uploadPeak(emulator, { paced });
		rows.push({
			scenario: `(i) ${UPLOAD_ITEMS} uploads of ${UPLOAD_BYTES / 1e6} MB, ${paced ? 'paced 1 / 2 s' : 'not paced'}`,
			node: 'ours',
			tokens: r.tokens,
			api: r.api,
			refused: 0,
			written: `${r.stored}/${UPLOAD_ITEMS}`,
			ms: r.ms,
			peakMb: r.peakMb,
			note: `+${r.peakMb - r.beforeMb} MB over RSS before the run (${r.beforeMb} MB), a fresh n8n${r.failed ? `; failed: ${r.failed}` : ''}`,
		});
	}
	return rows;
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
