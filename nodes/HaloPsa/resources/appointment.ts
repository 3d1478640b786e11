import { crudResource, requiredString } from '../shared/crud';
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

/** Calendar appointments and tasks, /Appointment. List envelope `appointments` (libraries only; unverified). */
export const appointment = crudResource({
	spec: {
		value: 'appointment',
		label: 'Appointment',
		plural: 'Appointments',
		path: '/Appointment',
		listKey: 'appointments',
		paged: true,
		area: 'calendar',
	},
	picker: { label: (row) => [row.subject || `#${row.id}`, row.start_date].filter(Boolean).join(' / ') },
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [
		requiredString('Subject', 'subject', 'subject', 'Subject of the appointment'),
		requiredString('Start', 'startDate', 'start_date', 'When the appointment starts (UTC)', 'dateTime'),
		requiredString('End', 'endDate', 'end_date', 'When the appointment ends (UTC)', 'dateTime'),
	],
	fields: [
		agentField,
		ticketIdField(),
		clientField,
		siteField('fields'),
		userField('fields'),
		{ key: 'appointment_type_id', displayName: 'Appointment Type ID', type: 'number' },
		{ key: 'allday', displayName: 'All Day', type: 'boolean', description: 'Whether the appointment lasts all day' },
		{
			key: 'is_private',
			displayName: 'Private',
			type: 'boolean',
			description: 'Whether only the attendees see the details',
		},
		{ key: 'note', displayName: 'Note (Text)', type: 'html' },
		{ key: 'note_html', displayName: 'Note (HTML)', type: 'html' },
		{ key: 'appointment_location_free_text', displayName: 'Location', type: 'string' },
	],
	updateOnly: [
		{ key: 'subject', displayName: 'Subject', type: 'string' },
		{ key: 'start_date', displayName: 'Start', type: 'dateTime' },
		{ key: 'end_date', displayName: 'End', type: 'dateTime' },
	],
	filters: [
		{ key: 'agents', displayName: 'Agents', type: 'string', loadOptions: 'getAgents', multiple: true },
		{ key: 'start_date', displayName: 'Start Date', type: 'dateTime', description: 'Appointments from this date' },
		{ key: 'end_date', displayName: 'End Date', type: 'dateTime', description: 'Appointments up to this date' },
		ticketIdField(),
		clientField,
		searchFilter('the subject'),
		{
			key: 'hidecompleted',
			displayName: 'Hide Completed',
			type: 'boolean',
			description: 'Whether to leave out completed appointments',
		},
		{ key: 'tasksonly', displayName: 'Tasks Only', type: 'boolean', description: 'Whether to return only tasks' },
		{
			key: 'appointmentsonly',
			displayName: 'Appointments Only',
			type: 'boolean',
			description: 'Whether to return only appointments (no tasks)',
		},
		...sortFilters('start_date'),
	],
	getOptions: [includeDetails('attendees and the linked ticket')],
	deleteOptions: [
		{
			key: 'ignoreexchangedelete',
			displayName: 'Keep in Exchange',
			type: 'boolean',
			description: 'Whether to leave the synced Exchange/Outlook event in place',
		},
	],
});
