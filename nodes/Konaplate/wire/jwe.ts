import {
	constants,
	createCipheriv,
	createDecipheriv,
	KeyObject,
	privateDecrypt,
	publicEncrypt,
} from 'node:crypto';

export class KonaJweError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'KonaJweError';
	}
}

// What working Konaplate clients send, byte for byte: the encoded header is also the AES-GCM AAD
const REQUEST_HEADER = '{"alg":"RSA-OAEP-256","enc":"A128GCM"}';
const ENCODED_REQUEST_HEADER = Buffer.from(REQUEST_HEADER, 'utf8').toString('base64url');

interface ContentCipher {
	cipher: 'aes-128-gcm' | 'aes-256-gcm';
	keyBytes: number;
}

interface ResponseAlgorithms extends ContentCipher {
	hash: 'sha256' | 'sha1';
	enc: string;
}

const KEY_WRAP_HASHES = new Map<string, ResponseAlgorithms['hash']>([
	['RSA-OAEP-256', 'sha256'],
	['RSA-OAEP', 'sha1'],
]);
const A128GCM: ContentCipher = { cipher: 'aes-128-gcm', keyBytes: 16 };
const CONTENT_CIPHERS = new Map<string, ContentCipher>([
	['A128GCM', A128GCM],
	['A256GCM', { cipher: 'aes-256-gcm', keyBytes: 32 }],
]);
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PART_NAMES = ['protected header', 'encrypted key', 'IV', 'ciphertext', 'authentication tag'];
const SOURCE = "the response's encData";

/** randomBytes is asked for the 16-byte content key first, then the 12-byte IV. */
export function encryptJwe(
	plaintext: string,
	serverPublicKey: KeyObject,
	randomBytes: (n: number) => Buffer,
): string {
	const contentKey = takeRandom(randomBytes, A128GCM.keyBytes);
	const iv = takeRandom(randomBytes, IV_BYTES);
	const encryptedKey = publicEncrypt(
		{ key: serverPublicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
		contentKey,
	);
	const cipher = createCipheriv(A128GCM.cipher, contentKey, iv, { authTagLength: TAG_BYTES });
	cipher.setAAD(Buffer.from(ENCODED_REQUEST_HEADER, 'ascii'));
	const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
	const tag = cipher.getAuthTag();
	return [
		ENCODED_REQUEST_HEADER,
		...[encryptedKey, iv, ciphertext, tag].map((part) => part.toString('base64url')),
	].join('.');
}

export function decryptJwe(compact: string, clientPrivateKey: KeyObject): string {
	const parts = typeof compact === 'string' ? compact.split('.') : [];
	if (parts.length !== 5) {
		throw new KonaJweError(
			`${SOURCE} is not a compact JWE (expected 5 dot-separated parts, got ${parts.length})`,
		);
	}
	const [headerBytes, encryptedKey, iv, ciphertext, tag] = parts.map((part, i) =>
		decodeBase64Url(part, PART_NAMES[i]),
	);
	const { hash, cipher, keyBytes, enc } = readHeader(headerBytes);
	if (iv.length !== IV_BYTES) {
		throw new KonaJweError(
			`${SOURCE} has a ${iv.length}-byte IV; AES-GCM here uses ${IV_BYTES} bytes`,
		);
	}
	if (tag.length !== TAG_BYTES) {
		throw new KonaJweError(
			`${SOURCE} has a ${tag.length}-byte authentication tag; expected ${TAG_BYTES} bytes`,
		);
	}
	const contentKey = orUndefined(() =>
		privateDecrypt(
			{ key: clientPrivateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
			encryptedKey,
		),
	);
	if (contentKey === undefined) {
		throw new KonaJweError(
			'the response could not be decrypted with the Client Private Key: check that it belongs to the crypto key id configured in the credential',
		);
	}
	if (contentKey.length !== keyBytes) {
		throw new KonaJweError(
			`${SOURCE} carries a ${contentKey.length}-byte content key, but its enc ${enc} needs ${keyBytes} bytes`,
		);
	}
	const plaintext = orUndefined(() => {
		const decipher = createDecipheriv(cipher, contentKey, iv, { authTagLength: TAG_BYTES });
		decipher.setAAD(Buffer.from(parts[0], 'ascii'));
		decipher.setAuthTag(tag);
		return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
	});
	if (plaintext === undefined) {
		throw new KonaJweError(
			`${SOURCE} failed its integrity check (AES-GCM tag mismatch): it was altered on the way or corrupted`,
		);
	}
	return plaintext;
}

function takeRandom(randomBytes: (n: number) => Buffer, bytes: number): Buffer {
	const value = randomBytes(bytes);
	if (value.length !== bytes) {
		throw new RangeError(`randomBytes(${bytes}) returned ${value.length} bytes`);
	}
	return value;
}

function decodeBase64Url(part: string, name: string): Buffer {
	const bytes = Buffer.from(part, 'base64url');
	// Buffer.from skips characters outside the alphabet; a round trip catches them and bad padding
	if (!/^[A-Za-z0-9_-]*$/.test(part) || bytes.toString('base64url') !== part) {
		throw new KonaJweError(`${SOURCE} has a ${name} that is not valid base64url`);
	}
	return bytes;
}

function readHeader(headerBytes: Buffer): ResponseAlgorithms {
	let header: unknown;
	try {
		header = JSON.parse(headerBytes.toString('utf8'));
	} catch {
		header = undefined;
	}
	if (typeof header !== 'object' || header === null || Array.isArray(header)) {
		throw new KonaJweError(`${SOURCE} has a protected header that is not a JSON object`);
	}
	const { alg, enc, zip, crit } = header as Record<string, unknown>;
	if (zip !== undefined) {
		throw new KonaJweError(`${SOURCE} is compressed ("zip" header), which Konaplate does not use`);
	}
	if (crit !== undefined) {
		throw new KonaJweError(
			`${SOURCE} has critical header extensions ("crit"), which are not supported`,
		);
	}
	const hash = typeof alg === 'string' ? KEY_WRAP_HASHES.get(alg) : undefined;
	if (hash === undefined) {
		throw new KonaJweError(
			`${SOURCE} uses key algorithm ${quoted(alg)}; expected RSA-OAEP-256 or RSA-OAEP`,
		);
	}
	const content = typeof enc === 'string' ? CONTENT_CIPHERS.get(enc) : undefined;
	if (content === undefined) {
		throw new KonaJweError(
			`${SOURCE} uses content encryption ${quoted(enc)}; expected A128GCM or A256GCM`,
		);
	}
	return { hash, enc: enc as string, ...content };
}

// Header values come from the wire: quote short identifiers only, never echo arbitrary text
function quoted(value: unknown): string {
	if (value === undefined) return '(none)';
	return typeof value === 'string' && /^[A-Za-z0-9+._-]{1,32}$/.test(value)
		? `"${value}"`
		: '(an unrecognised value)';
}

/** Runs an OpenSSL step and gives undefined when it fails, so the caller can say in plain words which step failed. */
function orUndefined<T>(step: () => T): T | undefined {
	try {
		return step();
	} catch {
		return undefined;
	}
}
