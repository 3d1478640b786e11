/**
 * The trigger in a real n8n (registration, verified deliveries, batches, deregistration) and
 * the node under Halo's faults: 5xx bursts on Get Many, an inflated record_count, malformed
 * JSON, 429s under a scaled-down rate limit, bad inputs with continue-on-fail.
 */
import { haloClient, type HaloClient } from '../halo-client';
import { byId, CREDENTIAL_ID, startStack, type Stack } from './stack';
import { createTicketsCase, triggerWorkflowJson } from './workflows';

jest.setTimeout(300_000);

const TRIGGER_WF = 'halotrigger';
const triggerWorkflow = triggerWorkflowJson(TRIGGER_WF, CREDENTIAL_ID, [2, 5]);

let stack: Stack;
let halo: HaloClient;
const body = (name: string) => `={{ $json.body.${name} }}`;

beforeAll(async () => {
	stack = await startStack(
		'reliability',
		[
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
				name: 'Get items',
				splitItems: true,
				continueOnFail: true,
				parameters: { resource: 'ticket', operation: 'get', ticketId: byId('={{ $json.id }}') },
			},
			createTicketsCase({ extraFieldsJson: '={{ $json.extra ?? "{}" }}' }),
		],
		{ extraWorkflows: [triggerWorkflow], credential: { rateLimit: 'none' } },
	);
	halo = haloClient(stack.emulator, 'acme');
});

afterAll(async () => await stack?.stop());

describe('trigger', () => {
	test('activation registers a webhook with Basic auth and the chosen events', async () => {
		// n8n activates published workflows in the background after start-up
		for (let i = 0; i < 80 && stack.emulator.store.list('webhooks').length === 0; i++)
			await new Promise((r) => setTimeout(r, 250));
		const hooks = stack.emulator.store.list('webhooks');
		expect(hooks).toHaveLength(1);
		expect(hooks[0]).toMatchObject({ active: true, authentication_type: 1, basic_username: 'n8n' });
		const subscriptions = stack.emulator.store.list('notifications').filter((n) => n.webhook_id === hooks[0].id);
		expect(subscriptions.map((n) => n.eventno)).toEqual([2, 5]);
		expect(hooks[0].url).toBe(`${stack.n8n.url}/webhook/${TRIGGER_WF}-hook/webhook`);
		expect(String(hooks[0].basic_password).length).toBeGreaterThanOrEqual(32);
	});

	test('deliveries start executions with the event and ticket; batches give one item per event', async () => {
		const before = await stack.n8n.latestExecutionId(TRIGGER_WF);
		expect(await stack.emulator.fireWebhooks({ eventno: 2, ticket_id: 3 })).toEqual([
			expect.objectContaining({ status: 200 }),
		]);
		const items = await stack.n8n.nodeItems(TRIGGER_WF, 'HaloPSA Trigger', before);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ event: 'ticket status changed', object_id: 3, ticket: { id: 3 } });

		const beforeBatch = await stack.n8n.latestExecutionId(TRIGGER_WF);
		await stack.emulator.fireWebhooks({ eventno: 5, ticket_id: 4, batch: 3 });
		const batch = await stack.n8n.nodeItems(TRIGGER_WF, 'HaloPSA Trigger', beforeBatch);
		expect(batch.map((i) => i.json.object_id)).toEqual([4, 4, 4]);
	});

	test('a delivery without the right Basic credentials gets 401 and starts nothing', async () => {
		const url = stack.emulator.store.list('webhooks')[0].url;
		const before = await stack.n8n.latestExecutionId(TRIGGER_WF);
		const anonymous = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: '{"event":"forged"}',
		});
		expect(anonymous.status).toBe(401);
		const wrong = await fetch(url, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				Authorization: `Basic ${Buffer.from('n8n:guess').toString('base64')}`,
			},
			body: '{"event":"forged"}',
		});
		expect(wrong.status).toBe(401);
		await new Promise((r) => setTimeout(r, 500));
		expect(await stack.n8n.latestExecutionId(TRIGGER_WF)).toBe(before);
	});

	test('deactivation deletes the webhook and its event subscriptions from Halo', async () => {
		stack.emulator.clearLog();
		const hookId = stack.emulator.store.list('webhooks')[0].id;
		const result = await stack.n8n.rest('POST', `/workflows/${TRIGGER_WF}/deactivate`);
		expect(result.status).toBe(200);
		for (let i = 0; i < 40 && stack.emulator.store.list('webhooks').length > 0; i++)
			await new Promise((r) => setTimeout(r, 250));
		if (stack.emulator.store.list('webhooks').length)
			console.log(
				JSON.stringify(result.body).slice(0, 600),
				stack.emulator.log.map((r) => `${r.route} ${r.status}`),
			);
		expect(stack.emulator.store.list('webhooks')).toHaveLength(0);
		expect(stack.emulator.store.list('notifications').filter((n) => n.webhook_id === hookId)).toEqual([]);
		const routes = stack.emulator.apiRequests().map((r) => `${r.route} ${r.status}`);
		expect(routes.filter((r) => r.startsWith('DELETE'))).toEqual([
			'DELETE /api/notification/:id 200',
			'DELETE /api/notification/:id 200',
			'DELETE /api/webhook/:id 200',
		]);
	});
});

test('deactivating after the webhook was deleted by hand in Halo is not an error', async () => {
	const { emulator, n8n } = stack;
	const workflow = await n8n.rest('GET', `/workflows/${TRIGGER_WF}`);
	const activated = await n8n.rest('POST', `/workflows/${TRIGGER_WF}/activate`, {
		versionId: workflow.body.data.versionId,
	});
	expect([activated.status, activated.status === 200 ? '' : JSON.stringify(activated.body).slice(0, 300)]).toEqual([
		200,
		'',
	]);
	for (let i = 0; i < 80 && emulator.store.list('webhooks').length === 0; i++)
		await new Promise((r) => setTimeout(r, 250));
	const hook = emulator.store.list('webhooks')[0];
	expect([
		hook?.id,
		emulator
			.apiRequests()
			.map((r) => `${r.route} ${r.status}`)
			.join(', '),
	]).toEqual([expect.any(String), expect.any(String)]);
	// the node keeps the webhook id in the workflow's static data
	const staticData = async () =>
		JSON.stringify((await n8n.rest('GET', `/workflows/${TRIGGER_WF}`)).body.data.staticData ?? {});
	for (let i = 0; i < 40 && !(await staticData()).includes(hook.id); i++) await new Promise((r) => setTimeout(r, 250));
	expect(await staticData()).toContain(hook.id);
	expect((await halo.request('DELETE', `/Webhook/${hook.id}`)).status).toBe(200);
	emulator.clearLog();
	const result = await n8n.rest('POST', `/workflows/${TRIGGER_WF}/deactivate`);
	expect(result.status).toBe(200);
	for (let i = 0; i < 40 && !emulator.apiRequests().some((r) => r.route === 'DELETE /api/webhook/:id'); i++)
		await new Promise((r) => setTimeout(r, 250));
	const deletes = emulator
		.apiRequests()
		.filter((r) => r.method === 'DELETE')
		.map((r) => `${r.route} ${r.status}`);
	// the subscriptions Halo kept are removed; the webhook itself is already gone (404, not an error)
	expect(deletes).toEqual([
		'DELETE /api/notification/:id 200',
		'DELETE /api/notification/:id 200',
		'DELETE /api/webhook/:id 404',
	]);
	expect(emulator.store.list('notifications').filter((n) => n.webhook_id === hook.id)).toEqual([]);
	// n8n saves static data only when the delete hook succeeded: the id is gone
	for (let i = 0; i < 40 && (await staticData()).includes(hook.id); i++) await new Promise((r) => setTimeout(r, 250));
	expect(await staticData()).not.toContain(hook.id);
});

describe('faults', () => {
	test('a 5xx burst on Get Many is retried; an inflated record_count does not make paging loop', async () => {
		const { emulator } = stack;
		emulator.clearLog();
		emulator.injectFault({ method: 'GET', path: '^/api/tickets$', status: 503, times: 2 });
		emulator.injectFault({ method: 'GET', path: '^/api/tickets$', recordCountInflation: 500, times: 5 });
		const result = await stack.run('Get Many', { client_id: 1 });
		expect(result.status).toBe(200);
		const expected = emulator.store.tickets().filter((t) => t.client_id === 1 && !t.deleted).length;
		expect(result.body).toHaveLength(expected);
		expect(
			emulator
				.apiRequests()
				.filter((r) => r.route === 'GET /api/tickets')
				.map((r) => r.status),
			// the inflated record_count claims more rows than the short page: one more page, empty, ends it
		).toEqual([503, 503, 200, 200]);
	});

	test('malformed JSON gives a clear error', async () => {
		stack.emulator.injectFault({ method: 'GET', path: '^/api/tickets/', malformed: true });
		const items = await stack.runItems('Get items', { items: [{ id: 1 }] });
		expect(items[0].error?.message).toBe('HaloPSA answered with something that is not JSON');
	});

	test('429s under a scaled-down limit are waited out: every item succeeds exactly once', async () => {
		const { emulator } = stack;
		emulator.setRateLimit({ max: 10, windowMs: 2000 });
		emulator.clearLog();
		const items = Array.from({ length: 30 }, (_, i) => ({ summary: `rate ${i}` }));
		const result = await stack.runItems('Create items', { items });
		emulator.setRateLimit(null);
		expect(result.filter((i) => i.error)).toEqual([]);
		expect(result.map((i) => i.json.summary).sort()).toEqual(items.map((i) => i.summary).sort());
		const created = emulator.store.list('tickets').filter((t) => String(t.summary).startsWith('rate '));
		expect(created).toHaveLength(30);
		expect(emulator.apiRequests().some((r) => r.status === 429)).toBe(true);
	});

	test('bad inputs give clear errors per item and continue-on-fail keeps the pairing', async () => {
		const got = await stack.runItems('Get items', { items: [{ id: 1 }, { id: 'abc' }, { id: 99999 }] });
		expect(got).toHaveLength(3);
		expect(got[0].json.id).toBe(1);
		expect(got[1].error?.message).toBe('Ticket ID must be a positive whole number, got "abc"');
		expect(got[2].error?.message).toBe('Ticket 99999 was not found in HaloPSA (404)');
		expect(got.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);

		const created = await stack.runItems('Create items', {
			items: [{ summary: 'ok' }, { summary: 'bad json', extra: '{nope' }, { summary: '' }],
		});
		expect(created[0].json.summary).toBe('ok');
		expect(created[1].error?.message).toBe('Extra Fields (JSON) is not valid JSON');
		expect(created[2].error?.message).toContain('Please enter a Summary');
		expect(created[2].error?.description).toContain('Check');
	});

	test('the client secret and tokens never appear in n8n output or logs', async () => {
		const secret = String(stack.credentialData.clientSecret);
		const tokens = stack.emulator.issuedTokens();
		expect(tokens.length).toBeGreaterThan(0);
		const everything = stack.n8n.logs() + JSON.stringify(await stack.n8n.rest('GET', '/executions?limit=100'));
		expect(everything).not.toContain(secret);
		for (const token of tokens) expect(everything).not.toContain(token);
	});
});
