import { showFor } from '../shared/display';
import { bodyFieldsCollection, filtersCollection, idLocator } from '../shared/fields';
import { buildWriteBody, checkActionIds } from '../shared/hooks';
import { bulkOperation, operationOption, operationSelector } from '../shared/operations';
import type { HaloResource } from '../shared/resource';
import type { ResourceSpec } from '../shared/specs';
import { ticket } from './ticket';

const spec: ResourceSpec = {
	value: 'ticketAction',
	label: 'Ticket Action',
	plural: 'Ticket Actions',
	path: '/Actions',
	listKey: 'actions',
	paged: false,
	area: 'tickets',
};

/** Many actions at once: each record carries its own ticket_id, outcome and note. */
const bulk = bulkOperation(spec);

/** Actions (notes, e-mails, status changes) on a ticket, /Actions?ticket_id=. */
export const ticketAction: HaloResource = {
	spec,
	properties: [
		operationSelector(
			spec,
			[
				{
					...operationOption(spec, 'create', [buildWriteBody(spec), checkActionIds]),
					name: 'Add',
					action: 'Add a note or action to a ticket',
					description: 'Add a note or action to a ticket (POST /Actions)',
				},
				operationOption(spec, 'delete', [checkActionIds]),
				operationOption(spec, 'get', [checkActionIds]),
				{ ...operationOption(spec, 'getAll', [checkActionIds]), action: 'Get many actions of a ticket' },
				bulk.option,
			],
			'create',
		),
		...showFor(
			'ticketAction',
			['create', 'delete', 'get', 'getAll'],
			[idLocator(ticket.spec, 'ticketId', undefined, 'searchTickets')],
		),
		...showFor(
			'ticketAction',
			['delete', 'get'],
			[
				{
					displayName: 'Action ID',
					name: 'actionId',
					type: 'string',
					required: true,
					default: '',
					description: 'ID of the action within the ticket (from Get Many)',
				},
			],
		),
		...showFor(
			'ticketAction',
			['create'],
			[
				{
					displayName: 'Note',
					name: 'note',
					type: 'string',
					typeOptions: { rows: 4 },
					required: true,
					default: '',
					description: 'Text of the note',
					routing: {
						send: { type: 'body', property: '={{ $parameter.noteFormat === "html" ? "note_html" : "note" }}' },
					},
				},
				{
					displayName: 'Note Format',
					name: 'noteFormat',
					type: 'options',
					options: [
						{ name: 'HTML', value: 'html' },
						{ name: 'Text', value: 'text' },
					],
					default: 'text',
					description: 'Whether the note is plain text (note) or HTML (note_html)',
				},
				{
					displayName: 'Outcome Name or ID',
					name: 'outcomeId',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getOutcomes' },
					default: 7,
					description:
						'Action type. Default 7 is the built-in Private Note outcome on standard Halo tenants. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					routing: { send: { type: 'body', property: 'outcome_id', value: '={{ Number($value) }}' } },
				},
				{
					displayName: 'Hide From End User',
					name: 'hiddenFromUser',
					type: 'boolean',
					default: true,
					description:
						'Whether the action is private (hiddenfromuser): end users do not see it in the portal or e-mails',
					routing: { send: { type: 'body', property: 'hiddenfromuser' } },
				},
				bodyFieldsCollection('additionalFields', [
					{
						key: 'timetaken',
						displayName: 'Time Taken (Hours)',
						type: 'number',
						description: 'Time spent, in hours (0.25 = 15 minutes)',
					},
					{ key: 'new_status', displayName: 'New Status', type: 'number', loadOptions: 'getStatuses' },
					{
						key: 'important',
						displayName: 'Important',
						type: 'boolean',
						description: 'Whether to flag the action as important',
					},
					{
						key: 'sendemail',
						displayName: 'Send Email',
						type: 'boolean',
						description: 'Whether Halo e-mails the action',
					},
					{ key: 'emailto', displayName: 'Email To', type: 'string' },
					{ key: 'emailsubject', displayName: 'Email Subject', type: 'string' },
					{
						key: 'datetime',
						displayName: 'Date and Time',
						type: 'dateTime',
						description: 'When the action happened (UTC)',
					},
					{ key: 'who_agentid', displayName: 'Agent', type: 'number', loadOptions: 'getAgents' },
				]),
			],
		),
		...showFor(
			'ticketAction',
			['getAll'],
			[
				filtersCollection([
					{
						key: 'excludesys',
						displayName: 'Exclude System Actions',
						type: 'boolean',
						description: 'Whether to leave out actions Halo logged automatically',
					},
					{
						key: 'excludeprivate',
						displayName: 'Exclude Private',
						type: 'boolean',
						description: 'Whether to leave out private actions',
					},
					{
						key: 'conversationonly',
						displayName: 'Conversation Only',
						type: 'boolean',
						description: 'Whether to return only e-mails and notes exchanged with the user',
					},
					{
						key: 'agentonly',
						displayName: 'Agent Actions Only',
						type: 'boolean',
						description: 'Whether to return only actions by agents',
					},
					{
						key: 'importantonly',
						displayName: 'Important Only',
						type: 'boolean',
						description: 'Whether to return only important actions',
					},
					{
						key: 'includehtmlnote',
						displayName: 'Include HTML Note',
						type: 'boolean',
						description: 'Whether to include note_html',
					},
				]),
			],
		),
	],
};
