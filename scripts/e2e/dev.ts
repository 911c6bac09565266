/**
 * npm run dev [-- --port N]: a real n8n editor on http://127.0.0.1:5678 (or the next free port)
 * with this package installed from a fresh `npm pack`, the Konaplate emulator running, the
 * credential "Konaplate emulator" ready, and the example workflows imported (webhook-transfer
 * active behind its Header Auth credential, whose header the printed curl sends). The user
 * folder is a temp folder, deleted on exit. Ctrl-C / SIGTERM stops n8n and the emulator.
 * Rebuild and restart to see a change: n8n loads the package once, at boot.
 */
import { CARDS, MEMBER } from '../../emulator/data';
import { freePort, portIsFree } from '../lib/free-port';
import { PACKAGE_NAME, startDevInstance, stopOnInterrupt } from './instance';
import type { DevInstance } from './instance';
import { WEBHOOK_KEY, WEBHOOK_KEY_HEADER } from './webhook-key';
import { OWNER } from './n8n/client';
import { ensureN8n } from './n8n/install';

const DEFAULT_PORT = 5678;

async function main(): Promise<void> {
	const portArg = process.argv.indexOf('--port');
	const wanted = portArg > 0 ? Number(process.argv[portArg + 1]) : DEFAULT_PORT;
	let port = wanted;
	if (!(await portIsFree(port))) {
		port = await freePort();
		process.stdout.write(`port ${wanted} is taken: using ${port}\n`);
	}
	process.stdout.write('Preparing n8n (the first run installs it: ~5-6 min)...\n');
	const info = ensureN8n({ quiet: false });
	const starting = startDevInstance({ port, logTo: process.stdout });
	// Interrupted while starting: stopped as soon as it is up.
	stopOnInterrupt(async (signal) => {
		const instance = await starting.catch(() => undefined);
		process.stdout.write(`\n${signal}: stopping n8n and the emulator...\n`);
		await instance?.stop();
		process.stdout.write('stopped.\n');
	}, 0);
	const instance: DevInstance = await starting;
	const { srv, emulator, webhookPath } = instance;
	const lines = [
		'',
		`n8n ${info.N8N_VERSION} with ${PACKAGE_NAME} is running:`,
		`  open      ${srv.baseUrl}`,
		`  log in    ${OWNER.email} / ${OWNER.password}`,
		`  emulator  ${emulator.baseUrl}  (credential "${instance.credential.name}"; state: ${emulator.origin}/__emulator/state)`,
		'  workflows the examples/ folder, under Overview',
	];
	if (webhookPath) {
		const body = JSON.stringify({
			userId: MEMBER,
			fromCardNo: CARDS.main,
			toCardNo: CARDS.second,
			amount: 1000,
			reference: 'dev-1',
		});
		const [[header, key]] = Object.entries(WEBHOOK_KEY_HEADER);
		lines.push(
			`  webhook   curl -X POST ${srv.baseUrl}/webhook/${webhookPath} -H 'content-type: application/json' \\`,
			`              -H '${header}: ${key}' \\`,
			`              -d '${body}'`,
			`            (the key is the Header Auth credential "${WEBHOOK_KEY.name}"; without it n8n answers 403)`,
		);
	}
	lines.push(
		`  user folder ${instance.home.dir} (deleted on exit)`,
		'Ctrl-C stops n8n and the emulator.',
		'',
	);
	process.stdout.write(lines.join('\n'));
}

main().catch((err: unknown) => {
	process.stderr.write(`${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
	process.exit(1);
});
