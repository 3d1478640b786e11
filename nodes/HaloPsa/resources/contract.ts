import { crudResource, requiredPicker, requiredString } from '../shared/crud';

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
		{
			key: 'site_id',
			displayName: 'Site',
			type: 'number',
			loadOptions: 'getSites',
			loadOptionsDependsOn: ['clientId'],
		},
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
	updateOnly: [
		{ key: 'client_id', displayName: 'Client', type: 'number', loadOptions: 'getClients' },
		{ key: 'ref', displayName: 'Contract Ref', type: 'string' },
	],
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
			key: 'search',
			displayName: 'Search',
			type: 'string',
			description: 'Free text matched against the contract reference',
		},
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
		{ key: 'order', displayName: 'Order By', type: 'string', description: 'Halo field to sort by, e.g. end_date' },
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
			description: 'Whether to include child objects (assets, users, schedules)',
		},
		{
			key: 'includeperiods',
			displayName: 'Include Periods',
			type: 'boolean',
			description: 'Whether to include the billing periods',
		},
	],
});
