/**
 * The rolling-window pacer: a slot is used from the moment it is taken until its request is
 * answered, then ages from the answer; the last slot of a window is kept for a token request,
 * which is counted without waiting; a 429 holds the window until a window after it; a 429 that
 * finds others using the window leaves this process its share of it.
 * Small real windows (a few hundred ms) keep the waits real but short.
 */
import {
	acquireSlot,
	heldUntil,
	holdWindow,
	learnFromRateLimit,
	paceFor,
	recordRequest,
	resetPacing,
	SHARE_WINDOWS,
	shareOf,
	slotsInUse,
} from '../../credentials/HaloPsaPacing';

/** three per window: two for requests that wait, one kept for a token request */
const pace = { max: 3, windowMs: 300 };

beforeEach(() => resetPacing());

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
	const started = Date.now();
	const value = await work;
	return { value, ms: Date.now() - started };
}

test('up to max - 1 requests go at once; the next waits until the oldest answer is a window old', async () => {
	for (let i = 0; i < 2; i++) (await timed(acquireSlot('a', pace))).value();
	const answeredAt = Date.now();
	const fourth = await timed(acquireSlot('a', pace));
	expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(295);
	expect(fourth.ms).toBeLessThan(600);
});

test('a request still in flight holds its slot however long it takes', async () => {
	const settles = [await acquireSlot('b', pace), await acquireSlot('b', pace)];
	let fourthTaken = false;
	const fourth = acquireSlot('b', pace).then((settle) => {
		fourthTaken = true;
		return settle;
	});
	await new Promise((r) => setTimeout(r, 450));
	expect(fourthTaken).toBe(false);
	settles[0]();
	await new Promise((r) => setTimeout(r, 150));
	expect(fourthTaken).toBe(false);
	(await fourth)();
	expect(fourthTaken).toBe(true);
	settles.slice(1).forEach((settle) => settle());
});

test('windows are per Halo instance; 0 requests per window turns pacing off, yet requests sent unpaced still count once a pace is known', async () => {
	for (let i = 0; i < 2; i++) (await acquireSlot('c', pace))();
	expect((await timed(acquireSlot('d', pace))).ms).toBeLessThan(50);
	const off = { max: 0, windowMs: 300 };
	const unpaced = await timed(Promise.all(Array.from({ length: 20 }, async () => (await acquireSlot('c', off))())));
	expect(unpaced.ms).toBeLessThan(50);
	// Halo counts them in its window whether or not we knew its limit
	expect(slotsInUse('c', pace)).toBe(22);
});

test('after a 429 nothing is sent until a window after the latest 429 of a burst', async () => {
	(await acquireSlot('e', pace))();
	const first = Date.now();
	holdWindow('e', pace);
	await new Promise((r) => setTimeout(r, 100));
	holdWindow('e', pace); // a later 429 of the same burst extends the hold
	expect(heldUntil('e')).toBeGreaterThanOrEqual(first + 100 + 330 - 5);
	expect(heldUntil('e')).toBeLessThan(first + 100 + 330 + 50);
	const next = await timed(acquireSlot('e', pace));
	expect(Date.now()).toBeGreaterThanOrEqual(first + 100 + 330);
	expect(next.ms).toBeLessThan(480);
	// an earlier 429 never shortens the hold
	holdWindow('g', pace, () => 10_000);
	holdWindow('g', pace, () => 5_000);
	expect(heldUntil('g')).toBe(10_330); // a window and HOLD_MARGIN
});

test('the token request takes the slot kept for it without waiting, and holds it until answered', () => {
	let clock = 1000;
	const now = () => clock;
	for (let i = 0; i < 2; i++) void acquireSlot('f', pace, now);
	const settle = recordRequest('f', pace, now);
	expect(slotsInUse('f', pace, now)).toBe(3);
	clock += 1000; // in flight for longer than a window: still counted
	expect(slotsInUse('f', pace, now)).toBe(3);
	settle();
	clock += 301;
	expect(slotsInUse('f', pace, now)).toBe(2);
});

test('the key is the Halo instance, however its URL is written', () => {
	const a = paceFor({
		urlMode: 'haloUrl',
		haloUrl: 'https://Acme.halopsa.com/',
		rateLimitRequests: 30,
		rateLimitWindowSeconds: 30,
	});
	const b = paceFor({ urlMode: 'separate', resourceApiUrl: 'https://acme.halopsa.com/api' });
	expect(a).toEqual({ key: 'https://acme.halopsa.com/api', pace: { max: 30, windowMs: 30_000 } });
	expect(b).toEqual({ key: 'https://acme.halopsa.com/api', pace: { max: 300, windowMs: 300_000 } });
});

describe('a share of the window when others send to the same Halo', () => {
	const thirty = { max: 30, windowMs: 30_000 };
	const pacing = { key: 'shared', mode: 'auto' as const, configured: thirty };
	const stated = 'Rate Limit Reached - 30 Requests per rolling 30 second window';

	test('a 429 while this process had 10 accepted in the window: it keeps to 10 until SHARE_WINDOWS pass without a 429', async () => {
		let clock = 100_000;
		const now = () => clock;
		for (let i = 0; i < 10; i++) (await acquireSlot('shared', thirty, now))();
		clock += 1000;
		const refusedSettle = await acquireSlot('shared', thirty, now);
		refusedSettle(true);
		learnFromRateLimit(pacing, stated, now);
		expect(heldUntil('shared')).toBe(clock + 33_000);
		clock += 33_000;
		expect(shareOf('shared', thirty, now)).toBe(10);
		clock += (SHARE_WINDOWS - 1) * 30_000 - 3_001;
		expect(shareOf('shared', thirty, now)).toBe(10);
		clock += 2;
		expect(shareOf('shared', thirty, now)).toBeUndefined();
	});

	test('a burst refused after it filled the window itself learns no share, even with answers still in flight at the 429', async () => {
		let clock = 200_000;
		const now = () => clock;
		const settles = [];
		for (let i = 0; i < 30; i++) settles.push(recordRequest('shared', thirty, now));
		clock += 10;
		settles.slice(0, 12).forEach((settle) => settle());
		const refused = recordRequest('shared', thirty, now);
		refused(true);
		learnFromRateLimit(pacing, stated, now);
		clock += 50;
		settles.slice(12).forEach((settle) => settle()); // accepted, answered after the 429
		clock += 33_000;
		expect(shareOf('shared', thirty, now)).toBeUndefined();
	});
});

/**
 * Two n8n processes are two copies of the pacing module with nothing shared; the only common
 * ground is Halo's rolling window, simulated here (it counts the requests it refuses).
 */
test('two processes that share nothing stay within Halo limit after the first 429 burst and lose nothing', async () => {
	const limit = { max: 6, windowMs: 1000 };
	const arrivals: number[] = [];
	const accepted: string[] = [];
	const refusals: number[] = [];
	const halo = async (id: string) => {
		const at = Date.now();
		const inWindow = arrivals.filter((t) => t > at - limit.windowMs).length;
		arrivals.push(at);
		await new Promise((r) => setTimeout(r, 5));
		if (inWindow >= limit.max) {
			refusals.push(at);
			throw {
				httpCode: 429,
				response: { status: 429, data: { error: 'Rate Limit Reached - 6 Requests per rolling 1 second window' } },
			};
		}
		accepted.push(id);
		return id;
	};
	const processes = [0, 1].map(() => {
		let transport: typeof import('../../nodes/HaloPsa/transport') | undefined;
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy of the module is a second process
			transport = require('../../nodes/HaloPsa/transport');
		});
		return transport as typeof import('../../nodes/HaloPsa/transport');
	});
	const ctx = {
		getCredentials: async () => ({ hostingType: 'onPremise', urlMode: 'haloUrl', haloUrl: 'https://halo.example' }),
		getNode: () => ({ name: 'HaloPSA' }) as never,
	};
	const failure = { spec: { name: 'ticket', path: '/Tickets' } as never, method: 'POST' };
	const runs = [];
	for (let i = 0; i < 9; i++)
		for (const [p, transport] of processes.entries())
			runs.push(
				transport.sendPaced(
					ctx,
					failure,
					async () => await halo(`${p}-${i}`),
					async () => await new Promise((r) => setTimeout(r, 5)),
				),
			);
	await Promise.all(runs);
	const firstHoldEnds = refusals[0] + limit.windowMs;
	expect(accepted.sort()).toEqual([0, 1].flatMap((p) => Array.from({ length: 9 }, (_, i) => `${p}-${i}`)).sort());
	expect(refusals.filter((t) => t >= firstHoldEnds)).toEqual([]);
	// every rolling window of Halo's arrivals after the burst holds at most the limit
	const later = arrivals.filter((t) => t >= firstHoldEnds);
	for (const t of later) expect(later.filter((u) => u >= t && u < t + limit.windowMs).length).toBeLessThanOrEqual(6);
}, 30_000);
