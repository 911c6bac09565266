// The emulator's test encryption keys (emulator/keys/; they protect nothing): its own side and the credential's fields.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { EmulatorEncryption } from './types';

/** emulator/keys/, beside this file or, from its compiled copy in .build/emulator/, two folders up. */
const KEYS_DIR = [
	path.join(__dirname, 'keys'),
	path.join(__dirname, '..', '..', 'emulator', 'keys'),
].find((dir) => existsSync(path.join(dir, 'README.md')));

/** A test crypto key ID: 32 characters, as Konaplate issues them. */
export const EMULATOR_CRYPTO_KEY_ID = 'c0ffee00'.repeat(4);

/** The test keys of emulator/keys (they protect nothing). */
export function emulatorKeyFile(
	name: 'server.key.pem' | 'server.cert.pem' | 'client.key.pem' | 'client.pub.pem',
): string {
	if (KEYS_DIR === undefined) throw new Error(`emulator/keys/ not found from ${__dirname}`);
	return readFileSync(path.join(KEYS_DIR, name), 'utf8');
}

/** The emulator's side: decrypts requests with the server key, encrypts answers to the client key. */
export function emulatorEncryption(): EmulatorEncryption {
	return {
		cryptoKeyId: EMULATOR_CRYPTO_KEY_ID,
		serverPrivateKey: createPrivateKey(emulatorKeyFile('server.key.pem')),
		clientPublicKey: createPublicKey(emulatorKeyFile('client.pub.pem')),
		required: true,
		encryptResponses: true,
	};
}

/** The partner's side: the three credential fields a user fills in. */
export function encryptionCredentialFields() {
	return {
		cryptoKeyId: EMULATOR_CRYPTO_KEY_ID,
		serverPublicKey: emulatorKeyFile('server.cert.pem'),
		clientPrivateKey: emulatorKeyFile('client.key.pem'),
	};
}
