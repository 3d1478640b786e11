/**
 * Per-resource behaviour: list filters, list row shape, validation and write side effects.
 */
import { DATE_FIELDS, isTrue } from './quirks';
import {
	applyDocumentTotals,
	insertAction,
	insertNotification,
	insertTicket,
	type Collection,
	type Row,
	type Store,
} from './store';

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
	/** permission area (read:<area> / edit:<area>; admin = the admin permission) */
	area: string;
	writable: boolean;
	/** reference lists: reading them needs only read:tickets (read:assets for asset types) */
	lookup?: boolean;
	/** tickets, opportunities and projects share the tickets table, told apart by `domain` (README §8) */
	domain?: 'reqs' | 'opps' | 'prjs';
	/** POST /<resource>/<id>/<name> verbs (Invoice void) */
	actions?: Record<string, (store: Store, row: Row) => Row>;
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

const csv = (value: string | undefined) =>
	value
		? value
				.split(',')
				.map((v) => Number(v.trim()))
				.filter((n) => !Number.isNaN(n))
		: undefined;
const num = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));
const text = (row: Row, keys: string[]) =>
	keys
		.map((k) => String(row[k] ?? ''))
		.join(' ')
		.toLowerCase();

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
	return keys.reduce(
		(acc, key) => (num(q[key]) === undefined ? acc : acc.filter((r) => Number(r[key]) === num(q[key]))),
		rows,
	);
}

function orderRows(rows: Row[], q: Query): Row[] {
	const key = q.order;
	if (!key) return rows;
	const dir = isTrue(q.orderdesc) ? -1 : 1;
	return [...rows].sort((a, b) => (a[key] > b[key] ? dir : a[key] < b[key] ? -dir : 0));
}

/** The usual list filters: search over some fields, equality on ids, active/inactive, order. */
function listFilter(search: string[], eq: string[], options: { active?: boolean } = {}) {
	return (rows: Row[], q: Query): Row[] =>
		orderRows(eqFilter(searchFilter(options.active ? activeFilter(rows, q) : rows, q, search), q, eq), q);
}

/**
 * lastupdatefromdate / lastupdatetodate as a date window on a record's change time. Halo's document
 * types them as booleans on /Client and /Asset; django-psa sends a date to /Tickets. That they
 * filter clients and assets too, and that list rows carry alastupdate / dlastupdate (only the full
 * Area and Device schemas have them), is unverified: the poll trigger copes without either.
 */
function changedWindow(rows: Row[], q: Query, field: string): Row[] {
	const from = q.lastupdatefromdate ? Date.parse(q.lastupdatefromdate) : -Infinity;
	const to = q.lastupdatetodate ? Date.parse(q.lastupdatetodate) : Infinity;
	if (from === -Infinity && to === Infinity) return rows;
	return rows.filter((r) => {
		const t = Date.parse(r[field] ?? '');
		return !Number.isNaN(t) && t >= from && t <= to;
	});
}

function required(row: Row, isCreate: boolean, checks: Array<[string, string]>): void {
	if (!isCreate) return;
	for (const [key, message] of checks)
		if (row[key] === undefined || row[key] === null || String(row[key]).trim() === '') bad(message);
}

function withClientName(store: Store, row: Row): void {
	if (row.client_id !== undefined) row.client_name = store.get('clients', row.client_id)?.name ?? '';
	if (row.site_id !== undefined) row.site_name = store.get('sites', row.site_id)?.name ?? '';
}

function dateWindow(rows: Row[], q: Query, field: string): Row[] {
	const from = q.start_date ? Date.parse(q.start_date) : -Infinity;
	const to = q.end_date ? Date.parse(q.end_date) : Infinity;
	return rows.filter((r) => {
		const t = Date.parse(r[field]);
		return Number.isNaN(t) || (t >= from && t <= to);
	});
}

/** A ticket-like resource (tickets, opportunities, projects): same table, validation and filters. */
function ticketLike(domain: 'reqs' | 'opps' | 'prjs'): ResourceDef {
	return {
		collection: 'tickets',
		listKey: 'tickets',
		paged: true,
		area: domain === 'reqs' ? 'tickets' : domain === 'opps' ? 'crm' : 'projects',
		writable: true,
		domain,
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
		create: (store, row) => insertTicket(store, { ...row, domain }),
		afterWrite: applyTicketDerived,
	};
}

/** Invoices, quotes and orders: a header with lines, totals recomputed on every write. */
function documentDef(
	collection: Collection,
	listKey: string,
	area: string,
	label: string,
	extra: Partial<ResourceDef> = {},
): ResourceDef {
	return {
		collection,
		listKey,
		paged: true,
		area,
		writable: true,
		filter: (rows, q) => {
			let out = listFilter(
				['invoicenumber', 'reference', 'title', 'po_ref'],
				['client_id', 'site_id', 'user_id', 'ticket_id', 'contract_id', 'supplier_id', 'salesorder_id'],
			)(rows, q);
			if (isTrue(q.open)) out = out.filter((r) => !r.closed);
			if (isTrue(q.closed)) out = out.filter((r) => r.closed);
			if (q.invoicedatestart) out = out.filter((r) => Date.parse(r.invoice_date) >= Date.parse(q.invoicedatestart));
			if (q.invoicedateend) out = out.filter((r) => Date.parse(r.invoice_date) <= Date.parse(q.invoicedateend));
			return out;
		},
		hiddenInList: ['lines', 'customfields'],
		validate(row, store, isCreate) {
			const owner = collection === 'purchaseorders' ? 'supplier_id' : 'client_id';
			required(row, isCreate, [
				[
					owner,
					owner === 'supplier_id'
						? `Please select a Supplier (supplier_id) for the ${label}`
						: `Please select a Client (client_id) for the ${label}`,
				],
			]);
			mustExist(store, 'clients', row.client_id, 'client_id');
			mustExist(store, 'sites', row.site_id, 'site_id');
			mustExist(store, 'suppliers', row.supplier_id, 'supplier_id');
			if (row.lines !== undefined && !Array.isArray(row.lines)) bad('lines must be an array');
		},
		afterWrite(store, row) {
			withClientName(store, row);
			if (row.supplier_id !== undefined) row.supplier_name = store.get('suppliers', row.supplier_id)?.name ?? '';
			applyDocumentTotals(row);
		},
		...extra,
	};
}

function filterTickets(rows: Row[], q: Query, store: Store): Row[] {
	let out = rows.filter((r) => (isTrue(q.deleted) ? r.deleted : !r.deleted));
	out = searchFilter(out, q, ['summary', 'details']);
	out = eqFilter(out, q, ['client_id', 'site_id', 'user_id', 'agent_id', 'status_id', 'priority_id']);
	if (num(q.requesttype_id) !== undefined) out = out.filter((r) => r.tickettype_id === num(q.requesttype_id));
	const lists: Array<[string, string]> = [
		['agent', 'agent_id'],
		['status', 'status_id'],
		['requesttype', 'tickettype_id'],
		['priority', 'priority_id'],
	];
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
	out = changedWindow(out, q, 'last_update');
	return orderRows(out, q);
}

function applyTicketDerived(store: Store, ticket: Row): void {
	const status = store.get('statuses', ticket.status_id);
	const closed = status?.type === 2;
	if (closed && !ticket.hasbeenclosed) ticket.dateclosed = store.now();
	ticket.hasbeenclosed = closed;
	ticket.client_name = store.get('clients', ticket.client_id)?.name ?? '';
	ticket.site_name = store.get('sites', ticket.site_id)?.name ?? '';
	ticket.user_name = store.get('users', ticket.user_id)?.name ?? '';
}

export const resources: Record<string, ResourceDef> = {
	tickets: ticketLike('reqs'),
	opportunities: ticketLike('opps'),
	projects: ticketLike('prjs'),
	actions: {
		collection: 'actions',
		listKey: 'actions',
		paged: false,
		area: 'tickets',
		writable: true,
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
			if (isCreate && row.outcome === undefined && row.outcome_id === undefined)
				bad('An Outcome must be entered for this Action');
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
		collection: 'clients',
		listKey: 'clients',
		paged: true,
		area: 'customers',
		writable: true,
		filter: (rows, q) =>
			orderRows(
				eqFilter(
					searchFilter(
						changedWindow(activeFilter(rows, q), q, 'alastupdate'),
						q,
						isTrue(q.search_name_only) ? ['name'] : ['name', 'notes', 'website'],
					),
					q,
					['toplevel_id'],
				),
				q,
			),
		hiddenInList: ['customfields', 'notes'],
		validate(row, _store, isCreate) {
			if (isCreate && !String(row.name ?? '').trim()) bad('Please enter a name for the Client');
		},
		afterWrite(store, client) {
			client.alastupdate = store.now();
		},
	},
	site: {
		collection: 'sites',
		listKey: 'sites',
		paged: true,
		area: 'customers',
		writable: true,
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
		collection: 'users',
		listKey: 'users',
		paged: true,
		area: 'customers',
		writable: true,
		filter: (rows, q) =>
			orderRows(
				eqFilter(searchFilter(activeFilter(rows, q), q, ['name', 'emailaddress', 'login']), q, [
					'client_id',
					'site_id',
				]),
				q,
			),
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
		collection: 'assets',
		listKey: 'assets',
		paged: true,
		area: 'assets',
		writable: true,
		filter: (rows, q) =>
			orderRows(
				eqFilter(
					searchFilter(changedWindow(activeFilter(rows, q), q, 'dlastupdate'), q, ['inventory_number', 'key_field']),
					q,
					['client_id', 'site_id', 'assettype_id'],
				),
				q,
			),
		hiddenInList: ['customfields'],
		validate(row, store, isCreate) {
			if (isCreate && row.client_id == null) bad('Please select a Client (client_id) for the Asset');
			if (isCreate && row.assettype_id == null) bad('Please select an Asset Type (assettype_id)');
			mustExist(store, 'clients', row.client_id, 'client_id');
			mustExist(store, 'sites', row.site_id, 'site_id');
			mustExist(store, 'assettypes', row.assettype_id, 'assettype_id');
		},
		afterWrite(store, asset) {
			asset.dlastupdate = store.now();
			asset.client_name = store.get('clients', asset.client_id)?.name ?? '';
			asset.site_name = store.get('sites', asset.site_id)?.name ?? '';
			asset.assettype_name = store.get('assettypes', asset.assettype_id)?.name ?? '';
		},
	},
	agent: {
		collection: 'agents',
		paged: false,
		area: 'tickets',
		writable: false,
		lookup: true,
		filter: (rows, q) =>
			eqFilter(
				searchFilter(
					rows.filter((r) => !r.isdisabled || isTrue(q.includedisabled)),
					q,
					['name', 'email'],
				),
				q,
				['team_id'],
			),
	},
	webhook: {
		collection: 'webhooks',
		paged: false,
		area: 'admin',
		writable: true,
		guid: true,
		secret: ['basic_password'],
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
		collection: 'notifications',
		paged: false,
		area: 'admin',
		writable: true,
		filter: (rows, q) =>
			q.webhook_id ? rows.filter((r) => String(r.webhook_id).toLowerCase() === q.webhook_id.toLowerCase()) : rows,
		validate(row, _store, isCreate) {
			if (isCreate && !Number.isInteger(Number(row.eventno))) bad('Please select an event (eventno)');
		},
		create: insertNotification,
	},
	webhookevent: {
		collection: 'webhookevents',
		paged: false,
		area: 'admin',
		writable: false,
		guid: true,
		filter: (rows, q) => (q.webhook_id ? rows.filter((r) => r.webhook_id === q.webhook_id) : rows),
	},
	tickettype: { lookup: true, collection: 'tickettypes', paged: false, area: 'tickets', writable: false },
	status: { lookup: true, collection: 'statuses', paged: false, area: 'tickets', writable: false },
	priority: { lookup: true, collection: 'priorities', paged: false, area: 'tickets', writable: false },
	team: { lookup: true, collection: 'teams', paged: false, area: 'tickets', writable: false },
	category: { lookup: true, collection: 'categories', paged: false, area: 'tickets', writable: false },
	assettype: { lookup: true, collection: 'assettypes', paged: false, area: 'assets', writable: false },
	outcome: { lookup: true, collection: 'outcomes', paged: false, area: 'tickets', writable: false },
	// business objects: paths, envelopes and ids from openapi.json and the evidence in README §3.2 / issue notes
	clientcontract: {
		collection: 'contracts',
		listKey: 'contracts',
		paged: true,
		area: 'contracts',
		writable: true,
		filter: listFilter(['ref', 'refextra'], ['client_id', 'site_id'], { active: true }),
		validate(row, store, isCreate) {
			required(row, isCreate, [
				['client_id', 'Please select a Client (client_id) for the Contract'],
				['ref', 'Please enter a Contract Ref'],
			]);
			mustExist(store, 'clients', row.client_id, 'client_id');
			mustExist(store, 'sites', row.site_id, 'site_id');
		},
		afterWrite: withClientName,
	},
	invoice: documentDef('invoices', 'invoices', 'invoices', 'Invoice', {
		actions: {
			void(_store, row) {
				row.voided = true;
				row.amountdue = 0;
				return row;
			},
		},
	}),
	recurringinvoice: documentDef('recurringinvoices', 'invoices', 'invoices', 'Recurring Invoice'),
	quotation: documentDef('quotations', 'quotes', 'quotes', 'Quotation'),
	salesorder: documentDef('salesorders', 'salesorders', 'sos', 'Sales Order'),
	purchaseorder: documentDef('purchaseorders', 'purchaseorders', 'pos', 'Purchase Order'),
	item: {
		collection: 'items',
		listKey: 'items',
		paged: true,
		area: 'items',
		writable: true,
		filter: (rows, q) =>
			listFilter(['name', 'supplier_part_code'], ['supplier_id'], { active: true })(
				isTrue(q.recurringonly) ? rows.filter((r) => r.isrecurringitem) : rows,
				q,
			),
		validate(row, store, isCreate) {
			required(row, isCreate, [['name', 'Please enter a name for the Item']]);
			mustExist(store, 'suppliers', row.supplier_id, 'supplier_id');
		},
	},
	supplier: {
		collection: 'suppliers',
		listKey: 'suppliers',
		paged: true,
		area: 'suppliers',
		writable: true,
		filter: listFilter(['name'], ['toplevel_id'], { active: true }),
		validate: (row, _store, isCreate) => required(row, isCreate, [['name', 'Please enter a name for the Supplier']]),
	},
	crmnote: {
		// envelope key unverified: crmnotes (pyhalopsa) vs actions (HaloAPI-PS); unpaged (OAS has only count)
		collection: 'crmnotes',
		listKey: 'crmnotes',
		paged: false,
		area: 'crm',
		writable: true,
		filter: listFilter([], ['client_id', 'supplier_id', 'toplevel_id']),
		validate(row, store, isCreate) {
			required(row, isCreate, [['note', 'Please enter a Note']]);
			if (isCreate && row.client_id == null && row.supplier_id == null)
				bad('Please select a Client (client_id) or Supplier (supplier_id) for the CRM Note');
			mustExist(store, 'clients', row.client_id, 'client_id');
		},
		afterWrite: withClientName,
	},
	softwarelicence: {
		// envelope key unverified: licences (HaloAPI-PS) vs softwarelicences (pyhalopsa)
		collection: 'licences',
		listKey: 'licences',
		paged: true,
		area: 'softwarelicensing',
		writable: true,
		filter: (rows, q) =>
			listFilter(['name', 'vendor'], ['client_id', 'site_id'], { active: true })(
				q.licence_type ? rows.filter((r) => Number(r.type) === Number(q.licence_type)) : rows,
				q,
			),
		validate(row, store, isCreate) {
			required(row, isCreate, [
				['name', 'Please enter a name for the Licence'],
				['client_id', 'Please select a Client (client_id) for the Licence'],
			]);
			mustExist(store, 'clients', row.client_id, 'client_id');
		},
		afterWrite: withClientName,
	},
	kbarticle: {
		collection: 'kbarticles',
		listKey: 'articles',
		paged: true,
		area: 'kb',
		writable: true,
		filter: (rows, q) => listFilter(['name', 'description', 'resolution'], ['type'], { active: true })(rows, q),
		hiddenInList: ['resolution', 'resolution_html', 'description_html', 'customfields'],
		validate: (row, _store, isCreate) =>
			required(row, isCreate, [['name', 'Please enter a title (name) for the Article']]),
	},
	appointment: {
		// envelope key from libraries only (HaloAPI-PS, pyhalopsa, node-halopsa)
		collection: 'appointments',
		listKey: 'appointments',
		paged: true,
		area: 'calendar',
		writable: true,
		filter(rows, q) {
			let out = listFilter(['subject'], ['ticket_id', 'client_id'])(dateWindow(rows, q, 'start_date'), q);
			const agents = csv(q.agents);
			if (agents) out = out.filter((r) => agents.includes(Number(r.agent_id)));
			return out;
		},
		validate(row, store, isCreate) {
			required(row, isCreate, [
				['subject', 'Please enter a Subject'],
				['start_date', 'Please enter a start date (start_date)'],
				['end_date', 'Please enter an end date (end_date)'],
			]);
			if (row.start_date && row.end_date && Date.parse(row.end_date) < Date.parse(row.start_date))
				bad('The end date must be after the start date');
			mustExist(store, 'agents', row.agent_id, 'agent_id');
			mustExist(store, 'clients', row.client_id, 'client_id');
		},
		afterWrite: withClientName,
	},
	attachment: {
		// envelope `attachments` (OAS Attachment_View; HaloAPI-PS, pyhalopsa, redanthrax, node-halopsa agree;
		// no live capture): not paged. GET /Attachment/{id} answers the file's bytes with Content-Type and
		// Content-Disposition (HaloAPI-PS Get-HaloAttachment writes .Content to disk and reads the name from
		// Content-Disposition; the exact Content-Type Halo sets is unverified). The body is never in JSON.
		collection: 'attachments',
		listKey: 'attachments',
		paged: false,
		area: 'tickets',
		writable: true,
		secret: ['data_base64'],
		filter(rows, q) {
			if (q.action_id !== undefined && q.ticket_id === undefined) bad('action_id requires ticket_id');
			return orderRows(eqFilter(rows, q, ['ticket_id', 'action_id']), q);
		},
		validate(row, store, isCreate) {
			required(row, isCreate, [
				['ticket_id', 'Please enter the ticket the attachment belongs to (ticket_id)'],
				['filename', 'Please enter a file name (filename)'],
				['data_base64', 'The attachment has no content (data_base64)'],
			]);
			if (row.ticket_id !== undefined && !store.get('tickets', Number(row.ticket_id)))
				bad(`The ticket_id ${row.ticket_id} does not exist`);
			if (row.action_id && !store.get('actions', `${row.ticket_id}/${row.action_id}`))
				bad(`The action_id ${row.action_id} does not exist on ticket ${row.ticket_id}`);
			if (row.data_base64 !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(String(row.data_base64)))
				bad('data_base64 is not valid base64');
		},
		create(store, fields) {
			const bytes = Buffer.from(String(fields.data_base64), 'base64');
			return store.insert('attachments', {
				...fields,
				ticket_id: Number(fields.ticket_id),
				action_id: Number(fields.action_id ?? 0),
				filesize: bytes.length,
				datecreated: store.now(),
				type: Number(fields.type ?? 0),
				isimage: /^image\//.test(String(fields.content_type ?? '')),
				content_type: fields.content_type ?? 'application/octet-stream',
			});
		},
	},
	report: {
		// envelope `reports` (pyhalopsa, HaloAPI-PS; a bare array elsewhere: unverified). Runs are answered
		// by emulator/reporting.ts: GET /Report/{id}?loadreport=true and POST /Report [{_loadreportonly, sql}]
		collection: 'reports',
		listKey: 'reports',
		paged: true,
		area: 'reporting',
		writable: true,
		hiddenInList: ['sql'],
		filter: listFilter(['name', 'description'], ['type', 'reportgroup_id']),
		validate(row, _store, isCreate) {
			required(row, isCreate, [
				['name', 'Please enter a Name'],
				['sql', 'Please enter the report SQL'],
			]);
		},
	},
	timesheet: {
		// bare array (redanthrax: "API returns array directly"; HaloAPI-PS reads `timesheets` if present)
		collection: 'timesheets',
		paged: false,
		area: 'timesheets',
		writable: false,
		present: (row, store) => ({
			...row,
			events: store.list('timesheetevents').filter((e) => e.agent_id === row.agent_id),
		}),
	},
	timesheetevent: {
		// bare array (redanthrax; unverified)
		collection: 'timesheetevents',
		paged: false,
		area: 'timesheets',
		writable: true,
		filter(rows, q) {
			let out = dateWindow(eqFilter(rows, q, ['agent_id']), q, 'start_date');
			const agents = csv(q.agents);
			if (agents) out = out.filter((r) => agents.includes(Number(r.agent_id)));
			return out;
		},
		validate(row, store, isCreate) {
			required(row, isCreate, [
				['agent_id', 'Please select an Agent (agent_id)'],
				['start_date', 'Please enter a start date (start_date)'],
				['end_date', 'Please enter an end date (end_date)'],
			]);
			mustExist(store, 'agents', row.agent_id, 'agent_id');
		},
	},
};
