import type { INodeProperties } from 'n8n-workflow';

import { crudResource, requiredPicker } from '../shared/crud';
import {
	clientField,
	inactiveFilters,
	includeDetails,
	searchFilter,
	siteField,
	sortFilters,
} from '../shared/commonFields';

/** Asset-type fields (Device.fields) as {id, value} pairs, turned into `fields` by buildWriteBody. */
const assetTypeFields: INodeProperties = {
	displayName: 'Asset Type Fields',
	name: 'assetFieldsUi',
	type: 'fixedCollection',
	placeholder: 'Add Asset Type Field',
	typeOptions: { multipleValues: true },
	default: {},
	options: [
		{
			displayName: 'Field',
			name: 'field',
			values: [
				{
					displayName: 'Field ID',
					name: 'id',
					type: 'number',
					default: 0,
					description: 'ID of the asset-type field (e.g. 117 for Serial Number on default tenants)',
				},
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
};

/** Assets (devices), /Asset. */
export const asset = crudResource({
	spec: {
		value: 'asset',
		label: 'Asset',
		plural: 'Assets',
		path: '/Asset',
		listKey: 'assets',
		paged: true,
		area: 'assets',
		portalUrlPattern: 'assets\\?id=(\\d+)',
	},
	picker: {
		label: (row) =>
			[row.inventory_number, row.key_field, row.client_name].filter(Boolean).join(' / ') || String(row.id),
	},
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [
		requiredPicker('Client', 'clientId', 'client_id', 'getClients'),
		requiredPicker('Asset Type', 'assetTypeId', 'assettype_id', 'getAssetTypes'),
	],
	fields: [
		siteField('top'),
		{ key: 'inventory_number', displayName: 'Asset Tag', type: 'string', description: 'Inventory number (asset tag)' },
		{
			key: 'key_field',
			displayName: 'Key Field',
			type: 'string',
			description: 'Main identifying value, e.g. the device name',
		},
		{ key: 'key_field2', displayName: 'Key Field 2', type: 'string' },
		{ key: 'key_field3', displayName: 'Key Field 3', type: 'string' },
		{ key: 'status_id', displayName: 'Asset Status ID', type: 'number' },
		{ key: 'notes', displayName: 'Notes', type: 'html' },
		{ key: 'warranty_start', displayName: 'Warranty Start', type: 'dateTime' },
		{ key: 'warranty_end', displayName: 'Warranty End', type: 'dateTime' },
		{ key: 'supplier_id', displayName: 'Supplier ID', type: 'number' },
		{ key: 'inactive', displayName: 'Inactive', type: 'boolean', description: 'Whether the asset is inactive' },
	],
	updateOnly: [
		clientField,
		{ key: 'assettype_id', displayName: 'Asset Type', type: 'number', loadOptions: 'getAssetTypes' },
	],
	filters: [
		clientField,
		siteField('filters'),
		{ key: 'assettype_id', displayName: 'Asset Type', type: 'number', loadOptions: 'getAssetTypes' },
		searchFilter('asset tag and key fields'),
		...inactiveFilters('assets'),
		{
			key: 'includeassetfields',
			displayName: 'Include Asset Fields',
			type: 'boolean',
			description: 'Whether to include asset-type field values',
		},
		{ key: 'lastupdatefromdate', displayName: 'Updated After', type: 'dateTime' },
		...sortFilters('inventory_number'),
	],
	getOptions: [includeDetails('asset-type fields and other child objects')],
	customFields: true,
	extraWriteFields: [assetTypeFields],
});
