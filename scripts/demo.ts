/**
 * The demo: a HaloPSA emulator with sample data and a real n8n with this package, a
 * credential pointing at the emulator and the example workflows. Prints the editor URL.
 * Run with `npm run demo`; Ctrl+C stops both.
 */
import { startEmulator } from '../emulator';
import { ensureN8n, N8nInstance, OWNER_LOGIN, packPackage } from '../test/e2e/harness';
import { credentialFor } from '../test/e2e/stack';
import { loadExamples } from '../test/e2e/workflows';

const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const EMULATOR_PORT = Number(process.env.HALO_EMULATOR_PORT ?? 5680);
const TENANT = 'demo';
export const DEMO_CREDENTIAL_ID = 'halopsaDemo';

async function main() {
	const emulator = await startEmulator({ port: EMULATOR_PORT, tenant: TENANT, seed: 'demo', quiet: true });
	console.log(`HaloPSA emulator: ${emulator.url} (tenant "${TENANT}")`);
	const env = ensureN8n();
	const tarball = packPackage();
	const n8n = new N8nInstance(env, N8N_PORT);
	n8n.installPackage(tarball);
	n8n.importCredentials([
		{
			id: DEMO_CREDENTIAL_ID,
			name: 'HaloPSA (emulator)',
			data: credentialFor(emulator, TENANT),
		},
	]);
	n8n.importWorkflows(
		loadExamples().map((e) => e.workflow),
		false,
	);
	await n8n.start();
	await n8n.login();
	console.log('');
	console.log(`n8n editor: ${n8n.url}  (log in as ${OWNER_LOGIN.email} / ${OWNER_LOGIN.password})`);
	console.log('Open a "HaloPSA example" workflow and click "Execute workflow".');
	console.log('Press Ctrl+C to stop.');
	const stop = async () => {
		await n8n.stop();
		n8n.cleanup();
		await emulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
