/**
 * eventno -> event name as the emulator sends it. Halo does not publish this table
 * (shared/halo-api/README.md §9.12): the numbers are unverified, the names follow Halo's UI
 * in the lower-case prose of the live capture ("ticket status changed").
 */
const names: Record<number, string> = {
	0: 'new ticket logged',
	1: 'ticket updated',
	2: 'ticket status changed',
	3: 'ticket closed',
	4: 'ticket reassigned',
	5: 'action added',
	6: 'sla response warning',
	7: 'sla resolution warning',
	8: 'client created',
	9: 'client updated',
	10: 'asset created',
	11: 'asset updated',
};

export function eventName(eventno: number): string {
	return names[eventno] ?? `event ${eventno}`;
}
