import type { HaloFieldDef } from './fields';

/**
 * Field definitions many resources share, each named after its Halo key. `in` says where the
 * field sits, so a dependent dropdown follows the right parent: the top-level Client picker
 * (`top`), the Additional / Update Fields collections (`fields`) or the Get Many filters (`filters`).
 */
type Place = 'top' | 'fields' | 'filters';

const parent = (key: string, camel: string, place: Place) =>
	place === 'top'
		? [camel]
		: place === 'filters'
			? [`filters.${key}`]
			: [`additionalFields.${key}`, `updateFields.${key}`];

export const clientField: HaloFieldDef = {
	key: 'client_id',
	displayName: 'Client',
	type: 'number',
	loadOptions: 'getClients',
};
export const agentField: HaloFieldDef = {
	key: 'agent_id',
	displayName: 'Agent',
	type: 'number',
	loadOptions: 'getAgents',
};
export const supplierField: HaloFieldDef = {
	key: 'supplier_id',
	displayName: 'Supplier',
	type: 'number',
	loadOptions: 'getSuppliers',
};

/** Site dropdown narrowed by the client chosen in `clientIn`. */
export const siteField = (clientIn: Place): HaloFieldDef => ({
	key: 'site_id',
	displayName: 'Site',
	type: 'number',
	loadOptions: 'getSites',
	loadOptionsDependsOn: parent('client_id', 'clientId', clientIn),
});

/** User dropdown narrowed by the site chosen in `siteIn`. */
export const userField = (siteIn: Place): HaloFieldDef => ({
	key: 'user_id',
	displayName: 'User',
	type: 'number',
	loadOptions: 'getUsers',
	loadOptionsDependsOn: parent('site_id', 'siteId', siteIn),
});

/** Contract dropdown narrowed by the client chosen in `clientIn`. */
export const contractField = (clientIn: Place): HaloFieldDef => ({
	key: 'contract_id',
	displayName: 'Contract',
	type: 'number',
	loadOptions: 'getContracts',
	loadOptionsDependsOn: parent('client_id', 'clientId', clientIn),
});

export const ticketIdField = (description?: string): HaloFieldDef => ({
	key: 'ticket_id',
	displayName: 'Ticket ID',
	type: 'number',
	...(description ? { description } : {}),
});

export const searchFilter = (matches: string): HaloFieldDef => ({
	key: 'search',
	displayName: 'Search',
	type: 'string',
	description: `Free text matched against ${matches}`,
});

/** Order By + Order Descending (Halo's `order` / `orderdesc`). */
export const sortFilters = (example: string): HaloFieldDef[] => [
	{ key: 'order', displayName: 'Order By', type: 'string', description: `Halo field to sort by, e.g. ${example}` },
	{
		key: 'orderdesc',
		displayName: 'Order Descending',
		type: 'boolean',
		description: 'Whether to sort in descending order',
	},
];

/** Include Inactive and, where Halo has it, Include Active (both false = nothing; inactive only = both flipped). */
export const inactiveFilters = (plural: string, withActive = false): HaloFieldDef[] => [
	{
		key: 'includeinactive',
		displayName: 'Include Inactive',
		type: 'boolean',
		description: `Whether to include inactive ${plural}`,
	},
	...(withActive
		? [
				{
					key: 'includeactive',
					displayName: 'Include Active',
					type: 'boolean' as const,
					description: `Whether to include active ${plural} (set false with Include Inactive for inactive only)`,
				},
			]
		: []),
];

export const includeDetails = (what: string): HaloFieldDef => ({
	key: 'includedetails',
	displayName: 'Include Details',
	type: 'boolean',
	description: `Whether to include ${what}`,
});
