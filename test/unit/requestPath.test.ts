/**
 * The node's request path (haloRequestPath, wired as requestOperations.pagination) with n8n's
 * makeRoutingRequest stubbed: paging, limits, retries, what is never resent, error mapping.
 * Waits are stubbed out (n8n-workflow's sleep), so the whole file runs in well under a second.
 */
import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { haloApiBaseUrlExpression, resourceServerUrl } from '../../credentials/HaloPsaToken';
import { parseRecordId } from '../../nodes/HaloPsa/shared/hooks';
import { haloRequestPath } from '../../nodes/HaloPsa/shared/requestPath';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => undefined) }));

type Answer = unknown | ((options: Record<string, any>) => unknown);

interface Stub {
	ctx: IExecutePaginationFunctions;
	calls: Array<Record<string, any>>;
}

/** A pagination context whose makeRoutingRequest plays `answers` in order (an Error-like answer is thrown). */
function stub(parameters: Record<string, unknown>, answers: Answer[]): Stub {
	const calls: Array<Record<string, any>> = [];
	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getCredentials: async () => ({
			urlMode: 'haloUrl',
			haloUrl: 'http://127.0.0.1:1',
			rateLimitRequests: 0,
			rateLimitWindowSeconds: 300,
		}),
		getNode: () => ({
			id: '1',
			name: 'HaloPSA',
			type: 'n8n-nodes-halopsa.haloPsa',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getItemIndex: () => 0,
		makeRoutingRequest: async (
			requestData: DeclarativeRestApiSettings.ResultOptions,
		): Promise<INodeExecutionData[]> => {
			calls.push(JSON.parse(JSON.stringify(requestData.options)));
			const answer = answers.length > 1 ? answers.shift() : answers[0];
			const value = typeof answer === 'function' ? (answer as (o: unknown) => unknown)(requestData.options) : answer;
			if (value && typeof value === 'object' && 'status' in value && 'fail' in value)
				throw httpError(value as { status: number; data?: unknown });
			if (Array.isArray(value)) return value.map((json) => ({ json }));
			return [{ json: value as INodeExecutionData['json'] }];
		},
	} as unknown as IExecutePaginationFunctions;
	return { ctx, calls };
}

function httpError({ status, data }: { status: number; data?: unknown }) {
	return Object.assign(new Error(`Request failed with status code ${status}`), {
		response: { status, data: data ?? '', headers: {} },
	});
}

const fail = (status: number, data?: unknown) => ({ fail: true, status, data });
const request = (method: string, url: string, extra: Record<string, unknown> = {}) =>
	({
		options: { method, url, ...extra },
		requestOperations: {},
	}) as unknown as DeclarativeRestApiSettings.ResultOptions;
const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: from + i }));
const page = (from: number, count: number, total?: number) => ({
	record_count: total ?? 10_000,
	tickets: rows(from, count),
});

async function run(s: Stub, data: DeclarativeRestApiSettings.ResultOptions) {
	return await haloRequestPath.call(s.ctx, data);
}

describe('Get Many paging', () => {
	test('Return All pages with pageinate/page_size 100/page_no until a short page', async () => {
		const s = stub({ resource: 'ticket', operation: 'getAll', returnAll: true }, [
			page(1, 100),
			page(101, 100),
			page(201, 37),
		]);
		const items = await run(s, request('GET', '/Tickets', { qs: { client_id: 3 } }));
		expect(items).toHaveLength(237);
		expect(items[236].json).toEqual({ id: 237 });
		expect(s.calls.map((c) => c.qs)).toEqual(
			[1, 2, 3].map((page_no) => ({ client_id: 3, pageinate: true, page_size: 100, page_no })),
		);
	});

	test('a limit asks for no more than it needs and trims the last page', async () => {
		const s = stub({ resource: 'ticket', operation: 'getAll', returnAll: false, limit: 150 }, [
			page(1, 100),
			page(101, 100),
		]);
		const items = await run(s, request('GET', '/Tickets'));
		expect(items).toHaveLength(150);
		expect(s.calls).toHaveLength(2);
		const small = stub({ resource: 'ticket', operation: 'getAll', returnAll: false, limit: 5 }, [page(1, 5)]);
		expect(await run(small, request('GET', '/Tickets'))).toHaveLength(5);
		expect(small.calls[0].qs).toEqual({ pageinate: true, page_size: 5, page_no: 1 });
	});

	test('record_count never cuts a list short: Halo sending more rows than it counts still reads them all', async () => {
		const low = stub({ resource: 'ticket', operation: 'getAll', returnAll: true }, [
			page(1, 100, 120),
			page(101, 100, 120),
			page(201, 30, 120),
		]);
		expect(await run(low, request('GET', '/Tickets'))).toHaveLength(230);
		expect(low.calls).toHaveLength(3);
		// a list that ends exactly on a page boundary costs one more request, which comes back empty
		const exact = stub({ resource: 'ticket', operation: 'getAll', returnAll: true }, [
			page(1, 100, 200),
			page(101, 100, 200),
			page(0, 0, 200),
		]);
		expect(await run(exact, request('GET', '/Tickets'))).toHaveLength(200);
		expect(exact.calls).toHaveLength(3);
		const unpaged = stub({ resource: 'ticket', operation: 'getAll', returnAll: true }, [page(1, 250, 250)]);
		expect(await run(unpaged, request('GET', '/Tickets'))).toHaveLength(250);
		expect(unpaged.calls).toHaveLength(1);
	});

	test('a page cap other than 100 is learned from the first page when Halo counts more rows', async () => {
		const capped = (from: number, count: number) => ({ record_count: 120, clients: rows(from, count) });
		const s = stub({ resource: 'client', operation: 'getAll', returnAll: true }, [
			capped(1, 50),
			capped(51, 50),
			capped(101, 20),
		]);
		expect(await run(s, request('GET', '/Client'))).toHaveLength(120);
		expect(s.calls.map((c) => c.qs.page_no)).toEqual([1, 2, 3]);
		const lastPage = stub({ resource: 'client', operation: 'getAll', returnAll: true }, [
			{ record_count: 40, clients: rows(1, 40) },
		]);
		expect(await run(lastPage, request('GET', '/Client'))).toHaveLength(40);
	});

	test('a repeated page stops with an error; ids seen twice (rows shifting between pages) are dropped', async () => {
		const repeated = stub({ resource: 'client', operation: 'getAll', returnAll: true }, [
			{ record_count: 500, clients: rows(1, 100) },
		]);
		await expect(run(repeated, request('GET', '/Client'))).rejects.toThrow('same rows for page 2 as for page 1');
		expect(repeated.calls).toHaveLength(2);
		const shifted = stub({ resource: 'client', operation: 'getAll', returnAll: true }, [
			{ record_count: 150, clients: rows(1, 100) },
			{ record_count: 151, clients: rows(100, 51) },
		]);
		const items = await run(shifted, request('GET', '/Client'));
		expect(items.map((i) => i.json.id)).toEqual(rows(1, 150).map((r) => r.id));
	});

	test('an answer without the list is an error, never a row', async () => {
		const s = stub({ resource: 'client', operation: 'getAll', returnAll: true }, [{ message: 'maintenance' }]);
		await expect(run(s, request('GET', '/Client'))).rejects.toThrow('HaloPSA answered without the list "clients"');
		const bare = stub({ resource: 'agent', operation: 'getAll', returnAll: true }, [{ id: 1, name: 'only one' }]);
		await expect(run(bare, request('GET', '/Agent'))).rejects.toThrow('without the list');
	});

	test('an update Halo saved under another id (the asked one did not exist) is an error', async () => {
		const s = stub({ resource: 'client', operation: 'update' }, [{ id: 99, name: 'x' }]);
		const error = await run(s, request('POST', '/Client', { body: [{ id: 7, name: 'x' }] })).catch((e) => e);
		expect(error.message).toBe('HaloPSA saved Client 99 instead of updating Client 7');
		const ok = stub({ resource: 'client', operation: 'update' }, [{ id: 7, name: 'x' }]);
		expect(await run(ok, request('POST', '/Client', { body: [{ id: 7, name: 'x' }] }))).toEqual([
			{ json: { id: 7, name: 'x' } },
		]);
	});

	test('bare-array lists are read once and limited; a lookup wrapped in an envelope still reads', async () => {
		const agents = stub({ resource: 'agent', operation: 'getAll', returnAll: false, limit: 2 }, [rows(1, 7)]);
		expect((await run(agents, request('GET', '/Agent'))).map((i) => i.json.id)).toEqual([1, 2]);
		expect(agents.calls[0].qs).toBeUndefined();
		const wrapped = stub({ resource: 'lookup', lookupType: 'status', operation: 'getAll', returnAll: true }, [
			{ statuses: rows(1, 3) },
		]);
		expect(await run(wrapped, request('GET', '/Status'))).toHaveLength(3);
	});
});

describe('retries', () => {
	test('429 is retried for reads and writes alike (Halo did not process it)', async () => {
		const read = stub({ resource: 'client', operation: 'get' }, [fail(429), fail(429), { id: 4 }]);
		expect(await run(read, request('GET', '/Client/4'))).toEqual([{ json: { id: 4 } }]);
		expect(read.calls).toHaveLength(3);
		const write = stub({ resource: 'client', operation: 'create' }, [fail(429), { id: 9 }]);
		expect(await run(write, request('POST', '/Client', { body: [{ name: 'A' }] }))).toEqual([{ json: { id: 9 } }]);
		expect(write.calls).toHaveLength(2);
	});

	test('a POST that gets a 5xx or loses its connection is not resent, and the error says it may be saved', async () => {
		for (const answer of [fail(500, { Message: 'Deadlock' }), fail(503)]) {
			const s = stub({ resource: 'invoice', operation: 'create' }, [answer, { id: 1 }]);
			await expect(run(s, request('POST', '/Invoice', { body: [{ client_id: 1 }] }))).rejects.toThrow(/server error/);
			expect(s.calls).toHaveLength(1);
		}
		const reset = stub({ resource: 'ticket', operation: 'create' }, [
			() => {
				throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
			},
		]);
		const error = await run(reset, request('POST', '/Tickets', { body: [{ summary: 'x' }] })).catch((e) => e);
		expect(reset.calls).toHaveLength(1);
		expect(error.description).toMatch(/may or may not have been saved/);
	});

	test("reads are retried on 5xx up to 3 times, then fail with Halo's words", async () => {
		const healed = stub({ resource: 'ticket', operation: 'get' }, [fail(503), fail(502), { id: 1 }]);
		expect(await run(healed, request('GET', '/Tickets/1'))).toHaveLength(1);
		expect(healed.calls).toHaveLength(3);
		const broken = stub({ resource: 'ticket', operation: 'get' }, [fail(500, { Message: 'Deadlock' })]);
		const error = await run(broken, request('GET', '/Tickets/1')).catch((e) => e);
		expect(broken.calls).toHaveLength(4);
		expect(error.message).toBe('HaloPSA had a server error (500): Deadlock');
	});

	test('a token failure is not retried here (the credential already retried it) and keeps its words', async () => {
		const tokenError = Object.assign(new Error('Halo rejected the Client ID or Client Secret (invalid_client)'), {
			name: 'HaloCredentialError',
			description: 'Check both values in Halo',
			tokenEndpointStatus: 401,
		});
		const s = stub({ resource: 'ticket', operation: 'get' }, [
			() => {
				throw tokenError;
			},
		]);
		const error = await run(s, request('GET', '/Tickets/1')).catch((e) => e);
		expect(s.calls).toHaveLength(1);
		expect(error.message).toContain('invalid_client');
	});
});

describe('results and errors', () => {
	test('Delete answers {id, deleted: true}; a record action keeps the id from its URL', async () => {
		const s = stub({ resource: 'ticket', operation: 'delete' }, [{ id: 12, summary: 'x' }]);
		expect(await run(s, request('DELETE', '/Tickets/12'))).toEqual([{ json: { id: 12, deleted: true } }]);
		const voided = stub({ resource: 'invoice', operation: 'void' }, [fail(404)]);
		await expect(run(voided, request('POST', '/Invoice/77/void'))).rejects.toThrow(
			'Invoice 77 was not found in HaloPSA (404)',
		);
	});

	test("403 names the permission of the resource; 400 keeps Halo's words", async () => {
		const denied = stub({ resource: 'quotation', operation: 'getAll', returnAll: true }, [fail(403)]);
		await expect(run(denied, request('GET', '/Quotation'))).rejects.toThrow('permission "read:quotes" is missing');
		const refused = stub({ resource: 'ticket', operation: 'create' }, [
			fail(400, 'Please select a Client (client_id)'),
		]);
		const error = await run(refused, request('POST', '/Tickets', { body: [{}] })).catch((e) => e);
		expect(error.message).toBe('HaloPSA refused the ticket request (400): Please select a Client (client_id)');
		expect(error.description).toContain('"client_id"');
	});

	test('an answer that is not JSON (a proxy page) is refused clearly', async () => {
		const s = stub({ resource: 'ticket', operation: 'get' }, [() => '<html>login</html>']);
		s.ctx.makeRoutingRequest = async () => [{ json: '<html>' as unknown as INodeExecutionData['json'] }];
		await expect(run(s, request('GET', '/Tickets/1'))).rejects.toThrow('not JSON');
	});
});

test('the baseURL expression and resourceServerUrl are the same rule', () => {
	const cases: Array<Record<string, string>> = [
		{ urlMode: 'haloUrl', haloUrl: ' https://acme.halopsa.com/ ' },
		{ urlMode: 'haloUrl', haloUrl: 'https://halo.example.org/support//' },
		{ urlMode: 'separate', resourceApiUrl: 'https://acme.halopsa.com/api/ ', haloUrl: 'https://ignored' },
		{ urlMode: 'separate', resourceApiUrl: ' https://api.example.org/halo/api' },
	];
	// evaluate the expression the way n8n does for this shape: the body of {{ }} over $credentials
	const body = haloApiBaseUrlExpression.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	// eslint-disable-next-line @typescript-eslint/no-implied-eval
	const evaluate = new Function('$credentials', `return (${body});`) as (c: unknown) => string;
	for (const credentials of cases) expect(evaluate(credentials)).toBe(resourceServerUrl(credentials));
});

test('a Limit that is not a number of 1 or more (an expression that found nothing) is refused, not "everything"', async () => {
	for (const limit of [NaN, 0, -3]) {
		const s = stub({ resource: 'ticket', operation: 'getAll', returnAll: false, limit }, [page(1, 100)]);
		await expect(run(s, request('GET', '/Tickets'))).rejects.toThrow(
			`Limit must be a number of 1 or more, got ${limit}`,
		);
		expect(s.calls).toHaveLength(0);
	}
});

test('a record id beyond 2^53 is refused: it would name another record', () => {
	const ctx = {
		getNodeParameter: () => '9007199254740993',
		getNode: () => ({ name: 'HaloPSA' }),
		getItemIndex: () => 0,
	} as unknown as IExecuteSingleFunctions;
	expect(() => parseRecordId(ctx, 'ticketId', 'Ticket ID')).toThrow(
		'Ticket ID must be a positive whole number, got "9007199254740993"',
	);
});
