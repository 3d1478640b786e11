import { crudResource, requiredPicker, requiredString } from '../shared/crud';
import { agentField, clientField, includeDetails, siteField, ticketIdField } from '../shared/commonFields';

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
		requiredString('Start', 'startDate', 'start_date', 'When the work started (UTC)', 'dateTime'),
		requiredString('End', 'endDate', 'end_date', 'When the work ended (UTC)', 'dateTime'),
	],
	fields: [
		{ key: 'subject', displayName: 'Subject', type: 'string' },
		ticketIdField(),
		clientField,
		siteField('fields'),
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
		agentField,
		{ key: 'start_date', displayName: 'Start', type: 'dateTime' },
		{ key: 'end_date', displayName: 'End', type: 'dateTime' },
	],
	filters: [
		agentField,
		{ key: 'agents', displayName: 'Agents', type: 'string', loadOptions: 'getAgents', multiple: true },
		{ key: 'start_date', displayName: 'Start Date', type: 'dateTime', description: 'Entries from this date' },
		{ key: 'end_date', displayName: 'End Date', type: 'dateTime', description: 'Entries up to this date' },
	],
	getOptions: [includeDetails('the linked ticket and agents')],
});
