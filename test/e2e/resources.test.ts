/**
 * The create -> get -> update -> get -> delete -> get(404) cycle for every writable resource
 * besides tickets, plus agents, lookups and ticket actions, in a real n8n against the emulator.
 * Each step also checks what the emulator received.
 */
import { haloClient, type HaloClient } from '../halo-client';
import { cycleCases, deleteAndCheck, fromBody as body, runCycle, type Cycle } from './cycles';
import type { NodeCase } from './workflows';
import { byId, startStack, type Stack } from './stack';

jest.setTimeout(300_000);

const cycles: Cycle[] = [
	{
		resource: 'client',
		route: 'client',
		keep: true,
		create: { name: 'Globex Corporation', additionalFields: { website: 'https://globex.example', is_vip: true } },
		createBody: () => ({ name: 'Globex Corporation', website: 'https://globex.example', is_vip: true }),
		update: { updateFields: { notes: 'Key account', is_vip: false } },
		updateBody: { notes: 'Key account', is_vip: false },
	},
	{
		resource: 'site',
		route: 'site',
		keep: true,
		create: { name: 'Globex Springfield', clientId: body('client_id'), additionalFields: { phonenumber: '555-0100' } },
		createBody: (ctx) => ({ name: 'Globex Springfield', client_id: ctx.client_id, phonenumber: '555-0100' }),
		update: { updateFields: { phonenumber: '' } },
		updateBody: { phonenumber: '' },
	},
	{
		resource: 'user',
		route: 'users',
		create: {
			name: 'Hank Scorpio',
			siteId: body('site_id'),
			additionalFields: { emailaddress: 'hank@globex.example' },
		},
		createBody: (ctx) => ({ name: 'Hank Scorpio', site_id: ctx.site_id, emailaddress: 'hank@globex.example' }),
		update: { updateFields: { phonenumber: '555-0199', inactive: false } },
		updateBody: { phonenumber: '555-0199', inactive: false },
	},
	{
		resource: 'asset',
		route: 'asset',
		create: {
			clientId: body('client_id'),
			assetTypeId: body('assettype_id'),
			additionalFields: { inventory_number: 'GLX-0001', assetFieldsUi: { field: [{ id: 117, value: 'SN-123' }] } },
		},
		createBody: (ctx) => ({
			client_id: ctx.client_id,
			assettype_id: ctx.assettype_id,
			inventory_number: 'GLX-0001',
			fields: [{ id: 117, value: 'SN-123' }],
		}),
		update: { updateFields: { inventory_number: 'GLX-0002' } },
		updateBody: { inventory_number: 'GLX-0002' },
	},
	{
		resource: 'webhook',
		route: 'webhook',
		create: {
			name: 'n8n test hook',
			url: 'http://127.0.0.1:9/hook',
			additionalFields: { active: false, authentication_type: 1, basic_username: 'n8n', events: [0, 3] },
		},
		createBody: () => ({
			name: 'n8n test hook',
			url: 'http://127.0.0.1:9/hook',
			active: false,
			authentication_type: 1,
			basic_username: 'n8n',
			events: [{ eventno: 0 }, { eventno: 3 }],
		}),
		update: { updateFields: { name: 'n8n test hook renamed' } },
		updateBody: { name: 'n8n test hook renamed' },
	},
];

const cases: NodeCase[] = cycleCases(cycles);
cases.push(
	{ name: 'agent get', parameters: { resource: 'agent', operation: 'get', agentId: byId(body('id')) } },
	{
		name: 'agent getAll',
		parameters: { resource: 'agent', operation: 'getAll', returnAll: false, limit: 2, filters: {} },
	},
	...['ticketType', 'status', 'priority', 'team', 'category', 'assetType', 'outcome'].map((lookupType) => ({
		name: `lookup ${lookupType}`,
		parameters: { resource: 'lookup', operation: 'getAll', lookupType, returnAll: true },
	})),
	{
		name: 'action add',
		parameters: {
			resource: 'ticketAction',
			operation: 'create',
			ticketId: byId(body('ticket_id')),
			note: '<p>Rebooted the printer</p>',
			noteFormat: 'html',
			outcomeId: 7,
			hiddenFromUser: true,
			additionalFields: { timetaken: 0.5, new_status: body('new_status') },
		},
	},
	{
		name: 'action get',
		continueOnFail: true,
		parameters: { resource: 'ticketAction', operation: 'get', ticketId: byId(body('ticket_id')), actionId: body('id') },
	},
	{
		name: 'action getAll',
		parameters: {
			resource: 'ticketAction',
			operation: 'getAll',
			ticketId: byId(body('ticket_id')),
			returnAll: true,
			filters: {},
		},
	},
	{
		name: 'action delete',
		parameters: {
			resource: 'ticketAction',
			operation: 'delete',
			ticketId: byId(body('ticket_id')),
			actionId: body('id'),
		},
	},
);

let stack: Stack;
let halo: HaloClient;
const ctx: Record<string, any> = {};

beforeAll(async () => {
	stack = await startStack('resources', cases);
	halo = haloClient(stack.emulator, 'acme');
	ctx.assettype_id = (await halo.get('/AssetType'))[0].id;
});

afterAll(async () => await stack?.stop());

describe.each(cycles)('$resource', (c) => {
	test('create -> get -> update -> get -> get many -> delete -> get (404), each request checked', async () => {
		const record = await runCycle(stack, c, ctx);
		if (c.resource === 'client') ctx.client_id = record.id;
		if (c.resource === 'site') ctx.site_id = record.id;
	});
});

test("Webhook Get and Get Many never output a webhook's Basic-auth password, even when Halo answers it", async () => {
	const created = await halo.post('/Webhook', [
		{ name: 'has a password', url: 'http://127.0.0.1:9/x', authentication_type: 1, basic_password: 'do-not-leak-9f2' },
	]);
	expect((await halo.get(`/Webhook/${created.id}`)).basic_password).toBe('do-not-leak-9f2');
	const got = await stack.run('webhook get', { id: created.id });
	const many = await stack.run('webhook getAll', {});
	expect(JSON.stringify(got.body)).toContain(created.id);
	expect(JSON.stringify(many.body)).toContain(created.id);
	expect(JSON.stringify([got.body, many.body])).not.toContain('do-not-leak-9f2');
	expect(JSON.stringify([got.body, many.body])).not.toContain('basic_password');
	await halo.request('DELETE', `/Webhook/${created.id}`);
});

test('site and client delete, after their dependants are gone', async () => {
	await deleteAndCheck(stack, cycles[1], ctx.site_id);
	await deleteAndCheck(stack, cycles[0], ctx.client_id);
});

test('agents: get, get many with a limit', async () => {
	const one = await stack.run('agent get', { id: 1 });
	expect(one.body).toEqual([expect.objectContaining({ id: 1 })]);
	stack.emulator.clearLog();
	const two = await stack.run('agent getAll');
	expect(two.body).toHaveLength(2);
	expect(stack.emulator.apiRequests().map((r) => [r.route, r.query])).toEqual([['GET /api/agent', {}]]);
});

test.each(['ticketType', 'status', 'priority', 'team', 'category', 'assetType', 'outcome'])(
	'lookup %s: bare array, one item per row',
	async (lookup) => {
		const direct = await halo.get(`/${lookup.charAt(0).toUpperCase()}${lookup.slice(1)}`);
		const result = await stack.run(`lookup ${lookup}`);
		expect(result.body).toEqual(direct);
	},
);

test('ticket actions: add (HTML, private, outcome 7, status change), get, get many, delete', async () => {
	const { emulator } = stack;
	const ticket = (await halo.get('/Tickets?pageinate=true&page_size=1&page_no=1')).tickets[0];
	const statuses = await halo.get('/Status');
	const newStatus = statuses.find((s: { id: number }) => s.id !== ticket.status_id).id;
	emulator.clearLog();
	const added = await stack.run('action add', { ticket_id: ticket.id, new_status: newStatus });
	expect(added.status).toBe(200);
	const action = added.body[0];
	expect(action).toMatchObject({ ticket_id: ticket.id, hiddenfromuser: true, outcome_id: 7 });
	expect(emulator.apiRequests()[0].body).toEqual([
		{
			note_html: '<p>Rebooted the printer</p>',
			outcome_id: 7,
			hiddenfromuser: true,
			timetaken: 0.5,
			new_status: newStatus,
			ticket_id: ticket.id,
		},
	]);
	expect((await halo.get(`/Tickets/${ticket.id}`)).status_id).toBe(newStatus);

	emulator.clearLog();
	const got = await stack.run('action get', { ticket_id: ticket.id, id: action.id });
	expect(got.body).toEqual([expect.objectContaining({ id: action.id, ticket_id: ticket.id })]);
	expect(emulator.apiRequests().map((r) => [r.route, r.query])).toEqual([
		['GET /api/actions/:id', { ticket_id: String(ticket.id) }],
	]);

	const list = await stack.run('action getAll', { ticket_id: ticket.id });
	expect(list.body.map((a: { id: number }) => a.id)).toContain(action.id);
	for (const a of list.body) expect(a.ticket_id).toBe(ticket.id);

	emulator.clearLog();
	const deleted = await stack.run('action delete', { ticket_id: ticket.id, id: action.id });
	expect(deleted.body).toEqual([{ id: action.id, deleted: true }]);
	expect(emulator.apiRequests().map((r) => [r.method, r.route, r.query])).toEqual([
		['DELETE', 'DELETE /api/actions/:id', { ticket_id: String(ticket.id) }],
	]);
	const gone = await stack.runItems('action get', { ticket_id: ticket.id, id: action.id });
	expect(gone[0].error?.message).toMatch(/was not found in HaloPSA \(404\)$/);
	expect(gone[0].pairedItem).toEqual({ item: 0 });
});
