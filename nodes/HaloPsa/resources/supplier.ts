import { crudResource, requiredString } from '../shared/crud';
import { inactiveFilters, includeDetails, searchFilter, sortFilters } from '../shared/commonFields';

/** Suppliers (Company), /Supplier. List envelope `suppliers` (OAS-R Company_View). */
export const supplier = crudResource({
	spec: {
		value: 'supplier',
		label: 'Supplier',
		plural: 'Suppliers',
		path: '/Supplier',
		listKey: 'suppliers',
		paged: true,
		area: 'suppliers',
	},
	picker: { label: (row) => String(row.name ?? row.id) },
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [requiredString('Name', 'name', 'name', 'Name of the supplier')],
	fields: [
		{ key: 'contact_name', displayName: 'Contact Name', type: 'string' },
		{ key: 'email_address', displayName: 'Email Address', type: 'string' },
		{ key: 'phone_number', displayName: 'Phone Number', type: 'string' },
		{ key: 'website', displayName: 'Website', type: 'string' },
		{
			key: 'accounts_id',
			displayName: 'Accounts ID',
			type: 'string',
			description: 'ID of the supplier in the accounts package',
		},
		{ key: 'notes', displayName: 'Notes', type: 'html' },
		{ key: 'inactive', displayName: 'Inactive', type: 'boolean', description: 'Whether the supplier is inactive' },
	],
	updateOnly: [{ key: 'name', displayName: 'Name', type: 'string' }],
	filters: [searchFilter('the supplier name'), ...inactiveFilters('suppliers', true), ...sortFilters('name')],
	getOptions: [includeDetails('contacts and custom fields')],
	customFields: true,
});
