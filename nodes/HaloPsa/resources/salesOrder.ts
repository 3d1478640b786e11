import { crudResource, requiredPicker } from '../shared/crud';
import { documentLines } from '../shared/fields';

/** Sales orders (OrderHead with OrderLine lines), /SalesOrder. List envelope `salesorders` (OAS-R OrderHead_View). */
export const salesOrder = crudResource({
	spec: {
		value: 'salesOrder',
		label: 'Sales Order',
		plural: 'Sales Orders',
		path: '/SalesOrder',
		listKey: 'salesorders',
		paged: true,
		area: 'sos',
	},
	picker: {
		label: (row) => [row.title || row.summary || `#${row.id}`, row.client_name].filter(Boolean).join(' / '),
		narrowBy: ['client_id'],
	},
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [requiredPicker('Client', 'clientId', 'client_id', 'getClients')],
	fields: [
		{ key: 'title', displayName: 'Title', type: 'string' },
		{
			key: 'site_id',
			displayName: 'Site',
			type: 'number',
			loadOptions: 'getSites',
			loadOptionsDependsOn: ['clientId'],
		},
		{
			key: 'user_id',
			displayName: 'User',
			type: 'number',
			loadOptions: 'getUsers',
			loadOptionsDependsOn: ['additionalFields.site_id', 'updateFields.site_id'],
		},
		{ key: 'ticket_id', displayName: 'Ticket ID', type: 'number' },
		{
			key: 'quotation_id',
			displayName: 'Quotation ID',
			type: 'number',
			description: 'Quote this order was raised from',
		},
		{ key: 'date', displayName: 'Order Date', type: 'dateTime' },
		{ key: 'ship_date', displayName: 'Ship Date', type: 'dateTime' },
		{ key: 'po_number', displayName: 'PO Number', type: 'string', description: "The customer's purchase order number" },
		{ key: 'note', displayName: 'Note', type: 'html' },
	],
	updateOnly: [{ key: 'client_id', displayName: 'Client', type: 'number', loadOptions: 'getClients' }],
	filters: [
		{ key: 'client_id', displayName: 'Client', type: 'number', loadOptions: 'getClients' },
		{
			key: 'site_id',
			displayName: 'Site',
			type: 'number',
			loadOptions: 'getSites',
			loadOptionsDependsOn: ['filters.client_id'],
		},
		{
			key: 'user_id',
			displayName: 'User',
			type: 'number',
			loadOptions: 'getUsers',
			loadOptionsDependsOn: ['filters.site_id'],
		},
		{ key: 'ticket_id', displayName: 'Ticket ID', type: 'number' },
		{ key: 'search', displayName: 'Search', type: 'string', description: 'Free text matched against the order title' },
		{ key: 'open', displayName: 'Open Only', type: 'boolean', description: 'Whether to return only open orders' },
		{ key: 'closed', displayName: 'Closed Only', type: 'boolean', description: 'Whether to return only closed orders' },
		{
			key: 'needsinvoicing',
			displayName: 'Needs Invoicing',
			type: 'boolean',
			description: 'Whether to return only orders waiting to be invoiced',
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
			{
				key: 'item_id',
				displayName: 'Item ID',
				type: 'number',
				description: 'ID of the item (product) the line sells',
			},
			{ key: 'name', displayName: 'Name', type: 'string' },
			{ key: 'baseprice', displayName: 'Price', type: 'number' },
			{ key: 'costprice', displayName: 'Cost Price', type: 'number' },
			{ key: 'note', displayName: 'Note', type: 'string' },
		]),
	],
});
