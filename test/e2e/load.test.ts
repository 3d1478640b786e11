/**
 * Halo's rate limit at scale, in a real n8n: 1000 input items create 1000 tickets under a
 * limit of the same shape as hosted Halo's 300 per rolling 5 minutes, scaled down to 30 per
 * rolling 3 s, while every token is revoked in the middle of the run. Every record must be
 * written exactly once and every item must come back paired with its input.
 * Wall time and request counts are printed by `npm run bench`, not asserted here.
 */
import { startStack, type Stack } from './stack';
import { createTicketsCase } from './workflows';

jest.setTimeout(900_000);

const ITEMS = 1000;
const LIMIT = { max: 30, windowMs: 3000 };

let stack: Stack;

beforeAll(async () => {
	stack = await startStack('load', [createTicketsCase()], {
		emulator: { seed: 'empty', rateLimit: LIMIT },
		credential: { rateLimit: 'custom', rateLimitRequests: LIMIT.max, rateLimitWindowSeconds: LIMIT.windowMs / 1000 },
	});
});

afterAll(async () => await stack?.stop());

test(`${ITEMS} creates under ${LIMIT.max} requests per ${LIMIT.windowMs / 1000} s, tokens revoked mid-run: each ticket written exactly once`, async () => {
	const { emulator } = stack;
	emulator.clearLog();
	const items = Array.from({ length: ITEMS }, (_, i) => ({ summary: `load ${i}` }));
	let revokedAt = -1;
	const revoke = setInterval(() => {
		// once a third of the tickets exist, every token stops working
		if (revokedAt < 0 && emulator.store.count('tickets') >= ITEMS / 3) {
			revokedAt = emulator.store.count('tickets');
			emulator.expireTokens();
		}
	}, 50);
	let result: Awaited<ReturnType<Stack['runItems']>>;
	try {
		result = await stack.runItems('Create items', { items });
	} finally {
		clearInterval(revoke);
	}

	expect(revokedAt).toBeGreaterThan(0);
	expect(revokedAt).toBeLessThan(ITEMS);
	expect(result.filter((item) => item.error).map((item) => item.error.message)).toEqual([]);
	expect(result).toHaveLength(ITEMS);
	// n8n keeps item order and pairing: item i is the ticket created from input i
	result.forEach((item, i) => {
		expect(item.json.summary).toBe(`load ${i}`);
		expect(item.pairedItem).toEqual({ item: i });
	});

	const written = emulator.store.list('tickets').map((t) => String(t.summary));
	expect(written).toHaveLength(ITEMS);
	expect(new Set(written).size).toBe(ITEMS);

	const posts = emulator.apiRequests().filter((r) => r.route === 'POST /api/tickets');
	const byStatus = (status: number) => posts.filter((r) => r.status === status).length;
	// every accepted POST wrote one ticket; the rest were refused unprocessed (401, 429)
	expect(byStatus(201)).toBe(ITEMS);
	expect(posts.length - byStatus(201)).toBe(byStatus(401) + byStatus(429));
	expect(byStatus(401)).toBeGreaterThan(0);
	// one token before the revocation, one after it, shared by all concurrent items
	expect(emulator.tokenRequests().map((r) => r.status)).toEqual([200, 200]);
});
