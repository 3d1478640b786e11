import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { haloResources } from '../resources';
import { searchMethod, type HaloResource, type RecordPicker } from '../shared/resource';
import { haloList } from '../transport';

type ListSearch = (
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) => Promise<INodeListSearchResult>;

/**
 * One page of a resource locator's "From List"; the token is the next page number. Paged lists
 * search in Halo (`search`); unpaged ones are filtered here.
 */
function search({ spec, picker }: HaloResource & { picker: RecordPicker }): ListSearch {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		const qs: IDataObject = filter && spec.paged ? { search: filter } : {};
		const { rows, nextPage } = await haloList.call(this, spec, qs, {
			limit: Infinity,
			firstPage: Number(paginationToken ?? 1) || 1,
			maxPages: 1,
		});
		const needle = (filter ?? '').toLowerCase();
		const results = rows
			.map((row) => ({ name: picker.label(row, false), value: String(row.id) }))
			.filter((result) => spec.paged || result.name.toLowerCase().includes(needle));
		return { results, paginationToken: nextPage ? String(nextPage) : undefined };
	};
}

/** One "From List" search per resource with a searchable picker (searchTickets, searchClients ...). */
export const listSearch: Record<string, ListSearch> = {};
for (const resource of haloResources) {
	if (!resource.picker || resource.picker.searchable === false || !resource.properties?.length) continue;
	listSearch[searchMethod(resource.spec)] = search(resource as HaloResource & { picker: RecordPicker });
}
