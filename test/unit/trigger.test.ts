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

beforeEach(async () => {
	emulator = await startEmulator({ quiet: true, tenant: 'acme', seed: 'empty' });
	halo = haloClient(emulator, 'acme');
});
afterEach(async () => await emulator.stop());

/** n8n's hook context, reduced to what the trigger uses; requests go to the emulator with a real token. */
function hooks(parameters: IDataObject, staticData: IDataObject, webhookUrl = URL_A): IHookFunctions {
	const httpRequestWithAuthentication = authenticatedRequest(halo);
	return {
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => webhookUrl,
		getWorkflow: () => ({ id: 'wf1', name: 'Unit workflow' }),
		getNode: () => node,
		getCredentials: async () => ({
			hostingType: 'hostedHalo',
			urlMode: 'haloUrl',
			haloUrl: emulator.url,
			tenant: 'acme',
		}),
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
	const posted = emulator.apiRequests()[0].body as IDataObject[];
	expect(posted).toEqual([
		expect.objectContaining({
			url: URL_A,
			active: true,
			authentication_type: 1,
			basic_username: 'n8n',
			events: [{ eventno: 2 }, { eventno: 5 }],
		}),
	]);
	const password = String(posted[0].basic_password);
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

test('checkExists asks Halo: true for the live registration, false (and forgets the id) once it is gone or points elsewhere', async () => {
	const data: IDataObject = {};
	await methods.create.call(hooks({ setup: 'automatic', events: [0] }, data));
	const id = String(data.webhookId);
	emulator.clearLog();
	expect(await methods.checkExists.call(hooks({ setup: 'automatic' }, data))).toBe(true);
	expect(routes()).toEqual(['GET /api/webhook/:id 200']);

	// n8n's public URL changed: the registration no longer reaches this workflow
	expect(
		await methods.checkExists.call(
			hooks({ setup: 'automatic' }, { ...data }, 'http://127.0.0.1:9999/webhook/abc/webhook'),
		),
	).toBe(false);

	await halo.request('DELETE', `/Webhook/${id}`);
	emulator.clearLog();
	expect(await methods.checkExists.call(hooks({ setup: 'automatic' }, data))).toBe(false);
	expect(routes()).toEqual(['GET /api/webhook/:id 404']);
	expect(data.webhookId).toBeUndefined();
});

test('delete removes the subscriptions, then the webhook, and clears static data', async () => {
	const data: IDataObject = {};
	await methods.create.call(hooks({ setup: 'automatic', events: [0, 3] }, data));
	const other = await halo.post('/Webhook', [
		{ name: 'someone else', url: 'http://127.0.0.1:9/other', events: [{ eventno: 0 }] },
	]);
	emulator.clearLog();
	expect(await methods.delete.call(hooks({ setup: 'automatic' }, data))).toBe(true);
	expect(routes()).toEqual([
		'GET /api/webhook 200',
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
		'GET /api/webhook 200',
		'GET /api/notification 200',
		'DELETE /api/notification/:id 200',
		'DELETE /api/webhook/:id 404',
	]);
	expect(data).toEqual({});
	expect(emulator.store.count('notifications')).toBe(0);
});

test('a webhook this workflow made but lost track of (static data not saved) is found by its URL and deleted', async () => {
	await methods.create.call(hooks({ setup: 'automatic', events: [1] }, {}));
	const data: IDataObject = {};
	await methods.delete.call(hooks({ setup: 'automatic' }, data));
	expect(emulator.store.count('webhooks')).toBe(0);
});

test('manual setup never calls Halo', async () => {
	const ctx = hooks({ setup: 'manual' }, {});
	expect(await methods.checkExists.call(ctx)).toBe(true);
	expect(await methods.create.call(ctx)).toBe(true);
	expect(await methods.delete.call(ctx)).toBe(true);
	expect(emulator.log).toEqual([]);
});

describe('deliveries', () => {
	function delivery(
		parameters: IDataObject,
		staticData: IDataObject,
		authorization: string | undefined,
		body: unknown,
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
			getWorkflow: () => ({ id: 'wf1' }),
			getNode: () => ({ id: 'node1', name: 'HaloPSA Trigger' }),
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

	test('manual setup checks the username and password set in the node', async () => {
		const params = { setup: 'manual', username: 'halo', password: 'typed-in-n8n' };
		expect((await delivery(params, {}, basic('halo', 'typed-in-n8n'), { a: 1 }).run()).workflowData?.[0]).toHaveLength(
			1,
		);
		const wrong = delivery(params, {}, basic('halo', 'typed-in-n8'), { a: 1 });
		await wrong.run();
		expect(wrong.response.statusCode).toBe(401);
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
});
