/**
 * n8n in queue mode with this package: Redis and PostgreSQL on 127.0.0.1, n8n main (EXECUTIONS_MODE=queue) and
 * two workers, the emulator behind them. Runs every example workflow and a 300-item ticket create
 * through the queue and prints, from the emulator's log, which process sent what and how many
 * tokens were requested. Then keeps running for the editor (Ctrl+C stops everything), or exits
 * with `--exit`. Run with `npm run queue`.
 */
import { OWNER_LOGIN } from '../test/e2e/harness';
import { apiRequestsSince, byProcess, lastSeq, startQueueCluster } from '../test/e2e/queue';
import { CREDENTIAL_ID, credentialFor } from '../test/e2e/stack';
import {
	caseWorkflow,
	createTicketsCase,
	exampleFailure,
	examplePath,
	loadExamples,
	startableExample,
} from '../test/e2e/workflows';

const ITEMS = Number(process.env.QUEUE_ITEMS ?? 300);

async function main() {
	const examples = loadExamples();
	const cluster = await startQueueCluster({
		port: Number(process.env.N8N_PORT ?? 5678),
		// on-premise, no rate limit: on a hosted tenant the 300 creates would be paced to Halo's
		// documented 300 requests per 5 minutes
		emulator: { port: Number(process.env.HALO_EMULATOR_PORT ?? 5680), tenant: null, seed: 'demo', rateLimit: null },
		credentials: (emulator) => [{ id: CREDENTIAL_ID, name: 'HaloPSA (emulator)', data: credentialFor(emulator, null) }],
		workflows: [
			caseWorkflow('queue-create', 'queue-create', CREDENTIAL_ID, [createTicketsCase()]),
			...examples.map((e) => startableExample(e.workflow, CREDENTIAL_ID)),
		],
	});
	const { emulator, main: n8n } = cluster;
	console.log(
		`Redis 127.0.0.1:${cluster.redis.port}; PostgreSQL 127.0.0.1:${cluster.postgres.port}; n8n main ${n8n.url} (pid ${n8n.pid}); workers: ${[
			...cluster.workers.entries(),
		]
			.map(([name, worker]) => `${name} (pid ${worker.pid})`)
			.join(', ')}; emulator ${emulator.url}`,
	);

	for (const { file, workflow } of examples) {
		const before = lastSeq(emulator);
		const failure = exampleFailure(await n8n.webhook(examplePath(workflow), {}));
		const requests = apiRequestsSince(emulator, before);
		console.log(
			`${failure ? 'FAILED' : 'ok    '} ${file}: ${requests.length} API requests (${byProcess(requests)})${failure ? `: ${failure}` : ''}`,
		);
	}
	const before = lastSeq(emulator);
	const started = Date.now();
	const result = await n8n.webhook('queue-create', {
		case: 0,
		items: Array.from({ length: ITEMS }, (_, i) => ({ summary: `queue-mode ${i}` })),
	});
	const written = emulator.store.list('tickets').filter((t) => String(t.summary).startsWith('queue-mode '));
	const requests = apiRequestsSince(emulator, before);
	console.log(
		`${result.status === 200 ? 'ok    ' : 'FAILED'} ${ITEMS}-item create: ${written.length} tickets written ` +
			`(${new Set(written.map((t) => t.summary)).size} distinct) in ${Date.now() - started} ms, ` +
			`${requests.length} API requests (${byProcess(requests)})`,
	);
	console.log(`token requests in all: ${emulator.tokenRequests().length} (${byProcess(emulator.tokenRequests())})`);

	const stop = async () => {
		await cluster.stop();
		process.exit(0);
	};
	if (process.argv.includes('--exit')) return await stop();
	await n8n.login();
	console.log(`\nn8n editor: ${n8n.url} (${OWNER_LOGIN.email} / ${OWNER_LOGIN.password}). Ctrl+C stops everything.`);
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
