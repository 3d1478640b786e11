import { crudResource, requiredString } from '../shared/crud';
import { inactiveFilters, includeDetails, searchFilter, sortFilters, supplierField } from '../shared/commonFields';

/** Items (products and services sold), /Item. List envelope `items` (libraries only: HaloAPI-PS, pyhalopsa, node-halopsa). */
export const item = crudResource({
	spec: { value: 'item', label: 'Item', plural: 'Items', path: '/Item', listKey: 'items', paged: true, area: 'items' },
	picker: { label: (row) => String(row.name ?? row.id) },
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [requiredString('Name', 'name', 'name', 'Name of the item (product or service)')],
	fields: [
		{ key: 'description', displayName: 'Description', type: 'html' },
		{ key: 'baseprice', displayName: 'Price', type: 'number', description: 'Selling price' },
		{ key: 'costprice', displayName: 'Cost Price', type: 'number' },
		supplierField,
		{ key: 'supplier_part_code', displayName: 'Supplier Part Code', type: 'string' },
		{ key: 'internalreference', displayName: 'Internal Reference', type: 'string' },
		{ key: 'externalreference', displayName: 'External Reference', type: 'string' },
		{ key: 'nominalcode', displayName: 'Nominal Code', type: 'string' },
		{
			key: 'isrecurringitem',
			displayName: 'Recurring Item',
			type: 'boolean',
			description: 'Whether the item is billed every period (e.g. a licence)',
		},
		{ key: 'recurringprice', displayName: 'Recurring Price', type: 'number' },
		{ key: 'assettype_id', displayName: 'Asset Type', type: 'number', loadOptions: 'getAssetTypes' },
	],
	updateOnly: [{ key: 'name', displayName: 'Name', type: 'string' }],
	filters: [
		searchFilter('item name and codes'),
		supplierField,
		...inactiveFilters('items', true),
		{
			key: 'recurringonly',
			displayName: 'Recurring Only',
			type: 'boolean',
			description: 'Whether to return only recurring items',
		},
		...sortFilters('name'),
	],
	getOptions: [includeDetails('suppliers and stock details')],
	customFields: true,
});
