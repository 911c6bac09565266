/**
 * A community package installed as n8n's installer does it (n8n 2.x,
 * packages/cli/src/community-packages/community-packages.service.ts, downloadPackage): the
 * tarball unpacked into nodes/node_modules/<name>, its package.json stripped of dev, peer and
 * optional dependencies, then `npm install` in that folder with scripts off, no lock and a
 * shallow tree. n8n 1.x runs `npm install <name>@<version>` in the nodes folder instead, which
 * brings the same runtime dependencies.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** n8n's own flags (NPM_COMMON_ARGS and NPM_INSTALL_ARGS there). */
export const N8N_NPM_INSTALL_ARGS = [
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

/** Installs an unpacked package's runtime dependencies in its folder, as n8n does. */
export function installDependenciesLikeN8n(packageDir: string): void {
	const manifestPath = path.join(packageDir, 'package.json');
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	for (const stripped of ['devDependencies', 'peerDependencies', 'optionalDependencies'])
		delete manifest[stripped];
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2), 'utf8');
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const run = spawnSync(npm, ['install', ...N8N_NPM_INSTALL_ARGS], {
		cwd: packageDir,
		encoding: 'utf8',
	});
	if (run.status !== 0)
		throw new Error(`npm install in ${packageDir} failed (exit ${run.status}):\n${run.stderr}`);
}
