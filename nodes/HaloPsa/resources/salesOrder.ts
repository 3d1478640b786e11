import { crudResource, requiredPicker } from '../shared/crud';
import { documentLines } from '../shared/fields';
import {
	clientField,
	includeDetails,
	searchFilter,
	siteField,
	sortFilters,
	ticketIdField,
	userField,
} from '../shared/commonFields';

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
		siteField('top'),
		userField('fields'),
		ticketIdField(),
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
	updateOnly: [clientField],
	filters: [
		clientField,
		siteField('filters'),
		userField('filters'),
		ticketIdField(),
		searchFilter('the order title'),
		{ key: 'open', displayName: 'Open Only', type: 'boolean', description: 'Whether to return only open orders' },
		{ key: 'closed', displayName: 'Closed Only', type: 'boolean', description: 'Whether to return only closed orders' },
		{
			key: 'needsinvoicing',
			displayName: 'Needs Invoicing',
			type: 'boolean',
			description: 'Whether to return only orders waiting to be invoiced',
		},
		...sortFilters('date'),
	],
	getOptions: [includeDetails('the lines')],
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
