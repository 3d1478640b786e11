import { NodeOperationError, jsonParse } from 'n8n-workflow';
import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { specFor } from './specs';

/** preSend and helper functions referenced by the resource descriptions. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function currentSpec(ctx: IExecuteSingleFunctions) {
	const resource = ctx.getNodeParameter('resource') as string;
	return specFor(resource === 'lookup' ? (ctx.getNodeParameter('lookupType') as string) : resource);
}

/** Reads a resource-locator or plain parameter as a trimmed string. */
function readId(ctx: IExecuteSingleFunctions, name: string): string {
	const value = ctx.getNodeParameter(name, '', { extractValue: true }) as unknown;
	return String(value ?? '').trim();
}

/** Checks a record id parameter and returns it in the type Halo wants (integer or GUID). */
export function parseRecordId(ctx: IExecuteSingleFunctions, name: string, label: string, guid = false): number | string {
	const raw = readId(ctx, name);
	if (guid) {
		if (!GUID.test(raw)) {
			throw new NodeOperationError(ctx.getNode(), `${label} must be a GUID, got "${raw}"`, {
				itemIndex: ctx.getItemIndex(),
				description: 'Halo webhook IDs look like 3f2b8c1e-4d5a-4b6c-9e7f-1a2b3c4d5e6f. Pick the webhook from the list or copy its ID from Get Many.',
			});
		}
		return raw;
	}
	if (!/^\d+$/.test(raw) || Number(raw) <= 0) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be a positive whole number, got "${raw}"`, {
			itemIndex: ctx.getItemIndex(),
			description: `Pick the record from the list, or map a numeric ID (e.g. {{ $json.id }}). Halo rejects ids like "95.0".`,
		});
	}
	return Number(raw);
}

/** Validates the id in the URL of Get / Delete requests before anything is sent. */
export async function checkUrlId(this: IExecuteSingleFunctions, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const spec = currentSpec(this);
	const name = `${spec.value}Id`;
	const id = parseRecordId(this, name, `${spec.label} ID`, spec.guidIds);
	options.url = `${spec.path}/${encodeURIComponent(String(id))}`;
	return options;
}

/** Validates the ticket id of ticket-action requests and puts it in the query string. */
export async function checkActionIds(this: IExecuteSingleFunctions, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
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

function parseExtraFields(ctx: IExecuteSingleFunctions, collection: string): IDataObject {
	const raw = ctx.getNodeParameter(`${collection}.extraFieldsJson`, '{}') as unknown;
	if (raw && typeof raw === 'object') return raw as IDataObject;
	const text = String(raw ?? '').trim();
	if (!text) return {};
	let parsed: unknown;
	try {
		parsed = jsonParse(text);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), 'Extra Fields (JSON) is not valid JSON', {
			itemIndex: ctx.getItemIndex(),
			description: `Write a JSON object such as {"dont_do_rules": true}. Parser said: ${(error as Error).message}`,
		});
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), 'Extra Fields (JSON) must be a JSON object', {
			itemIndex: ctx.getItemIndex(),
			description: 'Write an object of Halo field names and values, such as {"impact": 2, "urgency": 1}.',
		});
	}
	return parsed as IDataObject;
}

function readPairs(ctx: IExecuteSingleFunctions, collection: string, name: string): IDataObject[] | undefined {
	const ui = ctx.getNodeParameter(`${collection}.${name}`, {}) as { field?: Array<{ id: number; value: unknown }> };
	if (!ui.field?.length) return undefined;
	return ui.field.map((field) => ({ id: Number(field.id), value: field.value as IDataObject[keyof IDataObject] }));
}

/**
 * Turns the routed body into Halo's write shape: extra JSON and custom fields merged in,
 * `id` set for updates, and the object wrapped in the array Halo's POST endpoints expect.
 */
export async function buildWriteBody(this: IExecuteSingleFunctions, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const spec = currentSpec(this);
	const operation = this.getNodeParameter('operation') as string;
	const collection = operation === 'update' ? 'updateFields' : 'additionalFields';
	const body: IDataObject = { ...((options.body as IDataObject) ?? {}) };
	delete body.extraFieldsJson;
	delete body.customFieldsUi;
	delete body.assetFieldsUi;
	const customfields = readPairs(this, collection, 'customFieldsUi');
	if (customfields) body.customfields = customfields;
	const assetFields = readPairs(this, collection, 'assetFieldsUi');
	if (assetFields) body.fields = assetFields;
	Object.assign(body, parseExtraFields(this, collection));
	if (operation === 'update') {
		body.id = parseRecordId(this, `${spec.value}Id`, `${spec.label} ID`, spec.guidIds);
		if (Object.keys(body).length === 1) {
			throw new NodeOperationError(this.getNode(), 'Nothing to update', {
				itemIndex: this.getItemIndex(),
				description: 'Add at least one field under Update Fields (or Extra Fields (JSON)).',
			});
		}
	}
	options.body = [body];
	return options;
}
