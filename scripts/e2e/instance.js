'use strict';
/**
 * What `npm run test:e2e`, `npm run test:editor` and `npm run dev` share: this package packed
 * with `npm pack` (what n8n unpacks for a user), the Konaplate emulator as a process of its own,
 * and a fresh n8n user folder with the package installed, the credential "Konaplate emulator"
 * pointing at the emulator, and the example workflows imported.
 * Needs `npm run build && npm run build:tools` first (dist/ and .build/emulator/cli.js).
 */
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const e2e = require('./n8n-headless');

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE_NAME = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name;
const NODE_TYPE = `${PACKAGE_NAME}.konaplate`;
const CREDENTIAL_TYPE = 'konaCredentials';
const EMULATOR_SCRIPT = path.join(ROOT, '.build', 'emulator', 'cli.js');
const CREDENTIAL_FILE = path.join(ROOT, 'emulator', 'credential.json');
const EXAMPLES_DIR = path.join(ROOT, 'examples');

/** `npm pack` into a temp folder; returns the tarball's path and the folder (to delete). */
function packPackage() {
	for (const built of ['dist/nodes/Konaplate/Konaplate.node.js', '.build/emulator/cli.js']) {
		if (!fs.existsSync(path.join(ROOT, built))) {
			throw new Error(`${built} is missing: run npm run build && npm run build:tools first`);
		}
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'konaplate-pack-'));
	const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [{ filename, files }] = JSON.parse(out);
	return { tarball: path.join(dir, filename), files: files.map((f) => f.path), dir };
}

/**
 * Starts `node .build/emulator/cli.js` and resolves once it printed {"baseUrl": ...}.
 * Control endpoints (outside /open-api): GET /__emulator/requests, GET /__emulator/state,
 * POST /__emulator/reset, POST /__emulator/script.
 */
function startEmulator({ port } = {}) {
	const args = [EMULATOR_SCRIPT, ...(port ? ['--port', String(port)] : [])];
	const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	return new Promise((resolve, reject) => {
		const fail = (why) => {
			child.kill('SIGKILL');
			reject(new Error(`emulator did not start: ${why}\n${out}`));
		};
		const timer = setTimeout(() => fail('no baseUrl after 15 s'), 15000);
		child.stderr.on('data', (d) => (out += d));
		child.on('exit', (code) => {
			clearTimeout(timer);
			fail(`exited with ${code}`);
		});
		child.stdout.on('data', (d) => {
			out += d;
			const line = out.split('\n').find((l) => l.startsWith('{'));
			if (!line) return;
			clearTimeout(timer);
			child.removeAllListeners('exit');
			const { baseUrl } = JSON.parse(line);
			resolve(new Emulator(child, baseUrl));
		});
	});
}

class Emulator {
	constructor(child, baseUrl) {
		this.child = child;
		this.baseUrl = baseUrl;
		this.origin = new URL(baseUrl).origin;
		this.exited = new Promise((resolve) => child.on('exit', resolve));
	}

	async control(method, name) {
		const res = await fetch(`${this.origin}/__emulator/${name}`, { method });
		if (!res.ok) throw new Error(`emulator ${method} ${name}: HTTP ${res.status}`);
		return res.status === 204 ? undefined : await res.json();
	}

	/** [{ method, path, headers, rawBody, verdict, code, status }] since the last reset. */
	requests() {
		return this.control('GET', 'requests');
	}

	/** { cards: { cardNo: balance }, members } */
	state() {
		return this.control('GET', 'state');
	}

	reset() {
		return this.control('POST', 'reset');
	}

	/** The next requests get these replies, one each ({ delayMs, drop, status, body }); normal answers are held latencyMs. */
	async script(replies, { latencyMs = 0 } = {}) {
		const res = await fetch(`${this.origin}/__emulator/script`, { method: 'POST', body: JSON.stringify({ replies, latencyMs }) });
		if (!res.ok) throw new Error(`emulator POST script: HTTP ${res.status}`);
	}

	async stop() {
		if (this.child.exitCode !== null || this.child.signalCode !== null) return;
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
		await this.exited;
		clearTimeout(timer);
	}
}

/** The emulator credential (n8n export format, id "konaplateEmulator") pointed at baseUrl. */
function emulatorCredential(baseUrl) {
	const [credential] = JSON.parse(fs.readFileSync(CREDENTIAL_FILE, 'utf8'));
	return { ...credential, data: { ...credential.data, baseUrl } };
}

/** The workflows of examples/, by file name. */
function readExamples() {
	const examples = {};
	for (const file of fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort()) {
		examples[file] = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
	}
	return examples;
}

/**
 * Packs the package, starts the emulator, and prepares an n8n user folder with the package,
 * the credential (and any other given credentials) and the given workflows imported (n8n's own import commands). workflows: a
 * list, or (emulatorBaseUrl, credential) => list for workflows that name the emulator. The caller
 * starts n8n (home.start()) and must call stop().
 * Returns { pack, emulator, home, credential, importLoadErrors, timings, stop }.
 */
async function prepareInstance({ workflows = [], credentials = [], emulatorPort, baseDir } = {}) {
	const timings = {};
	const timed = async (label, fn) => {
		const t0 = Date.now();
		const result = await fn();
		timings[label] = Date.now() - t0;
		return result;
	};
	const cleanups = [];
	const stop = async () => {
		for (const fn of cleanups.reverse()) {
			try {
				await fn();
			} catch {}
		}
		cleanups.length = 0;
	};
	try {
		await timed('n8n install (cached)', () => e2e.ensureN8n());
		const pack = await timed('npm pack', () => packPackage());
		cleanups.push(() => fs.rmSync(pack.dir, { recursive: true, force: true }));
		const emulator = await timed('emulator start', () => startEmulator({ port: emulatorPort }));
		cleanups.push(() => emulator.stop());
		const home = await timed('user folder + package', () => e2e.createHome({ packages: [pack.tarball], baseDir }));
		cleanups.push(() => home.dispose());
		const credential = emulatorCredential(emulator.baseUrl);
		const imports = [await timed('import credential', () => home.importCredentials([credential, ...credentials]))];
		if (typeof workflows === 'function') workflows = workflows(emulator.baseUrl, credential);
		if (workflows.length) imports.push(await timed('import workflows', () => home.importWorkflows(workflows)));
		const importLoadErrors = imports.flatMap((r) => r.packageLoadErrors);
		return { pack, emulator, home, credential, importLoadErrors, timings, stop };
	} catch (err) {
		await stop();
		throw err;
	}
}

/** True when nothing listens on 127.0.0.1:port. */
function portIsFree(port) {
	return new Promise((resolve) => {
		const probe = net.createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

/**
 * A dev instance: the package, the emulator, the credential "Konaplate emulator", the example
 * workflows (webhook-transfer active), and `n8n start` on 127.0.0.1:port (or a free port).
 * Returns the prepared instance plus { srv }; instance.stop() stops n8n and the emulator.
 */
async function startDevInstance({ port, logTo } = {}) {
	const examples = readExamples();
	const instance = await prepareInstance({ workflows: Object.values(examples) });
	try {
		const t0 = Date.now();
		instance.srv = await instance.home.start({ port, logTo });
		instance.timings['n8n start'] = Date.now() - t0;
		if (instance.srv.packageLoadErrors.length > 0) {
			throw new Error(`${PACKAGE_NAME} does not load in n8n:\n  ${instance.srv.packageLoadErrors.join('\n  ')}`);
		}
		const webhook = Object.values(examples).find((wf) => wf.nodes.some((n) => n.type === 'n8n-nodes-base.webhook'));
		if (webhook) {
			const hook = webhook.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
			await instance.srv.activate(webhook.id, { webhookPaths: [hook.parameters.path] });
			instance.webhookPath = hook.parameters.path;
		}
		return instance;
	} catch (err) {
		await instance.stop();
		throw err;
	}
}

/** Ctrl-C or SIGTERM: stop what is running (n8n, the emulator, a browser), then exit. */
function stopOnInterrupt(stop) {
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => {
			void stop().then(() => process.exit(130));
		});
	}
}

module.exports = {
	stopOnInterrupt,
	portIsFree,
	startDevInstance,
	ROOT,
	PACKAGE_NAME,
	NODE_TYPE,
	CREDENTIAL_TYPE,
	packPackage,
	startEmulator,
	emulatorCredential,
	readExamples,
	prepareInstance,
};
