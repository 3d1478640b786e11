import { crudResource, requiredPicker } from '../shared/crud';
import { documentLines } from '../shared/fields';
import {
	clientField,
	includeDetails,
	searchFilter,
	siteField,
	sortFilters,
	supplierField,
	ticketIdField,
} from '../shared/commonFields';

/** Purchase orders to suppliers (SupplierOrderHeader), /PurchaseOrder. List envelope `purchaseorders` (OAS-R SupplierOrderHeader_View). */
export const purchaseOrder = crudResource({
	spec: {
		value: 'purchaseOrder',
		label: 'Purchase Order',
		plural: 'Purchase Orders',
		path: '/PurchaseOrder',
		listKey: 'purchaseorders',
		paged: true,
		area: 'pos',
	},
	picker: { label: (row) => [row.title || row.po_ref || `#${row.id}`, row.supplier_name].filter(Boolean).join(' / ') },
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [requiredPicker('Supplier', 'supplierId', 'supplier_id', 'getSuppliers')],
	fields: [
		{ key: 'title', displayName: 'Title', type: 'string' },
		{
			key: 'client_id',
			displayName: 'Client',
			type: 'number',
			loadOptions: 'getClients',
			description: 'Client the goods are for',
		},
		siteField('fields'),
		ticketIdField(),
		{ key: 'salesorder_id', displayName: 'Sales Order ID', type: 'number' },
		{ key: 'po_ref', displayName: 'PO Ref', type: 'string' },
		{ key: 'date', displayName: 'Order Date', type: 'dateTime' },
		{ key: 'est_delivery_date', displayName: 'Estimated Delivery Date', type: 'dateTime' },
		{
			key: 'deliver_to_us',
			displayName: 'Deliver to Us',
			type: 'boolean',
			description: 'Whether the supplier delivers to your own address',
		},
		{ key: 'note', displayName: 'Note', type: 'html' },
	],
	updateOnly: [supplierField],
	filters: [
		supplierField,
		clientField,
		ticketIdField(),
		{ key: 'salesorder_id', displayName: 'Sales Order ID', type: 'number' },
		searchFilter('the order title and reference'),
		{ key: 'open', displayName: 'Open Only', type: 'boolean', description: 'Whether to return only open orders' },
		{ key: 'closed', displayName: 'Closed Only', type: 'boolean', description: 'Whether to return only closed orders' },
		{
			key: 'unsent',
			displayName: 'Unsent Only',
			type: 'boolean',
			description: 'Whether to return only orders not yet sent to the supplier',
		},
		...sortFilters('date'),
	],
	getOptions: [includeDetails('the lines')],
	customFields: true,
	extraWriteFields: [
		documentLines([
			{ key: 'item_id', displayName: 'Item ID', type: 'number', description: 'ID of the item (product) ordered' },
			{ key: 'item_code', displayName: 'Item Code', type: 'string' },
			{ key: 'name', displayName: 'Name', type: 'string' },
			{ key: 'baseprice', displayName: 'Price', type: 'number' },
			{ key: 'note', displayName: 'Note', type: 'string' },
		]),
	],
});
