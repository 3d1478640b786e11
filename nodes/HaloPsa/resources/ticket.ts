import { crudResource, requiredPicker, requiredString } from '../shared/crud';
import type { HaloFieldDef } from '../shared/fields';
import type { HaloResource, RecordPicker } from '../shared/resource';
import type { ResourceSpec } from '../shared/specs';
import {
	agentField,
	clientField,
	includeDetails,
	searchFilter,
	siteField,
	sortFilters,
	userField,
} from '../shared/commonFields';

/** Faults fields a user can set on create and update (openapi.json schema Faults). */
const ticketFields: HaloFieldDef[] = [
	clientField,
	siteField('fields'),
	userField('fields'),
	agentField,
	{ key: 'team', displayName: 'Team', type: 'string', loadOptions: 'getTeamNames' },
	{ key: 'priority_id', displayName: 'Priority', type: 'number', loadOptions: 'getPriorities' },
	{ key: 'status_id', displayName: 'Status', type: 'number', loadOptions: 'getStatuses' },
	{ key: 'category_1', displayName: 'Category', type: 'string', loadOptions: 'getCategories' },
	{ key: 'details', displayName: 'Details (Text)', type: 'html', description: 'Plain-text description of the ticket' },
	{ key: 'details_html', displayName: 'Details (HTML)', type: 'html', description: 'HTML description of the ticket' },
	{ key: 'dateoccurred', displayName: 'Date Occurred', type: 'dateTime', description: 'When the issue started (UTC)' },
	{ key: 'deadlinedate', displayName: 'Deadline Date', type: 'dateTime' },
	{ key: 'startdate', displayName: 'Start Date', type: 'dateTime' },
	{ key: 'targetdate', displayName: 'Target Date', type: 'dateTime' },
	{ key: 'impact', displayName: 'Impact', type: 'number', description: 'Impact level id as configured in Halo' },
	{ key: 'urgency', displayName: 'Urgency', type: 'number', description: 'Urgency level id as configured in Halo' },
	{ key: 'reportedby', displayName: 'Reported By', type: 'string' },
	{ key: 'user_email', displayName: 'User Email', type: 'string', description: 'E-mail address of the end user' },
	{
		key: 'emailtolist',
		displayName: 'Email To List',
		type: 'string',
		description: 'Extra addresses that receive ticket e-mails',
	},
	{ key: 'parent_id', displayName: 'Parent Ticket ID', type: 'number' },
	{
		key: 'dont_do_rules',
		displayName: "Don't Run Ticket Rules",
		type: 'boolean',
		description: 'Whether to skip Halo ticket rules for this write',
	},
];

const updateOnly: HaloFieldDef[] = [
	{ key: 'summary', displayName: 'Summary', type: 'string' },
	{ key: 'tickettype_id', displayName: 'Ticket Type', type: 'number', loadOptions: 'getTicketTypes' },
];

const ticketFilters: HaloFieldDef[] = [
	searchFilter('indexed ticket fields'),
	clientField,
	siteField('filters'),
	userField('filters'),
	{ key: 'agent', displayName: 'Agents', type: 'string', loadOptions: 'getAgents', multiple: true },
	{ key: 'team', displayName: 'Teams', type: 'string', loadOptions: 'getTeams', multiple: true },
	{ key: 'status', displayName: 'Statuses', type: 'string', loadOptions: 'getStatuses', multiple: true },
	{ key: 'requesttype', displayName: 'Ticket Types', type: 'string', loadOptions: 'getTicketTypes', multiple: true },
	{ key: 'priority', displayName: 'Priorities', type: 'string', loadOptions: 'getPriorities', multiple: true },
	{ key: 'open_only', displayName: 'Open Only', type: 'boolean', description: 'Whether to return only open tickets' },
	{
		key: 'closed_only',
		displayName: 'Closed Only',
		type: 'boolean',
		description: 'Whether to return only closed tickets',
	},
	{
		key: 'datesearch',
		displayName: 'Date Field',
		type: 'string',
		description: 'Which date Start Date and End Date apply to',
		options: [
			{ name: 'Date Opened', value: 'dateoccured' },
			{ name: 'Date Closed', value: 'datecleared' },
		],
	},
	{ key: 'startdate', displayName: 'Start Date', type: 'dateTime', description: 'Start of the Date Field window' },
	{ key: 'enddate', displayName: 'End Date', type: 'dateTime', description: 'End of the Date Field window' },
	{ key: 'lastupdatefromdate', displayName: 'Updated After', type: 'dateTime' },
	{ key: 'lastupdatetodate', displayName: 'Updated Before', type: 'dateTime' },
	...sortFilters('dateoccurred or id'),
	{
		key: 'includeagent',
		displayName: 'Include Agent Details',
		type: 'boolean',
		description: 'Whether to add agent details to each ticket',
	},
	{
		key: 'includestatus',
		displayName: 'Include Status Details',
		type: 'boolean',
		description: 'Whether to add status details to each ticket',
	},
	{
		key: 'includetickettype',
		displayName: 'Include Ticket Type Details',
		type: 'boolean',
		description: 'Whether to add ticket type details to each ticket',
	},
	{
		key: 'includelastnote',
		displayName: 'Include Last Note',
		type: 'boolean',
		description: 'Whether to add the last note to each ticket',
	},
	{
		key: 'deleted',
		displayName: 'Deleted Tickets',
		type: 'boolean',
		description: 'Whether to list deleted tickets instead',
	},
];

/**
 * A resource Halo stores as a ticket (Faults): tickets, opportunities and projects share the
 * fields, filters and options; only the path, list envelope and permission differ (README §8).
 */
export function ticketLike(spec: ResourceSpec, picker: RecordPicker): HaloResource {
	return crudResource({
		spec,
		picker,
		operations: ['create', 'delete', 'get', 'getAll', 'update'],
		required: [
			requiredString('Summary', 'summary', 'summary', `Short description (subject) of the ${spec.label.toLowerCase()}`),
			requiredPicker('Ticket Type', 'ticketTypeId', 'tickettype_id', 'getTicketTypes'),
		],
		fields: ticketFields,
		updateOnly,
		filters: ticketFilters,
		customFields: true,
		getOptions: [
			includeDetails('child objects (custom fields, assets, last actions)'),
			{
				key: 'includelastaction',
				displayName: 'Include Last Action',
				type: 'boolean',
				description: 'Whether to include the latest action',
			},
		],
		deleteOptions: [
			{
				key: 'reason',
				displayName: 'Reason',
				type: 'string',
				description: "Why the record is deleted (kept in Halo's audit)",
			},
		],
	});
}

export const ticket = ticketLike(
	{
		value: 'ticket',
		label: 'Ticket',
		plural: 'Tickets',
		path: '/Tickets',
		listKey: 'tickets',
		paged: true,
		area: 'tickets',
		portalUrlPattern: 'ticket\\?id=(\\d+)',
	},
	{ label: (row) => `#${row.id} ${row.summary ?? ''}`.trim() },
);
