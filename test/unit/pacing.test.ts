/**
 * The rolling-window pacer: a slot is used from the moment it is taken until its request is
 * answered, then ages from the answer; the last slot of a window is kept for a token request,
 * which is counted without waiting; a 429 holds the window until a window after it.
 * Small real windows (a few hundred ms) keep the waits real but short.
 */
import {
	acquireSlot,
	heldUntil,
	holdWindow,
	paceFor,
	recordRequest,
	resetPacing,
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

test('windows are per Halo instance; 0 requests per window turns pacing off', async () => {
	for (let i = 0; i < 2; i++) (await acquireSlot('c', pace))();
	expect((await timed(acquireSlot('d', pace))).ms).toBeLessThan(50);
	const off = { max: 0, windowMs: 300 };
	for (let i = 0; i < 20; i++) (await acquireSlot('c', off))();
	expect(slotsInUse('c', pace)).toBe(2);
});

test('after a 429 nothing is sent until a window after the latest 429 of a burst', async () => {
	(await acquireSlot('e', pace))();
	const first = Date.now();
	holdWindow('e', pace);
	await new Promise((r) => setTimeout(r, 100));
	holdWindow('e', pace); // a later 429 of the same burst extends the hold
	expect(heldUntil('e')).toBeGreaterThanOrEqual(first + 100 + 300 - 5);
	expect(heldUntil('e')).toBeLessThan(first + 100 + 300 + 50);
	const next = await timed(acquireSlot('e', pace));
	expect(Date.now()).toBeGreaterThanOrEqual(first + 100 + 300);
	expect(next.ms).toBeLessThan(450);
	// an earlier 429 never shortens the hold
	holdWindow('g', pace, () => 10_000);
	holdWindow('g', pace, () => 5_000);
	expect(heldUntil('g')).toBe(10_300);
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
