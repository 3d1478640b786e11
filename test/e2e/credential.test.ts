/**
 * The credential in a real n8n: token reuse across executions, one refresh after Halo
 * expires the token, concurrent items sharing one token request, and the Test button.
 */
import { DEFAULT_CLIENT } from '../../emulator';
import { CREDENTIAL_TYPE, NODE_TYPE } from './harness';
import { byId, CREDENTIAL_ID, startStack, type Stack } from './stack';
import { caseWorkflow } from './workflows';

jest.setTimeout(300_000);

let stack: Stack;

beforeAll(async () => {
	stack = await startStack(
		'credential',
		[
			{ name: 'Current agent', parameters: { resource: 'agent', operation: 'getCurrent' } },
			{
				name: 'Get tickets for items',
				splitItems: true,
				parameters: { resource: 'ticket', operation: 'get', ticketId: byId('={{ $json.id }}') },
			},
		],
		{
			tenant: 'acme',
			extraWorkflows: [
				{
					id: 'httprequest',
					name: 'HTTP Request node with the HaloPSA credential',
					nodes: [
						{
							id: 'h1',
							name: 'Webhook',
							type: 'n8n-nodes-base.webhook',
							typeVersion: 2,
							position: [0, 0],
							webhookId: 'http-request-hook',
							parameters: {
								httpMethod: 'POST',
								path: 'http-request',
								responseMode: 'lastNode',
								responseData: 'allEntries',
								options: {},
							},
						},
						{
							id: 'h2',
							name: 'HTTP Request',
							type: 'n8n-nodes-base.httpRequest',
							typeVersion: 4.2,
							position: [200, 0],
							parameters: {
								url: '={{ $json.body.url }}',
								authentication: 'predefinedCredentialType',
								nodeCredentialType: CREDENTIAL_TYPE,
								options: {},
							},
							credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'HaloPSA emulator' } },
						},
					],
					connections: { Webhook: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
					settings: { executionOrder: 'v1' },
				},
			],
		},
	);
});

afterAll(async () => await stack?.stop());

test('10 executions in a row request one token; an expired token is refreshed once', async () => {
	const { emulator } = stack;
	emulator.clearLog();
	for (let i = 0; i < 10; i++) {
		const result = await stack.run('Current agent');
		expect(result.status).toBe(200);
		expect(result.body).toEqual([expect.objectContaining({ id: 1, isapiagent: true })]);
	}
	expect(emulator.tokenRequests()).toHaveLength(1);
	const token = emulator.tokenRequests()[0];
	expect(token.query).toEqual({ tenant: 'acme' });
	expect(token.body).toEqual({
		grant_type: 'client_credentials',
		client_id: DEFAULT_CLIENT.clientId,
		client_secret: '[redacted]',
		scope: 'all',
	});
	expect(emulator.apiRequests().map((r) => r.route)).toEqual(Array(10).fill('GET /api/agent/me'));
	expect(new Set(emulator.apiRequests().map((r) => r.tokenSeq)).size).toBe(1);

	emulator.expireTokens();
	emulator.clearLog();
	for (let i = 0; i < 3; i++) expect((await stack.run('Current agent')).status).toBe(200);
	expect(emulator.tokenRequests()).toHaveLength(1);
	expect(emulator.apiRequests().map((r) => r.status)).toEqual([401, 200, 200, 200]);
});

test('50 concurrent items after an expiry share one token request', async () => {
	const { emulator } = stack;
	emulator.expireTokens();
	emulator.clearLog();
	expect((await stack.run('Current agent')).status).toBe(200);
	const ids = emulator.store
		.list('tickets')
		.slice(0, 5)
		.map((t) => t.id as number);
	emulator.expireTokens();
	emulator.clearLog();
	const items = Array.from({ length: 50 }, (_, i) => ({ id: ids[i % ids.length] }));
	const result = await stack.run('Get tickets for items', { items });
	expect(result.status).toBe(200);
	expect(result.body).toHaveLength(50);
	expect(result.body.map((t: { id: number }) => t.id)).toEqual(items.map((i) => i.id));
	expect(emulator.tokenRequests()).toHaveLength(1);
});

describe('Test button (POST /rest/credentials/test)', () => {
	const test_ = (data: Record<string, unknown>) =>
		stack.n8n.testCredential({ ...stack.credentialData, ...data }, CREDENTIAL_ID);

	test('requests a new token (whatever is cached from earlier runs) and proves an API call with it', async () => {
		// the runs above left a valid token cached in this n8n process and stored with the credential
		expect((await stack.run('Current agent')).status).toBe(200);
		stack.emulator.clearLog();
		const result = await test_({});
		expect(result.status).toBe('OK');
		expect(stack.emulator.tokenRequests().map((r) => r.status)).toEqual([200]);
		const issued = stack.emulator.tokenRequests()[0].tokenSeq;
		expect(stack.emulator.apiRequests().map((r) => `${r.route} ${r.status} token ${r.tokenSeq}`)).toEqual([
			`GET /api/agent/me 200 token ${issued}`,
		]);
	});

	test('an http:// address for hosted Halo is refused before anything is sent, saying what to do', async () => {
		stack.emulator.clearLog();
		const result = await test_({ haloUrl: 'http://acme.halopsa.example' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('The Halo URL must start with https:// for Halo hosted by Halo');
		expect(result.message).toContain('On-Premise');
		expect(stack.emulator.log).toHaveLength(0);
	});

	test('a wrong secret says invalid_client and never shows the secret', async () => {
		const secret = 'definitely-wrong-secret-1234567890';
		const result = await test_({ clientSecret: secret });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('invalid_client');
		expect(JSON.stringify(result)).not.toContain(secret);
		expect(JSON.stringify(result)).not.toContain(DEFAULT_CLIENT.clientSecret);
	});

	test('a wrong tenant names the tenant', async () => {
		const result = await test_({ tenant: 'notacme' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('notacme');
	});

	test('a tenant that would change the URL is refused before any request', async () => {
		stack.emulator.clearLog();
		const result = await test_({ tenant: 'acme&evil=1' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Tenant');
		expect(stack.emulator.log).toHaveLength(0);
	});

	test('a URL where no Halo answers says so', async () => {
		const result = await test_({ haloUrl: 'http://127.0.0.1:9' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Could not reach the Halo Authorisation Server/);
	});
});

// last: it needs a token, and the tests above count token requests from a fresh credential
test("n8n's HTTP Request node can use the credential (predefined credential type) for any endpoint", async () => {
	const { emulator } = stack;
	emulator.clearLog();
	const result = await stack.n8n.webhook('http-request', { url: `${emulator.apiUrl}/Priority` });
	expect(result.status).toBe(200);
	expect(result.body.map((p: { name: string }) => p.name)).toEqual(['P1', 'P2', 'P3', 'P4']);
	expect(emulator.apiRequests().map((r) => [r.route, r.auth, r.status])).toEqual([
		['GET /api/priority', 'bearer', 200],
	]);
});

test('n8n loads the node with its Batching request options and offers it as an AI tool', async () => {
	const types = await stack.n8n.authed('GET', '/types/nodes.json');
	expect(types.status).toBe(200);
	const byName = new Map(
		(types.body as Array<{ name: string; properties: Array<{ name: string; options?: Array<{ name: string }> }> }>).map(
			(t) => [t.name, t],
		),
	);
	const node = byName.get(NODE_TYPE);
	expect(node).toBeDefined();
	// n8n appends "requestOptions" (Batching, Ignore SSL, Proxy, Timeout) to declarative nodes only
	const requestOptions = node?.properties.find((p) => p.name === 'requestOptions');
	expect(requestOptions?.options?.map((o) => o.name)).toContain('batching');
	expect(byName.has(`${NODE_TYPE}Tool`)).toBe(true);
	expect(byName.has('n8n-nodes-halopsa.haloPsaTrigger')).toBe(true);
});

test("n8n's Allowed HTTP Request Domains keeps the token and its request to the listed hosts", async () => {
	const { emulator, n8n } = stack;
	const created = await n8n.rest('POST', '/credentials', {
		name: 'HaloPSA restricted',
		type: CREDENTIAL_TYPE,
		data: { ...stack.credentialData, allowedHttpRequestDomains: 'domains', allowedDomains: 'acme.halopsa.com' },
	});
	expect(created.status).toBe(200);
	const workflow = caseWorkflow('domains', 'domains', created.body.data.id, [
		{ name: 'Current agent', parameters: { resource: 'agent', operation: 'getCurrent' } },
	]);
	const { id: _id, ...body } = workflow;
	const saved = await n8n.rest('POST', '/workflows', body);
	expect(saved.status).toBe(200);
	const published = await n8n.rest('POST', `/workflows/${saved.body.data.id}/activate`, {
		versionId: saved.body.data.versionId,
	});
	expect([published.status, published.status === 200 ? '' : JSON.stringify(published.body).slice(0, 300)]).toEqual([
		200,
		'',
	]);
	emulator.clearLog();
	const before = await n8n.latestExecutionId(saved.body.data.id);
	await n8n.webhook('domains', { case: 0 });
	const run = await n8n.nodeRun(saved.body.data.id, 'Current agent', before);
	// 127.0.0.1 (the emulator) is not acme.halopsa.com: neither the token request (n8n refuses it, or
	// a token this process already holds is reused) nor the node's request with the token is sent
	expect(JSON.stringify(run.error ?? run)).toContain("127.0.0.1 is not in the credential's Allowed Domains");
	expect(emulator.log).toEqual([]);
});
