import { crudResource, requiredPicker } from '../shared/crud';
import { documentLines } from '../shared/fields';

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
		{
			key: 'site_id',
			displayName: 'Site',
			type: 'number',
			loadOptions: 'getSites',
			loadOptionsDependsOn: ['additionalFields.client_id', 'updateFields.client_id'],
		},
		{ key: 'ticket_id', displayName: 'Ticket ID', type: 'number' },
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
	updateOnly: [{ key: 'supplier_id', displayName: 'Supplier', type: 'number', loadOptions: 'getSuppliers' }],
	filters: [
		{ key: 'supplier_id', displayName: 'Supplier', type: 'number', loadOptions: 'getSuppliers' },
		{ key: 'client_id', displayName: 'Client', type: 'number', loadOptions: 'getClients' },
		{ key: 'ticket_id', displayName: 'Ticket ID', type: 'number' },
		{ key: 'salesorder_id', displayName: 'Sales Order ID', type: 'number' },
		{
			key: 'search',
			displayName: 'Search',
			type: 'string',
			description: 'Free text matched against the order title and reference',
		},
		{ key: 'open', displayName: 'Open Only', type: 'boolean', description: 'Whether to return only open orders' },
		{ key: 'closed', displayName: 'Closed Only', type: 'boolean', description: 'Whether to return only closed orders' },
		{
			key: 'unsent',
			displayName: 'Unsent Only',
			type: 'boolean',
			description: 'Whether to return only orders not yet sent to the supplier',
		},
		{ key: 'order', displayName: 'Order By', type: 'string', description: 'Halo field to sort by, e.g. date' },
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
			description: 'Whether to include the lines',
		},
	],
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
