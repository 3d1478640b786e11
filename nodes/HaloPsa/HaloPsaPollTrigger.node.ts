import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { HALO_CREDENTIAL_TYPE } from '../../credentials/HaloPsaToken';
import { loadOptions } from './methods/loadOptions';
import { specFor } from './resources';
import {
	CHANGE_FIELDS,
	changeTimeOf,
	haloDate,
	haloTime,
	pruneFollowedTickets,
	selectChanges,
	selectNewActions,
	sinceOf,
	type PollEvent,
	type PollState,
} from './shared/polling';
import type { ResourceSpec } from './shared/specs';
import { haloList } from './transport';

const DEFAULT_OVERLAP_SECONDS = 120;
const SAMPLE_SIZE = 5;

/** The resource each event reads, and the field its list is ordered by (oldest change first). */
const SOURCES: Record<PollEvent, { resource: string; order: string }> = {
	ticketCreated: { resource: 'ticket', order: 'last_update' },
	ticketUpdated: { resource: 'ticket', order: 'last_update' },
	actionCreated: { resource: 'ticket', order: 'last_update' },
	clientChanged: { resource: 'client', order: CHANGE_FIELDS.clientChanged[0] },
	assetChanged: { resource: 'asset', order: CHANGE_FIELDS.assetChanged[0] },
};

const TICKET_EVENTS = ['ticketCreated', 'ticketUpdated', 'actionCreated'];

/** The user's filters as Halo query parameters (lists of ids as Halo's comma-separated text). */
function filterQuery(ctx: IPollFunctions): IDataObject {
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const qs: IDataObject = {};
	for (const [key, value] of Object.entries(filters)) {
		const text = Array.isArray(value) ? value.join(',') : String(value ?? '').trim();
		if (text) qs[key] = text;
	}
	return qs;
}

async function listChanged(
	ctx: IPollFunctions,
	spec: ResourceSpec,
	qs: IDataObject,
	limit = Infinity,
): Promise<IDataObject[]> {
	return (await haloList.call(ctx, spec, qs, { limit })).rows;
}

export class HaloPsaPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HaloPSA Poll Trigger',
		name: 'haloPsaPollTrigger',
		icon: { light: 'file:halopsa.svg', dark: 'file:halopsa.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow when tickets, actions, clients or assets change in HaloPSA, by asking Halo on a schedule (no public URL needed)',
		defaults: { name: 'HaloPSA Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: ['main'],
		credentials: [{ name: HALO_CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				required: true,
				default: 'ticketCreated',
				options: [
					{
						name: 'New Action (Note)',
						value: 'actionCreated',
						description: 'An action or note added to a ticket',
					},
					{
						name: 'New or Updated Asset',
						value: 'assetChanged',
						description: 'An asset created or changed',
					},
					{
						name: 'New or Updated Client',
						value: 'clientChanged',
						description: 'A client created or changed',
					},
					{ name: 'New Ticket', value: 'ticketCreated', description: 'A ticket created' },
					{
						name: 'Updated Ticket',
						value: 'ticketUpdated',
						description: 'A ticket created or changed (each change once)',
					},
				],
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				displayOptions: { show: { event: TICKET_EVENTS } },
				options: [
					{
						displayName: 'Client Name or ID',
						name: 'client_id',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getClients' },
						default: '',
						description:
							'Only tickets of this client. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Status Names or IDs',
						name: 'status',
						type: 'multiOptions',
						typeOptions: { loadOptionsMethod: 'getStatuses' },
						default: [],
						description:
							'Only tickets in these statuses. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Team Names or IDs',
						name: 'team',
						type: 'multiOptions',
						typeOptions: { loadOptionsMethod: 'getTeams' },
						default: [],
						description:
							'Only tickets of these teams. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Ticket Type Names or IDs',
						name: 'requesttype',
						type: 'multiOptions',
						typeOptions: { loadOptionsMethod: 'getTicketTypes' },
						default: [],
						description:
							'Only tickets of these types. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Overlap (Seconds)',
						name: 'overlapSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_OVERLAP_SECONDS,
						description:
							'Each poll also looks this far back before the last change it saw, for changes Halo saved late; what was already emitted is not emitted again',
					},
				],
			},
		],
	};

	methods = { loadOptions };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as PollEvent;
		const overlapMs = Number(this.getNodeParameter('options.overlapSeconds', DEFAULT_OVERLAP_SECONDS)) * 1000;
		const source = SOURCES[event];
		const spec = specFor(source.resource);
		const filters = TICKET_EVENTS.includes(event) ? filterQuery(this) : {};
		const store = this.getWorkflowStaticData('node') as PollState & IDataObject;

		if (this.getMode() === 'manual') {
			// a test run shows the shape: the latest few records, and moves no cursor
			const latest = await listChanged(
				this,
				spec,
				{ ...filters, order: event === 'ticketCreated' ? 'id' : source.order, orderdesc: true },
				SAMPLE_SIZE,
			);
			if (event !== 'actionCreated') return latest.length ? [this.helpers.returnJsonArray(latest)] : null;
			const ticket = latest[0];
			if (!ticket) return null;
			const actions = await listChanged(this, specFor('ticketAction'), { ticket_id: ticket.id });
			const sample = actions.slice(-SAMPLE_SIZE);
			return sample.length ? [this.helpers.returnJsonArray(sample)] : null;
		}

		let state: PollState = store.event === event ? { ...store } : {};
		let silent = false;
		if (!state.cursor) {
			// first activation: the cursor is Halo's latest change time; what exists now is never emitted
			silent = true;
			const [latest] = await listChanged(this, spec, { order: source.order, orderdesc: true }, 1);
			const latestTime = latest ? haloTime(changeTimeOf(latest, event)) : undefined;
			state = { event, cursor: new Date(latestTime ?? Date.now()).toISOString(), seen: {} };
			if (event === 'ticketCreated') {
				const [newest] = await listChanged(this, spec, { order: 'id', orderdesc: true }, 1);
				state.floorId = Number(newest?.id ?? 0);
			}
		}
		const since = sinceOf(state, overlapMs) as number;
		const rows = await listChanged(this, spec, {
			...filters,
			lastupdatefromdate: haloDate(since),
			order: source.order,
		});
		let emit: IDataObject[];
		if (event === 'actionCreated') {
			const changed = selectChanges(state, rows, 'ticketUpdated', overlapMs);
			state = changed.next;
			emit = [];
			for (const ticket of changed.emit) {
				const actions = await listChanged(this, specFor('ticketAction'), { ticket_id: ticket.id });
				const picked = selectNewActions(state, String(ticket.id), actions, since);
				state = picked.next;
				emit.push(...picked.emit.map((action) => ({ ...action, ticket_id: action.ticket_id ?? ticket.id })));
			}
			state = pruneFollowedTickets(state, new Set(Object.keys(state.seen ?? {})));
			state.event = event;
		} else {
			const changed = selectChanges(state, rows, event, overlapMs);
			state = changed.next;
			emit = changed.emit;
		}
		for (const key of Object.keys(store)) delete store[key];
		Object.assign(store, state);
		if (silent || !emit.length) return null;
		return [this.helpers.returnJsonArray(emit)];
	}
}
