import { crudResource, requiredPicker } from '../shared/crud';
import { invoiceFilters, invoiceLines, keepAccountsSync } from './invoice';
import { clientField, contractField, includeDetails } from '../shared/commonFields';

/** Recurring invoices (InvoiceHeader templates), /RecurringInvoice. List envelope `invoices` (OAS-R InvoiceHeader_View). */
export const recurringInvoice = crudResource({
	spec: {
		value: 'recurringInvoice',
		label: 'Recurring Invoice',
		plural: 'Recurring Invoices',
		path: '/RecurringInvoice',
		listKey: 'invoices',
		paged: true,
		area: 'invoices',
	},
	picker: {
		label: (row) => [row.reference || `#${row.id}`, row.client_name].filter(Boolean).join(' / '),
		narrowBy: ['client_id'],
	},
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [requiredPicker('Client', 'clientId', 'client_id', 'getClients')],
	fields: [
		{ key: 'reference', displayName: 'Reference', type: 'string' },
		{
			key: 'nextcreationdate',
			displayName: 'Next Creation Date',
			type: 'dateTime',
			description: 'When Halo next raises an invoice from this template',
		},
		contractField('top'),
		{ key: 'notes_1', displayName: 'Notes', type: 'html' },
		{ key: 'internal_note', displayName: 'Internal Note', type: 'html' },
		{
			key: 'disabled',
			displayName: 'Disabled',
			type: 'boolean',
			description: 'Whether Halo stops raising invoices from this template',
		},
	],
	updateOnly: [clientField],
	filters: invoiceFilters,
	getOptions: [includeDetails('the lines')],
	deleteOptions: [keepAccountsSync],
	customFields: true,
	extraWriteFields: [invoiceLines],
});
