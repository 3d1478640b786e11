import type { IDataObject } from 'n8n-workflow';

/**
 * What the poll trigger remembers between polls (the workflow's static data), and the rules that
 * decide what is new. Pure functions (the page loop takes its fetch as an argument), so the rules
 * are unit-tested without n8n or Halo.
 *
 * The cursor is always one of Halo's own times (its change times, or its Date header), never
 * n8n's clock, so a Halo clock ahead of or behind n8n's cannot open a gap. Each poll asks for what
 * changed since the cursor minus an overlap, floored to the whole second Halo's filter takes
 * (`windowStart`), and drops what it already emitted: a record is emitted once per change (its id
 * and change time), even when several changes share a second or a change lands during a poll. The
 * memory of what was emitted keeps exactly what the next query can return again: everything
 * changed at or after the next poll's window start, by the same bound.
 */
export type PollEvent = 'ticketCreated' | 'ticketUpdated' | 'actionCreated' | 'clientChanged' | 'assetChanged';

export interface PollState {
	event?: PollEvent;
	/** Halo's latest change time read (ISO, UTC); everything changed before it has been read */
	cursor?: string;
	/** id -> change time emitted, for records changed at or after the next window start */
	seen?: Record<string, string>;
	/** new tickets: ids above this are new; emitted ones above it are in `seen` */
	floorId?: number;
	/** new actions: per ticket, the highest action id emitted */
	actions?: Record<string, number>;
	/** a row stamped after Halo's own time was reported (said once, in n8n's log) */
	aheadReported?: boolean;
	/** new actions: when Halo last refused the report that lists them across tickets (ISO) */
	reportRefusedAt?: string;
}

/**
 * How far past Halo's own time (its Date header, whole seconds) a change time may be and still
 * move the cursor: the header's rounding down, and a Halo whose database and web servers disagree
 * by a moment. A row stamped later (a clock step, an import with wrong dates) is emitted, but the
 * cursor stays, so it cannot silence the trigger until that date.
 */
export const AHEAD_TOLERANCE_MS = 5_000;

/** Pages one poll reads at most (100 rows each); more waits for the next poll, from where this one stopped. */
export const MAX_POLL_PAGES = 50;

/** Halo's timestamps are UTC, with or without a Z and with up to 7 fractional digits. */
export function haloTime(value: unknown): number | undefined {
	if (typeof value !== 'string' || !value) return undefined;
	const text = /(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
	const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
	// Halo writes 0001-01-01 / 1900-01-01 for "never"
	return Number.isNaN(ms) || ms < Date.UTC(1950, 0, 1) ? undefined : ms;
}

/** Whole seconds, rounded down: the precision of Halo's date filters. */
function wholeSecond(ms: number): number {
	return Math.floor(ms / 1000) * 1000;
}

/** The format Halo's date filters take (HaloAPI-PS: yyyy-MM-ddTHH:mm:ssZ), whole seconds, rounded down. */
export function haloDate(ms: number): string {
	return new Date(wholeSecond(ms)).toISOString().replace('.000Z', 'Z');
}

/**
 * Which field holds a record's change time, per event (list rows; for new actions, the action's
 * creation). Tickets always carry `last_update`; that client and asset rows carry `alastupdate` /
 * `dlastupdate` is unverified, and a creation date is not a change time: without one of these the
 * event is refused (`missingChangeTime`).
 */
export const CHANGE_FIELDS: Record<PollEvent, string[]> = {
	ticketCreated: ['last_update', 'lastactiondate', 'dateoccurred'],
	ticketUpdated: ['last_update', 'lastactiondate', 'dateoccurred'],
	actionCreated: ['actiondatecreated', 'datetime'],
	clientChanged: ['alastupdate', 'last_update'],
	assetChanged: ['dlastupdate', 'last_modified', 'last_update'],
};

/** A record's key in the memory: its id (an action's id is a sequence within its ticket). */
export function keyOf(row: IDataObject, event: PollEvent): string {
	const id = row.id === undefined || row.id === null ? '' : String(row.id);
	return event === 'actionCreated' && id ? `${String(row.ticket_id ?? '')}/${id}` : id;
}

/** Actions one report answers at most; more are read by the next report, from the last one's time. */
export const ACTIONS_PER_REPORT = 1000;

/**
 * New actions of every ticket in one report, oldest first, named as GET /Actions names them. The
 * table and its columns (ACTIONS: Faultid, actionnumber, Whe_, ActionDateCreated, who,
 * whoagentid, Actoutcome, actoutcomeid, note) are those of a tenant's schema dump
 * (provisiondata/ProvisionData.HaloPSA.ApiClient docs/schema.sql; redanthrax/halopsa-mcp
 * schema/catalog.json agrees); Halo keeps them in UTC. The only value in the text is a date the
 * node formats itself.
 */
export function newActionsSql(from: number): string {
	const since = haloDate(from).replace('Z', '');
	return (
		`SELECT TOP ${ACTIONS_PER_REPORT} Faultid AS ticket_id, actionnumber AS id, ActionDateCreated AS actiondatecreated, ` +
		`Whe_ AS datetime, who, whoagentid AS who_agentid, Actoutcome AS outcome, actoutcomeid AS outcome_id, note ` +
		`FROM ACTIONS WHERE ActionDateCreated >= '${since}' ORDER BY ActionDateCreated`
	);
}

export function changeTimeOf(row: IDataObject, event: PollEvent): string | undefined {
	for (const field of CHANGE_FIELDS[event]) {
		const value = row[field];
		if (haloTime(value) !== undefined) return String(value);
	}
	return undefined;
}

/** The first row without a change time, if any: the trigger cannot see changes to such records. */
export function missingChangeTime(rows: IDataObject[], event: PollEvent): IDataObject | undefined {
	return rows.find((row) => changeTimeOf(row, event) === undefined);
}

/**
 * The lower bound of a poll's query and of what the memory keeps: the cursor minus the overlap,
 * rounded down to the whole second Halo's filter takes. One bound for both, so a row the query
 * can return is always still remembered.
 */
export function windowStart(state: PollState, overlapMs: number): number | undefined {
	const cursor = haloTime(state.cursor);
	return cursor === undefined ? undefined : wholeSecond(cursor - overlapMs);
}

/** What a poll read, and what bounds the cursor it may move to. */
export interface PollRead {
	/** the query's lower bound (`windowStart`); older rows can only come from a Halo that ignored the filter */
	from: number;
	/** Halo's own time at the last answer (its Date header), when it sent one */
	haloNow?: number;
	/** the cursor must not pass this: rows from here on may not all have been read (see `readChanges`) */
	holdAt?: number;
}

/** The cursor after a poll: the latest change read, but never past `holdAt` or Halo's own time. */
function nextCursor(previous: number | undefined, latest: number | undefined, read: PollRead): number | undefined {
	let next = Math.max(previous ?? -Infinity, latest ?? -Infinity);
	if (read.holdAt !== undefined) next = Math.min(next, Math.max(previous ?? -Infinity, read.holdAt));
	// a cursor past Halo's own time (a future-stamped row under an older version, a Halo clock
	// stepped back) would hide every change until then: bring it back to Halo's time
	if (read.haloNow !== undefined) next = Math.min(next, read.haloNow + AHEAD_TOLERANCE_MS);
	return next === -Infinity ? undefined : next;
}

/**
 * Picks the rows to emit from one poll's rows (records that changed since the window start) and
 * returns the next state. A record is emitted when its (id, change time) was not emitted before;
 * for new tickets, when its id is above the floor and was not emitted before. `ahead` lists the
 * rows stamped after Halo's own time: emitted, but the cursor does not follow them.
 */
export function selectChanges(
	state: PollState,
	rows: IDataObject[],
	event: PollEvent,
	overlapMs: number,
	read: PollRead,
): { emit: IDataObject[]; next: PollState; ahead: IDataObject[] } {
	const seen = { ...(state.seen ?? {}) };
	const emit: IDataObject[] = [];
	const ahead: IDataObject[] = [];
	let latest: number | undefined;
	let floorId = state.floorId ?? 0;
	for (const row of rows) {
		const id = keyOf(row, event);
		if (!id) continue;
		const changed = changeTimeOf(row, event);
		const time = haloTime(changed);
		// older than the query asked for: a Halo that ignores the date filter; read by an earlier poll
		if (time !== undefined && time < read.from) continue;
		if (time !== undefined && read.haloNow !== undefined && time > read.haloNow + AHEAD_TOLERANCE_MS) ahead.push(row);
		else if (time !== undefined) latest = Math.max(latest ?? -Infinity, time);
		const version = changed ?? 'unknown';
		if (event === 'ticketCreated') {
			if (Number(id) <= floorId || seen[id] !== undefined) continue;
		} else if (seen[id] === version || (changed === undefined && seen[id] !== undefined)) continue;
		seen[id] = version;
		emit.push(row);
	}
	const cursor = nextCursor(haloTime(state.cursor), latest, read);
	const next: PollState = {
		...state,
		event,
		cursor: cursor === undefined ? state.cursor : new Date(cursor).toISOString(),
		seen,
		floorId: event === 'ticketCreated' ? floorId : state.floorId,
	};
	// forget what the next query cannot return: changed before its window start (new tickets are
	// remembered by id instead: an old ticket that changes is still not new)
	const oldest = windowStart(next, overlapMs) ?? -Infinity;
	for (const [id, version] of Object.entries(seen)) {
		const time = haloTime(version);
		if (event !== 'ticketCreated' && time !== undefined && time < oldest) delete seen[id];
	}
	if (event === 'ticketCreated') {
		// ids are given in order; a ticket committed late still lands within this margin
		const emitted = Object.keys(seen).map(Number);
		const highest = Math.max(floorId, ...emitted);
		floorId = Math.max(floorId, highest - 1000);
		for (const id of Object.keys(seen)) if (Number(id) <= floorId) delete seen[id];
		next.floorId = floorId;
	}
	return { emit, next, ahead };
}

/** One page of changed records, as the trigger's fetch answers it. */
export interface ChangePage {
	rows: IDataObject[];
	/** the page was full: more rows may follow */
	more: boolean;
	/** Halo's own time when it answered (its Date header) */
	haloNow?: number;
}

/**
 * Reads every record changed since `from`, ordered by change time, by keyset: each next page is
 * asked for from the whole second of the last row read (rows of that second come again and are
 * dropped), so a record that changes while the poll reads moves to the end and is read there,
 * and no row slides past a page boundary unread. Only where more than a page of rows share one
 * second does it page by number within that second; a record read twice with different change
 * times then means the rows behind it moved up a place, and the cursor is held at that record's
 * first time (`holdAt`) so the next poll reads that stretch again. A Halo that ignores the order
 * is paged by number. After MAX_POLL_PAGES pages the cursor is held where reading stopped.
 */
export async function readChanges(
	fetchPage: (from: number, page: number) => Promise<ChangePage>,
	from: number,
	event: PollEvent,
	maxPages = MAX_POLL_PAGES,
): Promise<{ rows: IDataObject[]; requests: number; read: PollRead }> {
	const versions = new Map<string, string>();
	const rows: IDataObject[] = [];
	const read: PollRead = { from };
	let bound = from;
	let runFloor = from;
	let page = 1;
	for (let requests = 1; ; requests++) {
		const answer = await fetchPage(bound, page);
		if (answer.haloNow !== undefined) read.haloNow = answer.haloNow;
		let ordered = true;
		let first: number | undefined;
		let last: number | undefined;
		for (const row of answer.rows) {
			const changed = changeTimeOf(row, event);
			const time = haloTime(changed);
			if (time !== undefined && last !== undefined && time < last) ordered = false;
			if (time !== undefined) last = time;
			first ??= time;
			const id = keyOf(row, event);
			const version = changed ?? 'unknown';
			const before = versions.get(id);
			if (id && before === version) continue;
			const movedFrom = haloTime(before);
			if (movedFrom !== undefined) read.holdAt = Math.min(read.holdAt ?? Infinity, wholeSecond(movedFrom));
			if (id) versions.set(id, version);
			rows.push(row);
		}
		if (!answer.more) return { rows, requests, read };
		if (requests >= maxPages) {
			read.holdAt = Math.min(read.holdAt ?? Infinity, bound);
			return { rows, requests, read };
		}
		// no row lies between the bound and the first row's second: from there the query reads the same
		if (page === 1 && first !== undefined) runFloor = Math.max(bound, wholeSecond(first));
		if (ordered && last !== undefined && wholeSecond(last) > runFloor) {
			bound = wholeSecond(last);
			page = 1;
		} else {
			page++;
		}
	}
}

/**
 * New actions of the tickets that changed: per ticket, actions above the highest id emitted; for a
 * ticket not followed yet, actions created since the query's lower bound.
 */
export function selectNewActions(
	state: PollState,
	ticketId: string,
	actions: IDataObject[],
	since: number,
): { emit: IDataObject[]; next: PollState } {
	const followed = { ...(state.actions ?? {}) };
	const highest = followed[ticketId];
	const emit = actions.filter((action) => {
		const id = Number(action.id);
		if (!Number.isFinite(id)) return false;
		if (highest !== undefined) return id > highest;
		const created = haloTime(action.actiondatecreated) ?? haloTime(action.datetime);
		return created !== undefined && created >= since;
	});
	const ids = [...actions.map((action) => Number(action.id)).filter(Number.isFinite), highest ?? 0];
	followed[ticketId] = Math.max(...ids);
	return { emit, next: { ...state, actions: followed } };
}

/** Stops following tickets that left the overlap window (their next action is found by date). */
export function pruneFollowedTickets(state: PollState, stillChanging: Set<string>): PollState {
	const actions = Object.fromEntries(
		Object.entries(state.actions ?? {}).filter(([ticketId]) => stillChanging.has(ticketId)),
	);
	return { ...state, actions };
}
