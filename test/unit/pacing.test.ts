/**
 * The rolling-window pacer: a slot is used from the moment it is taken until its request is
 * answered, then ages from the answer; token requests are counted without waiting.
 * Small real windows (a few hundred ms) keep the waits real but short.
 */
import {
	acquireSlot,
	markWindowFull,
	paceFor,
	recordRequest,
	resetPacing,
	slotsInUse,
} from '../../credentials/HaloPsaPacing';

const pace = { max: 3, windowMs: 300 };

beforeEach(() => resetPacing());

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
	const started = Date.now();
	const value = await work;
	return { value, ms: Date.now() - started };
}

test('up to max requests go at once; the next waits until the oldest answer is a window old', async () => {
	for (let i = 0; i < 3; i++) (await timed(acquireSlot('a', pace))).value();
	const answeredAt = Date.now();
	const fourth = await timed(acquireSlot('a', pace));
	expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(295);
	expect(fourth.ms).toBeLessThan(600);
});

test('a request still in flight holds its slot however long it takes', async () => {
	const settles = [await acquireSlot('b', pace), await acquireSlot('b', pace), await acquireSlot('b', pace)];
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
	for (let i = 0; i < 3; i++) (await acquireSlot('c', pace))();
	expect((await timed(acquireSlot('d', pace))).ms).toBeLessThan(50);
	const off = { max: 0, windowMs: 300 };
	for (let i = 0; i < 20; i++) (await acquireSlot('c', off))();
	expect(slotsInUse('c', pace)).toBe(3);
});

test('after a 429 the window counts as full for a whole window', async () => {
	(await acquireSlot('e', pace))();
	markWindowFull('e', pace);
	expect(slotsInUse('e', pace)).toBe(3);
	expect((await timed(acquireSlot('e', pace))).ms).toBeGreaterThanOrEqual(295);
});

test('a token request is counted without waiting, even in a full window', () => {
	markWindowFull('f', pace);
	recordRequest('f', pace);
	expect(slotsInUse('f', pace)).toBe(4);
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
