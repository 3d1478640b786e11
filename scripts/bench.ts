/**
 * Benchmarks in a real n8n against the emulator; prints figures (requests, wall time, memory),
 * asserts nothing. `npm run bench` (BENCH_ITEMS, BENCH_LIMIT="30/3" to change the load).
 */
import { readFileSync } from 'fs';

import { byId, startStack } from '../test/e2e/stack';
import { createTicketsCase } from '../test/e2e/workflows';

function rssOf(pid: number | undefined): string {
	if (!pid) return 'n/a';
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		return `${(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024).toFixed(0)} MB peak RSS (n8n main process)`;
	} catch {
		return 'n/a';
	}
}

async function main() {
	const items = Number(process.env.BENCH_ITEMS ?? 1000);
	const [max, seconds] = String(process.env.BENCH_LIMIT ?? '30/3')
		.split('/')
		.map(Number);
	const stack = await startStack(
		'bench',
		[
			{ name: 'Get Many', parameters: { resource: 'ticket', operation: 'getAll', returnAll: true, filters: {} } },
			{ name: 'Current agent', parameters: { resource: 'agent', operation: 'getCurrent' } },
			{
				name: 'Get ticket',
				parameters: { resource: 'ticket', operation: 'get', ticketId: byId('={{ $json.body.id }}') },
			},
			createTicketsCase(),
		],
		{
			emulator: { seed: 'empty', extraTickets: 1000, rateLimit: null },
			credential: { rateLimit: 'custom', rateLimitRequests: max, rateLimitWindowSeconds: seconds },
		},
	);
	const { emulator, n8n } = stack;
	try {
		emulator.clearLog();
		let started = Date.now();
		const all = await stack.run('Get Many');
		console.log(
			`Get Many (Return All) of ${all.body.length} tickets: ${emulator.tokenRequests().length} token + ${emulator.apiRequests().length} page requests, ${Date.now() - started} ms wall`,
		);

		emulator.clearLog();
		started = Date.now();
		for (let i = 0; i < 10; i++) await stack.run('Get ticket', { id: i + 1 });
		console.log(
			`10 executions in a row: ${emulator.tokenRequests().length} token requests, ${emulator.apiRequests().length} API requests, ${Date.now() - started} ms wall`,
		);

		emulator.setRateLimit({ max, windowMs: seconds * 1000 });
		emulator.expireTokens();
		emulator.clearLog();
		started = Date.now();
		const benchTickets = () =>
			emulator.store.list('tickets').filter((t) => String(t.summary).startsWith('bench ')).length;
		let revoked = false;
		// every token stops working once a third of the tickets exist, as in test/e2e/load.test.ts
		const revoke = setInterval(() => {
			if (!revoked && benchTickets() >= items / 3) {
				revoked = true;
				emulator.expireTokens();
			}
		}, 50);
		const result = await stack.runItems('Create items', {
			items: Array.from({ length: items }, (_, i) => ({ summary: `bench ${i}` })),
		});
		clearInterval(revoke);
		const created = benchTickets();
		const statuses = emulator
			.apiRequests()
			.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
		console.log(
			`${items} creates under ${max} requests / ${seconds} s, tokens revoked mid-run: ${Date.now() - started} ms wall, ${result.filter((r) => r.error).length} failed items, ` +
				`${created} tickets written, ${emulator.tokenRequests().length} token requests, API answers ${JSON.stringify(statuses)}`,
		);
		console.log(rssOf((n8n as unknown as { child?: { pid?: number } }).child?.pid));
	} finally {
		await stack.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
