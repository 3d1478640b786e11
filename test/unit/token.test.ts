import type { IHttpRequestOptions } from 'n8n-workflow';

import { HaloPsaApi } from '../../credentials/HaloPsaApi.credentials';
import {
	buildHaloUrls,
	clearTokenCache,
	describeTokenFailure,
	fetchToken,
	HALO_CREDENTIAL_TYPE,
	HaloCredentialError,
	testHaloCredential,
} from '../../credentials/HaloPsaToken';
import { HaloPsaTrigger } from '../../nodes/HaloPsa/HaloPsaTrigger.node';

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

	test("n8n's Allowed Domains refusing the token request is named, not taken for a network failure", () => {
		const error = new Error(
			'Domain not allowed: This credential is restricted from accessing acme.halopsa.com. Only the following domains are allowed: other.example',
		);
		const text = messageOf(error);
		expect(text).toContain("acme.halopsa.com is not in the credential's Allowed Domains");
		expect(text).not.toContain('Could not reach');
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

describe('http:// for hosted Halo', () => {
	test.each([
		[{ haloUrl: 'http://acme.halopsa.com' }, 'The Halo URL must start with https:// for Halo hosted by Halo'],
		[
			{ urlMode: 'separate', authUrl: 'http://acme.halopsa.com/auth', resourceApiUrl: 'https://acme.halopsa.com/api' },
			'The Authorisation Server URL must start with https://',
		],
		[
			{ urlMode: 'separate', authUrl: 'https://acme.halopsa.com/auth', resourceApiUrl: 'http://acme.halopsa.com/api' },
			'The Resource Server URL must start with https://',
		],
	])('hosted %p is refused before anything is sent', async (patch, message) => {
		expect(() => buildHaloUrls({ ...hosted, ...patch })).toThrow(message);
		const server = fakeTokenServer();
		await expect(fetchToken(server.httpRequest, { ...hosted, ...patch })).rejects.toMatchObject({
			description: expect.stringContaining('set Hosting Type to On-Premise'),
		});
		expect(server.httpRequest).not.toHaveBeenCalled();
	});

	test('on-premise may use http://; the machine itself (a tunnel, a test emulator) is never a network', () => {
		const onPremise = { ...hosted, hostingType: 'onPremise', haloUrl: 'http://halo.intranet.example' };
		expect(buildHaloUrls(onPremise).tokenUrl).toBe('http://halo.intranet.example/auth/token');
		for (const haloUrl of ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080'])
			expect(buildHaloUrls({ ...hosted, haloUrl }).apiUrl).toBe(`${haloUrl}/api`);
	});

	test('a stored token is never sent over http:// to hosted Halo (URL changed after the token was issued)', async () => {
		const credential = new HaloPsaApi();
		const stored = { ...hosted, accessToken: 'stored-token-4b2' };
		const sent = await credential.authenticate(stored, { url: '/Tickets', baseURL: 'https://acme.halopsa.com/api' });
		expect(sent.headers).toMatchObject({ Authorization: 'Bearer stored-token-4b2' });
		const refused = credential.authenticate(
			{ ...stored, haloUrl: 'http://acme.halopsa.com' },
			{ url: '/Tickets', baseURL: 'http://acme.halopsa.com/api' },
		);
		await expect(refused).rejects.toThrow('does not send its token over plain http:// to hosted Halo');
		await expect(refused).rejects.not.toThrow('stored-token-4b2');
		// n8n's HTTP Request node with this credential and a full URL
		await expect(credential.authenticate(stored, { url: 'http://acme.halopsa.com/api/Tickets' })).rejects.toThrow(
			'plain http://',
		);
		const onPremise = await credential.authenticate(
			{ ...stored, hostingType: 'onPremise' },
			{ url: 'http://halo.intranet.example/api/Tickets' },
		);
		expect(onPremise.headers).toMatchObject({ Authorization: 'Bearer stored-token-4b2' });
	});
});

describe("the credential's Test button", () => {
	/** n8n's legacy request helper (what a credential test gets), answering the token endpoint and /Agent/me */
	function legacyHalo(agentMe: () => unknown = () => ({ id: 1 })) {
		const calls: Array<Record<string, any>> = [];
		let n = 0;
		const request = jest.fn(async (options: Record<string, any>) => {
			calls.push(options);
			if (String(options.uri).includes('/auth/token')) {
				const body = String(options.body);
				if (!body.includes(`client_secret=${SECRET}`))
					throw Object.assign(new Error('401'), { statusCode: 401, error: '{"error":"invalid_client"}' });
				return JSON.stringify({ access_token: `fresh-${++n}`, expires_in: 3600 });
			}
			return agentMe();
		});
		return { calls, request };
	}

	test('asks Halo for a new token even when one is cached, and calls GET /api/Agent/me with it', async () => {
		const server = fakeTokenServer();
		await fetchToken(server.httpRequest, hosted); // an earlier run cached token-1
		const halo = legacyHalo();
		await expect(testHaloCredential(halo.request, hosted)).resolves.toEqual({
			status: 'OK',
			message: expect.stringContaining('new token'),
		});
		expect(halo.calls.map((c) => `${c.method} ${c.uri}`)).toEqual([
			'POST https://acme.halopsa.com/auth/token?tenant=acme',
			'GET https://acme.halopsa.com/api/Agent/me',
		]);
		expect(halo.calls[1].headers).toMatchObject({ Authorization: 'Bearer fresh-1' });
	});

	test('n8n runs this test, not a request test whose preAuthentication would reuse a cached token', () => {
		expect((new HaloPsaApi() as { test?: unknown }).test).toBeUndefined();
		const trigger = new HaloPsaTrigger();
		const entry = trigger.description.credentials?.find((c) => c.name === HALO_CREDENTIAL_TYPE);
		expect(typeof entry?.testedBy).toBe('string');
		expect(typeof trigger.methods.credentialTest[entry?.testedBy as 'haloPsaCredentialTest']).toBe('function');
	});

	test('a wrong secret says invalid_client and what to do, never the secret', async () => {
		const halo = legacyHalo();
		const wrong = 'wrong-secret-for-the-test-9a8';
		const result = await testHaloCredential(halo.request, { ...hosted, clientSecret: wrong });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('invalid_client');
		expect(result.message).toContain('View Applications');
		expect(result.message).not.toContain(wrong);
		expect(halo.calls).toHaveLength(1);
	});

	test.each([
		[401, 'rejected it on the Resource Server URL'],
		[403, 'permissions'],
		[404, 'does not answer like a Halo API'],
		[500, 'answered HTTP 500'],
	])('GET /api/Agent/me answering %p says what to check', async (statusCode, words) => {
		const halo = legacyHalo(() => {
			throw Object.assign(new Error(String(statusCode)), { statusCode });
		});
		const result = await testHaloCredential(halo.request, hosted);
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining(words) });
	});

	test('an http:// hosted URL is refused before any request', async () => {
		const halo = legacyHalo();
		const result = await testHaloCredential(halo.request, { ...hosted, haloUrl: 'http://acme.halopsa.com' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('must start with https://');
		expect(halo.request).not.toHaveBeenCalled();
	});
});

describe("n8n's Allowed HTTP Request Domains in the Test", () => {
	test.each([
		['acme.halopsa.com', 'OK'],
		['*.halopsa.com', 'OK'],
		[' other.example , acme.halopsa.com ', 'OK'],
		['*.acme.halopsa.com', 'Error'],
		['halopsa.com', 'Error'],
		['', 'Error'],
	])('Specific Domains %p: %s', async (allowedDomains, status) => {
		const request = jest.fn(async (options: Record<string, any>) =>
			String(options.uri).includes('/token') ? JSON.stringify({ access_token: 't', expires_in: 3600 }) : { id: 1 },
		);
		const result = await testHaloCredential(request, {
			...hosted,
			allowedHttpRequestDomains: 'domains',
			allowedDomains,
		});
		expect(result.status).toBe(status);
		if (status === 'Error') {
			expect(result.message).toContain("acme.halopsa.com is not in the credential's Allowed Domains");
			expect(request).not.toHaveBeenCalled();
		}
	});

	test('the node never puts the token on a request to a host outside the Allowed Domains', async () => {
		const credential = new HaloPsaApi();
		const restricted = {
			...hosted,
			accessToken: 't',
			allowedHttpRequestDomains: 'domains',
			allowedDomains: '*.halopsa.com',
		};
		const sent = await credential.authenticate(restricted, {
			url: '/Tickets',
			baseURL: 'https://acme.halopsa.com/api',
		});
		expect(sent.headers).toMatchObject({ Authorization: 'Bearer t' });
		await expect(credential.authenticate(restricted, { url: 'https://elsewhere.example/api/Tickets' })).rejects.toThrow(
			"elsewhere.example is not in the credential's Allowed Domains (the request URL)",
		);
		// All (n8n's default) and None (n8n: HTTP Request node only) leave the node's own requests alone
		for (const allowedHttpRequestDomains of ['all', 'none'])
			await expect(
				credential.authenticate({ ...restricted, allowedHttpRequestDomains }, { url: 'https://elsewhere.example/x' }),
			).resolves.toBeDefined();
	});
});
