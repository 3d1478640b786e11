import { crudResource, requiredPicker, requiredString } from '../shared/crud';
import { clientField, includeDetails, searchFilter, siteField, sortFilters } from '../shared/commonFields';

/** Client contracts (ContractHeader), /ClientContract. List envelope `contracts` (OAS-R ContractHeader_View). */
export const contract = crudResource({
	spec: {
		value: 'contract',
		label: 'Contract',
		plural: 'Contracts',
		path: '/ClientContract',
		listKey: 'contracts',
		paged: true,
		area: 'contracts',
	},
	picker: {
		label: (row) => [row.ref, row.client_name].filter(Boolean).join(' / ') || `#${row.id}`,
		narrowBy: ['client_id'],
	},
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [
		requiredPicker('Client', 'clientId', 'client_id', 'getClients'),
		requiredString('Contract Ref', 'ref', 'ref', 'Reference of the contract, e.g. MSP-GOLD-2026'),
	],
	fields: [
		siteField('top'),
		{ key: 'refextra', displayName: 'Contract Ref Extra', type: 'string' },
		{ key: 'start_date', displayName: 'Start Date', type: 'dateTime' },
		{ key: 'end_date', displayName: 'End Date', type: 'dateTime' },
		{
			key: 'billingperiod',
			displayName: 'Billing Period ID',
			type: 'number',
			description: 'Billing period as configured in Halo (e.g. monthly)',
		},
		{
			key: 'periodchargeamount',
			displayName: 'Period Charge Amount',
			type: 'number',
			description: 'Amount charged each billing period',
		},
		{
			key: 'chargehoursperperiod',
			displayName: 'Hours per Period',
			type: 'number',
			description: 'Hours included each period',
		},
		{ key: 'sla_id', displayName: 'SLA ID', type: 'number' },
		{ key: 'termmonths', displayName: 'Term (Months)', type: 'number' },
		{
			key: 'rollingcontract',
			displayName: 'Rolling Contract',
			type: 'boolean',
			description: 'Whether the contract renews itself at its end date',
		},
		{
			key: 'dontinvoice',
			displayName: "Don't Invoice",
			type: 'boolean',
			description: 'Whether Halo leaves this contract out of invoicing',
		},
		{ key: 'note', displayName: 'Note', type: 'html' },
	],
	updateOnly: [clientField, { key: 'ref', displayName: 'Contract Ref', type: 'string' }],
	filters: [
		clientField,
		siteField('filters'),
		searchFilter('the contract reference'),
		{
			key: 'includeinactive',
			displayName: 'Include Inactive',
			type: 'boolean',
			description: 'Whether to include expired and inactive contracts',
		},
		{
			key: 'excluderenewed',
			displayName: 'Exclude Renewed',
			type: 'boolean',
			description: 'Whether to leave out contracts that were renewed',
		},
		...sortFilters('end_date'),
	],
	getOptions: [
		includeDetails('child objects (assets, users, schedules)'),
		{
			key: 'includeperiods',
			displayName: 'Include Periods',
			type: 'boolean',
			description: 'Whether to include the billing periods',
		},
	],
});
