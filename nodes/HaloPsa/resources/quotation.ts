import { crudResource, requiredPicker } from '../shared/crud';
import { documentLines } from '../shared/fields';

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
		{
			key: 'ticket_id',
			displayName: 'Ticket ID',
			type: 'number',
			description: 'Opportunity or ticket the quote belongs to',
		},
		{ key: 'agent_id', displayName: 'Agent', type: 'number', loadOptions: 'getAgents' },
		{ key: 'date', displayName: 'Quote Date', type: 'dateTime' },
		{ key: 'expiry_date', displayName: 'Expiry Date', type: 'dateTime' },
		{ key: 'po_ref', displayName: 'PO Ref', type: 'string', description: "The customer's purchase order reference" },
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
		{ key: 'search', displayName: 'Search', type: 'string', description: 'Free text matched against the quote title' },
		{ key: 'open', displayName: 'Open Only', type: 'boolean', description: 'Whether to return only open quotes' },
		{ key: 'closed', displayName: 'Closed Only', type: 'boolean', description: 'Whether to return only closed quotes' },
		{
			key: 'includelines',
			displayName: 'Include Lines',
			type: 'boolean',
			description: 'Whether to include the quote lines',
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
				description: 'ID of the item (product) the line quotes',
			},
			{ key: 'description', displayName: 'Description', type: 'string' },
			{ key: 'baseprice', displayName: 'Price', type: 'number' },
			{ key: 'costprice', displayName: 'Cost Price', type: 'number' },
			{ key: 'note', displayName: 'Note', type: 'string' },
		]),
	],
});
