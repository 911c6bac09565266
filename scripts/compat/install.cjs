'use strict';
/**
 * Installs each n8n-workflow + n8n-core pair of ./versions.cjs once into a folder of its own,
 * outside the repository: ${KONAPLATE_E2E_CACHE:-~/.cache/n8n-nodes-konaplate}/compat/n8n-<v>/.
 * From the npm registry only, install scripts off. ~15 s and ~160 MB per folder on a cold cache
 * (all in parallel), nothing when cached. A folder is built under a temporary name and renamed
 * when complete, so parallel runs and interrupted installs never see half a folder.
 */
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CACHE = path.join(
	process.env.KONAPLATE_E2E_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-konaplate'),
	'compat',
);
const MARKER = '.konaplate-compat-installed';

function npmEnv() {
	// `npm test` exports npm_config_* (this repository's prefix among them): not for this install.
	return Object.fromEntries(
		Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)),
	);
}

function run(cmd, args, cwd) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd, env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0
				? resolve(out)
				: reject(
						new Error(`${cmd} ${args.join(' ')} in ${cwd} failed (${code}):\n${out.slice(-3000)}`),
					),
		);
	});
}

/** The folder for one { n8n, workflow, core } entry, installed if needed. */
async function ensureInstalled(entry) {
	const dir = path.join(CACHE, `n8n-${entry.n8n}`);
	const want = `n8n-workflow@${entry.workflow} n8n-core@${entry.core}`;
	const marker = path.join(dir, MARKER);
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === want) return dir;
	fs.mkdirSync(CACHE, { recursive: true });
	const tmp = fs.mkdtempSync(path.join(CACHE, `.n8n-${entry.n8n}-`));
	try {
		const manifest = {
			name: 'konaplate-compat',
			private: true,
			dependencies: { 'n8n-workflow': entry.workflow, 'n8n-core': entry.core },
		};
		fs.writeFileSync(path.join(tmp, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
		await run(
			process.platform === 'win32' ? 'npm.cmd' : 'npm',
			[
				'install',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--no-update-notifier',
				'--loglevel=error',
			],
			tmp,
		);
		fs.writeFileSync(path.join(tmp, MARKER), `${want}\n`);
		if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === want) return dir; // another run was first
		fs.rmSync(dir, { recursive: true, force: true });
		try {
			fs.renameSync(tmp, dir);
		} catch (error) {
			// another run finished the same folder first
			if (!fs.existsSync(marker)) throw error;
		}
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	return dir;
}

/**
 * Copies the package (package.json + dist/) beside an installed folder's node_modules, as n8n
 * keeps community packages, runs ./probe.cjs on it in a process of its own, and returns the
 * probe's JSON result.
 */
function probe(dir, packageRoot, credential) {
	const run = fs.mkdtempSync(path.join(dir, 'run-'));
	const packageDir = path.join(run, 'n8n-nodes-konaplate');
	try {
		fs.cpSync(path.join(packageRoot, 'package.json'), path.join(packageDir, 'package.json'));
		fs.cpSync(path.join(packageRoot, 'dist'), path.join(packageDir, 'dist'), { recursive: true });
		let out;
		try {
			out = execFileSync(
				process.execPath,
				[path.join(__dirname, 'probe.cjs'), packageDir, JSON.stringify(credential)],
				{ encoding: 'utf8' },
			);
		} catch (error) {
			out = String(error.stdout || '');
		}
		return JSON.parse(out.trim().split('\n').pop());
	} finally {
		fs.rmSync(run, { recursive: true, force: true });
	}
}

module.exports = { ensureInstalled, probe, CACHE };
