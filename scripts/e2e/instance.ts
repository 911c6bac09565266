/**
 * What `npm run test:e2e`, `npm run test:editor` and `npm run dev` share: this package packed
 * with `npm pack` (what n8n unpacks for a user), the Konaplate emulator as a process of its own,
 * and a fresh n8n user folder with the package installed, the credential "Konaplate emulator"
 * pointing at the emulator, and the example workflows imported.
 * Needs `npm run build && npm run build:tools` first (dist/ and the emulator in .build/).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Writable } from 'node:stream';

import { EMULATOR_CREDENTIAL_FILE } from '../../emulator/data';
import { CREDENTIAL_TYPE } from '../lib/credential-type';
import { PACKAGE_ROOT } from '../lib/package-root';
import { EMULATOR_SCRIPT, startEmulator } from './emulator-process';
import type { Emulator } from './emulator-process';
import { createHome } from './n8n/home';
import type { CredentialExport, N8nHome, Workflow } from './n8n/home';
import { ensureN8n } from './n8n/install';
import type { N8nServer } from './n8n/server';
import { assertAuthenticatedWebhooks, WEBHOOK_KEY } from './webhook-key';

export { CREDENTIAL_TYPE };
export const PACKAGE_NAME = (
	JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string }
).name;
export const NODE_TYPE = `${PACKAGE_NAME}.konaplate`;
const EXAMPLES_DIR = path.join(PACKAGE_ROOT, 'examples');

/** The keys of the emulator's project, as the credential holds them. */
export interface EmulatorCredentialData {
	baseUrl: string;
	aspId: string;
	accessKey: string;
	secretKey: string;
	[field: string]: unknown;
}
export type EmulatorCredential = CredentialExport<EmulatorCredentialData>;

export interface Pack {
	tarball: string;
	/** paths inside the tarball, below package/ */
	files: string[];
	/** the folder to delete */
	dir: string;
}

/** `npm pack` into a temp folder. */
export function packPackage(): Pack {
	const emulatorScript = path.relative(PACKAGE_ROOT, EMULATOR_SCRIPT);
	for (const built of ['dist/nodes/Konaplate/Konaplate.node.js', emulatorScript]) {
		if (!existsSync(path.join(PACKAGE_ROOT, built))) {
			throw new Error(`${built} is missing: run npm run build && npm run build:tools first`);
		}
	}
	const dir = mkdtempSync(path.join(tmpdir(), 'konaplate-pack-'));
	const out = execFileSync(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', dir],
		{
			cwd: PACKAGE_ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	const [{ filename, files }] = JSON.parse(out) as Array<{
		filename: string;
		files: Array<{ path: string }>;
	}>;
	return { tarball: path.join(dir, filename), files: files.map((f) => f.path), dir };
}

/** The emulator credential (n8n export format, id "konaplateEmulator") pointed at baseUrl. */
export function emulatorCredential(baseUrl: string): EmulatorCredential {
	const [credential] = EMULATOR_CREDENTIAL_FILE as unknown as EmulatorCredential[];
	return { ...credential, data: { ...credential.data, baseUrl } };
}

/** The workflows of examples/, by file name. */
export function readExamples(): Record<string, Workflow> {
	const examples: Record<string, Workflow> = {};
	for (const file of readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()) {
		examples[file] = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Workflow;
	}
	return examples;
}

export interface Instance {
	pack: Pack;
	emulator: Emulator;
	home: N8nHome;
	credential: EmulatorCredential;
	importLoadErrors: string[];
	/** ms per preparation step */
	timings: Record<string, number>;
	/** Stops n8n and the emulator, deletes the user folder and the tarball. */
	stop: () => Promise<void>;
}

/**
 * Packs the package, starts the emulator, and prepares an n8n user folder with the package,
 * the emulator credential (and any other given credentials) and the given workflows imported
 * (n8n's own import commands). workflows: a list, or (emulatorBaseUrl, credential) => list for
 * workflows that name the emulator. The caller starts n8n (home.start()) and must call stop().
 */
export async function prepareInstance({
	workflows = [],
	credentials = [],
	emulatorPort,
	baseDir,
}: {
	workflows?: Workflow[] | ((baseUrl: string, credential: EmulatorCredential) => Workflow[]);
	credentials?: CredentialExport[];
	emulatorPort?: number;
	baseDir?: string;
} = {}): Promise<Instance> {
	const timings: Record<string, number> = {};
	const timed = async <T>(label: string, fn: () => T | Promise<T>): Promise<T> => {
		const t0 = Date.now();
		const result = await fn();
		timings[label] = Date.now() - t0;
		return result;
	};
	const cleanups: Array<() => unknown> = [];
	const stop = async () => {
		for (const fn of cleanups.reverse()) {
			try {
				await fn();
			} catch {
				// stopping goes on: the next cleanup still runs
			}
		}
		cleanups.length = 0;
	};
	try {
		await timed('n8n install (cached)', () => ensureN8n());
		const pack = await timed('npm pack', () => packPackage());
		cleanups.push(() => rmSync(pack.dir, { recursive: true, force: true }));
		const emulator = await timed('emulator start', () => startEmulator({ port: emulatorPort }));
		cleanups.push(() => emulator.stop());
		const home = await timed('user folder + package', () =>
			createHome({ packages: [pack.tarball], baseDir }),
		);
		cleanups.push(() => home.dispose());
		const credential = emulatorCredential(emulator.baseUrl);
		const imports = [
			await timed('import credential', () => home.importCredentials([credential, ...credentials])),
		];
		const list =
			typeof workflows === 'function' ? workflows(emulator.baseUrl, credential) : workflows;
		if (list.length)
			imports.push(await timed('import workflows', () => home.importWorkflows(list)));
		const importLoadErrors = imports.flatMap((r) => r.packageLoadErrors);
		return { pack, emulator, home, credential, importLoadErrors, timings, stop };
	} catch (err) {
		await stop();
		throw err;
	}
}

export interface DevInstance extends Instance {
	srv: N8nServer;
	/** the path of the active webhook example, if any */
	webhookPath?: string;
}

/**
 * A dev instance: the package, the emulator, the credential "Konaplate emulator", the example
 * workflows (webhook-transfer active, behind its Header Auth credential "Konaplate webhook key"), and `n8n start` on 127.0.0.1:port (or a free port).
 * instance.stop() stops n8n and the emulator.
 */
export async function startDevInstance({
	port,
	logTo,
}: { port?: number; logTo?: Writable } = {}): Promise<DevInstance> {
	const examples = readExamples();
	const instance = await prepareInstance({
		workflows: Object.values(examples),
		credentials: [WEBHOOK_KEY],
	});
	try {
		const t0 = Date.now();
		const srv = await instance.home.start({ port, logTo });
		instance.timings['n8n start'] = Date.now() - t0;
		if (srv.packageLoadErrors.length > 0) {
			throw new Error(
				`${PACKAGE_NAME} does not load in n8n:\n  ${srv.packageLoadErrors.join('\n  ')}`,
			);
		}
		const webhook = Object.values(examples).find((wf) =>
			wf.nodes.some((n) => n.type === 'n8n-nodes-base.webhook'),
		);
		const hook = webhook?.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
		let webhookPath: string | undefined;
		if (webhook && hook) {
			assertAuthenticatedWebhooks(webhook);
			webhookPath = String(hook.parameters.path);
			await srv.activate(webhook.id, { webhookPaths: [webhookPath] });
		}
		return { ...instance, srv, webhookPath };
	} catch (err) {
		await instance.stop();
		throw err;
	}
}

/**
 * Ctrl-C or SIGTERM, the one interrupt path of these scripts: stop what is running (n8n, the
 * emulator, a browser) once, then exit with exitCode.
 */
export function stopOnInterrupt(
	stop: (signal: NodeJS.Signals) => Promise<void>,
	exitCode = 130,
): void {
	let stopping = false;
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			if (stopping) return;
			stopping = true;
			void stop(signal).then(() => process.exit(exitCode));
		});
	}
}
