import { crudResource, requiredPicker } from '../shared/crud';

/** Time entries on agents' timesheets (TimesheetEvent), /TimesheetEvent. Unpaged; bare array (redanthrax; unverified). */
export const timeEntry = crudResource({
	spec: {
		value: 'timeEntry',
		label: 'Time Entry',
		plural: 'Time Entries',
		path: '/TimesheetEvent',
		paged: false,
		area: 'timesheets',
	},
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [
		requiredPicker('Agent', 'agentId', 'agent_id', 'getAgents'),
		{
			displayName: 'Start',
			name: 'startDate',
			type: 'dateTime',
			required: true,
			default: '',
			description: 'When the work started (UTC)',
			routing: { send: { type: 'body', property: 'start_date' } },
		},
		{
			displayName: 'End',
			name: 'endDate',
			type: 'dateTime',
			required: true,
			default: '',
			description: 'When the work ended (UTC)',
			routing: { send: { type: 'body', property: 'end_date' } },
		},
	],
	fields: [
		{ key: 'subject', displayName: 'Subject', type: 'string' },
		{ key: 'ticket_id', displayName: 'Ticket ID', type: 'number' },
		{ key: 'client_id', displayName: 'Client', type: 'number', loadOptions: 'getClients' },
		{
			key: 'site_id',
			displayName: 'Site',
			type: 'number',
			loadOptions: 'getSites',
			loadOptionsDependsOn: ['additionalFields.client_id', 'updateFields.client_id'],
		},
		{
			key: 'event_type',
			displayName: 'Event Type',
			type: 'number',
			description: 'Type of entry as configured in Halo (work, break, holiday ...)',
		},
		{ key: 'timetaken', displayName: 'Time Taken (Hours)', type: 'number' },
		{ key: 'charge_rate', displayName: 'Charge Rate ID', type: 'number' },
		{ key: 'contract_id', displayName: 'Contract', type: 'number', loadOptions: 'getContracts' },
		{ key: 'note', displayName: 'Note', type: 'html' },
	],
	updateOnly: [
		{ key: 'agent_id', displayName: 'Agent', type: 'number', loadOptions: 'getAgents' },
		{ key: 'start_date', displayName: 'Start', type: 'dateTime' },
		{ key: 'end_date', displayName: 'End', type: 'dateTime' },
	],
	filters: [
		{ key: 'agent_id', displayName: 'Agent', type: 'number', loadOptions: 'getAgents' },
		{ key: 'agents', displayName: 'Agents', type: 'string', loadOptions: 'getAgents', multiple: true },
		{ key: 'start_date', displayName: 'Start Date', type: 'dateTime', description: 'Entries from this date' },
		{ key: 'end_date', displayName: 'End Date', type: 'dateTime', description: 'Entries up to this date' },
	],
	getOptions: [
		{
			key: 'includedetails',
			displayName: 'Include Details',
			type: 'boolean',
			description: 'Whether to include the linked ticket and agents',
		},
	],
});
