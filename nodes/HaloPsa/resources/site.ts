import { crudResource, requiredPicker, requiredString } from '../shared/crud';
import { clientField, inactiveFilters, includeDetails, searchFilter, sortFilters } from '../shared/commonFields';

/** Sites of a client, /Site. */
export const site = crudResource({
	spec: {
		value: 'site',
		label: 'Site',
		plural: 'Sites',
		path: '/Site',
		listKey: 'sites',
		paged: true,
		area: 'customers',
		portalUrlPattern: 'customers\\?siteid=(\\d+)',
	},
	picker: {
		label: (row, narrowed) =>
			narrowed || !row.client_name ? String(row.name ?? row.id) : `${row.client_name} / ${row.name ?? row.id}`,
		narrowBy: ['client_id'],
	},
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [
		requiredString('Name', 'name', 'name', 'Name of the site'),
		requiredPicker('Client', 'clientId', 'client_id', 'getClients'),
	],
	fields: [
		{ key: 'phonenumber', displayName: 'Phone Number', type: 'string' },
		{ key: 'notes', displayName: 'Notes', type: 'html' },
		{
			key: 'timezone',
			displayName: 'Time Zone',
			type: 'string',
			description: 'Windows time zone name, e.g. GMT Standard Time',
		},
		{ key: 'sla_id', displayName: 'SLA ID', type: 'number' },
		{ key: 'maincontact_id', displayName: 'Main Contact User ID', type: 'number' },
		{ key: 'inactive', displayName: 'Inactive', type: 'boolean', description: 'Whether the site is inactive' },
		{
			key: 'isinvoicesite',
			displayName: 'Invoice Site',
			type: 'boolean',
			description: 'Whether invoices go to this site',
		},
	],
	updateOnly: [{ key: 'name', displayName: 'Name', type: 'string' }, clientField],
	filters: [
		clientField,
		searchFilter('the site name and other indexed fields'),
		...inactiveFilters('sites'),
		{ key: 'lastupdatefromdate', displayName: 'Updated After', type: 'dateTime' },
		...sortFilters('name'),
	],
	getOptions: [includeDetails('child objects such as custom fields')],
	customFields: true,
});
