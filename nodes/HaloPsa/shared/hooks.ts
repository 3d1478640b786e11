import { NodeOperationError, jsonParse } from 'n8n-workflow';
import type { IDataObject, IExecuteSingleFunctions, IHookFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { haloRequest } from '../transport';
import { writeOf } from './bulk';
import type { HaloFieldDef } from './fields';
import type { ResourceSpec } from './specs';

/**
 * preSend hooks referenced by the resource descriptions. Hooks that depend on the resource are
 * made per resource (`checkUrlId(spec)`), so no hook has to look its resource up.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Name of a resource's record-id parameter (a resource locator): ticketId, clientId ... */
export const idParameter = (spec: ResourceSpec) => `${spec.value}Id`;

/** Reads a resource-locator or plain parameter as a trimmed string. */
function readId(ctx: IExecuteSingleFunctions, name: string): string {
	const value = ctx.getNodeParameter(name, '', { extractValue: true }) as unknown;
	return String(value ?? '').trim();
}

/** Checks a record id parameter and returns it in the type Halo wants (integer or GUID). */
export function parseRecordId(
	ctx: IExecuteSingleFunctions,
	name: string,
	label: string,
	guid = false,
): number | string {
	const raw = readId(ctx, name);
	if (guid) {
		if (!GUID.test(raw)) {
			throw new NodeOperationError(ctx.getNode(), `${label} must be a GUID, got "${raw}"`, {
				itemIndex: ctx.getItemIndex(),
				description:
					'Halo webhook IDs look like 3f2b8c1e-4d5a-4b6c-9e7f-1a2b3c4d5e6f. Pick the webhook from the list or copy its ID from Get Many.',
			});
		}
		return raw;
	}
	// beyond 2^53 a number is rounded to another one: /Tickets/9007199254740993 would read 9007199254740992
	if (!/^\d+$/.test(raw) || Number(raw) <= 0 || !Number.isSafeInteger(Number(raw))) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be a positive whole number, got "${raw}"`, {
			itemIndex: ctx.getItemIndex(),
			description: `Pick the record from the list, or map a numeric ID (e.g. {{ $json.id }}). Halo rejects ids like "95.0".`,
		});
	}
	return Number(raw);
}

/**
 * Validates the record id before anything is sent and puts it in the URL:
 * `<path>/<id>` (Get, Delete) or `<path>/<id>/<suffix>` (record actions such as Invoice Void).
 */
export function checkUrlId(spec: ResourceSpec, suffix?: string) {
	return async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const id = parseRecordId(this, idParameter(spec), `${spec.label} ID`, spec.guidIds);
		options.url = `${spec.path}/${encodeURIComponent(String(id))}${suffix ? `/${suffix}` : ''}`;
		return options;
	};
}

/** Validates the ticket id of ticket-action requests and puts it in the query string. */
export async function checkActionIds(
	this: IExecuteSingleFunctions,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const ticketId = parseRecordId(this, 'ticketId', 'Ticket ID');
	const operation = this.getNodeParameter('operation') as string;
	if (operation === 'get' || operation === 'delete') {
		const actionId = parseRecordId(this, 'actionId', 'Action ID');
		options.url = `/Actions/${actionId}`;
	}
	if (operation === 'create') {
		const body = options.body as IDataObject | IDataObject[];
		for (const record of Array.isArray(body) ? body : [body]) record.ticket_id = ticketId;
	} else {
		options.qs = { ...(options.qs ?? {}), ticket_id: ticketId };
	}
	return options;
}

/**
 * A JSON parameter: the value as n8n resolved it when that is already an object, else its text
 * parsed (empty text reads as `empty`). Text that is not JSON is an error naming the parameter.
 */
function jsonParameter(
	ctx: IExecuteSingleFunctions,
	raw: unknown,
	label: string,
	empty: string,
	hint: string,
): unknown {
	if (raw && typeof raw === 'object') return raw;
	try {
		return jsonParse(String(raw ?? '').trim() || empty);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `${label} is not valid JSON`, {
			itemIndex: ctx.getItemIndex(),
			description: `${hint} Parser said: ${(error as Error).message}`,
		});
	}
}

function parseExtraFields(ctx: IExecuteSingleFunctions, collection: string): IDataObject {
	const raw = ctx.getNodeParameter(`${collection}.extraFieldsJson`, '{}') as unknown;
	const parsed = jsonParameter(
		ctx,
		raw,
		'Extra Fields (JSON)',
		'{}',
		'Write a JSON object such as {"dont_do_rules": true}.',
	);
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), 'Extra Fields (JSON) must be a JSON object', {
			itemIndex: ctx.getItemIndex(),
			description: 'Write an object of Halo field names and values, such as {"impact": 2, "urgency": 1}.',
		});
	}
	return parsed as IDataObject;
}

/**
 * Fixed collections whose rows become a Halo array under another key: custom fields and
 * asset-type fields as {id, value}, document lines (invoices, quotes, orders) as line objects.
 */
const ROW_COLLECTIONS: Record<string, string> = {
	customFieldsUi: 'customfields',
	assetFieldsUi: 'fields',
	linesUi: 'lines',
};

/**
 * n8n fills every value of a fixed-collection row with its default; in a document line a
 * default (empty text, 0, off) is left out, so Halo applies its own (e.g. the item's price).
 */
function withoutDefaults(row: IDataObject): IDataObject {
	return Object.fromEntries(
		Object.entries(row).filter(([, value]) => value !== '' && value !== 0 && value !== false && value !== null),
	);
}

function readRows(ctx: IExecuteSingleFunctions, collection: string, name: string): IDataObject[] | undefined {
	const ui = ctx.getNodeParameter(`${collection}.${name}`, {}) as Record<string, IDataObject[] | undefined>;
	const rows = Object.values(ui ?? {}).find((value) => Array.isArray(value) && value.length);
	if (!rows) return undefined;
	if (name === 'linesUi') return rows.map(withoutDefaults);
	return rows.map((row) => (row.id === undefined ? { ...row } : { ...row, id: Number(row.id) }));
}

/**
 * n8n's Retry On Fail runs the node again with every item, so records that were saved before
 * another item failed would be created twice. The node already retries what is safe (rate
 * limits, reads, token refreshes), so a create refuses to run with it.
 */
export function refuseRetryOnCreate(ctx: IExecuteSingleFunctions): void {
	if (!ctx.getNode().retryOnFail) return;
	throw new NodeOperationError(ctx.getNode(), 'Retry On Fail would create these records again', {
		itemIndex: ctx.getItemIndex(),
		description:
			'When one item fails, n8n retries the node with every item, and the records already saved would be written a second time. Turn off Settings > Retry On Fail, and use Settings > On Error > "Continue (using error output)" to handle the items that failed. The node itself retries rate limits and reads.',
	});
}

/** Only the named fields of a record, and its id (which says create or update). */
function pickFields(record: IDataObject, fields: string[]): IDataObject {
	const picked: IDataObject = {};
	for (const field of ['id', ...fields]) if (record[field] !== undefined) picked[field] = record[field];
	return picked;
}

/** The record of one Create or Update Many item, checked and wrapped in Halo's array. */
export function bulkRecord(spec: ResourceSpec) {
	return async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		// the input item as it is: read directly, with no expression to evaluate per item
		const raw =
			this.getNodeParameter('recordFrom', 'item') === 'item'
				? { ...this.getInputData().json }
				: (this.getNodeParameter('record', {}) as unknown);
		const record = jsonParameter(
			this,
			raw,
			'Record (JSON)',
			'{}',
			'Write an object of Halo field names, e.g. {"name": "Acme"}.',
		);
		if (!record || typeof record !== 'object' || Array.isArray(record) || !Object.keys(record).length) {
			throw new NodeOperationError(
				this.getNode(),
				`Record (JSON) must be a non-empty object, one ${spec.label.toLowerCase()} per item`,
				{
					itemIndex: this.getItemIndex(),
					description:
						'Map each item to an object of Halo field names (the default, {{ $json }}, sends the item as it is).',
				},
			);
		}
		const fields = String(this.getNodeParameter('fieldsToSend', '') ?? '')
			.split(',')
			.map((field) => field.trim())
			.filter(Boolean);
		const sent = fields.length ? pickFields(record as IDataObject, fields) : (record as IDataObject);
		if (writeOf(sent, spec).kind === 'create') refuseRetryOnCreate(this);
		options.body = [sent];
		return options;
	};
}

/**
 * A filter value that says nothing: an expression that resolved to empty, or 0 for a record id
 * (the action node's filters and the poll trigger's).
 */
export function emptyFilterValue(value: unknown, recordId: boolean): boolean {
	if (value === undefined || value === null || value === '') return true;
	if (typeof value === 'number' && Number.isNaN(value)) return true;
	if (Array.isArray(value)) return value.length === 0;
	if (typeof value === 'string' && !value.trim()) return true;
	return recordId && Number(value) === 0;
}

function emptyFilter(def: HaloFieldDef, value: unknown): boolean {
	const isRecord = !!def.loadOptions || /_id$/.test(def.key);
	return emptyFilterValue(value, isRecord && def.type === 'number');
}

/**
 * Get Many's filters are checked before anything is sent: a filter the user added must have a
 * value. Halo ignores an empty one and lists everything, so "this client's tickets" with an
 * expression that found no client would return every client's tickets.
 */
export function checkFilters(defs: HaloFieldDef[]) {
	return async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const filters = (this.getNodeParameter('filters', {}) ?? {}) as IDataObject;
		for (const def of defs) {
			if (!(def.key in filters) || !emptyFilter(def, filters[def.key])) continue;
			throw new NodeOperationError(this.getNode(), `The filter "${def.displayName}" is empty`, {
				itemIndex: this.getItemIndex(),
				description: `Halo would ignore it and list every record. Give it a value (check that its expression finds one for this item), or remove the filter.`,
			});
		}
		return options;
	};
}

/**
 * Lists of {id, value} Halo replaces whole on an update: posting one asset-type field empties
 * every other (homotechsual/HaloAPI issue 13, from a live tenant: "you have to re-post the full
 * array ... otherwise Halo will just empty the array and only set the single field"). Whether
 * `customfields` behave the same is not documented either way, so they are treated alike.
 */
const REPLACED_LISTS = ['fields', 'customfields'];

/** An entry of such a list as Halo takes it back (HaloAPI-PS posts {id, value}): its id, or its name without one, and value. */
function listEntry(entry: IDataObject): IDataObject {
	const out: IDataObject = {};
	const key = entry.id !== undefined && Number(entry.id) !== 0 ? 'id' : 'name';
	if (entry[key] !== undefined) out[key] = entry[key];
	if (entry.value !== undefined) out.value = entry.value;
	return out;
}

/**
 * An update that sets some entries of a replaced list sends the whole list: the record's current
 * entries (read first, one GET) with the new ones put in by id (or name), so no other entry is lost.
 */
export function mergeListEntries(current: unknown, changed: IDataObject[]): IDataObject[] {
	const merged = (Array.isArray(current) ? (current as IDataObject[]) : []).map(listEntry);
	for (const entry of changed) {
		const at = (Array.isArray(current) ? (current as IDataObject[]) : []).findIndex((old) =>
			entry.id !== undefined && Number(entry.id) !== 0
				? Number(old.id) === Number(entry.id)
				: entry.name !== undefined && old.name === entry.name,
		);
		if (at >= 0) merged[at] = { ...merged[at], value: entry.value };
		else merged.push(listEntry(entry));
	}
	return merged;
}

async function keepOtherListEntries(ctx: IExecuteSingleFunctions, spec: ResourceSpec, body: IDataObject) {
	const lists = REPLACED_LISTS.filter((key) => Array.isArray(body[key]) && (body[key] as unknown[]).length);
	if (!lists.length) return;
	const current = (await haloRequest.call(ctx as unknown as IHookFunctions, spec, { includedetails: true }, 'GET', {
		id: body.id as string | number,
	})) as IDataObject;
	for (const key of lists) body[key] = mergeListEntries(current?.[key], body[key] as IDataObject[]);
}

/**
 * Turns the routed body into Halo's write shape: extra JSON and custom fields merged in,
 * `id` set for updates, and the object wrapped in the array Halo's POST endpoints expect.
 */
export function buildWriteBody(spec: ResourceSpec) {
	return async function (this: IExecuteSingleFunctions, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return await writeBody(this, spec, options);
	};
}

async function writeBody(
	ctx: IExecuteSingleFunctions,
	spec: ResourceSpec,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const operation = ctx.getNodeParameter('operation') as string;
	const collection = operation === 'update' ? 'updateFields' : 'additionalFields';
	const body: IDataObject = { ...((options.body as IDataObject) ?? {}) };
	delete body.extraFieldsJson;
	for (const [name, key] of Object.entries(ROW_COLLECTIONS)) {
		delete body[name];
		const rows = readRows(ctx, collection, name);
		if (rows) body[key] = rows;
	}
	Object.assign(body, parseExtraFields(ctx, collection));
	if (operation !== 'update') {
		refuseRetryOnCreate(ctx);
		if (body.id !== undefined && body.id !== null && body.id !== 0 && body.id !== '') {
			throw new NodeOperationError(ctx.getNode(), `Create cannot take an id (got ${JSON.stringify(body.id)})`, {
				itemIndex: ctx.getItemIndex(),
				description: `Halo would treat it as an update of ${spec.label.toLowerCase()} ${String(body.id)}. Remove "id" from Extra Fields (JSON), or use the Update operation.`,
			});
		}
	}
	if (operation === 'update') {
		body.id = parseRecordId(ctx, idParameter(spec), `${spec.label} ID`, spec.guidIds);
		if (Object.keys(body).length === 1) {
			throw new NodeOperationError(ctx.getNode(), 'Nothing to update', {
				itemIndex: ctx.getItemIndex(),
				description: 'Add at least one field under Update Fields (or Extra Fields (JSON)).',
			});
		}
		await keepOtherListEntries(ctx, spec, body);
	}
	options.body = [body];
	return options;
}

/** Where a Custom API Call may go: a path under the Resource Server, never a URL of its own. */
export function customCallPath(raw: string): string {
	const text = raw.trim();
	const refuse = (why: string): never => {
		throw new Error(`${why}. Write a path under the Resource Server URL, such as /Tickets or /Invoice/12.`);
	};
	if (!text) refuse('The path is empty');
	if (/^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith('//') || text.includes('\\'))
		refuse(`"${text}" is a full URL, not a path: the token must not leave Halo`);
	if (/[?#]/.test(text)) refuse('The path contains "?" or "#": put query parameters under Query Parameters');
	const segments = text.replace(/^\/+/, '').split('/');
	for (const segment of segments) {
		let decoded: string;
		try {
			decoded = decodeURIComponent(segment);
		} catch {
			return refuse(`"${segment}" is not a valid path segment`);
		}
		if (decoded === '..' || decoded === '.' || /[/\\]/.test(decoded) || /[\u0000-\u001f]/.test(decoded))
			refuse(`"${text}" leaves the Resource Server path (".." or an encoded "/")`);
		if (!segment) refuse(`"${text}" has an empty segment`);
	}
	// the Resource Server URL already ends in /api
	if (segments[0].toLowerCase() === 'api' && segments.length > 1) segments.shift();
	return `/${segments.join('/')}`;
}

function parseCallBody(ctx: IExecuteSingleFunctions): IDataObject | IDataObject[] {
	const raw = ctx.getNodeParameter('jsonBody', '[]') as unknown;
	return jsonParameter(ctx, raw, 'Body (JSON)', '[]', 'Write JSON such as [{"id": 5, "inactive": true}].') as
		IDataObject | IDataObject[];
}

/** Checks a Custom API Call before it is sent: the path stays under the Resource Server; query and body as the user set them. */
export async function checkCustomCall(
	this: IExecuteSingleFunctions,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	try {
		options.url = customCallPath(String(this.getNodeParameter('path', '')));
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			itemIndex: this.getItemIndex(),
			description:
				'The credential adds the Resource Server URL (e.g. https://yourcompany.halopsa.com/api) in front of the path.',
		});
	}
	const ui = this.getNodeParameter('queryParameters', {}) as { parameter?: Array<{ name: string; value: string }> };
	const qs: IDataObject = {};
	for (const { name, value } of ui.parameter ?? []) {
		if (!String(name ?? '').trim()) {
			throw new NodeOperationError(this.getNode(), 'A query parameter has no name', {
				itemIndex: this.getItemIndex(),
				description: 'Give every query parameter a name, or remove it.',
			});
		}
		qs[name.trim()] = value;
	}
	options.qs = qs;
	if (String(options.method).toUpperCase() === 'POST') {
		options.body = parseCallBody(this);
		// a POST record without an id creates one: not with Retry On Fail
		if ([].concat(options.body as never).some((record: IDataObject) => !record?.id)) refuseRetryOnCreate(this);
	} else delete options.body;
	return options;
}
