import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../shared/display';
import { filtersCollection, idLocator, returnAllAndLimit } from '../shared/fields';
import { operationOption, operationSelector } from '../shared/operations';
import { specs } from '../shared/specs';

const spec = specs.agent;

/** Agents (technicians), /Agent. Read-only here: agents are managed in Halo itself. */
export const agentDescription: INodeProperties[] = [
	operationSelector(
		spec,
		[
			operationOption(spec, 'get'),
			operationOption(spec, 'getAll'),
			{
				name: 'Get Current',
				value: 'getCurrent',
				action: 'Get the current agent',
				description: 'Get the agent the API application logs in as (GET /Agent/me)',
				routing: { request: { method: 'GET', url: '/Agent/me' }, send: { paginate: true } },
			},
		],
		'get',
	),
	...showFor('agent', ['get'], [idLocator(spec, 'agentId', undefined, 'searchAgents')]),
	...showFor('agent', ['getAll'], [
		...returnAllAndLimit(spec),
		filtersCollection([
			{ key: 'search', displayName: 'Search', type: 'string', description: 'Free text matched against agent names and e-mail' },
			{ key: 'team_id', displayName: 'Team', type: 'number', loadOptions: 'getTeams' },
			{ key: 'includedisabled', displayName: 'Include Disabled', type: 'boolean', description: 'Whether to include disabled agents' },
			{ key: 'includeapiagents', displayName: 'Include API Agents', type: 'boolean', description: 'Whether to include API-only agents' },
		]),
	]),
];
