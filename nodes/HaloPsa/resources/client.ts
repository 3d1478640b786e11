import { crudResource, requiredString } from '../shared/crud';
import { inactiveFilters, includeDetails, searchFilter, sortFilters } from '../shared/commonFields';

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
		searchFilter('the client name and other indexed fields'),
		{
			key: 'search_name_only',
			displayName: 'Search Name Only',
			type: 'boolean',
			description: 'Whether Search only looks at the client name',
		},
		{ key: 'toplevel_id', displayName: 'Top Level ID', type: 'number' },
		...inactiveFilters('clients', true),
		{ key: 'lastupdatefromdate', displayName: 'Updated After', type: 'dateTime' },
		...sortFilters('name'),
	],
	getOptions: [includeDetails('child objects such as custom fields')],
	customFields: true,
});
