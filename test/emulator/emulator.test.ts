/**
 * The emulator against the facts in shared/halo-api/README.md, over real HTTP on 127.0.0.1.
 */
import { createServer, type IncomingMessage } from 'http';
import type { AddressInfo } from 'net';

import { DEFAULT_CLIENT, startEmulator, type Emulator } from '../../emulator';
import { haloClient, type HaloClient } from '../halo-client';

let emulator: Emulator;
let halo: HaloClient;

beforeEach(async () => {
	emulator = await startEmulator({ quiet: true, tenant: 'acme' });
	halo = haloClient(emulator, 'acme');
});
afterEach(async () => await emulator.stop());

async function token(form: Record<string, string>, query = '?tenant=acme') {
	const response = await fetch(`${emulator.authUrl}/token${query}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form).toString(),
	});
	return { status: response.status, body: (await response.json()) as any };
}
const good = {
	grant_type: 'client_credentials',
	client_id: DEFAULT_CLIENT.clientId,
	client_secret: DEFAULT_CLIENT.clientSecret,
	scope: 'all',
};

describe('token endpoint', () => {
	test('client credentials give a Bearer token with expires_in', async () => {
		const result = await token(good);
		expect(result.status).toBe(200);
		expect(result.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'all' });
		expect(result.body.access_token.length).toBeGreaterThan(40);
	});
	test('a wrong secret is 401 invalid_client', async () => {
		expect(await token({ ...good, client_secret: 'nope' })).toEqual({
			status: 401,
			body: expect.objectContaining({ error: 'invalid_client' }),
		});
	});
	test('a wrong or missing tenant is refused when a tenant is configured', async () => {
		expect((await token(good, '?tenant=other')).status).toBe(400);
		expect((await token(good, '')).body.error_description).toContain('tenant');
	});
	test('without a configured tenant any tenant (even empty) is accepted', async () => {
		emulator.setTenant(null);
		expect((await token(good, '?tenant=')).status).toBe(200);
	});
	test('the log redacts the secret and never holds tokens', async () => {
		const { body } = await token(good);
		await halo.get('/Agent/me');
		const text = JSON.stringify(emulator.log);
		expect(text).not.toContain(DEFAULT_CLIENT.clientSecret);
		expect(text).not.toContain(body.access_token);
		expect(emulator.tokenRequests()[0].body).toMatchObject({ client_secret: '[redacted]' });
	});
});

describe('API access', () => {
	test('401 without or with an expired token, with WWW-Authenticate', async () => {
		const plain = await fetch(`${emulator.apiUrl}/Tickets`);
		expect(plain.status).toBe(401);
		expect(plain.headers.get('www-authenticate')).toContain('Bearer');
		await halo.get('/Agent/me');
		emulator.expireTokens();
		expect((await halo.request('GET', '/Agent/me')).status).toBe(401);
	});
	test('403 names the missing permission', async () => {
		emulator.addClient({ clientId: 'limited', clientSecret: 'limited-secret', scopes: ['read:tickets'] });
		const t = await token({ ...good, client_id: 'limited', client_secret: 'limited-secret', scope: 'all' });
		const response = await fetch(`${emulator.apiUrl}/Asset`, {
			headers: { Authorization: `Bearer ${t.body.access_token}` },
		});
		expect(response.status).toBe(403);
		expect(JSON.stringify(await response.json())).toContain('read:assets');
		const tickets = await fetch(`${emulator.apiUrl}/Tickets`, {
			headers: { Authorization: `Bearer ${t.body.access_token}` },
		});
		expect(tickets.status).toBe(200);
	});
	test('paths are case-insensitive', async () => {
		const a = await halo.get('/tickets?count=2');
		const b = await halo.get('/TICKETS/?count=2');
		expect(a).toEqual(b);
		expect(emulator.apiRequests().map((r) => r.route)).toEqual(['GET /api/tickets', 'GET /api/tickets']);
	});
	test('authinfo is anonymous', async () => {
		const response = await fetch(`${emulator.apiUrl}/authinfo`);
		expect(await response.json()).toEqual({ auth_url: emulator.authUrl, tenant_id: 'acme' });
	});
});

describe('lists', () => {
	test('envelopes for tickets, clients, sites, users, assets; bare arrays for lookups and agents', async () => {
		for (const [path, key] of [
			['/Tickets', 'tickets'],
			['/Client', 'clients'],
			['/Site', 'sites'],
			['/Users', 'users'],
			['/Asset', 'assets'],
		]) {
			const body = await halo.get(path);
			expect(Array.isArray(body[key])).toBe(true);
			expect(body.record_count).toBe(body[key].length);
		}
		for (const path of [
			'/Agent',
			'/TicketType',
			'/Status',
			'/Priority',
			'/Team',
			'/Category',
			'/AssetType',
			'/Outcome',
			'/Webhook',
		]) {
			expect(Array.isArray(await halo.get(path))).toBe(true);
		}
	});
	test('paging only with pageinate=true, silently capped at 100', async () => {
		emulator.addTickets(250);
		const total = emulator.store.tickets().length;
		const unpaged = await halo.get('/Tickets?page_size=10&page_no=2');
		expect(unpaged.tickets).toHaveLength(total);
		const big = await halo.get('/Tickets?pageinate=true&page_size=1000&page_no=1');
		expect(big).toMatchObject({ page_no: 1, page_size: 100, record_count: total });
		expect(big.tickets).toHaveLength(100);
		const last = await halo.get(`/Tickets?pageinate=true&page_size=100&page_no=${Math.ceil(total / 100)}`);
		expect(last.tickets).toHaveLength(total % 100 || 100);
		expect((await halo.get('/Tickets?count=7')).tickets).toHaveLength(7);
	});
	test('filters by client, status list, open only and date window', async () => {
		const byClient = await halo.get('/Tickets?client_id=2');
		expect(byClient.tickets.length).toBeGreaterThan(0);
		for (const t of byClient.tickets) expect(t.client_id).toBe(2);
		const statuses = await halo.get('/Tickets?status=1,2');
		for (const t of statuses.tickets) expect([1, 2]).toContain(t.status_id);
		const open = await halo.get('/Tickets?open_only=true');
		for (const t of open.tickets) expect(t.hasbeenclosed).toBe(false);
		const window = await halo.get(
			'/Tickets?datesearch=dateoccured&startdate=2025-01-01T00:00:00Z&enddate=2025-01-05T23:59:59Z',
		);
		expect(window.tickets).toHaveLength(5);
		const inactive = await halo.get('/Client');
		expect(inactive.clients.some((c: { inactive: boolean }) => c.inactive)).toBe(false);
		expect(
			(await halo.get('/Client?includeinactive=true')).clients.some((c: { inactive: boolean }) => c.inactive),
		).toBe(true);
	});
	test('actions need ticket_id and come in {ticket_id, record_count, actions}', async () => {
		expect((await halo.request('GET', '/Actions')).status).toBe(400);
		const body = await halo.get('/Actions?ticket_id=1');
		expect(body).toMatchObject({ ticket_id: 1, record_count: 1 });
	});
});

describe('writes', () => {
	test('one object in -> one object out (201 for tickets); two -> an array', async () => {
		const one = await halo.request('POST', '/Tickets', [{ summary: 'A', client_id: 1 }]);
		expect(one.status).toBe(201);
		expect(one.body).toMatchObject({ summary: 'A', client_id: 1, client_name: 'Acme Corp', tickettype_id: 1 });
		const two = await halo.request('POST', '/Client', [{ name: 'X' }, { name: 'Y' }]);
		expect(two.status).toBe(200);
		expect(two.body.map((c: { name: string }) => c.name)).toEqual(['X', 'Y']);
	});
	test('update changes only sent fields and can set 0, false and empty', async () => {
		const created = await halo.post('/Tickets', [{ summary: 'B', client_id: 1, impact: 3, details: 'keep' }]);
		const updated = await halo.post('/Tickets', [{ id: created.id, impact: 0, onhold: false, summary: '' }]);
		expect(updated).toMatchObject({ id: created.id, impact: 0, onhold: false, summary: '', details: 'keep' });
		expect((await halo.request('POST', '/Tickets', [{ id: 999999, summary: 'x' }])).status).toBe(404);
	});
	test('delete returns the record, then GET is 404; unknown and non-numeric ids are 404', async () => {
		const site = await halo.post('/Site', [{ name: 'Gone', client_id: 1 }]);
		const deleted = await halo.request('DELETE', `/Site/${site.id}`);
		expect(deleted).toEqual({ status: 200, body: expect.objectContaining({ id: site.id, name: 'Gone' }) });
		expect((await halo.request('GET', `/Site/${site.id}`)).status).toBe(404);
		expect((await halo.request('GET', '/Tickets/abc')).status).toBe(404);
		expect((await halo.request('GET', '/Webhook/1')).status).toBe(404);
	});
	test('validation: action without outcome, missing summary, unknown client, invalid JSON', async () => {
		const action = await halo.request('POST', '/Actions', [{ ticket_id: 1, note: 'x' }]);
		expect(action).toEqual({ status: 400, body: 'An Outcome must be entered for this Action' });
		expect((await halo.request('POST', '/Tickets', [{ client_id: 1 }])).status).toBe(400);
		const unknown = await halo.request('POST', '/Tickets', [{ summary: 'x', client_id: 4242 }]);
		expect(unknown.status).toBe(400);
		expect(unknown.body).toContain('client_id');
		const raw = await fetch(`${emulator.apiUrl}/Tickets`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${await halo.token()}` },
			body: '[{',
		});
		expect(raw.status).toBe(400);
	});
	test('an action with new_status changes the ticket; action ids count per ticket', async () => {
		const ticket = await halo.post('/Tickets', [{ summary: 'C', client_id: 1 }]);
		const a1 = await halo.post('/Actions', [{ ticket_id: ticket.id, outcome_id: 7, note: 'one', new_status: 9 }]);
		const a2 = await halo.post('/Actions', [{ ticket_id: ticket.id, outcome_id: 7, note: 'two' }]);
		expect([a1.id, a2.id]).toEqual([1, 2]);
		expect(await halo.get(`/Tickets/${ticket.id}`)).toMatchObject({ status_id: 9, hasbeenclosed: true });
		expect(await halo.get(`/Actions/2?ticket_id=${ticket.id}`)).toMatchObject({ note: 'two' });
	});
	test('webhooks have GUID ids and answer the Basic password on reads unless switched off (unverified either way)', async () => {
		const hook = await halo.post('/Webhook', [
			{ name: 'h', url: 'http://127.0.0.1:9/x', authentication_type: 1, basic_username: 'u', basic_password: 'p4ss' },
		]);
		expect(hook.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(JSON.stringify(await halo.get('/Webhook'))).toContain('p4ss');
		const quiet = await startEmulator({ quiet: true, tenant: null, webhookPasswordsInAnswers: false });
		try {
			const other = haloClient(quiet);
			await other.post('/Webhook', [{ name: 'h', url: 'http://127.0.0.1:9/x', basic_password: 'p4ss' }]);
			expect(JSON.stringify(await other.get('/Webhook'))).not.toContain('p4ss');
		} finally {
			await quiet.stop();
		}
	});
});

test('webhook secrets never reach the request log or /_emulator/state, whatever Halo answers', async () => {
	const secrets = ['p4ss-for-the-log-3c1', 'X-Key: header-secret-6d0', 'p4ss-in-broken-json-2e7'];
	const hook = await halo.post('/Webhook', [
		{
			name: 'h',
			url: 'http://127.0.0.1:9/x',
			authentication_type: 1,
			basic_username: 'u',
			basic_password: secrets[0],
			authentication_header: secrets[1],
		},
	]);
	await halo.post('/Webhook', [{ id: hook.id, basic_password: secrets[0] }]);
	await fetch(`${emulator.apiUrl}/Webhook`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${await halo.token()}`, 'Content-Type': 'application/json' },
		body: `[{"name": "h", "basic_password": "${secrets[2]}",`,
	});
	const shown = JSON.stringify([
		emulator.log,
		await (await fetch(`${emulator.url}/_emulator/log`)).json(),
		await (await fetch(`${emulator.url}/_emulator/state`)).json(),
	]);
	for (const secret of secrets) expect(shown).not.toContain(secret);
	expect(shown).toContain('"basic_password":"[redacted]"');
	expect(emulator.apiRequests()[0].body).toEqual([
		expect.objectContaining({ basic_username: 'u', url: 'http://127.0.0.1:9/x' }),
	]);
	// Halo itself keeps the password: it sends it with each delivery
	expect(emulator.store.get('webhooks', String(hook.id))?.basic_password).toBe(secrets[0]);
});

describe('rate limit and faults', () => {
	test('over the rolling window -> 429 with Halo text, later fine again', async () => {
		emulator.setRateLimit({ max: 5, windowMs: 1000 });
		await halo.token(); // 1
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) statuses.push((await halo.request('GET', '/Status')).status);
		expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
		const limited = await halo.request('GET', '/Status');
		expect(limited.body.error).toContain('Rate Limit Reached - 5 Requests per rolling');
		await new Promise((r) => setTimeout(r, 1100));
		expect((await halo.request('GET', '/Status')).status).toBe(200);
	});
	test('faults: 500 once, malformed JSON, delay, record_count inflation', async () => {
		await halo.token();
		emulator.injectFault({ method: 'GET', path: '^/api/status$', status: 500 });
		expect((await halo.request('GET', '/Status')).status).toBe(500);
		expect((await halo.request('GET', '/Status')).status).toBe(200);
		emulator.injectFault({ path: 'tickets', malformed: true });
		const broken = await halo.request('GET', '/Tickets');
		expect(broken.status).toBe(200);
		expect(typeof broken.body).toBe('string');
		emulator.injectFault({ path: 'agent', delayMs: 300 });
		const started = Date.now();
		await halo.get('/Agent');
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		emulator.injectFault({ path: 'client', recordCountInflation: 50 });
		const inflated = await halo.get('/Client');
		expect(inflated.record_count).toBe(inflated.clients.length + 50);
	});
});

test('webhook delivery: Basic auth, Halo envelope, batch array', async () => {
	const received: Array<{ auth?: string; body: any }> = [];
	const receiver = createServer((req: IncomingMessage, res) => {
		let text = '';
		req.on('data', (c) => (text += c));
		req.on('end', () => {
			received.push({ auth: req.headers.authorization, body: JSON.parse(text) });
			res.end('ok');
		});
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
	const port = (receiver.address() as AddressInfo).port;
	const hook = await halo.post('/Webhook', [
		{
			name: 'n8n',
			url: `http://127.0.0.1:${port}/hook`,
			active: true,
			authentication_type: 1,
			basic_username: 'n8n',
			basic_password: 'pw',
			events: [{ eventno: 2 }],
		},
	]);
	expect(await emulator.fireWebhooks({ eventno: 2, ticket_id: 1 })).toEqual([
		{ webhook_id: hook.id, url: `http://127.0.0.1:${port}/hook`, status: 200 },
	]);
	expect(await emulator.fireWebhooks({ eventno: 5, ticket_id: 1 })).toEqual([]);
	await emulator.fireWebhooks({ eventno: 2, ticket_id: 1, batch: 3 });
	receiver.close();
	expect(received[0].auth).toBe(`Basic ${Buffer.from('n8n:pw').toString('base64')}`);
	expect(received[0].body).toMatchObject({
		webhook_id: hook.id,
		event: 'ticket status changed',
		object_id: 1,
		ticket: { id: 1 },
	});
	expect(received[0].body.timestamp).toMatch(/\.\d{7}Z$/);
	expect(received[1].body).toHaveLength(3);
	expect((await halo.get(`/WebhookEvent?webhook_id=${hook.id}`)).length).toBe(2);
});

test('webhook events are Notification records: joined into the webhook, listed by webhook_id, deleted one by one', async () => {
	const hook = await halo.post('/Webhook', [
		{ name: 'subs', url: 'http://127.0.0.1:9/subs', events: [{ eventno: 0 }, { eventno: 3 }] },
	]);
	expect(hook.events.map((e: { eventno: number }) => e.eventno)).toEqual([0, 3]);
	expect(
		hook.events.every((e: { webhook_id: string; id: number }) => e.webhook_id === hook.id && Number.isInteger(e.id)),
	).toBe(true);
	const subs = await halo.get(`/Notification?webhook_id=${hook.id}`);
	expect(subs.map((n: { eventno: number }) => n.eventno)).toEqual([0, 3]);
	expect((await halo.request('DELETE', `/Notification/${subs[0].id}`)).status).toBe(200);
	expect((await halo.get(`/Webhook/${hook.id}`)).events.map((e: { eventno: number }) => e.eventno)).toEqual([3]);
	// deleting the webhook does not remove its remaining subscription (Halo documents no cascade)
	expect((await halo.request('DELETE', `/Webhook/${hook.id}`)).status).toBe(200);
	expect((await halo.get(`/Notification?webhook_id=${hook.id}`)).map((n: { eventno: number }) => n.eventno)).toEqual([
		3,
	]);
	expect(
		(
			await halo.request('POST', '/Webhook', [
				{ name: 'bad', url: 'http://127.0.0.1:9/x', events: [{ name: 'no number' }] },
			])
		).status,
	).toBe(400);
});

describe('what the poll trigger reads', () => {
	test("Halo's clock: an offset moves every change time it stamps and its Date header", async () => {
		emulator.setClockOffset(3_600_000);
		const [ticket] = emulator.store.tickets();
		await halo.post('/Tickets', [{ id: ticket.id, summary: 'an hour ahead' }]);
		const stamped = Date.parse(emulator.store.get('tickets', ticket.id)?.last_update);
		expect(Math.abs(stamped - (Date.now() + 3_600_000))).toBeLessThan(5_000);
		const response = await fetch(`${emulator.apiUrl}/Tickets?count=1`, {
			headers: { Authorization: `Bearer ${await halo.token()}` },
		});
		expect(Math.abs(Date.parse(String(response.headers.get('date'))) - (Date.now() + 3_600_000))).toBeLessThan(5_000);
	});

	test('client and asset list rows carry their change time unless switched off', async () => {
		expect((await halo.get('/Client')).clients[0].alastupdate).toBeDefined();
		emulator.setChangeTimesInLists(false);
		expect((await halo.get('/Client')).clients[0].alastupdate).toBeUndefined();
		expect((await halo.get('/Asset')).assets[0].dlastupdate).toBeUndefined();
	});

	test('touchAfterPage: a row of the page just served changes and moves to the end of a list by change time', async () => {
		emulator.injectFault({ method: 'GET', path: '/api/tickets$', touchAfterPage: 0 });
		const query = '/Tickets?order=last_update&pageinate=true&page_size=2&page_no=1';
		const first = (await halo.get(query)).tickets;
		const after = (await halo.get(query.replace('page_size=2', 'page_size=100'))).tickets;
		expect(after[after.length - 1].id).toBe(first[0].id);
	});

	test('ACTIONS in SQL: Halo column names, a date comparison, aliases', async () => {
		const ticket = emulator.store.tickets()[1];
		await halo.post('/Actions', [{ ticket_id: ticket.id, outcome_id: 7, note: 'for the report' }]);
		const since = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
		const answer = await halo.post('/Report', [
			{
				_loadreportonly: true,
				sql: `SELECT TOP 10 Faultid AS ticket_id, actionnumber AS id, note FROM ACTIONS WHERE ActionDateCreated >= '${since}' AND Faultid = ${ticket.id} ORDER BY ActionDateCreated`,
			},
		]);
		expect(answer.report.rows).toEqual([{ ticket_id: ticket.id, id: expect.any(Number), note: 'for the report' }]);
	});
});
