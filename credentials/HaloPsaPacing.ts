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
 */
export interface PaceSettings {
	/** requests allowed per window; 0 or less = no pacing */
	max: number;
	windowMs: number;
}

interface Slot {
	/** when the answer came (Infinity while the request is in flight) */
	at: number;
}

/** Marks a taken slot as answered; call it once the response (or failure) is back. */
export type SettleSlot = () => void;

const IN_FLIGHT_POLL_MS = 50;
const windows = new Map<string, Slot[]>();

/** The window key and pace of a credential (its Halo instance and its configured limit). */
export function paceFor(credentials: ICredentialDataDecryptedObject): { key: string; pace: PaceSettings } {
	const key = resourceServerUrl(credentials).toLowerCase();
	const max = Number(credentials.rateLimitRequests ?? 300);
	const windowMs = Number(credentials.rateLimitWindowSeconds ?? 300) * 1000;
	return { key, pace: { max, windowMs } };
}

function paced(settings: PaceSettings): boolean {
	return settings.max > 0 && settings.windowMs > 0;
}

function live(key: string, settings: PaceSettings, now: number): Slot[] {
	const slots = (windows.get(key) ?? []).filter((slot) => slot.at > now - settings.windowMs);
	windows.set(key, slots);
	return slots;
}

/** Waits until one more request fits in the window for `key`, takes the slot and returns its settle function. */
export async function acquireSlot(
	key: string,
	settings: PaceSettings,
	now: () => number = Date.now,
): Promise<SettleSlot> {
	if (!paced(settings)) return () => undefined;
	for (;;) {
		const slots = live(key, settings, now());
		if (slots.length < settings.max) {
			const slot: Slot = { at: Infinity };
			slots.push(slot);
			return () => {
				if (slot.at === Infinity) slot.at = now();
			};
		}
		const answered = slots.filter((slot) => slot.at !== Infinity).map((slot) => slot.at);
		const wait = answered.length ? Math.min(...answered) + settings.windowMs - now() + 5 : IN_FLIGHT_POLL_MS;
		await sleep(Math.max(wait, 1));
	}
}

/**
 * Counts a request that must not wait for a slot (the token request: items holding every slot
 * may be waiting for it), so the window still knows about it.
 */
export function recordRequest(key: string, settings: PaceSettings, now: () => number = Date.now): void {
	if (!paced(settings)) return;
	live(key, settings, now()).push({ at: now() });
}

/** After a 429, treat the window as full from now: Halo counts requests we did not send (other integrations). */
export function markWindowFull(key: string, settings: PaceSettings, now: () => number = Date.now): void {
	if (!paced(settings)) return;
	const slots = live(key, settings, now());
	const stamp = now();
	while (slots.length < settings.max) slots.push({ at: stamp });
}

/** Requests counted in the window of `key` right now (tests, benchmarks). */
export function slotsInUse(key: string, settings: PaceSettings, now: () => number = Date.now): number {
	return live(key, settings, now()).length;
}

export function resetPacing(): void {
	windows.clear();
}

/** Exponential back-off: 1 s, 2 s, 4 s ... for retry number `retry` (1-based), capped at a minute. */
export function backoffMs(retry: number, baseMs = 1000, maxMs = 60_000): number {
	return Math.min(baseMs * 2 ** Math.max(retry - 1, 0), maxMs);
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
