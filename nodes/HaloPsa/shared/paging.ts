import type { IDataObject } from 'n8n-workflow';

import type { ResourceSpec } from './specs';

/**
 * Halo's list envelope and page loop, in one place for Get Many, dropdowns, "From List"
 * searches and the Custom API Call (README §3.1).
 */

/** Halo never returns more than this many rows per page, whatever page_size says (HaloAPI#90). */
export const HALO_PAGE_CAP = 100;

/** The one array in an object body, for endpoints whose envelope key we do not know (Custom API Call). */
function onlyArrayKey(body: IDataObject): string | undefined {
	const keys = Object.keys(body).filter((key) => Array.isArray(body[key]));
	return keys.length === 1 ? keys[0] : undefined;
}

/**
 * Rows of a list body: a bare array, or `{record_count, <listKey>: [...]}`. Where the key is
 * not the expected one (or not known: 'auto'), the envelope's only array is taken, so a lookup
 * Halo wraps as `{statuses: [...]}` still reads (README §9.1). An empty object is an empty list.
 */
export function rowsOf(body: unknown, listKey?: string | 'auto'): { rows: IDataObject[]; recordCount?: number } {
	if (Array.isArray(body)) return { rows: body as IDataObject[] };
	if (!body || typeof body !== 'object') return { rows: [] };
	const envelope = body as IDataObject;
	const key = listKey !== 'auto' && listKey && Array.isArray(envelope[listKey]) ? listKey : onlyArrayKey(envelope);
	if (key) {
		const count = Number(envelope.record_count);
		return { rows: envelope[key] as IDataObject[], recordCount: Number.isFinite(count) ? count : undefined };
	}
	return { rows: Object.keys(envelope).length === 0 ? [] : [envelope] };
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

/**
 * Reads a list: one request for unpaged lists; for paged ones pageinate=true&page_size&page_no
 * from `firstPage`, stopping on a short or empty page, on `record_count`, at `limit` or after
 * `maxPages`. Never derives a page count from the requested size. `nextPage` is set when more
 * rows may follow.
 */
export async function collectRows(
	fetchPage: (qs: IDataObject) => Promise<unknown>,
	spec: Pick<ResourceSpec, 'paged' | 'listKey'>,
	options: PageOptions,
): Promise<{ rows: IDataObject[]; nextPage?: number }> {
	const listKey = options.listKey ?? spec.listKey;
	if (!spec.paged) return { rows: rowsOf(await fetchPage({}), listKey).rows.slice(0, options.limit) };
	const pageSize = Math.max(1, Math.min(HALO_PAGE_CAP, options.limit));
	const first = options.firstPage ?? 1;
	const last = first + (options.maxPages ?? Infinity) - 1;
	const collected: IDataObject[] = [];
	for (let page = first; ; page++) {
		const { rows, recordCount } = rowsOf(
			await fetchPage({ pageinate: true, page_size: pageSize, page_no: page }),
			listKey,
		);
		collected.push(...rows);
		if (collected.length >= options.limit) return { rows: collected.slice(0, options.limit) };
		if (rows.length < pageSize) break;
		// more rows than asked for: this endpoint ignores paging and sent everything at once
		if (rows.length > pageSize) break;
		if (recordCount !== undefined && collected.length >= recordCount) break;
		if (page >= last) return { rows: collected, nextPage: page + 1 };
	}
	return { rows: collected };
}
