import { crudResource, requiredPicker } from '../shared/crud';
import { documentLines, type HaloFieldDef } from '../shared/fields';
import { recordAction } from '../shared/operations';
import type { ResourceSpec } from '../shared/specs';
import {
	clientField,
	contractField,
	includeDetails,
	searchFilter,
	siteField,
	sortFilters,
	ticketIdField,
} from '../shared/commonFields';

/** InvoiceDetail fields a line can carry (openapi.json InvoiceDetail). */
export const invoiceLines = documentLines([
	{ key: 'item_shortdescription', displayName: 'Description', type: 'string' },
	{ key: 'item_longdescription', displayName: 'Long Description', type: 'string' },
	{ key: 'qty_order', displayName: 'Quantity', type: 'number' },
	{ key: 'unit_price', displayName: 'Unit Price', type: 'number' },
	{ key: '_itemid', displayName: 'Item ID', type: 'number', description: 'ID of the item (product) the line sells' },
	{ key: 'item_code', displayName: 'Item Code', type: 'string' },
	{ key: 'tax_code', displayName: 'Tax Code', type: 'string' },
	{ key: 'nominal_code', displayName: 'Nominal Code', type: 'string' },
]);

/** Get Many filters shared by invoices and recurring invoices (one GET parameter list in openapi.json). */
export const invoiceFilters: HaloFieldDef[] = [
	clientField,
	siteField('filters'),
	contractField('filters'),
	ticketIdField(),
	searchFilter('invoice number and reference'),
	{ key: 'invoicedatestart', displayName: 'Invoice Date From', type: 'dateTime' },
	{ key: 'invoicedateend', displayName: 'Invoice Date To', type: 'dateTime' },
	{
		key: 'postedonly',
		displayName: 'Posted Only',
		type: 'boolean',
		description: 'Whether to return only invoices posted to the accounts package',
	},
	{
		key: 'notpostedonly',
		displayName: 'Not Posted Only',
		type: 'boolean',
		description: 'Whether to return only invoices not yet posted',
	},
	{
		key: 'includelines',
		displayName: 'Include Lines',
		type: 'boolean',
		description: 'Whether to include the invoice lines',
	},
	...sortFilters('invoice_date'),
];

export const keepAccountsSync: HaloFieldDef = {
	key: 'bypass_accounts_sync',
	displayName: 'Bypass Accounts Sync',
	type: 'boolean',
	description: 'Whether to delete only in Halo, leaving the copy in the linked accounts package alone',
};

const spec: ResourceSpec = {
	value: 'invoice',
	label: 'Invoice',
	plural: 'Invoices',
	path: '/Invoice',
	listKey: 'invoices',
	paged: true,
	area: 'invoices',
};

/** Invoices (InvoiceHeader with InvoiceDetail lines), /Invoice. List envelope `invoices` (OAS-R InvoiceHeader_View). */
export const invoice = crudResource({
	spec,
	picker: {
		label: (row) => [row.invoicenumber || `#${row.id}`, row.client_name].filter(Boolean).join(' / '),
		narrowBy: ['client_id'],
	},
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [requiredPicker('Client', 'clientId', 'client_id', 'getClients')],
	fields: [
		{ key: 'invoice_date', displayName: 'Invoice Date', type: 'dateTime' },
		{ key: 'duedate', displayName: 'Due Date', type: 'dateTime' },
		{ key: 'reference', displayName: 'Reference', type: 'string' },
		{ key: 'cust_order_number', displayName: 'Customer Order Number', type: 'string' },
		{ key: 'notes_1', displayName: 'Notes', type: 'html' },
		{ key: 'internal_note', displayName: 'Internal Note', type: 'html' },
		ticketIdField(),
		contractField('top'),
		{ key: 'salesorder_id', displayName: 'Sales Order ID', type: 'number' },
	],
	updateOnly: [clientField],
	filters: invoiceFilters,
	getOptions: [includeDetails('the lines and payments')],
	deleteOptions: [keepAccountsSync],
	customFields: true,
	extraWriteFields: [invoiceLines],
	extraOperations: [
		recordAction(spec, {
			value: 'void',
			name: 'Void',
			suffix: 'void',
			description: 'Void an invoice in HaloPSA: it stays on record with a zero balance',
		}),
	],
});
