/**
 * The node's own routing (shared/router.ts) against n8n's declarative engine (n8n-core's
 * RoutingNode), in one process: every resource and operation, with every parameter it shows set,
 * runs through both against a recording Halo on 127.0.0.1, and both must send the same requests
 * and give the same items and errors. Also: the routing expressions the router computes itself
 * agree with their JavaScript, and the description uses no routing the router does not do.
 */
import { createServer, type Server } from 'http';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { NodeHelpers, Workflow } from 'n8n-workflow';
import type { INode, INodeExecutionData, INodeProperties, INodePropertyCollection } from 'n8n-workflow';

import { HaloPsa } from '../../nodes/HaloPsa/HaloPsa.node';
import { mergeInto, requestOptionsProperty, ROUTED_EXPRESSIONS, routeItems } from '../../nodes/HaloPsa/shared/router';
import { allProperties, operationsOf } from '../description/walk';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// retry back-offs are skipped; the short settle wait of Create or Update Many stays real
	return { ...actual, sleep: jest.fn(async (ms: number) => (ms <= 50 ? await actual.sleep(ms) : undefined)) };
});

jest.setTimeout(120_000);

const nodeType = new HaloPsa();
const { description } = nodeType;

interface Recorded {
	method: string;
	url: string;
	body: string;
	auth?: string;
	accept?: string;
	contentType?: string;
}

let server: Server;
let port = 0;
const recorded: Recorded[] = [];
const userFolder = mkdtempSync(join(tmpdir(), 'halopsa-router-'));
let core: typeof import('n8n-core');

/** A Halo that answers every request plausibly: a short page for lists, the records back for writes. */
function answer(method: string, url: string, body: string): unknown {
	const parsed = body ? JSON.parse(body) : undefined;
	if (method === 'POST' && Array.isArray(parsed))
		return parsed.map((record: Record<string, unknown>, i: number) => ({ ...record, id: record.id ?? 100 + i }));
	if (method === 'DELETE') return {};
	if (/page_no=/.test(url)) return { record_count: 2, rows: [{ id: 1 }, { id: 2 }] };
	const id = /\/(\d+)(?:\?|$)/.exec(url)?.[1];
	return id ? { id: Number(id), name: 'record', ticket_id: 3 } : [{ id: 1 }, { id: 2 }];
}

beforeAll(async () => {
	// n8n-core keeps its settings in the user folder: a throw-away one, never ~/.n8n
	process.env.N8N_USER_FOLDER = userFolder;
	core = await import('n8n-core');
	server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			recorded.push({
				method: String(req.method),
				url: String(req.url),
				body,
				auth: req.headers.authorization,
				accept: req.headers.accept,
				contentType: req.headers['content-type'],
			});
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify(answer(String(req.method), String(req.url), body)));
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	port = (server.address() as { port: number }).port;
});

afterAll(async () => {
	await new Promise((r) => server.close(r));
	rmSync(userFolder, { recursive: true, force: true });
});

const GUID = '3f2b8c1e-4d5a-4b6c-9e7f-1a2b3c4d5e6f';

/** A value for a parameter: expressions for text, so per-item evaluation is part of what is compared. */
function sample(property: INodeProperties, variant: number, resource: string): unknown {
	const loads = !!property.typeOptions?.loadOptionsMethod;
	switch (property.type) {
		case 'string':
			if (property.name === 'path') return variant ? '/api/Client/5' : '={{ "/Tickets/" + $json.n }}';
			// record ids typed as text: a number (as an expression or not) gets past their checks
			if (/(Id|_id)$/.test(property.name)) return variant ? '42' : '={{ $json.n }}';
			return `={{ "${property.name}-" + $json.s }}`;
		case 'number':
			return variant ? 2 : '={{ $json.n }}';
		case 'boolean':
			return !variant;
		case 'dateTime':
			return '2026-01-02T03:04:05';
		case 'json':
			if (property.name === 'extraFieldsJson') return variant ? '{"extra_key": 1}' : '={{ { "from_item": $json.s } }}';
			if (property.name === 'jsonBody') return '[{"name": "x"}]';
			return property.default;
		case 'options': {
			if (loads) return variant ? '12' : '={{ $json.n }}';
			const options = (property.options ?? []) as Array<{ value: unknown }>;
			return (variant ? options[options.length - 1] : options[0])?.value;
		}
		case 'multiOptions': {
			if (loads) return ['3', '4'];
			return ((property.options ?? []) as Array<{ value: unknown }>).slice(0, 2).map((o) => o.value);
		}
		case 'resourceLocator':
			return { __rl: true, mode: 'id', value: resource === 'webhook' ? GUID : variant ? '42' : '={{ $json.n }}' };
		case 'collection':
			return Object.fromEntries(
				((property.options ?? []) as INodeProperties[]).map((option) => [
					option.name,
					sample(option, variant, resource),
				]),
			);
		case 'fixedCollection': {
			const rows: Record<string, unknown> = {};
			for (const group of (property.options ?? []) as INodePropertyCollection[]) {
				const row = Object.fromEntries(group.values.map((value) => [value.name, sample(value, variant, resource)]));
				rows[group.name] = property.typeOptions?.multipleValues ? [row] : row;
			}
			return rows;
		}
		default:
			return undefined;
	}
}

/** Parameters of one resource and operation with every parameter it shows set. */
function parametersFor(resource: string, operation: string, variant: number): Record<string, unknown> {
	const parameters: Record<string, unknown> = { resource, operation };
	const node = { typeVersion: 1 } as INode;
	for (let pass = 0; pass < 4; pass++) {
		for (const property of description.properties) {
			if (property.name in parameters || property.name === 'requestOptions') continue;
			if (!NodeHelpers.displayParameter(parameters as never, property, node, description)) continue;
			const value = sample(property, variant, resource);
			if (value !== undefined) parameters[property.name] = value;
		}
	}
	return parameters;
}

const items: INodeExecutionData[] = [
	{ json: { name: 'A', s: 'a', n: 5, id: 7 } },
	{ json: { name: 'B', s: 'b', n: 6 } },
];

let execution = 0;

type Engine = 'n8n' | 'router';

/** One run of the node through an engine: the items or the error, and the requests Halo saw. */
async function run(
	engine: Engine,
	parameters: Record<string, unknown>,
	continueOnFail: boolean,
	inputItems: INodeExecutionData[] = items,
	credentialFields: Record<string, unknown> = {},
) {
	const node = {
		id: '1',
		name: 'HaloPSA',
		type: 'n8n-nodes-halopsa.haloPsa',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		onError: continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
		credentials: { haloPsaClientCredentialsApi: { id: 'c1', name: 'Halo' } },
	} as unknown as INode;
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: 'w',
		name: 'w',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypes as never,
		settings: {},
	});
	const wfNode = workflow.nodes[node.name];
	const credentials = {
		urlMode: 'haloUrl',
		haloUrl: `http://127.0.0.1:${port}/`,
		hostingType: 'onPremise',
		rateLimit: 'none',
		accessToken: 'token-1',
		clientId: 'id',
		clientSecret: 'secret',
		...credentialFields,
	};
	const base = 'http://127.0.0.1/';
	const additionalData = {
		executionId: `exec-${engine}-${++execution}`,
		instanceBaseUrl: base,
		webhookWaitingBaseUrl: `${base}webhook-waiting`,
		formWaitingBaseUrl: `${base}form-waiting`,
		restApiUrl: `${base}rest`,
		credentialsHelper: {
			getDecrypted: async () => ({ ...credentials }),
			authenticate: async (data: any, _type: string, options: any) => ({
				...options,
				headers: { ...options.headers, Authorization: `Bearer ${data.accessToken}` },
			}),
			preAuthentication: async () => undefined,
			getParentTypes: () => [],
			isCredentialUsableByNode: () => true,
		},
	};
	const input = inputItems.map((item) => structuredClone(item));
	const ctx = new core.ExecuteContext(
		workflow,
		wfNode,
		additionalData as never,
		'manual',
		{ resultData: { runData: {} } } as never,
		0,
		input,
		{ main: [input] },
		{ data: { main: [input] }, node: wfNode, source: null },
		[],
		new AbortController().signal,
	);
	recorded.length = 0;
	let outcome: unknown;
	try {
		const output =
			engine === 'n8n' ? await new core.RoutingNode(ctx, nodeType).runNode() : await routeItems(ctx, description);
		outcome = { items: (output ?? [[]])[0].map(comparable) };
	} catch (error) {
		outcome = { thrown: errorOf(error) };
	}
	const requests = recorded
		.map((r) => JSON.stringify(r))
		.sort()
		.map((r) => JSON.parse(r));
	return { outcome, requests };
}

function errorOf(error: any) {
	return {
		type: error?.constructor?.name,
		message: error?.message,
		description: error?.description,
		httpCode: error?.httpCode,
		itemIndex: error?.context?.itemIndex,
	};
}

function comparable(item: INodeExecutionData) {
	const binary = item.binary
		? Object.fromEntries(Object.entries(item.binary).map(([name, file]) => [name, { ...file, id: undefined }]))
		: undefined;
	return { json: item.json, error: item.error ? errorOf(item.error) : undefined, binary };
}

const cases = operationsOf().flatMap(({ resource, operation }) =>
	[0, 1].map((variant) => ({ resource, operation, variant })),
);

test.each(cases)('$resource $operation (variant $variant): the same requests, items and errors', async (c) => {
	const parameters = parametersFor(c.resource, c.operation, c.variant);
	const theirs = await run('n8n', structuredClone(parameters), true);
	const ours = await run('router', structuredClone(parameters), true);
	expect(ours).toEqual(theirs);
	// an item failed: without Continue On Fail, the same error must stop the node
	if (JSON.stringify(theirs.outcome).includes('"error":{')) {
		expect(await run('router', structuredClone(parameters), false)).toEqual(
			await run('n8n', structuredClone(parameters), false),
		);
	}
});

test('files: upload, a ticket created with attachments and a download give the same requests and items', async () => {
	const file = (text: string) => ({
		data: Buffer.from(text).toString('base64'),
		mimeType: 'text/plain',
		fileName: `${text}.txt`,
	});
	const withFiles: INodeExecutionData[] = [
		{ json: { s: 'a', n: 5 }, binary: { data: file('one') } },
		{ json: { s: 'b', n: 6 }, binary: { data: file('two') } },
	];
	const runs = [
		{ ...parametersFor('attachment', 'upload', 1), binaryPropertyName: 'data' },
		{ ...parametersFor('ticket', 'create', 1), attachBinaryProperties: 'data' },
		{ ...parametersFor('attachment', 'download', 1), binaryPropertyName: 'file' },
	];
	for (const parameters of runs) {
		const theirs = await run('n8n', structuredClone(parameters), true, withFiles);
		const ours = await run('router', structuredClone(parameters), true, withFiles);
		expect(ours).toEqual(theirs);
		expect(JSON.stringify(ours.outcome)).not.toContain('"error":{');
	}
});

test("the credential's Allowed HTTP Request Domains apply as n8n applies them", async () => {
	const parameters = parametersFor('client', 'get', 1);
	for (const restriction of [
		{ allowedHttpRequestDomains: 'domains', allowedDomains: 'example.com' },
		{ allowedHttpRequestDomains: 'domains', allowedDomains: '' },
		{ allowedHttpRequestDomains: 'none' },
		{ allowedHttpRequestDomains: 'all' },
	]) {
		const theirs = await run('n8n', structuredClone(parameters), true, items, restriction);
		expect(await run('router', structuredClone(parameters), true, items, restriction)).toEqual(theirs);
	}
});

test('Options > Batching, Timeout and Proxy reach the request as n8n puts them', async () => {
	const parameters = {
		...parametersFor('client', 'create', 1),
		requestOptions: { batching: { batch: { batchSize: 1, batchInterval: 1 } }, timeout: 1234 },
	};
	const theirs = await run('n8n', structuredClone(parameters), true);
	const ours = await run('router', structuredClone(parameters), true);
	expect(ours).toEqual(theirs);
	expect(ours.requests).toHaveLength(2);
	const badProxy = { ...parameters, requestOptions: { proxy: 'not a proxy' } };
	expect(await run('router', structuredClone(badProxy), true)).toEqual(
		await run('n8n', structuredClone(badProxy), true),
	);
});

test('every routing expression of the description is computed by the router, as its JavaScript says', () => {
	const expressions = new Set<string>();
	const collect = (value: unknown) => {
		if (typeof value === 'string' && value.startsWith('=')) expressions.add(value);
	};
	const options = (p: INodeProperties) =>
		((p.type === 'options' ? p.options : []) ?? []) as Array<{ routing?: INodeProperties['routing'] }>;
	for (const property of allProperties()) {
		for (const routing of [property.routing, ...options(property).map((o) => o.routing)]) {
			if (!routing) continue;
			expect(routing.operations).toBeUndefined();
			Object.values(routing.request ?? {}).forEach(collect);
			collect(routing.send?.property);
			collect(routing.send?.value);
			collect(routing.send?.paginate);
			for (const action of routing.output?.postReceive ?? []) expect(typeof action).toBe('function');
		}
	}
	expect([...expressions].sort()).toEqual(Object.keys(ROUTED_EXPRESSIONS).sort());
	const samples: unknown[] = ['5', 7, ['1', '2'], 'x', [], ''];
	for (const [expression, compute] of Object.entries(ROUTED_EXPRESSIONS)) {
		const js = expression.replace(/^=\{\{/, '').replace(/\}\}$/, '');
		const parameters: Record<string, unknown> = { noteFormat: 'html', method: 'POST', path: '/Tickets' };
		const evaluate = new Function('$value', '$parameter', `return (${js});`);
		for (const value of samples) {
			expect(compute(value, (name) => parameters[name])).toEqual(evaluate(value, parameters));
		}
		parameters.noteFormat = 'text';
		expect(compute('1', (name) => parameters[name])).toEqual(evaluate('1', parameters));
	}
});

test('no fixed collection row is routed (the router routes none)', () => {
	for (const property of allProperties()) {
		if (property.type !== 'fixedCollection') continue;
		for (const group of property.options as INodePropertyCollection[]) {
			for (const value of group.values) expect(value.routing).toBeUndefined();
		}
	}
});

test('Request Options is the last property, as n8n appends it to declarative nodes', () => {
	expect(description.properties[description.properties.length - 1]).toBe(requestOptionsProperty);
});

test('mergeInto merges like lodash merge', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const merge = require('lodash/merge');
	const pairs: Array<[Record<string, unknown>, Record<string, unknown>]> = [
		[
			{ qs: {}, body: { a: 1 } },
			{ body: { b: 2 }, url: '/x' },
		],
		[{ body: { a: [1, 2, 3] } }, { body: { a: [9] } }],
		[{ body: { a: 1 } }, { body: { a: undefined, b: undefined } }],
		[{ body: { a: { x: 1 } } }, { body: { a: 'text' } }],
		[{ headers: { Accept: 'x' } }, { headers: { 'Content-Type': 'y' }, json: true }],
		[{ body: { events: [{ eventno: 1 }] } }, { body: { events: [{ eventno: 2 }, { eventno: 3 }] } }],
	];
	for (const [target, source] of pairs) {
		expect(mergeInto(structuredClone(target), structuredClone(source))).toEqual(
			merge(structuredClone(target), structuredClone(source)),
		);
	}
	const source = { body: { nested: { a: 1 } } };
	const merged = mergeInto({}, source);
	expect(merged.body).not.toBe(source.body);
	expect(merged.body.nested).not.toBe(source.body.nested);
});
