/**
 * The poll trigger in a real n8n (issue 10): activation emits nothing and sets the cursor; each
 * change is emitted exactly once (two tickets changed in one second, a change made while a poll
 * runs, changes made while n8n is down), and a poll costs requests in proportion to what changed.
 *
 * n8n polls at activation and then at most once a minute per poll time; re-activating a workflow
 * (and restarting n8n) makes it poll now, so most tests drive polls that way. The last one lets
 * n8n's scheduler poll every 5 s (twelve poll times, each a fixed second, as n8n allows) through
 * changes in one second, a poll Halo holds past two ticks, a restart and quiet ticks (issue 16).
 */
import { haloClient, type HaloClient } from '../halo-client';
import { cursorSet, emitted as emittedBy, everySeconds, pollWorkflow } from './polls';
import { startStack, type Stack } from './stack';

jest.setTimeout(300_000);

const UPDATED = 'poll-updated';
const CREATED = 'poll-created';
const ACTIONS = 'poll-actions';
const ALL = [UPDATED, CREATED, ACTIONS];
/** polls every 5 s on n8n's own schedule, for one client's tickets; active only in its own test */
const TICKING = 'poll-ticking';
const TICK_MS = 5_000;
/** a client of its own, created first (the demo seeds five), so no other test's change is its */
const TICKING_CLIENT = 6;

let stack: Stack;
let halo: HaloClient;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const emitted = async (id: string) => await emittedBy(stack, id);

/** Deactivates and activates a workflow: n8n polls at activation. */
async function pollNow(id: string): Promise<void> {
	await stack.n8n.rest('POST', `/workflows/${id}/deactivate`);
	const workflow = await stack.n8n.rest('GET', `/workflows/${id}`);
	const activated = await stack.n8n.rest('POST', `/workflows/${id}/activate`, {
		versionId: workflow.body.data.versionId,
	});
	expect([activated.status, JSON.stringify(activated.body).slice(0, 300)]).toEqual([200, expect.any(String)]);
}

/** Waits until the executions of a workflow stop growing. */
async function settled(id: string, expectAtLeast = 0): Promise<any[]> {
	let items = await emitted(id);
	for (let i = 0; i < 40 && items.length < expectAtLeast; i++) {
		await sleep(250);
		items = await emitted(id);
	}
	await sleep(500);
	return await emitted(id);
}

const ticketGets = () => stack.emulator.apiRequests().filter((r) => r.route === 'GET /api/tickets').length;

beforeAll(async () => {
	const listClients = {
		name: 'List clients',
		parameters: { resource: 'client', operation: 'getAll', returnAll: false, limit: 1, filters: {} },
	};
	stack = await startStack('poll-cases', [listClients], {
		tenant: null,
		extraWorkflows: [
			pollWorkflow(UPDATED, 'ticketUpdated'),
			pollWorkflow(CREATED, 'ticketCreated'),
			pollWorkflow(ACTIONS, 'actionCreated'),
			pollWorkflow(TICKING, 'ticketUpdated', everySeconds(TICK_MS / 1000), { client_id: TICKING_CLIENT }),
		],
	});
	halo = haloClient(stack.emulator);
	expect((await halo.post('/Client', [{ name: 'Ticking Client' }])).id).toBe(TICKING_CLIENT);
	// activation (at start-up) sets each cursor
	for (const id of [...ALL, TICKING]) await cursorSet(stack, id);
	await stack.n8n.rest('POST', `/workflows/${TICKING}/deactivate`);
});

afterAll(async () => await stack?.stop());

test('the first activation emits nothing: what exists is not new', async () => {
	for (const id of ALL) expect(await emitted(id)).toEqual([]);
});

test('each change is emitted once: a new ticket, two tickets changed in one second, a note', async () => {
	const [first, second] = stack.emulator.store.tickets();
	const created = await halo.post('/Tickets', [{ summary: 'Poll: new ticket', client_id: 1, tickettype_id: 1 }]);
	await halo.post('/Tickets', [
		{ id: first.id, summary: 'Poll: changed A' },
		{ id: second.id, summary: 'Poll: changed B' },
	]);
	await halo.post('/Actions', [{ ticket_id: second.id, note: 'Poll: a note', outcome_id: 7 }]);
	for (const id of ALL) await pollNow(id);

	const updated = await settled(UPDATED, 3);
	expect(updated.map((t) => t.id).sort()).toEqual([created.id, first.id, second.id].sort());
	expect((await settled(CREATED, 1)).map((t) => t.id)).toEqual([created.id]);
	const notes = await settled(ACTIONS, 1);
	expect(notes.map((a) => [a.ticket_id, a.note])).toEqual([[second.id, 'Poll: a note']]);

	// polling again with nothing changed emits nothing more
	for (const id of ALL) await pollNow(id);
	await sleep(1500);
	expect(await emitted(UPDATED)).toHaveLength(3);
	expect(await emitted(CREATED)).toHaveLength(1);
	expect(await emitted(ACTIONS)).toHaveLength(1);
});

test('a change made while a poll is running is emitted exactly once', async () => {
	const before = (await emitted(UPDATED)).length;
	const target = stack.emulator.store.tickets()[3];
	stack.emulator.injectFault({ method: 'GET', path: '/api/tickets$', delayMs: 1500, times: 1 });
	// n8n answers the activation once its poll is done: change the ticket while that poll waits on Halo
	const polling = pollNow(UPDATED);
	await sleep(700);
	await halo.post('/Tickets', [{ id: target.id, summary: 'Poll: changed during a poll' }]);
	await polling;
	await pollNow(UPDATED);
	const items = (await settled(UPDATED, before + 1)).slice(before);
	expect(items.filter((t) => t.id === target.id)).toHaveLength(1);
});

test('changes made while n8n is down are emitted once after the restart', async () => {
	const before = (await emitted(UPDATED)).length;
	await stack.n8n.stop();
	const target = stack.emulator.store.tickets()[4];
	await halo.post('/Tickets', [{ id: target.id, summary: 'Poll: changed while n8n was down' }]);
	await stack.n8n.start();
	let items = await settled(UPDATED, before + 1);
	expect(items.slice(before).map((t) => t.id)).toEqual([target.id]);
	await pollNow(UPDATED);
	await sleep(1500);
	items = await emitted(UPDATED);
	expect(items.slice(before).map((t) => t.id)).toEqual([target.id]);
});

test('a poll costs requests in proportion to what changed (0, 1 and 250 changed tickets)', async () => {
	const cost = async (change: () => Promise<void>) => {
		await change();
		stack.emulator.clearLog();
		await pollNow(UPDATED);
		await sleep(1500);
		return ticketGets();
	};
	const none = await cost(async () => undefined);
	const one = await cost(async () => {
		await halo.post('/Tickets', [{ id: stack.emulator.store.tickets()[5].id, summary: 'Poll: one change' }]);
	});
	const before = (await emitted(UPDATED)).length;
	const many = await cost(async () => {
		const records = Array.from({ length: 250 }, (_, i) => ({
			summary: `Poll: bulk ${i}`,
			client_id: 1,
			tickettype_id: 1,
		}));
		await halo.post('/Tickets', records);
	});
	const items = await settled(UPDATED, before + 250);
	expect(items.length - before).toBe(250);
	console.log(`poll requests (GET /Tickets): 0 changed -> ${none}, 1 changed -> ${one}, 250 changed -> ${many}`);
	expect(none).toBe(1);
	expect(one).toBe(1);
	// keyset paging re-reads the rows of the second a page ends in: 3 pages, or 4 when one ends inside the bulk's second
	expect(many).toBeGreaterThanOrEqual(3);
	expect(many).toBeLessThanOrEqual(4);
});

test('a New Action poll costs one report for 0, 1 and 200 changed tickets', async () => {
	const cost = async (count: number) => {
		const tickets = stack.emulator.store
			.tickets()
			.slice(0, count)
			.map((t) => t.id);
		for (let i = 0; i < tickets.length; i += 100)
			await halo.post(
				'/Actions',
				tickets.slice(i, i + 100).map((id) => ({ ticket_id: id, outcome_id: 7, note: `Poll: cost note on ${id}` })),
			);
		const before = (await emitted(ACTIONS)).length;
		stack.emulator.clearLog();
		await pollNow(ACTIONS);
		const items = (await settled(ACTIONS, before + count)).slice(before);
		expect(items.map((a) => a.ticket_id).sort()).toEqual([...tickets].sort());
		return stack.emulator.apiRequests().map((r) => r.route);
	};
	const figures = [await cost(0), await cost(1), await cost(200)];
	console.log(
		`New Action poll requests: ${figures.map((routes, i) => `${[0, 1, 200][i]} changed -> ${routes.length} (${[...new Set(routes)].join(', ')})`).join('; ')}`,
	);
	for (const routes of figures) expect(routes).toEqual(['POST /api/report']);
});

test("on n8n's own schedule every change comes out exactly once: same second, a slow poll, a restart, quiet ticks", async () => {
	const expected: string[] = [];
	const versionsOf = (rows: any[]) =>
		rows.map((t) => `${t.id}@${stack.emulator.store.get('tickets', t.id)?.last_update}`);
	const write = async (records: object[]) => {
		const saved = await halo.post('/Tickets', records);
		const rows = Array.isArray(saved) ? saved : [saved];
		expected.push(...versionsOf(rows));
		return rows.map((t) => Number(t.id));
	};
	const change = async (ids: number[], summary: string) => await write(ids.map((id) => ({ id, summary })));
	const tickGets = () =>
		stack.emulator.apiRequests().filter((r) => r.route === 'GET /api/tickets' && r.query.client_id).length;
	const activated = await stack.n8n.rest('POST', `/workflows/${TICKING}/activate`, {
		versionId: (await stack.n8n.rest('GET', `/workflows/${TICKING}`)).body.data.versionId,
	});
	expect(activated.status).toBe(200);
	const [a, b, c, d, e] = await write(
		Array.from({ length: 5 }, (_, i) => ({ summary: `Ticks ${i}`, client_id: TICKING_CLIENT, tickettype_id: 1 })),
	);
	await sleep(TICK_MS * 1.5);
	// two tickets in the same second; one of them again once a poll has seen it (a poll sees what
	// Halo holds: a change overwritten before any poll reads it is not one it can report)
	await change([a, b], 'Ticks: same second');
	await sleep(TICK_MS * 1.5);
	await change([a], 'Ticks: again');
	// Halo holds the next poll for longer than two ticks (n8n starts others meanwhile); a change lands while it waits
	stack.emulator.injectFault({ method: 'GET', path: '/api/tickets$', delayMs: TICK_MS * 2.5, times: 1 });
	await sleep(TICK_MS * 1.2);
	await change([c], 'Ticks: during a slow poll');
	await sleep(TICK_MS * 2.5);
	// n8n down: the change waits for the first poll after the restart
	await stack.n8n.stop();
	await change([d], 'Ticks: while n8n was down');
	await stack.n8n.start();
	await change([e], 'Ticks: right after the restart');
	// quiet ticks after the last change
	const quietFrom = tickGets();
	await sleep(TICK_MS * 5);
	const quietPolls = tickGets() - quietFrom;
	await stack.n8n.rest('POST', `/workflows/${TICKING}/deactivate`);
	const items = (await emitted(TICKING)).map((t) => `${t.id}@${t.last_update}`);
	console.log(
		`ticking poll: ${items.length} items for ${expected.length} changes; ${quietPolls} polls after the last change`,
	);
	expect(quietPolls).toBeGreaterThanOrEqual(3);
	expect([...items].sort()).toEqual([...expected].sort());
});
