/**
 * The poll trigger's rules: each change emitted once (several in one second, a poll overlapping
 * the previous one, a change seen again), the cursor kept in Halo's own time, new tickets by id,
 * new actions per ticket.
 */
import {
	haloDate,
	haloTime,
	pruneFollowedTickets,
	selectChanges,
	selectNewActions,
	sinceOf,
	type PollState,
} from '../../nodes/HaloPsa/shared/polling';

const OVERLAP = 120_000;
const at = (seconds: number) => new Date(Date.UTC(2026, 10, 27, 9, 0, seconds)).toISOString();
const ticket = (id: number, seconds: number) => ({ id, summary: `T${id}`, last_update: at(seconds) });

test("Halo's timestamps: 7 fractional digits, no Z (UTC), and 'never' dates", () => {
	expect(haloTime('2026-11-27T09:00:00.1234567Z')).toBe(Date.UTC(2026, 10, 27, 9, 0, 0, 123));
	expect(haloTime('2026-11-27T09:00:00')).toBe(Date.UTC(2026, 10, 27, 9, 0, 0));
	expect(haloTime('0001-01-01T00:00:00')).toBeUndefined();
	expect(haloTime('1900-01-01T00:00:00')).toBeUndefined();
	expect(haloDate(Date.UTC(2026, 10, 27, 9, 0, 5, 900))).toBe('2026-11-27T09:00:05Z');
});

test('two changes in the same second are both emitted; the next poll over the same window emits nothing', () => {
	const start: PollState = { event: 'ticketUpdated', cursor: at(0), seen: {} };
	const rows = [ticket(1, 10), ticket(2, 10)];
	const first = selectChanges(start, rows, 'ticketUpdated', OVERLAP);
	expect(first.emit.map((r) => r.id)).toEqual([1, 2]);
	expect(first.next.cursor).toBe(at(10));
	const again = selectChanges(first.next, rows, 'ticketUpdated', OVERLAP);
	expect(again.emit).toEqual([]);
});

test('a record changed again is emitted again, once per change', () => {
	let state: PollState = { event: 'ticketUpdated', cursor: at(0), seen: {} };
	state = selectChanges(state, [ticket(1, 5)], 'ticketUpdated', OVERLAP).next;
	const changed = selectChanges(state, [ticket(1, 5), ticket(1, 9)], 'ticketUpdated', OVERLAP);
	expect(changed.emit).toEqual([ticket(1, 9)]);
	expect(selectChanges(changed.next, [ticket(1, 9)], 'ticketUpdated', OVERLAP).emit).toEqual([]);
});

test('the next query reaches back by the overlap from the cursor, which is always a Halo time', () => {
	const state = selectChanges({ cursor: at(0), seen: {} }, [ticket(3, 50)], 'ticketUpdated', OVERLAP).next;
	expect(sinceOf(state, OVERLAP)).toBe(Date.parse(at(50)) - OVERLAP);
	// a change Halo stamped before the cursor (saved late) is still inside the overlap and emitted once
	const late = selectChanges(state, [ticket(4, 20)], 'ticketUpdated', OVERLAP);
	expect(late.emit.map((r) => r.id)).toEqual([4]);
	expect(late.next.cursor).toBe(at(50));
});

test('what left the overlap window is forgotten, so the state stays small', () => {
	let state: PollState = { cursor: at(0), seen: {} };
	state = selectChanges(state, [ticket(1, 1)], 'ticketUpdated', 10_000).next;
	state = selectChanges(state, [ticket(2, 59)], 'ticketUpdated', 10_000).next;
	expect(Object.keys(state.seen ?? {})).toEqual(['2']);
});

test('new tickets: ids above the floor, each once, and an old ticket that changes is not new', () => {
	let state: PollState = { event: 'ticketCreated', cursor: at(0), seen: {}, floorId: 100 };
	const first = selectChanges(state, [ticket(99, 5), ticket(101, 5), ticket(102, 6)], 'ticketCreated', OVERLAP);
	expect(first.emit.map((r) => r.id)).toEqual([101, 102]);
	state = first.next;
	// much later: 101 is updated; it is not new again, even after its time left the window
	const later = selectChanges(state, [ticket(101, 3000), ticket(103, 3000)], 'ticketCreated', OVERLAP);
	expect(later.emit.map((r) => r.id)).toEqual([103]);
});

test('rows without a change time (a Halo whose list rows lack it) are emitted when first seen only', () => {
	const rows = [{ id: 7, name: 'Acme' }];
	const first = selectChanges({ cursor: at(0), seen: {} }, rows, 'clientChanged', OVERLAP);
	expect(first.emit).toHaveLength(1);
	expect(selectChanges(first.next, rows, 'clientChanged', OVERLAP).emit).toEqual([]);
});

test('new actions: by date for a ticket not followed yet, then by id', () => {
	const since = Date.parse(at(0));
	const actions = [
		{ id: 1, actiondatecreated: at(-500) },
		{ id: 2, actiondatecreated: at(30) },
	];
	const first = selectNewActions({}, '5', actions, since);
	expect(first.emit.map((a) => a.id)).toEqual([2]);
	const next = selectNewActions(first.next, '5', [...actions, { id: 3, actiondatecreated: at(31) }], since);
	expect(next.emit.map((a) => a.id)).toEqual([3]);
	expect(pruneFollowedTickets(next.next, new Set(['6'])).actions).toEqual({});
});
