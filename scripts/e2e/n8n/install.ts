/**
 * The real n8n the end-to-end scripts run (installed and cached by ../install-n8n.sh), and what
 * differs between the n8n versions the suite runs on.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import { installN8n } from '../../lib/n8n-install';

/** What this n8n version supports: read from the installed n8n itself where possible, not from its version number. */
export interface N8nFeatures {
	/** n8n 2.2x+ has a module that fetches api.n8n.io at boot; it must be disabled there, and naming it in N8N_DISABLED_MODULES makes older n8n refuse to boot. */
	mcpRegistryModule: boolean;
	/** Newer n8n creates the owner from N8N_INSTANCE_OWNER_* at boot; older n8n needs POST /rest/owner/setup once the server runs. */
	ownerFromEnv: boolean;
	/** n8n 1.x's POST /rest/workflows/:id/run runs the workflow sent in the body (workflowData); 2.x reads it from the database. */
	manualRunSendsWorkflow: boolean;
	/** n8n 2.x saves an MCP tool call that threw as a successful execution; 1.123 saves none for it (seen in both). */
	savesFailedToolCalls: boolean;
}

/** The paths install-n8n.sh prints, and what they lead to. */
export interface N8nInstall {
	NODE_BIN: string;
	NODE_PATH_DIR: string;
	NODE_VERSION: string;
	N8N_DIR: string;
	N8N_BIN: string;
	/** playwright-core in the cache, for the editor check. */
	PLAYWRIGHT_CORE?: string;
	CACHE: string;
	N8N_VERSION: string;
	features: N8nFeatures;
}

const REQUIRED = ['NODE_BIN', 'NODE_PATH_DIR', 'NODE_VERSION', 'N8N_DIR', 'N8N_BIN'] as const;

/** n8n and Node of the run: --n8n / --node of run-e2e set these; install-n8n.sh has the defaults. */
export function selectedVersions(): { n8n: string; node: string } {
	return {
		n8n: process.env.KONAPLATE_E2E_N8N_VERSION || '',
		node: process.env.KONAPLATE_E2E_NODE_VERSION || '',
	};
}

const installs = new Map<string, N8nInstall>();

/**
 * Runs install-n8n.sh for the selected n8n x Node (seconds when cached, ~5 min cold) and
 * returns the paths it prints, plus `features`: what this n8n version supports.
 */
export function ensureN8n({ quiet = true }: { quiet?: boolean } = {}): N8nInstall {
	const { n8n, node } = selectedVersions();
	const key = `${n8n}|${node}`;
	const known = installs.get(key);
	if (known) return known;
	const printed = installN8n({ n8n: n8n || undefined, node: node || undefined, progress: !quiet });
	for (const k of REQUIRED) {
		if (!printed[k]) throw new Error(`install-n8n.sh did not print ${k}`);
	}
	const n8nDir = printed.N8N_DIR;
	const version = (
		JSON.parse(readFileSync(path.join(n8nDir, 'node_modules/n8n/package.json'), 'utf8')) as {
			version: string;
		}
	).version;
	const info: N8nInstall = {
		NODE_BIN: printed.NODE_BIN,
		NODE_PATH_DIR: printed.NODE_PATH_DIR,
		NODE_VERSION: printed.NODE_VERSION,
		N8N_DIR: n8nDir,
		N8N_BIN: printed.N8N_BIN,
		PLAYWRIGHT_CORE: printed.PLAYWRIGHT_CORE,
		CACHE: path.dirname(n8nDir),
		N8N_VERSION: version,
		features: n8nFeatures(n8nDir, version),
	};
	installs.set(key, info);
	return info;
}

function n8nFeatures(n8nDir: string, version: string): N8nFeatures {
	const cli = path.join(n8nDir, 'node_modules', 'n8n', 'dist');
	const ownerConfig = path.join(
		n8nDir,
		'node_modules',
		'@n8n',
		'config',
		'dist',
		'configs',
		'instance-settings-loader.config.js',
	);
	return {
		mcpRegistryModule: existsSync(path.join(cli, 'modules', 'mcp-registry')),
		ownerFromEnv:
			existsSync(ownerConfig) &&
			readFileSync(ownerConfig, 'utf8').includes('N8N_INSTANCE_OWNER_MANAGED_BY_ENV'),
		manualRunSendsWorkflow: Number(version.split('.')[0]) < 2,
		savesFailedToolCalls: Number(version.split('.')[0]) >= 2,
	};
}
