/**
 * A local HaloPSA REST API emulator on 127.0.0.1, built from shared/halo-api/README.md and
 * Halo's OpenAPI document: token endpoint, Bearer checks, permissions, case-insensitive paths,
 * list envelopes, paging capped at 100, POST-array writes, rate limit, faults, webhooks and a
 * request log tests can read. Control endpoints live under /_emulator/ (never logged).
 */
import { randomBytes, randomUUID } from 'crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

import {
	CREATED_201,
	DEFAULT_PAGE_CAP,
	DEFAULT_PAGE_SIZE,
	isTrue,
	RATE_LIMIT_WORDINGS,
	rateLimitAnswer,
	wrapBody,
	type RateLimitWording,
} from './quirks';
import { reportAnswer, runSql, SqlError } from './reporting';
import { HaloError, resources, type ResourceDef } from './resources';
import { insertTicket, seedStore, Store, type Row } from './store';
import { eventName } from './webhook-events';

export interface ClientApp {
	clientId: string;
	clientSecret: string;
	scopes?: string[];
}

export interface EmulatorOptions {
	port?: number;
	clients?: ClientApp[];
	tenant?: string | null;
	tokenLifetimeSeconds?: number;
	rateLimit?: { max: number; windowMs: number } | null;
	/** how a 429 is worded: the limit kept (default), Halo's documented one whatever is kept, or a proxy's HTML page */
	rateLimitWording?: RateLimitWording;
	pageCap?: number;
	/** page caps per resource path segment (e.g. { client: 50 }): Halo documents 100 only for tickets */
	pageCaps?: Record<string, number>;
	/** answer bare-array lists (lookups, agents, webhooks) wrapped as {record_count, <name>: [...]} */
	wrapBareLists?: boolean;
	/** an update whose id does not exist: 404 (default) or saved as a new record */
	missingUpdate?: 'error' | 'create';
	/** answer a webhook's basic_password on reads (default true: whether Halo does is unverified) */
	webhookPasswordsInAnswers?: boolean;
	/**
	 * Halo's clock runs this far ahead of n8n's (negative: behind): every change time it stamps and
	 * its Date header
	 */
	clockOffsetMs?: number;
	/**
	 * client and asset list rows carry their change time (alastupdate, dlastupdate); default true.
	 * Halo's document has them only on the full record: unverified
	 */
	changeTimesInLists?: boolean;
	/** count requests refused with 429 in the window too (default true: never kinder than Halo) */
	rateLimitCountsRejected?: boolean;
	seed?: 'demo' | 'empty';
	extraTickets?: number;
	quiet?: boolean;
	/**
	 * names the sender of a connection on 127.0.0.1 from its port and the emulator's, once per
	 * connection (logged as `peer`)
	 */
	peerOf?: (remotePort: number, localPort: number) => string | undefined;
}

export const DEFAULT_CLIENT: Required<ClientApp> = {
	clientId: '6d7a2f3e-0c1b-4e8a-9a55-3b0e1f2c4d5e',
	clientSecret: 'emulator-secret-3b1f0e9c8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0',
	scopes: ['all'],
};

export interface LoggedRequest {
	seq: number;
	time: string;
	method: string;
	path: string;
	route: string;
	query: Record<string, string>;
	body: unknown;
	auth: 'bearer' | 'basic' | 'none';
	tokenSeq?: number;
	clientId?: string;
	status: number;
	durationMs: number;
	/** who sent it, when the `peerOf` option names the sender (queue mode: which n8n process) */
	peer?: string;
}

export interface Fault {
	method?: string;
	path?: string;
	status?: number;
	body?: string;
	delayMs?: number;
	malformed?: boolean;
	/** accept the request and never answer it */
	hang?: boolean;
	/** serve the previous page again for page_no > 1 */
	repeatPage?: boolean;
	/** after serving a page of a paged list: add a row in front of the list, or remove its first row */
	shiftAfterPage?: 'add' | 'remove';
	/**
	 * after serving a page of a paged list: another user changes the row at this index of that page
	 * (its change time becomes now, so a list ordered by change time moves it to the end)
	 */
	touchAfterPage?: number;
	times?: number;
	recordCountInflation?: number;
}

interface Token {
	seq: number;
	clientId: string;
	scopes: string[];
	expiresAt: number;
	revoked: boolean;
}

export interface Emulator {
	url: string;
	authUrl: string;
	apiUrl: string;
	port: number;
	log: LoggedRequest[];
	clearLog(): void;
	tokenRequests(): LoggedRequest[];
	apiRequests(): LoggedRequest[];
	expireTokens(): void;
	injectFault(fault: Fault): void;
	setRateLimit(limit: { max: number; windowMs: number } | null): void;
	setRateLimitWording(wording: RateLimitWording): void;
	/** requests another integration sends to the same tenant: they count in the rate window */
	consumeRateLimit(requests: number): void;
	/** page cap for one resource path segment (e.g. 'client'); undefined restores the default */
	setPageCap(resource: string, cap: number | undefined): void;
	setWrapBareLists(wrap: boolean): void;
	setMissingUpdate(mode: 'error' | 'create'): void;
	/** Halo's clock this far ahead of the real one (negative: behind) */
	setClockOffset(ms: number): void;
	setChangeTimesInLists(carry: boolean): void;
	setTenant(tenant: string | null): void;
	addClient(client: ClientApp): void;
	store: Store;
	addTickets(count: number): void;
	reset(): void;
	/** every access token issued so far (for tests that check tokens never leak) */
	issuedTokens(): string[];
	fireWebhooks(request: FireRequest): Promise<DeliveryResult[]>;
	stop(): Promise<void>;
}

export interface FireRequest {
	eventno?: number;
	event?: string;
	ticket_id?: number;
	batch?: number;
}

export interface DeliveryResult {
	webhook_id: string;
	url: string;
	status: number;
	error?: string;
}

/** The change time list rows of these collections carry (unverified for clients and assets) */
const CHANGE_TIMES: Record<string, string[]> = { clients: ['alastupdate'], assets: ['dlastupdate'] };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
	const payload =
		body === undefined
			? ''
			: typeof body === 'string' && /^text\//.test(headers['Content-Type'] ?? '')
				? body
				: JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
	res.end(payload);
}

/** Fields of a webhook that hold a password or a header secret (Halo's Webhook schema) */
const WEBHOOK_SECRETS = ['basic_password', 'authentication_header'];

/**
 * A copy for what the emulator shows about itself (request log, /_emulator/state) with webhook
 * secrets replaced, at any depth: what we want users to see of a password is that it was sent.
 */
function redactWebhookSecrets(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(redactWebhookSecrets);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, entry]) => [
			key,
			WEBHOOK_SECRETS.includes(key.toLowerCase()) ? '[redacted]' : redactWebhookSecrets(entry),
		]),
	);
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function haloTimestamp(): string {
	return new Date().toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	let tenant = options.tenant ?? null;
	let rateLimit = options.rateLimit === undefined ? { max: 300, windowMs: 300_000 } : options.rateLimit;
	const clients = [...(options.clients ?? [DEFAULT_CLIENT])];
	let pageCaps: Record<string, number> = { ...(options.pageCaps ?? {}) };
	const pageCapFor = (resource: string) => pageCaps[resource] ?? options.pageCap ?? DEFAULT_PAGE_CAP;
	let wrapBareLists = options.wrapBareLists ?? false;
	let missingUpdate = options.missingUpdate ?? 'error';
	const countsRejected = options.rateLimitCountsRejected ?? true;
	let rateLimitWording = options.rateLimitWording ?? 'true';
	let clockOffsetMs = options.clockOffsetMs ?? 0;
	let changeTimesInLists = options.changeTimesInLists ?? true;
	const lifetime = options.tokenLifetimeSeconds ?? 3600;
	const tokens = new Map<string, Token>();
	const windows = new Map<string, number[]>();
	let faults: Array<Fault & { left: number }> = [];
	const log: LoggedRequest[] = [];
	let seq = 0;
	let store = new Store();
	const seed = () => {
		store = new Store();
		store.clockOffsetMs = clockOffsetMs;
		seedStore(store, options.seed ?? 'demo');
		if (options.extraTickets) addTickets(options.extraTickets);
	};
	const addTickets = (count: number) => {
		const users = store.list('users');
		for (let i = 0; i < count; i++) {
			const user = users[i % users.length];
			insertTicket(store, {
				summary: `Generated ticket ${i + 1}`,
				tickettype_id: 1,
				status_id: 1,
				client_id: user.client_id,
				site_id: user.site_id,
				user_id: user.id,
			});
		}
	};
	seed();

	// Halo limits per tenant: every client of the tenant (and traffic that is not ours) shares one window
	const TENANT_WINDOW = 'tenant';
	const overLimit = (): boolean => {
		if (!rateLimit) return false;
		const now = Date.now();
		const times = (windows.get(TENANT_WINDOW) ?? []).filter(
			(t) => t > now - (rateLimit as { windowMs: number }).windowMs,
		);
		windows.set(TENANT_WINDOW, times);
		const over = times.length >= rateLimit.max;
		if (!over || countsRejected) times.push(now);
		return over;
	};
	/** A 429, worded as set */
	const refusal = (): [number, unknown, Record<string, string>?] => {
		const { body, headers } = rateLimitAnswer(rateLimitWording, rateLimit?.max ?? 0, rateLimit?.windowMs ?? 0);
		return [429, body, headers];
	};

	const takeFault = (method: string, path: string) => {
		const index = faults.findIndex(
			(f) => (!f.method || f.method.toUpperCase() === method) && (!f.path || new RegExp(f.path, 'i').test(path)),
		);
		if (index < 0) return undefined;
		const fault = faults[index];
		fault.left--;
		if (fault.left <= 0) faults.splice(index, 1);
		return fault;
	};

	function handleToken(
		query: Record<string, string>,
		form: Record<string, string>,
		entry: LoggedRequest,
	): [number, unknown, Record<string, string>?] {
		const givenTenant = query.tenant ?? form.tenant ?? '';
		entry.clientId = form.client_id;
		if (form.grant_type !== 'client_credentials')
			return [400, { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported here' }];
		if (tenant && givenTenant !== tenant)
			return [400, { error: 'invalid_request', error_description: `Unknown tenant "${givenTenant}"` }];
		const client = clients.find((c) => c.clientId === form.client_id && c.clientSecret === form.client_secret);
		if (!client) return [401, { error: 'invalid_client', error_description: 'The client credentials are invalid' }];
		if (overLimit()) return refusal();
		const requested = String(form.scope || 'all')
			.split(/\s+/)
			.filter(Boolean);
		const allowed = client.scopes ?? ['all'];
		const scopes = allowed.includes('all')
			? requested
			: requested.includes('all')
				? allowed
				: requested.filter((s) => allowed.includes(s));
		if (!scopes.length)
			return [400, { error: 'invalid_scope', error_description: 'None of the requested scopes is allowed' }];
		const accessToken = `${randomBytes(24).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
		const token: Token = {
			seq: tokens.size + 1,
			clientId: client.clientId,
			scopes,
			expiresAt: Date.now() + lifetime * 1000,
			revoked: false,
		};
		tokens.set(accessToken, token);
		entry.tokenSeq = token.seq;
		return [200, { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope: scopes.join(' ') }];
	}

	function permitted(token: Token, def: ResourceDef, method: string): string | undefined {
		if (token.scopes.includes('all')) return undefined;
		if (def.area === 'admin') return token.scopes.includes('admin') ? undefined : 'admin';
		const area = def.lookup ? (def.area === 'assets' ? 'assets' : 'tickets') : def.area;
		const need = method === 'GET' ? [`read:${area}`, `edit:${area}`, 'all:standard'] : [`edit:${area}`, 'all:standard'];
		return token.scopes.some((s) => need.includes(s)) ? undefined : need[0];
	}

	const passwordsInAnswers = options.webhookPasswordsInAnswers ?? true;
	function visible(def: ResourceDef, row: Row, list: boolean): Row {
		const copy = def.present ? def.present(row, store) : { ...row };
		for (const key of def.secret ?? []) if (!(passwordsInAnswers && key === 'basic_password')) delete copy[key];
		if (list) for (const key of def.hiddenInList ?? []) delete copy[key];
		if (list && !changeTimesInLists) for (const key of CHANGE_TIMES[def.collection] ?? []) delete copy[key];
		return copy;
	}

	function findRow(def: ResourceDef, id: string, query: Record<string, string>): Row | undefined {
		if (def.collection === 'actions') return store.get('actions', `${query.ticket_id}/${id}`) as Row | undefined;
		if (def.guid ? !GUID.test(id) : !/^\d+$/.test(id)) return undefined;
		const row = store.get(def.collection, def.guid ? id.toLowerCase() : Number(id));
		if (!row || !inDomain(def, row)) return undefined;
		return !(def.collection === 'tickets' && row.deleted) ? row : undefined;
	}

	/** tickets, opportunities and projects are one table; each path sees its own domain */
	const inDomain = (def: ResourceDef, row: Row) => !def.domain || (row.domain ?? 'reqs') === def.domain;

	function list(
		def: ResourceDef,
		query: Record<string, string>,
		inflation: number,
		fault?: Fault,
		resourceName = '',
	): unknown {
		let rows = store.list(def.collection).filter((row) => inDomain(def, row));
		if (def.collection === 'actions') {
			if (!query.ticket_id) throw new HaloError(400, 'ticket_id is required');
			rows = rows.filter((r) => r.ticket_id === Number(query.ticket_id));
		}
		if (def.filter) rows = def.filter(rows, query, store);
		const total = rows.length;
		let pageNo: number | null = null;
		let pageSize: number | null = null;
		if (def.paged && isTrue(query.pageinate)) {
			pageSize = Math.min(Math.max(Number(query.page_size) || DEFAULT_PAGE_SIZE, 1), pageCapFor(resourceName));
			pageNo = Math.max(Number(query.page_no) || 1, 1);
			const served = fault?.repeatPage && pageNo > 1 ? pageNo - 1 : pageNo;
			rows = rows.slice((served - 1) * pageSize, served * pageSize);
			if (fault?.shiftAfterPage) shiftList(def, fault.shiftAfterPage);
			const touched = fault?.touchAfterPage === undefined ? undefined : rows[fault.touchAfterPage];
			if (touched) touched.last_update = store.now();
		} else if (query.count !== undefined && Number(query.count) >= 0) {
			rows = rows.slice(0, Number(query.count));
		}
		const shaped = rows.map((r) => visible(def, r, true));
		if (!def.listKey) return wrapBareLists ? { record_count: total + inflation, [def.collection]: shaped } : shaped;
		const envelope: Row = { record_count: total + inflation, [def.listKey]: shaped };
		if (def.collection === 'actions') return { ticket_id: Number(query.ticket_id), ...envelope };
		return { page_no: pageNo, page_size: pageSize, ...envelope };
	}

	/** Another user adds a record in front of the list, or deletes its first one, between two pages. */
	function shiftList(def: ResourceDef, how: 'add' | 'remove'): void {
		const rows = store.list(def.collection);
		if (how === 'remove') {
			if (rows[0]) store.remove(def.collection, rows[0].id);
			return;
		}
		const copy = { ...rows[0], id: undefined, summary: 'Added between pages', name: 'Added between pages' };
		store.prepend(def.collection, copy);
	}

	function write(def: ResourceDef, body: unknown): [number, unknown] {
		if (!def.writable) throw new HaloError(403, { error: 'This record type cannot be changed through this emulator' });
		// every record is checked before any is saved: a refused array writes nothing (whether Halo
		// does the same is undocumented; a refusal that left half an array saved would be worse)
		const plan = wrapBody(body).map((raw) => {
			if (!raw || typeof raw !== 'object' || Array.isArray(raw))
				throw new HaloError(400, 'Each element of the body must be an object');
			const input = raw as Row;
			const existingId = def.guid ? (input.id ? String(input.id).toLowerCase() : '') : Number(input.id ?? 0);
			if (existingId) {
				const current =
					def.collection === 'actions'
						? store.get('actions', `${input.ticket_id}/${existingId}`)
						: findRow(def, String(existingId), {});
				if (current) {
					def.validate?.({ ...current, ...input }, store, false);
					return { input, current };
				}
				// Halo's answer to an unknown id is not documented: refuse it, or (switch) save a new record
				if (missingUpdate !== 'create') throw new HaloError(404, `${def.collection} ${input.id} not found`);
			}
			def.validate?.(input, store, true);
			return { input, current: undefined as Row | undefined };
		});
		const saved = plan.map(({ input, current }) => {
			if (current) {
				Object.assign(current, input, { id: current.id, last_update: store.now() });
				def.afterWrite?.(store, current);
				return current;
			}
			const fields = { ...input };
			delete fields.id;
			const created = def.create
				? def.create(store, fields)
				: store.insert(def.collection, {
						...fields,
						...(def.guid ? { id: randomUUID() } : {}),
						inactive: fields.inactive ?? false,
						customfields: fields.customfields ?? [],
					});
			def.afterWrite?.(store, created);
			return created;
		});
		const out = saved.map((r) => visible(def, r, false));
		return [CREATED_201.has(def.collection) ? 201 : 200, out.length === 1 ? out[0] : out];
	}

	function remove(def: ResourceDef, id: string, query: Record<string, string>): [number, unknown] {
		if (!def.writable) throw new HaloError(403, { error: 'This record type cannot be deleted through this emulator' });
		const row = findRow(def, id, query);
		if (!row) return [404, { error: `${def.collection} ${id} not found` }];
		if (def.collection === 'tickets') row.deleted = true;
		else if (def.collection === 'actions') store.remove('actions', `${row.ticket_id}/${row.id}`);
		else store.remove(def.collection, row.id);
		return [200, visible(def, row, false)];
	}

	/** A file's bytes, as GET /Attachment/{id} answers them. */
	class RawFile {
		constructor(
			public bytes: Buffer,
			public contentType: string,
			public filename: string,
		) {}
	}

	/** Report runs: a saved report (GET /Report/{id}?loadreport=true) or SQL (POST /Report, _loadreportonly). */
	function runReport(header: Row, sql: string): [number, unknown] {
		try {
			return [200, reportAnswer(header, runSql(store, sql))];
		} catch (error) {
			if (error instanceof SqlError) return [400, { error: error.message }];
			throw error;
		}
	}

	function handleReportingAndFiles(
		method: string,
		resourceName: string,
		id: string | undefined,
		query: Record<string, string>,
		body: unknown,
	): [number, unknown] | undefined {
		if (resourceName === 'attachment' && method === 'GET' && id !== undefined) {
			const row = findRow(resources.attachment, id, query);
			if (!row) return [404, { error: `attachments ${id} not found` }];
			return [200, new RawFile(Buffer.from(String(row.data_base64), 'base64'), row.content_type, row.filename)];
		}
		if (resourceName !== 'report') return undefined;
		if (method === 'GET' && id !== undefined && isTrue(query.loadreport)) {
			const row = findRow(resources.report, id, query);
			return row ? runReport({ ...row }, row.sql) : [404, { error: `reports ${id} not found` }];
		}
		const first = (Array.isArray(body) ? body[0] : body) as Row | undefined;
		if (method === 'POST' && first && isTrue(first._loadreportonly)) {
			const saved = first.id ? findRow(resources.report, String(first.id), query) : undefined;
			const sql = first.sql ?? saved?.sql;
			if (!sql) return [400, { error: 'Please enter the report SQL (sql) or the id of a saved report' }];
			return runReport({ id: saved?.id ?? 0, name: saved?.name ?? first.name ?? '' }, String(sql));
		}
		return undefined;
	}

	function handleApi(
		method: string,
		segments: string[],
		query: Record<string, string>,
		body: unknown,
		token: Token,
		fault?: Fault,
	): [number, unknown, number?] {
		const [resourceName, id, extra, ...rest] = segments;
		const def = resources[resourceName];
		const action = extra === undefined ? undefined : def?.actions?.[extra];
		if (!def || rest.length || (extra !== undefined && !action))
			return [404, { error: `No API path /${segments.join('/')}` }];
		// running a report reads (read:reporting; some clients say edit:reporting: unverified)
		const first = (Array.isArray(body) ? body[0] : body) as Row | undefined;
		const reads = method === 'GET' || (resourceName === 'report' && isTrue(first?._loadreportonly));
		const missing = permitted(token, def, reads ? 'GET' : 'POST');
		if (missing)
			return [
				403,
				{ error: `You do not have permission to access this resource: the ${missing} permission is required` },
			];
		const special = handleReportingAndFiles(method, resourceName, id, query, body);
		if (special) return special;
		if (action) {
			if (method !== 'POST') return [405, { error: `${method} is not allowed here` }];
			const row = findRow(def, id, query);
			return row
				? [200, visible(def, action(store, row), false)]
				: [404, { error: `${def.collection} ${id} not found` }];
		}
		if (method === 'GET' && resourceName === 'agent' && id === 'me') return [200, store.get('agents', 1)];
		if (method === 'GET' && id === undefined) return [200, list(def, query, 0, fault, resourceName)];
		if (method === 'GET') {
			const row = findRow(def, id, query);
			return row ? [200, visible(def, row, false)] : [404, { error: `${def.collection} ${id} not found` }];
		}
		if (method === 'POST' && id === undefined) return write(def, body);
		if (method === 'DELETE' && id !== undefined) return remove(def, id, query);
		return [405, { error: `${method} is not allowed here` }];
	}

	async function deliver(webhook: Row, events: Row[]): Promise<DeliveryResult> {
		const url = new URL(String(webhook.url));
		const payload = JSON.stringify(events.length === 1 ? events[0] : events);
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			'Content-Length': String(Buffer.byteLength(payload)),
		};
		if (Number(webhook.authentication_type) === 1) {
			headers.Authorization = `Basic ${Buffer.from(`${webhook.basic_username ?? ''}:${webhook.basic_password ?? ''}`).toString('base64')}`;
		}
		const result: DeliveryResult = await new Promise((resolve) => {
			const req = httpRequest(url, { method: 'POST', headers, timeout: 10_000 }, (res) => {
				res.resume();
				res.on('end', () => resolve({ webhook_id: webhook.id, url: webhook.url, status: res.statusCode ?? 0 }));
			});
			req.on('error', (error) =>
				resolve({ webhook_id: webhook.id, url: webhook.url, status: 0, error: error.message }),
			);
			req.end(payload);
		});
		store.insert('webhookevents', {
			id: randomUUID(),
			webhook_id: webhook.id,
			timestamp: haloTimestamp(),
			status: result.status >= 200 && result.status < 300 ? 1 : 2,
			error: result.error ?? '',
			requestbody: payload,
			responsestatus: result.status,
		});
		return result;
	}

	async function fireWebhooks(request: FireRequest): Promise<DeliveryResult[]> {
		const active = store.list('webhooks').filter((w) => w.active !== false && !w.disabled);
		const subscribed = (w: Row) =>
			store.list('notifications').some((n) => n.webhook_id === w.id && Number(n.eventno) === request.eventno);
		const targets = request.eventno === undefined ? active : active.filter(subscribed);
		const ticket = request.ticket_id ? store.get('tickets', request.ticket_id) : store.list('tickets')[0];
		const name = request.event ?? (request.eventno === undefined ? 'ticket updated' : eventName(request.eventno));
		const results: DeliveryResult[] = [];
		for (const webhook of targets) {
			const events = Array.from({ length: Math.max(request.batch ?? 1, 1) }, () => ({
				id: randomUUID(),
				webhook_id: webhook.id,
				notification_id: request.eventno ?? 0,
				escmsg_id: randomUUID(),
				event: name,
				message: `${name} for Ticket ID: ${String(ticket?.id ?? 0).padStart(7, '0')}.`,
				object_id: ticket?.id ?? 0,
				agent_id: 1,
				timestamp: haloTimestamp(),
				ticket: ticket ? { ...ticket } : undefined,
			}));
			results.push(await deliver(webhook, request.batch && request.batch > 1 ? events : [events[0]]));
		}
		return results;
	}

	async function handleControl(method: string, path: string, body: any, res: ServerResponse): Promise<void> {
		const action = `${method} ${path.replace(/^\/_emulator/i, '').toLowerCase()}`;
		switch (action) {
			case 'GET /log':
				return send(res, 200, log);
			case 'DELETE /log':
				log.length = 0;
				return send(res, 200, { cleared: true });
			case 'POST /reset':
				api.reset();
				return send(res, 200, { reset: true });
			case 'POST /expire-tokens':
				api.expireTokens();
				return send(res, 200, { expired: true });
			case 'POST /faults':
				api.injectFault(body);
				return send(res, 200, { queued: faults.length });
			case 'POST /rate-limit':
				api.setRateLimit(body && body.max ? { max: Number(body.max), windowMs: Number(body.windowMs) } : null);
				if (RATE_LIMIT_WORDINGS.includes(body?.wording)) api.setRateLimitWording(body.wording);
				return send(res, 200, { rateLimit, wording: rateLimitWording });
			case 'POST /clock':
				api.setClockOffset(Number(body?.offsetMs ?? 0));
				return send(res, 200, { offsetMs: clockOffsetMs });
			case 'POST /tickets':
				addTickets(Number(body?.count ?? 0));
				return send(res, 200, { tickets: store.count('tickets') });
			case 'GET /state':
				return send(res, 200, {
					counts: Object.fromEntries(
						['tickets', 'clients', 'sites', 'users', 'assets', 'webhooks', 'notifications', 'actions'].map((c) => [
							c,
							store.count(c as any),
						]),
					),
					webhooks: store.list('webhooks').map((w) => redactWebhookSecrets(visible(resources.webhook, w, false))),
				});
			case 'POST /webhooks/fire':
				return send(res, 200, await fireWebhooks(body ?? {}));
			default:
				return send(res, 404, { error: 'unknown control endpoint' });
		}
	}

	const peers = new WeakMap<object, string | undefined>();
	/** the sender of this request's connection, looked up once per connection while it is open */
	function peerOf(req: IncomingMessage): string | undefined {
		const { remotePort, localPort } = req.socket;
		if (!options.peerOf || remotePort === undefined || localPort === undefined) return undefined;
		if (!peers.has(req.socket)) peers.set(req.socket, options.peerOf(remotePort, localPort));
		return peers.get(req.socket);
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const started = Date.now();
		const peer = peerOf(req);
		// Halo's own clock, as its answers carry it (HTTP Date: whole seconds)
		res.setHeader('Date', new Date(Date.now() + clockOffsetMs).toUTCString());
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname.replace(/\/+$/, '') || '/';
		const raw = await readBody(req);
		if (/^\/_emulator(\/|$)/i.test(path)) {
			let body: unknown;
			try {
				body = raw ? JSON.parse(raw) : undefined;
			} catch {
				return send(res, 400, { error: 'invalid JSON' });
			}
			return handleControl(method, path, body, res);
		}
		const query = Object.fromEntries(url.searchParams.entries());
		const segments = path.toLowerCase().split('/').filter(Boolean);
		const authHeader = String(req.headers.authorization ?? '');
		const entry: LoggedRequest = {
			seq: ++seq,
			time: new Date().toISOString(),
			method,
			path,
			query,
			body: undefined,
			route: `${method} /${segments.map((s, i) => (i === 2 && s !== 'me' ? ':id' : s)).join('/')}`,
			auth: /^bearer /i.test(authHeader) ? 'bearer' : /^basic /i.test(authHeader) ? 'basic' : 'none',
			status: 0,
			durationMs: 0,
			...(peer ? { peer } : {}),
		};
		const finish = (status: number, body?: unknown, headers?: Record<string, string>, rawText?: string) => {
			entry.status = status;
			entry.durationMs = Date.now() - started;
			log.push(entry);
			if (rawText !== undefined) {
				res.writeHead(status, { 'Content-Type': 'application/json' });
				res.end(rawText);
				return;
			}
			send(res, status, body, headers);
		};
		const fault = takeFault(method, path);
		if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
		if (fault?.status)
			return finish(
				fault.status,
				undefined,
				undefined,
				fault.body ?? JSON.stringify({ error: `Injected fault ${fault.status}` }),
			);
		if (fault?.malformed) return finish(200, undefined, undefined, '{"record_count": 3, "tickets": [{"id": 1,');
		if (fault?.hang) {
			// accepted and never answered: logged with status 0, the socket stays open until the client gives up
			entry.durationMs = Date.now() - started;
			log.push(entry);
			return;
		}

		if (segments[0] === 'auth' && segments[1] === 'token' && method === 'POST') {
			const form = Object.fromEntries(new URLSearchParams(raw).entries());
			entry.body = { ...form, ...(form.client_secret !== undefined ? { client_secret: '[redacted]' } : {}) };
			const [status, body, headers] = handleToken(query, form, entry);
			return finish(status, body, headers);
		}
		if (segments[0] !== 'api') return finish(404, { error: 'Not found' });
		if (segments[1] === 'authinfo') return finish(200, { auth_url: `${api.url}/auth`, tenant_id: tenant ?? undefined });
		const token = tokens.get(authHeader.replace(/^bearer\s+/i, ''));
		if (entry.auth !== 'bearer' || !token || token.revoked || token.expiresAt < Date.now()) {
			if (token) entry.tokenSeq = token.seq;
			return finish(401, undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
		}
		entry.tokenSeq = token.seq;
		entry.clientId = token.clientId;
		if (overLimit()) return finish(...refusal());
		let body: unknown;
		if (raw) {
			try {
				body = JSON.parse(raw);
			} catch {
				entry.body = raw.replace(
					/("(?:basic_password|authentication_header)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
					'$1"[redacted]"',
				);
				return finish(400, 'The request body is not valid JSON');
			}
		}
		// a copy: writes below change the stored objects (ids, totals), the log keeps what was sent
		entry.body = body === undefined ? undefined : redactWebhookSecrets(JSON.parse(raw));
		try {
			const [status, out] = handleApi(method, segments.slice(1), query, body, token, fault);
			if (out instanceof RawFile) {
				entry.status = status;
				entry.durationMs = Date.now() - started;
				log.push(entry);
				res.writeHead(status, {
					'Content-Type': out.contentType,
					'Content-Length': String(out.bytes.length),
					// a header is ASCII: the plain filename loses what it cannot carry, filename* keeps it (RFC 6266)
					'Content-Disposition': `attachment; filename="${out.filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(out.filename)}`,
				});
				res.end(out.bytes);
				return;
			}
			if (fault?.recordCountInflation && out && typeof out === 'object' && 'record_count' in (out as Row)) {
				(out as Row).record_count += fault.recordCountInflation;
			}
			return finish(status, out);
		} catch (error) {
			if (error instanceof HaloError) return finish(error.status, error.body);
			return finish(500, { ClassName: 'System.Exception', Message: (error as Error).message });
		}
	}

	const server: Server = createServer((req, res) => {
		handle(req, res).catch((error) => send(res, 500, { Message: String(error) }));
	});
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	const base = `http://127.0.0.1:${port}`;

	const api: Emulator = {
		url: base,
		authUrl: `${base}/auth`,
		apiUrl: `${base}/api`,
		port,
		log,
		clearLog: () => void (log.length = 0),
		tokenRequests: () => log.filter((r) => r.route === 'POST /auth/token'),
		apiRequests: () => log.filter((r) => r.path.toLowerCase().startsWith('/api')),
		expireTokens: () => tokens.forEach((t) => (t.revoked = true)),
		injectFault: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
		setRateLimit: (limit) => {
			rateLimit = limit;
			windows.clear();
		},
		setRateLimitWording: (wording) => void (rateLimitWording = wording),
		consumeRateLimit: (requests) => {
			const times = windows.get(TENANT_WINDOW) ?? [];
			for (let i = 0; i < requests; i++) times.push(Date.now());
			windows.set(TENANT_WINDOW, times);
		},
		setPageCap: (resource, cap) => {
			if (cap === undefined) delete pageCaps[resource];
			else pageCaps = { ...pageCaps, [resource]: cap };
		},
		setWrapBareLists: (wrap) => void (wrapBareLists = wrap),
		setMissingUpdate: (mode) => void (missingUpdate = mode),
		setClockOffset: (ms) => {
			clockOffsetMs = ms;
			store.clockOffsetMs = ms;
		},
		setChangeTimesInLists: (carry) => void (changeTimesInLists = carry),
		setTenant: (t) => void (tenant = t),
		addClient: (client) => void clients.push(client),
		get store() {
			return store;
		},
		addTickets,
		reset: () => {
			seed();
			log.length = 0;
			faults = [];
			windows.clear();
			rateLimitWording = options.rateLimitWording ?? 'true';
			pageCaps = { ...(options.pageCaps ?? {}) };
			wrapBareLists = options.wrapBareLists ?? false;
			missingUpdate = options.missingUpdate ?? 'error';
			changeTimesInLists = options.changeTimesInLists ?? true;
			clockOffsetMs = options.clockOffsetMs ?? 0;
			store.clockOffsetMs = clockOffsetMs;
		},
		issuedTokens: () => [...tokens.keys()],
		fireWebhooks,
		stop: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
	return api;
}
