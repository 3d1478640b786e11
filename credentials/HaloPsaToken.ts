import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { backoffMs, paceFor, recordRequest, retrying } from './HaloPsaPacing';

/**
 * Everything the HaloPSA credential needs to get a client-credentials token:
 * URL building and validation, the token request, error wording, and the process-wide
 * token cache that stops concurrent items from each fetching their own token.
 */

/** The credential type's name, used by the nodes, the transport and the tests (n8n names credential types globally). */
export const HALO_CREDENTIAL_TYPE = 'haloPsaClientCredentialsApi';

/**
 * The Resource Server URL of a credential, trimmed, without trailing slashes and unvalidated:
 * the one rule for where Halo's API lives. `buildHaloUrls` validates it; the pacer keys its
 * window on it; `haloApiBaseUrlExpression` is the same rule as an n8n expression (declarative
 * routing needs an expression), and a unit test holds the two together.
 */
export function resourceServerUrl(credentials: ICredentialDataDecryptedObject): string {
	const trim = (value: unknown) =>
		String(value ?? '')
			.trim()
			.replace(/\/+$/, '');
	return credentials.urlMode === 'separate'
		? trim(credentials.resourceApiUrl)
		: trim(`${trim(credentials.haloUrl)}/api`);
}

/** `resourceServerUrl` as an n8n expression over `$credentials` (requestDefaults.baseURL). */
export const haloApiBaseUrlExpression =
	"={{ ($credentials.urlMode === 'separate' ? String($credentials.resourceApiUrl || '') : String($credentials.haloUrl || '').trim().replace(/\\/+$/, '') + '/api').trim().replace(/\\/+$/, '') }}";

/** Refresh this long before Halo's `expires_in` runs out. */
const EXPIRY_MARGIN_MS = 60_000;

/** Token answers worth asking again for (rate limit, Halo restarting); 9 tries cover a 5-minute window. */
const RETRY_TOKEN_STATUSES = new Set([429, 502, 503, 504]);
const TOKEN_RETRIES = 8;
/** A token endpoint that does not answer within this long is given up on (and asked once more). */
export const TOKEN_TIMEOUT_MS = 15_000;
const TOKEN_TIMEOUT_RETRIES = 1;

const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class HaloCredentialError extends Error {
	description: string;

	/**
	 * HTTP status of the token endpoint's answer, if it answered. Not named `status`: n8n's
	 * NodeApiError reads that key and would replace this message with a generic one.
	 */
	tokenEndpointStatus?: number;

	/** the token endpoint did not answer in time (worth asking once more) */
	timedOut?: boolean;

	constructor(message: string, description: string, tokenEndpointStatus?: number) {
		super(message);
		this.name = 'HaloCredentialError';
		this.description = description;
		this.tokenEndpointStatus = tokenEndpointStatus;
	}
}

export interface HaloUrls {
	/** Authorisation Server, no trailing slash */
	authUrl: string;
	/** Resource Server, no trailing slash */
	apiUrl: string;
	/** Token endpoint including `?tenant=` when hosted */
	tokenUrl: string;
	tenant: string;
}

const API_DETAILS_HINT = 'Halo shows these values under Configuration > Integrations > Halo API > API Details.';

/** Hosts that are this machine: a plain http:// address there never crosses a network (an SSH tunnel, a test emulator). */
function isLoopback(hostname: string): boolean {
	return /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(hostname);
}

/**
 * Whether a token may be sent to this URL: Halo hosted by Halo answers only on https://, so an
 * http:// address would carry the Client Secret and every token unencrypted to wherever it points.
 * On-premise Halo may run without TLS; the machine itself (loopback) is never a network.
 */
export function isPlainHttpForHosted(credentials: ICredentialDataDecryptedObject, url: string): boolean {
	if (credentials.hostingType === 'onPremise') return false;
	try {
		const parsed = new URL(url);
		return parsed.protocol === 'http:' && !isLoopback(parsed.hostname);
	} catch {
		return false;
	}
}

function plainHttpError(fieldName: string, text: string): HaloCredentialError {
	return new HaloCredentialError(
		`The ${fieldName} must start with https:// for Halo hosted by Halo`,
		`"${text}" starts with http://, which would send the Client Secret and every token unencrypted. Hosted Halo answers on https:// (e.g. https://yourcompany.halopsa.com). For a Halo on your own server without TLS, set Hosting Type to On-Premise.`,
	);
}

function checkUrl(value: unknown, fieldName: string, hosted: boolean): string {
	const text = String(value ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!text) {
		throw new HaloCredentialError(`The ${fieldName} is empty`, `Enter the ${fieldName}. ${API_DETAILS_HINT}`);
	}
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		throw new HaloCredentialError(
			`The ${fieldName} "${text}" is not a valid URL`,
			`Enter a full address starting with https:// (for example https://yourcompany.halopsa.com). ${API_DETAILS_HINT}`,
		);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new HaloCredentialError(
			`The ${fieldName} must start with https://${hosted ? '' : ' or http://'}`,
			`"${text}" uses ${parsed.protocol}. ${API_DETAILS_HINT}`,
		);
	}
	if (parsed.search || parsed.hash || parsed.username || parsed.password) {
		throw new HaloCredentialError(
			`The ${fieldName} must not contain a query string, fragment or user name`,
			`Remove everything after "?" or "#" and any "user@" part. ${API_DETAILS_HINT}`,
		);
	}
	if (hosted && parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) throw plainHttpError(fieldName, text);
	return text;
}

/** Builds and validates the Authorisation Server, Resource Server and token URLs. */
export function buildHaloUrls(credentials: ICredentialDataDecryptedObject): HaloUrls {
	let authUrl: string;
	let apiUrl: string;
	const hosted = credentials.hostingType !== 'onPremise';
	if (credentials.urlMode === 'separate') {
		authUrl = checkUrl(credentials.authUrl, 'Authorisation Server URL', hosted);
		apiUrl = checkUrl(credentials.resourceApiUrl, 'Resource Server URL', hosted);
	} else {
		const base = checkUrl(credentials.haloUrl, 'Halo URL', hosted);
		if (/\/(auth|api)$/i.test(base)) {
			throw new HaloCredentialError(
				'The Halo URL must not end in /auth or /api',
				'Enter only the web address of your Halo (e.g. https://yourcompany.halopsa.com); /auth and /api are added automatically. To enter both servers yourself, set URL Setup to "Authorisation and Resource Server URLs".',
			);
		}
		authUrl = `${base}/auth`;
		apiUrl = `${base}/api`;
	}
	let tenant = '';
	if (credentials.hostingType !== 'onPremise') {
		tenant = String(credentials.tenant ?? '').trim();
		if (tenant && !TENANT_PATTERN.test(tenant)) {
			throw new HaloCredentialError(
				'The Tenant contains characters Halo tenants never have',
				'A tenant is made of letters, digits, ".", "-" and "_" (e.g. "yourcompany"). Copy it from Configuration > Integrations > Halo API > API Details, without spaces, "/", "?", "&" or "#".',
			);
		}
	}
	const tokenUrl = tenant ? `${authUrl}/token?tenant=${encodeURIComponent(tenant)}` : `${authUrl}/token`;
	return { authUrl, apiUrl, tokenUrl, tenant };
}

type HttpRequest = (options: IHttpRequestOptions) => Promise<any>;

interface CacheEntry {
	token?: string;
	expiresAt?: number;
	pending?: Promise<string>;
}

const tokenCache = new Map<string, CacheEntry>();

function cacheKey(urls: HaloUrls, credentials: ICredentialDataDecryptedObject): string {
	const secretHash = createHash('sha256')
		.update(String(credentials.clientSecret ?? ''))
		.digest('hex');
	return [urls.tokenUrl, credentials.clientId, credentials.scope, secretHash].join('\n');
}

/** Forget every cached token (tests). */
export function clearTokenCache(): void {
	tokenCache.clear();
}

/**
 * Returns a token for these credentials. Reuses the cached token unless it is the one the
 * caller holds already (Halo rejected it), it is about to expire, or the caller asks for a new
 * one (`fresh`: the credential's Test); concurrent callers share one request.
 */
export async function fetchToken(
	httpRequest: HttpRequest,
	credentials: ICredentialDataDecryptedObject,
	now: () => number = Date.now,
	wait: (ms: number) => Promise<void> = sleep,
	{ fresh = false }: { fresh?: boolean } = {},
): Promise<string> {
	const urls = buildHaloUrls(credentials);
	const clientId = String(credentials.clientId ?? '').trim();
	if (!clientId || !String(credentials.clientSecret ?? '')) {
		throw new HaloCredentialError(
			'The Client ID or Client Secret is empty',
			'Create an application in Halo (Configuration > Integrations > Halo API > View Applications > New, Authentication Method "Client ID and Secret (Services)") and copy both values.',
		);
	}
	const key = cacheKey(urls, credentials);
	const entry = tokenCache.get(key);
	if (entry?.pending) return await entry.pending;
	const held = String(credentials.accessToken ?? '');
	if (!fresh && entry?.token && entry.token !== held && (entry.expiresAt ?? 0) - EXPIRY_MARGIN_MS > now()) {
		return entry.token;
	}
	const next: CacheEntry = {};
	next.pending = requestTokenPatiently(httpRequest, urls, credentials, clientId, wait).then(
		({ token, expiresIn }) => {
			tokenCache.set(key, { token, expiresAt: now() + expiresIn * 1000 });
			return token;
		},
		(error) => {
			if (tokenCache.get(key) === next) tokenCache.delete(key);
			throw error;
		},
	);
	tokenCache.set(key, next);
	return await next.pending;
}

/** n8n's request helper in a credential test (request-promise options; the only one n8n gives a test function). */
export type LegacyRequest = (options: IDataObject) => Promise<any>;

/** What a credential test tells n8n's editor. */
export interface HaloCredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * n8n's "Allowed HTTP Request Domains" (n8n 2.x adds it to the credential). With Specific Domains,
 * n8n keeps the token request and its HTTP Request node to those hosts; the node's own requests
 * (authenticate) and the Test, which n8n does not check, keep to the same rule here
 * (`*.example.com`: subdomains only). `field` names what points at the URL.
 */
export function checkAllowedDomain(credentials: ICredentialDataDecryptedObject, url: string, field: string): void {
	if (credentials.allowedHttpRequestDomains !== 'domains') return;
	let host: string;
	try {
		host = new URL(url).hostname.toLowerCase();
	} catch {
		host = url;
	}
	const allowed = String(credentials.allowedDomains ?? '')
		.split(',')
		.map((domain) => domain.trim().toLowerCase().replace(/\.$/, ''))
		.filter(Boolean);
	const matches = (domain: string) =>
		domain.startsWith('*.') ? domain.length > 2 && host.endsWith(domain.slice(1)) : host === domain;
	if (allowed.some(matches)) return;
	throw new HaloCredentialError(
		`${host} is not in the credential's Allowed Domains (the ${field})`,
		allowed.length
			? `Allowed HTTP Request Domains is set to Specific Domains (${allowed.join(', ')}): add ${host}, or correct the ${field}.`
			: 'Allowed HTTP Request Domains is set to Specific Domains, but no domain is listed: add your Halo host (e.g. yourcompany.halopsa.com).',
	);
}

/** A failure in the words the editor shows: what happened, then what to do. Never the secret. */
function testFailure(error: unknown): HaloCredentialTestResult {
	const failure = error as HaloCredentialError;
	const message = failure?.description
		? `${failure.message}. ${failure.description}`
		: String(failure?.message ?? error);
	return { status: 'Error', message };
}

/**
 * The credential's Test button: asks Halo for a new token (never one cached from earlier runs, so
 * the test proves the Client ID and Secret as Halo sees them now) and calls GET /api/Agent/me with
 * it, which proves the Resource Server URL and the token belong together.
 */
export async function testHaloCredential(
	request: LegacyRequest,
	credentials: ICredentialDataDecryptedObject,
	wait: (ms: number) => Promise<void> = sleep,
): Promise<HaloCredentialTestResult> {
	const httpRequest: HttpRequest = async (options) =>
		await request({
			method: options.method,
			uri: options.url,
			headers: options.headers,
			body: options.body,
			json: options.json ?? false,
			timeout: options.timeout,
		});
	let token: string;
	let apiUrl: string;
	try {
		const urls = buildHaloUrls(credentials);
		apiUrl = urls.apiUrl;
		for (const [url, field] of [
			[urls.tokenUrl, 'Authorisation Server URL'],
			[urls.apiUrl, 'Resource Server URL'],
		])
			checkAllowedDomain(credentials, url, field);
		token = await fetchToken(httpRequest, credentials, Date.now, wait, { fresh: true });
	} catch (error) {
		return testFailure(error);
	}
	const endpoint = `${apiUrl}/Agent/me`;
	try {
		await request({
			method: 'GET',
			uri: endpoint,
			headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
			json: true,
			timeout: TOKEN_TIMEOUT_MS,
		});
	} catch (error) {
		const status = statusOf(error);
		const words: Record<number, string> = {
			401: 'Halo issued a token but rejected it on the Resource Server URL. Check that the Resource Server URL belongs to the same Halo as the Authorisation Server URL.',
			403: 'The token works, but the API application or its agent may not read its own agent record. Check the application permissions in Halo.',
			404: 'The Resource Server URL does not answer like a Halo API. It usually ends in /api (e.g. https://yourcompany.halopsa.com/api).',
		};
		if (status && words[status]) return { status: 'Error', message: words[status] };
		return {
			status: 'Error',
			message: status
				? `Halo issued a token, but GET ${endpoint} answered HTTP ${status}. Check the Resource Server URL. ${API_DETAILS_HINT}`
				: `Halo issued a token, but the Resource Server at ${endpoint} did not answer. Check the Resource Server URL and that n8n can reach it.`,
		};
	}
	return { status: 'OK', message: 'Halo issued a new token and answered GET /api/Agent/me with it' };
}

function formEncode(fields: Record<string, string>): string {
	return Object.entries(fields)
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
}

function statusOf(error: any): number | undefined {
	return Number(error?.response?.status ?? error?.httpCode ?? error?.statusCode) || undefined;
}

/** The token request, counted in the credential's rate window and retried while Halo says "later". */
async function requestTokenPatiently(
	httpRequest: HttpRequest,
	urls: HaloUrls,
	credentials: ICredentialDataDecryptedObject,
	clientId: string,
	wait: (ms: number) => Promise<void>,
): Promise<{ token: string; expiresIn: number }> {
	let timeouts = 0;
	return await retrying(
		async () => {
			const { key, pace } = paceFor(credentials);
			const settle = recordRequest(key, pace);
			try {
				return await requestToken(httpRequest, urls, credentials, clientId);
			} finally {
				settle();
			}
		},
		(error, retries) => {
			const failure = error as HaloCredentialError;
			if (failure.timedOut) return timeouts++ < TOKEN_TIMEOUT_RETRIES ? backoffMs(1) : undefined;
			const status = failure.tokenEndpointStatus;
			return status !== undefined && RETRY_TOKEN_STATUSES.has(status) && retries < TOKEN_RETRIES
				? backoffMs(retries + 2)
				: undefined;
		},
		wait,
	);
}

async function requestToken(
	httpRequest: HttpRequest,
	urls: HaloUrls,
	credentials: ICredentialDataDecryptedObject,
	clientId: string,
): Promise<{ token: string; expiresIn: number }> {
	const scope = String(credentials.scope ?? '').trim() || 'all';
	let response: any;
	try {
		response = await httpRequest({
			method: 'POST',
			url: urls.tokenUrl,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: formEncode({
				grant_type: 'client_credentials',
				client_id: clientId,
				client_secret: String(credentials.clientSecret),
				scope,
			}),
			json: false,
			returnFullResponse: false,
			timeout: TOKEN_TIMEOUT_MS,
		});
	} catch (error) {
		throw describeTokenFailure(error, urls, scope);
	}
	const body = typeof response === 'string' ? safeParse(response) : response;
	const token = body && typeof body === 'object' ? (body as Record<string, unknown>).access_token : undefined;
	if (typeof token !== 'string' || !token) {
		throw new HaloCredentialError(
			'The Authorisation Server answered without an access token',
			`${urls.tokenUrl.split('?')[0]} did not answer like Halo's token endpoint. Check the Authorisation Server URL (it usually ends in /auth). ${API_DETAILS_HINT}`,
		);
	}
	const expiresIn = Number((body as Record<string, unknown>).expires_in);
	return { token, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600 };
}

function safeParse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Turns a failed token request into a message that says what to fix. Never includes the secret. */
export function describeTokenFailure(error: any, urls: HaloUrls, scope: string): HaloCredentialError {
	const status = statusOf(error);
	const failure = describeTokenFailureWords(error, urls, scope, status);
	failure.tokenEndpointStatus = status;
	if (status === undefined && timedOut(error)) failure.timedOut = true;
	return failure;
}

/** A request the client gave up on because no answer came in time. */
export function timedOut(error: any): boolean {
	const code = String(error?.cause?.code ?? error?.code ?? '');
	return (
		code === 'ECONNABORTED' ||
		code === 'ETIMEDOUT' ||
		/timeout of \d+ms exceeded|timed? ?out/i.test(String(error?.message ?? ''))
	);
}

function describeTokenFailureWords(
	error: any,
	urls: HaloUrls,
	scope: string,
	status: number | undefined,
): HaloCredentialError {
	const endpoint = urls.tokenUrl.split('?')[0];
	const raw = error?.response?.data ?? error?.error;
	const data = (typeof raw === 'string' ? safeParse(raw) : raw) as Record<string, unknown> | undefined;
	const code = typeof data?.error === 'string' ? data.error : '';
	const detail = typeof data?.error_description === 'string' ? data.error_description : '';
	const haloSays = code ? ` Halo said: ${code}${detail ? ` (${detail})` : ''}.` : '';

	if (code === 'invalid_client' || (status === 401 && !code)) {
		return new HaloCredentialError(
			'Halo rejected the Client ID or Client Secret (invalid_client)',
			`Check both values in Halo under Configuration > Integrations > Halo API > View Applications: the application must be active and use "Client ID and Secret (Services)". A secret is only shown once; generate a new one if in doubt.${haloSays}`,
		);
	}
	if (/tenant/i.test(`${code} ${detail}`)) {
		return new HaloCredentialError(
			`Halo did not accept the tenant "${urls.tenant}"`,
			`Copy the Tenant from Configuration > Integrations > Halo API > API Details. On-premise Halo has no tenant: set Hosting Type to On-Premise.${haloSays}`,
		);
	}
	if (code === 'invalid_scope') {
		return new HaloCredentialError(
			`Halo refused the scope "${scope}"`,
			`Use "all" or space-separated scopes such as "read:tickets edit:tickets", and give the application those permissions in Halo.${haloSays}`,
		);
	}
	if (status === 429) {
		return new HaloCredentialError(
			'Halo is rate-limiting token requests (429)',
			'Halo allows about 300 requests per rolling 5 minutes per tenant, and the node already waited and asked again. Lower Max Requests per Window in the credential if other integrations share the tenant, or try again in a few minutes.',
		);
	}
	if (status === 400 && code) {
		return new HaloCredentialError(
			`Halo refused the token request (${code})`,
			`${detail || 'Check the credential fields.'}${urls.tenant ? ` Tenant sent: "${urls.tenant}".` : ''}`,
		);
	}
	if (status) {
		return new HaloCredentialError(
			`The Authorisation Server URL answered HTTP ${status} instead of a token`,
			`Requested ${endpoint}. Check the Authorisation Server URL (it usually ends in /auth) and, on hosted Halo, the Tenant. ${API_DETAILS_HINT}`,
		);
	}
	// n8n rewrites messages that contain raw codes such as ECONNREFUSED, so name them in words
	const netCode = String(error?.cause?.code ?? error?.code ?? '');
	const words: Record<string, string> = {
		ECONNREFUSED: 'connection refused',
		ENOTFOUND: 'host name not found',
		EAI_AGAIN: 'host name not found',
		ETIMEDOUT: 'timed out',
		ECONNRESET: 'connection reset',
		CERT_HAS_EXPIRED: 'TLS certificate expired',
	};
	// n8n's Allowed HTTP Request Domains refused the request before sending it
	if (!netCode && /^Domain not allowed/i.test(String(error?.message ?? ''))) {
		const host = new URL(endpoint).hostname;
		return new HaloCredentialError(
			`n8n did not send the token request: ${host} is not in the credential's Allowed Domains (the Authorisation Server URL)`,
			`The credential's Allowed HTTP Request Domains is set to Specific Domains without ${host}. Add it to Allowed Domains, or correct the Authorisation Server URL.`,
		);
	}
	if (timedOut(error)) {
		return new HaloCredentialError(
			`The Halo Authorisation Server at ${endpoint} did not answer within ${TOKEN_TIMEOUT_MS / 1000} seconds`,
			'The node asked twice and gave up, so the run does not hang. Check that Halo is up and that n8n can reach it; the next run asks again.',
		);
	}
	const reason = words[netCode] ?? (netCode ? 'network error' : 'no answer');
	return new HaloCredentialError(
		`Could not reach the Halo Authorisation Server at ${endpoint} (${reason})`,
		'Check the URL, that n8n can reach it, and any IP allow-list on the Halo API application.',
	);
}
