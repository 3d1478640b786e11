import type { IHttpRequestOptions } from 'n8n-workflow';

import {
	buildHaloUrls,
	clearTokenCache,
	describeTokenFailure,
	fetchToken,
	HaloCredentialError,
} from '../../credentials/HaloPsaToken';

const SECRET = 'super-secret-value-0123456789';

const hosted = {
	hostingType: 'hostedHalo',
	urlMode: 'haloUrl',
	haloUrl: 'https://acme.halopsa.com/',
	tenant: 'acme',
	clientId: 'client-guid',
	clientSecret: SECRET,
	scope: 'all',
	accessToken: '',
};

function fakeTokenServer(answers: Array<Record<string, unknown> | Error> = []) {
	const calls: IHttpRequestOptions[] = [];
	let n = 0;
	const httpRequest = jest.fn(async (options: IHttpRequestOptions) => {
		calls.push(options);
		await new Promise((r) => setImmediate(r));
		const answer = answers.shift();
		if (answer instanceof Error) throw answer;
		n++;
		return answer ?? { access_token: `token-${n}`, token_type: 'Bearer', expires_in: 3600, scope: 'all' };
	});
	return { calls, httpRequest };
}

function httpError(status: number, data: unknown) {
	return Object.assign(new Error(`Request failed with status code ${status}`), {
		response: { status, data },
		config: { data: `client_secret=${SECRET}` },
	});
}

beforeEach(() => clearTokenCache());

describe('buildHaloUrls', () => {
	test('derives /auth and /api from one Halo URL, tenant in the token query', () => {
		expect(buildHaloUrls(hosted)).toEqual({
			authUrl: 'https://acme.halopsa.com/auth',
			apiUrl: 'https://acme.halopsa.com/api',
			tokenUrl: 'https://acme.halopsa.com/auth/token?tenant=acme',
			tenant: 'acme',
		});
	});

	test('separate servers, on-premise: no tenant even if one is stored', () => {
		const urls = buildHaloUrls({
			hostingType: 'onPremise',
			urlMode: 'separate',
			authUrl: ' https://halo.example.org/auth/ ',
			resourceApiUrl: 'https://halo.example.org/api',
			tenant: 'leftover',
		});
		expect(urls.tokenUrl).toBe('https://halo.example.org/auth/token');
		expect(urls.apiUrl).toBe('https://halo.example.org/api');
		expect(urls.tenant).toBe('');
	});

	test('hosted without tenant sends no tenant parameter', () => {
		expect(buildHaloUrls({ ...hosted, tenant: '' }).tokenUrl).toBe('https://acme.halopsa.com/auth/token');
	});

	test.each([
		['acme&x=1', 'Tenant'],
		['acme/../x', 'Tenant'],
		['acme?', 'Tenant'],
		['acme corp', 'Tenant'],
	])('refuses tenant %p', (tenant, word) => {
		expect(() => buildHaloUrls({ ...hosted, tenant })).toThrow(word);
	});

	test.each([
		[{ haloUrl: '' }, 'Halo URL is empty'],
		[{ haloUrl: 'acme.halopsa.com' }, 'not a valid URL'],
		[{ haloUrl: 'ftp://acme.halopsa.com' }, 'must start with https://'],
		[{ haloUrl: 'https://acme.halopsa.com/api' }, 'must not end in /auth or /api'],
		[{ haloUrl: 'https://acme.halopsa.com/?x=1' }, 'query string'],
	])('refuses bad Halo URL %p', (patch, message) => {
		expect(() => buildHaloUrls({ ...hosted, ...patch })).toThrow(message);
	});
});

describe('fetchToken', () => {
	test('posts client credentials as a form to {auth}/token?tenant=', async () => {
		const server = fakeTokenServer();
		await expect(fetchToken(server.httpRequest, hosted)).resolves.toBe('token-1');
		expect(server.calls).toHaveLength(1);
		const call = server.calls[0];
		expect(call.method).toBe('POST');
		expect(call.url).toBe('https://acme.halopsa.com/auth/token?tenant=acme');
		expect(call.headers).toMatchObject({ 'Content-Type': 'application/x-www-form-urlencoded' });
		expect(call.body).toBe(`grant_type=client_credentials&client_id=client-guid&client_secret=${SECRET}&scope=all`);
	});

	test('50 concurrent callers without a token share one token request', async () => {
		const server = fakeTokenServer();
		const tokens = await Promise.all(Array.from({ length: 50 }, () => fetchToken(server.httpRequest, hosted)));
		expect(new Set(tokens)).toEqual(new Set(['token-1']));
		expect(server.httpRequest).toHaveBeenCalledTimes(1);
	});

	test('a later caller with an empty token reuses the cached one until it nears expiry', async () => {
		const server = fakeTokenServer();
		let now = 1_000_000;
		await fetchToken(server.httpRequest, hosted, () => now);
		now += 3_000_000; // 50 minutes later: still valid (expires after 60, margin 1)
		await expect(fetchToken(server.httpRequest, hosted, () => now)).resolves.toBe('token-1');
		now += 560_000; // 59m20s: inside the margin
		await expect(fetchToken(server.httpRequest, hosted, () => now)).resolves.toBe('token-2');
		expect(server.httpRequest).toHaveBeenCalledTimes(2);
	});

	test('after a 401, concurrent items holding the rejected token cause one refresh', async () => {
		const server = fakeTokenServer();
		const first = await fetchToken(server.httpRequest, hosted);
		const refreshed = await Promise.all(
			Array.from({ length: 20 }, () => fetchToken(server.httpRequest, { ...hosted, accessToken: first })),
		);
		expect(new Set(refreshed)).toEqual(new Set(['token-2']));
		// an item that already holds the new token and is rejected again forces one more refresh
		await expect(fetchToken(server.httpRequest, { ...hosted, accessToken: 'token-2' })).resolves.toBe('token-3');
		expect(server.httpRequest).toHaveBeenCalledTimes(3);
	});

	test('a different secret is a different cache entry', async () => {
		const server = fakeTokenServer();
		await fetchToken(server.httpRequest, hosted);
		await fetchToken(server.httpRequest, { ...hosted, clientSecret: 'another-secret' });
		expect(server.httpRequest).toHaveBeenCalledTimes(2);
	});

	test('a failed request is not cached', async () => {
		const server = fakeTokenServer([httpError(500, 'boom')]);
		await expect(fetchToken(server.httpRequest, hosted)).rejects.toThrow('HTTP 500');
		await expect(fetchToken(server.httpRequest, hosted)).resolves.toBe('token-1');
	});

	test('an answer without access_token is an error that names the URL to check', async () => {
		const server = fakeTokenServer([{ hello: 'world' }]);
		await expect(fetchToken(server.httpRequest, hosted)).rejects.toThrow('without an access token');
	});

	test('429 and 503 from the token endpoint are asked again with growing waits; callers share the wait', async () => {
		const server = fakeTokenServer([
			httpError(429, { error: 'Rate Limit Reached' }),
			httpError(503, ''),
			httpError(429, { error: 'Rate Limit Reached' }),
		]);
		const waits: number[] = [];
		const wait = async (ms: number) => void waits.push(ms);
		const tokens = await Promise.all(
			Array.from({ length: 20 }, () => fetchToken(server.httpRequest, hosted, Date.now, wait)),
		);
		expect(new Set(tokens)).toEqual(new Set(['token-1']));
		expect(server.httpRequest).toHaveBeenCalledTimes(4);
		expectBackoff(waits, [2000, 4000, 8000]);
	});

	test('a token endpoint that keeps answering 429 gives up after 9 tries, saying it waited', async () => {
		const server = fakeTokenServer(Array.from({ length: 20 }, () => httpError(429, { error: 'Rate Limit Reached' })));
		const waits: number[] = [];
		const failure = fetchToken(server.httpRequest, hosted, Date.now, async (ms) => void waits.push(ms));
		await expect(failure).rejects.toMatchObject({
			name: 'HaloCredentialError',
			tokenEndpointStatus: 429,
			message: 'Halo is rate-limiting token requests (429)',
		});
		await expect(failure).rejects.toHaveProperty('description', expect.stringContaining('already waited'));
		expect(server.httpRequest).toHaveBeenCalledTimes(9);
		expectBackoff(waits, [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
	});

	test('a token endpoint that does not answer in time is asked once more, then the error says so; the next call asks afresh', async () => {
		const timeout = () => Object.assign(new Error('timeout of 15000ms exceeded'), { code: 'ECONNABORTED' });
		const server = fakeTokenServer([timeout(), timeout()]);
		const waits: number[] = [];
		const failure = fetchToken(server.httpRequest, hosted, Date.now, async (ms) => void waits.push(ms));
		await expect(failure).rejects.toThrow('did not answer within 15 seconds');
		expect(server.httpRequest).toHaveBeenCalledTimes(2);
		expect(server.calls.every((call) => call.timeout === 15_000)).toBe(true);
		expect(waits).toHaveLength(1);
		await expect(fetchToken(server.httpRequest, hosted)).resolves.toBe('token-1');
	});

	test('invalid_client is never asked again', async () => {
		const server = fakeTokenServer([httpError(401, { error: 'invalid_client' })]);
		const waits: number[] = [];
		await expect(
			fetchToken(server.httpRequest, hosted, Date.now, async (ms) => void waits.push(ms)),
		).rejects.toMatchObject({ tokenEndpointStatus: 401 });
		expect(server.httpRequest).toHaveBeenCalledTimes(1);
		expect(waits).toEqual([]);
	});

	test('empty client id or secret is refused before any request', async () => {
		const server = fakeTokenServer();
		await expect(fetchToken(server.httpRequest, { ...hosted, clientSecret: '' })).rejects.toThrow(
			'Client ID or Client Secret is empty',
		);
		expect(server.httpRequest).not.toHaveBeenCalled();
	});
});

describe('describeTokenFailure', () => {
	const urls = buildHaloUrls(hosted);
	const messageOf = (error: unknown) => {
		const failure = describeTokenFailure(error, urls, 'all');
		expect(failure).toBeInstanceOf(HaloCredentialError);
		const text = `${failure.message}\n${failure.description}`;
		expect(text).not.toContain(SECRET);
		return text;
	};

	test('invalid_client names the client id/secret and where to fix them', () => {
		const text = messageOf(httpError(401, { error: 'invalid_client', error_description: 'bad' }));
		expect(text).toContain('rejected the Client ID or Client Secret (invalid_client)');
		expect(text).toContain('View Applications');
	});

	test('a tenant error names the tenant', () => {
		const text = messageOf(httpError(400, { error: 'invalid_request', error_description: 'Unknown tenant acme' }));
		expect(text).toContain('did not accept the tenant "acme"');
	});

	test('invalid_scope names the scope', () => {
		expect(messageOf(httpError(400, { error: 'invalid_scope' }))).toContain('refused the scope "all"');
	});

	test('a 404 says the Authorisation Server URL is wrong', () => {
		const text = messageOf(httpError(404, '<html>Not found</html>'));
		expect(text).toContain('answered HTTP 404');
		expect(text).toContain('https://acme.halopsa.com/auth/token');
		expect(text).not.toContain('tenant=');
	});

	test('a connection failure names the code, never the request body', () => {
		const error = Object.assign(new Error(`connect ECONNREFUSED client_secret=${SECRET}`), { code: 'ECONNREFUSED' });
		expect(messageOf(error)).toContain(
			'Could not reach the Halo Authorisation Server at https://acme.halopsa.com/auth/token (connection refused)',
		);
	});

	test('429 explains the rate limit', () => {
		expect(messageOf(httpError(429, { error: 'Rate Limit Reached' }))).toContain('rate-limiting');
	});
});

/** Back-off waits grow as given, each stretched by up to a quarter at random (jitter). */
function expectBackoff(waits: number[], base: number[]): void {
	expect(waits).toHaveLength(base.length);
	waits.forEach((wait, i) => {
		expect(wait).toBeGreaterThanOrEqual(base[i]);
		expect(wait).toBeLessThanOrEqual(base[i] * 1.25);
	});
}
