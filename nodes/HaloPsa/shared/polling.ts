import type { IDataObject } from 'n8n-workflow';

/**
 * What the poll trigger remembers between polls (the workflow's static data), and the rules that
 * decide what is new. Pure functions, so the rules are unit-tested without n8n or Halo.
 *
 * The cursor is always one of Halo's own timestamps (never n8n's clock), so a Halo clock ahead of
 * or behind n8n's cannot open a gap. Each poll asks for what changed since the cursor minus an
 * overlap, and drops what it already emitted: a record is emitted once per change (its id and
 * change time), even when several changes share a second or a change lands during a poll.
 */
export type PollEvent = 'ticketCreated' | 'ticketUpdated' | 'actionCreated' | 'clientChanged' | 'assetChanged';

export interface PollState {
	event?: PollEvent;
	/** Halo's latest change time seen (ISO, UTC) */
	cursor?: string;
	/** id -> change time, for records whose change time is inside the overlap window */
	seen?: Record<string, string>;
	/** new tickets: ids above this are new; emitted ones above it are in `seen` */
	floorId?: number;
	/** new actions: per ticket, the highest action id emitted */
	actions?: Record<string, number>;
}

/** Halo's timestamps are UTC, with or without a Z and with up to 7 fractional digits. */
export function haloTime(value: unknown): number | undefined {
	if (typeof value !== 'string' || !value) return undefined;
	const text = /(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
	const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
	// Halo writes 0001-01-01 / 1900-01-01 for "never"
	return Number.isNaN(ms) || ms < Date.UTC(1950, 0, 1) ? undefined : ms;
}

/** The format Halo's date filters take (HaloAPI-PS: yyyy-MM-ddTHH:mm:ssZ), whole seconds, rounded down. */
export function haloDate(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Which field holds a record's change time, per event (list rows; unverified for clients and assets). */
export const CHANGE_FIELDS: Record<PollEvent, string[]> = {
	ticketCreated: ['last_update', 'lastactiondate', 'dateoccurred'],
	ticketUpdated: ['last_update', 'lastactiondate', 'dateoccurred'],
	actionCreated: ['last_update', 'lastactiondate', 'dateoccurred'],
	clientChanged: ['alastupdate', 'last_update', 'datecreated'],
	assetChanged: ['dlastupdate', 'last_modified', 'last_update', 'datecreated'],
};

export function changeTimeOf(row: IDataObject, event: PollEvent): string | undefined {
	for (const field of CHANGE_FIELDS[event]) {
		const value = row[field];
		if (haloTime(value) !== undefined) return String(value);
	}
	return undefined;
}

/** The lower bound of the next query: the cursor minus the overlap. */
export function sinceOf(state: PollState, overlapMs: number): number | undefined {
	const cursor = haloTime(state.cursor);
	return cursor === undefined ? undefined : cursor - overlapMs;
}

/**
 * Picks the rows to emit from one poll's rows (records that changed since the cursor minus the
 * overlap) and returns the next state. A record is emitted when its (id, change time) was not
 * emitted before; for new tickets, when its id is above the floor and was not emitted before.
 * A row without a change time (a Halo whose list rows lack it) counts as changed only the first
 * time its id is seen.
 */
export function selectChanges(
	state: PollState,
	rows: IDataObject[],
	event: PollEvent,
	overlapMs: number,
): { emit: IDataObject[]; next: PollState } {
	const seen = { ...(state.seen ?? {}) };
	const emit: IDataObject[] = [];
	let cursor = haloTime(state.cursor) ?? -Infinity;
	let floorId = state.floorId ?? 0;
	for (const row of rows) {
		const id = String(row.id ?? '');
		if (!id) continue;
		const changed = changeTimeOf(row, event);
		const time = haloTime(changed);
		if (time !== undefined && time > cursor) cursor = time;
		const version = changed ?? 'unknown';
		if (event === 'ticketCreated') {
			if (Number(id) <= floorId || seen[id] !== undefined) continue;
		} else if (seen[id] === version || (changed === undefined && seen[id] !== undefined)) continue;
		seen[id] = version;
		emit.push(row);
	}
	// forget what can no longer come back unchanged: older than the next query's window (new
	// tickets are remembered by id instead: an old ticket that changes is still not new)
	const oldest = cursor - overlapMs;
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
	}
	const next: PollState = {
		...state,
		event,
		cursor: cursor === -Infinity ? state.cursor : new Date(cursor).toISOString(),
		seen,
		floorId: event === 'ticketCreated' ? floorId : state.floorId,
	};
	return { emit, next };
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
