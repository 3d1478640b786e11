import { crudResource, requiredPicker, requiredString } from '../shared/crud';
import { clientField, includeDetails, siteField, supplierField, userField } from '../shared/commonFields';

/**
 * Notes on a client's CRM record (AreaNote), /CRMNote. Unpaged. List envelope unverified:
 * `crmnotes` (pyhalopsa) or `actions` (HaloAPI-PS); the node reads either, or a bare array.
 */
export const crmNote = crudResource({
	spec: {
		value: 'crmNote',
		label: 'CRM Note',
		plural: 'CRM Notes',
		path: '/CRMNote',
		listKey: 'crmnotes',
		paged: false,
		area: 'crm',
	},
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [
		requiredPicker('Client', 'clientId', 'client_id', 'getClients'),
		requiredString('Note', 'note', 'note', 'Text of the note'),
	],
	fields: [
		{ key: 'detail', displayName: 'Detail', type: 'html', description: 'Longer text below the note' },
		siteField('top'),
		userField('fields'),
		{ key: 'who_agentid', displayName: 'Agent', type: 'number', loadOptions: 'getAgents' },
		{ key: 'datetime', displayName: 'Date and Time', type: 'dateTime', description: 'When the contact happened (UTC)' },
		{ key: 'timetaken', displayName: 'Time Taken (Hours)', type: 'number' },
		{ key: 'nextcalldate', displayName: 'Next Call Date', type: 'dateTime' },
		{
			key: 'ticketid',
			displayName: 'Ticket ID',
			type: 'number',
			description: 'Opportunity or ticket the note is about',
		},
	],
	updateOnly: [clientField, { key: 'note', displayName: 'Note', type: 'string' }],
	filters: [clientField, supplierField, { key: 'toplevel_id', displayName: 'Top Level ID', type: 'number' }],
	getOptions: [includeDetails('custom fields')],
	customFields: true,
});
