import { crudResource, requiredPicker, requiredString } from '../shared/crud';
import {
	clientField,
	inactiveFilters,
	includeDetails,
	searchFilter,
	siteField,
	sortFilters,
	supplierField,
} from '../shared/commonFields';

/**
 * Software licences and subscriptions (Licence_List), /SoftwareLicence. List envelope
 * unverified: `licences` (HaloAPI-PS) or `softwarelicences` (pyhalopsa); the node reads either.
 */
export const softwareLicence = crudResource({
	spec: {
		value: 'softwareLicence',
		label: 'Software Licence',
		plural: 'Software Licences',
		path: '/SoftwareLicence',
		listKey: 'licences',
		paged: true,
		area: 'softwarelicensing',
	},
	picker: {
		label: (row) => [row.name || `#${row.id}`, row.client_name].filter(Boolean).join(' / '),
		narrowBy: ['client_id'],
	},
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [
		requiredString('Name', 'name', 'name', 'Name of the licence, e.g. Microsoft 365 Business Premium'),
		requiredPicker('Client', 'clientId', 'client_id', 'getClients'),
	],
	fields: [
		{ key: 'count', displayName: 'Quantity', type: 'number', description: 'Number of seats' },
		siteField('top'),
		{ key: 'type', displayName: 'Licence Type', type: 'number', description: 'Licence type as configured in Halo' },
		{ key: 'vendor', displayName: 'Vendor', type: 'string' },
		{ key: 'manufacturer', displayName: 'Manufacturer', type: 'string' },
		supplierField,
		{ key: 'start_date', displayName: 'Start Date', type: 'dateTime' },
		{ key: 'end_date', displayName: 'End Date', type: 'dateTime' },
		{ key: 'purchase_price', displayName: 'Purchase Price', type: 'number' },
		{ key: 'monthly_price', displayName: 'Monthly Price', type: 'number' },
		{ key: 'monthly_cost', displayName: 'Monthly Cost', type: 'number' },
		{ key: 'billing_cycle', displayName: 'Billing Cycle', type: 'string', description: 'e.g. Monthly or Annual' },
		{ key: 'autorenew', displayName: 'Auto Renew', type: 'boolean', description: 'Whether the licence renews itself' },
		{ key: 'notes', displayName: 'Notes', type: 'html' },
	],
	updateOnly: [{ key: 'name', displayName: 'Name', type: 'string' }, clientField],
	filters: [
		clientField,
		siteField('filters'),
		searchFilter('the licence name'),
		{ key: 'licence_type', displayName: 'Licence Type', type: 'number' },
		...inactiveFilters('licences'),
		...sortFilters('name'),
	],
	getOptions: [includeDetails('assignments and roles')],
});
