/**
 * n8n in queue mode, as operators scale it: Postgres and Redis (./services.ts), one `n8n start`
 * (main: editor, webhooks, manual executions) and `n8n worker --concurrency=N` processes that
 * run the production executions, all on one user folder with the package installed as n8n
 * installs community packages (every process loads it: main and each worker).
 *
 *   const cluster = await startQueueCluster({ packages: [tarball], credentials, workflows });
 *   // credentials that name the cluster's own Postgres (a shared ledger's table there):
 *   await startQueueCluster({ packages, credentials: (pg) => [sharedCredential(base, postgresUrl(pg))], workflows });
 *   await cluster.main.activate(id, { webhookPaths: [path] });   // then call the webhook
 *   await cluster.stop();                                        // every process by its PID
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

import { freePort } from '../../../lib/free-port';
import { createHome, N8nHome } from '../../n8n/home';
import type { CredentialExport, Workflow } from '../../n8n/home';
import { packageLoadErrors } from '../../n8n/load-errors';
import { killGroup, pollUntil } from '../../n8n/process';
import type { Env } from '../../n8n/process';
import type { N8nServer } from '../../n8n/server';
import { startPostgres, startRedis } from './services';
import type { Postgres, Service } from './services';

/** A user folder whose every n8n process (CLI, main, workers) runs on Postgres, in queue mode. */
export class QueueHome extends N8nHome {
	constructor(
		base: N8nHome,
		private readonly queueEnv: Env,
	) {
		super(base.info, base.dir, false);
	}

	env(extra: Env): Env {
		return super.env({ ...this.queueEnv, ...extra });
	}
}

function queueEnv(pg: Postgres, redis: Service): Env {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	};
}

/** `n8n worker` in a process group of its own, ready once it says so. */
export class N8nWorker {
	log = '';

	private child: ChildProcess | undefined;

	private exited: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly home: QueueHome,
		readonly concurrency: number,
	) {}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	async start({ timeoutMs = 90000 } = {}): Promise<this> {
		const { info } = this.home;
		const env = this.home.env({
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
		});
		const child = spawn(
			info.NODE_BIN,
			[info.N8N_BIN, 'worker', `--concurrency=${this.concurrency}`],
			{ env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
		);
		this.child = child;
		this.exited = new Promise((resolve) => child.on('close', resolve));
		let ended = false;
		void this.exited.then(() => (ended = true));
		for (const stream of [child.stdout, child.stderr]) stream.on('data', (d) => (this.log += d));
		await pollUntil(
			async () => {
				if (ended) throw new Error(`n8n worker exited early:\n${this.log.slice(-4000)}`);
				return /n8n worker is now ready/.test(this.log) || undefined;
			},
			{
				timeoutMs,
				everyMs: 100,
				timedOut: () => `n8n worker not ready after ${timeoutMs} ms:\n${this.log.slice(-4000)}`,
			},
		);
		return this;
	}

	get packageLoadErrors(): string[] {
		return packageLoadErrors(this.log);
	}

	/** SIGTERM to its group (n8n waits for running jobs), SIGKILL after timeoutMs. */
	async stop({ timeoutMs = 20000 } = {}): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		killGroup(child.pid, 'SIGTERM');
		const timer = setTimeout(() => killGroup(child.pid), timeoutMs);
		await this.exited;
		clearTimeout(timer);
		killGroup(child.pid);
	}
}

export interface QueueCluster {
	home: QueueHome;
	main: N8nServer;
	workers: N8nWorker[];
	postgres: Postgres;
	redis: Service;
	/** ms per step */
	timings: Record<string, number>;
	/** Stops the workers, main, Redis and Postgres by their PIDs; deletes their folders. */
	stop: () => Promise<void>;
}

/** Postgres, Redis, the user folder with the packages, the imports, main and the workers. */
export async function startQueueCluster({
	packages,
	credentials,
	workflows,
	workers = 2,
	concurrency = 10,
}: {
	packages: string[];
	/** Imported before n8n starts; a function of the cluster's Postgres to name its database. */
	credentials: CredentialExport[] | ((postgres: Postgres) => CredentialExport[]);
	workflows: Workflow[];
	workers?: number;
	concurrency?: number;
}): Promise<QueueCluster> {
	const timings: Record<string, number> = {};
	const timed = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
		const t0 = Date.now();
		const result = await fn();
		timings[label] = Date.now() - t0;
		return result;
	};
	const stops: Array<() => Promise<unknown>> = [];
	const stop = async () => {
		for (const fn of stops.reverse()) await fn().catch(() => undefined);
		stops.length = 0;
	};
	try {
		const [postgres, redis] = await timed('postgres + redis', async () => {
			const started = await Promise.allSettled([startPostgres(), startRedis()]);
			for (const s of started) if (s.status === 'fulfilled') stops.push(s.value.stop);
			for (const s of started) if (s.status === 'rejected') throw s.reason;
			return started.map((s) => (s as PromiseFulfilledResult<Service>).value) as [
				Postgres,
				Service,
			];
		});
		const base = await createHome({ packages });
		const home = new QueueHome(base, queueEnv(postgres, redis));
		stops.push(() => home.dispose());
		await timed('migrate + import', async () => {
			await home.importCredentials(
				typeof credentials === 'function' ? credentials(postgres) : credentials,
			);
			await home.importWorkflows(workflows);
		});
		const pool = Array.from({ length: workers }, () => new N8nWorker(home, concurrency));
		stops.push(async () => await Promise.all(pool.map((w) => w.stop())));
		const [main] = await timed('main + workers', async () =>
			Promise.all([
				home.start().then(async (server) => {
					await server.login();
					return server;
				}),
				...pool.map(async (w) => await w.start()),
			]),
		);
		return { home, main, workers: pool, postgres, redis, timings, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
