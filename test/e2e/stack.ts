/**
 * One emulator + one real n8n per test file: the cases become one webhook workflow, and
 * `run(name, body)` executes a case and returns the items its HaloPSA node produced.
 */
import { DEFAULT_CLIENT, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { startN8n, type N8nInstance, type WorkflowJson } from './harness';
import { caseIndex, caseWorkflow, type NodeCase } from './workflows';

export interface Stack {
	emulator: Emulator;
	n8n: N8nInstance;
	credentialData: Record<string, unknown>;
	run(name: string, body?: Record<string, unknown>): Promise<{ status: number; body: any }>;
	/** runs a case and returns its node's items including `error` (continue-on-fail items) */
	runItems(name: string, body?: Record<string, unknown>): Promise<Array<{ json: any; error?: any; pairedItem?: any }>>;
	/** runs a case whose node fails (no continue-on-fail) and returns the node's error */
	runError(
		name: string,
		body?: Record<string, unknown>,
	): Promise<{ message: string; description?: string } | undefined>;
	stop(): Promise<void>;
}

export const CREDENTIAL_ID = 'halopsaEmulator1';

export function credentialFor(emulator: Emulator, tenant: string | null, extra: Record<string, unknown> = {}) {
	const client = DEFAULT_CLIENT;
	return {
		hostingType: tenant ? 'hostedHalo' : 'onPremise',
		urlMode: 'haloUrl',
		haloUrl: emulator.url,
		tenant: tenant ?? '',
		clientId: client.clientId,
		clientSecret: client.clientSecret,
		scope: 'all',
		...extra,
	};
}

export async function startStack(
	path: string,
	cases: NodeCase[],
	options: {
		emulator?: EmulatorOptions;
		tenant?: string | null;
		credential?: Record<string, unknown>;
		extraCredentials?: Array<{ id: string; data: Record<string, unknown> }>;
		extraWorkflows?: WorkflowJson[];
		/** n8n version to run on (default: DEFAULT_N8N_VERSION) */
		n8nVersion?: string;
	} = {},
): Promise<Stack> {
	const tenant = options.tenant === undefined ? 'acme' : options.tenant;
	const emulator = await startEmulator({ quiet: true, tenant, ...options.emulator });
	const credentialData = credentialFor(emulator, tenant, options.credential);
	let n8n: N8nInstance;
	try {
		n8n = await startN8n(
			[
				{ id: CREDENTIAL_ID, name: 'HaloPSA emulator', data: credentialData },
				...(options.extraCredentials ?? []).map((c) => ({ id: c.id, name: `HaloPSA ${c.id}`, data: c.data })),
			],
			[caseWorkflow(path, path, CREDENTIAL_ID, cases), ...(options.extraWorkflows ?? [])],
			options.n8nVersion,
		);
	} catch (error) {
		await emulator.stop();
		throw error;
	}
	return {
		emulator,
		n8n,
		credentialData,
		run: async (name, body = {}) => await n8n.webhook(path, { case: caseIndex(cases, name), ...body }),
		runItems: async (name, body = {}) => {
			const before = await n8n.latestExecutionId(path);
			await n8n.webhook(path, { case: caseIndex(cases, name), ...body });
			return await n8n.nodeItems(path, name, before);
		},
		runError: async (name, body = {}) => {
			const before = await n8n.latestExecutionId(path);
			await n8n.webhook(path, { case: caseIndex(cases, name), ...body });
			return (await n8n.nodeRun(path, name, before)).error;
		},
		stop: async () => {
			await n8n.stop();
			n8n.cleanup();
			await emulator.stop();
		},
	};
}

/** A resource-locator value "By ID" (expressions allowed). */
export function byId(value: string | number) {
	return { __rl: true, mode: 'id', value: String(value) };
}
