'use strict';
/**
 * Headless runner for a REAL n8n (installed by ./install-n8n.sh): plain CommonJS, Node >= 20,
 * no dependencies. n8n runs under the Node it was installed for (install-n8n.sh: the n8n and
 * Node versions come from KONAPLATE_E2E_N8N_VERSION / KONAPLATE_E2E_NODE_VERSION, default 2.41.1 on 24).
 *
 *   const home = await createHome({ packages: ['n8n-nodes-konaplate-0.1.0.tgz'] });  // ~20 ms
 *   await home.importCredentials([{ id, name, type, data: { ...plaintext } }]);     // ~3 s each
 *   await home.importWorkflows([workflowJson]);          // ids <= 21 characters, alphanumeric
 *   const r = await home.execute(id);                    // one `n8n execute` process, 3-5 s
 *   r.ok, r.error, r.nodes[name].items, r.packageLoadErrors
 *   const srv = await home.start();                      // `n8n start`, editor ready in 7-13 s
 *   await srv.runManually(id); await srv.callWebhook('POST', path, body);   // 0.1-0.4 s each
 *   await home.dispose();                                // stops servers, deletes the folder
 *
 * How n8n behaves here (verified with 2.41.1 on Node 24.21.0 and 26.10.0, 1.123.81 on Node 22.23.3;
 * what differs between versions is read by n8nFeatures()):
 * - Community packages load from $N8N_USER_FOLDER/.n8n/nodes/node_modules/<name>/ (n8n globs
 *   n8n-nodes-* and @scope/n8n-nodes-* there; types are then `<package>.<node>`). n8n-workflow
 *   resolves from n8n's own node_modules, as for a package installed from the UI.
 * - A package that does not load is only logged (see PACKAGE_LOAD_ERROR_RE) and n8n carries on:
 *   one bad file makes the whole package fail, so every run must check packageLoadErrors.
 * - `n8n execute --id --rawOutput` prints everything on stdout; the run is the pretty-printed
 *   JSON block from a line `{` to a line `}`, also on failure (after "Execution error:").
 * - `import:workflow` deactivates workflows; activate them through the public API once the
 *   server runs. Activation is asynchronous (waitForWebhook).
 * - `responseMode: lastNode` hides a node's error behind HTTP 500 "Error in workflow": read
 *   the execution (lastExecution) for the detail.
 * - `n8n execute-batch` retries failed workflows by default and its exit code is unreliable
 *   (segfaults at exit): not used.
 */
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const INSTALL_SCRIPT = path.join(__dirname, 'install-n8n.sh');
const ENCRYPTION_KEY = 'konaplate-e2e-fixed-key-0123456789abcdef';
const OWNER_EMAIL = 'e2e-owner@example.test';
const OWNER_PASSWORD = 'E2e-owner-Passw0rd';

/**
 * Lines n8n prints when a community package does not load: `Failed to load package "x"` (a
 * require() throws: missing runtime dependency, syntax error, a path in package.json's `n8n`
 * that does not exist), `Skipping package directory "x"` (bad package.json), `Skipping package
 * "x": it requires node API version N` (n8nNodesApiVersion).
 */
const PACKAGE_LOAD_ERROR_RE =
	/^(Failed to load package "|Skipping package "|Skipping package directory "|Unrecognized node type: |Unrecognized credential type)/;

/** n8n and Node of the run: --n8n / --node of run-e2e.js set these; install-n8n.sh has the defaults. */
function selectedVersions() {
	return { n8n: process.env.KONAPLATE_E2E_N8N_VERSION || '', node: process.env.KONAPLATE_E2E_NODE_VERSION || '' };
}

const installs = new Map();

/**
 * Runs install-n8n.sh for the selected n8n x Node (seconds when cached, ~5 min cold) and
 * returns the paths it prints, plus `features`: what this n8n version supports.
 */
function ensureN8n({ quiet = true } = {}) {
	const { n8n, node } = selectedVersions();
	const key = `${n8n}|${node}`;
	if (installs.has(key)) return installs.get(key);
	const args = [INSTALL_SCRIPT, ...(n8n ? ['--n8n', n8n] : []), ...(node ? ['--node', node] : [])];
	const res = spawnSync('bash', args, {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'],
		maxBuffer: 64 * 1024 * 1024,
	});
	if (res.status !== 0) {
		throw new Error(`install-n8n.sh failed (exit ${res.status}):\n${(res.stderr || '').slice(-4000)}`);
	}
	const info = {};
	for (const line of res.stdout.split('\n')) {
		const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
		if (m) info[m[1]] = m[2];
	}
	for (const k of ['NODE_BIN', 'NODE_PATH_DIR', 'NODE_VERSION', 'N8N_DIR', 'N8N_BIN']) {
		if (!info[k]) throw new Error(`install-n8n.sh did not print ${k}`);
	}
	info.CACHE = path.dirname(info.N8N_DIR);
	info.N8N_VERSION = JSON.parse(
		fs.readFileSync(path.join(info.N8N_DIR, 'node_modules/n8n/package.json'), 'utf8'),
	).version;
	info.features = n8nFeatures(info.N8N_DIR, info.N8N_VERSION);
	installs.set(key, info);
	return info;
}

/**
 * What differs between the n8n versions the suite runs on, read from the installed n8n itself
 * rather than from version numbers where possible:
 * - mcpRegistryModule: n8n 2.2x+ has a module that fetches api.n8n.io at boot; it must be
 *   disabled there, and naming it in N8N_DISABLED_MODULES makes older n8n refuse to boot.
 * - ownerFromEnv: newer n8n creates the owner from N8N_INSTANCE_OWNER_* at boot; older n8n
 *   needs POST /rest/owner/setup once the server runs.
 * - manualRunSendsWorkflow: n8n 1.x's POST /rest/workflows/:id/run runs the workflow sent in
 *   the body (workflowData); 2.x reads it from the database.
 */
function n8nFeatures(n8nDir, version) {
	const cli = path.join(n8nDir, 'node_modules', 'n8n', 'dist');
	const ownerConfig = path.join(n8nDir, 'node_modules', '@n8n', 'config', 'dist', 'configs', 'instance-settings-loader.config.js');
	return {
		mcpRegistryModule: fs.existsSync(path.join(cli, 'modules', 'mcp-registry')),
		ownerFromEnv: fs.existsSync(ownerConfig) && fs.readFileSync(ownerConfig, 'utf8').includes('N8N_INSTANCE_OWNER_MANAGED_BY_ENV'),
		manualRunSendsWorkflow: Number(version.split('.')[0]) < 2,
	};
}

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.unref();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Ends what is left of a process group we started (detached child = group leader). */
function killGroup(pgid, signal = 'SIGKILL') {
	try {
		process.kill(-pgid, signal);
	} catch {}
}

function bcryptHash(n8nDir, password) {
	const bcrypt = require(path.join(n8nDir, 'node_modules/bcryptjs'));
	return bcrypt.hashSync(password, 10);
}

/**
 * Environment for every n8n process: nothing inherited that could change n8n's behaviour, and
 * no request leaves 127.0.0.1. Each process also needs its own N8N_RUNNERS_BROKER_PORT (the
 * default 5679 collides when two run at once).
 */
function baseEnv(info, userFolder, extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		// drop n8n/DB/npm settings of the caller (e.g. `npm test` exports npm_config_*)
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|GENERIC_|WEBHOOK_URL|npm_|NODE_OPTIONS|NODE_PATH|NODE_ENV)/.test(k)) continue;
		env[k] = v;
	}
	return {
		...env,
		// This n8n's Node first: the JS task runner is spawned as plain `node` from PATH.
		PATH: `${info.NODE_PATH_DIR}${path.delimiter}${process.env.PATH || ''}`,
		TMPDIR: path.join(userFolder, 'tmp'), // else n8n leaves empty /tmp/tmp-<pid>-* folders
		// A fixed key: it must match the one n8n wrote into .n8n/config (the template folder's).
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

/** Runs a process, resolves { code, signal, stdout, stderr, ms }. Never rejects on exit code. */
function run(cmd, args, { env, cwd, timeoutMs = 120000, input } = {}) {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const child = spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {}
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			killGroup(child.pid); // the JS task runner can outlive n8n by a moment
			resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, timedOut: Date.now() - t0 >= timeoutMs });
		});
		if (input !== undefined) child.stdin.end(input);
		else child.stdin.end();
	});
}

/** Finds the pretty-printed execution JSON (`{` ... `}` at column 0) in `n8n execute` output. */
function parseExecuteOutput(text) {
	const lines = text.split('\n');
	let found = null;
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j] !== '}') continue;
			try {
				const obj = JSON.parse(lines.slice(i, j + 1).join('\n'));
				if (obj && obj.data && obj.data.resultData) found = obj;
			} catch {}
			i = j;
			break;
		}
	}
	return found;
}

/** { nodeName: { status, error, items (json of output 0), outputs (json per output), runs } } */
function summarizeRunData(execution) {
	const out = {};
	const runData = (execution && execution.data && execution.data.resultData && execution.data.resultData.runData) || {};
	for (const [name, runs] of Object.entries(runData)) {
		const summarized = runs.map((r) => ({
			status: r.executionStatus,
			error: r.error ? pickError(r.error) : undefined,
			outputs: ((r.data && r.data.main) || []).map((o) => (o || []).map((item) => item.json)),
		}));
		const last = summarized[summarized.length - 1];
		out[name] = { ...last, items: last.outputs[0] || [], runs: summarized };
	}
	return out;
}

function pickError(e) {
	if (!e) return undefined;
	return {
		name: e.name,
		message: e.message,
		description: e.description,
		httpCode: e.httpCode,
		node: e.node && e.node.name,
		itemIndex: e.context && e.context.itemIndex,
	};
}

/**
 * Each load error line with the line after it, which names the cause (e.g. Cannot find module).
 * n8n 1.x logs only the error's own message when a community package fails to load: a
 * `Cannot find module` whose require stack starts in a community package counts too.
 */
function packageLoadErrors(log) {
	const lines = log.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim());
	return lines.flatMap((l, i) => {
		if (PACKAGE_LOAD_ERROR_RE.test(l)) return [lines[i + 1] ? `${l}: ${lines[i + 1]}` : l];
		const stack = /^(- )?(\S*\/\.n8n\/nodes\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(lines[i + 2] || '');
		if (/^Cannot find module '/.test(l) && lines[i + 1] === 'Require stack:' && stack) return [`${l} (required by ${stack[2]})`];
		return [];
	});
}

function readPackageJsonFromTarball(tgz) {
	const r = spawnSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`cannot read package/package.json from ${tgz}: ${r.stderr}`);
	return JSON.parse(r.stdout);
}

/** Template user folder with a migrated database (saves ~3 s on every fresh folder). */
async function templateFolder(info) {
	const keyTag = crypto.createHash('sha256').update(ENCRYPTION_KEY).digest('hex').slice(0, 8);
	const dir = path.join(info.CACHE, `template-n8n-${info.N8N_VERSION}-${keyTag}`);
	if (fs.existsSync(path.join(dir, '.konaplate-e2e-template-ok'))) return dir;
	const tmp = fs.mkdtempSync(path.join(info.CACHE, '.template-tmp-'));
	fs.mkdirSync(path.join(tmp, 'tmp'));
	const r = await run(info.NODE_BIN, [info.N8N_BIN, 'list:workflow'], { env: baseEnv(info, tmp) });
	if (r.code !== 0) {
		fs.rmSync(tmp, { recursive: true, force: true });
		throw new Error(`n8n migration (template) failed:\n${r.stdout}\n${r.stderr}`);
	}
	fs.rmSync(path.join(tmp, 'tmp'), { recursive: true, force: true });
	fs.writeFileSync(path.join(tmp, '.konaplate-e2e-template-ok'), `${info.N8N_VERSION}\n`);
	try {
		fs.renameSync(tmp, dir); // atomic; loses the race harmlessly if another worker made it
	} catch {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	return dir;
}

/**
 * A fresh N8N_USER_FOLDER (from the migrated template), with community packages unpacked into
 * .n8n/nodes/node_modules/<name>/ exactly as n8n's installer leaves them.
 * packages: paths to `npm pack` tarballs or to package directories (copied).
 */
async function createHome({ packages = [], keep = false, baseDir } = {}) {
	const info = ensureN8n();
	const tpl = await templateFolder(info);
	const dir = fs.mkdtempSync(path.join(baseDir || os.tmpdir(), 'n8n-e2e-'));
	fs.cpSync(tpl, dir, { recursive: true });
	fs.rmSync(path.join(dir, '.konaplate-e2e-template-ok'), { force: true });
	fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
	const nodesDir = path.join(dir, '.n8n', 'nodes');
	fs.mkdirSync(path.join(nodesDir, 'node_modules'), { recursive: true });
	const deps = {};
	for (const p of packages) {
		const abs = path.resolve(p);
		let name;
		let version;
		if (fs.statSync(abs).isDirectory()) {
			({ name, version } = JSON.parse(fs.readFileSync(path.join(abs, 'package.json'), 'utf8')));
			fs.cpSync(abs, path.join(nodesDir, 'node_modules', name), {
				recursive: true,
				filter: (src) => !/[\\/](node_modules|\.git)([\\/]|$)/.test(path.relative(abs, src)),
			});
		} else {
			({ name, version } = readPackageJsonFromTarball(abs));
			const target = path.join(nodesDir, 'node_modules', name);
			fs.mkdirSync(target, { recursive: true });
			const r = spawnSync('tar', ['-xzf', abs, '-C', target, '--strip-components=1'], { encoding: 'utf8' });
			if (r.status !== 0) throw new Error(`tar failed for ${abs}: ${r.stderr}`);
		}
		deps[name] = version;
	}
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: deps }, null, 2),
	);
	return new N8nHome(info, dir, { keep });
}

class N8nHome {
	constructor(info, dir, { keep }) {
		this.info = info;
		this.dir = dir;
		this.keep = keep;
		this.servers = new Set();
	}

	env(extra) {
		return baseEnv(this.info, this.dir, extra);
	}

	/** Any n8n CLI command: cli(['import:workflow', '--input=x.json']). */
	async cli(args, { timeoutMs = 180000, extraEnv = {} } = {}) {
		const brokerPort = await freePort();
		const r = await run(this.info.NODE_BIN, [this.info.N8N_BIN, ...args], {
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...extraEnv }),
			timeoutMs,
		});
		r.log = r.stdout + r.stderr;
		r.packageLoadErrors = packageLoadErrors(r.log);
		return r;
	}

	async importJson(kind, entities) {
		const file = path.join(this.dir, 'tmp', `import-${kind}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
		fs.writeFileSync(file, JSON.stringify(entities));
		const r = await this.cli([`import:${kind}`, `--input=${file}`]);
		fs.rmSync(file, { force: true });
		if (r.code !== 0 || !/Successfully imported/.test(r.log)) {
			throw new Error(`n8n import:${kind} failed (exit ${r.code}):\n${r.log.slice(-4000)}`);
		}
		return r;
	}

	/** [{ id, name, type, data: { plaintext } }] */
	importCredentials(creds) {
		return this.importJson('credentials', creds);
	}

	/** [{ id (<= 21 chars), name, nodes, connections, settings }] */
	importWorkflows(workflows) {
		return this.importJson('workflow', workflows.map((w) => ({ active: false, settings: {}, ...w })));
	}

	/** Marks workflows as published so `start` activates them (webhooks). Do it before start(). */
	async publish(ids) {
		for (const id of [].concat(ids)) {
			const r = await this.cli(['publish:workflow', `--id=${id}`]);
			if (r.code !== 0) throw new Error(`publish:workflow ${id} failed:\n${r.log}`);
		}
	}

	/**
	 * `n8n execute --id=<id> --rawOutput` in its own process. Resolves (never rejects on a
	 * failed workflow): { ok, exitCode, status, error, nodes, execution, packageLoadErrors, log, ms }.
	 */
	async execute(id, { timeoutMs = 180000 } = {}) {
		const r = await this.cli(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs });
		const execution = parseExecuteOutput(r.stdout);
		const err = execution && execution.data.resultData.error;
		let error = pickError(err);
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
		return {
			ok: r.code === 0 && !!execution && execution.status === 'success',
			exitCode: r.code,
			signal: r.signal,
			timedOut: r.timedOut,
			status: execution ? execution.status : undefined,
			lastNodeExecuted: execution ? execution.data.resultData.lastNodeExecuted : undefined,
			error,
			nodes: summarizeRunData(execution),
			execution,
			packageLoadErrors: r.packageLoadErrors,
			log: r.log,
			ms: r.ms,
		};
	}

	/** `n8n start` on 127.0.0.1:<free port>, resolved once the editor URL line is printed. */
	async start({ port, timeoutMs = 90000, extraEnv = {}, logTo } = {}) {
		const srv = new N8nServer(this);
		this.servers.add(srv);
		await srv.start({ port, timeoutMs, extraEnv, logTo });
		return srv;
	}

	async dispose() {
		for (const s of this.servers) await s.stop();
		if (!this.keep) fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

class N8nServer {
	constructor(home) {
		this.home = home;
		this.log = '';
		this.cookie = null;
		this.apiKey = null;
	}

	/** logTo: a stream that also gets n8n's output (npm run dev). */
	async start({ port, timeoutMs, extraEnv, logTo }) {
		this.port = port || (await freePort());
		this.brokerPort = await freePort();
		this.baseUrl = `http://127.0.0.1:${this.port}`;
		const env = this.home.env({
			N8N_PORT: String(this.port),
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_EDITOR_BASE_URL: this.baseUrl,
			WEBHOOK_URL: `${this.baseUrl}/`,
			// owner created at boot where n8n can (no setup screen); else setUpOwner() below
			...(this.home.info.features.ownerFromEnv
				? {
						N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
						N8N_INSTANCE_OWNER_EMAIL: OWNER_EMAIL,
						N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(this.home.info.N8N_DIR, OWNER_PASSWORD),
					}
				: {}),
			...extraEnv,
		});
		const t0 = Date.now();
		this.child = spawn(this.home.info.NODE_BIN, [this.home.info.N8N_BIN, 'start'], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // own process group: stop() also ends the task runner
		});
		this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
		for (const stream of [this.child.stdout, this.child.stderr]) {
			stream.on('data', (d) => {
				this.log += d;
				if (logTo) logTo.write(d);
			});
		}
		let exitInfo = null;
		this.exited.then((x) => (exitInfo = x));
		// /healthz/readiness answers ok earlier, before workflows are activated: wait for this line.
		while (!/Editor is now accessible via/.test(this.log)) {
			if (exitInfo) throw new Error(`n8n start exited early (${JSON.stringify(exitInfo)}):\n${this.log.slice(-4000)}`);
			if (Date.now() - t0 > timeoutMs) {
				await this.stop();
				throw new Error(`n8n start not ready after ${timeoutMs} ms:\n${this.log.slice(-4000)}`);
			}
			await sleep(100);
		}
		this.bootMs = Date.now() - t0;
		if (!this.home.info.features.ownerFromEnv) await this.setUpOwner();
		return this;
	}

	/** n8n without owner-at-boot: the owner set-up form, as the first visitor fills it in. */
	async setUpOwner() {
		const res = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': 'e2e' },
			body: JSON.stringify({ email: OWNER_EMAIL, firstName: 'E2E', lastName: 'Owner', password: OWNER_PASSWORD }),
		});
		if (!res.ok) throw new Error(`owner setup failed: ${res.status} ${(await res.text()).slice(0, 500)}`);
	}

	get packageLoadErrors() {
		return packageLoadErrors(this.log);
	}

	async login() {
		if (this.cookie) return this.cookie;
		const res = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER_EMAIL, password: OWNER_PASSWORD }),
		});
		if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
		const setCookie = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie')];
		const auth = setCookie.map((c) => c && c.split(';')[0]).find((c) => c && c.startsWith('n8n-auth='));
		if (!auth) throw new Error('login: no n8n-auth cookie');
		this.cookie = auth;
		return auth;
	}

	/** Internal REST API (/rest/...), as the owner. Returns the parsed body (its `data` if any). */
	async rest(method, p, body) {
		await this.login();
		const res = await fetch(`${this.baseUrl}/rest${p}`, {
			method,
			headers: { cookie: this.cookie, 'content-type': 'application/json', 'browser-id': 'e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /rest${p}: ${res.status} ${text.slice(0, 2000)}`);
		const json = text ? JSON.parse(text) : undefined;
		return json && 'data' in json ? json.data : json;
	}

	/** Public API (/api/v1/...) with an owner API key created on first use. */
	async api(method, p, body) {
		if (!this.apiKey) {
			const scopes = await this.rest('GET', '/api-keys/scopes');
			const key = await this.rest('POST', '/api-keys', { label: `e2e-${Date.now()}`, scopes, expiresAt: null });
			this.apiKey = key.rawApiKey;
		}
		const res = await fetch(`${this.baseUrl}/api/v1${p}`, {
			method,
			headers: { 'X-N8N-API-KEY': this.apiKey, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /api/v1${p}: ${res.status} ${text.slice(0, 2000)}`);
		return text ? JSON.parse(text) : undefined;
	}

	/** Creates a workflow through the public API (server-assigned id). Returns it. */
	async createWorkflow(wf) {
		const { id, active, tags, pinData, meta, versionId, ...rest } = wf;
		return await this.api('POST', '/workflows', { settings: {}, ...rest });
	}

	/** Creates a credential as the editor does (n8n 1.x's public API wants extra fields). */
	async createCredential({ name, type, data }) {
		return await this.rest('POST', '/credentials', { name, type, data });
	}

	/** Activates, then waits until its (non-GET) webhooks answer. */
	async activate(id, { webhookPaths = [] } = {}) {
		await this.api('POST', `/workflows/${id}/activate`);
		for (const p of webhookPaths) await this.waitForWebhook(p);
	}

	/**
	 * Waits until a POST/PUT/... webhook is registered: a GET to it then answers "not registered
	 * for GET requests" instead of "is not registered" (activation is asynchronous in 2.x).
	 * Does not work for GET webhooks (that probe would run the workflow).
	 */
	async waitForWebhook(p, { timeoutMs = 20000 } = {}) {
		const t0 = Date.now();
		for (;;) {
			const res = await fetch(`${this.baseUrl}/webhook/${p}`);
			const text = await res.text();
			if (/not registered for GET requests/.test(text)) return;
			if (res.status !== 404) return;
			if (Date.now() - t0 > timeoutMs) throw new Error(`webhook ${p} not registered after ${timeoutMs} ms: ${text.slice(0, 300)}`);
			await sleep(50);
		}
	}

	async callWebhook(method, p, body, { headers = {} } = {}) {
		const res = await fetch(`${this.baseUrl}/webhook/${p}`, {
			method,
			headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {}
		return { status: res.status, headers: Object.fromEntries(res.headers), text, json };
	}

	/**
	 * Full execution with run data, waiting until it has finished. The public API returns plain
	 * JSON (GET /rest/executions/<id> returns `data` as a "flatted" string).
	 */
	async getExecution(executionId, { timeoutMs = 60000 } = {}) {
		const t0 = Date.now();
		for (;;) {
			let e;
			try {
				e = await this.api('GET', `/executions/${executionId}?includeData=true`);
			} catch (err) {
				if (!/: 404 /.test(String(err.message))) throw err;
			}
			if (e && e.data && !['new', 'running', 'waiting'].includes(e.status)) {
				return { ...e, nodes: summarizeRunData(e), error: pickError(e.data.resultData && e.data.resultData.error) };
			}
			if (Date.now() - t0 > timeoutMs) throw new Error(`execution ${executionId} not finished after ${timeoutMs} ms`);
			await sleep(50);
		}
	}

	/** Latest execution of a workflow (e.g. after a webhook call). */
	async lastExecution(workflowId, { newerThan, timeoutMs = 20000 } = {}) {
		const t0 = Date.now();
		for (;;) {
			const list = await this.api('GET', `/executions?workflowId=${encodeURIComponent(workflowId)}&limit=1`);
			const e = list.data && list.data[0];
			if (e && (newerThan === undefined || Number(e.id) > Number(newerThan))) return await this.getExecution(e.id);
			if (Date.now() - t0 > timeoutMs) throw new Error(`no execution of ${workflowId} after ${timeoutMs} ms`);
			await sleep(50);
		}
	}

	/** Runs a saved workflow from its trigger (as the editor's "Execute workflow"). */
	async runManually(workflowId, { triggerName } = {}) {
		if (!triggerName) {
			const wf = await this.api('GET', `/workflows/${workflowId}`);
			const trigger = wf.nodes.find((n) => /manualTrigger$|\.start$/.test(n.type)) || wf.nodes.find((n) => /Trigger$|webhook$/i.test(n.type));
			if (!trigger) throw new Error(`no trigger node in workflow ${workflowId}`);
			triggerName = trigger.name;
		}
		const body = { triggerToStartFrom: { name: triggerName } };
		if (this.home.info.features.manualRunSendsWorkflow) body.workflowData = await this.rest('GET', `/workflows/${workflowId}`);
		const r = await this.rest('POST', `/workflows/${workflowId}/run`, body);
		if (!r || !r.executionId) throw new Error(`run did not start: ${JSON.stringify(r)}`);
		return await this.getExecution(r.executionId);
	}

	async stop({ timeoutMs = 20000 } = {}) {
		if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) {
			this.home.servers.delete(this);
			return;
		}
		try {
			process.kill(-this.child.pid, 'SIGTERM');
		} catch {}
		let timer;
		const done = await Promise.race([
			this.exited,
			new Promise((r) => (timer = setTimeout(() => r(null), timeoutMs))),
		]);
		clearTimeout(timer);
		if (!done) {
			try {
				process.kill(-this.child.pid, 'SIGKILL');
			} catch {}
			await this.exited;
		}
		killGroup(this.child.pid);
		this.home.servers.delete(this);
	}
}

module.exports = {
	ensureN8n,
	selectedVersions,
	createHome,
	freePort,
	parseExecuteOutput,
	summarizeRunData,
	packageLoadErrors,
	ENCRYPTION_KEY,
	OWNER_EMAIL,
	OWNER_PASSWORD,
};
