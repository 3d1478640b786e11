/**
 * Create or Update Many in the request path, with n8n's routing stubbed: the items of one run
 * meet, each chunk is one POST of an array, each item gets its own saved record or its own
 * error naming the chunk, and nothing is sent twice.
 */
import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { specFor } from '../../nodes/HaloPsa/resources';
import { bulkRecord } from '../../nodes/HaloPsa/shared/hooks';
import { haloRequestPath } from '../../nodes/HaloPsa/shared/requestPath';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	// back-off waits are skipped; the short settle wait of the chunk collector stays real
	return { ...actual, sleep: jest.fn(async (ms: number) => (ms <= 50 ? await actual.sleep(ms) : undefined)) };
});

type Post = Array<Record<string, unknown>>;
type Answer = (records: Post, call: number) => unknown;

let execution = 0;

/** Runs `count` items through the request path at once, as n8n does; returns each item's outcome and the POSTs. */
async function run(count: number, answer: Answer, options: { chunkSize?: number; knowsRunSize?: boolean } = {}) {
	const executionId = `exec-${++execution}`;
	const posts: Post[] = [];
	const contexts = Array.from({ length: count }, (_, itemIndex) => {
		const ctx: Record<string, unknown> = {
			getNodeParameter: (name: string, fallback?: unknown) =>
				({ resource: 'ticket', operation: 'upsertMany', chunkSize: options.chunkSize ?? 100 })[name] ?? fallback,
			getCredentials: async () => ({ urlMode: 'haloUrl', haloUrl: 'http://127.0.0.1:1', rateLimit: 'none' }),
			getNode: () => ({
				id: '1',
				name: 'HaloPSA',
				type: 'n8n-nodes-halopsa.haloPsa',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			}),
			getItemIndex: () => itemIndex,
			getExecutionId: () => executionId,
			makeRoutingRequest: async (
				requestData: DeclarativeRestApiSettings.ResultOptions,
			): Promise<INodeExecutionData[]> => {
				const records = requestData.options.body as Post;
				posts.push(records);
				const value = answer(records, posts.length);
				if (value instanceof Error) throw value;
				return (Array.isArray(value) ? value : [value]).map((json) => ({ json })) as INodeExecutionData[];
			},
		};
		if (options.knowsRunSize !== false)
			ctx.getExecuteData = () => ({ data: { main: [Array.from({ length: count })] } });
		return ctx as unknown as IExecutePaginationFunctions;
	});
	const outcomes = await Promise.allSettled(
		contexts.map(async (ctx, i) => {
			const body = [{ summary: `bulk ${i}`, ...(i % 7 === 3 ? { id: 5000 + i } : {}) }];
			return await haloRequestPath.call(ctx, {
				options: { method: 'POST', url: '/Tickets', body },
				requestOperations: {},
			} as never);
		}),
	);
	return { outcomes, posts };
}

const saveAll: Answer = (records) => records.map((r, i) => ({ id: r.id ?? 10_000 + i, ...r }));
const httpError = (status: number, data: unknown) =>
	Object.assign(new Error(`status ${status}`), { response: { status, data } });

test('250 records in chunks of 100 cost 3 requests; each item gets its own record back', async () => {
	const { outcomes, posts } = await run(250, saveAll);
	expect(posts.map((p) => p.length)).toEqual([100, 100, 50]);
	outcomes.forEach((outcome, i) => {
		expect(outcome.status).toBe('fulfilled');
		const [item] = (outcome as PromiseFulfilledResult<INodeExecutionData[]>).value;
		expect(item.json.summary).toBe(`bulk ${i}`);
	});
	// updates keep their id, creates get a new one
	expect((outcomes[3] as PromiseFulfilledResult<INodeExecutionData[]>).value[0].json.id).toBe(5003);
});

test('without knowing the run size, the items still meet (they arrive together) and go in full chunks', async () => {
	const { outcomes, posts } = await run(120, saveAll, { chunkSize: 50, knowsRunSize: false });
	expect(posts.map((p) => p.length)).toEqual([50, 50, 20]);
	expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
});

test('a refused middle chunk fails only its own items, names the chunk, and is not sent again', async () => {
	const { outcomes, posts } = await run(250, (records, call) =>
		call === 2 ? httpError(400, 'Please enter a Summary') : saveAll(records, call),
	);
	expect(posts).toHaveLength(3);
	const failed = outcomes.map((o, i) => (o.status === 'rejected' ? i : -1)).filter((i) => i >= 0);
	expect(failed).toEqual(Array.from({ length: 100 }, (_, i) => 100 + i));
	const error = (outcomes[150] as PromiseRejectedResult).reason;
	expect(error.message).toContain('[chunk 2: 100 tickets, items 100-199]');
	expect(error.description).toContain('Halo refused this request (HTTP 400)');
	expect(error.context.itemIndex).toBe(150);
});

test('a 5xx on a chunk is not resent; a 429 is (Halo did not process it)', async () => {
	const server = await run(10, () => httpError(503, 'busy'));
	expect(server.posts).toHaveLength(1);
	expect((server.outcomes[0] as PromiseRejectedResult).reason.description).toContain(
		'may or may not have been written',
	);
	const limited = await run(10, (records, call) =>
		call === 1
			? httpError(429, { error: 'Rate Limit Reached - 30 Requests per rolling 30 second window' })
			: saveAll(records, call),
	);
	expect(limited.posts.map((p) => p.length)).toEqual([10, 10]);
	expect(limited.outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
});

test('an answer that does not match the chunk (count or updated id) is an error for each of its items', async () => {
	const short = await run(5, (records) => saveAll(records.slice(0, 4), 1));
	expect(short.outcomes.every((o) => o.status === 'rejected')).toBe(true);
	expect((short.outcomes[0] as PromiseRejectedResult).reason.message).toContain('5 records sent, 4 came back');
	const moved = await run(5, (records) => records.map((r, i) => ({ ...r, id: 90 + i })));
	expect((moved.outcomes[3] as PromiseRejectedResult).reason.message).toContain(
		'sent to update id 5003 and came back as id 93',
	);
});

/** Runs items whose records are given, through the request path at once. */
async function runRecords(records: Array<Record<string, unknown>>, answer: Answer) {
	const executionId = `exec-${++execution}`;
	const posts: Post[] = [];
	const outcomes = await Promise.allSettled(
		records.map(async (record, itemIndex) => {
			const ctx = {
				getNodeParameter: (name: string, fallback?: unknown) =>
					({ resource: 'ticket', operation: 'upsertMany', chunkSize: 100 })[name] ?? fallback,
				getCredentials: async () => ({ urlMode: 'haloUrl', haloUrl: 'http://127.0.0.1:1', rateLimit: 'none' }),
				getNode: () => ({ id: '1', name: 'HaloPSA', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} }),
				getItemIndex: () => itemIndex,
				getExecutionId: () => executionId,
				getExecuteData: () => ({ data: { main: [records] } }),
				makeRoutingRequest: async (requestData: DeclarativeRestApiSettings.ResultOptions) => {
					const sent = requestData.options.body as Post;
					posts.push(sent);
					const value = answer(sent, posts.length);
					if (value instanceof Error) throw value;
					return (Array.isArray(value) ? value : [value]).map((json) => ({ json }));
				},
			} as unknown as IExecutePaginationFunctions;
			return await haloRequestPath.call(ctx, {
				options: { method: 'POST', url: '/Tickets', body: [record] },
				requestOperations: {},
			} as never);
		}),
	);
	return { outcomes, posts };
}

test('an empty id (an empty cell: "", "0", 0, null) creates; a whole number updates; anything else is refused before sending', async () => {
	const { outcomes, posts } = await runRecords(
		[
			{ id: '', summary: 'a' },
			{ id: '0', summary: 'b' },
			{ id: null, summary: 'c' },
			{ id: ' 12 ', summary: 'd' },
			{ id: 'abc', summary: 'e' },
			{ id: -1, summary: 'f' },
		],
		saveAll,
	);
	expect(posts).toEqual([[{ summary: 'a' }, { summary: 'b' }, { summary: 'c' }, { id: 12, summary: 'd' }]]);
	expect(outcomes.slice(0, 4).map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
	const refused = outcomes.slice(4).map((o) => (o as PromiseRejectedResult).reason);
	expect(refused[0].message).toBe('The record\'s id "abc" is not a ticket id; nothing was sent for this item');
	expect(refused[1].message).toContain('id -1 is not a ticket id');
	expect(refused[0].description).toContain('to create, leave id out or empty');
});

test('created records that come back in another order fail their chunk instead of pairing wrongly', async () => {
	const { outcomes } = await runRecords(
		[{ summary: 'first' }, { summary: 'second' }, { summary: 'third' }],
		(records) => saveAll([...records].reverse(), 1),
	);
	expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
	expect((outcomes[0] as PromiseRejectedResult).reason.message).toContain(
		'record 1 was sent with summary "first" and came back with "third"',
	);
	// Halo's own formatting of the text (HTML, spaces) is not a mismatch
	const formatted = await runRecords([{ note: 'a  note' }], (records) =>
		records.map((r, i) => ({ id: i + 1, note: '<p>a note</p>' })),
	);
	expect(formatted.outcomes[0].status).toBe('fulfilled');
});

test('a refused chunk says what is known: Halo does not document whether part of it was saved', async () => {
	const { outcomes } = await runRecords([{ summary: 'a' }, { summary: 'b' }], () =>
		httpError(400, 'Please enter a Ticket Type'),
	);
	const error = (outcomes[1] as PromiseRejectedResult).reason;
	expect(error.description).toContain('Whether Halo saves any of an array it refuses is not documented');
	expect(error.description).toContain('check the 2 records of items 0-1 in Halo');
	expect(error.description).not.toContain('none of its');
});

test('Fields to Send writes only the chosen fields of the input item, and its id', async () => {
	const item = { id: 7, name: 'Acme renamed', phonenumber: '123', notes: 'read by a Get', inactive: false };
	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) =>
			({ recordFrom: 'item', fieldsToSend: ' name , phonenumber' })[name] ?? fallback,
		getInputData: () => ({ json: item }),
		getNode: () => ({ name: 'HaloPSA', retryOnFail: false }),
		getItemIndex: () => 0,
	} as unknown as IExecuteSingleFunctions;
	const options = await bulkRecord(specFor('client')).call(ctx, { url: '/Client', method: 'POST' });
	expect(options.body).toEqual([{ id: 7, name: 'Acme renamed', phonenumber: '123' }]);
});
