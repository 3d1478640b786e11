/**
 * Queue mode: n8n main (webhooks, queue) and two workers (executions), Redis between them, Postgres as their database,
 * the package installed once on their shared user folder. Everything is checked from the
 * emulator's log, whose `peer` names the n8n process behind each request.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import type { LoggedRequest } from '../../emulator';
import { ROOT } from './harness';
import { apiRequestsSince, byProcess, lastSeq as newestSeq, startQueueCluster, type QueueCluster } from './queue';
import { CREDENTIAL_ID, credentialFor } from './stack';
import {
	caseIndex,
	caseWorkflow,
	createTicketsCase,
	exampleFailure,
	examplePath,
	loadExamples,
	startableExample,
	type NodeCase,
} from './workflows';

jest.setTimeout(900_000);

const CASES: NodeCase[] = [
	{ name: 'Current agent', parameters: { resource: 'agent', operation: 'getCurrent' } },
	createTicketsCase(),
];
const examples = loadExamples();
let cluster: QueueCluster;

const run = async (name: string, body: Record<string, unknown> = {}) =>
	await cluster.main.webhook('queue', { case: caseIndex(CASES, name), ...body });
const creates = (prefix: string, count: number) => ({
	items: Array.from({ length: count }, (_, i) => ({ summary: `${prefix}${i}` })),
});
const ticketsNamed = (prefix: string) =>
	cluster.emulator.store.list('tickets').filter((t) => String(t.summary).startsWith(prefix));
const apiSince = (seq: number) => apiRequestsSince(cluster.emulator, seq);
const lastSeq = () => newestSeq(cluster.emulator);
const peersOf = (requests: LoggedRequest[]) => new Set(requests.map((r) => r.peer ?? 'unknown'));
/** The last lines each n8n process printed. */
const processLogs = () =>
	[['main', cluster.main.logs()] as const, ...[...cluster.workers].map(([name, w]) => [name, w.logs()] as const)]
		.map(([name, text]) => `--- ${name}:\n${text.slice(-2500)}`)
		.join('\n');

/** Requests per second, process and status, in test-results/queue/<name>.txt (to read a failure). */
function writeTimeline(name: string, requests: LoggedRequest[]): void {
	const start = Date.parse(requests[0]?.time ?? '');
	const lines: string[] = [];
	let previous = '';
	let count = 0;
	for (const request of [...requests, undefined]) {
		const key = request
			? `+${Math.floor((Date.parse(request.time) - start) / 1000)}s ${request.peer} ${request.route} ${request.status}`
			: '';
		if (key !== previous && count) lines.push(`${previous} x${count}`);
		count = key === previous ? count + 1 : 1;
		previous = key;
	}
	const folder = join(ROOT, 'test-results', 'queue');
	mkdirSync(folder, { recursive: true });
	writeFileSync(join(folder, `${name}.txt`), lines.join('\n') + '\n');
}

beforeAll(async () => {
	cluster = await startQueueCluster({
		// on-premise: no pace until Halo states one (hosted's documented 300 per 5 minutes would pace the 300 creates)
		emulator: { tenant: null, rateLimit: null },
		credentials: (emulator) => [{ id: CREDENTIAL_ID, name: 'HaloPSA emulator', data: credentialFor(emulator, null) }],
		workflows: [
			caseWorkflow('queue', 'queue', CREDENTIAL_ID, CASES),
			...examples.map((e) => startableExample(e.workflow, CREDENTIAL_ID)),
		],
	});
}, 600_000);

afterAll(async () => await cluster?.stop());

test('executions run on the workers; the token is requested once and the workers reuse it from the credential', async () => {
	// the first execution fetches the token; n8n stores it with the credential
	const first = await run('Current agent');
	expect(first.status).toBe(200);
	expect(first.body[0].id).toBeDefined();
	// then every example at once, spread over both workers
	const results = await Promise.all(examples.map(async (e) => await cluster.main.webhook(examplePath(e.workflow), {})));
	// every failure at once, with what n8n's processes printed (a failure here is read from CI's log)
	const failures = results.flatMap((result, index) =>
		exampleFailure(result) ? [`${examples[index].file}: ${exampleFailure(result)}`] : [],
	);
	expect(failures.length ? `${failures.join('\n')}\n${processLogs()}` : '').toBe('');
	const api = cluster.emulator.apiRequests();
	const peers = peersOf(api);
	console.log(
		`queue mode, examples: ${api.length} API requests by ${byProcess(api)}; ` +
			`${cluster.emulator.tokenRequests().length} token request(s) by ${byProcess(cluster.emulator.tokenRequests())}`,
	);
	// executions run on workers only, and both took some
	expect([...peers].sort()).toEqual(['worker-1', 'worker-2']);
	expect(cluster.emulator.tokenRequests()).toHaveLength(1);
	expect(new Set(api.map((r) => r.tokenSeq))).toEqual(new Set([cluster.emulator.tokenRequests()[0].tokenSeq ?? 1]));
});

test('a 300-item create runs on one worker and writes each record once', async () => {
	const seq = lastSeq();
	const started = Date.now();
	const result = await run('Create items', creates('q300-', 300));
	const ms = Date.now() - started;
	expect(result.status).toBe(200);
	expect(result.body.filter((item: { error?: unknown }) => item.error)).toEqual([]);
	const written = ticketsNamed('q300-');
	expect(written).toHaveLength(300);
	expect(new Set(written.map((t) => t.summary)).size).toBe(300);
	const api = apiSince(seq);
	expect(api.filter((r) => r.route === 'POST /api/tickets')).toHaveLength(300);
	const peers = [...peersOf(api)];
	expect(peers).toHaveLength(1);
	expect(api.filter((r) => r.status === 429)).toEqual([]);
	console.log(`queue mode, 300-item create: ${ms} ms, ${api.length} API requests, all by ${peers[0]}`);
});

test('two workers against 30 requests per 30 s stay within the limit after the first 429 burst and lose nothing', async () => {
	const limit = { max: 30, windowMs: 30_000 };
	// the workers count their requests of the last window, as Halo would; the emulator's window
	// starts empty when the limit is switched on, so let the earlier requests age out first
	const lastRequest = Math.max(0, ...cluster.emulator.apiRequests().map((r) => Date.parse(r.time)));
	await new Promise((r) => setTimeout(r, Math.max(0, lastRequest + limit.windowMs + 2000 - Date.now())));
	cluster.emulator.setRateLimit(limit);
	const seq = lastSeq();
	const started = Date.now();
	const [a, b] = await Promise.all([run('Create items', creates('qa-', 45)), run('Create items', creates('qb-', 45))]);
	const ms = Date.now() - started;
	cluster.emulator.setRateLimit(null);
	for (const result of [a, b]) {
		expect(result.status).toBe(200);
		expect(result.body.filter((item: { error?: unknown }) => item.error)).toEqual([]);
	}
	for (const prefix of ['qa-', 'qb-']) {
		const written = ticketsNamed(prefix);
		expect(written).toHaveLength(45);
		expect(new Set(written.map((t) => t.summary)).size).toBe(45);
	}
	const api = apiSince(seq);
	const times = api.map((r) => ({ ...r, at: Date.parse(r.time) }));
	const refused = times.filter((r) => r.status === 429);
	const firstRefusal = refused.length ? Math.min(...refused.map((r) => r.at)) : Infinity;
	// the first burst: the items both workers sent at once, refused within moments; none after
	const later = refused.filter((r) => r.at > firstRefusal + 5000);
	const perWorker = [...peersOf(api)].map(
		(peer) =>
			`${peer}: ${api.filter((r) => r.peer === peer && r.status === 201).length} created, ${refused.filter((r) => r.peer === peer).length} × 429`,
	);
	console.log(
		`queue mode, 2 × 45 creates at 30 per 30 s: ${ms} ms, ${api.length} API requests, ${refused.length} × 429 (${later.length} after the first burst); ${perWorker.join('; ')}`,
	);
	writeTimeline('rate-limit', api);
	expect(peersOf(api).size).toBe(2);
	expect(later.map((r) => `${r.time} ${r.peer}`)).toEqual([]);
	// after the burst's hold, no rolling 30 s of Halo's window holds more than 30 requests
	const afterHold = times.filter((r) => r.at >= firstRefusal + limit.windowMs);
	for (const r of afterHold)
		expect(afterHold.filter((s) => s.at >= r.at && s.at < r.at + limit.windowMs).length).toBeLessThanOrEqual(limit.max);
});

test('a worker killed in the middle of a run: n8n does not run the execution again, nothing is written twice', async () => {
	cluster.emulator.setRateLimit({ max: 30, windowMs: 30_000 });
	const seq = lastSeq();
	const pending = run('Create items', creates('qkill-', 60)).catch((error: Error) => ({
		status: 0,
		body: error.message,
	}));
	// wait until some records are written, then kill the worker writing them
	let victim: string | undefined;
	for (let i = 0; i < 240 && !victim; i++) {
		await new Promise((r) => setTimeout(r, 250));
		const posts = apiSince(seq).filter((r) => r.route === 'POST /api/tickets' && r.status === 201);
		if (posts.length >= 10) victim = posts[0].peer;
	}
	expect(victim).toMatch(/^worker-/);
	const worker = cluster.workers.get(victim as string);
	worker?.child.kill('SIGKILL');
	const killedAt = Date.now();
	cluster.workers.delete(victim as string);
	const atKill = ticketsNamed('qkill-').length;
	// the dead worker's job lock lapses within 60 s and the survivor's stalled-job check runs every
	// 30 s; n8n 2.x then fails the job instead of running it again (Bull's maxStalledCount 0)
	let timer: NodeJS.Timeout | undefined;
	const answer = await Promise.race([
		pending,
		new Promise<{ status: string; body: string }>((r) => {
			timer = setTimeout(() => r({ status: 'none', body: 'no answer in 180 s' }), 180_000);
		}),
	]).finally(() => clearTimeout(timer));
	const answeredAfter = Math.round((Date.now() - killedAt) / 1000);
	cluster.emulator.setRateLimit(null);
	const written = ticketsNamed('qkill-');
	const summaries = written.map((t) => t.summary);
	const survivor = [...cluster.workers.keys()][0];
	const posts = apiSince(seq).filter((r) => r.route === 'POST /api/tickets');
	const executions = await cluster.main.rest(
		'GET',
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: 'queue' }))}&limit=1`,
	);
	const killed = executions.body?.data?.results?.[0];
	// requests already on their way when the worker died reach the emulator after it: no process owns them any more
	const inFlight = posts.filter((r) => r.peer === undefined);
	const byOthers = posts.filter((r) => r.peer !== undefined && r.peer !== victim);
	console.log(
		`queue mode, worker killed: ${victim} killed with ${atKill} of 60 written; ${written.length} written in the end ` +
			`(${inFlight.length} in flight at the kill); ${byOthers.length} creates by other processes; ${answeredAfter} s after the kill ` +
			`the webhook answered ${JSON.stringify(answer).slice(0, 200)} and the execution ${killed?.id} is "${killed?.status}"`,
	);
	// n8n failed the execution and answered the webhook: nothing is left hanging, nothing ran again
	expect([answer.status, killed?.status]).toEqual([500, 'error']);
	expect(new Set(summaries).size).toBe(summaries.length);
	// nothing ran the execution again on the other worker
	expect(byOthers).toEqual([]);
	for (const request of inFlight) expect(Date.parse(request.time) - killedAt).toBeLessThan(1000);
	// the survivor still runs new executions
	const after = await run('Current agent');
	expect(after.status).toBe(200);
	expect(apiSince(seq).some((r) => r.peer === survivor)).toBe(true);
});
