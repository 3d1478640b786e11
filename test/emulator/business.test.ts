/**
 * The emulator's business objects, as Halo serves them (paths and fields from openapi.json,
 * envelopes from the evidence noted in emulator/resources.ts): list envelope or bare array,
 * paging capped at 100, POST of an array, required fields refused with a 400, the permission
 * each needs, Invoice void, and tickets / opportunities / projects as one table.
 */
import { DEFAULT_CLIENT, startEmulator, type Emulator } from '../../emulator';
import { haloClient, type HaloClient } from '../halo-client';

let emulator: Emulator;
let halo: HaloClient;

beforeEach(async () => {
	emulator = await startEmulator({ quiet: true, tenant: null });
	halo = haloClient(emulator);
});
afterEach(async () => await emulator.stop());

interface Case {
	path: string;
	/** envelope key; undefined = bare array */
	key?: string;
	paged: boolean;
	permission: string;
	create: Record<string, unknown>;
	/** the field left out to get Halo's 400, and words of the refusal */
	missing: [string, RegExp];
}

const cases: Case[] = [
	{
		path: '/ClientContract',
		key: 'contracts',
		paged: true,
		permission: 'contracts',
		create: { client_id: 1, ref: 'C-1' },
		missing: ['ref', /Contract Ref/],
	},
	{
		path: '/Invoice',
		key: 'invoices',
		paged: true,
		permission: 'invoices',
		create: { client_id: 1, lines: [{ qty_order: 2, unit_price: 5 }] },
		missing: ['client_id', /client_id/],
	},
	{
		path: '/RecurringInvoice',
		key: 'invoices',
		paged: true,
		permission: 'invoices',
		create: { client_id: 1 },
		missing: ['client_id', /client_id/],
	},
	{
		path: '/Quotation',
		key: 'quotes',
		paged: true,
		permission: 'quotes',
		create: { client_id: 1, title: 'Q' },
		missing: ['client_id', /client_id/],
	},
	{
		path: '/SalesOrder',
		key: 'salesorders',
		paged: true,
		permission: 'sos',
		create: { client_id: 1 },
		missing: ['client_id', /client_id/],
	},
	{
		path: '/PurchaseOrder',
		key: 'purchaseorders',
		paged: true,
		permission: 'pos',
		create: { supplier_id: 1 },
		missing: ['supplier_id', /supplier_id/],
	},
	{
		path: '/Item',
		key: 'items',
		paged: true,
		permission: 'items',
		create: { name: 'Widget' },
		missing: ['name', /name/],
	},
	{
		path: '/Supplier',
		key: 'suppliers',
		paged: true,
		permission: 'suppliers',
		create: { name: 'Acme Supply' },
		missing: ['name', /name/],
	},
	{
		path: '/Opportunities',
		key: 'tickets',
		paged: true,
		permission: 'crm',
		create: { summary: 'Deal', client_id: 1 },
		missing: ['summary', /Summary/],
	},
	{
		path: '/Projects',
		key: 'tickets',
		paged: true,
		permission: 'projects',
		create: { summary: 'Move', client_id: 1 },
		missing: ['client_id', /client_id/],
	},
	{
		path: '/CRMNote',
		key: 'crmnotes',
		paged: false,
		permission: 'crm',
		create: { client_id: 1, note: 'Called' },
		missing: ['note', /Note/],
	},
	{
		path: '/SoftwareLicence',
		key: 'licences',
		paged: true,
		permission: 'softwarelicensing',
		create: { name: 'M365', client_id: 1 },
		missing: ['client_id', /client_id/],
	},
	{
		path: '/KBArticle',
		key: 'articles',
		paged: true,
		permission: 'kb',
		create: { name: 'How to' },
		missing: ['name', /name/],
	},
	{
		path: '/Appointment',
		key: 'appointments',
		paged: true,
		permission: 'calendar',
		create: { subject: 'Visit', start_date: '2026-01-05T09:00:00Z', end_date: '2026-01-05T10:00:00Z' },
		missing: ['end_date', /end_date/],
	},
	{
		path: '/TimesheetEvent',
		paged: false,
		permission: 'timesheets',
		create: { agent_id: 2, start_date: '2026-01-05T09:00:00Z', end_date: '2026-01-05T10:00:00Z' },
		missing: ['agent_id', /agent_id/],
	},
];

test.each(cases)('$path: envelope, POST array of two, get, update, delete, 400 without $missing.0', async (c) => {
	const list = await halo.get(c.path);
	const rows = c.key ? list[c.key] : list;
	expect(Array.isArray(rows)).toBe(true);
	if (c.key) expect(list.record_count).toBe(rows.length);

	const two = await halo.post(c.path, [c.create, c.create]);
	expect(two).toHaveLength(2);
	const [first] = two;
	expect(Number.isInteger(first.id)).toBe(true);
	expect(await halo.get(`${c.path}/${first.id}`)).toMatchObject({ id: first.id });

	const changed = await halo.post(c.path, [{ id: first.id, notes: 'changed' }]);
	expect(changed).toMatchObject({ id: first.id, notes: 'changed' });

	expect((await halo.request('DELETE', `${c.path}/${first.id}`)).status).toBe(200);
	expect((await halo.request('GET', `${c.path}/${first.id}`)).status).toBe(404);

	const { [c.missing[0]]: _left, ...incomplete } = c.create;
	const refused = await halo.request('POST', c.path, [incomplete]);
	expect(refused.status).toBe(400);
	expect(JSON.stringify(refused.body)).toMatch(c.missing[1]);
});

test.each(cases.filter((c) => c.paged))('$path pages with pageinate/page_size/page_no, capped at 100', async (c) => {
	await halo.post(
		c.path,
		Array.from({ length: 105 }, () => c.create),
	);
	const total = (await halo.get(c.path)).record_count;
	const page = await halo.get(`${c.path}?pageinate=true&page_size=500&page_no=2`);
	expect(page[c.key as string]).toHaveLength(Math.min(100, total - 100));
	expect(page).toMatchObject({ page_no: 2, page_size: 100, record_count: total });
});

test.each(cases)('$path needs read:$permission to read and edit:$permission to write', async (c) => {
	emulator.addClient({ clientId: 'reader', clientSecret: 'reader-secret', scopes: [`read:${c.permission}`] });
	const form = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: 'reader',
		client_secret: 'reader-secret',
		scope: 'all',
	});
	const token = (
		(await (await fetch(`${emulator.authUrl}/token`, { method: 'POST', body: form })).json()) as {
			access_token: string;
		}
	).access_token;
	const call = async (method: string) =>
		await fetch(`${emulator.apiUrl}${c.path}`, {
			method,
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: method === 'POST' ? JSON.stringify([c.create]) : undefined,
		});
	expect((await call('GET')).status).toBe(200);
	const write = await call('POST');
	expect(write.status).toBe(403);
	expect(JSON.stringify(await write.json())).toContain(`edit:${c.permission}`);
	expect(DEFAULT_CLIENT.scopes).toEqual(['all']);
});

test('Invoice void: POST /Invoice/{id}/void zeroes the balance and marks it voided; other verbs are 404', async () => {
	const invoice = await halo.post('/Invoice', [{ client_id: 1, lines: [{ qty_order: 3, unit_price: 10 }] }]);
	expect(invoice.total).toBe(30);
	const voided = await halo.post(`/Invoice/${invoice.id}/void`, undefined);
	expect(voided).toMatchObject({ id: invoice.id, voided: true, amountdue: 0 });
	expect((await halo.request('POST', `/Invoice/${invoice.id}/approve`)).status).toBe(404);
	expect((await halo.request('POST', '/Invoice/999999/void')).status).toBe(404);
	expect(emulator.apiRequests().map((r) => r.route)).toContain('POST /api/invoice/:id/void');
});

test('tickets, opportunities and projects are one table told apart by domain', async () => {
	const opportunity = await halo.post('/Opportunities', [{ summary: 'Upsell', client_id: 1 }]);
	expect(opportunity.domain).toBe('opps');
	expect((await halo.request('GET', `/Tickets/${opportunity.id}`)).status).toBe(404);
	expect((await halo.get('/Opportunities')).tickets.every((t: { domain: string }) => t.domain === 'opps')).toBe(true);
	expect((await halo.get('/Tickets?count=500')).tickets.some((t: { id: number }) => t.id === opportunity.id)).toBe(
		false,
	);
});

test('timesheets are read only: a bare array, one per agent and day, with their events', async () => {
	const sheets = await halo.get('/Timesheet');
	expect(Array.isArray(sheets)).toBe(true);
	expect(await halo.get(`/Timesheet/${sheets[0].id}?agent_id=${sheets[0].agent_id}`)).toMatchObject({
		id: sheets[0].id,
		events: expect.any(Array),
	});
	expect((await halo.request('POST', '/Timesheet', [{ agent_id: 2 }])).status).toBe(403);
});
