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
/** Manual setup as versions before 0.5.0 saved it: the login as node parameters, no Basic Auth credential */
const LEGACY_WF = 'halolegacy';
const LEGACY_PASSWORD = 'legacy-node-parameter-5d1';
const legacyManualWorkflow = {
	...triggerWorkflowJson(LEGACY_WF, CREDENTIAL_ID, []),
	nodes: [
		{
			...(triggerWorkflowJson(LEGACY_WF, CREDENTIAL_ID, []).nodes[0] as Record<string, unknown>),
			parameters: { setup: 'manual', username: 'halo', password: LEGACY_PASSWORD },
			credentials: {},
		},
	],
};

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
		{ extraWorkflows: [triggerWorkflow, legacyManualWorkflow], credential: { rateLimit: 'none' } },
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

const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function post(url: string, body: string, authorization?: string): Promise<number> {
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	if (authorization) headers.Authorization = authorization;
	return (await fetch(url, { method: 'POST', headers, body })).status;
}

async function until(done: () => boolean | Promise<boolean>, tries = 80): Promise<void> {
	for (let i = 0; i < tries && !(await done()); i++) await new Promise((r) => setTimeout(r, 250));
}

test('a webhook made by hand for the same URL is never deleted; switching to Manual deletes the one it made; Manual checks a Basic Auth credential', async () => {
	const { emulator, n8n } = stack;
	const url = `${n8n.url}/webhook/${TRIGGER_WF}-hook/webhook`;
	const manualPassword = 'manual-setup-password-8e4';
	// someone made a webhook in Halo for this URL by hand (Manual setup, earlier)
	const byHand = await halo.post('/Webhook', [
		{
			name: 'made in Halo',
			url,
			active: true,
			authentication_type: 1,
			basic_username: 'halo',
			basic_password: manualPassword,
			events: [{ eventno: 2 }],
		},
	]);
	const workflow = (await n8n.rest('GET', `/workflows/${TRIGGER_WF}`)).body.data;
	expect((await n8n.rest('POST', `/workflows/${TRIGGER_WF}/activate`, { versionId: workflow.versionId })).status).toBe(
		200,
	);
	await until(() => emulator.store.list('webhooks').length === 2);
	const own = emulator.store.list('webhooks').find((w) => w.id !== byHand.id);
	expect(own).toMatchObject({ url, basic_username: 'n8n' });

	// switch to Manual with n8n's Basic Auth credential, and publish that version
	const credential = await n8n.rest('POST', '/credentials', {
		name: 'Halo webhook login',
		type: 'httpBasicAuth',
		data: { user: 'halo', password: manualPassword },
	});
	expect(credential.status).toBe(200);
	const nodes = workflow.nodes.map((node: any) =>
		node.type === 'n8n-nodes-halopsa.haloPsaTrigger'
			? {
					...node,
					parameters: { setup: 'manual' },
					credentials: { httpBasicAuth: { id: credential.body.data.id, name: 'Halo webhook login' } },
				}
			: node,
	);
	const saved = await n8n.rest('PATCH', `/workflows/${TRIGGER_WF}`, {
		versionId: workflow.versionId,
		nodes,
		connections: workflow.connections,
	});
	expect([saved.status, saved.status === 200 ? '' : JSON.stringify(saved.body).slice(0, 300)]).toEqual([200, '']);
	const published = await n8n.rest('POST', `/workflows/${TRIGGER_WF}/activate`, {
		versionId: saved.body.data.versionId,
	});
	expect([published.status, published.status === 200 ? '' : JSON.stringify(published.body).slice(0, 300)]).toEqual([
		200,
		'',
	]);
	// n8n tears the Automatic version down: its webhook is deleted by id, the hand-made one stays
	await until(() => emulator.store.list('webhooks').length === 1);
	expect(emulator.store.list('webhooks').map((w) => w.id)).toEqual([byHand.id]);
	expect(emulator.store.list('notifications').filter((n) => n.webhook_id === own?.id)).toEqual([]);

	// Halo's delivery through the hand-made webhook carries the credential's login and starts the workflow
	const before = await n8n.latestExecutionId(TRIGGER_WF);
	let delivered: Array<{ status: number }> = [];
	await until(async () => {
		delivered = await emulator.fireWebhooks({ eventno: 2, ticket_id: 3 });
		return delivered[0]?.status !== 404;
	}, 40);
	expect(delivered).toEqual([expect.objectContaining({ webhook_id: byHand.id, status: 200 })]);
	const items = await n8n.nodeItems(TRIGGER_WF, 'HaloPSA Trigger', before);
	expect(items[0].json).toMatchObject({ event: 'ticket status changed', webhook_id: byHand.id, object_id: 3 });

	const afterDelivery = await n8n.latestExecutionId(TRIGGER_WF);
	expect(await post(url, '{"event":"forged"}', basicAuth('halo', 'guess'))).toBe(401);
	expect(await post(url, '{"event":"forged"}', basicAuth('n8n', String(own?.basic_password)))).toBe(401);
	// bodies that are not Halo events: 400, never "duplicate"
	expect(await post(url, '[]', basicAuth('halo', manualPassword))).toBe(400);
	expect(await post(url, 'null', basicAuth('halo', manualPassword))).toBe(400);
	await new Promise((r) => setTimeout(r, 500));
	expect(await n8n.latestExecutionId(TRIGGER_WF)).toBe(afterDelivery);

	// deactivating Manual setup never calls Halo: the hand-made webhook stays
	emulator.clearLog();
	expect((await n8n.rest('POST', `/workflows/${TRIGGER_WF}/deactivate`)).status).toBe(200);
	await new Promise((r) => setTimeout(r, 1000));
	expect(emulator.apiRequests()).toEqual([]);
	expect(emulator.store.list('webhooks').map((w) => w.id)).toEqual([byHand.id]);
	// the workflow, its history and its export never held the password
	const everything = JSON.stringify((await n8n.rest('GET', `/workflows/${TRIGGER_WF}`)).body);
	expect(everything).not.toContain(manualPassword);
});

test('a Manual workflow saved with the password as a node parameter fails activation saying what to do, and lets nothing in', async () => {
	const { n8n } = stack;
	const errors = async () =>
		JSON.stringify([
			(await n8n.rest('GET', `/active-workflows/error/${LEGACY_WF}`)).body,
			(await n8n.rest('GET', `/workflows/${LEGACY_WF}/publication-status`)).body,
		]);
	await until(async () => (await errors()).includes('Basic Auth credential'));
	const reported = await errors();
	expect(reported).toContain('Manual setup has no Basic Auth credential with a user and a password');
	expect(reported).not.toContain(LEGACY_PASSWORD);
	const status = await post(
		`${n8n.url}/webhook/${LEGACY_WF}-hook/webhook`,
		'{"event":"x"}',
		basicAuth('halo', LEGACY_PASSWORD),
	);
	expect([401, 404, 500]).toContain(status);
	expect(await n8n.latestExecutionId(LEGACY_WF)).toBe('');
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
