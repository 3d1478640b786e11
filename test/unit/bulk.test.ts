/**
 * Create or Update Many in the request path, with n8n's routing stubbed: the items of one run
 * meet, each chunk is one POST of an array, each item gets its own saved record or its own
 * error naming the chunk, and nothing is sent twice.
 */
import type { DeclarativeRestApiSettings, IExecutePaginationFunctions, INodeExecutionData } from 'n8n-workflow';

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
	expect(error.description).toContain('none of its 100 records were written');
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
