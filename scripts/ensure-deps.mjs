#!/usr/bin/env node
// Installs the dev dependencies when they are missing or older than package-lock.json, so
// `npm start` and `npm test` work on a fresh clone: `npm ci`, exactly the lock, install
// scripts off (.npmrc, and the flag for a caller whose config says otherwise). The lock records
// every platform's optional packages (npm install --package-lock-only), so npm ci accepts it.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 15)) {
	console.error(
		`Node.js ${process.versions.node} is too old: this package needs Node.js 20.15 or newer.`,
	);
	process.exit(1);
}
const installed = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
// A node_modules that is a link (a git worktree sharing another checkout's install) belongs to
// that checkout: its lock's time says nothing about this one, and `npm ci` would wipe the shared
// install.
const linked =
	existsSync(join(root, 'node_modules')) && lstatSync(join(root, 'node_modules')).isSymbolicLink();
if (!linked && (!existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs)) {
	console.log(
		'Installing dev dependencies from package-lock.json: about two minutes on a fresh machine...',
	);
	execFileSync(
		process.platform === 'win32' ? 'npm.cmd' : 'npm',
		['ci', '--ignore-scripts', '--no-audit', '--no-fund'],
		{
			cwd: root,
			stdio: 'inherit',
		},
	);
}
