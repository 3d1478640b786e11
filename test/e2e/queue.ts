/**
 * n8n in queue mode, as larger MSPs run it: Redis (Debian's redis-server, installed by
 * scripts/install-redis.sh, on 127.0.0.1), one n8n main with EXECUTIONS_MODE=queue that
 * receives webhooks and queues executions, and workers (`n8n worker`) that run them. All share
 * one user folder: the same database, encryption key and installed package.
 *
 * The emulator names the n8n process behind each request (`peer` in its log: main, worker-1,
 * worker-2, ...) by finding which process owns the client end of the connection in /proc.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { readdirSync, readFileSync, readlinkSync } from 'fs';
import { connect } from 'net';
import { join } from 'path';

import { startEmulator, type Emulator, type EmulatorOptions, type LoggedRequest } from '../../emulator';
import {
	ensureN8n,
	freePort,
	N8nInstance,
	packPackage,
	ROOT,
	type CredentialData,
	type N8nProcess,
	type WorkflowJson,
} from './harness';

export interface Redis {
	port: number;
	stop(): Promise<void>;
}

/** Starts a throw-away Redis on 127.0.0.1 (no persistence) and waits until it answers PING. */
export async function startRedis(): Promise<Redis> {
	const bin = execFileSync('bash', [join(ROOT, 'scripts', 'install-redis.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	})
		.trim()
		.split('\n')
		.pop() as string;
	const port = await freePort();
	const child: ChildProcess = spawn(
		bin,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const deadline = Date.now() + 20_000;
	while (!(await pong(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`redis-server did not start on 127.0.0.1:${port}:\n${output.slice(-2000)}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		port,
		stop: async () => {
			if (child.exitCode !== null) return;
			await new Promise<void>((r) => {
				child.once('exit', () => r());
				child.kill('SIGTERM');
			});
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
 * Which of the named processes owns the TCP socket whose local port on this machine is `port`
 * (Linux: the socket's inode from /proc/net/tcp, then the process whose fds include it).
 */
export function socketOwner(port: number, processes: Record<string, number>): string | undefined {
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
			if (columns.length > 9 && parseInt(columns[1].split(':')[1], 16) === port) inodes.add(columns[9]);
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
	redis: Redis;
	main: N8nInstance;
	/** running workers by name (worker-1, worker-2, ...) */
	workers: Map<string, N8nProcess>;
	/** starts one more worker, named worker-<n> */
	addWorker(): Promise<string>;
	stop(): Promise<void>;
}

/**
 * Redis, an emulator, n8n main in queue mode with the package, credentials and workflows
 * (published), and `workers` workers.
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
		peerOf: (port) => socketOwner(port, processes),
	});
	let redis: Redis | undefined;
	let main: N8nInstance | undefined;
	const workers = new Map<string, N8nProcess>();
	const stop = async () => {
		await Promise.all([...workers.values()].map(async (worker) => await worker.stop()));
		await main?.stop();
		main?.cleanup();
		await redis?.stop();
		await emulator.stop();
	};
	try {
		redis = await startRedis();
		const env = ensureN8n();
		main = new N8nInstance(env, options.port ?? (await freePort()), undefined, {
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
		const instance = main;
		const addWorker = async () => {
			const name = `worker-${Object.keys(processes).length}`;
			const worker = await instance.startWorker();
			workers.set(name, worker);
			processes[name] = worker.pid;
			return name;
		};
		for (let i = 0; i < (options.workers ?? 2); i++) await addWorker();
		return { emulator, redis, main, workers, addWorker, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
