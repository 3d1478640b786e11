/**
 * Real-n8n harness: installs n8n (cached by scripts/install-n8n.sh), installs this package
 * from `npm pack` into a fresh user folder the way users do, imports credentials and
 * workflows, publishes them and runs `n8n start` on 127.0.0.1. Workflows are started through
 * their Webhook trigger, so one n8n process serves many executions.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join, resolve, sep } from 'path';

import { parse as parseFlatted } from 'flatted';

import { HALO_CREDENTIAL_TYPE } from '../../credentials/HaloPsaToken';

/** the repository root, also when this file runs compiled from build-test/ (demo, bench) */
export const ROOT = __dirname.includes(`${sep}build-test${sep}`)
	? resolve(__dirname, '..', '..', '..')
	: resolve(__dirname, '..', '..');
export const CREDENTIAL_TYPE = HALO_CREDENTIAL_TYPE;
export const NODE_TYPE = 'n8n-nodes-halopsa.haloPsa';

export interface N8nEnv {
	nodeHome: string;
	n8nBin: string;
	/** the installed n8n version, e.g. 2.40.7 */
	version: string;
}

/** n8n version the tests run on unless a test asks for another (scripts/install-n8n.sh default). */
export const DEFAULT_N8N_VERSION = '2.40.7';
/** the n8n 1.x the compatibility test runs on (scripts/test-all.sh installs it up front) */
export const N8N_1X_VERSION = '1.123.81';

const cachedEnvs = new Map<string, N8nEnv>();
let cachedTarball: string | undefined;

/** Runs scripts/install-n8n.sh for that n8n version (seconds when cached) and reads the paths it reports. */
export function ensureN8n(version = DEFAULT_N8N_VERSION): N8nEnv {
	const cached = cachedEnvs.get(version);
	if (cached) return cached;
	const envFile = execFileSync('bash', [join(ROOT, 'scripts', 'install-n8n.sh')], {
		encoding: 'utf8',
		env: { ...process.env, N8N_VERSION: version },
		stdio: ['ignore', 'pipe', 'inherit'],
	})
		.trim()
		.split('\n')
		.pop() as string;
	const text = readFileSync(envFile, 'utf8');
	const read = (name: string) => (text.match(new RegExp(`${name}="([^"]+)"`)) ?? [])[1];
	const env = { nodeHome: read('N8N_NODE_HOME'), n8nBin: read('N8N_BIN'), version };
	cachedEnvs.set(version, env);
	return env;
}

/** Builds the package and packs it like `npm publish` would. */
export function packPackage(): string {
	if (cachedTarball && existsSync(cachedTarball)) return cachedTarball;
	if (!process.env.HALOPSA_SKIP_BUILD) {
		execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
	}
	const dest = mkdtempSync(join(tmpdir(), 'halopsa-pack-'));
	const out = execFileSync('npm', ['pack', '--pack-destination', dest, '--silent'], { cwd: ROOT, encoding: 'utf8' });
	cachedTarball = join(dest, out.trim().split('\n').pop() as string);
	return cachedTarball;
}

/**
 * The path of a program from Debian's packages that one of scripts/install-*.sh prints (chromium,
 * redis-server, postgres), installing it with apt-get when it is missing.
 */
export function installedProgram(script: string): string {
	return execFileSync('bash', [join(ROOT, 'scripts', script)], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	})
		.trim()
		.split('\n')
		.pop() as string;
}

/** The owner account `N8nInstance.login` creates: the demo prints it, the editor test signs in with it. */
export const OWNER_LOGIN = { email: 'demo@example.com', password: 'Passw0rd-for-tests' };

export async function freePort(): Promise<number> {
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export interface CredentialData {
	id: string;
	name: string;
	data: Record<string, unknown>;
	/** credential type; default: this package's */
	type?: string;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
}

export class N8nInstance {
	readonly userFolder: string;
	readonly port: number;
	private mainProcess?: StartedProcess;
	private cookie = '';
	/** the task runners' broker port of the running main process */
	private brokerPort?: number;

	constructor(
		private readonly env: N8nEnv,
		port: number,
		userFolder?: string,
		/** more settings for every process on this user folder (queue mode: EXECUTIONS_MODE, Redis, Postgres) */
		private readonly extraEnv: NodeJS.ProcessEnv = {},
	) {
		this.port = port;
		this.userFolder = userFolder ?? mkdtempSync(join(tmpdir(), 'halopsa-n8n-'));
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	processEnv(): NodeJS.ProcessEnv {
		// jest sets NODE_ENV=test, which makes n8n's CLI behave like its own unit tests
		const inherited = Object.fromEntries(
			Object.entries(process.env).filter(([key]) => key !== 'NODE_ENV' && !key.startsWith('JEST')),
		);
		return {
			...inherited,
			NODE_ENV: 'production',
			PATH: `${this.env.nodeHome}/bin:${process.env.PATH}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `http://127.0.0.1:${this.port}/`,
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${this.port}/`,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'warn',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort ?? this.port + 1),
			NODE_FUNCTION_ALLOW_EXTERNAL: '',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			GENERIC_TIMEZONE: 'UTC',
			npm_config_nodedir: this.env.nodeHome,
			...this.extraEnv,
		};
	}

	/** Runs an n8n CLI command against this user folder. */
	cli(args: string[]): string {
		return execFileSync(this.env.n8nBin, args, {
			env: this.processEnv(),
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: 180_000,
		});
	}

	/** Installs the packed package into ~/.n8n/nodes, as the community-nodes installer does. */
	installPackage(tarball: string): void {
		const nodesDir = join(this.userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(
			join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }),
		);
		execFileSync(
			'npm',
			['install', tarball, '--legacy-peer-deps', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
			{
				cwd: nodesDir,
				env: { ...process.env, PATH: `${this.env.nodeHome}/bin:${process.env.PATH}` },
				stdio: 'ignore',
			},
		);
	}

	importCredentials(credentials: CredentialData[]): void {
		const file = join(this.userFolder, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials.map((c) => ({ ...c, type: c.type ?? CREDENTIAL_TYPE }))));
		this.cli(['import:credentials', `--input=${file}`]);
		rmSync(file);
	}

	importWorkflows(workflows: WorkflowJson[], publish = true): void {
		const file = join(this.userFolder, 'workflows.json');
		writeFileSync(file, JSON.stringify(workflows.map((w) => ({ active: false, settings: {}, ...w }))));
		this.cli(['import:workflow', `--input=${file}`]);
		if (!publish) return;
		// n8n 2.x publishes a version of the workflow; n8n 1.x only has the active flag
		const legacy = Number(this.env.version.split('.')[0]) < 2;
		for (const workflow of workflows) {
			this.cli(
				legacy
					? ['update:workflow', `--id=${workflow.id}`, '--active=true']
					: ['publish:workflow', `--id=${workflow.id}`],
			);
		}
	}

	async start(): Promise<void> {
		// n8n exits at once when its task runners' broker port is taken (port + 1 can be an outgoing
		// connection's ephemeral port): a free one each start, and one more try if n8n exits before it is ready
		for (let attempt = 1; ; attempt++) {
			this.brokerPort = await freePort();
			try {
				this.mainProcess = await spawnN8n(this.env.n8nBin, ['start'], this.processEnv(), this.url);
				return;
			} catch (error) {
				if (attempt >= 2 || !/exited \(code/.test(String((error as Error).message))) throw error;
				console.warn(`n8n start failed once, starting it again: ${(error as Error).message.slice(0, 300)}`);
			}
		}
	}

	/** the main process's id (queue mode: tells its requests from a worker's) */
	get pid(): number | undefined {
		return this.mainProcess?.pid;
	}

	/**
	 * A queue-mode worker (`n8n worker`) on this user folder: same database, encryption key and
	 * installed package. Ready when its health endpoint says so.
	 */
	async startWorker(concurrency = 10): Promise<StartedProcess> {
		const healthPort = await freePort();
		const env = {
			...this.processEnv(),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		};
		return await spawnN8n(
			this.env.n8nBin,
			['worker', `--concurrency=${concurrency}`],
			env,
			`http://127.0.0.1:${healthPort}`,
		);
	}

	logs(): string {
		return this.mainProcess?.logs() ?? '';
	}

	/** POSTs to a production webhook; retries while n8n is still registering it. */
	async webhook(path: string, body: unknown): Promise<{ status: number; body: any }> {
		for (let attempt = 0; ; attempt++) {
			const response = await fetch(`${this.url}/webhook/${path}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify(body),
			});
			const text = await response.text();
			if (response.status === 404 && attempt < 40) {
				await new Promise((r) => setTimeout(r, 250));
				continue;
			}
			if (response.status === 404)
				throw new Error(`webhook ${path} not registered: ${text}\n${this.logs().slice(-3000)}`);
			let parsed: unknown = text;
			try {
				parsed = JSON.parse(text);
			} catch {
				// keep the text
			}
			return { status: response.status, body: parsed };
		}
	}

	/** Creates the owner account (OWNER_LOGIN) once and keeps its auth cookie for /rest calls. */
	async login(): Promise<void> {
		if (this.cookie) return;
		const account = { ...OWNER_LOGIN, firstName: 'Demo', lastName: 'Owner' };
		let response = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'browser-id': 'halopsa-tests' },
			body: JSON.stringify(account),
		});
		if (!response.ok) {
			response = await fetch(`${this.url}/rest/login`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'browser-id': 'halopsa-tests' },
				body: JSON.stringify({ emailOrLdapLoginId: account.email, password: account.password }),
			});
		}
		if (!response.ok) throw new Error(`n8n login failed: ${response.status} ${await response.text()}`);
		this.cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
	}

	async rest(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
		return await this.authed(method, `/rest${path}`, body);
	}

	/** A request as the logged-in owner (editor files such as /types/nodes.json need the cookie too). */
	async authed(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
		await this.login();
		const response = await fetch(`${this.url}${path}`, {
			method,
			headers: { 'Content-Type': 'application/json', cookie: this.cookie, 'browser-id': 'halopsa-tests' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// keep the text
		}
		return { status: response.status, body: parsed };
	}

	/**
	 * Items a node produced in the newest execution of a workflow, with their `error` (which a
	 * webhook response leaves out), read from n8n's own execution store.
	 */
	async nodeItems(
		workflowId: string,
		nodeName: string,
		newerThan = '',
	): Promise<Array<{ json: any; error?: any; pairedItem?: any }>> {
		const run = await this.nodeRun(workflowId, nodeName, newerThan);
		return (run.data?.main?.[0] ?? []) as Array<{ json: any; error?: any; pairedItem?: any }>;
	}

	/** The node's run in the newest execution of a workflow: its items and, when it failed, its error. */
	async nodeRun(
		workflowId: string,
		nodeName: string,
		newerThan = '',
	): Promise<{ data?: { main?: any[][] }; error?: { message: string; description?: string } }> {
		for (let attempt = 0; attempt < 40; attempt++) {
			const list = await this.rest(
				'GET',
				`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=1`,
			);
			const latest = list.body?.data?.results?.[0];
			if (latest && String(latest.id) !== newerThan && !['running', 'new', 'waiting'].includes(latest.status)) {
				const execution = await this.rest('GET', `/executions/${latest.id}`);
				const data = parseFlatted(execution.body.data.data);
				const runs = data.resultData.runData[nodeName];
				if (!runs) throw new Error(`node ${nodeName} did not run in execution ${latest.id}`);
				return runs[0];
			}
			await new Promise((r) => setTimeout(r, 250));
		}
		const last = await this.rest(
			'GET',
			`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=1`,
		);
		throw new Error(`no finished execution of ${workflowId}: ${JSON.stringify(last).slice(0, 500)}`);
	}

	async latestExecutionId(workflowId: string): Promise<string> {
		const list = await this.rest(
			'GET',
			`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=1`,
		);
		return String(list.body?.data?.results?.[0]?.id ?? '');
	}

	/** The n8n editor's credential "Test" button. */
	async testCredential(data: Record<string, unknown>, id?: string): Promise<{ status: string; message: string }> {
		const response = await this.rest('POST', '/credentials/test', {
			credentials: { id, name: 'HaloPSA under test', type: CREDENTIAL_TYPE, data },
		});
		return response.body?.data ?? response.body;
	}

	async stop(): Promise<void> {
		await this.mainProcess?.stop();
	}

	cleanup(): void {
		if (!process.env.HALOPSA_KEEP_N8N) rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** A process the tests started (n8n main or worker, Redis, PostgreSQL) and what it printed. */
export interface StartedProcess {
	child: ChildProcess;
	pid: number;
	logs(): string;
	/** its stop signal (SIGTERM unless told otherwise), then SIGKILL after 15 s */
	stop(): Promise<void>;
}

/**
 * Spawns a program and polls `ready` until it says the program answers. Fails with the end of
 * what the program printed if it exits first or `timeoutMs` passes.
 */
export async function spawnUntilReady(
	name: string,
	command: string,
	args: string[],
	ready: () => Promise<boolean>,
	options: { spawn?: SpawnOptions; timeoutMs: number; pollMs: number; stopSignal?: NodeJS.Signals },
): Promise<StartedProcess> {
	const child = spawn(command, args, { ...options.spawn, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const collect = (chunk: Buffer) => {
		output += chunk.toString();
		if (output.length > 200_000) output = output.slice(-100_000);
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const closed = new Promise<void>((r) => child.once('close', () => r()));
	const started: StartedProcess = {
		child,
		pid: child.pid as number,
		logs: () => output,
		stop: async () => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			await new Promise<void>((r) => {
				const timer = setTimeout(() => {
					child.kill('SIGKILL');
					r();
				}, 15_000);
				child.once('exit', () => {
					clearTimeout(timer);
					r();
				});
				child.kill(options.stopSignal ?? 'SIGTERM');
			});
		},
	};
	const deadline = Date.now() + options.timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) {
			// what it printed last may still be in the pipes when its exit is seen
			await closed;
			throw new Error(`${name} exited (code ${child.exitCode}) before it was ready:\n${output.slice(-4000)}`);
		}
		if (await ready()) return started;
		await new Promise((r) => setTimeout(r, options.pollMs));
	}
	child.kill('SIGKILL');
	throw new Error(`${name} was not ready after ${options.timeoutMs / 1000} s:\n${output.slice(-4000)}`);
}

/** Spawns an n8n command and waits until `${baseUrl}/healthz/readiness` answers 200. */
async function spawnN8n(bin: string, args: string[], env: NodeJS.ProcessEnv, baseUrl: string): Promise<StartedProcess> {
	const healthy = async () => {
		try {
			return (await fetch(`${baseUrl}/healthz/readiness`)).ok;
		} catch {
			return false; // not listening yet
		}
	};
	return await spawnUntilReady(`n8n ${args[0]}`, bin, args, healthy, {
		spawn: { env },
		timeoutMs: 180_000,
		pollMs: 500,
	});
}

/** Installs everything and returns a started n8n with the given credentials and workflows. */
export async function startN8n(
	credentials: CredentialData[],
	workflows: WorkflowJson[],
	version = DEFAULT_N8N_VERSION,
): Promise<N8nInstance> {
	const env = ensureN8n(version);
	const tarball = packPackage();
	const instance = new N8nInstance(env, await freePort());
	instance.installPackage(tarball);
	instance.importCredentials(credentials);
	instance.importWorkflows(workflows);
	await instance.start();
	return instance;
}

/** Lists the files of a folder (for examples/ checks). */
export function listJson(folder: string): string[] {
	return readdirSync(folder).filter((f) => f.endsWith('.json'));
}
