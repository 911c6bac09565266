/**
 * An n8n user folder with community packages installed, and what n8n's CLI does in it:
 * import credentials and workflows, `n8n execute` a workflow, `n8n start` a server.
 *
 *   const home = await createHome({ packages: ['n8n-nodes-konaplate-0.1.0.tgz'] });  // ~20 ms
 *   await home.importCredentials([{ id, name, type, data: { ...plaintext } }]);     // ~3 s each
 *   await home.importWorkflows([workflowJson]);          // ids <= 21 characters, alphanumeric
 *   const r = await home.execute(id);                    // one `n8n execute` process, 3-5 s
 *   const srv = await home.start();                      // `n8n start`, editor ready in 7-13 s
 *   await home.dispose();                                // stops servers, deletes the folder
 *
 * - Community packages load from $N8N_USER_FOLDER/.n8n/nodes/node_modules/<name>/ (n8n globs
 *   n8n-nodes-* and @scope/n8n-nodes-* there; types are then `<package>.<node>`). n8n-workflow
 *   resolves from n8n's own node_modules, as for a package installed from the UI.
 * - `n8n execute --id --rawOutput` prints everything on stdout; the run is the pretty-printed
 *   JSON block from a line `{` to a line `}`, also on failure (after "Execution error:").
 * - `import:workflow` deactivates workflows: the server activates them (N8nClient.activate).
 * - `n8n execute-batch` retries failed workflows by default and its exit code is unreliable
 *   (segfaults at exit): not used.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Writable } from 'node:stream';

import type { IConnections, INode } from 'n8n-workflow';

import { freePort } from '../../lib/free-port';
import { installDependenciesLikeN8n } from '../groups/package/install';
import { ensureN8n } from './install';
import type { N8nInstall } from './install';
import { packageLoadErrors } from './load-errors';
import { baseEnv, ENCRYPTION_KEY, run } from './process';
import type { Env, ProcessResult } from './process';
import { parseExecuteOutput, pickError, summarizeRunData } from './run-data';
import type { ErrorSummary, Execution, NodesSummary } from './run-data';
import { N8nServer } from './server';

/** A workflow in n8n's export format. */
export interface Workflow {
	id: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: Record<string, unknown>;
	active?: boolean;
}

/** A credential in n8n's export format, data in plain text (n8n encrypts it on import). */
export interface CredentialExport<Data = Record<string, unknown>> {
	id: string;
	name: string;
	type: string;
	data: Data;
}

export interface CliResult extends ProcessResult {
	log: string;
	packageLoadErrors: string[];
}

export interface ExecuteResult {
	/** n8n died of SIGSEGV after printing the finished execution (n8n 1.123's native teardown) */
	crashedAfterResult: boolean;
	ok: boolean;
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	timedOut: boolean;
	status?: string;
	lastNodeExecuted?: string;
	error?: ErrorSummary;
	nodes: NodesSummary;
	execution?: Execution;
	packageLoadErrors: string[];
	log: string;
	ms: number;
}

/** Template user folder with a migrated database (saves ~3 s on every fresh folder). */
async function templateFolder(info: N8nInstall): Promise<string> {
	const keyTag = createHash('sha256').update(ENCRYPTION_KEY).digest('hex').slice(0, 8);
	const dir = path.join(info.CACHE, `template-n8n-${info.N8N_VERSION}-${keyTag}`);
	if (existsSync(path.join(dir, '.konaplate-e2e-template-ok'))) return dir;
	const tmp = mkdtempSync(path.join(info.CACHE, '.template-tmp-'));
	mkdirSync(path.join(tmp, 'tmp'));
	const r = await run(info.NODE_BIN, [info.N8N_BIN, 'list:workflow'], { env: baseEnv(info, tmp) });
	if (r.code !== 0) {
		rmSync(tmp, { recursive: true, force: true });
		throw new Error(`n8n migration (template) failed:\n${r.stdout}\n${r.stderr}`);
	}
	rmSync(path.join(tmp, 'tmp'), { recursive: true, force: true });
	writeFileSync(path.join(tmp, '.konaplate-e2e-template-ok'), `${info.N8N_VERSION}\n`);
	try {
		renameSync(tmp, dir); // atomic; loses the race harmlessly if another worker made it
	} catch {
		rmSync(tmp, { recursive: true, force: true });
	}
	return dir;
}

/**
 * Unpacks a tarball or copies a package folder into nodes/node_modules/<name>, then installs its
 * runtime dependencies (pg) as n8n's installer does; returns its name and version.
 */
function installPackage(source: string, modulesDir: string): { name: string; version: string } {
	const manifest = placePackage(source, modulesDir);
	installDependenciesLikeN8n(path.join(modulesDir, manifest.name));
	return manifest;
}

function placePackage(source: string, modulesDir: string): { name: string; version: string } {
	const abs = path.resolve(source);
	if (statSync(abs).isDirectory()) {
		const manifest = JSON.parse(readFileSync(path.join(abs, 'package.json'), 'utf8')) as {
			name: string;
			version: string;
		};
		cpSync(abs, path.join(modulesDir, manifest.name), {
			recursive: true,
			filter: (src) => !/[\\/](node_modules|\.git)([\\/]|$)/.test(path.relative(abs, src)),
		});
		return manifest;
	}
	const read = spawnSync('tar', ['-xzOf', abs, 'package/package.json'], { encoding: 'utf8' });
	if (read.status !== 0)
		throw new Error(`cannot read package/package.json from ${abs}: ${read.stderr}`);
	const manifest = JSON.parse(read.stdout) as { name: string; version: string };
	const target = path.join(modulesDir, manifest.name);
	mkdirSync(target, { recursive: true });
	const r = spawnSync('tar', ['-xzf', abs, '-C', target, '--strip-components=1'], {
		encoding: 'utf8',
	});
	if (r.status !== 0) throw new Error(`tar failed for ${abs}: ${r.stderr}`);
	return manifest;
}

/**
 * A fresh N8N_USER_FOLDER (from the migrated template), with community packages unpacked into
 * .n8n/nodes/node_modules/<name>/ and their dependencies installed, as n8n's installer leaves them.
 * packages: paths to `npm pack` tarballs or to package directories (copied).
 */
export async function createHome({
	packages = [],
	keep = false,
	baseDir,
}: { packages?: string[]; keep?: boolean; baseDir?: string } = {}): Promise<N8nHome> {
	const info = ensureN8n();
	const tpl = await templateFolder(info);
	const dir = mkdtempSync(path.join(baseDir || tmpdir(), 'n8n-e2e-'));
	cpSync(tpl, dir, { recursive: true });
	rmSync(path.join(dir, '.konaplate-e2e-template-ok'), { force: true });
	mkdirSync(path.join(dir, 'tmp'), { recursive: true });
	const nodesDir = path.join(dir, '.n8n', 'nodes');
	mkdirSync(path.join(nodesDir, 'node_modules'), { recursive: true });
	const dependencies: Record<string, string> = {};
	for (const p of packages) {
		const { name, version } = installPackage(p, path.join(nodesDir, 'node_modules'));
		dependencies[name] = version;
	}
	writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies }, null, 2),
	);
	return new N8nHome(info, dir, keep);
}

export class N8nHome {
	readonly servers = new Set<N8nServer>();
	/** Where the owner is not created at boot, it is set up once per user folder: a restart finds it there. */
	ownerSetUp = false;

	constructor(
		readonly info: N8nInstall,
		readonly dir: string,
		private readonly keep: boolean,
	) {}

	env(extra: Env): Env {
		return baseEnv(this.info, this.dir, extra);
	}

	/** Any n8n CLI command: cli(['import:workflow', '--input=x.json']). */
	async cli(
		args: string[],
		{ timeoutMs = 180000 }: { timeoutMs?: number } = {},
	): Promise<CliResult> {
		const brokerPort = await freePort();
		const r = await run(this.info.NODE_BIN, [this.info.N8N_BIN, ...args], {
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort) }),
			timeoutMs,
		});
		const log = r.stdout + r.stderr;
		return { ...r, log, packageLoadErrors: packageLoadErrors(log) };
	}

	private async importJson(
		kind: 'credentials' | 'workflow',
		entities: unknown[],
	): Promise<CliResult> {
		const file = path.join(
			this.dir,
			'tmp',
			`import-${kind}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`,
		);
		writeFileSync(file, JSON.stringify(entities));
		const r = await this.cli([`import:${kind}`, `--input=${file}`]);
		rmSync(file, { force: true });
		if (r.code !== 0 || !/Successfully imported/.test(r.log)) {
			throw new Error(`n8n import:${kind} failed (exit ${r.code}):\n${r.log.slice(-4000)}`);
		}
		return r;
	}

	importCredentials(creds: CredentialExport[]): Promise<CliResult> {
		return this.importJson('credentials', creds);
	}

	/** Workflow ids: <= 21 characters, alphanumeric. */
	importWorkflows(workflows: Workflow[]): Promise<CliResult> {
		return this.importJson(
			'workflow',
			workflows.map((w) => ({ active: false, settings: {}, ...w })),
		);
	}

	/** `n8n execute --id=<id> --rawOutput` in its own process. Resolves (never rejects) on a failed workflow. */
	async execute(
		id: string,
		{ timeoutMs = 180000 }: { timeoutMs?: number } = {},
	): Promise<ExecuteResult> {
		const r = await this.cli(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs });
		const execution = parseExecuteOutput(r.stdout);
		let error = pickError(execution?.data.resultData.error);
		if (!execution && r.code !== 0) {
			// failed before running (unknown node type, missing workflow, ...): last error block
			const m = /Execution error:\n=+\n([^\n]+)/.exec(r.log);
			const lastLine = r.log
				.split('\n')
				.map((l) => l.trim())
				.filter((l) => l && !l.startsWith('at '))
				.pop();
			error = {
				message: m ? m[1] : lastLine || `n8n execute failed (exit ${r.code}, signal ${r.signal})`,
				name: 'ExecuteCommandError',
			};
		}
		// n8n 1.123.81's CLI sometimes dies of SIGSEGV in its native teardown (isolated-vm, its
		// default expression engine) after it printed the finished execution: seen about 1 run in
		// 10 on a loaded machine, with the whole result on stdout. Only that exit is accepted, and
		// only with the complete result of a finished, successful execution; the caller says so.
		const crashedAfterResult = r.signal === 'SIGSEGV' && !!execution && execution.finished === true;
		return {
			ok: (r.code === 0 || crashedAfterResult) && !!execution && execution.status === 'success',
			crashedAfterResult,
			exitCode: r.code,
			signal: r.signal,
			timedOut: r.timedOut,
			status: execution?.status,
			lastNodeExecuted: execution?.data.resultData.lastNodeExecuted,
			error,
			nodes: summarizeRunData(execution),
			execution,
			packageLoadErrors: r.packageLoadErrors,
			log: r.log,
			ms: r.ms,
		};
	}

	/** `n8n start` on 127.0.0.1:<port or a free one>, resolved once the editor URL line is printed. */
	async start({
		port,
		timeoutMs = 90000,
		logTo,
		env,
	}: { port?: number; timeoutMs?: number; logTo?: Writable; env?: Env } = {}): Promise<N8nServer> {
		const srv = new N8nServer(this, port ?? (await freePort()));
		this.servers.add(srv);
		await srv.start({ timeoutMs, logTo, env });
		return srv;
	}

	async dispose(): Promise<void> {
		for (const s of this.servers) await s.stop();
		if (!this.keep) rmSync(this.dir, { recursive: true, force: true });
	}
}
