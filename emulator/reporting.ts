/**
 * Halo's reporting engine, for a small documented subset of its SQL (enough to test Run SQL for
 * real, not to imitate SQL Server):
 *
 *   SELECT [TOP n] * | column [AS alias], ... FROM table
 *     [WHERE column op value [AND column op value ...]] [ORDER BY column [ASC|DESC]]
 *
 * Tables: FAULTS (tickets; also "tickets"), AREA (clients; also "clients"), DEVICE (assets; also
 * "assets"): columns are the emulator's field names; ACTIONS: Halo's own column names (Faultid,
 * actionnumber, Whe_, ActionDateCreated, who, whoagentid, Actoutcome, actoutcomeid, note, from a
 * tenant's schema dump: provisiondata/ProvisionData.HaloPSA.ApiClient docs/schema.sql). Columns
 * match without regard to case. `op` is =, <>, <, <=, > or >= (dates compare as dates). Values
 * are numbers or 'quoted text' or N'quoted text' ('' for a quote). Anything else is refused with a 400 in SQL
 * Server's words, as Halo passes them on.
 *
 * The answer's shape (rows under `report.rows`, columns in `available_columns`, errors in
 * `report.load_error`) is what HaloAPI-PS Invoke-HaloSQL and other clients read; whether Halo
 * answers an object or a one-element array is unverified (the node reads both).
 */
import type { Row, Store } from './store';

export class SqlError extends Error {}

const TABLES: Record<string, 'tickets' | 'clients' | 'assets' | 'actions'> = {
	actions: 'actions',
	faults: 'tickets',
	tickets: 'tickets',
	area: 'clients',
	clients: 'clients',
	device: 'assets',
	assets: 'assets',
};

const SELECT =
	/^\s*select\s+(?:top\s+(\d+)\s+)?(.+?)\s+from\s+([a-z_][a-z0-9_]*)(?:\s+where\s+(.+?))?(?:\s+order\s+by\s+([a-z_][a-z0-9_]*)(?:\s+(asc|desc))?)?\s*$/is;
const CONDITION = /^\s*([a-z_][a-z0-9_]*)\s*(<>|<=|>=|=|<|>)\s*(-?\d+(?:\.\d+)?|N?'(?:[^']|'')*')\s*$/i;
const COLUMN = /^\s*([a-z_][a-z0-9_]*)(?:\s+as\s+([a-z_][a-z0-9_]*))?\s*$/i;

function rowsOf(store: Store, table: string): Row[] {
	const collection = TABLES[table.toLowerCase()];
	if (!collection) throw new SqlError(`Invalid object name '${table}'.`);
	if (collection === 'actions') return store.list('actions').map(actionsRow);
	const rows = collection === 'tickets' ? store.tickets() : store.list(collection);
	return rows.filter((row) => !row.deleted);
}

/** An action as a row of Halo's ACTIONS table. */
function actionsRow(action: Row): Row {
	return {
		Faultid: action.ticket_id,
		actionnumber: action.id,
		Whe_: action.datetime,
		ActionDateCreated: action.actiondatecreated,
		who: action.who ?? '',
		whoagentid: action.who_agentid ?? 0,
		Actoutcome: action.outcome ?? '',
		actoutcomeid: action.outcome_id ?? 0,
		note: action.note ?? action.note_html ?? '',
	};
}

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

/** -1, 0 or 1: numbers as numbers, dates as dates (SQL Server converts the literal), text as text. */
function compare(field: unknown, value: string | number): number {
	if (typeof value === 'number') return Math.sign(Number(field) - value);
	if (ISO_DATE.test(value) && ISO_DATE.test(String(field ?? ''))) {
		const utc = (text: string) => Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`);
		return Math.sign(utc(String(field)) - utc(value));
	}
	const text = String(field ?? '');
	return text < value ? -1 : text > value ? 1 : 0;
}

const OPERATORS: Record<string, (order: number) => boolean> = {
	'=': (o) => o === 0,
	'<>': (o) => o !== 0,
	'<': (o) => o < 0,
	'<=': (o) => o <= 0,
	'>': (o) => o > 0,
	'>=': (o) => o >= 0,
};

/** The field of `row` called `name` in any case, or an error naming the column. */
function fieldOf(sample: Row | undefined, name: string, known: Set<string>): string {
	const key = [...known].find((k) => k.toLowerCase() === name.toLowerCase());
	if (key === undefined && sample !== undefined) throw new SqlError(`Invalid column name '${name}'.`);
	return key ?? name;
}

/** Splits on AND outside quotes. */
function conditionsOf(where: string): string[] {
	const parts: string[] = [];
	let current = '';
	let quoted = false;
	const words = where.split(/(\s+and\s+|')/i);
	for (const word of words) {
		if (word === "'") quoted = !quoted;
		if (!quoted && /^\s+and\s+$/i.test(word)) {
			parts.push(current);
			current = '';
		} else current += word;
	}
	parts.push(current);
	return parts;
}

export interface ReportResult {
	rows: Row[];
	columns: string[];
}

export function runSql(store: Store, sql: string): ReportResult {
	const match = SELECT.exec(String(sql ?? '').replace(/;\s*$/, ''));
	if (!match) {
		const near = String(sql ?? '')
			.trim()
			.split(/\s+/)[0];
		throw new SqlError(`Incorrect syntax near '${near || 'end of statement'}'.`);
	}
	const [, top, columnList, table, where, orderBy, direction] = match;
	let rows = rowsOf(store, table);
	const known = new Set(rows.flatMap((row) => Object.keys(row)));
	const sample = rows[0];
	if (where) {
		for (const condition of conditionsOf(where)) {
			const parsed = CONDITION.exec(condition);
			if (!parsed) throw new SqlError(`Incorrect syntax near '${condition.trim().split(/\s+/)[0]}'.`);
			const field = fieldOf(sample, parsed[1], known);
			const holds = OPERATORS[parsed[2]];
			const raw = parsed[3];
			const quoted = /^N?'/i.test(raw);
			const value = quoted ? raw.replace(/^N/i, '').slice(1, -1).replace(/''/g, "'") : Number(raw);
			rows = rows.filter((row) => holds(compare(row[field], value)));
		}
	}
	if (orderBy) {
		const field = fieldOf(sample, orderBy, known);
		const sign = direction?.toLowerCase() === 'desc' ? -1 : 1;
		rows = [...rows].sort((a, b) => (a[field] > b[field] ? sign : a[field] < b[field] ? -sign : 0));
	}
	if (top !== undefined) rows = rows.slice(0, Number(top));
	if (columnList.trim() === '*') {
		const columns = [...known];
		return { rows: rows.map((row) => ({ ...row })), columns };
	}
	const picks = columnList.split(',').map((part) => {
		const parsed = COLUMN.exec(part);
		if (!parsed) throw new SqlError(`Incorrect syntax near '${part.trim()}'.`);
		return { field: fieldOf(sample, parsed[1], known), as: parsed[2] ?? parsed[1] };
	});
	return {
		rows: rows.map((row) => Object.fromEntries(picks.map(({ field, as }) => [as, row[field] ?? null]))),
		columns: picks.map((pick) => pick.as),
	};
}

/** Halo's answer to a report run: the report's rows under `report.rows`. */
export function reportAnswer(header: Row, result: ReportResult): Row {
	return {
		...header,
		report: { loaded: true, load_error: '', rows: result.rows },
		available_columns: result.columns.map((name, index) => ({ id: index + 1, name })),
	};
}
