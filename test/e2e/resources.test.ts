/**
 * The create -> get -> update -> get -> delete -> get(404) cycle for every writable resource
 * besides tickets, plus agents, lookups and ticket actions, in a real n8n against the emulator.
 * Each step also checks what the emulator received.
 */
import { haloClient, type HaloClient } from '../halo-client';
import type { NodeCase } from './workflows';
import { byId, startStack, type Stack } from './stack';

jest.setTimeout(300_000);

const body = (name: string) => `={{ $json.body.${name} }}`;

interface Cycle {
	resource: string;
	idParam: string;
	route: string;
	create: Record<string, unknown>;
	update: Record<string, unknown>;
	/** Halo keys expected in the POST body on create (from the create params) */
	createBody: (ctx: Record<string, any>) => Record<string, unknown>;
	updateBody: Record<string, unknown>;
}

const cycles: Cycle[] = [
	{
		resource: 'client',
		idParam: 'clientId',
		route: 'client',
		create: { name: 'Globex Corporation', additionalFields: { website: 'https://globex.example', is_vip: true } },
		createBody: () => ({ name: 'Globex Corporation', website: 'https://globex.example', is_vip: true }),
		update: { updateFields: { notes: 'Key account', is_vip: false } },
		updateBody: { notes: 'Key account', is_vip: false },
	},
	{
		resource: 'site',
		idParam: 'siteId',
		route: 'site',
		create: { name: 'Globex Springfield', clientId: body('client_id'), additionalFields: { phonenumber: '555-0100' } },
		createBody: (ctx) => ({ name: 'Globex Springfield', client_id: ctx.client_id, phonenumber: '555-0100' }),
		update: { updateFields: { phonenumber: '' } },
		updateBody: { phonenumber: '' },
	},
	{
		resource: 'user',
		idParam: 'userId',
		route: 'users',
		create: { name: 'Hank Scorpio', siteId: body('site_id'), additionalFields: { emailaddress: 'hank@globex.example' } },
		createBody: (ctx) => ({ name: 'Hank Scorpio', site_id: ctx.site_id, emailaddress: 'hank@globex.example' }),
		update: { updateFields: { phonenumber: '555-0199', inactive: false } },
		updateBody: { phonenumber: '555-0199', inactive: false },
	},
	{
		resource: 'asset',
		idParam: 'assetId',
		route: 'asset',
		create: {
			clientId: body('client_id'),
			assetTypeId: body('assettype_id'),
			additionalFields: { inventory_number: 'GLX-0001', assetFieldsUi: { field: [{ id: 117, value: 'SN-123' }] } },
		},
		createBody: (ctx) => ({ client_id: ctx.client_id, assettype_id: ctx.assettype_id, inventory_number: 'GLX-0001', fields: [{ id: 117, value: 'SN-123' }] }),
		update: { updateFields: { inventory_number: 'GLX-0002' } },
		updateBody: { inventory_number: 'GLX-0002' },
	},
	{
		resource: 'webhook',
		idParam: 'webhookId',
		route: 'webhook',
		create: { name: 'n8n test hook', url: 'http://127.0.0.1:9/hook', additionalFields: { active: false, authentication_type: 1, basic_username: 'n8n', events: [0, 3] } },
		createBody: () => ({ name: 'n8n test hook', url: 'http://127.0.0.1:9/hook', active: false, authentication_type: 1, basic_username: 'n8n', events: [{ eventno: 0 }, { eventno: 3 }] }),
		update: { updateFields: { name: 'n8n test hook renamed' } },
		updateBody: { name: 'n8n test hook renamed' },
	},
];

const cases: NodeCase[] = [];
for (const c of cycles) {
	const id = { [c.idParam]: byId(body('id')) };
	cases.push(
		{ name: `${c.resource} create`, parameters: { resource: c.resource, operation: 'create', ...c.create } },
		{ name: `${c.resource} get`, continueOnFail: true, parameters: { resource: c.resource, operation: 'get', ...id } },
		{ name: `${c.resource} update`, parameters: { resource: c.resource, operation: 'update', ...id, ...c.update } },
		{ name: `${c.resource} delete`, parameters: { resource: c.resource, operation: 'delete', ...id } },
		{ name: `${c.resource} getAll`, parameters: { resource: c.resource, operation: 'getAll', returnAll: true, filters: {} } },
	);
}
cases.push(
	{ name: 'agent get', parameters: { resource: 'agent', operation: 'get', agentId: byId(body('id')) } },
	{ name: 'agent getAll', parameters: { resource: 'agent', operation: 'getAll', returnAll: false, limit: 2, filters: {} } },
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
	{ name: 'action get', continueOnFail: true, parameters: { resource: 'ticketAction', operation: 'get', ticketId: byId(body('ticket_id')), actionId: body('id') } },
	{ name: 'action getAll', parameters: { resource: 'ticketAction', operation: 'getAll', ticketId: byId(body('ticket_id')), returnAll: true, filters: {} } },
	{ name: 'action delete', parameters: { resource: 'ticketAction', operation: 'delete', ticketId: byId(body('ticket_id')), actionId: body('id') } },
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
	test('create -> get -> update -> get -> delete -> get (404)', async () => {
		const { emulator } = stack;
		emulator.clearLog();
		const created = await stack.run(`${c.resource} create`, ctx);
		expect(created.status).toBe(200);
		const record = created.body[0];
		expect(record.id).toBeTruthy();
		const post = emulator.apiRequests();
		expect(post.map((r) => r.route)).toEqual([`POST /api/${c.route}`]);
		expect(post[0].body).toEqual([c.createBody(ctx)]);
		if (c.resource === 'client') ctx.client_id = record.id;
		if (c.resource === 'site') ctx.site_id = record.id;

		const got = await stack.run(`${c.resource} get`, { id: record.id });
		expect(got.body).toEqual([expect.objectContaining({ id: record.id })]);

		emulator.clearLog();
		const updated = await stack.run(`${c.resource} update`, { id: record.id });
		expect(updated.status).toBe(200);
		expect(emulator.apiRequests()[0].body).toEqual([{ id: record.id, ...c.updateBody }]);
		const again = await stack.run(`${c.resource} get`, { id: record.id });
		expect(again.body[0]).toMatchObject(c.updateBody);

		const list = await stack.run(`${c.resource} getAll`);
		expect(list.body.map((r: { id: unknown }) => r.id)).toContain(record.id);

		// keep the client and site for the resources that need them; delete the rest here
		if (c.resource === 'client' || c.resource === 'site') return;
		emulator.clearLog();
		const deleted = await stack.run(`${c.resource} delete`, { id: record.id });
		expect(deleted.body).toEqual([{ id: record.id, deleted: true }]);
		expect(emulator.apiRequests().map((r) => r.route)).toEqual([`DELETE /api/${c.route}/:id`]);
		const gone = await stack.runItems(`${c.resource} get`, { id: record.id });
		expect(gone[0].error?.message).toMatch(/was not found in HaloPSA \(404\)$/);
		expect(gone[0].pairedItem).toEqual({ item: 0 });
		expect(gone[0].error?.message).toContain('was not found in HaloPSA (404)');
	});
});

test('site and client delete, after their dependants are gone', async () => {
	for (const [resource, id] of [['site', ctx.site_id], ['client', ctx.client_id]] as const) {
		const deleted = await stack.run(`${resource} delete`, { id });
		expect(deleted.body).toEqual([{ id, deleted: true }]);
		const gone = await stack.runItems(`${resource} get`, { id });
		expect(gone[0].error?.message).toMatch(/was not found in HaloPSA \(404\)$/);
		expect(gone[0].pairedItem).toEqual({ item: 0 });
	}
});

test('agents: get, get many with a limit', async () => {
	const one = await stack.run('agent get', { id: 1 });
	expect(one.body).toEqual([expect.objectContaining({ id: 1 })]);
	stack.emulator.clearLog();
	const two = await stack.run('agent getAll');
	expect(two.body).toHaveLength(2);
	expect(stack.emulator.apiRequests().map((r) => [r.route, r.query])).toEqual([['GET /api/agent', {}]]);
});

test.each(['ticketType', 'status', 'priority', 'team', 'category', 'assetType', 'outcome'])('lookup %s: bare array, one item per row', async (lookup) => {
	const direct = await halo.get(`/${lookup.charAt(0).toUpperCase()}${lookup.slice(1)}`);
	const result = await stack.run(`lookup ${lookup}`);
	expect(result.body).toEqual(direct);
});

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
		{ note_html: '<p>Rebooted the printer</p>', outcome_id: 7, hiddenfromuser: true, timetaken: 0.5, new_status: newStatus, ticket_id: ticket.id },
	]);
	expect((await halo.get(`/Tickets/${ticket.id}`)).status_id).toBe(newStatus);

	emulator.clearLog();
	const got = await stack.run('action get', { ticket_id: ticket.id, id: action.id });
	expect(got.body).toEqual([expect.objectContaining({ id: action.id, ticket_id: ticket.id })]);
	expect(emulator.apiRequests().map((r) => [r.route, r.query])).toEqual([['GET /api/actions/:id', { ticket_id: String(ticket.id) }]]);

	const list = await stack.run('action getAll', { ticket_id: ticket.id });
	expect(list.body.map((a: { id: number }) => a.id)).toContain(action.id);
	for (const a of list.body) expect(a.ticket_id).toBe(ticket.id);

	emulator.clearLog();
	const deleted = await stack.run('action delete', { ticket_id: ticket.id, id: action.id });
	expect(deleted.body).toEqual([{ id: action.id, deleted: true }]);
	expect(emulator.apiRequests().map((r) => [r.method, r.route, r.query])).toEqual([['DELETE', 'DELETE /api/actions/:id', { ticket_id: String(ticket.id) }]]);
	const gone = await stack.runItems('action get', { ticket_id: ticket.id, id: action.id });
	expect(gone[0].error?.message).toMatch(/was not found in HaloPSA \(404\)$/);
		expect(gone[0].pairedItem).toEqual({ item: 0 });
});
