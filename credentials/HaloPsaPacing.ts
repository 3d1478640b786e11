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
 * Several n8n processes (queue-mode workers) may send to the same Halo, and nothing is shared
 * between them. What each one can see is Halo's window: a 429 that comes while this process has
 * fewer answered requests in the window than the limit means others use the rest. This process
 * then keeps to its *share*, the requests Halo accepted from it in that window (`shareAfterHold`);
 * the shares of all senders add up to the limit, so together they stay under it. A share lapses
 * after SHARE_WINDOWS windows without a 429; if others are still busy, the next 429 splits again.
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

/** How many windows a share learned from a 429 lasts without another 429. */
export const SHARE_WINDOWS = 3;
/**
 * A hold lasts a window plus this part of a window: other processes' refusals of the same burst
 * come moments after ours, and Halo counts them until a window after each.
 */
export const HOLD_MARGIN = 0.1;
interface Share {
	max: number;
	/** the 429 it was learned from */
	since: number;
}
/** The part of the window this process keeps to while others share the Halo (see the top). */
const shares = new Map<string, Share>();
/** The latest 429 whose share is worked out when its hold ends, once the burst's answers are in. */
const pendingShares = new Map<string, number>();

const IN_FLIGHT_POLL_MS = 50;
const windows = new Map<string, Slot[]>();
/** After a 429, no request of that window is sent before this time (ms since epoch). */
const holds = new Map<string, number>();

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

/** Limits learned from Halo's 429 answers, per Resource Server (shared by every execution of this process). */
const learned = new Map<string, PaceSettings>();

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

/** The pace to keep now: what Halo taught us, else what the credential asks for. */
export function currentPace({ key, mode, configured }: Pacing): PaceSettings {
	if (mode === 'none') return UNPACED;
	return learned.get(key) ?? configured;
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
 * Learns from a 429: the limit Halo states in its answer, or, when it states none, half of the
 * pace kept so far (starting from hosted Halo's documented limit). Then holds the window until a
 * whole window after this 429 (see `holdWindow`). Returns the pace to keep.
 */
export function learnFromRateLimit(
	pacing: Pacing,
	message: string | undefined,
	now: () => number = Date.now,
): PaceSettings {
	if (pacing.mode === 'none') return UNPACED;
	const stated = limitStatedIn(message);
	const before = currentPace(pacing);
	const next =
		stated ??
		(paced(before) ? { max: Math.max(1, Math.floor(before.max / 2)), windowMs: before.windowMs } : HOSTED_HALO_LIMIT);
	const rate = (pace: PaceSettings) => pace.max / pace.windowMs;
	// `auto` believes Halo; `custom` never goes faster than the user's numbers
	if (pacing.mode === 'auto' || !paced(pacing.configured) || rate(next) < rate(pacing.configured))
		learned.set(pacing.key, next);
	const pace = currentPace(pacing);
	holdWindow(pacing.key, pace, now);
	if (paced(pace)) pendingShares.set(pacing.key, now());
	return pace;
}

function paced(settings: PaceSettings): boolean {
	return settings.max > 0 && settings.windowMs > 0;
}

/** The slots still counted in the window of `key` (answered within a window, or in flight). */
function live(key: string, settings: PaceSettings, now: number): Slot[] {
	return kept(key, settings, now).filter((slot) => slot.at > now - settings.windowMs);
}

/** The slots of `key`, kept for two windows: a share is worked out a window after its 429. */
function kept(key: string, settings: PaceSettings, now: number): Slot[] {
	const slots = (windows.get(key) ?? []).filter((slot) => slot.at > now - 2 * settings.windowMs);
	windows.set(key, slots);
	return slots;
}

/**
 * When the hold after a 429 ends: the requests Halo accepted from this process in its window at
 * that 429 (sent before it, answered less than a window before it, not refused). Fewer than this
 * process may use means other senders hold the rest; this process keeps to what it had.
 */
function shareAfterHold(key: string, settings: PaceSettings, now: number): void {
	const refusedAt = pendingShares.get(key);
	if (refusedAt === undefined) return;
	pendingShares.delete(key);
	const accepted = kept(key, settings, now).filter(
		(slot) => !slot.refused && slot.sentAt <= refusedAt && slot.at > refusedAt - settings.windowMs,
	).length;
	if (accepted < fullCapacity(settings)) shares.set(key, { max: Math.max(1, accepted), since: refusedAt });
	else shares.delete(key);
}

/** Requests that wait for a slot use all but one of the window (kept for the token request). */
function fullCapacity(settings: PaceSettings): number {
	return settings.max > 1 ? settings.max - 1 : settings.max;
}

/** What this process may use of the window now: all of it, or its share while that lasts. */
function capacityOf(key: string, settings: PaceSettings, now: number): number {
	const share = shares.get(key);
	if (share && now < share.since + SHARE_WINDOWS * settings.windowMs)
		return Math.min(fullCapacity(settings), share.max);
	shares.delete(key);
	return fullCapacity(settings);
}

/** The share of the window of `key` this process keeps to now, if it learned one (tests, benchmarks). */
export function shareOf(key: string, settings: PaceSettings, now: () => number = Date.now): number | undefined {
	shareAfterHold(key, settings, now());
	const capacity = capacityOf(key, settings, now());
	return shares.has(key) ? capacity : undefined;
}

/** Waits until one more request fits in the window for `key`, takes the slot and returns its settle function. */
export async function acquireSlot(
	key: string,
	settings: PaceSettings,
	now: () => number = Date.now,
): Promise<SettleSlot> {
	if (!paced(settings)) return unpacedSlot(key, now);
	for (;;) {
		const held = (holds.get(key) ?? 0) - now();
		if (held > 0) {
			await sleep(held + 5);
			continue;
		}
		shareAfterHold(key, settings, now());
		const slots = live(key, settings, now());
		if (slots.length < capacityOf(key, settings, now())) return takeSlot(key, now);
		const answered = slots.filter((slot) => slot.at !== Infinity).map((slot) => slot.at);
		const wait = answered.length ? Math.min(...answered) + settings.windowMs - now() + 5 : IN_FLIGHT_POLL_MS;
		await sleep(Math.max(wait, 1));
	}
}

/**
 * Without a pace nothing waits, but the latest requests are still remembered: when Halo's first
 * 429 states its limit, they are in its window, and they tell how much of it this process had.
 */
const UNPACED_MEMORY = 1000;

function unpacedSlot(key: string, now: () => number): SettleSlot {
	const slots = windows.get(key) ?? [];
	if (slots.length >= UNPACED_MEMORY) slots.splice(0, slots.length - UNPACED_MEMORY + 1);
	windows.set(key, slots);
	return takeSlot(key, now);
}

function takeSlot(key: string, now: () => number): SettleSlot {
	const slot: Slot = { sentAt: now(), at: Infinity, refused: false };
	const slots = windows.get(key) ?? [];
	slots.push(slot);
	windows.set(key, slots);
	return (refused = false) => {
		if (slot.at !== Infinity) return;
		slot.at = now();
		slot.refused = refused;
	};
}

/**
 * Counts a request that must not wait for a slot (the token request: items holding every slot
 * may be waiting for it) in the slot kept for it, until its answer comes and a window after.
 */
export function recordRequest(key: string, settings: PaceSettings, now: () => number = Date.now): SettleSlot {
	if (!paced(settings)) return () => undefined;
	kept(key, settings, now());
	return takeSlot(key, now);
}

/**
 * After a 429: nothing more is sent to this Halo until a whole window (and HOLD_MARGIN) after the latest 429.
 * Halo's rolling window then holds the requests it refused (it counts them too) and traffic that
 * is not ours; every one of them is older than that 429, so by then all have aged out. A burst of
 * 429s (items sent together) holds until a window after the last of them, not the first.
 */
export function holdWindow(key: string, settings: PaceSettings, now: () => number = Date.now): void {
	if (!paced(settings)) return;
	const until = now() + Math.ceil(settings.windowMs * (1 + HOLD_MARGIN));
	holds.set(key, Math.max(holds.get(key) ?? 0, until));
}

/** Until when the window of `key` is held after a 429 (0 = not held; tests, benchmarks). */
export function heldUntil(key: string): number {
	return holds.get(key) ?? 0;
}

/** Requests counted in the window of `key` right now (tests, benchmarks). */
export function slotsInUse(key: string, settings: PaceSettings, now: () => number = Date.now): number {
	return live(key, settings, now()).length;
}

export function resetPacing(): void {
	windows.clear();
	holds.clear();
	learned.clear();
	shares.clear();
	pendingShares.clear();
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
