import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { resourceServerUrl } from './HaloPsaToken';

/**
 * A rolling-window pacer shared by every execution in this n8n process, one window per Halo
 * Resource Server: a large run waits for room in the window instead of running into Halo's 429.
 * Token requests and API requests share the window (Halo's token endpoint answers 429 too).
 *
 * Halo counts a request when it arrives; we cannot see that moment, so a slot counts as used
 * from the moment it is taken until its request has been answered, and from then on it ages
 * from the answer. Our window therefore never empties before Halo's does.
 *
 * Requests that wait for a slot use all but one of the window: the last one is kept for a token
 * request, which cannot wait (the items holding the slots are waiting for it) and which Halo
 * counts like any other request. Without it, a run that fills the window from a cold start is
 * refused once and then loses a whole window.
 *
 * What Halo's 429s teach, per Halo (additive increase, multiplicative decrease). A 429's sentence
 * may state the true limit, a wrong one or none, so it sets the ceiling to probe to and the
 * first guess, and Halo's answers decide the rest:
 * - A burst is the 429s that come until Halo accepts a request again. Nothing more is sent
 *   until the guessed window (and HOLD_MARGIN of it) after the burst's latest 429; then one
 *   request, the probe, goes while the rest wait for its answer. The first guess is the
 *   ceiling's window, but at most FIRST_GUESS_MS; a refused probe doubles it.
 * - The burst teaches once, when its probe is accepted: Halo's window emptied within the guess,
 *   so the guess is the window from then on, and the limit per window is the ceiling's rate
 *   over it. The ceiling is the limit Halo stated; with *Custom*, the numbers set (or a lower
 *   stated limit); without either, Halo's documented 300 per 5 minutes.
 * - If Halo had accepted fewer than the limit from this process in that window at the burst's
 *   first 429, the process keeps to that many. With a stated limit, fewer means others use the
 *   rest (queue-mode workers share nothing but Halo's window): this is its share, however
 *   small, and the shares of all senders add up to the limit. Without one, the process keeps
 *   to at least the floor, a tenth of the limit.
 * - After STEP_AFTER_WINDOWS windows without a 429, and after each further one while requests
 *   wait, what the process keeps to grows by a tenth of the limit, up to the limit. A burst
 *   that starts within a window of a step goes back to the value before it and doubles the
 *   windows to wait before the next step.
 * - FORGET_WINDOWS windows after the last 429, everything learned is forgotten.
 */
export interface PaceSettings {
	/** requests allowed per window; 0 or less = no pacing */
	max: number;
	windowMs: number;
}

interface Slot {
	/** when the request was sent */
	sentAt: number;
	/** when the answer came (Infinity while the request is in flight) */
	at: number;
	/** Halo answered 429 (it still counts the request in its window) */
	refused: boolean;
}

/** Marks a taken slot as answered (`refused`: Halo answered 429); call it once the response (or failure) is back. */
export type SettleSlot = (refused?: boolean) => void;

/**
 * A hold lasts the guessed window plus this part of it: other processes' refusals of the same
 * burst come moments after ours, and Halo counts them until a window after each.
 */
export const HOLD_MARGIN = 0.1;
/** The first guess of Halo's window after a burst is at most this: a tenth of Halo's documented window. */
export const FIRST_GUESS_MS = 30_000;
/** Windows without a 429 after a burst before what a process keeps to grows by a step. */
export const STEP_AFTER_WINDOWS = 3;
/** Steps Halo refused stretch the wait before the next step up to this many times. */
const MAX_PATIENCE = 8;
/** Windows after the last 429 after which everything learned from 429s is forgotten. */
export const FORGET_WINDOWS = 20;
/** The floor and the step: this part of the limit. */
const TENTH = 0.1;
const IN_FLIGHT_POLL_MS = 50;

/** The 429s until Halo accepts a request again. */
interface Burst {
	/** the first 429 */
	first: number;
	/** the latest 429 of the requests sent before the hold (a probe's does not count) */
	last: number;
	/** Halo's window as guessed now */
	guess: number;
	/** this process's requests sent before the first 429: what Halo accepted of them is its share */
	before: Slot[];
	/** the one request sent when the hold ends, while it is in flight */
	probe?: Slot;
	/** refused probes whose learnFromRateLimit call has not come yet */
	probeRefusals: number;
}

/** What the 429s from one Halo taught this process. */
interface Learned {
	/** the fastest pace allowed, as of the latest 429 */
	ceiling: PaceSettings;
	/** the latest limit a 429 stated */
	stated?: PaceSettings;
	/** Halo's window as the latest burst showed it (it emptied within this long) */
	windowMs?: number;
	/** requests per window this process keeps to, when fewer than the limit */
	keep?: number;
	/** what it kept to before the latest step up */
	lastGood?: number;
	/** when the latest step up was taken */
	steppedAt?: number;
	/** no step up before this time */
	nextStepAt: number;
	/** the latest 429 or the end of the latest burst */
	since: number;
	/** the wait before the first step after a burst is STEP_AFTER_WINDOWS times this */
	patience: number;
	burst?: Burst;
}

const windows = new Map<string, Slot[]>();
/** What Halo's 429s taught, per Resource Server (shared by every execution of this process). */
const learned = new Map<string, Learned>();

/** Hosted Halo's documented limit: "300 Requests per rolling 5 minute window" (README §5.1). */
export const HOSTED_HALO_LIMIT: PaceSettings = { max: 300, windowMs: 300_000 };
const UNPACED: PaceSettings = { max: 0, windowMs: 0 };

/**
 * How a credential paces: `auto` keeps hosted Halo's documented limit on hosted tenants and no
 * pace on-premise, and learns the real limit from Halo's 429 answers; `custom` keeps the numbers
 * the user set (and learns a lower one from a 429); `none` never waits (a 429 is still retried).
 */
export type RateLimitMode = 'auto' | 'custom' | 'none';

export function rateLimitModeOf(credentials: ICredentialDataDecryptedObject): RateLimitMode {
	const mode = credentials.rateLimit as RateLimitMode | undefined;
	if (mode === 'auto' || mode === 'custom' || mode === 'none') return mode;
	// credentials saved before the Rate Limit option: their numbers, if they differ from the old default
	const max = credentials.rateLimitRequests;
	if (max === undefined) return 'auto';
	if (Number(max) <= 0) return 'none';
	return Number(max) === 300 && Number(credentials.rateLimitWindowSeconds ?? 300) === 300 ? 'auto' : 'custom';
}

export interface Pacing {
	/** the rate window's key: the Resource Server URL */
	key: string;
	mode: RateLimitMode;
	/** the pace the credential asks for */
	configured: PaceSettings;
}

/** The window key and pace settings of a credential. */
export function pacingOf(credentials: ICredentialDataDecryptedObject): Pacing {
	const key = resourceServerUrl(credentials).toLowerCase();
	const mode = rateLimitModeOf(credentials);
	let configured = UNPACED;
	if (mode === 'custom') {
		configured = {
			max: Number(credentials.rateLimitRequests ?? 300),
			windowMs: Number(credentials.rateLimitWindowSeconds ?? 300) * 1000,
		};
	} else if (mode === 'auto' && credentials.hostingType !== 'onPremise') {
		configured = HOSTED_HALO_LIMIT;
	}
	return { key, mode, configured };
}

/** What was learned for `key`, unless FORGET_WINDOWS have passed since the last 429. */
function learnedFor(key: string, now: number): Learned | undefined {
	const state = learned.get(key);
	if (state && !state.burst && state.windowMs && now >= state.since + FORGET_WINDOWS * state.windowMs) {
		learned.delete(key);
		return undefined;
	}
	return state;
}

/** The fastest pace allowed: see the top. */
function ceilingOf({ mode, configured }: Pacing, stated: PaceSettings | undefined): PaceSettings {
	if (mode === 'custom' && paced(configured)) return stated && rate(stated) < rate(configured) ? stated : configured;
	return stated ?? (paced(configured) ? configured : HOSTED_HALO_LIMIT);
}

/** The requests a window of `windowMs` allows at the ceiling's rate. */
function limitAt(ceiling: PaceSettings, windowMs: number): number {
	if (windowMs === ceiling.windowMs) return ceiling.max;
	return Math.max(1, Math.floor((ceiling.max * windowMs) / ceiling.windowMs));
}

/**
 * The pace to keep now: the credential's, until a 429 teaches otherwise; during the first burst
 * the ceiling; after it, the ceiling's rate over the window Halo showed.
 */
export function currentPace(pacing: Pacing, now: () => number = Date.now): PaceSettings {
	if (pacing.mode === 'none') return UNPACED;
	const state = learnedFor(pacing.key, now());
	if (!state) return pacing.configured;
	const ceiling = ceilingOf(pacing, state.stated);
	return state.windowMs ? { max: limitAt(ceiling, state.windowMs), windowMs: state.windowMs } : ceiling;
}

/** The window key and the pace to keep now for a credential. */
export function paceFor(credentials: ICredentialDataDecryptedObject): { key: string; pace: PaceSettings } {
	const pacing = pacingOf(credentials);
	return { key: pacing.key, pace: currentPace(pacing) };
}

const LIMIT_TEXT = /(\d+)\s*requests?\s*per\s*(?:rolling\s*)?(\d+)?\s*(second|minute|hour)/i;

/** Halo's own 429 sentence, e.g. "Rate Limit Reached - 300 Requests per rolling 5 minute window". */
export function limitStatedIn(message: string | undefined): PaceSettings | undefined {
	const match = LIMIT_TEXT.exec(message ?? '');
	if (!match) return undefined;
	const unitMs = { second: 1000, minute: 60_000, hour: 3_600_000 }[match[3].toLowerCase() as 'second'] as number;
	const max = Number(match[1]);
	const windowMs = Number(match[2] ?? 1) * unitMs;
	return max > 0 && windowMs > 0 ? { max, windowMs } : undefined;
}

/**
 * Call on every 429 (`message`: Halo's words, if any). The first 429 of a burst holds the window
 * (see the top); the others move the hold to a window after them, and a stated limit becomes
 * the ceiling. Returns the pace to keep now.
 */
export function learnFromRateLimit(
	pacing: Pacing,
	message: string | undefined,
	now: () => number = Date.now,
): PaceSettings {
	if (pacing.mode === 'none') return UNPACED;
	const at = now();
	let state = learnedFor(pacing.key, at);
	if (!state) {
		state = { ceiling: HOSTED_HALO_LIMIT, since: at, nextStepAt: Infinity, patience: 1 };
		learned.set(pacing.key, state);
	}
	const stated = limitStatedIn(message);
	if (stated) state.stated = stated;
	state.ceiling = ceilingOf(pacing, state.stated);
	state.since = at;
	const burst = state.burst;
	if (!burst) {
		state.burst = {
			first: at,
			last: at,
			guess: state.windowMs ?? Math.min(state.ceiling.windowMs, FIRST_GUESS_MS),
			before: (windows.get(pacing.key) ?? []).filter((slot) => slot.sentAt <= at),
			probeRefusals: 0,
		};
	} else if (burst.probeRefusals > 0) burst.probeRefusals--;
	else burst.last = Math.max(burst.last, at);
	return currentPace(pacing, now);
}

function paced(settings: PaceSettings): boolean {
	return settings.max > 0 && settings.windowMs > 0;
}

function rate(settings: PaceSettings): number {
	return settings.max / settings.windowMs;
}

/** When the hold of a burst ends: the guessed window and HOLD_MARGIN after its latest 429. */
function holdEnd(burst: Burst): number {
	return burst.last + Math.ceil(burst.guess * (1 + HOLD_MARGIN));
}

/** The probe's answer: refused, Halo's window is longer than guessed; accepted, the burst ends. */
function probeAnswered(state: Learned, burst: Burst, probe: Slot): void {
	burst.probe = undefined;
	if (probe.refused) {
		burst.probeRefusals++;
		// twice as long, up to the ceiling's window, then on beyond it (the sentence was wrong)
		const stated = state.ceiling.windowMs;
		burst.guess = burst.guess < stated ? Math.min(2 * burst.guess, stated) : 2 * burst.guess;
		return;
	}
	endBurst(state, burst, probe.at);
}

/** What a burst teaches, once, when Halo accepts its probe (see the top). */
function endBurst(state: Learned, burst: Burst, at: number): void {
	const windowMs = burst.guess;
	const limit = limitAt(state.ceiling, windowMs);
	const accepted = burst.before.filter(
		(slot) => !slot.refused && slot.at !== Infinity && slot.at > burst.first - windowMs,
	).length;
	let keep = accepted < fullCapacity(limit) ? Math.max(accepted, state.stated ? 1 : floorOf(limit)) : undefined;
	if (state.steppedAt !== undefined && burst.first < state.steppedAt + (state.windowMs ?? windowMs)) {
		// Halo refused the latest step: back to what it accepted, and wait longer before the next
		keep = Math.min(keep ?? Infinity, state.lastGood ?? Infinity);
		state.patience = Math.min(2 * state.patience, MAX_PATIENCE);
	}
	state.burst = undefined;
	state.windowMs = windowMs;
	state.keep = keep === Infinity ? undefined : keep;
	state.lastGood = undefined;
	state.steppedAt = undefined;
	state.since = at;
	state.nextStepAt = at + STEP_AFTER_WINDOWS * state.patience * windowMs;
}

/** Without a stated limit, a process keeps to at least a tenth of the limit. */
function floorOf(limit: number): number {
	return Math.max(1, Math.floor(limit * TENTH));
}

/** Requests that wait for a slot use all but one of the window (kept for the token request). */
function fullCapacity(settings: PaceSettings | number): number {
	const max = typeof settings === 'number' ? settings : settings.max;
	return max > 1 ? max - 1 : max;
}

/** What this process may use of the window now: all of it, or what it keeps to. */
function capacityOf(state: Learned | undefined, settings: PaceSettings): number {
	const full = fullCapacity(settings);
	return state?.keep === undefined ? full : Math.min(full, state.keep);
}

/**
 * Requests are waiting and the window is full: if the time has come, what this process keeps to
 * grows by a tenth of the limit (the step up of the top). True if it grew.
 */
function stepUp(state: Learned, settings: PaceSettings, at: number): boolean {
	if (state.keep === undefined || state.burst || at < state.nextStepAt) return false;
	state.lastGood = state.keep;
	state.steppedAt = at;
	const next = state.keep + Math.max(1, Math.round(settings.max * TENTH));
	state.keep = next < fullCapacity(settings) ? next : undefined;
	state.nextStepAt = at + settings.windowMs;
	return true;
}

/** The slots still counted in the window of `key` (answered within a window, or in flight). */
function live(key: string, settings: PaceSettings, now: number): Slot[] {
	return kept(key, settings, now).filter((slot) => slot.at > now - settings.windowMs);
}

/** The slots of `key`, kept for two windows. */
function kept(key: string, settings: PaceSettings, now: number): Slot[] {
	const slots = (windows.get(key) ?? []).filter((slot) => slot.at > now - 2 * settings.windowMs);
	windows.set(key, slots);
	return slots;
}

/** What this process keeps to per window of `key`, when fewer than the limit (tests, benchmarks). */
export function shareOf(key: string, now: () => number = Date.now): number | undefined {
	return learnedFor(key, now())?.keep;
}

/**
 * Waits until one more request fits in the window for `key`, takes the slot and returns its
 * settle function. `pace` is read again after each wait (what a 429 taught may change it).
 */
export async function acquireSlot(
	key: string,
	pace: PaceSettings | (() => PaceSettings),
	now: () => number = Date.now,
	wait: (ms: number) => Promise<void> = sleep,
): Promise<SettleSlot> {
	for (;;) {
		const settings = typeof pace === 'function' ? pace() : pace;
		if (!paced(settings)) return unpacedSlot(key, now);
		const at = now();
		const state = learnedFor(key, at);
		const burst = state?.burst;
		if (burst) {
			const held = holdEnd(burst) - at;
			if (held > 0) await wait(held + 5);
			else if (burst.probe) await wait(IN_FLIGHT_POLL_MS);
			else {
				burst.probe = newSlot(key, at);
				return settleOf(key, burst.probe, now);
			}
			continue;
		}
		const slots = live(key, settings, at);
		if (slots.length < capacityOf(state, settings)) return settleOf(key, newSlot(key, at), now);
		if (state && stepUp(state, settings, at)) continue;
		const answered = slots.filter((slot) => slot.at !== Infinity).map((slot) => slot.at);
		const until = answered.length ? Math.min(...answered) + settings.windowMs - at + 5 : IN_FLIGHT_POLL_MS;
		await wait(Math.max(until, 1));
	}
}

/**
 * Without a pace nothing waits, but the latest requests are still remembered: when Halo's first
 * 429 comes, they are in its window, and they tell how much of it this process had.
 */
const UNPACED_MEMORY = 1000;

function unpacedSlot(key: string, now: () => number): SettleSlot {
	const slots = windows.get(key) ?? [];
	if (slots.length >= UNPACED_MEMORY) slots.splice(0, slots.length - UNPACED_MEMORY + 1);
	windows.set(key, slots);
	return settleOf(key, newSlot(key, now()), now);
}

function newSlot(key: string, at: number): Slot {
	const slot: Slot = { sentAt: at, at: Infinity, refused: false };
	const slots = windows.get(key) ?? [];
	slots.push(slot);
	windows.set(key, slots);
	return slot;
}

function settleOf(key: string, slot: Slot, now: () => number): SettleSlot {
	return (refused = false) => {
		if (slot.at !== Infinity) return;
		slot.at = now();
		slot.refused = refused;
		const state = learned.get(key);
		if (state?.burst && state.burst.probe === slot) probeAnswered(state, state.burst, slot);
	};
}

/**
 * Counts a request that must not wait for a slot (the token request: items holding every slot
 * may be waiting for it) in the slot kept for it, until its answer comes and a window after.
 */
export function recordRequest(key: string, settings: PaceSettings, now: () => number = Date.now): SettleSlot {
	if (!paced(settings)) return () => undefined;
	kept(key, settings, now());
	return settleOf(key, newSlot(key, now()), now);
}

/** Until when the window of `key` is held after a 429 (0 = not held; tests, benchmarks). */
export function heldUntil(key: string): number {
	const burst = learned.get(key)?.burst;
	return burst ? holdEnd(burst) : 0;
}

/** Requests counted in the window of `key` right now (tests, benchmarks). */
export function slotsInUse(key: string, settings: PaceSettings, now: () => number = Date.now): number {
	return live(key, settings, now()).length;
}

export function resetPacing(): void {
	windows.clear();
	learned.clear();
}

/**
 * Exponential back-off with jitter: about 1 s, 2 s, 4 s ... for retry number `retry` (1-based),
 * capped at a minute, each stretched by up to a quarter at random so that items waiting together
 * do not come back together.
 */
export function backoffMs(retry: number, baseMs = 1000, maxMs = 60_000, random: () => number = Math.random): number {
	return Math.round(Math.min(baseMs * 2 ** Math.max(retry - 1, 0), maxMs) * (1 + random() * 0.25));
}

/**
 * The one retry loop: runs `attempt`, and after a failure asks `delayFor(error, retriesSoFar)` how
 * long to wait before the next try (undefined = give up and throw). Token requests and every
 * API request (routed or not) go through it.
 */
export async function retrying<T>(
	attempt: () => Promise<T>,
	delayFor: (error: any, retriesSoFar: number) => number | undefined,
	wait: (ms: number) => Promise<void> = sleep,
): Promise<T> {
	for (let retries = 0; ; retries++) {
		try {
			return await attempt();
		} catch (error) {
			const delay = delayFor(error, retries);
			if (delay === undefined) throw error;
			await wait(delay);
		}
	}
}
