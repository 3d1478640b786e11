/**
 * The business objects (contracts, invoices, quotes, orders, items, suppliers, CRM, projects,
 * licences, KB, calendar, time) and the Custom API Call in a real n8n against the emulator: one
 * workflow walks every resource, and each request is checked in the emulator's log.
 */
import { haloClient, type HaloClient } from '../halo-client';
import { cycleCases, deleteAndCheck, fromBody as body, runCycle, type Cycle } from './cycles';
import { byId, startStack, type Stack } from './stack';
import type { NodeCase } from './workflows';

jest.setTimeout(600_000);

const start = '2026-03-02T09:00:00.000Z';
const end = '2026-03-02T10:30:00.000Z';

const cycles: Cycle[] = [
	{
		resource: 'contract',
		route: 'clientcontract',
		create: { clientId: 1, ref: 'N8N-GOLD', additionalFields: { periodchargeamount: 1200, rollingcontract: true } },
		createBody: () => ({ client_id: 1, ref: 'N8N-GOLD', periodchargeamount: 1200, rollingcontract: true }),
		update: { updateFields: { ref: 'N8N-PLATINUM', dontinvoice: true } },
		updateBody: { ref: 'N8N-PLATINUM', dontinvoice: true },
	},
	{
		resource: 'invoice',
		route: 'invoice',
		keep: true,
		create: {
			clientId: 1,
			additionalFields: {
				reference: 'n8n test',
				linesUi: { line: [{ item_shortdescription: 'Support hours', qty_order: 2, unit_price: 60 }] },
			},
		},
		createBody: () => ({
			client_id: 1,
			reference: 'n8n test',
			lines: [{ item_shortdescription: 'Support hours', qty_order: 2, unit_price: 60 }],
		}),
		update: { updateFields: { notes_1: 'Thank you for your business' } },
		updateBody: { notes_1: 'Thank you for your business' },
		deleteOptions: { bypass_accounts_sync: true },
		deleteQuery: { bypass_accounts_sync: 'true' },
	},
	{
		resource: 'recurringInvoice',
		route: 'recurringinvoice',
		create: { clientId: 2, additionalFields: { reference: 'Monthly n8n', disabled: false } },
		createBody: () => ({ client_id: 2, reference: 'Monthly n8n', disabled: false }),
		update: { updateFields: { disabled: true } },
		updateBody: { disabled: true },
		deleteOptions: { bypass_accounts_sync: false },
		deleteQuery: { bypass_accounts_sync: 'false' },
	},
	{
		resource: 'quotation',
		route: 'quotation',
		create: {
			clientId: 1,
			additionalFields: {
				title: 'Firewall upgrade',
				linesUi: { line: [{ item_id: 1, description: 'Firewall', baseprice: 900 }] },
			},
		},
		createBody: () => ({
			client_id: 1,
			title: 'Firewall upgrade',
			lines: [{ item_id: 1, description: 'Firewall', baseprice: 900 }],
		}),
		update: { updateFields: { po_ref: 'PO-778' } },
		updateBody: { po_ref: 'PO-778' },
	},
	{
		resource: 'salesOrder',
		route: 'salesorder',
		create: { clientId: 3, additionalFields: { title: 'Firewall order', po_number: 'PO-9' } },
		createBody: () => ({ client_id: 3, title: 'Firewall order', po_number: 'PO-9' }),
		update: { updateFields: { note: 'Ship to reception' } },
		updateBody: { note: 'Ship to reception' },
	},
	{
		resource: 'purchaseOrder',
		route: 'purchaseorder',
		create: { supplierId: 1, additionalFields: { title: 'Stock firewalls', client_id: 1 } },
		createBody: () => ({ supplier_id: 1, title: 'Stock firewalls', client_id: 1 }),
		update: { updateFields: { po_ref: 'SUP-55' } },
		updateBody: { po_ref: 'SUP-55' },
	},
	{
		resource: 'item',
		route: 'item',
		create: { name: 'Firewall appliance', additionalFields: { baseprice: 900, costprice: 600, supplier_id: 1 } },
		createBody: () => ({ name: 'Firewall appliance', baseprice: 900, costprice: 600, supplier_id: 1 }),
		update: { updateFields: { baseprice: 950 } },
		updateBody: { baseprice: 950 },
	},
	{
		resource: 'supplier',
		route: 'supplier',
		create: { name: 'Pax8', additionalFields: { email_address: 'orders@pax8.example' } },
		createBody: () => ({ name: 'Pax8', email_address: 'orders@pax8.example' }),
		update: { updateFields: { phone_number: '555-0142' } },
		updateBody: { phone_number: '555-0142' },
	},
	{
		resource: 'opportunity',
		route: 'opportunities',
		create: { summary: 'Managed backup for Initech', ticketTypeId: 1, additionalFields: { client_id: 3 } },
		createBody: () => ({ summary: 'Managed backup for Initech', tickettype_id: 1, client_id: 3 }),
		update: { updateFields: { details: 'Budget approved' } },
		updateBody: { details: 'Budget approved' },
	},
	{
		resource: 'project',
		route: 'projects',
		create: { summary: 'Office move', ticketTypeId: 1, additionalFields: { client_id: 1 } },
		createBody: () => ({ summary: 'Office move', tickettype_id: 1, client_id: 1 }),
		update: { updateFields: { agent_id: 3 } },
		updateBody: { agent_id: 3 },
	},
	{
		resource: 'crmNote',
		route: 'crmnote',
		create: { clientId: 2, note: 'Discussed renewal', additionalFields: { timetaken: 0.25 } },
		createBody: () => ({ client_id: 2, note: 'Discussed renewal', timetaken: 0.25 }),
		update: { updateFields: { note: 'Renewal agreed' } },
		updateBody: { note: 'Renewal agreed' },
	},
	{
		resource: 'softwareLicence',
		route: 'softwarelicence',
		create: { name: 'Microsoft 365 E3', clientId: 1, additionalFields: { count: 40, vendor: 'Microsoft' } },
		createBody: () => ({ name: 'Microsoft 365 E3', client_id: 1, count: 40, vendor: 'Microsoft' }),
		update: { updateFields: { count: 42 } },
		updateBody: { count: 42 },
	},
	{
		resource: 'kbArticle',
		route: 'kbarticle',
		create: {
			title: 'Reset MFA',
			additionalFields: { description: 'Open Entra, pick the user, Require re-register MFA.' },
		},
		createBody: () => ({ name: 'Reset MFA', description: 'Open Entra, pick the user, Require re-register MFA.' }),
		update: { updateFields: { tag_string: 'mfa,entra' } },
		updateBody: { tag_string: 'mfa,entra' },
	},
	{
		resource: 'appointment',
		route: 'appointment',
		create: {
			subject: 'Onsite: firewall install',
			startDate: start,
			endDate: end,
			additionalFields: { agent_id: 2, client_id: 1 },
		},
		createBody: () => ({
			subject: 'Onsite: firewall install',
			start_date: start,
			end_date: end,
			agent_id: 2,
			client_id: 1,
		}),
		update: { updateFields: { is_private: true } },
		updateBody: { is_private: true },
	},
	{
		resource: 'timeEntry',
		route: 'timesheetevent',
		create: {
			agentId: 2,
			startDate: start,
			endDate: end,
			additionalFields: { ticket_id: 1, subject: 'Firewall install' },
		},
		createBody: () => ({ agent_id: 2, start_date: start, end_date: end, ticket_id: 1, subject: 'Firewall install' }),
		update: { updateFields: { note: 'Took longer than planned' } },
		updateBody: { note: 'Took longer than planned' },
	},
];

const cases: NodeCase[] = [
	...cycleCases(cycles),
	{ name: 'invoice void', parameters: { resource: 'invoice', operation: 'void', invoiceId: byId(body('id')) } },
	{ name: 'timesheet getAll', parameters: { resource: 'timesheet', operation: 'getAll', returnAll: true } },
	{
		name: 'timesheet get',
		parameters: { resource: 'timesheet', operation: 'get', timesheetId: byId(body('id')), options: { agent_id: 2 } },
	},
	{
		name: 'custom get all',
		parameters: {
			resource: 'customApiCall',
			operation: 'call',
			method: 'GET',
			path: '/Client',
			returnAll: true,
			queryParameters: { parameter: [{ name: 'includeinactive', value: 'true' }] },
		},
	},
	{
		name: 'custom get one',
		parameters: { resource: 'customApiCall', operation: 'call', method: 'GET', path: '/api/Tickets/1' },
	},
	{
		name: 'custom post',
		parameters: {
			resource: 'customApiCall',
			operation: 'call',
			method: 'POST',
			path: '/Supplier',
			jsonBody: '[{"name": "Custom Supplier"}]',
		},
	},
	{
		name: 'custom elsewhere',
		continueOnFail: true,
		parameters: { resource: 'customApiCall', operation: 'call', method: 'GET', path: body('path') },
	},
];

let stack: Stack;
let halo: HaloClient;
const ctx: Record<string, any> = {};

beforeAll(async () => {
	stack = await startStack('business', cases);
	halo = haloClient(stack.emulator, 'acme');
});

afterAll(async () => await stack?.stop());

describe.each(cycles)('$resource', (c) => {
	test('create -> get -> update -> get -> get many -> delete -> get (404), each request checked', async () => {
		const record = await runCycle(stack, c, ctx);
		if (c.resource === 'invoice') ctx.invoice_id = record.id;
	});
});

test('invoice void: POST /Invoice/{id}/void, then delete keeps bypass_accounts_sync', async () => {
	const { emulator } = stack;
	emulator.clearLog();
	const voided = await stack.run('invoice void', { id: ctx.invoice_id });
	expect(voided.body).toEqual([expect.objectContaining({ id: ctx.invoice_id, voided: true })]);
	expect(emulator.apiRequests().map((r) => [r.method, r.route, r.body])).toEqual([
		['POST', 'POST /api/invoice/:id/void', undefined],
	]);
	await deleteAndCheck(stack, cycles[1], ctx.invoice_id);
});

test('timesheets: read-only get many and get with the agent', async () => {
	const all = await stack.run('timesheet getAll');
	expect(all.body.length).toBeGreaterThan(0);
	stack.emulator.clearLog();
	const one = await stack.run('timesheet get', { id: all.body[0].id });
	expect(one.body).toEqual([expect.objectContaining({ id: all.body[0].id, events: expect.any(Array) })]);
	expect(stack.emulator.apiRequests().map((r) => [r.route, r.query])).toEqual([
		['GET /api/timesheet/:id', { agent_id: '2' }],
	]);
});

describe('Custom API Call', () => {
	test('Return All pages through any list, with the query the user set', async () => {
		for (let i = 0; i < 120; i++) await halo.post('/Client', [{ name: `Bulk client ${i}` }]);
		const total = (await halo.get('/Client?includeinactive=true')).record_count;
		stack.emulator.clearLog();
		const result = await stack.run('custom get all');
		expect(result.body).toHaveLength(total);
		const requests = stack.emulator.apiRequests();
		expect(requests.map((r) => r.query)).toEqual(
			Array.from({ length: Math.ceil(total / 100) }, (_, i) => ({
				includeinactive: 'true',
				pageinate: 'true',
				page_size: '100',
				page_no: String(i + 1),
			})),
		);
	});

	test('a path with /api in front still reaches the Resource Server; POST sends the JSON body as given', async () => {
		const one = await stack.run('custom get one');
		expect(one.body).toEqual([expect.objectContaining({ id: 1 })]);
		stack.emulator.clearLog();
		const posted = await stack.run('custom post');
		expect(posted.body).toEqual([expect.objectContaining({ name: 'Custom Supplier' })]);
		expect(stack.emulator.apiRequests().map((r) => [r.route, r.body])).toEqual([
			['POST /api/supplier', [{ name: 'Custom Supplier' }]],
		]);
	});

	test.each(['http://127.0.0.1:9/steal', '//127.0.0.1:9/steal', '/Tickets/../../auth/token', '/Tickets/%2e%2e/x'])(
		'%s is refused before anything is sent',
		async (path) => {
			stack.emulator.clearLog();
			const items = await stack.runItems('custom elsewhere', { path });
			expect(items[0].error?.message).toMatch(/full URL|leaves the Resource Server path/);
			expect(stack.emulator.log).toEqual([]);
		},
	);
});
