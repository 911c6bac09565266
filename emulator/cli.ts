// npm run emulator: the local Konaplate emulator on its own, for a dry run of a workflow in
// your own n8n. Also what `npm run dev` / `npm run test:e2e` start as a process and the bench
// as a worker thread. First line on stdout: {"baseUrl": ...} (or a message to the parent
// thread); then, for a person, where to point a credential. A process stops on SIGINT/SIGTERM.
// --encryption: requests must be JWE and answers are encrypted, with the test keys of
// emulator/keys; --port N: listen on N instead of a port chosen by the OS; --host ADDRESS:
// listen there instead of 127.0.0.1 (0.0.0.0 for an n8n in Docker, see guide.ts);
// --quiet: keep no request log (for long benchmark runs); --guide: write the credential file
// and print the guide (npm run emulator; the test runs that start it need neither).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

import { guide, readCliOptions, writeCredential } from './guide';
import { emulatorEncryption } from './keys';
import { KonaplateEmulator } from './server';

async function main(): Promise<void> {
	const options = readCliOptions(isMainThread ? process.argv.slice(2) : (workerData as string[]));
	const emulator = await KonaplateEmulator.start({
		port: options.port,
		host: options.host,
		keepRequests: !options.quiet,
		encryption: options.encrypted ? emulatorEncryption() : undefined,
	});
	if (parentPort !== null) {
		parentPort.postMessage({ baseUrl: emulator.baseUrl });
		return;
	}
	process.stdout.write(`${JSON.stringify({ baseUrl: emulator.baseUrl })}\n`);
	if (options.guide) {
		const listening = Number(new URL(emulator.baseUrl).port);
		process.stdout.write(
			guide(
				emulator.baseUrl,
				options,
				writeCredential(emulator.baseUrl, options.encrypted, listening),
			),
		);
	}
	const stop = () => {
		void emulator.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
