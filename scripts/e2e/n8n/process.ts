/**
 * n8n's processes: the environment each gets (nothing inherited that could change n8n's
 * behaviour, no request leaving 127.0.0.1), a one-shot CLI run, and the end of a process group.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

import type { N8nInstall } from './install';

/** A fixed key: it must match the one n8n wrote into .n8n/config (the template folder's). */
export const ENCRYPTION_KEY = 'konaplate-e2e-fixed-key-0123456789abcdef';

export type Env = Record<string, string>;

export const sleep = (ms: number): Promise<void> =>
	new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Tries `attempt` until it returns a value, every `everyMs`; once `timeoutMs` have passed, throws
 * the `timedOut()` message (read then, so it can name what the last attempt saw).
 */
export async function pollUntil<T>(
	attempt: () => Promise<T | undefined>,
	{
		timeoutMs,
		everyMs = 50,
		timedOut,
	}: { timeoutMs: number; everyMs?: number; timedOut: () => string },
): Promise<T> {
	const t0 = Date.now();
	for (;;) {
		const value = await attempt();
		if (value !== undefined) return value;
		if (Date.now() - t0 > timeoutMs) throw new Error(timedOut());
		await sleep(everyMs);
	}
}

/** Ends what is left of a process group we started (detached child = group leader). */
export function killGroup(pgid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
	if (pgid === undefined) return;
	try {
		process.kill(-pgid, signal);
	} catch {
		// the group has already ended
	}
}

/**
 * Environment for every n8n process. Each process also needs its own N8N_RUNNERS_BROKER_PORT
 * (the default 5679 collides when two run at once): the caller passes it in `extra`.
 */
export function baseEnv(info: N8nInstall, userFolder: string, extra: Env = {}): Env {
	const env: Env = {};
	for (const [k, v] of Object.entries(process.env)) {
		// drop n8n/DB/npm settings of the caller (e.g. `npm test` exports npm_config_*)
		if (
			v === undefined ||
			/^(N8N_|DB_|EXECUTIONS_|QUEUE_|GENERIC_|WEBHOOK_URL|npm_|NODE_OPTIONS|NODE_PATH|NODE_ENV)/.test(
				k,
			)
		)
			continue;
		env[k] = v;
	}
	return {
		...env,
		// This n8n's Node first: the JS task runner is spawned as plain `node` from PATH.
		PATH: `${info.NODE_PATH_DIR}${path.delimiter}${process.env.PATH || ''}`,
		TMPDIR: path.join(userFolder, 'tmp'), // else n8n leaves empty /tmp/tmp-<pid>-* folders
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_LOG_LEVEL: 'info', // execute prints its result through the logger: keep >= info
		N8N_LOG_OUTPUT: 'console',
		// no calls to n8n.io & co.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false', // else it fetches the verified community-node list
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true', // only silences a deprecation notice
		N8N_REINSTALL_MISSING_PACKAGES: 'false', // never `npm install` at boot
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		// its system task fetches api.n8n.io at boot; older n8n has no such module and refuses the name
		...(info.features.mcpRegistryModule ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		N8N_PYTHON_ENABLED: 'false', // its "Failed to start Python task runner" line stays (harmless)
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_SECURE_COOKIE: 'false', // http://127.0.0.1 login
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		...extra,
	};
}

export interface ProcessResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
	timedOut: boolean;
}

/** Runs a process in a group of its own; resolves when it ends, never rejects on its exit code. */
export function run(
	cmd: string,
	args: string[],
	{ env, timeoutMs = 120000 }: { env: Env; timeoutMs?: number },
): Promise<ProcessResult> {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d));
		child.stderr.on('data', (d: Buffer) => (stderr += d));
		const timer = setTimeout(() => killGroup(child.pid), timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			killGroup(child.pid); // the JS task runner can outlive n8n by a moment
			resolve({
				code,
				signal,
				stdout,
				stderr,
				ms: Date.now() - t0,
				timedOut: Date.now() - t0 >= timeoutMs,
			});
		});
	});
}
