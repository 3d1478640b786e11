import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { ResourceSpec } from './specs';

/** What we know about the request that failed, for the wording of the error. */
export interface FailureContext {
	spec: ResourceSpec;
	method: string;
	/** the record id the request was about, if any */
	id?: string | number;
	itemIndex?: number;
}

export interface HaloFailure {
	status?: number;
	/** Halo's own words, if it sent any */
	haloMessage?: string;
	/** connection error code such as ECONNREFUSED */
	code?: string;
}

const MESSAGE_KEYS = ['error_description', 'error', 'message', 'Message', 'errorMessage', 'title', 'detail'];

/** Pulls Halo's own message out of whatever body shape it sent (JSON string, object, text). */
export function haloMessageFrom(data: unknown): string | undefined {
	if (data === undefined || data === null || data === '') return undefined;
	if (typeof data === 'string') {
		const text = data.trim();
		if (text.startsWith('{') || text.startsWith('"') || text.startsWith('[')) {
			try {
				return haloMessageFrom(JSON.parse(text));
			} catch {
				// not JSON: fall through and use the text
			}
		}
		return text.startsWith('<') ? undefined : text.slice(0, 500);
	}
	if (Array.isArray(data)) {
		const parts = data.map(haloMessageFrom).filter(Boolean);
		return parts.length ? parts.join('; ') : undefined;
	}
	if (typeof data === 'object') {
		const record = data as Record<string, unknown>;
		for (const key of MESSAGE_KEYS) {
			const value = record[key];
			if (typeof value === 'string' && value) return value;
			if (value && typeof value === 'object') {
				const nested = haloMessageFrom(value);
				if (nested) return nested;
			}
		}
		// ASP.NET-style validation object: { "[0].id": ["..."] }
		const fieldErrors = Object.entries(record)
			.filter(([, v]) => Array.isArray(v) && v.every((x) => typeof x === 'string'))
			.map(([k, v]) => `${k}: ${(v as string[]).join(', ')}`);
		if (fieldErrors.length) return fieldErrors.join('; ');
	}
	return undefined;
}

/** Reads status, Halo message and connection code from an error thrown by n8n's request helpers. */
export function readFailure(error: any): HaloFailure {
	const response = error?.cause?.response ?? error?.response ?? error?.cause?.cause?.response;
	const status = Number(response?.status ?? error?.httpCode ?? error?.statusCode ?? error?.cause?.status) || undefined;
	const haloMessage = haloMessageFrom(response?.data ?? error?.context?.data ?? error?.error);
	const code = [error?.cause?.code, error?.code, error?.cause?.cause?.code].find(
		(c) => typeof c === 'string' && /^E[A-Z]+/.test(c),
	);
	return { status, haloMessage, code };
}

const fieldPattern = /\b([a-z][a-z0-9]*_[a-z0-9_]+|summary|name|outcome|note|url)\b/i;

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * n8n sends all items of a run at once: when one write fails, others may already be saved.
 * Every write error says so, so nobody reruns the node blind.
 */
export const OTHER_ITEMS_NOTE =
	' Other items of this run were sent at the same time and may already have been saved: check before running the node again.';

/** Words for a failure: what went wrong and what to do about it. */
export function describeFailure(failure: HaloFailure, ctx: FailureContext): { message: string; description: string } {
	const words = describeFailureOnly(failure, ctx);
	// a report run is a POST that writes nothing
	const reads = ctx.method.toUpperCase() === 'GET' || ctx.spec.area === 'reporting';
	return reads ? words : { ...words, description: words.description + OTHER_ITEMS_NOTE };
}

function describeFailureOnly(failure: HaloFailure, ctx: FailureContext): { message: string; description: string } {
	const { spec, method, id } = ctx;
	const record = id !== undefined && id !== '' ? `${spec.label} ${id}` : spec.label;
	const halo = failure.haloMessage ? ` Halo said: "${failure.haloMessage}".` : '';
	const writing = method !== 'GET';
	const permission = spec.area === 'admin' ? 'admin' : `${writing ? 'edit' : 'read'}:${spec.area}`;
	switch (failure.status) {
		case 400: {
			const field = failure.haloMessage?.match(fieldPattern)?.[1];
			return {
				message: `HaloPSA refused the ${spec.label.toLowerCase()} request (400)${failure.haloMessage ? `: ${failure.haloMessage}` : ''}`,
				description: `Check ${field ? `the field "${field}"` : 'the fields you set'} (ids must exist in Halo; required fields must be filled).${halo}`,
			};
		}
		case 401:
			return {
				message: 'HaloPSA rejected the access token (401)',
				description: `n8n fetched a new token and retried once, and Halo still refused it. Check the credential: the Resource Server URL must belong to the same Halo as the Authorisation Server URL, and the API application must be active.${halo}`,
			};
		case 403:
			return {
				message: `HaloPSA denied access to ${spec.plural.toLowerCase()} (403): permission "${permission}" is missing`,
				description: `Give the Halo API application the "${permission}" permission (Configuration > Integrations > Halo API > View Applications > Permissions) and request a scope that includes it (e.g. "all"). The agent the application logs in as must also be allowed to ${writing ? 'edit' : 'see'} ${spec.plural.toLowerCase()}.${halo}`,
			};
		case 404:
			return {
				message: `${record} was not found in HaloPSA (404)`,
				description: `Check the ID. The record may have been deleted, or the API agent cannot see it (team, department or client restrictions).${halo}`,
			};
		case 429:
			return {
				message: 'HaloPSA rate limit reached (429)',
				description: `Halo allows about 300 requests per rolling 5 minutes per tenant (it says its own limit in the answer). The node kept to it, waited and retried, and Halo still refused: other integrations may be using the same tenant. Set the credential's Rate Limit to Custom with a lower number, or split the run.${halo}`,
			};
		default:
			break;
	}
	if (failure.status && failure.status >= 500) {
		return {
			message: `HaloPSA had a server error (${failure.status})${failure.haloMessage ? `: ${failure.haloMessage}` : ''}`,
			description: writing
				? `The ${spec.label.toLowerCase()} may or may not have been saved: check Halo before running again.${halo}`
				: `The node retried the read and Halo kept failing. Try again later.${halo}`,
		};
	}
	if (failure.status) {
		return {
			message: `HaloPSA answered HTTP ${failure.status}${failure.haloMessage ? `: ${failure.haloMessage}` : ''}`,
			description: `Request: ${method} ${spec.path}.${halo}`,
		};
	}
	if (failure.code && TIMEOUT_CODES.has(failure.code)) {
		return {
			message: 'HaloPSA did not answer in time',
			description: writing
				? `Halo accepted the request and did not answer: the ${spec.label.toLowerCase()} may or may not have been saved, so the node did not send it again. Check Halo before running again.`
				: 'The node asked again and Halo still did not answer. Check that Halo is up; Options > Timeout sets how long to wait.',
		};
	}
	return {
		message: `Could not reach HaloPSA${failure.code ? ` (${failure.code})` : ''}`,
		description: writing
			? `The ${spec.label.toLowerCase()} may or may not have been saved: check Halo before running again. Check the Resource Server URL in the credential and that n8n can reach it.`
			: 'Check the Resource Server URL in the credential and that n8n can reach it (firewall, IP allow-list on the Halo API application).',
	};
}

/**
 * The credential's own failure (token request refused, bad URL or tenant) if n8n wrapped one
 * into this error while refreshing the token: its words already say what to fix.
 */
export function credentialFailureIn(error: any): { message: string; description: string; status?: number } | undefined {
	for (let current = error, depth = 0; current && depth < 4; current = current.cause, depth++) {
		if (current.name === 'HaloCredentialError' && typeof current.description === 'string') {
			return {
				message: String(current.message),
				description: current.description,
				status: current.tokenEndpointStatus,
			};
		}
	}
	return undefined;
}

/** Any error code a network or TLS failure carries (ECONNREFUSED, CERT_HAS_EXPIRED ...). */
function transportCode(error: any): string | undefined {
	for (let current = error, depth = 0; current && depth < 4; current = current.cause, depth++)
		if (typeof current.code === 'string' && current.code) return current.code;
	return undefined;
}

/**
 * An error raised after Halo answered (a report's load_error in a 200, an answer without its
 * rows, a file n8n could not store): no HTTP status and no network code. Its own words say what
 * happened; it is not a failure to reach Halo, and nothing is in doubt about what was saved.
 */
export function raisedAfterAnswer(error: any): boolean {
	if (!(error instanceof Error) || credentialFailureIn(error)) return false;
	return readFailure(error).status === undefined && transportCode(error) === undefined;
}

/** An error raised after Halo answered, as the user sees it: in its own words. */
export function afterAnswerError(node: INode, error: Error, itemIndex?: number): Error {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	return new NodeOperationError(node, error.message, { itemIndex });
}

/** Builds the NodeApiError users see; it never carries request headers (no token). */
export function haloApiError(node: INode, error: any, ctx: FailureContext): NodeApiError {
	const credentialFailure = credentialFailureIn(error);
	const failure: HaloFailure = credentialFailure ? { status: credentialFailure.status } : readFailure(error);
	const { message, description } = credentialFailure ?? describeFailure(failure, ctx);
	const body: JsonObject = { message, status: failure.status ?? null };
	if (failure.haloMessage) body.haloMessage = failure.haloMessage;
	return new NodeApiError(node, body, {
		message,
		description,
		httpCode: failure.status ? String(failure.status) : undefined,
		itemIndex: ctx.itemIndex,
	});
}
