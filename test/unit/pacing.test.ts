/**
 * The rolling-window pacer and what Halo's 429s teach it, on a fake clock: a slot is used from
 * the moment it is taken until its request is answered, then ages from the answer; the last slot
 * of a window is kept for a token request; a burst of 429s holds the window, probes with one
 * request and teaches once; what a process keeps to has a floor, grows back after clean windows
 * and is forgotten. The tests assert on these rules, never on elapsed time.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	acquireSlot,
	currentPace,
	FIRST_GUESS_MS,
	FORGET_WINDOWS,
	heldUntil,
	HOSTED_HALO_LIMIT,
	learnFromRateLimit,
	paceFor,
	pacingOf,
	recordRequest,
	resetPacing,
	shareOf,
	slotsInUse,
	STEP_AFTER_WINDOWS,
	type PaceSettings,
	type Pacing,
	type SettleSlot,
} from '../../credentials/HaloPsaPacing';

/**
 * A fake clock: `wait(ms)` resolves when the clock is moved that far, and the clock moves only
 * when nothing else can happen (every promise that can settle has settled).
 */
function fakeClock(start = 1_000_000) {
	let clock = start;
	let timers: Array<{ at: number; resolve: () => void }> = [];
	const now = () => clock;
	const wait = async (ms: number) => await new Promise<void>((resolve) => timers.push({ at: clock + ms, resolve }));
	const settled = async () => await new Promise((resolve) => setImmediate(resolve));
	/** Moves the clock to `until`, firing every timer due on the way. */
	async function advanceTo(until: number): Promise<void> {
		for (;;) {
			await settled();
			const next = timers.reduce<(typeof timers)[number] | undefined>((a, b) => (a && a.at <= b.at ? a : b), undefined);
			if (!next || next.at > until) break;
			timers = timers.filter((timer) => timer !== next);
			clock = Math.max(clock, next.at);
			next.resolve();
		}
		clock = Math.max(clock, until);
		await settled();
	}
	/** Moves the clock until `work` settles. */
	async function run<T>(work: Promise<T>): Promise<T> {
		let done = false;
		const result = work.finally(() => (done = true));
		while (!done) {
			await settled();
			if (done) break;
			const next = Math.min(...timers.map((timer) => timer.at));
			if (next === Infinity) throw new Error('nothing to wait for, yet the work is not done');
			await advanceTo(next);
		}
		return await result;
	}
	/** Moves the clock without firing anything (for tests where nothing waits). */
	const jump = (ms: number) => void (clock += ms);
	return { now, wait, advanceTo, run, jump, advance: async (ms: number) => await advanceTo(clock + ms) };
}

type Clock = ReturnType<typeof fakeClock>;

beforeEach(() => resetPacing());

describe('the rolling window', () => {
	/** three per window: two for requests that wait, one kept for a token request */
	const pace = { max: 3, windowMs: 300 };

	test('up to max - 1 requests go at once; the next waits until the oldest answer is a window old', async () => {
		const clock = fakeClock();
		for (let i = 0; i < 2; i++) (await acquireSlot('a', pace, clock.now, clock.wait))();
		const answeredAt = clock.now();
		await clock.run(acquireSlot('a', pace, clock.now, clock.wait));
		expect(clock.now()).toBeGreaterThanOrEqual(answeredAt + 300);
	});

	test('a request still in flight holds its slot however long it takes', async () => {
		const clock = fakeClock();
		const settles = [await acquireSlot('b', pace, clock.now, clock.wait), await acquireSlot('b', pace, clock.now)];
		let thirdTaken = false;
		const third = acquireSlot('b', pace, clock.now, clock.wait).then((settle) => {
			thirdTaken = true;
			return settle;
		});
		await clock.advance(10_000);
		expect(thirdTaken).toBe(false);
		settles[0]();
		await clock.advance(299);
		expect(thirdTaken).toBe(false);
		await clock.advance(60);
		expect(thirdTaken).toBe(true);
		(await third)();
	});

	test('windows are per Halo instance; 0 requests per window turns pacing off, yet requests sent unpaced still count once a pace is known', async () => {
		const clock = fakeClock();
		for (let i = 0; i < 2; i++) (await acquireSlot('c', pace, clock.now, clock.wait))();
		(await acquireSlot('d', pace, clock.now, clock.wait))();
		const off = { max: 0, windowMs: 300 };
		for (let i = 0; i < 20; i++) (await acquireSlot('c', off, clock.now, clock.wait))();
		// Halo counts them in its window whether or not we knew its limit
		expect(slotsInUse('c', pace, clock.now)).toBe(22);
	});

	test('the token request takes the slot kept for it without waiting, and holds it until answered', () => {
		const clock = fakeClock();
		for (let i = 0; i < 2; i++) void acquireSlot('f', pace, clock.now);
		const settle = recordRequest('f', pace, clock.now);
		expect(slotsInUse('f', pace, clock.now)).toBe(3);
		clock.jump(1000); // in flight for longer than a window: still counted
		expect(slotsInUse('f', pace, clock.now)).toBe(3);
		settle();
		clock.jump(301);
		expect(slotsInUse('f', pace, clock.now)).toBe(2);
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
});

const THIRTY = 'Rate Limit Reached - 30 Requests per rolling 30 second window';
const DOCUMENTED = 'Rate Limit Reached - 300 Requests per rolling 5 minute window';
const onPremise = { urlMode: 'haloUrl', haloUrl: 'https://halo.example', hostingType: 'onPremise' };
const hosted = { urlMode: 'haloUrl', haloUrl: 'https://acme.halopsa.com', hostingType: 'hostedHalo' };

/**
 * A burst as Halo answers it: `accepted` requests of this process answered, then `refused` 429s
 * (each told to the pacer with `message`). Returns when the first 429 came.
 */
async function burst(pacing: Pacing, clock: Clock, accepted: number, refused: number, message?: string) {
	const pace = () => currentPace(pacing, clock.now);
	const sent: SettleSlot[] = [];
	for (let i = 0; i < accepted + refused; i++) sent.push(await acquireSlot(pacing.key, pace, clock.now, clock.wait));
	await clock.advance(100);
	sent.slice(0, accepted).forEach((settle) => settle());
	const first = clock.now();
	for (const settle of sent.slice(accepted)) {
		settle(true);
		learnFromRateLimit(pacing, message, clock.now);
	}
	return first;
}

/** Waits out the hold and sends the probe; Halo accepts it (or refuses it, telling the pacer). */
async function probe(pacing: Pacing, clock: Clock, refuse = false, message?: string): Promise<void> {
	const settle = await clock.run(acquireSlot(pacing.key, () => currentPace(pacing, clock.now), clock.now, clock.wait));
	await clock.advance(50);
	settle(refuse);
	if (refuse) learnFromRateLimit(pacing, message, clock.now);
}

describe('a burst of 429s', () => {
	test('teaches once: twenty 429s without a sentence leave the pace as one would, and hold until the guess after the last', async () => {
		const clock = fakeClock();
		const pacing = pacingOf(onPremise);
		expect(currentPace(pacing).max).toBe(0);
		const sent: SettleSlot[] = [];
		for (let i = 0; i < 20; i++) sent.push(await acquireSlot(pacing.key, currentPace(pacing), clock.now, clock.wait));
		sent[0](true);
		const once = learnFromRateLimit(pacing, undefined, clock.now);
		const holdAfterOne = heldUntil(pacing.key);
		clock.jump(500);
		for (const settle of sent.slice(1)) {
			settle(true);
			expect(learnFromRateLimit(pacing, undefined, clock.now)).toEqual(once);
		}
		// without a sentence the ceiling is Halo's documented limit; the first guess is at most FIRST_GUESS_MS
		expect(once).toEqual(HOSTED_HALO_LIMIT);
		expect(heldUntil(pacing.key)).toBe(holdAfterOne + 500);
		expect(heldUntil(pacing.key)).toBe(clock.now() + FIRST_GUESS_MS * 1.1);
	});

	test('after the hold one probe goes and the rest wait for its answer; a refused probe doubles the guess, up to the stated window and then beyond', async () => {
		const clock = fakeClock();
		const pacing = pacingOf(onPremise);
		const first = await burst(pacing, clock, 0, 5, DOCUMENTED);
		expect(heldUntil(pacing.key)).toBe(first + 33_000);
		const pace = () => currentPace(pacing, clock.now);
		const probeSettle = await clock.run(acquireSlot(pacing.key, pace, clock.now, clock.wait));
		expect(clock.now()).toBeGreaterThanOrEqual(first + 33_000);
		let otherTaken = false;
		void acquireSlot(pacing.key, pace, clock.now, clock.wait).then(() => (otherTaken = true));
		await clock.advance(5_000);
		expect(otherTaken).toBe(false);
		probeSettle(true);
		learnFromRateLimit(pacing, DOCUMENTED, clock.now);
		// the probe's own 429 does not move the hold's start: 60 s and a tenth after the burst
		expect(heldUntil(pacing.key)).toBe(first + 66_000);
		await probe(pacing, clock, true, DOCUMENTED); // 120 s
		await probe(pacing, clock, true, DOCUMENTED); // 240 s
		await probe(pacing, clock, true, DOCUMENTED); // 300 s, the stated window
		expect(heldUntil(pacing.key)).toBe(first + 330_000);
		await probe(pacing, clock, true, DOCUMENTED); // the sentence understated Halo's window
		expect(heldUntil(pacing.key)).toBe(first + 660_000);
		await probe(pacing, clock);
		expect(heldUntil(pacing.key)).toBe(0);
		expect(currentPace(pacing, clock.now)).toEqual({ max: 600, windowMs: 600_000 });
	});

	test('a wrong sentence is a ceiling, not gospel: "300 per 5 minutes" from a Halo that emptied its window within 30 s gives 30 per 30 s', async () => {
		for (const credentials of [onPremise, hosted]) {
			resetPacing();
			const clock = fakeClock();
			const pacing = pacingOf(credentials);
			await burst(pacing, clock, 30, 70, DOCUMENTED);
			await probe(pacing, clock);
			expect(currentPace(pacing, clock.now)).toEqual({ max: 30, windowMs: 30_000 });
			expect(shareOf(pacing.key, clock.now)).toBeUndefined();
		}
	});

	test('without a sentence: the limit comes from the documented rate over the window Halo showed, and what Halo accepted, never below a tenth', async () => {
		const clock = fakeClock();
		const pacing = pacingOf(hosted);
		await burst(pacing, clock, 30, 70);
		await probe(pacing, clock);
		expect(currentPace(pacing, clock.now)).toEqual({ max: 30, windowMs: 30_000 });
		expect(shareOf(pacing.key, clock.now)).toBeUndefined();

		resetPacing();
		await burst(pacing, clock, 0, 20); // a proxy refused all twenty
		await probe(pacing, clock);
		expect(shareOf(pacing.key, clock.now)).toBe(3);
	});

	test('with a stated limit, fewer accepted than it means others use the rest: this process keeps to its share, down to one', async () => {
		const clock = fakeClock();
		const pacing = pacingOf(onPremise);
		await burst(pacing, clock, 10, 5, THIRTY);
		await probe(pacing, clock);
		expect(currentPace(pacing, clock.now)).toEqual({ max: 30, windowMs: 30_000 });
		expect(shareOf(pacing.key, clock.now)).toBe(10);

		resetPacing();
		await burst(pacing, clock, 0, 5, THIRTY);
		await probe(pacing, clock);
		expect(shareOf(pacing.key, clock.now)).toBe(1);
	});

	test('custom never goes faster than the numbers set, whatever the sentence', async () => {
		const clock = fakeClock();
		const pacing = pacingOf({ ...hosted, rateLimit: 'custom', rateLimitRequests: 30, rateLimitWindowSeconds: 30 });
		await burst(pacing, clock, 28, 1, 'Rate Limit Reached - 100 Requests per rolling 30 second window');
		await probe(pacing, clock);
		expect(currentPace(pacing, clock.now)).toEqual({ max: 30, windowMs: 30_000 });
	});
});

describe('after a burst', () => {
	const stated = { max: 30, windowMs: 30_000 };

	/** A burst with `accepted` of this process's requests accepted, ended by its probe. */
	async function learnShare(clock: Clock, accepted: number): Promise<Pacing> {
		const pacing = pacingOf(onPremise);
		await burst(pacing, clock, accepted, 5, THIRTY);
		await probe(pacing, clock);
		return pacing;
	}

	/** Requests that keep the window full: `count` of them, each answered at once. */
	async function busy(pacing: Pacing, clock: Clock, count: number): Promise<void> {
		for (let i = 0; i < count; i++)
			(await clock.run(acquireSlot(pacing.key, () => currentPace(pacing, clock.now), clock.now, clock.wait)))();
	}

	test('what a process keeps to grows by a tenth of the limit after STEP_AFTER_WINDOWS clean windows, then each window, up to the limit', async () => {
		const clock = fakeClock();
		const pacing = await learnShare(clock, 10);
		const ended = clock.now();
		const seen = new Map<number, number | undefined>();
		while (clock.now() < ended + 8 * stated.windowMs) {
			await busy(pacing, clock, 1);
			// what it kept to by the end of each window
			const window = Math.floor((clock.now() - ended) / stated.windowMs);
			if (window < 8) seen.set(window, shareOf(pacing.key, clock.now));
		}
		const shares = [...seen.values()];
		expect(shares.slice(0, STEP_AFTER_WINDOWS)).toEqual([10, 10, 10]);
		expect(shares.slice(STEP_AFTER_WINDOWS)).toEqual([13, 16, 19, 22, 25]);
		await busy(pacing, clock, 200);
		expect(shareOf(pacing.key, clock.now)).toBeUndefined(); // the whole limit again
	});

	test('no step while nothing waits for a slot', async () => {
		const clock = fakeClock();
		const pacing = await learnShare(clock, 10);
		await clock.advance(10 * stated.windowMs);
		expect(shareOf(pacing.key, clock.now)).toBe(10);
	});

	test('a 429 within a window of a step goes back to the value before it and doubles the wait before the next step', async () => {
		const clock = fakeClock();
		const pacing = await learnShare(clock, 10);
		while (shareOf(pacing.key, clock.now) === 10) await busy(pacing, clock, 1);
		expect(shareOf(pacing.key, clock.now)).toBe(13);
		// Halo refuses the 13th: it had accepted 12 in the window (others came back)
		await burst(pacing, clock, 0, 1, THIRTY);
		await probe(pacing, clock);
		expect(shareOf(pacing.key, clock.now)).toBe(10);
		const ended = clock.now();
		while (shareOf(pacing.key, clock.now) === 10) await busy(pacing, clock, 1);
		expect(clock.now()).toBeGreaterThanOrEqual(ended + 2 * STEP_AFTER_WINDOWS * stated.windowMs);
	});

	test('everything learned is forgotten FORGET_WINDOWS windows after the last 429', async () => {
		const clock = fakeClock();
		const pacing = await learnShare(clock, 10);
		const ended = clock.now();
		await clock.advanceTo(ended + FORGET_WINDOWS * stated.windowMs - 1);
		expect(currentPace(pacing, clock.now)).toEqual(stated);
		expect(shareOf(pacing.key, clock.now)).toBe(10);
		await clock.advance(1);
		expect(currentPace(pacing, clock.now).max).toBe(0); // on-premise: no pace until the next 429
		expect(shareOf(pacing.key, clock.now)).toBeUndefined();
	});
});

/**
 * Halo's rolling window on the fake clock: it counts every request it gets, refused ones too,
 * and words its 429 as `wording` says (undefined: an HTML page, as a proxy sends).
 */
function fakeHalo(clock: Clock, limit: PaceSettings, wording: string | undefined) {
	const arrivals: number[] = [];
	const refusals: number[] = [];
	const written: string[] = [];
	const post = async (name: string) => {
		const at = clock.now();
		const full = arrivals.filter((t) => t > at - limit.windowMs).length >= limit.max;
		arrivals.push(at);
		await clock.wait(40);
		if (full) {
			refusals.push(at);
			const data = wording === undefined ? '<html><body>429 Too Many Requests</body></html>' : { error: wording };
			throw { httpCode: 429, response: { status: 429, data } };
		}
		written.push(name);
		return name;
	};
	return { arrivals, refusals, written, post };
}

/** n8n processes that share nothing: each a copy of the transport module (and its pacer). */
function processes(count: number): Array<typeof import('../../nodes/HaloPsa/transport')> {
	return Array.from({ length: count }, () => {
		let transport: typeof import('../../nodes/HaloPsa/transport') | undefined;
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy of the module is a second process
			transport = require('../../nodes/HaloPsa/transport');
		});
		return transport as typeof import('../../nodes/HaloPsa/transport');
	});
}

const failure = { spec: { name: 'ticket', path: '/Tickets' } as never, method: 'POST' };
const contextOf = (credentials: ICredentialDataDecryptedObject) => ({
	getCredentials: async () => credentials,
	getNode: () => ({ name: 'HaloPSA' }) as never,
});

describe('against a Halo that allows 30 per 30 s', () => {
	const limit = { max: 30, windowMs: 30_000 };

	test.each([
		['the true limit', THIRTY],
		['a wrong limit', DOCUMENTED],
		['nothing', undefined],
	])(
		'100 creates at the defaults, its 429 stating %s: all refusals in the first burst, each record written once, 30 per 30 s learned',
		async (_, wording) => {
			for (const credentials of [onPremise, hosted]) {
				const clock = fakeClock();
				const halo = fakeHalo(clock, limit, wording);
				const [transport] = processes(1);
				const names = Array.from({ length: 100 }, (_, i) => `t${i}`);
				await clock.run(
					Promise.all(
						names.map(
							async (name) =>
								await transport.sendPaced(
									contextOf(credentials),
									failure,
									async () => await halo.post(name),
									clock.wait,
									clock.now,
								),
						),
					),
				);
				expect(halo.written.sort()).toEqual(names.sort());
				expect(halo.refusals.filter((t) => t > halo.refusals[0] + 1000)).toEqual([]);
			}
		},
	);

	test.each([
		['interleaved', false],
		['one process first: the other gets nothing through the first burst', true],
	])(
		'two processes that share nothing, 45 creates each (%s): no 429 after the first burst, nothing lost',
		async (_, oneFirst) => {
			const clock = fakeClock();
			const halo = fakeHalo(clock, limit, THIRTY);
			const runs: Array<Promise<unknown>> = [];
			const names: string[] = [];
			const transports = processes(2);
			for (let i = 0; i < 45; i++) {
				for (const [p, transport] of transports.entries()) {
					names.push(`${p}-${i}`);
					const send = async () =>
						await transport.sendPaced(
							contextOf(onPremise),
							failure,
							async () => await halo.post(`${p}-${i}`),
							clock.wait,
							clock.now,
						);
					// interleaved: the processes' items arrive in turn; else all of the first's, then the second's
					runs.push(oneFirst && p === 1 ? clock.wait(5).then(send) : send());
				}
			}
			await clock.run(Promise.all(runs));
			// Halo accepted the first 30 it got: from both, or all from the first
			expect(halo.written.slice(0, 30).filter((name) => name.startsWith('1-')).length > 0).toBe(!oneFirst);
			expect(halo.written.sort()).toEqual(names.sort());
			expect(halo.refusals.filter((t) => t > halo.refusals[0] + 1000)).toEqual([]);
			// every rolling window of Halo's arrivals after the burst holds at most the limit
			const later = halo.arrivals.filter((t) => t > halo.refusals[0] + 1000);
			for (const t of later)
				expect(later.filter((u) => u >= t && u < t + limit.windowMs).length).toBeLessThanOrEqual(30);
		},
	);
});
