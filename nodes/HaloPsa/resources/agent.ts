import { crudResource } from '../shared/crud';
import { searchFilter } from '../shared/commonFields';

/** Agents (technicians), /Agent. Read-only here: agents are managed in Halo itself. */
export const agent = crudResource({
	spec: {
		value: 'agent',
		label: 'Agent',
		plural: 'Agents',
		path: '/Agent',
		paged: false,
		area: 'tickets',
		portalUrlPattern: 'agent\\?id=(\\d+)',
	},
	picker: { label: (row) => String(row.name ?? row.id) },
	operations: ['get', 'getAll'],
	filters: [
		searchFilter('agent names and e-mail'),
		{ key: 'team_id', displayName: 'Team', type: 'number', loadOptions: 'getTeams' },
		{
			key: 'includedisabled',
			displayName: 'Include Disabled',
			type: 'boolean',
			description: 'Whether to include disabled agents',
		},
		{
			key: 'includeapiagents',
			displayName: 'Include API Agents',
			type: 'boolean',
			description: 'Whether to include API-only agents',
		},
	],
	extraOperations: [
		{
			option: {
				name: 'Get Current',
				value: 'getCurrent',
				action: 'Get the current agent',
				description: 'Get the agent the API application logs in as (GET /Agent/me)',
				routing: { request: { method: 'GET', url: '/Agent/me' }, send: { paginate: true } },
			},
		},
	],
});
