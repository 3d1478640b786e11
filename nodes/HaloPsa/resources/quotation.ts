import { crudResource, requiredPicker } from '../shared/crud';
import { documentLines } from '../shared/fields';
import {
	agentField,
	clientField,
	includeDetails,
	searchFilter,
	siteField,
	sortFilters,
	ticketIdField,
	userField,
} from '../shared/commonFields';

/** Quotes (QuotationHeader with QuotationDetail lines), /Quotation. List envelope `quotes` (OAS-R QuotationHeader_View). */
export const quotation = crudResource({
	spec: {
		value: 'quotation',
		label: 'Quotation',
		plural: 'Quotations',
		path: '/Quotation',
		listKey: 'quotes',
		paged: true,
		area: 'quotes',
	},
	picker: {
		label: (row) => [row.title || `#${row.id}`, row.client_name].filter(Boolean).join(' / '),
		narrowBy: ['client_id'],
	},
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [requiredPicker('Client', 'clientId', 'client_id', 'getClients')],
	fields: [
		{ key: 'title', displayName: 'Title', type: 'string' },
		siteField('top'),
		userField('fields'),
		ticketIdField('Opportunity or ticket the quote belongs to'),
		agentField,
		{ key: 'date', displayName: 'Quote Date', type: 'dateTime' },
		{ key: 'expiry_date', displayName: 'Expiry Date', type: 'dateTime' },
		{ key: 'po_ref', displayName: 'PO Ref', type: 'string', description: "The customer's purchase order reference" },
		{ key: 'note', displayName: 'Note', type: 'html' },
	],
	updateOnly: [clientField],
	filters: [
		clientField,
		siteField('filters'),
		userField('filters'),
		ticketIdField(),
		searchFilter('the quote title'),
		{ key: 'open', displayName: 'Open Only', type: 'boolean', description: 'Whether to return only open quotes' },
		{ key: 'closed', displayName: 'Closed Only', type: 'boolean', description: 'Whether to return only closed quotes' },
		{
			key: 'includelines',
			displayName: 'Include Lines',
			type: 'boolean',
			description: 'Whether to include the quote lines',
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
				description: 'ID of the item (product) the line quotes',
			},
			{ key: 'description', displayName: 'Description', type: 'string' },
			{ key: 'baseprice', displayName: 'Price', type: 'number' },
			{ key: 'costprice', displayName: 'Cost Price', type: 'number' },
			{ key: 'note', displayName: 'Note', type: 'string' },
		]),
	],
});
