import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../shared/display';
import { returnAllAndLimit } from '../shared/fields';
import { lookupResources, specs } from '../shared/specs';

const anyLookup = specs.ticketType;

/** Reference lists Halo returns as bare arrays: ticket types, statuses, priorities, teams, ... */
export const lookupDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['lookup'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many lookup values',
				description: 'List the values of a Halo lookup (ticket types, statuses, priorities, ...)',
				routing: { request: { method: 'GET' }, send: { paginate: true } },
			},
		],
		default: 'getAll',
	},
	...showFor('lookup', ['getAll'], [
		{
			displayName: 'Lookup',
			name: 'lookupType',
			type: 'options',
			noDataExpression: true,
			options: lookupResources
				.map((name) => ({
					name: specs[name].plural,
					value: name,
					description: `GET ${specs[name].path}`,
					routing: { request: { url: specs[name].path } },
				}))
				.sort((a, b) => a.name.localeCompare(b.name)),
			default: 'ticketType',
		},
		...returnAllAndLimit(anyLookup),
	]),
];
