/**
 * Tickets in a real n8n against the emulator: the create -> get -> update -> get -> delete ->
 * get(404) cycle, paging at 0/1/100/101/250 records and a limit of 150, filters, and the
 * requests the emulator received for each.
 */
import { haloClient, type HaloClient } from '../halo-client';
import { byId, startStack, type Stack } from './stack';

jest.setTimeout(300_000);

let stack: Stack;
let halo: HaloClient;

const body = (name: string) => `={{ $json.body.${name} }}`;

beforeAll(async () => {
	stack = await startStack('tickets', [
		{
			name: 'Create',
			parameters: {
				resource: 'ticket',
				operation: 'create',
				summary: body('summary'),
				ticketTypeId: body('tickettype_id'),
				additionalFields: {
					client_id: body('client_id'),
					site_id: body('site_id'),
					details_html: '<p>Printer offline</p>',
					impact: 2,
					customFieldsUi: { field: [{ id: 5, value: 'from n8n' }] },
					extraFieldsJson: '={{ JSON.stringify($json.body.extra ?? {}) }}',
				},
			},
		},
		{
			name: 'Get',
			continueOnFail: true,
			parameters: {
				resource: 'ticket',
				operation: 'get',
				ticketId: byId(body('id')),
				options: { includedetails: true },
			},
		},
		{
			name: 'Update',
			parameters: {
				resource: 'ticket',
				operation: 'update',
				ticketId: byId(body('id')),
				updateFields: { summary: body('summary'), impact: 0, dont_do_rules: false },
			},
		},
		{
			name: 'Delete',
			parameters: {
				resource: 'ticket',
				operation: 'delete',
				ticketId: byId(body('id')),
				options: { reason: 'duplicate' },
			},
		},
		{
			name: 'Get Many',
			parameters: {
				resource: 'ticket',
				operation: 'getAll',
				returnAll: true,
				filters: { client_id: body('client_id') },
			},
		},
		{
			name: 'Get Many Limit',
			parameters: {
				resource: 'ticket',
				operation: 'getAll',
				returnAll: false,
				limit: body('limit'),
				filters: { client_id: body('client_id') },
			},
		},
		{
			name: 'Get Many Filtered',
			parameters: {
				resource: 'ticket',
				operation: 'getAll',
				returnAll: true,
				filters: {
					status: body('status'),
					requesttype: body('requesttype'),
					open_only: true,
					datesearch: 'dateoccured',
					startdate: body('startdate'),
					enddate: body('enddate'),
					order: 'id',
					orderdesc: true,
				},
			},
		},
	]);
	halo = haloClient(stack.emulator, 'acme');
});

afterAll(async () => await stack?.stop());

async function seedClient(name: string, tickets: number): Promise<{ clientId: number; siteId: number }> {
	const client = await halo.post('/Client', [{ name }]);
	const site = await halo.post('/Site', [{ name: `${name} HQ`, client_id: client.id }]);
	const types = await halo.get('/TicketType');
	for (let start = 0; start < tickets; start += 100) {
		const batch = Array.from({ length: Math.min(100, tickets - start) }, (_, i) => ({
			summary: `${name} ticket ${start + i + 1}`,
			tickettype_id: types[0].id,
			client_id: client.id,
			site_id: site.id,
		}));
		await halo.post('/Tickets', batch);
	}
	return { clientId: client.id, siteId: site.id };
}

test('create -> get -> update -> get -> delete -> get (404)', async () => {
	const { emulator } = stack;
	const { clientId, siteId } = await seedClient('Cycle Ltd', 0);
	const types = await halo.get('/TicketType');

	emulator.clearLog();
	const created = await stack.run('Create', {
		summary: 'Printer offline',
		tickettype_id: types[0].id,
		client_id: clientId,
		site_id: siteId,
		extra: { dont_do_rules: true, urgency: 3 },
	});
	expect(created.status).toBe(200);
	expect(created.body).toHaveLength(1);
	const ticket = created.body[0];
	expect(ticket).toMatchObject({
		summary: 'Printer offline',
		client_id: clientId,
		site_id: siteId,
		tickettype_id: types[0].id,
	});
	const post = emulator.apiRequests().filter((r) => r.method === 'POST');
	expect(post).toHaveLength(1);
	expect(post[0].route).toBe('POST /api/tickets');
	expect(post[0].body).toEqual([
		{
			summary: 'Printer offline',
			tickettype_id: types[0].id,
			client_id: clientId,
			site_id: siteId,
			details_html: '<p>Printer offline</p>',
			impact: 2,
			customfields: [{ id: 5, value: 'from n8n' }],
			dont_do_rules: true,
			urgency: 3,
		},
	]);

	emulator.clearLog();
	const got = await stack.run('Get', { id: ticket.id });
	expect(got.body).toEqual([expect.objectContaining({ id: ticket.id, summary: 'Printer offline' })]);
	expect(emulator.apiRequests().map((r) => [r.route, r.query])).toEqual([
		['GET /api/tickets/:id', { includedetails: 'true' }],
	]);

	emulator.clearLog();
	const updated = await stack.run('Update', { id: ticket.id, summary: 'Printer back online' });
	expect(updated.body).toEqual([expect.objectContaining({ id: ticket.id, summary: 'Printer back online', impact: 0 })]);
	expect(emulator.apiRequests()[0].body).toEqual([
		{ id: ticket.id, summary: 'Printer back online', impact: 0, dont_do_rules: false },
	]);

	const again = await stack.run('Get', { id: ticket.id });
	expect(again.body[0]).toMatchObject({ summary: 'Printer back online', impact: 0, urgency: 3, client_id: clientId });

	emulator.clearLog();
	const deleted = await stack.run('Delete', { id: ticket.id });
	expect(deleted.body).toEqual([{ id: ticket.id, deleted: true }]);
	expect(emulator.apiRequests().map((r) => [r.method, r.route, r.query])).toEqual([
		['DELETE', 'DELETE /api/tickets/:id', { reason: 'duplicate' }],
	]);

	const gone = await stack.runItems('Get', { id: ticket.id });
	expect(gone).toHaveLength(1);
	expect(gone[0].error).toMatchObject({
		message: `Ticket ${ticket.id} was not found in HaloPSA (404)`,
		name: 'NodeApiError',
	});
	expect(gone[0].error.description).toContain('Check the ID');
});

describe('Get Many pages on the rows Halo returns', () => {
	test.each([
		[0, 1],
		[1, 1],
		// a full last page is followed by one more request, which comes back empty (record_count is not trusted)
		[100, 2],
		[101, 2],
		[250, 3],
	])('%i tickets -> %i page request(s), one item each', async (count, pages) => {
		const { emulator } = stack;
		const { clientId } = await seedClient(`Paging ${count}`, count);
		emulator.clearLog();
		const result = await stack.run('Get Many', { client_id: clientId });
		expect(result.status).toBe(200);
		const items = result.body;
		expect(items).toHaveLength(count);
		expect(new Set(items.map((t: { id: number }) => t.id)).size).toBe(count);
		for (const item of items) expect(item.client_id).toBe(clientId);
		const requests = emulator.apiRequests();
		expect(requests).toHaveLength(pages);
		requests.forEach((request, index) => {
			expect(request.route).toBe('GET /api/tickets');
			expect(request.query).toEqual({
				client_id: String(clientId),
				pageinate: 'true',
				page_size: '100',
				page_no: String(index + 1),
			});
		});
	});

	test('a limit of 150 out of 250 returns exactly 150 from two pages', async () => {
		const { emulator } = stack;
		const { clientId } = await seedClient('Limit 150', 250);
		emulator.clearLog();
		const result = await stack.run('Get Many Limit', { client_id: clientId, limit: 150 });
		expect(result.body).toHaveLength(150);
		expect(emulator.apiRequests().map((r) => r.query.page_no)).toEqual(['1', '2']);
	});

	test('a limit of 30 asks for a page of 30', async () => {
		const { emulator } = stack;
		const { clientId } = await seedClient('Limit 30', 40);
		emulator.clearLog();
		const result = await stack.run('Get Many Limit', { client_id: clientId, limit: 30 });
		expect(result.body).toHaveLength(30);
		expect(emulator.apiRequests().map((r) => [r.query.page_size, r.query.page_no])).toEqual([['30', '1']]);
	});
});

test('filters are sent under their Halo names and really filter', async () => {
	const { emulator } = stack;
	const statuses = await halo.get('/Status');
	const types = await halo.get('/TicketType');
	const all = await halo.get('/Tickets?pageinate=true&page_size=100&page_no=1');
	const sample = all.tickets[0];
	emulator.clearLog();
	const result = await stack.run('Get Many Filtered', {
		status: [statuses[0].id, statuses[1].id],
		requesttype: [types[0].id],
		startdate: '2000-01-01T00:00:00Z',
		enddate: '2100-01-01T00:00:00Z',
	});
	expect(result.status).toBe(200);
	const query = emulator.apiRequests()[0].query;
	expect(query).toMatchObject({
		status: `${statuses[0].id},${statuses[1].id}`,
		requesttype: String(types[0].id),
		open_only: 'true',
		datesearch: 'dateoccured',
		startdate: '2000-01-01T00:00:00Z',
		enddate: '2100-01-01T00:00:00Z',
		order: 'id',
		orderdesc: 'true',
	});
	const rows = result.body.filter((r: { id?: number }) => r.id);
	for (const row of rows) {
		expect([statuses[0].id, statuses[1].id]).toContain(row.status_id);
		expect(row.tickettype_id).toBe(types[0].id);
	}
	const ids = rows.map((r: { id: number }) => r.id);
	expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
	expect(sample).toBeDefined();
});
