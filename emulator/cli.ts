/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
// Runs the local Konaplate emulator as a process of its own (a real n8n, `npm run dev`) or a
// worker thread (benchmarks). Says {"baseUrl": ...} when it listens: one JSON line on stdout,
// or a message to the parent thread. A process stops on SIGINT/SIGTERM.
// --encryption: requests must be JWE and answers are encrypted, with the test keys of
// emulator/keys; --port N: listen on N instead of a port chosen by the OS;
// --quiet: keep no request log (for long benchmark runs).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

import { emulatorEncryption } from './keys';
import { KonaplateEmulator } from './server';

async function main(): Promise<void> {
	const args = isMainThread ? process.argv.slice(2) : (workerData as string[]);
	const port = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : 0;
	const emulator = await KonaplateEmulator.start({
		port,
		keepRequests: !args.includes('--quiet'),
		encryption: args.includes('--encryption') ? emulatorEncryption() : undefined,
	});
	if (parentPort !== null) {
		parentPort.postMessage({ baseUrl: emulator.baseUrl });
		return;
	}
	process.stdout.write(`${JSON.stringify({ baseUrl: emulator.baseUrl })}\n`);
	const stop = () => {
		void emulator.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
