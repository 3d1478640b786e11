/**
 * The poll trigger's rules, on a fake clock and an in-memory Halo list: each change emitted once
 * (several in one second, a sub-second gap, rows that move between pages while a poll reads, a
 * poll overlapping the previous one), the cursor kept in Halo's own time and never past it, new
 * tickets by id, new actions per ticket.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	ACTIONS_PER_REPORT,
	AHEAD_TOLERANCE_MS,
	haloDate,
	haloTime,
	keyOf,
	missingChangeTime,
	newActionsSql,
	pruneFollowedTickets,
	readChanges,
	selectChanges,
	selectNewActions,
	windowStart,
	type ChangePage,
	type PollEvent,
	type PollState,
} from '../../nodes/HaloPsa/shared/polling';

const OVERLAP = 120_000;
const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const ticket = (id: number, seconds: number) => ({ id, summary: `T${id}`, last_update: at(seconds) });
/** what a poll read when it asked from the window start and Halo's clock said `now` */
const read = (state: PollState, now?: number) => ({ from: windowStart(state, OVERLAP) ?? -Infinity, haloNow: now });

/**
 * A Halo list on a fake clock: rows ordered by last_update, filtered from a whole second,
 * paged by number (page size 100), and a hook that runs after each page is served.
 */
class FakeHalo {
	rows = new Map<number, IDataObject>();
	now = T0;
	requests = 0;
	afterPage?: (page: number, served: IDataObject[]) => void;

	change(id: number, seconds = (this.now - T0) / 1000): void {
		this.rows.set(id, ticket(id, seconds));
	}

	async page(from: number, page: number): Promise<ChangePage> {
		this.requests++;
		const listed = [...this.rows.values()]
			.filter((row) => (haloTime(row.last_update) as number) >= from)
			.sort((a, b) => String(a.last_update).localeCompare(String(b.last_update)) || Number(a.id) - Number(b.id));
		const served = listed.slice((page - 1) * 100, page * 100).map((row) => ({ ...row }));
		this.afterPage?.(page, served);
		return { rows: served, more: served.length === 100, haloNow: this.now };
	}

	/** One poll as the trigger runs it: read from the window start, pick, move the cursor. */
	async poll(state: PollState, event: PollEvent = 'ticketUpdated') {
		const from = windowStart(state, OVERLAP) as number;
		const answer = await readChanges((bound, page) => this.page(bound, page), from, event);
		return selectChanges(state, answer.rows, event, OVERLAP, answer.read);
	}
}

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
	const first = selectChanges(start, rows, 'ticketUpdated', OVERLAP, read(start));
	expect(first.emit.map((r) => r.id)).toEqual([1, 2]);
	expect(first.next.cursor).toBe(at(10));
	expect(selectChanges(first.next, rows, 'ticketUpdated', OVERLAP, read(first.next)).emit).toEqual([]);
});

test('a record changed again is emitted again, once per change', () => {
	let state: PollState = { event: 'ticketUpdated', cursor: at(0), seen: {} };
	state = selectChanges(state, [ticket(1, 5)], 'ticketUpdated', OVERLAP, read(state)).next;
	const changed = selectChanges(state, [ticket(1, 5), ticket(1, 9)], 'ticketUpdated', OVERLAP, read(state));
	expect(changed.emit).toEqual([ticket(1, 9)]);
	expect(selectChanges(changed.next, [ticket(1, 9)], 'ticketUpdated', OVERLAP, read(changed.next)).emit).toEqual([]);
});

test('the query and the memory share one bound: a sub-second gap is not emitted again while nothing changes', async () => {
	const halo = new FakeHalo();
	let state: PollState = { event: 'ticketUpdated', cursor: at(-1), seen: {} };
	halo.now = T0 + 1000;
	halo.change(1, 0.3); // 09:00:00.3
	halo.change(2, 120.7); // 09:02:00.7: the window of the next poll starts at 09:00:00.7, floored to 09:00:00
	halo.now = T0 + 121_000;
	const emitted: unknown[] = [];
	for (let poll = 1; poll <= 5; poll++) {
		const result = await halo.poll(state);
		emitted.push(...result.emit.map((r) => r.id));
		state = result.next;
		halo.now += 60_000;
	}
	expect(emitted).toEqual([1, 2]);
	// what the next query can return is still remembered; what it cannot is forgotten
	expect(windowStart(state, OVERLAP)).toBe(T0);
	expect(Object.keys(state.seen ?? {}).sort()).toEqual(['1', '2']);
});

test('a record that changes while the poll pages moves to the end and no row slips past a page boundary', async () => {
	const halo = new FakeHalo();
	let state: PollState = { event: 'ticketUpdated', cursor: at(0), seen: {} };
	// 150 tickets changed a second apart while n8n was down, long after the overlap
	for (let id = 1; id <= 150; id++) halo.change(id, 1000 + id);
	halo.now = T0 + 2_000_000;
	halo.afterPage = (page) => {
		if (page === 1 && !halo.rows.get(29)?.edited) halo.rows.set(29, { ...ticket(29, 1999), edited: true });
	};
	const { emit, next } = await halo.poll(state);
	const keys = emit.map((r) => `${r.id}@${r.last_update}`);
	expect(new Set(keys).size).toBe(keys.length);
	expect(new Set(emit.map((r) => r.id)).size).toBe(150);
	expect(emit.filter((r) => r.id === 29).map((r) => r.last_update)).toEqual([at(1029), at(1999)]);
	expect(halo.requests).toBeLessThanOrEqual(3);
	state = next;
	halo.afterPage = undefined;
	halo.now += 60_000;
	expect((await halo.poll(state)).emit).toEqual([]);
});

test('more than a page in one second is paged by number; a row that moves holds the cursor so the next poll reads what slid past', async () => {
	const halo = new FakeHalo();
	// the window starts at 09:08:20, the second all 250 rows share
	let state: PollState = { event: 'ticketUpdated', cursor: at(620), seen: {} };
	for (let id = 1; id <= 250; id++) halo.rows.set(id, { id, last_update: at(500 + id / 1000) });
	halo.now = T0 + 1_000_000;
	halo.afterPage = (page) => {
		if (page === 1 && !halo.rows.get(10)?.edited) halo.rows.set(10, { id: 10, last_update: at(900), edited: true });
	};
	const first = await halo.poll(state);
	// row 101 slid onto page 1 after it was read: not read in this poll, but the cursor waits for it
	const ids = new Set(first.emit.map((r) => r.id));
	expect(ids.has(101)).toBe(false);
	expect(windowStart(first.next, OVERLAP)).toBeLessThanOrEqual(T0 + 500_000);
	state = first.next;
	halo.afterPage = undefined;
	const second = await halo.poll(state);
	expect(second.emit.map((r) => r.id)).toEqual([101]);
	const all = [...first.emit, ...second.emit].map((r) => `${r.id}@${r.last_update}`);
	expect(new Set(all).size).toBe(all.length);
	expect(all).toHaveLength(251);
	expect((await halo.poll(second.next)).emit).toEqual([]);
});

test('250 rows changed in one second cost 3 pages', async () => {
	const halo = new FakeHalo();
	for (let id = 1; id <= 250; id++) halo.rows.set(id, { id, last_update: at(500 + id / 1000) });
	halo.now = T0 + 600_000;
	const { emit } = await halo.poll({ event: 'ticketUpdated', cursor: at(0), seen: {} });
	expect(emit).toHaveLength(250);
	expect(halo.requests).toBe(3);
});

test('a Halo that ignores the order is paged by number and still read whole', async () => {
	const rows = Array.from({ length: 230 }, (_, i) => ticket(i + 1, 1000 - i));
	let requests = 0;
	const page = async (_from: number, no: number): Promise<ChangePage> => {
		requests++;
		const served = rows.slice((no - 1) * 100, no * 100);
		return { rows: served, more: served.length === 100 };
	};
	const answer = await readChanges(page, T0, 'ticketUpdated');
	expect(answer.rows).toHaveLength(230);
	expect(requests).toBe(3);
});

test('a row stamped in the future is emitted once and does not move the cursor past Halo', async () => {
	const halo = new FakeHalo();
	let state: PollState = { event: 'ticketUpdated', cursor: at(0), seen: {} };
	halo.now = T0 + 60_000;
	halo.change(1, 30);
	halo.rows.set(2, { id: 2, last_update: '2031-01-01T00:00:00Z' });
	let result = await halo.poll(state);
	expect(result.emit.map((r) => r.id)).toEqual([1, 2]);
	expect(result.ahead.map((r) => r.id)).toEqual([2]);
	expect(result.next.cursor).toBe(at(30));
	state = result.next;
	const later: unknown[] = [];
	for (let minute = 1; minute <= 4; minute++) {
		halo.now += 60_000;
		halo.change(10 + minute, (halo.now - T0) / 1000 - 5);
		result = await halo.poll(state);
		later.push(...result.emit.map((r) => r.id));
		state = result.next;
	}
	expect(later).toEqual([11, 12, 13, 14]);
	expect(haloTime(state.cursor)).toBeLessThanOrEqual(halo.now + AHEAD_TOLERANCE_MS);
});

test('a cursor left in the future (an older version, a Halo clock stepped back) comes back to Halo time', () => {
	const stuck: PollState = { event: 'ticketUpdated', cursor: '2031-01-01T00:00:00.000Z', seen: {} };
	const now = T0 + 60_000;
	const result = selectChanges(stuck, [ticket(5, 50)], 'ticketUpdated', OVERLAP, { from: T0, haloNow: now });
	expect(result.emit.map((r) => r.id)).toEqual([5]);
	expect(haloTime(result.next.cursor)).toBe(now + AHEAD_TOLERANCE_MS);
});

test('rows older than the query asked for (a Halo that ignores the date filter) are not emitted again', () => {
	const state: PollState = { event: 'clientChanged', cursor: at(600), seen: {} };
	const rows = [
		{ id: 1, alastupdate: at(10) },
		{ id: 2, alastupdate: at(590) },
	];
	expect(selectChanges(state, rows, 'clientChanged', OVERLAP, read(state)).emit.map((r) => r.id)).toEqual([2]);
});

test('what left the window is forgotten, so the state stays small', () => {
	let state: PollState = { cursor: at(0), seen: {} };
	state = selectChanges(state, [ticket(1, 1)], 'ticketUpdated', 10_000, { from: T0 - 10_000 }).next;
	state = selectChanges(state, [ticket(2, 59)], 'ticketUpdated', 10_000, { from: T0 - 9_000 }).next;
	expect(Object.keys(state.seen ?? {})).toEqual(['2']);
});

test('new tickets: ids above the floor, each once, and an old ticket that changes is not new', () => {
	let state: PollState = { event: 'ticketCreated', cursor: at(0), seen: {}, floorId: 100 };
	const first = selectChanges(
		state,
		[ticket(99, 5), ticket(101, 5), ticket(102, 6)],
		'ticketCreated',
		OVERLAP,
		read(state),
	);
	expect(first.emit.map((r) => r.id)).toEqual([101, 102]);
	state = first.next;
	// much later: 101 is updated; it is not new again, even after its time left the window
	const later = selectChanges(state, [ticket(101, 3000), ticket(103, 3000)], 'ticketCreated', OVERLAP, read(state));
	expect(later.emit.map((r) => r.id)).toEqual([103]);
});

test('client and asset rows need a change time; a creation date is not one', () => {
	expect(missingChangeTime([{ id: 7, name: 'Acme', datecreated: at(0) }], 'clientChanged')).toEqual({
		id: 7,
		name: 'Acme',
		datecreated: at(0),
	});
	expect(missingChangeTime([{ id: 7, alastupdate: at(0) }], 'clientChanged')).toBeUndefined();
	expect(missingChangeTime([{ id: 8, dlastupdate: at(0) }], 'assetChanged')).toBeUndefined();
});

test('new actions across tickets: keyed by ticket and action, read from their creation time', () => {
	const action = (ticketId: number, id: number, seconds: number) => ({
		ticket_id: ticketId,
		id,
		actiondatecreated: at(seconds),
	});
	expect(keyOf(action(5, 2, 0), 'actionCreated')).toBe('5/2');
	const state: PollState = { event: 'actionCreated', cursor: at(0), seen: {} };
	const rows = [action(5, 1, 10), action(6, 1, 10), action(5, 2, 11)];
	const first = selectChanges(state, rows, 'actionCreated', OVERLAP, read(state));
	expect(first.emit).toHaveLength(3);
	expect(selectChanges(first.next, rows, 'actionCreated', OVERLAP, read(first.next)).emit).toEqual([]);
	const sql = newActionsSql(T0 + 500);
	expect(sql).toContain("WHERE ActionDateCreated >= '2026-11-27T09:00:00'");
	expect(sql).toContain(`SELECT TOP ${ACTIONS_PER_REPORT} Faultid AS ticket_id, actionnumber AS id`);
});

test('new actions per ticket: by date for a ticket not followed yet, then by id', () => {
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
