/**
 * n8n in queue mode, as larger MSPs run it: Redis (Debian's redis-server, installed by
 * scripts/install-redis.sh) and PostgreSQL (Debian's postgresql, scripts/install-postgres.sh),
 * both throw-away servers on 127.0.0.1; one n8n main with EXECUTIONS_MODE=queue that receives
 * webhooks and queues executions, and workers (`n8n worker`) that run them. All share the Postgres
 * database and one user folder (encryption key, installed package).
 *
 * The emulator names the n8n process behind each request (`peer` in its log: main, worker-1,
 * worker-2, ...) by finding which process owns the client end of the connection in /proc.
 */
import { execFile, execFileSync, type SpawnOptions } from 'child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'fs';
import { connect } from 'net';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

import { startEmulator, type Emulator, type EmulatorOptions, type LoggedRequest } from '../../emulator';
import {
	ensureN8n,
	freePort,
	installedProgram,
	N8nInstance,
	packPackage,
	spawnUntilReady,
	type CredentialData,
	type StartedProcess,
	type WorkflowJson,
} from './harness';

/** A throw-away server on 127.0.0.1 that the tests started. */
export interface LocalServer {
	port: number;
	stop(): Promise<void>;
}

/** how long a server may take to answer, and how often to ask */
const SERVER_START = { timeoutMs: 30_000, pollMs: 100 };

/** Starts a throw-away Redis on 127.0.0.1 (no persistence) and waits until it answers PING. */
export async function startRedis(): Promise<LocalServer> {
	const bin = installedProgram('install-redis.sh');
	const port = await freePort();
	const server = await spawnUntilReady(
		'redis-server',
		bin,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
		async () => await pong(port),
		SERVER_START,
	);
	return { port, stop: server.stop };
}

export interface Postgres extends LocalServer {
	/** n8n's settings for this database (DB_TYPE, DB_POSTGRESDB_*) */
	n8nEnv: NodeJS.ProcessEnv;
}

/**
 * Starts a throw-away PostgreSQL cluster on 127.0.0.1 (trust authentication, no fsync: test data)
 * and waits until it accepts connections. As root it runs as Debian's `postgres` user, since
 * PostgreSQL refuses to run as root. `stop` shuts it down and deletes its files.
 */
export async function startPostgres(): Promise<Postgres> {
	const bin = installedProgram('install-postgres.sh');
	const folder = mkdtempSync(join(tmpdir(), 'halopsa-pg-'));
	const data = join(folder, 'data');
	let owner: SpawnOptions = {};
	if (process.getuid?.() === 0) {
		const entry = readFileSync('/etc/passwd', 'utf8')
			.split('\n')
			.find((line) => line.startsWith('postgres:'));
		if (!entry) throw new Error('PostgreSQL cannot run as root and there is no postgres user (/etc/passwd)');
		const [uid, gid] = entry.split(':').slice(2, 4).map(Number);
		chownSync(folder, uid, gid);
		owner = { uid, gid, env: { ...process.env, HOME: folder } };
	}
	execFileSync(join(dirname(bin), 'initdb'), ['-D', data, '-U', 'n8n', '-A', 'trust', '-E', 'UTF8', '--no-sync'], {
		...owner,
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	const port = await freePort();
	const isReady = async () =>
		await new Promise<boolean>((resolve) =>
			execFile(join(dirname(bin), 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)], (error) =>
				resolve(!error),
			),
		);
	const server = await spawnUntilReady(
		'postgres',
		bin,
		[
			...['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', folder],
			...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
		],
		isReady,
		// SIGINT: PostgreSQL's fast shutdown
		{ ...SERVER_START, spawn: owner, stopSignal: 'SIGINT' },
	);
	return {
		port,
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_DATABASE: 'postgres',
		},
		stop: async () => {
			await server.stop();
			rmSync(folder, { recursive: true, force: true });
		},
	};
}

async function pong(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.setTimeout(1000);
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('+PONG'));
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

/**
 * Which of the named processes owns the client end of a TCP connection on this machine: the socket
 * whose local port is `clientPort` and whose remote port is `serverPort` (Linux: its inode from
 * /proc/net/tcp, then the process whose fds include it). Both ports, since Linux gives one
 * ephemeral port to several connections with different destinations (a worker's Postgres
 * connection can share the port of another process's connection to the emulator).
 */
export function socketOwner(
	clientPort: number,
	serverPort: number,
	processes: Record<string, number>,
): string | undefined {
	const portOf = (address: string) => parseInt(address.split(':')[1], 16);
	const inodes = new Set<string>();
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text = '';
		try {
			text = readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const columns = line.trim().split(/\s+/);
			if (columns.length > 9 && portOf(columns[1]) === clientPort && portOf(columns[2]) === serverPort)
				inodes.add(columns[9]);
		}
	}
	for (const [name, pid] of Object.entries(processes)) {
		let fds: string[] = [];
		try {
			fds = readdirSync(`/proc/${pid}/fd`);
		} catch {
			continue;
		}
		for (const fd of fds) {
			try {
				const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
				if (inode && inodes.has(inode)) return name;
			} catch {
				// the fd closed meanwhile
			}
		}
	}
	return undefined;
}

/** How many of these requests each n8n process sent, e.g. "worker-1 18, worker-2 15". */
export function byProcess(requests: LoggedRequest[]): string {
	const counts = new Map<string, number>();
	for (const request of requests)
		counts.set(request.peer ?? 'unknown', (counts.get(request.peer ?? 'unknown') ?? 0) + 1);
	return [...counts.entries()].map(([peer, count]) => `${peer} ${count}`).join(', ') || 'none';
}

/** The API requests the emulator logged after the one numbered `seq` (0: all). */
export function apiRequestsSince(emulator: Emulator, seq: number): LoggedRequest[] {
	return emulator.apiRequests().filter((request) => request.seq > seq);
}

/** The number of the newest request in the emulator's log. */
export function lastSeq(emulator: Emulator): number {
	return emulator.log.reduce((max, request) => Math.max(max, request.seq), 0);
}

export interface QueueCluster {
	emulator: Emulator;
	redis: LocalServer;
	postgres: LocalServer;
	main: N8nInstance;
	/** running workers by name (worker-1, worker-2, ...) */
	workers: Map<string, StartedProcess>;
	stop(): Promise<void>;
}

/**
 * Redis, PostgreSQL, an emulator, n8n main in queue mode with the package, credentials and
 * workflows (published), and `workers` workers.
 */
export async function startQueueCluster(options: {
	credentials: (emulator: Emulator) => CredentialData[];
	workflows: WorkflowJson[];
	emulator?: EmulatorOptions;
	workers?: number;
	/** main's port (default: a free one) */
	port?: number;
	/** import the workflows published (default) or only saved */
	publish?: boolean;
}): Promise<QueueCluster> {
	const processes: Record<string, number> = {};
	const emulator = await startEmulator({
		quiet: true,
		...options.emulator,
		peerOf: (clientPort, serverPort) => socketOwner(clientPort, serverPort, processes),
	});
	let redis: LocalServer | undefined;
	let postgres: Postgres | undefined;
	let main: N8nInstance | undefined;
	const workers = new Map<string, StartedProcess>();
	const stop = async () => {
		await Promise.all([...workers.values()].map(async (worker) => await worker.stop()));
		await main?.stop();
		main?.cleanup();
		await redis?.stop();
		await postgres?.stop();
		await emulator.stop();
	};
	try {
		redis = await startRedis();
		postgres = await startPostgres();
		const env = ensureN8n();
		main = new N8nInstance(env, options.port ?? (await freePort()), undefined, {
			...postgres.n8nEnv,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// executions started in the editor run on workers too, like production ones
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		});
		main.installPackage(packPackage());
		main.importCredentials(options.credentials(emulator));
		main.importWorkflows(options.workflows, options.publish ?? true);
		await main.start();
		processes.main = main.pid as number;
		for (let n = 1; n <= (options.workers ?? 2); n++) {
			const worker = await main.startWorker();
			workers.set(`worker-${n}`, worker);
			processes[`worker-${n}`] = worker.pid;
		}
		return { emulator, redis, postgres, main, workers, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
