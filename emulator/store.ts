/**
 * In-memory Halo data: collections of records keyed by id, plus the deterministic seed.
 * Field names follow Halo's OpenAPI schemas (Faults, Actions, Area, Site, Users, Uname, Device...).
 */
import { randomUUID } from 'crypto';

import { eventName } from './webhook-events';

export type Row = Record<string, any>;

export const COLLECTIONS = [
	'tickets',
	'actions',
	'clients',
	'sites',
	'users',
	'agents',
	'assets',
	'webhooks',
	'webhookevents',
	'notifications',
	'tickettypes',
	'statuses',
	'priorities',
	'teams',
	'categories',
	'assettypes',
	'outcomes',
	'contracts',
	'invoices',
	'recurringinvoices',
	'quotations',
	'salesorders',
	'purchaseorders',
	'items',
	'suppliers',
	'crmnotes',
	'licences',
	'kbarticles',
	'appointments',
	'timesheets',
	'timesheetevents',
	'attachments',
	'reports',
] as const;
export type Collection = (typeof COLLECTIONS)[number];

export class Store {
	private data = new Map<Collection, Map<string, Row>>();
	private nextIds = new Map<Collection, number>();
	/** Halo's clock runs this far ahead of the real one (negative: behind); see `now` */
	clockOffsetMs = 0;

	constructor() {
		for (const c of COLLECTIONS) this.data.set(c, new Map());
	}

	/** Halo's own time (ISO, UTC): every change time it stamps, and its Date header */
	now(): string {
		return new Date(Date.now() + this.clockOffsetMs).toISOString();
	}

	list(collection: Collection): Row[] {
		return [...(this.data.get(collection) as Map<string, Row>).values()];
	}

	get(collection: Collection, id: string | number): Row | undefined {
		return this.data.get(collection)?.get(String(id));
	}

	/** Tickets proper: the tickets table without opportunities and projects (domain reqs) */
	tickets(): Row[] {
		return this.list('tickets').filter((row) => (row.domain ?? 'reqs') === 'reqs');
	}

	count(collection: Collection): number {
		return this.data.get(collection)?.size ?? 0;
	}

	nextId(collection: Collection): number {
		const next = this.nextIds.get(collection) ?? 1;
		this.nextIds.set(collection, next + 1);
		return next;
	}

	insert(collection: Collection, row: Row): Row {
		if (row.id === undefined) row.id = this.nextId(collection);
		else if (typeof row.id === 'number' && row.id >= (this.nextIds.get(collection) ?? 1))
			this.nextIds.set(collection, row.id + 1);
		this.data.get(collection)?.set(String(row.id), row);
		return row;
	}

	/** Inserts a row in front of the others (lists come back in table order). */
	prepend(collection: Collection, row: Row): Row {
		const table = this.data.get(collection) as Map<string, Row>;
		const saved = this.insert(collection, row);
		const rest = [...table.entries()].filter(([key]) => key !== String(saved.id));
		table.clear();
		table.set(String(saved.id), saved);
		for (const [key, value] of rest) table.set(key, value);
		return saved;
	}

	/** Stores a row under an explicit key (actions: "<ticket_id>/<action id>"). */
	put(collection: Collection, key: string, row: Row): Row {
		this.data.get(collection)?.set(key, row);
		return row;
	}

	remove(collection: Collection, id: string | number): Row | undefined {
		const row = this.get(collection, id);
		this.data.get(collection)?.delete(String(id));
		return row;
	}
}

const iso = (day: number, hour = 9) =>
	new Date(Date.UTC(2025, 0, 1 + day, hour, 0, 0)).toISOString().replace('.000Z', '.0000000Z');
export const EMPTY_DATE = '1900-01-01T00:00:00';

/** Lookups every Halo tenant has. */
function seedLookups(store: Store): void {
	[
		{ id: 1, name: 'Incident', default_sla: 1, group_id: 1 },
		{ id: 2, name: 'Service Request', default_sla: 1, group_id: 1 },
		{ id: 3, name: 'Problem', default_sla: 1, group_id: 1 },
		{ id: 4, name: 'Change', default_sla: 1, group_id: 1 },
	].forEach((r) => store.insert('tickettypes', r));
	[
		{ id: 1, name: 'New', shortname: 'New', type: 0, sequence: 1, colour: '#2b6cb0' },
		{ id: 2, name: 'In Progress', shortname: 'InProg', type: 0, sequence: 2, colour: '#38a169' },
		{ id: 3, name: 'Waiting on Customer', shortname: 'Waiting', type: 1, sequence: 3, colour: '#d69e2e' },
		{ id: 8, name: 'Resolved', shortname: 'Resolved', type: 2, sequence: 8, colour: '#718096' },
		{ id: 9, name: 'Closed', shortname: 'Closed', type: 2, sequence: 9, colour: '#4a5568' },
	].forEach((r) => store.insert('statuses', r));
	[1, 2, 3, 4].forEach((p) =>
		store.insert('priorities', {
			id: p,
			priorityid: p,
			slaid: 1,
			name: `P${p}`,
			responsetime: p * 2,
			fixtime: p * 8,
			colour: '#e53e3e',
		}),
	);
	['1st Line', '2nd Line', 'Projects'].forEach((name, i) =>
		store.insert('teams', { id: i + 1, name, department_id: 1, inactive: false }),
	);
	['Hardware', 'Software', 'Network', 'Accounts'].forEach((value, i) =>
		store.insert('categories', { id: i + 1, value, category_name: value, type_id: 1 }),
	);
	['Workstation', 'Server', 'Laptop', 'Network Device'].forEach((name, i) =>
		store.insert('assettypes', { id: i + 1, name, assetgroup_id: 1, keyfield_id: 101 }),
	);
	[
		{ id: 1, buttonname: 'Email User', outcome: 'Email User' },
		{ id: 2, buttonname: 'Call User', outcome: 'Call User' },
		{ id: 7, buttonname: 'Private Note', outcome: 'Private Note' },
		{ id: 8, buttonname: 'Resolve', outcome: 'Resolve' },
	].forEach((r) => store.insert('outcomes', r));
	[
		{
			id: 1,
			name: 'API Agent',
			firstname: 'API',
			surname: 'Agent',
			email: 'api@msp.example',
			isapiagent: true,
			is_agent: true,
			isdisabled: false,
			team: '1st Line',
			team_id: 1,
		},
		{
			id: 2,
			name: 'Alice Admin',
			firstname: 'Alice',
			surname: 'Admin',
			email: 'alice@msp.example',
			isapiagent: false,
			is_agent: true,
			isdisabled: false,
			team: '1st Line',
			team_id: 1,
		},
		{
			id: 3,
			name: 'Bob Builder',
			firstname: 'Bob',
			surname: 'Builder',
			email: 'bob@msp.example',
			isapiagent: false,
			is_agent: true,
			isdisabled: false,
			team: '2nd Line',
			team_id: 2,
		},
		{
			id: 4,
			name: 'Carol Cloud',
			firstname: 'Carol',
			surname: 'Cloud',
			email: 'carol@msp.example',
			isapiagent: false,
			is_agent: true,
			isdisabled: false,
			team: 'Projects',
			team_id: 3,
		},
		{
			id: 5,
			name: 'Dave Disabled',
			firstname: 'Dave',
			surname: 'Disabled',
			email: 'dave@msp.example',
			isapiagent: false,
			is_agent: true,
			isdisabled: true,
			team: '1st Line',
			team_id: 1,
		},
	].forEach((r) => store.insert('agents', r));
}

export function seedStore(store: Store, kind: 'demo' | 'empty'): void {
	seedLookups(store);
	const clientNames =
		kind === 'demo'
			? ['Acme Corp', 'Globex Ltd', 'Initech', 'Umbrella Health', 'Old Client (inactive)']
			: ['Acme Corp'];
	clientNames.forEach((name, i) =>
		store.insert('clients', {
			id: i + 1,
			name,
			inactive: name.includes('inactive'),
			toplevel_id: 1,
			toplevel_name: 'Customers',
			is_vip: i === 0,
			alastupdate: iso(i),
			notes: '',
			website: '',
			colour: '',
			customfields: [],
		}),
	);
	const sites: Array<[number, string]> =
		kind === 'demo'
			? [
					[1, 'Head Office'],
					[1, 'Warehouse'],
					[2, 'Main'],
					[2, 'Branch'],
					[3, 'HQ'],
					[4, 'Clinic North'],
					[4, 'Clinic South'],
					[5, 'Main'],
				]
			: [[1, 'Head Office']];
	sites.forEach(([clientId, name], i) =>
		store.insert('sites', {
			id: i + 1,
			name,
			client_id: clientId,
			client_name: store.get('clients', clientId)?.name,
			inactive: false,
			phonenumber: '',
			timezone: 'GMT Standard Time',
			customfields: [],
		}),
	);
	const people =
		kind === 'demo'
			? [
					'Pat Smith',
					'Sam Jones',
					'Lee Brown',
					'Kim Green',
					'Alex White',
					'Jo Black',
					'Max Gray',
					'Ria Patel',
					'Tom Hill',
					'Ana Cruz',
					'Ben Ode',
					'Eve Moss',
				]
			: ['Pat Smith'];
	people.forEach((name, i) => {
		const site = store.get('sites', (i % sites.length) + 1) as Row;
		const [firstname, surname] = name.split(' ');
		store.insert('users', {
			id: i + 1,
			name,
			firstname,
			surname,
			site_id: site.id,
			site_id_int: site.id,
			site_name: site.name,
			client_id: site.client_id,
			client_name: site.client_name,
			emailaddress: `${firstname.toLowerCase()}@${String(site.client_name).split(' ')[0].toLowerCase()}.example`,
			phonenumber: '',
			inactive: false,
			customfields: [],
		});
	});
	if (kind === 'empty') return;
	const summaries = [
		'Printer offline',
		'VPN not connecting',
		'New starter laptop',
		'Password reset',
		'Outlook crashes',
		'Backup failed',
		'Slow Wi-Fi',
		'Server disk full',
	];
	for (let i = 0; i < 25; i++) {
		const user = store.get('users', (i % people.length) + 1) as Row;
		const status = [1, 2, 3, 9, 1][i % 5];
		insertTicket(store, {
			summary: summaries[i % summaries.length],
			details: `Seeded ticket ${i + 1}`,
			tickettype_id: (i % 4) + 1,
			status_id: status,
			client_id: user.client_id,
			site_id: user.site_id,
			user_id: user.id,
			agent_id: (i % 4) + 1,
			priority_id: (i % 4) + 1,
			team: ['1st Line', '2nd Line', 'Projects'][i % 3],
			category_1: 'Hardware',
			dateoccurred: iso(i),
		});
	}
	for (let i = 0; i < 10; i++) {
		const client = store.get('clients', (i % 4) + 1) as Row;
		const site = store.list('sites').find((s) => s.client_id === client.id) as Row;
		store.insert('assets', {
			inventory_number: `AST-${String(i + 1).padStart(4, '0')}`,
			key_field: `PC-${i + 1}`,
			client_id: client.id,
			client_name: client.name,
			site_id: site.id,
			site_name: site.name,
			assettype_id: (i % 4) + 1,
			assettype_name: store.get('assettypes', (i % 4) + 1)?.name,
			inactive: false,
			status_id: 1,
			dlastupdate: iso(i),
			fields: [
				{ id: 101, name: 'Name', value: `PC-${i + 1}` },
				{ id: 117, name: 'Serial Number', value: `SN${1000 + i}` },
			],
			customfields: [],
		});
	}
	const first = store.get('tickets', 1) as Row;
	insertAction(store, {
		ticket_id: first.id,
		outcome_id: 7,
		note: 'Checked the printer queue.',
		hiddenfromuser: true,
		who_agentid: 2,
	});
	seedBusiness(store);
}

/** A few records of each business object (contracts, invoices, quotes, orders, items, CRM, KB, calendar, time). */
function seedBusiness(store: Store): void {
	const client = (id: number) => store.get('clients', id) as Row;
	['Ingram Micro', 'Dell Technologies'].forEach((name) =>
		store.insert('suppliers', {
			name,
			inactive: false,
			email_address: `orders@${name.split(' ')[0].toLowerCase()}.example`,
			customfields: [],
		}),
	);
	[
		['Managed Service Gold', 150, 95],
		['Microsoft 365 Business Premium', 22, 17.6],
		['Onsite Hour', 120, 0],
	].forEach(([name, baseprice, costprice], i) =>
		store.insert('items', {
			name,
			baseprice,
			costprice,
			supplier_id: i < 2 ? i + 1 : 0,
			isrecurringitem: i < 2,
			inactive: false,
			customfields: [],
		}),
	);
	[
		[1, 'ACME-GOLD'],
		[2, 'GLOBEX-SILVER'],
	].forEach(([clientId, ref], i) =>
		store.insert('contracts', {
			client_id: clientId,
			client_name: client(Number(clientId)).name,
			ref,
			start_date: iso(0),
			end_date: iso(365),
			periodchargeamount: 1500 - i * 500,
			inactive: false,
		}),
	);
	[1, 1, 2].forEach((clientId, i) =>
		insertDocument(store, 'invoices', {
			client_id: clientId,
			invoice_date: iso(i * 30),
			duedate: iso(i * 30 + 30),
			invoicenumber: `INV-${1001 + i}`,
			contract_id: clientId,
			lines: [{ item_shortdescription: 'Managed Service Gold', qty_order: 1, unit_price: 1500 - i * 100 }],
		}),
	);
	insertDocument(store, 'recurringinvoices', {
		client_id: 1,
		reference: 'Monthly support',
		nextcreationdate: iso(31),
		lines: [{ item_shortdescription: 'Managed Service Gold', qty_order: 1, unit_price: 1500 }],
	});
	[1, 3].forEach((clientId, i) =>
		insertDocument(store, 'quotations', {
			client_id: clientId,
			title: `Laptop refresh ${i + 1}`,
			date: iso(i),
			lines: [{ item_id: 3, description: 'Onsite Hour', baseprice: 120 }],
		}),
	);
	insertDocument(store, 'salesorders', {
		client_id: 1,
		title: 'Laptop refresh',
		date: iso(3),
		lines: [{ item_id: 3, name: 'Onsite Hour', baseprice: 120 }],
	});
	insertDocument(store, 'purchaseorders', {
		supplier_id: 2,
		supplier_name: 'Dell Technologies',
		client_id: 1,
		title: 'Laptops for Acme',
		date: iso(4),
		lines: [{ item_code: 'LAT-5450', name: 'Latitude 5450', baseprice: 899 }],
	});
	[
		['Renewal call', 1],
		['QBR booked', 2],
	].forEach(([note, clientId], i) =>
		store.insert('crmnotes', {
			client_id: clientId,
			client_name: client(Number(clientId)).name,
			note,
			datetime: iso(i),
			who_agentid: 2,
			timetaken: 0.5,
			customfields: [],
		}),
	);
	[
		['Microsoft 365 Business Premium', 1, 25],
		['Adobe Acrobat Pro', 2, 4],
	].forEach(([name, clientId, count]) =>
		store.insert('licences', {
			name,
			client_id: clientId,
			client_name: client(Number(clientId)).name,
			count,
			inactive: false,
			start_date: iso(0),
			end_date: iso(365),
		}),
	);
	[
		['Reset a user password', 'Open Users, pick the user, Reset Password.'],
		['Map a network drive', 'Use File Explorer > Map network drive.'],
	].forEach(([name, description]) =>
		store.insert('kbarticles', { name, description, inactive: false, type: 0, view_count: 0, customfields: [] }),
	);
	[
		['Onsite visit Acme', 1, 2],
		['Server patching', 3, 3],
	].forEach(([subject, clientId, agentId], i) =>
		store.insert('appointments', {
			subject,
			client_id: clientId,
			client_name: client(Number(clientId)).name,
			agent_id: agentId,
			start_date: iso(i + 1, 9),
			end_date: iso(i + 1, 11),
			allday: false,
			complete_status: 0,
		}),
	);
	[
		[2, 1],
		[3, 2],
	].forEach(([agentId, ticketId], i) =>
		store.insert('timesheetevents', {
			agent_id: agentId,
			ticket_id: ticketId,
			subject: `Work on ticket ${ticketId}`,
			event_type: 0,
			start_date: iso(i, 9),
			end_date: iso(i, 10),
			timetaken: 1,
		}),
	);
	insertTicket(store, { summary: 'Network refresh for Globex', tickettype_id: 1, client_id: 2, domain: 'opps' });
	insertTicket(store, { summary: 'Upsell backup for Initech', tickettype_id: 1, client_id: 3, domain: 'opps' });
	insertTicket(store, { summary: 'Office move for Acme', tickettype_id: 1, client_id: 1, domain: 'prjs' });
	[
		['Open tickets by client', 'SELECT id, summary, client_id FROM FAULTS WHERE status_id = 1'],
		['Client list', 'SELECT id, name FROM AREA ORDER BY name'],
	].forEach(([name, sql]) =>
		store.insert('reports', { name, sql, description: name, type: 0, group_id: 1, group_name: 'Service' }),
	);
	[2, 3].forEach((agentId) =>
		store.insert('timesheets', {
			agent_id: agentId,
			agent_name: store.get('agents', agentId)?.name,
			date: iso(0, 0),
			target_hours: 7.5,
			actual_hours: 1,
			work_hours: 7.5,
		}),
	);
}

/** Invoices, quotes and orders: lines get ids and the header its total. */
export function insertDocument(store: Store, collection: Collection, fields: Row): Row {
	const row = store.insert(collection, { customfields: [], ...fields });
	applyDocumentTotals(row);
	return row;
}

export function applyDocumentTotals(row: Row): void {
	const lines = Array.isArray(row.lines) ? (row.lines as Row[]) : [];
	lines.forEach((line, i) => {
		line.id = line.id ?? i + 1;
	});
	row.lines = lines;
	row.total = lines.reduce(
		(sum, line) => sum + Number(line.unit_price ?? line.baseprice ?? 0) * Number(line.qty_order ?? 1),
		0,
	);
}

export function insertTicket(store: Store, fields: Row): Row {
	const client = store.get('clients', fields.client_id);
	const site = store.get('sites', fields.site_id);
	const user = store.get('users', fields.user_id);
	const status = store.get('statuses', fields.status_id ?? 1);
	const now = store.now();
	const ticket: Row = {
		details: '',
		details_html: '',
		agent_id: 0,
		team: '',
		priority_id: 3,
		category_1: '',
		impact: 0,
		urgency: 0,
		dateoccurred: now,
		datecreated: now,
		targetdate: EMPTY_DATE,
		deadlinedate: EMPTY_DATE,
		dateclosed: EMPTY_DATE,
		lastactiondate: EMPTY_DATE,
		customfields: [],
		deleted: false,
		inactive: false,
		onhold: false,
		...fields,
		status_id: fields.status_id ?? 1,
		tickettype_id: fields.tickettype_id ?? 1,
		client_name: client?.name ?? '',
		site_name: site?.name ?? '',
		user_name: user?.name ?? '',
		user_email: user?.emailaddress ?? '',
		last_update: now,
		hasbeenclosed: status?.type === 2,
	};
	return store.insert('tickets', ticket);
}

/** An event subscription (UnameNotification): from Webhook.events or a POST to /Notification. */
export function insertNotification(store: Store, fields: Row): Row {
	const eventno = Number(fields.eventno);
	return store.insert('notifications', {
		guid: randomUUID(),
		name: eventName(eventno),
		type: 0,
		delivery_method: 0,
		conditions: [],
		...fields,
		eventno,
	});
}

export function insertAction(store: Store, fields: Row): Row {
	const siblings = store.list('actions').filter((a) => a.ticket_id === fields.ticket_id);
	const outcome = store.get('outcomes', fields.outcome_id);
	const now = store.now();
	const action: Row = {
		hiddenfromuser: false,
		important: false,
		timetaken: 0,
		who_agentid: 1,
		actionby_agent_id: 1,
		datetime: now,
		actiondatecreated: now,
		...fields,
		id: siblings.reduce((m, a) => Math.max(m, a.id), 0) + 1,
		outcome: fields.outcome ?? outcome?.outcome ?? '',
	};
	// a new action changes its ticket (lastactiondate, last_update): what a poll for new actions reads
	const ticket = store.get('tickets', Number(action.ticket_id));
	if (ticket) {
		ticket.lastactiondate = now;
		ticket.last_update = now;
	}
	return store.put('actions', `${action.ticket_id}/${action.id}`, action);
}
