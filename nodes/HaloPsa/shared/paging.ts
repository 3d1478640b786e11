import type { IDataObject, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import type { ResourceSpec } from './specs';

/**
 * Halo's list envelope and page loop, in one place for Get Many, dropdowns, "From List"
 * searches and the Custom API Call (README §3.1). Nothing here trusts Halo more than it must:
 * the page size is learned from the rows Halo sends, `record_count` never cuts a list short,
 * a repeated page stops the loop with an error, and ids seen twice are dropped.
 */

/** Rows asked for per page; Halo documents (and enforces) 100 as the most for tickets (HaloAPI#90). */
export const HALO_PAGE_CAP = 100;

/**
 * Where a list operation keeps Halo's answer whole: n8n splits an array answer into items, so a
 * one-row bare array and an object would look alike afterwards. List operations carry
 * `keepWholeBody` as postReceive, and the request path reads the answer back from this key.
 */
export const WHOLE_BODY = '__haloAnswer';

export async function keepWholeBody(
	this: unknown,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	return [{ json: { [WHOLE_BODY]: response.body as IDataObject } }];
}

/** A list answer that cannot be read as a list, or a page loop that would not end. */
export class HaloListError extends Error {
	constructor(
		message: string,
		public description: string,
	) {
		super(message);
		this.name = 'HaloListError';
	}
}

/** The one array in an object body, for endpoints whose envelope key we do not know (Custom API Call). */
function onlyArrayKey(body: IDataObject): string | undefined {
	const keys = Object.keys(body).filter((key) => Array.isArray(body[key]));
	return keys.length === 1 ? keys[0] : undefined;
}

/**
 * Rows of a list body: a bare array, or `{record_count, <listKey>: [...]}`. Where the key is
 * not the expected one (or not known: 'auto'), the envelope's only array is taken, so a lookup
 * Halo wraps as `{statuses: [...]}` still reads (README §9.1). Anything else is not a list:
 * an error, never a row.
 */
export function rowsOf(body: unknown, listKey?: string | 'auto'): { rows: IDataObject[]; recordCount?: number } {
	if (Array.isArray(body)) return { rows: body as IDataObject[] };
	const envelope = (body && typeof body === 'object' ? body : {}) as IDataObject;
	const key = listKey !== 'auto' && listKey && Array.isArray(envelope[listKey]) ? listKey : onlyArrayKey(envelope);
	if (!key) {
		const keys = Object.keys(envelope);
		throw new HaloListError(
			`HaloPSA answered without the list${listKey && listKey !== 'auto' ? ` "${listKey}"` : ''}`,
			`Expected an array${listKey && listKey !== 'auto' ? ` or {"${listKey}": [...]}` : ''}; the answer had ${keys.length ? `only the keys ${keys.slice(0, 8).join(', ')}` : 'no content'}. Nothing was output rather than a wrong row.`,
		);
	}
	const count = Number(envelope.record_count);
	return { rows: envelope[key] as IDataObject[], recordCount: Number.isFinite(count) ? count : undefined };
}

export interface PageOptions {
	/** stop once this many rows are collected */
	limit: number;
	/** page to start on (1-based) */
	firstPage?: number;
	/** read at most this many pages */
	maxPages?: number;
	/** envelope key; defaults to the spec's */
	listKey?: string | 'auto';
}

const idOf = (row: IDataObject) =>
	row && typeof row === 'object' && row.id !== undefined ? String(row.id) : undefined;

/**
 * Reads a list: one request for unpaged lists; for paged ones pageinate=true&page_size&page_no
 * from `firstPage`. The page size Halo really uses is learned from the first page (fewer rows
 * than asked while `record_count` says more, or a full page); the loop stops on an empty page,
 * a page shorter than that size, at `limit` or after `maxPages`, and fails on a page that
 * repeats the previous one. Rows whose id was already read are dropped (rows shift when records
 * are added between two pages). `nextPage` is set when more rows may follow.
 */
export async function collectRows(
	fetchPage: (qs: IDataObject) => Promise<unknown>,
	spec: Pick<ResourceSpec, 'paged' | 'listKey'>,
	options: PageOptions,
): Promise<{ rows: IDataObject[]; nextPage?: number }> {
	const listKey = options.listKey ?? spec.listKey;
	if (!spec.paged) return { rows: rowsOf(await fetchPage({}), listKey).rows.slice(0, options.limit) };
	const asked = Math.max(1, Math.min(HALO_PAGE_CAP, options.limit));
	const first = options.firstPage ?? 1;
	const last = first + (options.maxPages ?? Infinity) - 1;
	const collected: IDataObject[] = [];
	const seen = new Set<string>();
	let pageSize: number | undefined;
	let previous = '';
	for (let page = first; ; page++) {
		const { rows, recordCount } = rowsOf(
			await fetchPage({ pageinate: true, page_size: asked, page_no: page }),
			listKey,
		);
		if (rows.length === 0) break;
		const signature = rows.map((row) => idOf(row) ?? JSON.stringify(row)).join('|');
		if (signature === previous) {
			throw new HaloListError(
				`HaloPSA sent the same rows for page ${page} as for page ${page - 1}`,
				'This endpoint does not seem to page with pageinate/page_size/page_no. The node stopped instead of reading it forever; set a Limit, or use a Custom API Call without Return All.',
			);
		}
		previous = signature;
		for (const row of rows) {
			const id = idOf(row);
			if (id !== undefined && seen.has(id)) continue;
			if (id !== undefined) seen.add(id);
			collected.push(row);
		}
		if (collected.length >= options.limit) return { rows: collected.slice(0, options.limit) };
		// more rows than asked for: this endpoint ignores paging and sent everything at once
		if (rows.length > asked) break;
		if (pageSize === undefined) {
			// a first page shorter than asked is Halo's own cap only if Halo says more rows exist
			const readSoFar = (page - 1) * asked + rows.length;
			if (rows.length < asked && !(recordCount !== undefined && recordCount > readSoFar)) break;
			pageSize = rows.length;
		} else if (rows.length < pageSize) {
			break;
		}
		if (page >= last) return { rows: collected, nextPage: page + 1 };
	}
	return { rows: collected };
}
