/**
 * The trigger's webhook lifecycle (checkExists, create, delete) and delivery check, against the
 * emulator over real HTTP. n8n calls checkExists before create on every activation, so it must
 * tell a live registration from a stale id in static data; this is where that is proven.
 */
import { createHash } from 'crypto';

import type { IDataObject, IHookFunctions, INode, IWebhookFunctions } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../emulator';
import { HaloPsaTrigger } from '../../nodes/HaloPsa/HaloPsaTrigger.node';
import { authenticatedRequest, haloClient, type HaloClient } from '../halo-client';

const URL_A = 'http://127.0.0.1:5678/webhook/abc/webhook';
const node: INode = {
	id: 't',
	name: 'HaloPSA Trigger',
	type: 'n8n-nodes-halopsa.haloPsaTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const trigger = new HaloPsaTrigger();
const methods = trigger.webhookMethods.default;

let emulator: Emulator;
let halo: HaloClient;
/** what the trigger logged at warn level */
const warnings: string[] = [];

beforeEach(async () => {
	warnings.length = 0;
	emulator = await startEmulator({ quiet: true, tenant: 'acme', seed: 'empty' });
	halo = haloClient(emulator, 'acme');
});
afterEach(async () => await emulator.stop());

/**
 * n8n's credentials for a node, by type, as n8n's getCredentials gives them: a type the node has
 * no credential of throws (n8n's wording).
 */
function credentialsOf(credentials: Record<string, IDataObject>) {
	return async (type: string) => {
		if (!credentials[type]) throw new Error(`Node does not have any credentials set for "${type}"`);
		return credentials[type];
	};
}

/** Manual setup's Basic Auth credential (n8n's httpBasicAuth) */
const BASIC_LOGIN = { httpBasicAuth: { user: 'halo', password: 'typed-in-the-credential' } };

/** n8n's hook context, reduced to what the trigger uses; requests go to the emulator with a real token. */
function hooks(
	parameters: IDataObject,
	staticData: IDataObject,
	webhookUrl = URL_A,
	credentials: Record<string, IDataObject> = {},
): IHookFunctions {
	const httpRequestWithAuthentication = authenticatedRequest(halo);
	return {
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => webhookUrl,
		getWorkflow: () => ({ id: 'wf1', name: 'Unit workflow' }),
		getNode: () => node,
		getCredentials: credentialsOf({
			haloPsaClientCredentialsApi: {
				hostingType: 'hostedHalo',
				urlMode: 'haloUrl',
				haloUrl: emulator.url,
				tenant: 'acme',
			},
			...credentials,
		}),
		logger: { warn: (message: string) => warnings.push(message) },
		helpers: { httpRequestWithAuthentication },
	} as unknown as IHookFunctions;
}

const routes = () => emulator.apiRequests().map((r) => `${r.route} ${r.status}`);

test('checkExists is false without a stored id; create registers the webhook and keeps its id and only a hash of the password', async () => {
	const data: IDataObject = {};
	const ctx = hooks({ setup: 'automatic', events: [2, 5] }, data);
	expect(await methods.checkExists.call(ctx)).toBe(false);
	expect(routes()).toEqual([]);
	expect(await methods.create.call(ctx)).toBe(true);
	expect(data).toEqual({
		webhookId: expect.stringMatching(/^[0-9a-f-]{36}$/),
		username: 'n8n',
		passwordSalt: expect.stringMatching(/^[0-9a-f]{32}$/),
		passwordHash: expect.stringMatching(/^[0-9a-f]{64}$/),
	});
	expect(emulator.apiRequests()[0].body).toEqual([
		expect.objectContaining({
			url: URL_A,
			active: true,
			authentication_type: 1,
			basic_username: 'n8n',
			events: [{ eventno: 2 }, { eventno: 5 }],
		}),
	]);
	// what Halo stored (the emulator's request log does not keep the password)
	const password = String(emulator.store.list('webhooks')[0].basic_password);
	expect(password.length).toBeGreaterThanOrEqual(32);
	// the password went to Halo once; the static data (which n8n's API returns) holds only its salted hash
	expect(JSON.stringify(data)).not.toContain(password);
	expect(createHash('sha256').update(String(data.passwordSalt)).update(password).digest('hex')).toBe(data.passwordHash);
});

test('a password kept in clear by an older version is replaced by its hash on the next activation', async () => {
	const data: IDataObject = {};
	await methods.create.call(hooks({ setup: 'automatic', events: [2] }, data));
	const legacy: IDataObject = { webhookId: data.webhookId, username: 'n8n', password: 'old-clear-password' };
	await methods.checkExists.call(hooks({ setup: 'automatic' }, legacy));
	expect(legacy.password).toBeUndefined();
	expect(JSON.stringify(legacy)).not.toContain('old-clear-password');
	expect(legacy.passwordHash).toEqual(expect.stringMatching(/^[0-9a-f]{64}$/));
});

test('checkExists asks Halo: true for the live registration, false (and forgets the id) once it is gone', async () => {
	const data: IDataObject = {};
	await methods.create.call(hooks({ setup: 'automatic', events: [0] }, data));
	const id = String(data.webhookId);
	emulator.clearLog();
	expect(await methods.checkExists.call(hooks({ setup: 'automatic' }, data))).toBe(true);
	expect(routes()).toEqual(['GET /api/webhook/:id 200']);

	await halo.request('DELETE', `/Webhook/${id}`);
	emulator.clearLog();
	expect(await methods.checkExists.call(hooks({ setup: 'automatic' }, data))).toBe(false);
	expect(routes()).toEqual(['GET /api/webhook/:id 404']);
	expect(data).toEqual({});
});

test('checkExists: its own webhook that no longer reaches this workflow (n8n URL changed) is deleted by its id, not left behind', async () => {
	const data: IDataObject = {};
	await methods.create.call(hooks({ setup: 'automatic', events: [0, 3] }, data));
	emulator.clearLog();
	const moved = hooks({ setup: 'automatic', events: [0, 3] }, data, 'http://127.0.0.1:9999/webhook/abc/webhook');
	expect(await methods.checkExists.call(moved)).toBe(false);
	expect(routes()).toEqual([
		'GET /api/webhook/:id 200',
		'GET /api/notification 200',
		'DELETE /api/notification/:id 200',
		'DELETE /api/notification/:id 200',
		'DELETE /api/webhook/:id 200',
	]);
	expect(data).toEqual({});
	await methods.create.call(moved);
	expect(emulator.store.list('webhooks').map((w) => w.url)).toEqual(['http://127.0.0.1:9999/webhook/abc/webhook']);
});

test('delete removes the subscriptions, then the webhook, by its id, and clears static data', async () => {
	const data: IDataObject = {};
	await methods.create.call(hooks({ setup: 'automatic', events: [0, 3] }, data));
	const other = await halo.post('/Webhook', [
		{ name: 'someone else', url: 'http://127.0.0.1:9/other', events: [{ eventno: 0 }] },
	]);
	emulator.clearLog();
	expect(await methods.delete.call(hooks({ setup: 'automatic' }, data))).toBe(true);
	expect(routes()).toEqual([
		'GET /api/notification 200',
		'DELETE /api/notification/:id 200',
		'DELETE /api/notification/:id 200',
		'DELETE /api/webhook/:id 200',
	]);
	expect(data).toEqual({});
	// the other webhook and its subscription are untouched
	expect(emulator.store.list('webhooks').map((w) => w.id)).toEqual([other.id]);
	expect(emulator.store.list('notifications').map((n) => n.webhook_id)).toEqual([other.id]);
});

test('delete with the webhook already deleted by hand is not an error', async () => {
	const data: IDataObject = {};
	await methods.create.call(hooks({ setup: 'automatic', events: [1] }, data));
	await halo.request('DELETE', `/Webhook/${data.webhookId}`);
	emulator.clearLog();
	await expect(methods.delete.call(hooks({ setup: 'automatic' }, data))).resolves.toBe(true);
	expect(routes()).toEqual([
		'GET /api/notification 200',
		'DELETE /api/notification/:id 200',
		'DELETE /api/webhook/:id 404',
	]);
	expect(data).toEqual({});
	expect(emulator.store.count('notifications')).toBe(0);
});

test('a webhook made by hand for the same URL (Manual setup before) is never deleted: only the one the trigger created', async () => {
	const byHand = await halo.post('/Webhook', [
		{ name: 'made in Halo', url: URL_A, authentication_type: 1, events: [{ eventno: 1 }] },
	]);
	const data: IDataObject = {};
	await methods.create.call(hooks({ setup: 'automatic', events: [1] }, data));
	await methods.delete.call(hooks({ setup: 'automatic' }, data));
	expect(emulator.store.list('webhooks').map((w) => w.id)).toEqual([byHand.id]);
	expect(emulator.store.list('notifications').map((n) => n.webhook_id)).toEqual([byHand.id]);
	// and with nothing recorded, delete touches nothing at all
	emulator.clearLog();
	await methods.delete.call(hooks({ setup: 'automatic' }, {}));
	expect(routes()).toEqual([]);
	expect(emulator.store.list('webhooks').map((w) => w.id)).toEqual([byHand.id]);
});

test('manual setup with a Basic Auth credential never calls Halo', async () => {
	const ctx = hooks({ setup: 'manual' }, {}, URL_A, BASIC_LOGIN);
	expect(await methods.checkExists.call(ctx)).toBe(true);
	expect(await methods.create.call(ctx)).toBe(true);
	expect(await methods.delete.call(ctx)).toBe(true);
	expect(emulator.log).toEqual([]);
});

test.each([
	['no Basic Auth credential (a workflow saved when the password was a node parameter)', {}],
	['a Basic Auth credential without a password', { httpBasicAuth: { user: 'halo', password: '' } }],
])('manual setup with %s is refused at activation, saying what to do', async (_label, credentials) => {
	const activation = methods.checkExists.call(hooks({ setup: 'manual' }, {}, URL_A, credentials));
	await expect(activation).rejects.toThrow('Manual setup has no Basic Auth credential with a user and a password');
	await expect(activation).rejects.toMatchObject({
		description: expect.stringContaining('Select a Basic Auth credential in the HaloPSA Trigger'),
	});
	expect(emulator.log).toEqual([]);
});

test('switched to Manual: n8n tears the Automatic version down, which deletes its webhook by id; a leftover is reported, never used', async () => {
	const data: IDataObject = {};
	await methods.create.call(hooks({ setup: 'automatic', events: [2] }, data));
	const id = String(data.webhookId);
	// n8n deletes the previous (Automatic) version's webhooks before it activates the Manual one
	await methods.delete.call(hooks({ setup: 'automatic' }, data));
	expect(emulator.store.count('webhooks')).toBe(0);
	expect(await methods.checkExists.call(hooks({ setup: 'manual' }, data, URL_A, BASIC_LOGIN))).toBe(true);
	expect(warnings).toEqual([]);

	// that teardown failed (Halo unreachable): Manual setup has no HaloPSA credential to delete it
	await methods.create.call(hooks({ setup: 'automatic', events: [2] }, data));
	emulator.clearLog();
	expect(await methods.checkExists.call(hooks({ setup: 'manual' }, data, URL_A, BASIC_LOGIN))).toBe(true);
	expect(emulator.log).toEqual([]);
	expect(warnings).toEqual([
		expect.stringContaining(`the webhook ${String(data.webhookId)} that Automatic setup registered`),
	]);
	expect(String(data.webhookId)).not.toBe(id);
	// back in Automatic it is still its own, deleted by id on deactivation
	await methods.delete.call(hooks({ setup: 'automatic' }, data));
	expect(emulator.store.count('webhooks')).toBe(0);
});

describe('deliveries', () => {
	interface DeliveryOptions {
		credentials?: Record<string, IDataObject>;
		workflowId?: string;
		nodeId?: string;
	}
	function delivery(
		parameters: IDataObject,
		staticData: IDataObject,
		authorization: string | undefined,
		body: unknown,
		{ credentials = {}, workflowId = 'wf1', nodeId = 'node1' }: DeliveryOptions = {},
	) {
		const response = { statusCode: 0, headers: {} as Record<string, string>, body: undefined as unknown };
		const res = {
			status(code: number) {
				response.statusCode = code;
				return res;
			},
			setHeader(name: string, value: string) {
				response.headers[name] = value;
				return res;
			},
			json(value: unknown) {
				response.body = value;
				return res;
			},
		};
		const ctx = {
			getNodeParameter: (name: string) => parameters[name],
			getWorkflowStaticData: () => staticData,
			getHeaderData: () => (authorization ? { authorization } : {}),
			getBodyData: () => body,
			getResponseObject: () => res,
			getWorkflow: () => ({ id: workflowId }),
			getNode: () => ({ id: nodeId, name: 'HaloPSA Trigger' }),
			getCredentials: credentialsOf(credentials),
			helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })) },
		} as unknown as IWebhookFunctions;
		return { run: () => trigger.webhook.call(ctx), response };
	}
	const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
	const salt = '00112233445566778899aabbccddeeff';
	const stored = {
		webhookId: '3f2b8c1e-4d5a-4b6c-9e7f-1a2b3c4d5e6f',
		username: 'n8n',
		passwordSalt: salt,
		passwordHash: createHash('sha256').update(salt).update('p4ssw0rd-generated').digest('hex'),
	};

	test('the right Basic credentials start the workflow; a batch gives one item per event', async () => {
		const single = await delivery({ setup: 'automatic' }, stored, basic('n8n', 'p4ssw0rd-generated'), {
			event: 'ticket updated',
			object_id: 7,
		}).run();
		expect(single.workflowData?.[0]).toEqual([{ json: { event: 'ticket updated', object_id: 7 } }]);
		const batch = await delivery({ setup: 'automatic' }, stored, basic('n8n', 'p4ssw0rd-generated'), [
			{ object_id: 1 },
			{ object_id: 2 },
			'junk',
		]).run();
		expect(batch.workflowData?.[0].map((item) => item.json.object_id)).toEqual([1, 2]);
	});

	test.each([
		['no Authorization header', undefined],
		['a wrong password', basic('n8n', 'p4ssw0rd-generatex')],
		['a wrong user', basic('admin', 'p4ssw0rd-generated')],
		['a Bearer token', 'Bearer p4ssw0rd-generated'],
		['a password one character longer', basic('n8n', 'p4ssw0rd-generated!')],
	])('%s gets 401 and starts nothing', async (_label, authorization) => {
		const call = delivery({ setup: 'automatic' }, stored, authorization, { event: 'forged' });
		const result = await call.run();
		expect(result).toEqual({ noWebhookResponse: true });
		expect(call.response.statusCode).toBe(401);
		expect(call.response.headers['WWW-Authenticate']).toContain('Basic');
	});

	test('automatic setup without a stored password refuses everything', async () => {
		const call = delivery({ setup: 'automatic' }, {}, basic('', ''), { event: 'x' });
		expect(await call.run()).toEqual({ noWebhookResponse: true });
		expect(call.response.statusCode).toBe(401);
	});

	test('manual setup checks the user and password of the Basic Auth credential', async () => {
		const params = { setup: 'manual' };
		const credentials = BASIC_LOGIN;
		const right = delivery(params, {}, basic('halo', 'typed-in-the-credential'), { a: 1 }, { credentials });
		expect((await right.run()).workflowData?.[0]).toHaveLength(1);
		const wrong = delivery(params, {}, basic('halo', 'typed-in-the-credentia'), { a: 1 }, { credentials });
		expect(await wrong.run()).toEqual({ noWebhookResponse: true });
		expect(wrong.response.statusCode).toBe(401);
		// a password left in the node's parameters by an older version is not a login
		const legacy = delivery(
			{ setup: 'manual', username: 'halo', password: 'old-node-parameter' },
			{},
			basic('halo', 'old-node-parameter'),
			{ a: 1 },
		);
		expect(await legacy.run()).toEqual({ noWebhookResponse: true });
		expect(legacy.response.statusCode).toBe(500);
		expect(JSON.stringify(legacy.response.body)).toContain('no Basic Auth credential');
		expect(JSON.stringify(legacy.response.body)).not.toContain('old-node-parameter');
	});

	test.each([
		['an empty array', []],
		['null', null],
		['text', 'ticket updated'],
		['a number', 42],
		['an empty object', {}],
		['an array of non-events', ['junk', 1, null, [], {}]],
	])('%s is not a Halo event: 400, starts nothing, and is not taken for a duplicate', async (_label, body) => {
		const call = delivery({ setup: 'automatic' }, stored, basic('n8n', 'p4ssw0rd-generated'), body);
		expect(await call.run()).toEqual({ noWebhookResponse: true });
		expect(call.response.statusCode).toBe(400);
		expect(call.response.body).toEqual({ error: expect.stringContaining('no Halo event') });
	});

	test('without the right login a non-event still gets 401, not 400', async () => {
		const call = delivery({ setup: 'automatic' }, stored, basic('n8n', 'wrong'), []);
		await call.run();
		expect(call.response.statusCode).toBe(401);
	});

	test("a delivery for another of Halo's webhooks is refused (webhook_id), whatever its case", async () => {
		const auth = basic('n8n', 'p4ssw0rd-generated');
		const other = delivery({ setup: 'automatic' }, stored, auth, {
			id: 'e-other',
			webhook_id: '99999999-4d5a-4b6c-9e7f-1a2b3c4d5e6f',
		});
		expect(await other.run()).toEqual({ noWebhookResponse: true });
		expect(other.response.statusCode).toBe(403);
		const mine = { id: 'e-mine', webhook_id: stored.webhookId.toUpperCase() };
		expect((await delivery({ setup: 'automatic' }, stored, auth, mine).run()).workflowData?.[0]).toHaveLength(1);
	});

	test('an event delivered again (Halo retries) starts nothing the second time; the rest of a batch still does', async () => {
		const auth = basic('n8n', 'p4ssw0rd-generated');
		const first = await delivery({ setup: 'automatic' }, stored, auth, { id: 'evt-1', object_id: 1 }).run();
		expect(first.workflowData?.[0]).toHaveLength(1);
		const again = delivery({ setup: 'automatic' }, stored, auth, { id: 'evt-1', object_id: 1 });
		expect(await again.run()).toEqual({ noWebhookResponse: true });
		expect(again.response).toMatchObject({ statusCode: 200, body: { duplicate: true } });
		const batch = await delivery({ setup: 'automatic' }, stored, auth, [
			{ id: 'evt-1', object_id: 1 },
			{ id: 'evt-2', object_id: 2 },
		]).run();
		expect(batch.workflowData?.[0].map((item) => item.json.id)).toEqual(['evt-2']);
	});

	test('each trigger has its own replay memory: a busy trigger never makes another forget its events', async () => {
		const auth = basic('n8n', 'p4ssw0rd-generated');
		const quiet = { workflowId: 'wf-quiet', nodeId: 'quiet' };
		const busy = { workflowId: 'wf-busy', nodeId: 'busy' };
		expect(
			(await delivery({ setup: 'automatic' }, stored, auth, { id: 'evt-q' }, quiet).run()).workflowData,
		).toBeDefined();
		// the same event id at another trigger is that trigger's own first delivery
		expect(
			(await delivery({ setup: 'automatic' }, stored, auth, { id: 'evt-q' }, busy).run()).workflowData,
		).toBeDefined();
		// more events than one trigger remembers, all at the busy trigger
		const flood = Array.from({ length: 10_001 }, (_, i) => ({ id: `flood-${i}` }));
		expect((await delivery({ setup: 'automatic' }, stored, auth, flood, busy).run()).workflowData?.[0]).toHaveLength(
			10_001,
		);
		const again = delivery({ setup: 'automatic' }, stored, auth, { id: 'evt-q' }, quiet);
		expect(await again.run()).toEqual({ noWebhookResponse: true });
		expect(again.response).toMatchObject({ statusCode: 200, body: { duplicate: true } });
	});
});
