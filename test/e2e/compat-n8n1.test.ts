/**
 * The package installs, loads and works in n8n 1.x too (the last 1.x line, 1.123), not only in
 * the 2.x the other e2e files use: credential and token, a write, paging with the node's
 * pagination function, a dropdown's error path, and the trigger's registration and delivery.
 */
import { N8N_1X_VERSION } from './harness';
import { byId, CREDENTIAL_ID, startStack, type Stack } from './stack';
import { triggerWorkflowJson } from './workflows';

jest.setTimeout(600_000);

const TRIGGER_WF = 'compattrigger';
const body = (name: string) => `={{ $json.body.${name} }}`;

let stack: Stack;

beforeAll(async () => {
	stack = await startStack(
		'compat',
		[
			{ name: 'Current agent', parameters: { resource: 'agent', operation: 'getCurrent' } },
			{
				name: 'Create',
				parameters: {
					resource: 'ticket',
					operation: 'create',
					summary: body('summary'),
					ticketTypeId: 1,
					additionalFields: { client_id: 1 },
				},
			},
			{
				name: 'Get',
				continueOnFail: true,
				parameters: { resource: 'ticket', operation: 'get', ticketId: byId(body('id')) },
			},
			{ name: 'Get Many', parameters: { resource: 'ticket', operation: 'getAll', returnAll: true, filters: {} } },
		],
		{
			n8nVersion: N8N_1X_VERSION,
			emulator: { extraTickets: 150 },
			extraWorkflows: [triggerWorkflowJson(TRIGGER_WF, CREDENTIAL_ID, [0])],
		},
	);
	// n8n activates the trigger workflow in the background after start-up
	for (let i = 0; i < 120 && stack.emulator.store.count('webhooks') === 0; i++)
		await new Promise((r) => setTimeout(r, 250));
});

afterAll(async () => await stack?.stop());

test(`n8n ${N8N_1X_VERSION}: one token serves several executions`, async () => {
	const { emulator } = stack;
	emulator.clearLog();
	for (let i = 0; i < 3; i++)
		expect((await stack.run('Current agent')).body).toEqual([expect.objectContaining({ id: 1 })]);
	expect(emulator.tokenRequests().length).toBeLessThanOrEqual(1);
	expect(emulator.apiRequests().map((r) => `${r.route} ${r.status}`)).toEqual(Array(3).fill('GET /api/agent/me 200'));
});

test(`n8n ${N8N_1X_VERSION}: create, get, a clear 404, and Get Many paging on the rows Halo returns`, async () => {
	const { emulator } = stack;
	emulator.clearLog();
	const created = (await stack.run('Create', { summary: 'from n8n 1.x' })).body[0];
	expect(emulator.apiRequests()[0].body).toEqual([{ summary: 'from n8n 1.x', tickettype_id: 1, client_id: 1 }]);
	expect((await stack.run('Get', { id: created.id })).body[0]).toMatchObject({
		id: created.id,
		summary: 'from n8n 1.x',
	});
	const missing = await stack.runItems('Get', { id: 999999 });
	expect(missing[0].error?.message).toBe('Ticket 999999 was not found in HaloPSA (404)');

	const open = emulator.store.tickets().filter((t) => !t.deleted).length;
	emulator.clearLog();
	const all = await stack.run('Get Many');
	expect(all.body).toHaveLength(open);
	expect(emulator.apiRequests().map((r) => r.query.page_no)).toEqual(['1', '2']);
});

test(`n8n ${N8N_1X_VERSION}: the trigger registers its webhook and a delivery starts the workflow`, async () => {
	const { emulator, n8n } = stack;
	const hook = emulator.store.list('webhooks')[0];
	expect(hook?.url).toBe(`${n8n.url}/webhook/${TRIGGER_WF}-hook/webhook`);
	const before = await n8n.latestExecutionId(TRIGGER_WF);
	expect(await emulator.fireWebhooks({ eventno: 0, ticket_id: 1 })).toEqual([expect.objectContaining({ status: 200 })]);
	expect((await n8n.nodeItems(TRIGGER_WF, 'HaloPSA Trigger', before))[0].json).toMatchObject({
		event: 'new ticket logged',
		object_id: 1,
	});
});
