/**
 * The poll trigger in a real n8n (issue 10): activation emits nothing and sets the cursor; each
 * change is emitted exactly once (two tickets changed in one second, a change made while a poll
 * runs, changes made while n8n is down), and a poll costs requests in proportion to what changed.
 *
 * n8n polls at activation and then at most once a minute; re-activating a workflow (and restarting
 * n8n) makes it poll now, so the test drives polls that way.
 */
import { parse as parseFlatted } from 'flatted';

import { haloClient, type HaloClient } from '../halo-client';
import { CREDENTIAL_TYPE, type WorkflowJson } from './harness';
import { CREDENTIAL_ID, startStack, type Stack } from './stack';

jest.setTimeout(300_000);

const POLL_NODE = 'HaloPSA Poll Trigger';

function pollWorkflow(id: string, event: string): WorkflowJson {
	return {
		id,
		name: id,
		nodes: [
			{
				id: `${id}-poll`,
				name: POLL_NODE,
				type: 'n8n-nodes-halopsa.haloPsaPollTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyHour', minute: 0 }] }, event, options: {} },
				credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'HaloPSA emulator' } },
			},
			{
				id: `${id}-noop`,
				name: 'Done',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [200, 0],
				parameters: {},
			},
		],
		connections: { [POLL_NODE]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const UPDATED = 'poll-updated';
const CREATED = 'poll-created';
const ACTIONS = 'poll-actions';
const ALL = [UPDATED, CREATED, ACTIONS];

let stack: Stack;
let halo: HaloClient;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function staticData(id: string): Promise<string> {
	return JSON.stringify((await stack.n8n.rest('GET', `/workflows/${id}`)).body?.data?.staticData ?? {});
}

/** Every item the trigger emitted in this workflow's executions so far, oldest first. */
async function emitted(id: string): Promise<any[]> {
	const list = await stack.n8n.rest(
		'GET',
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: id }))}&limit=100`,
	);
	const results = (list.body?.data?.results ?? []) as Array<{ id: string }>;
	const items: any[] = [];
	for (const execution of [...results].reverse()) {
		const full = await stack.n8n.rest('GET', `/executions/${execution.id}`);
		const data = parseFlatted(full.body.data.data);
		for (const item of data.resultData.runData[POLL_NODE]?.[0]?.data?.main?.[0] ?? []) items.push(item.json);
	}
	return items;
}

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
		],
	});
	halo = haloClient(stack.emulator);
	// activation (at start-up) sets each cursor
	for (const id of ALL) {
		for (let i = 0; i < 80 && !(await staticData(id)).includes('cursor'); i++) await sleep(250);
		expect(await staticData(id)).toContain('cursor');
	}
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
	expect(many).toBe(3);
});
