import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { HALO_CREDENTIAL_TYPE } from '../../credentials/HaloPsaToken';
import { loadOptions } from './methods/loadOptions';
import { specFor } from './resources';
import { readFailure } from './shared/errors';
import { emptyFilterValue } from './shared/hooks';
import {
	ACTIONS_PER_REPORT,
	AHEAD_TOLERANCE_MS,
	CHANGE_FIELDS,
	changeTimeOf,
	haloDate,
	haloTime,
	missingChangeTime,
	newActionsSql,
	pruneFollowedTickets,
	readChanges,
	selectChanges,
	selectNewActions,
	windowStart,
	type ChangePage,
	type PollEvent,
	type PollState,
} from './shared/polling';
import { readReport } from './shared/reports';
import type { ResourceSpec } from './shared/specs';
import { haloClockOf, haloList, haloRequest } from './transport';

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
const EVENT_NAMES: Record<PollEvent, string> = {
	ticketCreated: 'New Ticket',
	ticketUpdated: 'Updated Ticket',
	actionCreated: 'New Action (Note)',
	clientChanged: 'New or Updated Client',
	assetChanged: 'New or Updated Asset',
};
const FILTER_NAMES: Record<string, string> = {
	client_id: 'Client',
	status: 'Statuses',
	team: 'Teams',
	requesttype: 'Ticket Types',
};

/**
 * One poll at a time per trigger: n8n starts a poll on every tick without waiting for the last,
 * and a poll held by Halo's rate limit or many changes can outlast a tick. A poll that finds
 * another one running returns nothing; a mark older than this is taken to be from a poll that
 * will never finish.
 */
const POLL_MARK_MS = 15 * 60_000;
const running = new Map<string, number>();

/** After Halo refused the new-actions report, the trigger reads actions per ticket for this long. */
const REPORT_RETRY_MS = 60 * 60_000;

/** The user's filters as Halo query parameters (lists of ids as Halo's comma-separated text). */
function filterQuery(ctx: IPollFunctions): IDataObject {
	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const qs: IDataObject = {};
	for (const [key, value] of Object.entries(filters)) {
		if (emptyFilterValue(value, true)) {
			// Halo ignores an empty filter and lists everything: "this client's tickets" would be every client's
			throw new NodeOperationError(ctx.getNode(), `The filter "${FILTER_NAMES[key] ?? key}" is empty`, {
				description:
					'Halo would ignore it and report changes of every record. Give it a value (check that its expression finds one), or remove the filter.',
			});
		}
		qs[key] = Array.isArray(value) ? value.join(',') : String(value).trim();
	}
	return qs;
}

/** Client and asset rows without a change time: the trigger could see new records, never changes. */
function refuseWithoutChangeTime(ctx: IPollFunctions, event: PollEvent, rows: IDataObject[]): void {
	const row = missingChangeTime(rows, event);
	if (!row) return;
	const spec = specFor(SOURCES[event].resource);
	throw new NodeOperationError(
		ctx.getNode(),
		`HaloPSA's ${spec.path} list gives no change time, so "${EVENT_NAMES[event]}" cannot see changes`,
		{
			description: `Record ${String(row.id ?? '?')} came without ${CHANGE_FIELDS[event].join(' or ')}, so this trigger could report new records only, never changes. Use the HaloPSA Webhook Trigger for these changes, or a Schedule Trigger with Get Many.`,
		},
	);
}

/** The event whose change times the listed rows carry: new actions list tickets. */
function listedAs(event: PollEvent): PollEvent {
	return event === 'actionCreated' ? 'ticketUpdated' : event;
}

/** A list read that also notes Halo's own time (its Date header). */
class HaloReader {
	haloNow?: number;

	constructor(private ctx: IPollFunctions) {}

	readonly noteClock = (headers: IDataObject) => {
		this.haloNow = haloClockOf(headers) ?? this.haloNow;
	};

	async list(spec: ResourceSpec, qs: IDataObject, limit = Infinity): Promise<IDataObject[]> {
		return (await haloList.call(this.ctx, spec, qs, { limit }, this.noteClock)).rows;
	}

	/** One page of records changed since `from`, oldest change first. */
	async changed(spec: ResourceSpec, qs: IDataObject, from: number, page: number): Promise<ChangePage> {
		const { rows, nextPage } = await haloList.call(
			this.ctx,
			spec,
			{ ...qs, lastupdatefromdate: haloDate(from) },
			{ limit: Infinity, firstPage: page, maxPages: 1 },
			this.noteClock,
		);
		return { rows, more: nextPage !== undefined, haloNow: this.haloNow };
	}

	/** New actions of every ticket since `from`, in one report (read:reporting). */
	async newActions(from: number, page: number): Promise<ChangePage> {
		if (page > 1) throw reportUnusable(this.ctx, `more than ${ACTIONS_PER_REPORT} actions were created in one second`);
		const body = await haloRequest.call(this.ctx, specFor('report'), {}, 'POST', {
			body: [{ _loadreportonly: true, sql: newActionsSql(from) }],
			onHeaders: this.noteClock,
		});
		const { rows, loadError } = readReport(body);
		if (loadError) throw reportUnusable(this.ctx, `Halo could not run it: ${loadError}`);
		if (!rows) throw reportUnusable(this.ctx, 'the answer had no report rows');
		const missing = missingChangeTime(rows, 'actionCreated');
		if (missing) throw reportUnusable(this.ctx, 'its rows had no ActionDateCreated');
		return { rows, more: rows.length >= ACTIONS_PER_REPORT, haloNow: this.haloNow };
	}
}

/** Answers of the new-actions report that mean "read actions per ticket instead". */
const unusableReports = new WeakSet<object>();

function reportUnusable(ctx: IPollFunctions, why: string): NodeOperationError {
	const error = new NodeOperationError(ctx.getNode(), `The new-actions report could not be used: ${why}`);
	unusableReports.add(error);
	return error;
}

/** The ticket's last action is older than `from`, or Halo says it has none (its "never" date). */
function actedBefore(ticket: IDataObject, from: number): boolean {
	const text = typeof ticket.lastactiondate === 'string' ? ticket.lastactiondate : '';
	if (/^(0001|1900)-01-01/.test(text)) return true;
	const last = haloTime(text);
	return last !== undefined && last < from;
}

/** Errors of the new-actions report that mean "read actions per ticket instead" (not a passing failure). */
function reportRefused(error: unknown): string | undefined {
	if (error instanceof Error && unusableReports.has(error)) return error.message;
	const { status } = readFailure(error);
	if (status === 400 || status === 403 || status === 404 || status === 405)
		return `Halo answered ${status}${status === 403 ? ' (the application needs read:reporting)' : ''}`;
	return undefined;
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
		if (this.getMode() === 'manual') return await sample(this, event);
		const mark = `${this.getWorkflow().id ?? ''}\u0000${this.getNode().name}`;
		const since = running.get(mark);
		if (since !== undefined && Date.now() - since < POLL_MARK_MS) {
			this.logger.debug('HaloPSA Poll Trigger: the previous poll is still running; this tick is skipped');
			return null;
		}
		const started = Date.now();
		running.set(mark, started);
		try {
			return await pollOnce(this, event);
		} finally {
			if (running.get(mark) === started) running.delete(mark);
		}
	}
}

/** A manual test ("Fetch Test Event"): the latest few records; moves no cursor. */
async function sample(ctx: IPollFunctions, event: PollEvent): Promise<INodeExecutionData[][] | null> {
	const source = SOURCES[event];
	const spec = specFor(source.resource);
	const filters = TICKET_EVENTS.includes(event) ? filterQuery(ctx) : {};
	const reader = new HaloReader(ctx);
	const order = event === 'ticketCreated' ? 'id' : source.order;
	const latest = await reader.list(spec, { ...filters, order, orderdesc: true }, SAMPLE_SIZE);
	refuseWithoutChangeTime(ctx, listedAs(event), latest);
	if (event !== 'actionCreated') return latest.length ? [ctx.helpers.returnJsonArray(latest)] : null;
	const ticket = latest[0];
	if (!ticket) return null;
	const actions = await reader.list(specFor('ticketAction'), { ticket_id: ticket.id });
	const shown = actions.slice(-SAMPLE_SIZE);
	return shown.length ? [ctx.helpers.returnJsonArray(shown)] : null;
}

async function pollOnce(ctx: IPollFunctions, event: PollEvent): Promise<INodeExecutionData[][] | null> {
	const overlapMs = Number(ctx.getNodeParameter('options.overlapSeconds', DEFAULT_OVERLAP_SECONDS)) * 1000;
	const source = SOURCES[event];
	const spec = specFor(source.resource);
	const filters = TICKET_EVENTS.includes(event) ? filterQuery(ctx) : {};
	const store = ctx.getWorkflowStaticData('node') as PollState & IDataObject;
	const reader = new HaloReader(ctx);

	let state: PollState = store.event === event ? { ...store } : {};
	let silent = false;
	if (!state.cursor) {
		// first activation: the cursor is Halo's latest change time; what exists now is never emitted
		silent = true;
		const latest = await reader.list(spec, { order: source.order, orderdesc: true }, 1);
		refuseWithoutChangeTime(ctx, listedAs(event), latest);
		const changed = latest[0] ? haloTime(changeTimeOf(latest[0], listedAs(event))) : undefined;
		const ceiling = reader.haloNow === undefined ? Infinity : reader.haloNow + AHEAD_TOLERANCE_MS;
		// new actions are read by their own creation time: start from Halo's clock where it says it
		const start = event === 'actionCreated' ? (reader.haloNow ?? changed) : changed;
		state = {
			event,
			cursor: new Date(Math.min(start ?? reader.haloNow ?? Date.now(), ceiling)).toISOString(),
			seen: {},
		};
		if (event === 'ticketCreated') {
			const [newest] = await reader.list(spec, { order: 'id', orderdesc: true }, 1);
			state.floorId = Number(newest?.id ?? 0);
		}
	}
	const from = windowStart(state, overlapMs) as number;
	let emit: IDataObject[];
	if (event === 'actionCreated') {
		({ state, emit } = await newActions(ctx, reader, state, filters, from, overlapMs));
	} else {
		const { rows, read } = await readChanges(
			async (bound, page) => await reader.changed(spec, { ...filters, order: source.order }, bound, page),
			from,
			event,
		);
		refuseWithoutChangeTime(ctx, event, rows);
		const changed = selectChanges(state, rows, event, overlapMs, read);
		state = noteAhead(ctx, changed.next, changed.ahead, event);
		emit = changed.emit;
	}
	for (const key of Object.keys(store)) delete store[key];
	Object.assign(store, state);
	if (silent || !emit.length) return null;
	return [ctx.helpers.returnJsonArray(emit)];
}

/** Rows stamped after Halo's own time were emitted without moving the cursor: said once, in n8n's log. */
function noteAhead(ctx: IPollFunctions, state: PollState, ahead: IDataObject[], event: PollEvent): PollState {
	if (!ahead.length || state.aheadReported) return state;
	const times = ahead.map((row) => changeTimeOf(row, event)).join(', ');
	ctx.logger.warn(
		`HaloPSA Poll Trigger: ${ahead.length} record(s) carry a change time after Halo's own clock (${times}); they were emitted, and the trigger keeps following Halo's clock. Check the dates of records imported into Halo.`,
	);
	return { ...state, aheadReported: true };
}

/**
 * New actions: with read:reporting and no ticket filters, one report lists the new actions of
 * every ticket (a poll costs one request however many tickets changed); otherwise, or when Halo
 * refuses the report, the changed tickets are listed and each one whose last action is recent
 * is asked for its actions (`GET /Actions` lists one ticket: no public client lists it across
 * tickets).
 */
async function newActions(
	ctx: IPollFunctions,
	reader: HaloReader,
	initial: PollState,
	filters: IDataObject,
	from: number,
	overlapMs: number,
): Promise<{ state: PollState; emit: IDataObject[] }> {
	let state = initial;
	const refusedAt = haloTime(state.reportRefusedAt);
	if (!Object.keys(filters).length && !(refusedAt !== undefined && Date.now() - refusedAt < REPORT_RETRY_MS)) {
		try {
			const { rows, read } = await readChanges(
				async (bound, page) => await reader.newActions(bound, page),
				from,
				'actionCreated',
			);
			const changed = selectChanges(state, rows, 'actionCreated', overlapMs, read);
			const next = noteAhead(ctx, changed.next, changed.ahead, 'actionCreated');
			delete next.reportRefusedAt;
			return { state: next, emit: changed.emit };
		} catch (error) {
			const why = reportRefused(error);
			if (why === undefined) throw error;
			ctx.logger.warn(
				`HaloPSA Poll Trigger: the new-actions report could not be used (${why}); reading actions per changed ticket for the next hour. Give the API application read:reporting for one request per poll.`,
			);
			state = { ...state, reportRefusedAt: new Date().toISOString() };
		}
	}
	const spec = specFor('ticket');
	const { rows, read } = await readChanges(
		async (bound, page) => await reader.changed(spec, { ...filters, order: 'last_update' }, bound, page),
		from,
		'ticketUpdated',
	);
	const changed = selectChanges(state, rows, 'ticketUpdated', overlapMs, read);
	state = changed.next;
	const emit: IDataObject[] = [];
	for (const ticket of changed.emit) {
		// a ticket changed without a new action (its last action is older than this window, or "never") needs no read
		if (!state.actions?.[String(ticket.id)] && actedBefore(ticket, from)) continue;
		const actions = await reader.list(specFor('ticketAction'), { ticket_id: ticket.id });
		const picked = selectNewActions(state, String(ticket.id), actions, from);
		state = picked.next;
		emit.push(...picked.emit.map((action) => ({ ...action, ticket_id: action.ticket_id ?? ticket.id })));
	}
	state = pruneFollowedTickets(state, new Set(Object.keys(state.seen ?? {})));
	return { state: { ...state, event: 'actionCreated' }, emit };
}
