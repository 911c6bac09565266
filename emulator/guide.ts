/**
 * What `npm run emulator` reads from its arguments and tells a person: where it listens, the
 * credential values to paste into n8n (and the file to import), and, when it listens beyond this
 * machine's loopback, the address an n8n in Docker reaches it at.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { CARDS, EMULATOR_CREDENTIAL_FILE, MEMBER } from './data';
import { encryptionCredentialFields } from './keys';

export interface CliOptions {
	port: number;
	host: string;
	encrypted: boolean;
	quiet: boolean;
	guide: boolean;
}

/** --port N, --host ADDRESS (default 127.0.0.1), --encryption, --quiet, --guide. */
export function readCliOptions(args: readonly string[]): CliOptions {
	const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
	const host = args.includes('--host') ? (value('--host') ?? '') : '127.0.0.1';
	if (host === '' || host.startsWith('--'))
		throw new Error('--host needs an address, e.g. --host 0.0.0.0');
	return {
		port: Number(value('--port') ?? 0),
		host,
		encrypted: args.includes('--encryption'),
		quiet: args.includes('--quiet'),
		guide: args.includes('--guide'),
	};
}

const WILDCARDS = ['0.0.0.0', '::'];

/** The credential in n8n's export format, pointed at baseUrl, ready for `n8n import:credentials`. */
export function writeCredential(baseUrl: string, encrypted: boolean, port: number): string {
	const [credential] = EMULATOR_CREDENTIAL_FILE;
	const data = { ...credential.data, baseUrl, ...(encrypted ? encryptionCredentialFields() : {}) };
	const file = path.join(tmpdir(), `konaplate-emulator-credential-${port}.json`);
	writeFileSync(file, `${JSON.stringify([{ ...credential, data }], null, '\t')}\n`);
	return file;
}

export function guide(
	baseUrl: string,
	{ host, encrypted }: Pick<CliOptions, 'host' | 'encrypted'>,
	credentialFile: string,
): string {
	const { name, data } = EMULATOR_CREDENTIAL_FILE[0];
	const { port } = new URL(baseUrl);
	const everywhere = WILDCARDS.includes(host);
	const docker = `http://host.docker.internal:${port}/open-api`;
	return [
		`Konaplate emulator on ${baseUrl}${everywhere ? ` (listening on ${host}: every interface)` : ''}${encrypted ? ' (encryption required: JWE with the test keys of emulator/keys/)' : ''}. Ctrl-C stops it.`,
		...(host === '127.0.0.1'
			? []
			: [
					'  Any machine that reaches this address can use it and script its answers: test keys and data only.',
				]),
		'',
		'Paste into a Konaplate API credential in n8n (emulator test keys: they protect nothing):',
		`  Environment: Custom`,
		`  Base URL:    ${baseUrl}`,
		...(everywhere
			? [
					`               from an n8n in Docker: ${docker}`,
					'               (Linux: start the container with --add-host=host.docker.internal:host-gateway)',
				]
			: []),
		`  ASP ID:      ${data.aspId}`,
		`  Access Key:  ${data.accessKey}`,
		`  Secret Key:  ${data.secretKey}`,
		`  Time Zone:   ${data.timeZone}`,
		...(encrypted
			? ['  Crypto Key ID, Server Public Key, Client Private Key: see the file below']
			: []),
		'',
		`Or import the credential "${name}", pointed at ${baseUrl}: ${credentialFile}`,
		`  n8n import:credentials --input=${credentialFile}`,
		'',
		`Test data (emulator/data.ts): member ${MEMBER}, cards ${CARDS.main} and ${CARDS.second}.`,
		'State (balances, accounts) lives in memory: a restart starts from the test data again.',
		'',
	].join('\n');
}
