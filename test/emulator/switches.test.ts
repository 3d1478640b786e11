/**
 * The emulator is never kinder than Halo: where Halo's behaviour is undocumented it can behave
 * either way, so the node's tests see both (issue 9 §4).
 */
import { startEmulator, type Emulator } from '../../emulator';
import { rateLimitText } from '../../emulator/quirks';
import { haloClient, type HaloClient } from '../halo-client';

let emulator: Emulator;
let halo: HaloClient;

beforeEach(async () => {
	emulator = await startEmulator({ quiet: true, tenant: null });
	halo = haloClient(emulator);
});
afterEach(async () => await emulator.stop());

test('a page cap other than 100 on one resource; tickets keep theirs', async () => {
	await halo.post(
		'/Client',
		Array.from({ length: 80 }, (_, i) => ({ name: `Client ${i}` })),
	);
	emulator.setPageCap('client', 50);
	const page = await halo.get('/Client?pageinate=true&page_size=100&page_no=1');
	expect(page.clients).toHaveLength(50);
	expect(page.page_size).toBe(50);
	expect(page.record_count).toBeGreaterThan(50);
	emulator.addTickets(150);
	expect((await halo.get('/Tickets?pageinate=true&page_size=100&page_no=1')).tickets).toHaveLength(100);
});

test('record_count lower or higher than the rows (fault)', async () => {
	emulator.injectFault({ path: '/api/client', recordCountInflation: -3 });
	const low = await halo.get('/Client');
	expect(low.record_count).toBe(low.clients.length - 3);
	emulator.injectFault({ path: '/api/client', recordCountInflation: 40 });
	const high = await halo.get('/Client');
	expect(high.record_count).toBe(high.clients.length + 40);
});

test('a repeated page and rows added or removed between two pages (faults)', async () => {
	emulator.addTickets(150);
	const first = await halo.get('/Tickets?pageinate=true&page_size=100&page_no=1');
	emulator.injectFault({ path: '/api/tickets', repeatPage: true });
	const again = await halo.get('/Tickets?pageinate=true&page_size=100&page_no=2');
	expect(again.tickets.map((t: { id: number }) => t.id)).toEqual(first.tickets.map((t: { id: number }) => t.id));
	emulator.injectFault({ path: '/api/tickets', shiftAfterPage: 'add' });
	await halo.get('/Tickets?pageinate=true&page_size=100&page_no=1');
	const shifted = await halo.get('/Tickets?pageinate=true&page_size=100&page_no=2');
	expect(shifted.tickets[0].id).toBe(first.tickets[99].id);
	emulator.injectFault({ path: '/api/tickets', shiftAfterPage: 'remove' });
	const before = emulator.store.tickets().length;
	await halo.get('/Tickets?pageinate=true&page_size=10&page_no=1');
	expect(emulator.store.tickets().length).toBe(before - 1);
});

test('bare-array lists can come wrapped in an envelope', async () => {
	expect(Array.isArray(await halo.get('/Status'))).toBe(true);
	emulator.setWrapBareLists(true);
	for (const path of ['/Status', '/Team', '/Webhook', '/Agent']) {
		const body = await halo.get(path);
		expect(Array.isArray(body)).toBe(false);
		expect(body.record_count).toBe(Object.values(body).find(Array.isArray)?.length);
	}
});

test('the rate limit is per tenant, counts refused requests, and other traffic shares it', async () => {
	emulator.setRateLimit({ max: 5, windowMs: 60_000 });
	emulator.consumeRateLimit(3);
	const statuses: number[] = [];
	for (let i = 0; i < 5; i++) statuses.push((await halo.request('GET', '/Status')).status);
	// the token request counts too: 3 others + token + 1 read = 5, then refusals
	expect(statuses).toEqual([200, 429, 429, 429, 429]);
	const refusal = await halo.request('GET', '/Status');
	expect(refusal.body).toEqual({ error: 'Rate Limit Reached - 5 Requests per rolling 1 minute window' });
	// the window it states is the window it keeps (30 s is not "1 minute")
	expect(rateLimitText(30, 30_000)).toBe('Rate Limit Reached - 30 Requests per rolling 30 second window');
	expect(rateLimitText(300, 300_000)).toBe('Rate Limit Reached - 300 Requests per rolling 5 minute window');
});

test("a 429 states the limit kept, Halo's documented limit whatever is kept, or nothing (a proxy's HTML page)", async () => {
	const refusal = async () => {
		const response = await fetch(`${emulator.apiUrl}/Status`, {
			headers: { Authorization: `Bearer ${await halo.token()}` },
		});
		return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
	};
	emulator.setRateLimit({ max: 2, windowMs: 30_000 });
	await halo.get('/Status'); // the token request and this read fill the window
	expect(await refusal()).toEqual({
		status: 429,
		type: 'application/json; charset=utf-8',
		text: JSON.stringify({ error: 'Rate Limit Reached - 2 Requests per rolling 30 second window' }),
	});
	emulator.setRateLimitWording('wrong');
	expect((await refusal()).text).toBe(
		JSON.stringify({ error: 'Rate Limit Reached - 300 Requests per rolling 5 minute window' }),
	);
	emulator.setRateLimitWording('none');
	expect(await refusal()).toEqual({
		status: 429,
		type: 'text/html',
		text: '<html><body>429 Too Many Requests</body></html>',
	});
	// the control endpoint sets the wording with the limit; reset restores the default
	const control = await fetch(`${emulator.url}/_emulator/rate-limit`, {
		method: 'POST',
		body: JSON.stringify({ max: 1, windowMs: 60_000, wording: 'wrong' }),
	});
	expect(await control.json()).toEqual({ rateLimit: { max: 1, windowMs: 60_000 }, wording: 'wrong' });
	await halo.get('/Status');
	expect((await refusal()).text).toContain('300 Requests per rolling 5 minute window');
	emulator.reset();
	emulator.setRateLimit({ max: 1, windowMs: 60_000 });
	await halo.get('/Status');
	expect((await refusal()).text).toContain('1 Requests per rolling 1 minute window');
});

test('a request can be accepted and never answered (fault)', async () => {
	emulator.injectFault({ path: '/api/status', hang: true });
	const token = await halo.token();
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), 300);
	await expect(
		fetch(`${emulator.apiUrl}/Status`, { headers: { Authorization: `Bearer ${token}` }, signal: controller.signal }),
	).rejects.toThrow();
	clearTimeout(timer);
	expect(emulator.log.filter((r) => r.path === '/api/Status').map((r) => r.status)).toEqual([0]);
});

test('an update of an unknown id: 404 by default, or (switch) saved as a new record', async () => {
	expect((await halo.request('POST', '/Client', [{ id: 9999, name: 'Ghost' }])).status).toBe(404);
	emulator.setMissingUpdate('create');
	const saved = await halo.post('/Client', [{ id: 9999, name: 'Ghost' }]);
	expect(saved.id).not.toBe(9999);
	expect(saved.name).toBe('Ghost');
});
