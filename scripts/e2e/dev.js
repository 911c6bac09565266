'use strict';
/**
 * npm run dev [-- --port N]: a real n8n editor on http://127.0.0.1:5678 (or the next free port)
 * with this package installed from a fresh `npm pack`, the Konaplate emulator running, the
 * credential "Konaplate emulator" ready, and the example workflows imported (webhook-transfer
 * active). The user folder is a temp folder, deleted on exit. Ctrl-C / SIGTERM stops n8n and
 * the emulator. Rebuild and restart to see a change: n8n loads the package once, at boot.
 */
const e2e = require('./n8n-headless');
const inst = require('./instance');

const DEFAULT_PORT = 5678;

async function main() {
	const portArg = process.argv.indexOf('--port');
	const wanted = portArg > 0 ? Number(process.argv[portArg + 1]) : DEFAULT_PORT;
	let port = wanted;
	if (!(await inst.portIsFree(port))) {
		port = await e2e.freePort();
		process.stdout.write(`port ${wanted} is taken: using ${port}\n`);
	}
	let instance;
	let stopSignal;
	const stop = async (signal) => {
		if (stopSignal) return;
		stopSignal = signal;
		if (!instance) return; // still starting: stopped as soon as it is up
		process.stdout.write(`\n${signal}: stopping n8n and the emulator...\n`);
		await instance.stop();
		process.stdout.write('stopped.\n');
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.stdout.write('Preparing n8n (the first run installs it: ~5-6 min)...\n');
	const info = e2e.ensureN8n({ quiet: false });
	instance = await inst.startDevInstance({ port, logTo: process.stdout });
	if (stopSignal) {
		const signal = stopSignal;
		stopSignal = undefined;
		await stop(signal);
	}
	const { srv, emulator, webhookPath } = instance;
	const lines = [
		'',
		`n8n ${info.N8N_VERSION} with ${inst.PACKAGE_NAME} is running:`,
		`  open      ${srv.baseUrl}`,
		`  log in    ${e2e.OWNER_EMAIL} / ${e2e.OWNER_PASSWORD}`,
		`  emulator  ${emulator.baseUrl}  (credential "${instance.credential.name}"; state: ${emulator.origin}/__emulator/state)`,
		'  workflows the examples/ folder, under Overview',
	];
	if (webhookPath) {
		lines.push(
			`  webhook   curl -X POST ${srv.baseUrl}/webhook/${webhookPath} -H 'content-type: application/json' \\`,
			`              -d '{"userId":"50000104652","fromCardNo":"9491339401250765","toCardNo":"9491339401250773","amount":1000}'`,
		);
	}
	lines.push(`  user folder ${instance.home.dir} (deleted on exit)`, 'Ctrl-C stops n8n and the emulator.', '');
	process.stdout.write(lines.join('\n'));
}

main().catch((err) => {
	process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
	process.exit(1);
});
