// The real n8n of the end-to-end tests, where scripts/e2e/install-n8n.sh installed it.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { PACKAGE_ROOT } from './package-root';

/** The KEY=VALUE lines install-n8n.sh ends with: N8N_DIR, N8N_BIN, NODE_BIN, PLAYWRIGHT_CORE, ... */
export type N8nInstall = Record<string, string>;

export interface N8nInstallOptions {
	n8n?: string;
	node?: string;
	playwright?: boolean;
	/** Show install-n8n.sh's progress on stderr (a cold install takes minutes). */
	progress?: boolean;
}

/**
 * The real n8n of the end-to-end tests, from the one script that owns where it lives
 * (scripts/e2e/install-n8n.sh: ~0.1 s when cached, ~5 min on a cold machine).
 */
export function installN8n(options: N8nInstallOptions = {}): N8nInstall {
	const args = [
		...(options.n8n ? ['--n8n', options.n8n] : []),
		...(options.node ? ['--node', options.node] : []),
		...(options.playwright === false ? ['--no-playwright'] : []),
	];
	const script = path.join(PACKAGE_ROOT, 'scripts', 'e2e', 'install-n8n.sh');
	const result = spawnSync('bash', [script, ...args], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', options.progress ? 'inherit' : 'pipe'],
		maxBuffer: 64 * 2 ** 20,
	});
	if (result.status !== 0) {
		throw new Error(
			`install-n8n.sh failed (exit ${String(result.status)}):\n${(result.stderr ?? '').slice(-4000)}`,
		);
	}
	const install: N8nInstall = {};
	for (const line of result.stdout.split('\n')) {
		const pair = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
		if (pair) install[pair[1]] = pair[2];
	}
	if (!install.N8N_DIR) throw new Error('install-n8n.sh did not print N8N_DIR');
	return install;
}
