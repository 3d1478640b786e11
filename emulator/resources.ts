/**
 * Per-resource behaviour: list filters, list row shape, validation and write side effects.
 */
import { DATE_FIELDS, isTrue } from './quirks';
import { insertAction, insertNotification, insertTicket, type Collection, type Row, type Store } from './store';

export class HaloError extends Error {
	constructor(
		public status: number,
		public body: unknown,
	) {
		super(typeof body === 'string' ? body : JSON.stringify(body));
	}
}

type Query = Record<string, string>;

export interface ResourceDef {
	collection: Collection;
	/** list envelope key; undefined = bare array */
	listKey?: string;
	paged: boolean;
	area: 'tickets' | 'customers' | 'assets' | 'admin';
	/** reads need only read:tickets for these reference lists */
	writable: boolean;
	guid?: boolean;
	filter?: (rows: Row[], q: Query, store: Store) => Row[];
	validate?: (row: Row, store: Store, isCreate: boolean) => void;
	create?: (store: Store, row: Row) => Row;
	afterWrite?: (store: Store, row: Row) => void;
	/** list rows are summaries (*_List schemas): these keys are left out */
	hiddenInList?: string[];
	/** keys never returned */
	secret?: string[];
	/** adds what Halo joins in when it returns a record (e.g. a webhook's event subscriptions) */
	present?: (row: Row, store: Store) => Row;
}

const csv = (value: string | undefined) => (value ? value.split(',').map((v) => Number(v.trim())).filter((n) => !Number.isNaN(n)) : undefined);
const num = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));
const text = (row: Row, keys: string[]) => keys.map((k) => String(row[k] ?? '')).join(' ').toLowerCase();

function bad(message: string): never {
	throw new HaloError(400, message);
}

function mustExist(store: Store, collection: Collection, id: unknown, field: string): void {
	if (id === undefined || id === null) return;
	if (!store.get(collection, Number(id))) bad(`The ${field} ${id} does not exist`);
}

function activeFilter(rows: Row[], q: Query): Row[] {
	const inactive = isTrue(q.includeinactive);
	const active = q.includeactive === undefined ? true : isTrue(q.includeactive);
	return rows.filter((r) => (r.inactive ? inactive : active));
}

function searchFilter(rows: Row[], q: Query, keys: string[]): Row[] {
	return q.search ? rows.filter((r) => text(r, keys).includes(q.search.toLowerCase())) : rows;
}

function eqFilter(rows: Row[], q: Query, keys: string[]): Row[] {
	return keys.reduce((acc, key) => (num(q[key]) === undefined ? acc : acc.filter((r) => Number(r[key]) === num(q[key]))), rows);
}

function orderRows(rows: Row[], q: Query): Row[] {
	const key = q.order;
	if (!key) return rows;
	const dir = isTrue(q.orderdesc) ? -1 : 1;
	return [...rows].sort((a, b) => (a[key] > b[key] ? dir : a[key] < b[key] ? -dir : 0));
}

function filterTickets(rows: Row[], q: Query, store: Store): Row[] {
	let out = rows.filter((r) => (isTrue(q.deleted) ? r.deleted : !r.deleted));
	out = searchFilter(out, q, ['summary', 'details']);
	out = eqFilter(out, q, ['client_id', 'site_id', 'user_id', 'agent_id', 'status_id', 'priority_id']);
	if (num(q.requesttype_id) !== undefined) out = out.filter((r) => r.tickettype_id === num(q.requesttype_id));
	const lists: Array<[string, string]> = [['agent', 'agent_id'], ['status', 'status_id'], ['requesttype', 'tickettype_id'], ['priority', 'priority_id']];
	for (const [param, field] of lists) {
		const ids = csv(q[param]);
		if (ids) out = out.filter((r) => ids.includes(Number(r[field])));
	}
	const teamIds = csv(q.team);
	if (teamIds) {
		const names = teamIds.map((id) => store.get('teams', id)?.name);
		out = out.filter((r) => names.includes(r.team));
	}
	if (isTrue(q.open_only)) out = out.filter((r) => !r.hasbeenclosed);
	if (isTrue(q.closed_only)) out = out.filter((r) => r.hasbeenclosed);
	if (q.datesearch) {
		const field = DATE_FIELDS[q.datesearch.toLowerCase()];
		if (!field) bad(`Invalid datesearch field ${q.datesearch}`);
		const from = q.startdate ? Date.parse(q.startdate) : -Infinity;
		const to = q.enddate ? Date.parse(q.enddate) : Infinity;
		out = out.filter((r) => {
			const t = Date.parse(r[field]);
			return !Number.isNaN(t) && t >= from && t <= to;
		});
	}
	if (q.lastupdatefromdate) out = out.filter((r) => Date.parse(r.last_update) >= Date.parse(q.lastupdatefromdate));
	if (q.lastupdatetodate) out = out.filter((r) => Date.parse(r.last_update) <= Date.parse(q.lastupdatetodate));
	return orderRows(out, q);
}

function applyTicketDerived(store: Store, ticket: Row): void {
	const status = store.get('statuses', ticket.status_id);
	const closed = status?.type === 2;
	if (closed && !ticket.hasbeenclosed) ticket.dateclosed = new Date().toISOString();
	ticket.hasbeenclosed = closed;
	ticket.client_name = store.get('clients', ticket.client_id)?.name ?? '';
	ticket.site_name = store.get('sites', ticket.site_id)?.name ?? '';
	ticket.user_name = store.get('users', ticket.user_id)?.name ?? '';
}

export const resources: Record<string, ResourceDef> = {
	tickets: {
		collection: 'tickets', listKey: 'tickets', paged: true, area: 'tickets', writable: true,
		filter: filterTickets,
		hiddenInList: ['details_html', 'customfields'],
		validate(row, store, isCreate) {
			if (isCreate && !String(row.summary ?? '').trim()) bad('Please enter a Summary');
			if (isCreate && row.client_id == null) bad('Please select a Client (client_id)');
			if (row.user_id && row.site_id == null && isCreate) bad('site_id is required when user_id is set');
			mustExist(store, 'clients', row.client_id, 'client_id');
			mustExist(store, 'sites', row.site_id, 'site_id');
			mustExist(store, 'users', row.user_id, 'user_id');
			mustExist(store, 'tickettypes', row.tickettype_id, 'tickettype_id');
			mustExist(store, 'statuses', row.status_id, 'status_id');
			mustExist(store, 'priorities', row.priority_id, 'priority_id');
			if (row.agent_id) mustExist(store, 'agents', row.agent_id, 'agent_id');
		},
		create: (store, row) => insertTicket(store, row),
		afterWrite: applyTicketDerived,
	},
	actions: {
		collection: 'actions', listKey: 'actions', paged: false, area: 'tickets', writable: true,
		filter(rows, q) {
			let out = rows;
			if (isTrue(q.excludeprivate)) out = out.filter((r) => !r.hiddenfromuser);
			if (isTrue(q.importantonly)) out = out.filter((r) => r.important);
			if (isTrue(q.agentonly)) out = out.filter((r) => r.who_agentid);
			return out;
		},
		validate(row, store, isCreate) {
			if (!row.ticket_id) bad('A ticket_id must be entered for this Action');
			const ticket = store.get('tickets', row.ticket_id);
			if (!ticket || ticket.deleted) throw new HaloError(404, `Ticket ${row.ticket_id} not found`);
			if (isCreate && row.outcome === undefined && row.outcome_id === undefined) bad('An Outcome must be entered for this Action');
			if (row.outcome_id !== undefined) mustExist(store, 'outcomes', row.outcome_id, 'outcome_id');
			if (row.new_status !== undefined) mustExist(store, 'statuses', row.new_status, 'new_status');
		},
		create: (store, row) => insertAction(store, row),
		afterWrite(store, action) {
			const ticket = store.get('tickets', action.ticket_id) as Row;
			if (action.new_status !== undefined) {
				action.old_status = ticket.status_id;
				ticket.status_id = action.new_status;
				action.new_status_name = store.get('statuses', action.new_status)?.name;
			}
			ticket.lastactiondate = action.datetime;
			applyTicketDerived(store, ticket);
		},
	},
	client: {
		collection: 'clients', listKey: 'clients', paged: true, area: 'customers', writable: true,
		filter: (rows, q) => orderRows(eqFilter(searchFilter(activeFilter(rows, q), q, isTrue(q.search_name_only) ? ['name'] : ['name', 'notes', 'website']), q, ['toplevel_id']), q),
		hiddenInList: ['customfields', 'notes'],
		validate(row, _store, isCreate) {
			if (isCreate && !String(row.name ?? '').trim()) bad('Please enter a name for the Client');
		},
	},
	site: {
		collection: 'sites', listKey: 'sites', paged: true, area: 'customers', writable: true,
		filter: (rows, q) => orderRows(eqFilter(searchFilter(activeFilter(rows, q), q, ['name']), q, ['client_id']), q),
		hiddenInList: ['customfields'],
		validate(row, store, isCreate) {
			if (isCreate && !String(row.name ?? '').trim()) bad('Please enter a name for the Site');
			if (isCreate && row.client_id == null) bad('Please select a Client (client_id) for the Site');
			mustExist(store, 'clients', row.client_id, 'client_id');
		},
		afterWrite(store, site) {
			site.client_name = store.get('clients', site.client_id)?.name ?? '';
		},
	},
	users: {
		collection: 'users', listKey: 'users', paged: true, area: 'customers', writable: true,
		filter: (rows, q) => orderRows(eqFilter(searchFilter(activeFilter(rows, q), q, ['name', 'emailaddress', 'login']), q, ['client_id', 'site_id']), q),
		hiddenInList: ['customfields'],
		validate(row, store, isCreate) {
			if (isCreate && !String(row.name ?? '').trim()) bad('Please enter a name for the User');
			if (isCreate && row.site_id == null) bad('Please select a Site (site_id) for the User');
			if (row.site_id !== undefined && !Number.isInteger(Number(row.site_id))) bad(`Invalid site_id ${row.site_id}`);
			mustExist(store, 'sites', row.site_id, 'site_id');
		},
		afterWrite(store, user) {
			const site = store.get('sites', user.site_id);
			user.site_id_int = site?.id;
			user.site_name = site?.name ?? '';
			user.client_id = site?.client_id;
			user.client_name = site?.client_name ?? '';
		},
	},
	asset: {
		collection: 'assets', listKey: 'assets', paged: true, area: 'assets', writable: true,
		filter: (rows, q) => orderRows(eqFilter(searchFilter(activeFilter(rows, q), q, ['inventory_number', 'key_field']), q, ['client_id', 'site_id', 'assettype_id']), q),
		hiddenInList: ['customfields'],
		validate(row, store, isCreate) {
			if (isCreate && row.client_id == null) bad('Please select a Client (client_id) for the Asset');
			if (isCreate && row.assettype_id == null) bad('Please select an Asset Type (assettype_id)');
			mustExist(store, 'clients', row.client_id, 'client_id');
			mustExist(store, 'sites', row.site_id, 'site_id');
			mustExist(store, 'assettypes', row.assettype_id, 'assettype_id');
		},
		afterWrite(store, asset) {
			asset.client_name = store.get('clients', asset.client_id)?.name ?? '';
			asset.site_name = store.get('sites', asset.site_id)?.name ?? '';
			asset.assettype_name = store.get('assettypes', asset.assettype_id)?.name ?? '';
		},
	},
	agent: {
		collection: 'agents', paged: false, area: 'tickets', writable: false,
		filter: (rows, q) => eqFilter(searchFilter(rows.filter((r) => !r.isdisabled || isTrue(q.includedisabled)), q, ['name', 'email']), q, ['team_id']),
	},
	webhook: {
		collection: 'webhooks', paged: false, area: 'admin', writable: true, guid: true, secret: ['basic_password'],
		validate(row, _store, isCreate) {
			if (isCreate && !String(row.name ?? '').trim()) bad('Please enter a name for the Webhook');
			if (isCreate && !String(row.url ?? '').trim()) bad('Please enter a Payload URL');
			for (const event of Array.isArray(row.events) ? row.events : []) {
				if (!event || !Number.isInteger(Number(event.eventno))) bad('Each webhook event needs an eventno');
			}
		},
		// Webhook.events are UnameNotification records (README §4.2): posted events become
		// /Notification rows tied to the webhook, and reading the webhook joins them back in.
		afterWrite(store, webhook) {
			for (const event of Array.isArray(webhook.events) ? (webhook.events as Row[]) : []) {
				if (event.id && store.get('notifications', Number(event.id))) continue;
				const { id: _ignored, ...fields } = event;
				insertNotification(store, { ...fields, webhook_id: webhook.id });
			}
			delete webhook.events;
		},
		present: (row, store) => ({ ...row, events: store.list('notifications').filter((n) => n.webhook_id === row.id) }),
	},
	notification: {
		// Halo does not say whether deleting a webhook removes its subscriptions: the emulator keeps them.
		collection: 'notifications', paged: false, area: 'admin', writable: true,
		filter: (rows, q) => (q.webhook_id ? rows.filter((r) => String(r.webhook_id).toLowerCase() === q.webhook_id.toLowerCase()) : rows),
		validate(row, _store, isCreate) {
			if (isCreate && !Number.isInteger(Number(row.eventno))) bad('Please select an event (eventno)');
		},
		create: insertNotification,
	},
	webhookevent: {
		collection: 'webhookevents', paged: false, area: 'admin', writable: false, guid: true,
		filter: (rows, q) => (q.webhook_id ? rows.filter((r) => r.webhook_id === q.webhook_id) : rows),
	},
	tickettype: { collection: 'tickettypes', paged: false, area: 'tickets', writable: false },
	status: { collection: 'statuses', paged: false, area: 'tickets', writable: false },
	priority: { collection: 'priorities', paged: false, area: 'tickets', writable: false },
	team: { collection: 'teams', paged: false, area: 'tickets', writable: false },
	category: { collection: 'categories', paged: false, area: 'tickets', writable: false },
	assettype: { collection: 'assettypes', paged: false, area: 'assets', writable: false },
	outcome: { collection: 'outcomes', paged: false, area: 'tickets', writable: false },
};
