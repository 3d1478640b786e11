import { crudResource, requiredString } from '../shared/crud';

/** Clients (customers): Halo's Area table, /Client. */
export const client = crudResource({
	spec: {
		value: 'client',
		label: 'Client',
		plural: 'Clients',
		path: '/Client',
		listKey: 'clients',
		paged: true,
		area: 'customers',
		portalUrlPattern: 'customers\\?clientid=(\\d+)',
	},
	picker: { label: (row) => String(row.name ?? row.id) },
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [requiredString('Name', 'name', 'name', 'Name of the client (customer)')],
	fields: [
		{
			key: 'toplevel_id',
			displayName: 'Top Level ID',
			type: 'number',
			description: 'ID of the top level (client group) the client belongs to',
		},
		{ key: 'notes', displayName: 'Notes', type: 'html' },
		{ key: 'website', displayName: 'Website', type: 'string' },
		{ key: 'is_vip', displayName: 'VIP', type: 'boolean', description: 'Whether the client is a VIP' },
		{ key: 'inactive', displayName: 'Inactive', type: 'boolean', description: 'Whether the client is inactive' },
		{ key: 'colour', displayName: 'Colour', type: 'string', description: 'Colour shown in Halo, e.g. #2b6cb0' },
		{
			key: 'accountsid',
			displayName: 'Accounts ID',
			type: 'string',
			description: 'ID of the client in the accounts package',
		},
	],
	updateOnly: [{ key: 'name', displayName: 'Name', type: 'string' }],
	filters: [
		{
			key: 'search',
			displayName: 'Search',
			type: 'string',
			description: 'Free text matched against the client name and other indexed fields',
		},
		{
			key: 'search_name_only',
			displayName: 'Search Name Only',
			type: 'boolean',
			description: 'Whether Search only looks at the client name',
		},
		{ key: 'toplevel_id', displayName: 'Top Level ID', type: 'number' },
		{
			key: 'includeinactive',
			displayName: 'Include Inactive',
			type: 'boolean',
			description: 'Whether to include inactive clients',
		},
		{
			key: 'includeactive',
			displayName: 'Include Active',
			type: 'boolean',
			description: 'Whether to include active clients (set false with Include Inactive for inactive only)',
		},
		{ key: 'lastupdatefromdate', displayName: 'Updated After', type: 'dateTime' },
		{ key: 'order', displayName: 'Order By', type: 'string', description: 'Halo field to sort by, e.g. name' },
		{
			key: 'orderdesc',
			displayName: 'Order Descending',
			type: 'boolean',
			description: 'Whether to sort in descending order',
		},
	],
	getOptions: [
		{
			key: 'includedetails',
			displayName: 'Include Details',
			type: 'boolean',
			description: 'Whether to include child objects such as custom fields',
		},
	],
	customFields: true,
});
