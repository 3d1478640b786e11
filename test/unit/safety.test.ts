/**
 * What the node refuses before it sends anything (Retry On Fail on creates, an id on a create,
 * an empty filter), how it learns Halo's real rate limit from a 429, and that write errors say
 * other items may have been saved.
 */
import type { IExecuteSingleFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';

import {
	currentPace,
	HOSTED_HALO_LIMIT,
	learnFromRateLimit,
	limitStatedIn,
	pacingOf,
	rateLimitModeOf,
	resetPacing,
	heldUntil,
} from '../../credentials/HaloPsaPacing';
import { specs } from '../../nodes/HaloPsa/resources';
import { haloApiError } from '../../nodes/HaloPsa/shared/errors';
import { buildWriteBody, checkFilters } from '../../nodes/HaloPsa/shared/hooks';

const node = (extra: Partial<INode> = {}): INode => ({
	id: '1',
	name: 'HaloPSA',
	type: 'n8n-nodes-halopsa.haloPsa',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	...extra,
});

function single(parameters: Record<string, unknown>, nodeExtra: Partial<INode> = {}): IExecuteSingleFunctions {
	return {
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = name.split('.').reduce<any>((at, part) => (at === undefined ? undefined : at[part]), parameters);
			return value === undefined ? fallback : value;
		},
		getNode: () => node(nodeExtra),
		getItemIndex: () => 0,
	} as unknown as IExecuteSingleFunctions;
}

const options = (body: unknown = { name: 'Acme' }) => ({ method: 'POST', url: '/Client', body }) as IHttpRequestOptions;

describe('before anything is sent', () => {
	test('a create refuses Retry On Fail, pointing at the error output instead; an update does not', async () => {
		const create = single({ operation: 'create', additionalFields: {} }, { retryOnFail: true });
		await expect(buildWriteBody(specs.client).call(create, options())).rejects.toThrow(
			'Retry On Fail would create these records again',
		);
		const error = await buildWriteBody(specs.client)
			.call(create, options())
			.catch((e) => e);
		expect(error.description).toContain('Continue (using error output)');
		const update = single({ operation: 'update', clientId: '5', updateFields: {} }, { retryOnFail: true });
		await expect(buildWriteBody(specs.client).call(update, options())).resolves.toMatchObject({
			body: [{ name: 'Acme', id: 5 }],
		});
	});

	test('a create with an id in Extra Fields (JSON) is refused, not turned into an update', async () => {
		const ctx = single({ operation: 'create', additionalFields: { extraFieldsJson: '{"id": 12}' } });
		await expect(buildWriteBody(specs.client).call(ctx, options())).rejects.toThrow(
			'Create cannot take an id (got 12)',
		);
		const zero = single({ operation: 'create', additionalFields: { extraFieldsJson: '{"id": 0}' } });
		await expect(buildWriteBody(specs.client).call(zero, options())).resolves.toMatchObject({ body: [{ id: 0 }] });
	});

	test('a filter that resolved to nothing is an error naming it; false and real values pass', async () => {
		const defs = [
			{ key: 'client_id', displayName: 'Client', type: 'number' as const, loadOptions: 'getClients' },
			{ key: 'search', displayName: 'Search', type: 'string' as const },
			{ key: 'open_only', displayName: 'Open Only', type: 'boolean' as const },
			{ key: 'status', displayName: 'Statuses', type: 'string' as const, multiple: true },
		];
		const hook = checkFilters(defs);
		const get = (filters: Record<string, unknown>) =>
			hook.call(single({ filters }), { url: '/Tickets' } as IHttpRequestOptions);
		for (const [filters, name] of [
			[{ client_id: '' }, 'Client'],
			[{ client_id: undefined }, 'Client'],
			[{ client_id: 0 }, 'Client'],
			[{ client_id: Number.NaN }, 'Client'],
			[{ search: '  ' }, 'Search'],
			[{ status: [] }, 'Statuses'],
		] as const) {
			await expect(get(filters)).rejects.toThrow(`The filter "${name}" is empty`);
		}
		await expect(get({ client_id: 3, open_only: false, search: 'printer', status: ['1'] })).resolves.toBeDefined();
		await expect(get({})).resolves.toBeDefined();
	});
});

describe('rate limit learned from Halo', () => {
	beforeEach(() => resetPacing());
	const onPremise = { urlMode: 'haloUrl', haloUrl: 'https://halo.example', hostingType: 'onPremise' };
	const hosted = { urlMode: 'haloUrl', haloUrl: 'https://acme.halopsa.com', hostingType: 'hostedHalo' };

	test("Halo's sentence gives the limit: 300 per 5 minutes, 30 per 30 seconds", () => {
		expect(limitStatedIn('Rate Limit Reached - 300 Requests per rolling 5 minute window')).toEqual(HOSTED_HALO_LIMIT);
		expect(limitStatedIn('Rate Limit Reached - 30 Requests per rolling 30 second window')).toEqual({
			max: 30,
			windowMs: 30_000,
		});
		expect(limitStatedIn('Too many requests')).toBeUndefined();
	});

	test('automatic: hosted keeps 300 / 5 min, on-premise no pace; a 429 teaches the stated limit and holds the window', () => {
		expect(currentPace(pacingOf(hosted))).toEqual(HOSTED_HALO_LIMIT);
		const local = pacingOf(onPremise);
		expect(currentPace(local).max).toBe(0);
		const learned = learnFromRateLimit(local, 'Rate Limit Reached - 30 Requests per rolling 30 second window');
		expect(learned).toEqual({ max: 30, windowMs: 30_000 });
		expect(currentPace(pacingOf(onPremise))).toEqual(learned);
		expect(heldUntil(local.key)).toBeGreaterThan(Date.now() + 29_000);
	});

	test('custom never goes faster than the numbers set; none never waits', () => {
		const custom = pacingOf({ ...hosted, rateLimit: 'custom', rateLimitRequests: 20, rateLimitWindowSeconds: 60 });
		expect(learnFromRateLimit(custom, 'Rate Limit Reached - 300 Requests per rolling 5 minute window')).toEqual({
			max: 20,
			windowMs: 60_000,
		});
		expect(learnFromRateLimit(custom, 'Rate Limit Reached - 5 Requests per rolling 60 second window')).toEqual({
			max: 5,
			windowMs: 60_000,
		});
		const none = pacingOf({ ...hosted, rateLimit: 'none' });
		expect(learnFromRateLimit(none, 'Rate Limit Reached - 5 Requests per rolling 60 second window').max).toBe(0);
	});

	test('credentials saved before the Rate Limit option keep their numbers', () => {
		expect(rateLimitModeOf({ rateLimitRequests: 300, rateLimitWindowSeconds: 300 })).toBe('auto');
		expect(rateLimitModeOf({ rateLimitRequests: 30, rateLimitWindowSeconds: 30 })).toBe('custom');
		expect(rateLimitModeOf({ rateLimitRequests: 0 })).toBe('none');
		expect(rateLimitModeOf({})).toBe('auto');
	});
});

test('every write error says other items of the run may have been saved; reads do not', () => {
	const axiosError = (status: number) => Object.assign(new Error('x'), { response: { status, data: '' } });
	for (const status of [400, 403, 404, 500]) {
		expect(haloApiError(node(), axiosError(status), { spec: specs.ticket, method: 'POST' }).description).toContain(
			'may already have been saved',
		);
		expect(haloApiError(node(), axiosError(status), { spec: specs.ticket, method: 'GET' }).description).not.toContain(
			'may already have been saved',
		);
	}
	const timeout = Object.assign(new Error('timeout of 120000ms exceeded'), { code: 'ECONNABORTED' });
	expect(haloApiError(node(), timeout, { spec: specs.ticket, method: 'POST' }).message).toBe(
		'HaloPSA did not answer in time',
	);
});
