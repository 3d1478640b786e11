/**
 * The poll trigger's poll() against the emulator over HTTP, with n8n's poll context reduced to
 * what the trigger uses: a Halo clock ahead of or behind n8n's, rows that move between pages while
 * a poll reads, overlapping polls, a future-stamped row, client rows without a change time, an
 * empty filter, and new actions read by one report (or per ticket when Halo refuses it).
 */
import type { IDataObject, INode, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../emulator';
import { HaloPsaPollTrigger } from '../../nodes/HaloPsa/HaloPsaPollTrigger.node';
import { resetPacing } from '../../credentials/HaloPsaPacing';
import { authenticatedRequest, haloClient, type HaloClient } from '../halo-client';

const trigger = new HaloPsaPollTrigger();
const node: INode = {
	id: 'p',
	name: 'HaloPSA Poll Trigger',
	type: 'n8n-nodes-halopsa.haloPsaPollTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

let emulator: Emulator;
let halo: HaloClient;
let workflows = 0;

beforeEach(async () => {
	resetPacing();
	emulator = await startEmulator({ quiet: true, tenant: null, rateLimit: null });
	halo = haloClient(emulator);
});
afterEach(async () => await emulator.stop());

interface Poller {
	poll(): Promise<IDataObject[] | null>;
	staticData: IDataObject;
	warnings: string[];
}

/** A trigger as n8n runs it: one workflow's static data, polls on demand. */
function poller(parameters: IDataObject, options: { client?: HaloClient; mode?: string } = {}): Poller {
	const staticData: IDataObject = {};
	const warnings: string[] = [];
	const workflowId = `wf-${++workflows}`;
	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = name.split('.').reduce<any>((at, key) => (at === undefined ? at : at[key]), parameters);
			return value ?? fallback;
		},
		getWorkflowStaticData: () => staticData,
		getMode: () => options.mode ?? 'trigger',
		getWorkflow: () => ({ id: workflowId }),
		getNode: () => node,
		getCredentials: async () => ({ hostingType: 'onPremise', urlMode: 'haloUrl', haloUrl: emulator.url }),
		logger: { debug: () => undefined, info: () => undefined, warn: (message: string) => warnings.push(message) },
		helpers: {
			httpRequestWithAuthentication: authenticatedRequest(options.client ?? halo),
			returnJsonArray: (rows: IDataObject[]) => rows.map((json) => ({ json })),
		},
	} as unknown as IPollFunctions;
	return {
		staticData,
		warnings,
		poll: async () => {
			const result = (await trigger.poll.call(ctx)) as INodeExecutionData[][] | null;
			return result ? result[0].map((item) => item.json) : null;
		},
	};
}

const ids = (rows: IDataObject[] | null) => (rows ?? []).map((row) => row.id);
const ticketIds = () => emulator.store.tickets().map((t) => Number(t.id));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test.each([
	['ahead of', 3_600_000],
	['behind', -3_600_000],
])("a Halo clock an hour %s n8n's: each change once, nothing again", async (_how, offset) => {
	emulator.setClockOffset(offset);
	const updated = poller({ event: 'ticketUpdated', options: {} });
	expect(await updated.poll()).toBeNull();
	const [a, b] = ticketIds();
	await halo.post('/Tickets', [{ id: a, summary: 'changed once' }]);
	expect(ids(await updated.poll())).toEqual([a]);
	await halo.post('/Tickets', [{ id: b, summary: 'changed in the same second' }]);
	await halo.post('/Tickets', [{ id: a, summary: 'changed twice' }]);
	expect(ids(await updated.poll())).toEqual([b, a]);
	for (let i = 0; i < 3; i++) expect(await updated.poll()).toBeNull();
	const cursor = Date.parse(String(updated.staticData.cursor));
	expect(Math.abs(cursor - (Date.now() + offset))).toBeLessThan(60_000);
});

test('rows that move between pages while a poll reads: every change once, none lost', async () => {
	const updated = poller({ event: 'ticketUpdated', options: {} });
	expect(await updated.poll()).toBeNull();
	emulator.addTickets(150);
	// another user edits a ticket of the first page right after Halo served it
	emulator.injectFault({ method: 'GET', path: '/api/tickets$', touchAfterPage: 3, times: 1 });
	const first = (await updated.poll()) ?? [];
	const second = (await updated.poll()) ?? [];
	const all = [...first, ...second].map((row) => `${row.id}@${row.last_update}`);
	expect(new Set(all).size).toBe(all.length);
	const created = ticketIds().slice(-150);
	expect(created.filter((id) => !all.some((key) => key.startsWith(`${id}@`)))).toEqual([]);
	expect(await updated.poll()).toBeNull();
});

test('overlapping polls: the one that finds a poll running returns nothing; each change comes out once', async () => {
	const updated = poller({ event: 'ticketUpdated', options: {} });
	expect(await updated.poll()).toBeNull();
	const [a] = ticketIds();
	await halo.post('/Tickets', [{ id: a, summary: 'changed before a slow poll' }]);
	emulator.injectFault({ method: 'GET', path: '/api/tickets$', delayMs: 800, times: 1 });
	const slow = updated.poll();
	await sleep(200);
	expect(await updated.poll()).toBeNull();
	expect(ids(await slow)).toEqual([a]);
	expect(await updated.poll()).toBeNull();
});

test('a row stamped in 2031 is emitted once, said once, and later changes still come out', async () => {
	const updated = poller({ event: 'ticketUpdated', options: {} });
	expect(await updated.poll()).toBeNull();
	const [a, b, c] = emulator.store.tickets();
	a.last_update = '2031-01-01T00:00:00.0000000Z';
	expect(ids(await updated.poll())).toEqual([a.id]);
	expect(Date.parse(String(updated.staticData.cursor))).toBeLessThan(Date.now() + 60_000);
	await halo.post('/Tickets', [{ id: b.id, summary: 'after the future row' }]);
	expect(ids(await updated.poll())).toEqual([b.id]);
	await halo.post('/Tickets', [{ id: c.id, summary: 'and again' }]);
	expect(ids(await updated.poll())).toEqual([c.id]);
	expect(updated.warnings).toHaveLength(1);
	expect(updated.warnings[0]).toContain('2031-01-01');
});

test('client rows without a change time: "New or Updated Client" is refused, on activation and on a manual test', async () => {
	emulator.setChangeTimesInLists(false);
	const expected = /GET|Client.*no change time/;
	await expect(poller({ event: 'clientChanged', options: {} }).poll()).rejects.toThrow(expected);
	await expect(poller({ event: 'clientChanged', options: {} }, { mode: 'manual' }).poll()).rejects.toThrow(expected);
	emulator.setChangeTimesInLists(true);
	const clients = poller({ event: 'clientChanged', options: {} });
	expect(await clients.poll()).toBeNull();
	const [acme] = emulator.store.list('clients');
	await halo.post('/Client', [{ id: acme.id, name: 'Acme renamed' }]);
	expect(ids(await clients.poll())).toEqual([acme.id]);
});

test('a filter whose expression found nothing is refused, not dropped', async () => {
	const filtered = poller({ event: 'ticketUpdated', filters: { client_id: '' }, options: {} });
	await expect(filtered.poll()).rejects.toThrow('The filter "Client" is empty');
	expect(emulator.apiRequests()).toHaveLength(0);
});

test('new actions: one report per poll however many tickets changed (0, 1, 200)', async () => {
	const actions = poller({ event: 'actionCreated', options: {} });
	expect(await actions.poll()).toBeNull();
	const cost = async (count: number) => {
		const tickets = ticketIds().slice(0, count);
		for (let i = 0; i < tickets.length; i += 100)
			await halo.post(
				'/Actions',
				tickets.slice(i, i + 100).map((id) => ({ ticket_id: id, outcome_id: 7, note: `note on ${id}` })),
			);
		emulator.clearLog();
		const emitted = (await actions.poll()) ?? [];
		expect(emitted.map((a) => a.ticket_id).sort()).toEqual([...tickets].sort());
		return emulator.apiRequests().length;
	};
	emulator.addTickets(200);
	const figures = [await cost(0), await cost(1), await cost(200)];
	console.log(`new-action poll requests: 0 changed -> ${figures[0]}, 1 -> ${figures[1]}, 200 -> ${figures[2]}`);
	expect(figures).toEqual([1, 1, 1]);
	expect(await actions.poll()).toBeNull();
});

test('new actions without read:reporting: read per changed ticket, said once, nothing twice', async () => {
	emulator.addClient({ clientId: 'no-reports', clientSecret: 'no-reports-secret', scopes: ['read:tickets'] });
	const client = haloClient(emulator, null, { clientId: 'no-reports', clientSecret: 'no-reports-secret' });
	const actions = poller({ event: 'actionCreated', options: {} }, { client });
	expect(await actions.poll()).toBeNull();
	const [a, b] = ticketIds();
	await halo.post('/Actions', [{ ticket_id: a, outcome_id: 7, note: 'first note' }]);
	await halo.post('/Tickets', [{ id: b, summary: 'changed, no new action' }]);
	emulator.clearLog();
	const first = (await actions.poll()) ?? [];
	expect(first.map((action) => [action.ticket_id, action.note])).toEqual([[a, 'first note']]);
	// the changed ticket without a new action costs no actions request
	expect(emulator.apiRequests().filter((r) => r.route === 'GET /api/actions')).toHaveLength(1);
	expect(await actions.poll()).toBeNull();
	expect(actions.warnings).toHaveLength(1);
	expect(actions.warnings[0]).toContain('read:reporting');
});
