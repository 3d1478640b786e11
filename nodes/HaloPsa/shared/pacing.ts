import { sleep } from 'n8n-workflow';

/**
 * A rolling-window pacer shared by every execution in this n8n process, one per Halo
 * Resource Server: a large run waits for room in the window instead of hitting Halo's 429.
 */
export interface PaceSettings {
	/** requests allowed per window; 0 or less = no pacing */
	max: number;
	windowMs: number;
}

const windows = new Map<string, number[]>();

/** Waits until one more request fits in the window for `key`, then records it. */
export async function acquireSlot(key: string, settings: PaceSettings, now: () => number = Date.now): Promise<number> {
	if (!(settings.max > 0) || !(settings.windowMs > 0)) return 0;
	let waited = 0;
	for (;;) {
		const times = windows.get(key) ?? [];
		const cutoff = now() - settings.windowMs;
		while (times.length && times[0] <= cutoff) times.shift();
		if (times.length < settings.max) {
			times.push(now());
			windows.set(key, times);
			return waited;
		}
		const wait = Math.max(times[0] + settings.windowMs - now(), 1) + 5;
		waited += wait;
		await sleep(wait);
	}
}

/** After a 429, treat the window as full for a while: Halo counts requests we did not see. */
export function markWindowFull(key: string, settings: PaceSettings, now: () => number = Date.now): void {
	if (!(settings.max > 0)) return;
	const times = windows.get(key) ?? [];
	const stamp = now();
	while (times.length < settings.max) times.push(stamp);
	windows.set(key, times);
}

export function resetPacing(): void {
	windows.clear();
}
