import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';

import { specFor } from '../resources';
import { sendPaced } from '../transport';
import { joinChunk, recordOf } from './bulk';
import { attachmentFiles, binaryPropertyNames, DEFAULT_MAX_FILE_MB, sendingFiles, type AttachmentFile } from './files';
import { collectRows, HaloListError, WHOLE_BODY } from './paging';
import type { ResourceSpec } from './specs';

type RequestData = DeclarativeRestApiSettings.ResultOptions;

/** Routed requests give up after this long unless the user set Options > Timeout. */
export const ROUTED_TIMEOUT_MS = 120_000;

/** What the request path needs to know about the operation being run. */
export interface OperationInfo {
	spec: ResourceSpec;
	operation: string;
	/** the operation reads a list (Get Many, or a Custom API Call with Return All) */
	list: boolean;
	limit: number;
}

function readOperation(ctx: IExecutePaginationFunctions): OperationInfo {
	const resource = ctx.getNodeParameter('resource') as string;
	const operation = ctx.getNodeParameter('operation') as string;
	const specName = resource === 'lookup' ? (ctx.getNodeParameter('lookupType') as string) : resource;
	const list =
		operation === 'getAll' || (resource === 'customApiCall' && (ctx.getNodeParameter('returnAll', false) as boolean));
	const returnAll = operation === 'getAll' ? (ctx.getNodeParameter('returnAll', false) as boolean) : true;
	const limit = operation === 'getAll' && !returnAll ? Number(ctx.getNodeParameter('limit', 50)) : Infinity;
	// NaN (an expression that found nothing) would compare false everywhere and return everything
	if (!(limit >= 1)) {
		throw new NodeOperationError(ctx.getNode(), `Limit must be a number of 1 or more, got ${String(limit)}`, {
			itemIndex: ctx.getItemIndex(),
			description:
				'Set Limit to how many records to return (check that its expression gives a number), or turn on Return All.',
		});
	}
	return { spec: specFor(specName), operation, list, limit: Math.floor(limit) };
}

function recordIdOf(options: RequestData['options']): string | undefined {
	const segments = String(options.url ?? '')
		.split('?')[0]
		.split('/')
		.filter(Boolean);
	const id = segments.reverse().find((segment) => /^(\d+|[0-9a-f-]{36}|me)$/i.test(segment));
	if (id) return id;
	const body = options.body as IDataObject | IDataObject[] | undefined;
	const first = Array.isArray(body) ? body[0] : body;
	return first?.id !== undefined ? String(first.id) : undefined;
}

/** The routed body again: n8n splits an array answer into items, an object answer is one item. */
/** The answer was kept whole by keepWholeBody (list operations, Custom API Call). */
function isWhole(items: INodeExecutionData[]): boolean {
	const json = items.length === 1 ? (items[0].json as unknown) : undefined;
	return typeof json === 'object' && json !== null && WHOLE_BODY in json;
}

function bodyOf(items: INodeExecutionData[]): unknown {
	if (isWhole(items)) return items[0].json[WHOLE_BODY];
	return items.length === 1 && !Array.isArray(items[0].json) ? items[0].json : items.map((item) => item.json);
}

/** Halo's answer as n8n would output it: one item per array element, or one item. */
function itemsOf(body: unknown): INodeExecutionData[] {
	if (Array.isArray(body)) return body.map((json) => ({ json: json as IDataObject }));
	return body === undefined || body === null || body === '' ? [] : [{ json: body as IDataObject }];
}

/**
 * An update is Halo's POST with the record's id; an id Halo does not know may be refused (404)
 * or, on some setups, saved as a new record. The saved record must carry the id asked for.
 */
function checkUpdatedRecord(
	ctx: IExecutePaginationFunctions,
	requestData: RequestData,
	items: INodeExecutionData[],
	info: OperationInfo,
): void {
	const body = requestData.options.body as IDataObject[] | IDataObject | undefined;
	const asked = (Array.isArray(body) ? body[0] : body)?.id;
	const saved = items[0]?.json?.id;
	if (asked === undefined || saved === undefined || String(saved).toLowerCase() === String(asked).toLowerCase()) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`HaloPSA saved ${info.spec.label} ${saved} instead of updating ${info.spec.label} ${asked}`,
		{
			description: `${info.spec.label} ${asked} probably does not exist, and Halo created ${info.spec.label.toLowerCase()} ${saved} from the fields sent. Check both records in Halo; delete ${saved} if it is not wanted.`,
			itemIndex: ctx.getItemIndex(),
		},
	);
}

/** One routed request through the paced, retried, error-mapped transport; refuses non-JSON answers. */
export async function sendRouted(
	ctx: IExecutePaginationFunctions,
	requestData: RequestData,
	info: OperationInfo,
): Promise<INodeExecutionData[]> {
	const method = String(requestData.options.method ?? 'GET').toUpperCase();
	const failure = { spec: info.spec, method, id: recordIdOf(requestData.options), itemIndex: ctx.getItemIndex() };
	// a request Halo accepts and never answers must not hold the run (n8n's own default is 5 minutes)
	const timed = requestData.options.timeout
		? requestData
		: { ...requestData, options: { ...requestData.options, timeout: ROUTED_TIMEOUT_MS } };
	const items = await sendPaced(ctx, failure, async () => await ctx.makeRoutingRequest(timed));
	const whole = isWhole(items) ? items[0].json[WHOLE_BODY] : undefined;
	if (typeof whole === 'string' || items.some((item) => typeof item.json !== 'object' || item.json === null)) {
		throw new NodeApiError(ctx.getNode(), { message: 'not JSON' } as JsonObject, {
			message: 'HaloPSA answered with something that is not JSON',
			description: `${method} ${info.spec.path || String(requestData.options.url ?? '')} returned text Halo never sends to API clients (a proxy or login page?). Check the Resource Server URL in the credential.`,
			itemIndex: ctx.getItemIndex(),
		});
	}
	return items;
}

/**
 * Ticket Create and Ticket Action Add: the files named in Attach Binary Properties, if any, checked
 * before the record is created and read only when they are uploaded. "*" on an item without files
 * (an e-mail without attachments) creates the record alone.
 */
async function filesToAttach(ctx: IExecutePaginationFunctions, info: OperationInfo): Promise<AttachmentFile[]> {
	if (info.operation !== 'create' || !['ticket', 'ticketAction'].includes(info.spec.value)) return [];
	const names = binaryPropertyNames(ctx.getNodeParameter('attachBinaryProperties', ''));
	if (!names.length) return [];
	return await attachmentFiles(ctx, {
		names,
		maxMb: DEFAULT_MAX_FILE_MB,
		parameter: 'Attach Binary Properties',
		noneIsFine: true,
	});
}

/**
 * Uploads the files to the ticket or action just created (POST /Attachment). The record exists
 * whatever happens here, so a failure says so and must not lead to the record being created again.
 */
async function attachToCreated(
	ctx: IExecutePaginationFunctions,
	requestData: RequestData,
	info: OperationInfo,
	items: INodeExecutionData[],
	files: AttachmentFile[],
): Promise<INodeExecutionData[]> {
	const record = items[0]?.json ?? {};
	const isAction = info.spec.value === 'ticketAction';
	const target = isAction
		? { ticket_id: Number(record.ticket_id), action_id: Number(record.id) }
		: { ticket_id: Number(record.id) };
	const created = `${info.spec.label} ${String(record.id)}${isAction ? ` of ticket ${String(record.ticket_id)}` : ''}`;
	const attachmentSpec = specFor('attachment');
	try {
		const options = {
			...requestData.options,
			url: attachmentSpec.path,
			qs: {},
			body: files.map((f) => ({ ...f, ...target })),
		};
		const saved = bodyOf(
			await sendRouted(sendingFiles(ctx), { ...requestData, options }, { ...info, spec: attachmentSpec }),
		);
		const attachments = (Array.isArray(saved) ? saved : [saved]) as IDataObject[];
		return [{ ...items[0], json: { ...record, attachments } }, ...items.slice(1)];
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `${created} was created, but its files were not attached`, {
			description: `${(error as NodeApiError).description ?? (error as Error).message} Do not run this item again (that would create the ${info.spec.label.toLowerCase()} twice): upload the files with Attachment > Upload to ticket ${target.ticket_id}.`,
			itemIndex: ctx.getItemIndex(),
		});
	}
}

/**
 * The node's single request path, wired as `requestOperations.pagination`.
 *
 * Why there: declarative routing sends each item's request itself and offers exactly one
 * hook that may send requests, and send again: the pagination function, which the routing (the
 * node's own, shared/router.ts, as n8n's engine would) calls instead of sending when the
 * operation sets `send.paginate`. Every operation of this node sets
 * it, so this function is where pacing under Halo's rate limit, retries and error mapping
 * happen for every request, besides paging Get Many. postReceive could map errors but cannot
 * wait or resend; preSend runs before the request exists.
 */
export async function haloRequestPath(
	this: IExecutePaginationFunctions,
	requestData: RequestData,
): Promise<INodeExecutionData[]> {
	const info = readOperation(this);
	const items = await routed(this, requestData, info);
	return info.spec.secretFields?.length ? withoutSecrets(items, info.spec.secretFields) : items;
}

/** A webhook's password (and any other secret field) never reaches an output item. */
function withoutSecrets(items: INodeExecutionData[], fields: string[]): INodeExecutionData[] {
	return items.map((item) => {
		const json = { ...item.json };
		for (const field of fields) delete json[field];
		return { ...item, json };
	});
}

async function routed(
	ctx: IExecutePaginationFunctions,
	requestData: RequestData,
	info: OperationInfo,
): Promise<INodeExecutionData[]> {
	if (info.list) {
		const fetchPage = async (qs: IDataObject) => {
			const options = Object.keys(qs).length
				? { ...requestData.options, qs: { ...(requestData.options.qs ?? {}), ...qs } }
				: requestData.options;
			return bodyOf(await sendRouted(ctx, { ...requestData, options }, info));
		};
		const listKey = info.spec.value === 'customApiCall' ? 'auto' : undefined;
		try {
			const { rows } = await collectRows(fetchPage, info.spec, { limit: info.limit, listKey });
			return rows.map((json) => ({ json }));
		} catch (error) {
			if (!(error instanceof HaloListError)) throw error;
			throw new NodeOperationError(
				ctx.getNode(),
				`${error.message} (GET ${info.spec.path || requestData.options.url})`,
				{
					description: error.description,
					itemIndex: ctx.getItemIndex(),
				},
			);
		}
	}
	if (info.operation === 'upsertMany') {
		const chunkSize = Math.max(1, Number(ctx.getNodeParameter('chunkSize', 100)) || 100);
		return await joinChunk(ctx, info.spec, chunkSize, recordOf(requestData.options.body), async (records) => {
			const body = bodyOf(
				await sendRouted(ctx, { ...requestData, options: { ...requestData.options, body: records } }, info),
			);
			return (Array.isArray(body) ? body : [body]) as IDataObject[];
		});
	}
	// files for the new ticket or action are checked before anything is sent, and read when uploaded
	const files = await filesToAttach(ctx, info);
	const answer = await sendRouted(sendingFiles(ctx), requestData, info);
	// a Custom API Call without Return All outputs Halo's answer as n8n would
	const items = isWhole(answer) ? itemsOf(bodyOf(answer)) : answer;
	if (files.length) return await attachToCreated(ctx, requestData, info, items, files);
	if (info.operation === 'delete') {
		const id = recordIdOf(requestData.options);
		return [{ json: { id: info.spec.guidIds ? id : Number(id), deleted: true } }];
	}
	if (info.operation === 'update') checkUpdatedRecord(ctx, requestData, items, info);
	return items;
}
