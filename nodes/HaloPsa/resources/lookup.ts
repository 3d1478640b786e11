import type { IDataObject } from 'n8n-workflow';

import { showFor } from '../shared/display';
import { keepWholeBody } from '../shared/paging';
import type { HaloResource } from '../shared/resource';
import type { HaloArea, ResourceSpec } from '../shared/specs';

const byName = (row: IDataObject) => String(row.name ?? row.id);

/** A reference list Halo returns as a bare array (README §3.2). */
function lookupList(
	value: string,
	label: string,
	plural: string,
	path: string,
	area: HaloArea,
	picker: HaloResource['picker'] = { label: byName },
): HaloResource {
	return { spec: { value, label, plural, path, paged: false, area }, picker };
}

/** Reference lists: each has a dropdown, and together they are the Lookup resource's choices. */
export const lookupLists: HaloResource[] = [
	lookupList('ticketType', 'Ticket Type', 'Ticket Types', '/TicketType', 'tickets'),
	lookupList('status', 'Status', 'Statuses', '/Status', 'tickets'),
	lookupList('priority', 'Priority', 'Priorities', '/Priority', 'tickets'),
	lookupList('team', 'Team', 'Teams', '/Team', 'tickets', { label: byName, byName: true }),
	lookupList('category', 'Category', 'Categories', '/Category', 'tickets', {
		label: (row) => String(row.category_name ?? row.value ?? row.name ?? row.id),
		valueIsLabel: true,
	}),
	lookupList('assetType', 'Asset Type', 'Asset Types', '/AssetType', 'assets'),
	lookupList('outcome', 'Outcome', 'Outcomes', '/Outcome', 'tickets', {
		label: (row) => String(row.buttonname || row.outcome || row.name || row.id),
	}),
];

const lookupSpec: ResourceSpec = {
	value: 'lookup',
	label: 'Lookup',
	plural: 'Lookups',
	path: '',
	paged: false,
	area: 'tickets',
};

/** The Lookup resource: Get Many of one reference list (ticket types, statuses, priorities, ...). */
export const lookup: HaloResource = {
	spec: lookupSpec,
	properties: [
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
					routing: {
						request: { method: 'GET' },
						send: { paginate: true },
						output: { postReceive: [keepWholeBody] },
					},
				},
			],
			default: 'getAll',
		},
		...showFor(
			'lookup',
			['getAll'],
			[
				{
					displayName: 'Lookup',
					name: 'lookupType',
					type: 'options',
					noDataExpression: true,
					options: lookupLists
						.map(({ spec }) => ({
							name: spec.plural,
							value: spec.value,
							description: `GET ${spec.path}`,
							routing: { request: { url: spec.path } },
						}))
						.sort((a, b) => a.name.localeCompare(b.name)),
					default: 'ticketType',
				},
			],
		),
	],
};
