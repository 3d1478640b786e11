import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { specs, type ResourceSpec } from '../shared/specs';
import { haloRequest, rowsOf } from '../transport';

/** Dropdown contents. Paged lists read up to 5 pages of 100 (use expressions beyond that). */
const MAX_PAGES = 5;

async function listAll(ctx: ILoadOptionsFunctions, spec: ResourceSpec, qs: IDataObject = {}): Promise<IDataObject[]> {
	if (!spec.paged) return rowsOf(await haloRequest.call(ctx, spec, qs), spec);
	const rows: IDataObject[] = [];
	for (let page = 1; page <= MAX_PAGES; page++) {
		const pageRows = rowsOf(await haloRequest.call(ctx, spec, { ...qs, pageinate: true, page_size: 100, page_no: page }), spec);
		rows.push(...pageRows);
		if (pageRows.length < 100) break;
	}
	return rows;
}

function toOptions(rows: IDataObject[], label: (row: IDataObject) => string, value: (row: IDataObject) => string | number = (row) => row.id as number): INodePropertyOptions[] {
	return rows
		.map((row) => ({ name: label(row), value: value(row) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

const byName = (row: IDataObject) => String(row.name ?? row.id);

/** Reads a parameter that may sit at top level or inside one of the collections. */
function currentParam(ctx: ILoadOptionsFunctions, names: string[]): number | undefined {
	for (const name of names) {
		const value = ctx.getCurrentNodeParameter(name, { extractValue: true }) as unknown;
		if (value !== undefined && value !== '' && value !== null && Number(value) > 0) return Number(value);
	}
	return undefined;
}

export const loadOptions = {
	async getClients(this: ILoadOptionsFunctions) {
		return toOptions(await listAll(this, specs.client), byName);
	},
	async getSites(this: ILoadOptionsFunctions) {
		const clientId = currentParam(this, ['clientId', 'additionalFields.client_id', 'updateFields.client_id', 'filters.client_id']);
		const rows = await listAll(this, specs.site, clientId ? { client_id: clientId } : {});
		return toOptions(rows, (row) => (clientId || !row.client_name ? byName(row) : `${row.client_name} / ${byName(row)}`));
	},
	async getUsers(this: ILoadOptionsFunctions) {
		const siteId = currentParam(this, ['siteId', 'additionalFields.site_id', 'updateFields.site_id', 'filters.site_id']);
		const clientId = currentParam(this, ['clientId', 'additionalFields.client_id', 'updateFields.client_id', 'filters.client_id']);
		const qs: IDataObject = siteId ? { site_id: siteId } : clientId ? { client_id: clientId } : {};
		return toOptions(await listAll(this, specs.user, qs), (row) => (row.emailaddress ? `${byName(row)} <${row.emailaddress}>` : byName(row)));
	},
	async getAgents(this: ILoadOptionsFunctions) {
		return toOptions(await listAll(this, specs.agent), byName);
	},
	async getTeams(this: ILoadOptionsFunctions) {
		return toOptions(await listAll(this, specs.team), byName);
	},
	async getTeamNames(this: ILoadOptionsFunctions) {
		return toOptions(await listAll(this, specs.team), byName, byName);
	},
	async getTicketTypes(this: ILoadOptionsFunctions) {
		return toOptions(await listAll(this, specs.ticketType), byName);
	},
	async getStatuses(this: ILoadOptionsFunctions) {
		return toOptions(await listAll(this, specs.status), byName);
	},
	async getPriorities(this: ILoadOptionsFunctions) {
		return toOptions(await listAll(this, specs.priority), byName);
	},
	async getCategories(this: ILoadOptionsFunctions) {
		const label = (row: IDataObject) => String(row.category_name ?? row.value ?? row.name ?? row.id);
		return toOptions(await listAll(this, specs.category), label, label);
	},
	async getAssetTypes(this: ILoadOptionsFunctions) {
		return toOptions(await listAll(this, specs.assetType), byName);
	},
	async getOutcomes(this: ILoadOptionsFunctions) {
		return toOptions(await listAll(this, specs.outcome), (row) => String(row.buttonname || row.outcome || row.name || row.id));
	},
};
