import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { specs, type ResourceSpec } from '../shared/specs';
import { haloRequest, rowsOf } from '../transport';

const PAGE_SIZE = 100;

/** One page of a searchable list for resource locators; the token is the next page number. */
async function searchPage(
	ctx: ILoadOptionsFunctions,
	spec: ResourceSpec,
	label: (row: IDataObject) => string,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1) || 1;
	const qs: IDataObject = filter ? { search: filter } : {};
	if (spec.paged) Object.assign(qs, { pageinate: true, page_size: PAGE_SIZE, page_no: page });
	const rows = rowsOf(await haloRequest.call(ctx, spec, qs), spec);
	const visible = spec.paged || !filter ? rows : rows.filter((row) => label(row).toLowerCase().includes(filter.toLowerCase()));
	return {
		results: visible.map((row) => ({ name: label(row), value: String(row.id) })),
		paginationToken: spec.paged && rows.length === PAGE_SIZE ? String(page + 1) : undefined,
	};
}

const named = (row: IDataObject) => String(row.name ?? row.id);

export const listSearch = {
	async searchTickets(this: ILoadOptionsFunctions, filter?: string, token?: string) {
		return await searchPage(this, specs.ticket, (row) => `#${row.id} ${row.summary ?? ''}`.trim(), filter, token);
	},
	async searchClients(this: ILoadOptionsFunctions, filter?: string, token?: string) {
		return await searchPage(this, specs.client, named, filter, token);
	},
	async searchSites(this: ILoadOptionsFunctions, filter?: string, token?: string) {
		return await searchPage(this, specs.site, (row) => (row.client_name ? `${row.client_name} / ${named(row)}` : named(row)), filter, token);
	},
	async searchUsers(this: ILoadOptionsFunctions, filter?: string, token?: string) {
		return await searchPage(this, specs.user, (row) => (row.emailaddress ? `${named(row)} <${row.emailaddress}>` : named(row)), filter, token);
	},
	async searchAgents(this: ILoadOptionsFunctions, filter?: string, token?: string) {
		return await searchPage(this, specs.agent, named, filter, token);
	},
	async searchAssets(this: ILoadOptionsFunctions, filter?: string, token?: string) {
		return await searchPage(this, specs.asset, (row) => [row.inventory_number, row.key_field, row.client_name].filter(Boolean).join(' / ') || String(row.id), filter, token);
	},
	async searchWebhooks(this: ILoadOptionsFunctions, filter?: string, token?: string) {
		return await searchPage(this, specs.webhook, named, filter, token);
	},
};
