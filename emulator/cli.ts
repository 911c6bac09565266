// npm run emulator: the local Konaplate emulator on its own, for a dry run of a workflow in
// your own n8n. Also what `npm run dev` / `npm run test:e2e` start as a process and the bench
// as a worker thread. First line on stdout: {"baseUrl": ...} (or a message to the parent
// thread); then, for a person, where to point a credential. A process stops on SIGINT/SIGTERM.
// --encryption: requests must be JWE and answers are encrypted, with the test keys of
// emulator/keys; --port N: listen on N instead of a port chosen by the OS;
// --quiet: keep no request log (for long benchmark runs); --guide: write the credential file
// and print the guide (npm run emulator; the test runs that start it need neither).
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

import { CARDS, EMULATOR_CREDENTIAL_FILE, MEMBER } from './data';
import { encryptionCredentialFields, emulatorEncryption } from './keys';
import { KonaplateEmulator } from './server';

/** The credential in n8n's export format, pointed at this emulator, ready for `n8n import:credentials`. */
function writeCredential(baseUrl: string, encrypted: boolean, port: number): string {
	const [credential] = EMULATOR_CREDENTIAL_FILE;
	const data = { ...credential.data, baseUrl, ...(encrypted ? encryptionCredentialFields() : {}) };
	const file = path.join(tmpdir(), `konaplate-emulator-credential-${port}.json`);
	writeFileSync(file, `${JSON.stringify([{ ...credential, data }], null, '\t')}\n`);
	return file;
}

function guide(baseUrl: string, encrypted: boolean, credentialFile: string): string {
	const { name, data } = EMULATOR_CREDENTIAL_FILE[0];
	return [
		`Konaplate emulator on ${baseUrl}${encrypted ? ' (encryption required: JWE with the test keys of emulator/keys/)' : ''}. Ctrl-C stops it.`,
		'',
		`Credential "${name}", pointed at it: ${credentialFile}`,
		`  import it into your n8n:  n8n import:credentials --input=${credentialFile}`,
		'  or point a Konaplate API credential of your own at it (emulator test keys: they protect nothing):',
		`    Environment: Custom   Base URL: ${baseUrl}`,
		`    ASP ID: ${data.aspId}   Access Key: ${data.accessKey}   Secret Key: ${data.secretKey}   Time Zone: ${data.timeZone}`,
		...(encrypted
			? ['    Crypto Key ID, Server Public Key, Client Private Key: see the file above']
			: []),
		'',
		`Test data (emulator/data.ts): member ${MEMBER}, cards ${CARDS.main} and ${CARDS.second}.`,
		'State (balances, accounts) lives in memory: a restart starts from the test data again.',
		'',
	].join('\n');
}

async function main(): Promise<void> {
	const args = isMainThread ? process.argv.slice(2) : (workerData as string[]);
	const port = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : 0;
	const encrypted = args.includes('--encryption');
	const emulator = await KonaplateEmulator.start({
		port,
		keepRequests: !args.includes('--quiet'),
		encryption: encrypted ? emulatorEncryption() : undefined,
	});
	if (parentPort !== null) {
		parentPort.postMessage({ baseUrl: emulator.baseUrl });
		return;
	}
	process.stdout.write(`${JSON.stringify({ baseUrl: emulator.baseUrl })}\n`);
	if (args.includes('--guide')) {
		const listening = Number(new URL(emulator.baseUrl).port);
		process.stdout.write(
			guide(emulator.baseUrl, encrypted, writeCredential(emulator.baseUrl, encrypted, listening)),
		);
	}
	const stop = () => {
		void emulator.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
