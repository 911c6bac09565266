import {
	createHash,
	createPrivateKey,
	createPublicKey,
	KeyObject,
	X509Certificate,
} from 'node:crypto';

export class KonaKeyError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'KonaKeyError';
	}
}

type KeyField = 'Server Public Key' | 'Client Private Key';

interface PemBlock {
	label: string;
	body: string;
}

const MIN_RSA_BITS = 2048;
const PUBLIC_LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE'];
const PRIVATE_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'];
const KEY_TYPE_NAMES: Record<string, string> = {
	ec: 'an EC',
	ed25519: 'an Ed25519',
	ed448: 'an Ed448',
	x25519: 'an X25519',
	x448: 'an X448',
	dsa: 'a DSA',
	dh: 'a DH',
	'rsa-pss': 'an RSA-PSS',
};
const PASSPHRASE_HINT =
	'export it without one (for example: openssl pkey -in key.pem -out key-unencrypted.pem)';

export function parseServerPublicKey(text: string): KeyObject {
	const field = 'Server Public Key';
	const blocks = readPemBlocks(text, field);
	const block = blocks.find((b) => PUBLIC_LABELS.includes(b.label));
	if (!block) {
		if (blocks.some((b) => b.label.endsWith('PRIVATE KEY'))) {
			throw new KonaKeyError(
				`${field} is a private key, not a public key: paste the server's public key or certificate downloaded for this crypto key id`,
			);
		}
		throw notPem(field);
	}
	const der = decodeBody(block, field);
	let key: KeyObject;
	try {
		if (block.label === 'CERTIFICATE') {
			key = new X509Certificate(der).publicKey;
		} else {
			const type = block.label === 'PUBLIC KEY' ? 'spki' : 'pkcs1';
			key = createPublicKey({ key: der, format: 'der', type });
		}
	} catch {
		throw damaged(field, block.label);
	}
	return requireRsa2048(key, field);
}

export function parseClientPrivateKey(text: string): KeyObject {
	const field = 'Client Private Key';
	const blocks = readPemBlocks(text, field);
	const block = blocks.find((b) => PRIVATE_LABELS.includes(b.label));
	if (!block) {
		if (blocks.some((b) => b.label === 'EC PRIVATE KEY')) {
			throw notRsa(field, 'ec');
		}
		if (blocks.some((b) => PUBLIC_LABELS.includes(b.label))) {
			throw new KonaKeyError(
				`${field} is a public key, not a private key: paste the private key of the client key pair for this crypto key id`,
			);
		}
		throw notPem(field);
	}
	if (block.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,\s*ENCRYPTED/i.test(block.body)) {
		throw new KonaKeyError(`${field} is protected by a passphrase: ${PASSPHRASE_HINT}`);
	}
	const der = decodeBody(block, field);
	let key: KeyObject;
	try {
		const type = block.label === 'PRIVATE KEY' ? 'pkcs8' : 'pkcs1';
		key = createPrivateKey({ key: der, format: 'der', type });
	} catch {
		throw damaged(field, block.label);
	}
	return requireRsa2048(key, field);
}

function readPemBlocks(text: string, field: KeyField): PemBlock[] {
	const normalized = unquote(typeof text === 'string' ? text.trim() : '')
		// Single-line fields get newlines pasted as the two characters \n (or \r\n)
		.replace(/\\r\\n|\\n|\\r/g, '\n')
		// Keys copied out of JSON may have their slashes escaped as \/
		.replace(/\\\//g, '/')
		.trim();
	if (normalized === '') {
		throw new KonaKeyError(
			`${field} is empty: paste the whole PEM text, including the -----BEGIN and -----END lines`,
		);
	}
	const blocks: PemBlock[] = [];
	const pattern = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
	for (const match of normalized.matchAll(pattern)) {
		blocks.push({ label: match[1], body: match[2] });
	}
	if (blocks.length === 0 && /-----BEGIN [A-Z0-9 ]+-----/.test(normalized)) {
		throw new KonaKeyError(
			`${field} is cut off: it has a -----BEGIN line but no matching -----END line; copy the whole block`,
		);
	}
	return blocks;
}

function unquote(text: string): string {
	let result = text;
	while (result.length >= 2 && /^(["'`]).*\1$/s.test(result)) {
		result = result.slice(1, -1).trim();
	}
	return result;
}

function decodeBody(block: PemBlock, field: KeyField): Buffer {
	const base64 = block.body.replace(/\s+/g, '');
	if (base64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) {
		throw damaged(field, block.label);
	}
	return Buffer.from(base64, 'base64');
}

function requireRsa2048(key: KeyObject, field: KeyField): KeyObject {
	const type = key.asymmetricKeyType ?? 'unknown';
	if (type !== 'rsa') {
		throw notRsa(field, type);
	}
	const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
	if (bits < MIN_RSA_BITS) {
		throw new KonaKeyError(
			`${field} is a ${bits}-bit RSA key; Konaplate uses RSA keys of at least ${MIN_RSA_BITS} bits`,
		);
	}
	return key;
}

function notRsa(field: KeyField, type: string): KonaKeyError {
	const name = KEY_TYPE_NAMES[type] ?? `a ${type.toUpperCase()}`;
	return new KonaKeyError(`${field} is ${name} key; Konaplate uses RSA keys (2048-bit)`);
}

function notPem(field: KeyField): KonaKeyError {
	return field === 'Server Public Key'
		? new KonaKeyError(
				`${field} is not a PEM public key or certificate: expected a block starting with -----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE-----`,
			)
		: new KonaKeyError(
				`${field} is not a PEM private key: expected a block starting with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----`,
			);
}

function damaged(field: KeyField, label: string): KonaKeyError {
	return new KonaKeyError(
		`${field} could not be read: the ${label} block is damaged or incomplete; copy the whole block again`,
	);
}

/** The PEM texts of a crypto key ID as the credential holds them. */
export interface KeyTexts {
	serverPublicKey: string;
	clientPrivateKey: string;
}

/** The keys of a crypto key ID, read; the client key is optional (plain answers need none). */
export interface KeyPair {
	serverKey: KeyObject;
	clientKey: KeyObject | undefined;
}

/** Credentials a process signs with are few; the bound only keeps a long-lived n8n from growing. */
const REMEMBERED_PAIRS = 32;
const readPairs = new Map<string, KeyPair>();

/** The memo's key: a digest, so the memo keeps no PEM text (nor a private key's) of its own. */
function pairDigest(keys: KeyTexts): string {
	return createHash('sha256')
		.update(keys.serverPublicKey)
		.update('\0')
		.update(keys.clientPrivateKey)
		.digest('hex');
}

/**
 * Reads the keys of a crypto key ID, or throws the KonaKeyError that says what is wrong with
 * them. Each pair of PEM texts is parsed once per process; a pair that fails is not kept.
 */
export function parseKeyPair(keys: KeyTexts): KeyPair {
	const digest = pairDigest(keys);
	const known = readPairs.get(digest);
	if (known !== undefined) return known;
	const pair: KeyPair = {
		serverKey: parseServerPublicKey(keys.serverPublicKey),
		clientKey:
			keys.clientPrivateKey.trim() === ''
				? undefined
				: parseClientPrivateKey(keys.clientPrivateKey),
	};
	if (readPairs.size >= REMEMBERED_PAIRS) readPairs.delete(readPairs.keys().next().value as string);
	readPairs.set(digest, pair);
	return pair;
}

/** Throws the KonaKeyError of a malformed key before anything is signed; cheap once the pair was read. */
export function checkKeyPair(keys: KeyTexts): void {
	parseKeyPair(keys);
}
