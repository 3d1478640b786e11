import { sleep } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHookFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
} from 'n8n-workflow';

import {
	acquireSlot,
	backoffMs,
	currentPace,
	learnFromRateLimit,
	pacingOf,
	retrying,
	type Pacing,
} from '../../credentials/HaloPsaPacing';
import { buildHaloUrls, HALO_CREDENTIAL_TYPE } from '../../credentials/HaloPsaToken';
import {
	afterAnswerError,
	credentialFailureIn,
	haloApiError,
	raisedAfterAnswer,
	readFailure,
	type FailureContext,
} from './shared/errors';
import { collectRows, type PageOptions } from './shared/paging';
import type { ResourceSpec } from './shared/specs';

/**
 * How every request to Halo is sent, routed or not: paced in the credential's rate window,
 * retried on 429 (any method: Halo rejected it unprocessed) and, for reads only, on 5xx and
 * connection errors (a write that failed that way may have been saved: never resent), and
 * turned into a NodeApiError that names the record, the Halo permission or field, and what to do.
 */
const READ_RETRIES = 3;
const RATE_LIMIT_RETRIES = 8;
/** Dropdowns, list searches and the trigger's requests give up after this long. */
export const UNROUTED_TIMEOUT_MS = 30_000;

interface PacedContext {
	getCredentials(type: string): Promise<ICredentialDataDecryptedObject>;
	getNode(): INode;
	getExecutionId?(): string;
}

/**
 * The credential's pacing, read once per execution and node: n8n decrypts a credential on every
 * read, and a run of many items would read it once per item.
 */
const pacingByRun = new Map<string, Promise<Pacing>>();
const PACING_CACHE_SIZE = 200;

async function pacingFor(ctx: PacedContext): Promise<Pacing> {
	const executionId = ctx.getExecutionId?.();
	const read = async () => pacingOf(await ctx.getCredentials(HALO_CREDENTIAL_TYPE));
	if (!executionId) return await read();
	const key = `${executionId}\u0000${ctx.getNode().name}`;
	let pacing = pacingByRun.get(key);
	if (!pacing) {
		if (pacingByRun.size >= PACING_CACHE_SIZE) pacingByRun.delete(pacingByRun.keys().next().value as string);
		pacing = read();
		pacingByRun.set(key, pacing);
		pacing.catch(() => pacingByRun.delete(key));
	}
	return await pacing;
}

/**
 * `wait` is how this waits (back-off and room in the window), `now` its clock: both are
 * Node's unless a test gives a fake clock.
 */
export async function sendPaced<T>(
	ctx: PacedContext,
	failure: FailureContext,
	send: () => Promise<T>,
	wait: (ms: number) => Promise<void> = sleep,
	now: () => number = Date.now,
): Promise<T> {
	const method = failure.method.toUpperCase();
	const pacing = await pacingFor(ctx);
	let rateLimited = 0;
	let failedReads = 0;
	try {
		return await retrying(
			async () => {
				const settle = await acquireSlot(pacing.key, () => currentPace(pacing, now), now, wait);
				let refused = false;
				try {
					return await send();
				} catch (error) {
					refused = readFailure(error).status === 429;
					throw error;
				} finally {
					settle(refused);
				}
			},
			(error) => {
				// a token failure was already retried by the credential; its words say what to fix
				if (credentialFailureIn(error)) return undefined;
				const { status, code, haloMessage } = readFailure(error);
				// every 429 tells the pacer (its burst, the limit Halo states, if any), even the last one retried
				if (status === 429) learnFromRateLimit(pacing, haloMessage, now);
				if (status === 429 && rateLimited < RATE_LIMIT_RETRIES) {
					rateLimited++;
					return backoffMs(rateLimited + 1);
				}
				const transient = status === undefined ? !!code : status >= 500;
				if (method === 'GET' && transient && failedReads < READ_RETRIES) {
					failedReads++;
					return backoffMs(failedReads + 1, 500);
				}
				return undefined;
			},
			wait,
		);
	} catch (error) {
		// a report's load_error, an answer without rows: Halo answered, and the error says what it said
		if (raisedAfterAnswer(error)) throw afterAnswerError(ctx.getNode(), error as Error, failure.itemIndex);
		throw haloApiError(ctx.getNode(), error, failure);
	}
}

/**
 * A request outside declarative routing (dropdowns, list search, the trigger's registration),
 * through the same paced, retried, error-mapped path as the node's operations.
 */
export async function haloRequest(
	this: ILoadOptionsFunctions | IHookFunctions | IPollFunctions,
	spec: ResourceSpec,
	qs: IDataObject = {},
	method: IHttpRequestMethods = 'GET',
	options: HaloRequestOptions = {},
): Promise<any> {
	const { apiUrl } = buildHaloUrls(await this.getCredentials(HALO_CREDENTIAL_TYPE));
	const path = options.id === undefined ? spec.path : `${spec.path}/${encodeURIComponent(String(options.id))}`;
	const { onHeaders } = options;
	return await sendPaced(this, { spec, method, id: options.id }, async () => {
		const answer = await this.helpers.httpRequestWithAuthentication.call(this, HALO_CREDENTIAL_TYPE, {
			method,
			url: `${apiUrl}${path}`,
			qs,
			body: options.body as IDataObject,
			json: true,
			timeout: UNROUTED_TIMEOUT_MS,
			returnFullResponse: !!onHeaders,
		});
		if (!onHeaders) return answer;
		onHeaders((answer?.headers ?? {}) as IDataObject);
		return answer?.body;
	});
}

export interface HaloRequestOptions {
	id?: string | number;
	body?: unknown;
	/** is given the answer's headers (the poll trigger reads Halo's clock from `date`) */
	onHeaders?: (headers: IDataObject) => void;
}

/** Halo's own time when it answered: its Date header (whole seconds), if it sent one. */
export function haloClockOf(headers: IDataObject): number | undefined {
	const ms = Date.parse(String(headers.date ?? ''));
	return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A list outside declarative routing (dropdowns, list searches, the poll trigger): pages of
 * `haloRequest` read by the node's one page loop.
 */
export async function haloList(
	this: ILoadOptionsFunctions | IHookFunctions | IPollFunctions,
	spec: ResourceSpec,
	qs: IDataObject,
	options: PageOptions,
	onHeaders?: HaloRequestOptions['onHeaders'],
): Promise<{ rows: IDataObject[]; nextPage?: number }> {
	return await collectRows(
		async (page) => await haloRequest.call(this, spec, { ...qs, ...page }, 'GET', { onHeaders }),
		spec,
		options,
	);
}
