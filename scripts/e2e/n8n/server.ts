/**
 * `n8n start` in a process group of its own: boot (owner at boot where n8n can), its log, and
 * its stop. The API it serves is N8nClient's.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Writable } from 'node:stream';

import { freePort } from '../../lib/free-port';
import { N8nClient, OWNER } from './client';
import type { N8nInstall } from './install';
import { packageLoadErrors } from './load-errors';
import { killGroup, sleep } from './process';
import type { Env } from './process';

/** What a server needs of its user folder (N8nHome, home.ts, which starts it). */
export interface ServerHome {
	readonly info: N8nInstall;
	readonly servers: Set<N8nServer>;
	ownerSetUp: boolean;
	env(extra: Env): Env;
}

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** The owner's password as n8n stores it, hashed by n8n's own bcryptjs. */
function bcryptHash(n8nDir: string, password: string): string {
	const bcrypt = createRequire(path.join(n8nDir, 'package.json'))('bcryptjs') as {
		hashSync: (s: string, rounds: number) => string;
	};
	return bcrypt.hashSync(password, 10);
}

export class N8nServer extends N8nClient {
	/** Everything n8n printed (stdout and stderr); the checks read it for keys and load errors. */
	log = '';

	bootMs = 0;

	private child: ChildProcess | undefined;

	private exited: Promise<Exit> = Promise.resolve({ code: null, signal: null });

	constructor(
		private readonly home: ServerHome,
		readonly port: number,
	) {
		super(`http://127.0.0.1:${port}`, home.info.features);
	}

	/** logTo: a stream that also gets n8n's output (npm run dev); env: more variables (the bench's profiler). */
	async start({
		timeoutMs,
		logTo,
		env: more = {},
	}: {
		timeoutMs: number;
		logTo?: Writable;
		env?: Env;
	}): Promise<this> {
		const { info } = this.home;
		const env = this.home.env({
			...more,
			N8N_PORT: String(this.port),
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_EDITOR_BASE_URL: this.baseUrl,
			WEBHOOK_URL: `${this.baseUrl}/`,
			// owner created at boot where n8n can (no setup screen); else setUpOwner() below
			...(info.features.ownerFromEnv
				? {
						N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
						N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
						N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(info.N8N_DIR, OWNER.password),
					}
				: {}),
		});
		const t0 = Date.now();
		const child = spawn(info.NODE_BIN, [info.N8N_BIN, 'start'], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // own process group: stop() also ends the task runner
		});
		this.child = child;
		this.exited = new Promise((resolve) =>
			child.on('close', (code, signal) => resolve({ code, signal })),
		);
		for (const stream of [child.stdout, child.stderr]) {
			stream.on('data', (d: Buffer) => {
				this.log += d;
				if (logTo) logTo.write(d);
			});
		}
		let exitInfo: Exit | undefined;
		void this.exited.then((x) => (exitInfo = x));
		// /healthz/readiness answers ok earlier, before workflows are activated: wait for this line.
		while (!/Editor is now accessible via/.test(this.log)) {
			if (exitInfo)
				throw new Error(
					`n8n start exited early (${JSON.stringify(exitInfo)}):\n${this.log.slice(-4000)}`,
				);
			if (Date.now() - t0 > timeoutMs) {
				await this.stop();
				throw new Error(`n8n start not ready after ${timeoutMs} ms:\n${this.log.slice(-4000)}`);
			}
			await sleep(100);
		}
		this.bootMs = Date.now() - t0;
		if (!info.features.ownerFromEnv && !this.home.ownerSetUp) {
			await this.setUpOwner();
			this.home.ownerSetUp = true;
		}
		return this;
	}

	get packageLoadErrors(): string[] {
		return packageLoadErrors(this.log);
	}

	async stop({ timeoutMs = 20000 }: { timeoutMs?: number } = {}): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) {
			this.home.servers.delete(this);
			return;
		}
		killGroup(child.pid, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		const done = await Promise.race([
			this.exited,
			new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs))),
		]);
		clearTimeout(timer);
		if (!done) {
			killGroup(child.pid);
			await this.exited;
		}
		killGroup(child.pid);
		this.home.servers.delete(this);
	}
}
