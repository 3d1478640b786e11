import { NodeApiError, sleep } from 'n8n-workflow';
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';

import { acquireSlot, markWindowFull, paceFor } from '../../../credentials/HaloPsaPacing';
import { credentialFailureIn, haloApiError, readFailure, type HaloFailure } from './errors';
import { specFor, type ResourceSpec } from './specs';

/** Halo never returns more than this many rows per page, whatever page_size says. */
export const HALO_PAGE_CAP = 100;

const READ_RETRIES = 3;
const RATE_LIMIT_RETRIES = 8;
const MAX_BACKOFF_MS = 60_000;

type RequestData = DeclarativeRestApiSettings.ResultOptions;

/** What the runner needs to know about the operation being run. */
export interface OperationInfo {
	spec: ResourceSpec;
	operation: string;
	returnAll: boolean;
	limit: number;
}

function readOperation(ctx: IExecutePaginationFunctions): OperationInfo {
	const resource = ctx.getNodeParameter('resource') as string;
	const operation = ctx.getNodeParameter('operation') as string;
	const specName = resource === 'lookup' ? (ctx.getNodeParameter('lookupType') as string) : resource;
	const returnAll = operation === 'getAll' ? (ctx.getNodeParameter('returnAll', false) as boolean) : true;
	const limit = operation === 'getAll' && !returnAll ? Number(ctx.getNodeParameter('limit', 50)) : Infinity;
	return { spec: specFor(specName), operation, returnAll, limit };
}

function recordIdOf(options: RequestData['options']): string | undefined {
	const url = String(options.url ?? '');
	const last = url.split('?')[0].split('/').filter(Boolean).pop();
	if (last && /^(\d+|[0-9a-f-]{36}|me)$/i.test(last)) return last;
	const body = options.body as IDataObject | IDataObject[] | undefined;
	const first = Array.isArray(body) ? body[0] : body;
	return first?.id !== undefined ? String(first.id) : undefined;
}

/**
 * Sends one routed request: paced under the rate limit, retried on 429 (any method: Halo
 * rejected it unprocessed) and, for reads only, on 5xx and connection errors. Failures become a
 * NodeApiError that names the record, the Halo permission or field, and what to do.
 */
export async function sendRouted(
	ctx: IExecutePaginationFunctions,
	requestData: RequestData,
	info: OperationInfo,
): Promise<INodeExecutionData[]> {
	const method = String(requestData.options.method ?? 'GET').toUpperCase();
	const { key, pace } = paceFor(await ctx.getCredentials('haloPsaClientCredentialsApi'));
	let rateLimited = 0;
	let failedReads = 0;
	for (;;) {
		const settle = await acquireSlot(key, pace);
		let items: INodeExecutionData[];
		try {
			items = await ctx.makeRoutingRequest(requestData);
		} catch (error) {
			settle();
			// a token failure was already retried by the credential; its words say what to fix
			const failure: HaloFailure = credentialFailureIn(error) ? {} : readFailure(error);
			if (failure.status === 429 && rateLimited < RATE_LIMIT_RETRIES) {
				rateLimited++;
				markWindowFull(key, pace);
				await sleep(Math.min(1000 * 2 ** rateLimited, MAX_BACKOFF_MS));
				continue;
			}
			const transient = failure.status === undefined ? !!failure.code : failure.status >= 500;
			if (method === 'GET' && transient && failedReads < READ_RETRIES) {
				failedReads++;
				await sleep(500 * 2 ** failedReads);
				continue;
			}
			throw haloApiError(ctx.getNode(), error, {
				spec: info.spec,
				method,
				id: recordIdOf(requestData.options),
				itemIndex: ctx.getItemIndex(),
			});
		}
		settle();
		if (items.some((item) => typeof item.json !== 'object' || item.json === null)) {
			throw new NodeApiError(ctx.getNode(), { message: 'not JSON' } as JsonObject, {
				message: 'HaloPSA answered with something that is not JSON',
				description: `${method} ${info.spec.path} returned text Halo never sends to API clients (a proxy or login page?). Check the Resource Server URL in the credential.`,
				itemIndex: ctx.getItemIndex(),
			});
		}
		return items;
	}
}

/** Rows of a list response: Halo sends either a bare array or `{record_count, <listKey>: [...]}`. */
export function unwrapRows(items: INodeExecutionData[], listKey?: string): { rows: IDataObject[]; recordCount?: number } {
	if (items.length === 1 && !Array.isArray(items[0].json)) {
		const body = items[0].json;
		const key = listKey && Array.isArray(body[listKey]) ? listKey : undefined;
		if (key) {
			const count = Number(body.record_count);
			return { rows: body[key] as IDataObject[], recordCount: Number.isFinite(count) ? count : undefined };
		}
		if (Object.keys(body).length === 0) return { rows: [] };
	}
	return { rows: items.map((item) => item.json) };
}

function toItems(rows: IDataObject[]): INodeExecutionData[] {
	return rows.map((json) => ({ json }));
}

async function getPaged(ctx: IExecutePaginationFunctions, requestData: RequestData, info: OperationInfo) {
	const pageSize = info.returnAll ? HALO_PAGE_CAP : Math.max(1, Math.min(HALO_PAGE_CAP, info.limit));
	const collected: IDataObject[] = [];
	for (let page = 1; ; page++) {
		const options = {
			...requestData.options,
			qs: { ...(requestData.options.qs ?? {}), pageinate: true, page_size: pageSize, page_no: page },
		};
		const items = await sendRouted(ctx, { ...requestData, options }, info);
		const { rows, recordCount } = unwrapRows(items, info.spec.listKey);
		collected.push(...rows);
		if (collected.length >= info.limit) return collected.slice(0, info.limit);
		// Stop on what Halo actually sent: a short or empty page is the last one.
		if (rows.length < pageSize) break;
		if (recordCount !== undefined && collected.length >= recordCount) break;
	}
	return collected;
}

/**
 * The node's single request path (wired as `requestOperations.pagination`, with
 * `send.paginate: true` on every operation): paging for Get Many, retries and error
 * mapping for everything.
 */
export async function runHaloRequest(
	this: IExecutePaginationFunctions,
	requestData: RequestData,
): Promise<INodeExecutionData[]> {
	const info = readOperation(this);
	if (info.operation === 'getAll') {
		if (info.spec.paged) return toItems(await getPaged(this, requestData, info));
		const { rows } = unwrapRows(await sendRouted(this, requestData, info), info.spec.listKey);
		return toItems(rows.slice(0, info.limit));
	}
	const items = await sendRouted(this, requestData, info);
	if (info.operation === 'delete') {
		const id = recordIdOf(requestData.options);
		return [{ json: { id: info.spec.guidIds ? id : Number(id), deleted: true } }];
	}
	return items;
}
