// The JWE of Konaplate's encrypted messages (RSA-OAEP-256, A128GCM): fixed vectors, tampering, rejections, key errors.
import {
	createPrivateKey,
	createPublicKey,
	generateKeyPairSync,
	KeyObject,
	randomBytes,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vm from 'node:vm';

import { decryptJwe, encryptJwe, KonaJweError } from '../nodes/Konaplate/wire/jwe';
import {
	KonaKeyError,
	parseClientPrivateKey,
	parseServerPublicKey,
} from '../nodes/Konaplate/wire/keys';

type Jose = typeof import('jose');

// jose 6 is ESM-only, and Jest's CommonJS registry can neither require() nor import() it
// without --experimental-vm-modules. A vm.Script compiled with USE_MAIN_CONTEXT_DEFAULT_LOADER
// hands its import() to Node's own ESM loader (Node >= 20.12) instead; Node logs an
// ExperimentalWarning for that once per run.
async function loadJose(): Promise<Jose> {
	const url = pathToFileURL(require.resolve('jose')).href;
	const script = new vm.Script(`import(${JSON.stringify(url)})`, {
		importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
	});
	return (await script.runInThisContext()) as Jose;
}

const DOCUMENTED_HEADER = '{"alg":"RSA-OAEP-256","enc":"A128GCM"}';
const BODY = '{"userId":9999999999999999999,"fromCardNo":"9491339401250765","memo":"홍길동 ✓"}';

interface Pair {
	publicKey: KeyObject;
	privateKey: KeyObject;
}

function rsaPair(bits: number): Pair {
	return generateKeyPairSync('rsa', { modulusLength: bits });
}

const KEYS = join(__dirname, '..', 'emulator', 'keys');

function pairFrom(privatePem: string): Pair {
	const privateKey = createPrivateKey(privatePem);
	return { privateKey, publicKey: createPublicKey(privateKey) };
}

function pem(key: KeyObject, type: 'spki' | 'pkcs1' | 'pkcs8' | 'sec1'): string {
	return key.export({ type, format: 'pem' }) as string;
}

// Counts up from 0: the content key is 00..0f, the IV 10..1b
function fixedRandom(): (n: number) => Buffer {
	let next = 0;
	return (n) => Buffer.from(Array.from({ length: n }, () => next++ & 0xff));
}

function b64url(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64url');
}

function withPart(compact: string, index: number, value: string): string {
	const parts = compact.split('.');
	parts[index] = value;
	return parts.join('.');
}

function jweError(run: () => unknown): KonaJweError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(KonaJweError);
		return error as KonaJweError;
	}
	throw new Error('expected a KonaJweError, but nothing was thrown');
}

let jose: Jose;
let server: Pair;
let client: Pair;
let certificatePem: string;

beforeAll(async () => {
	jose = await loadJose();
	client = rsaPair(2048);
	// A fixed certificate (emulator/keys) whose key pair stands in for the server's.
	server = pairFrom(readFileSync(join(KEYS, 'server.key.pem'), 'utf8'));
	certificatePem = readFileSync(join(KEYS, 'server.cert.pem'), 'utf8');
});

describe('encryptJwe', () => {
	it('is decrypted by jose, with exactly the documented protected header', async () => {
		const compact = encryptJwe(BODY, server.publicKey, randomBytes);
		const parts = compact.split('.');
		expect(parts).toHaveLength(5);
		expect(Buffer.from(parts[0], 'base64url').toString('utf8')).toBe(DOCUMENTED_HEADER);
		expect(compact).not.toMatch(/[=+/]/);

		const { plaintext, protectedHeader } = await jose.compactDecrypt(compact, server.privateKey, {
			keyManagementAlgorithms: ['RSA-OAEP-256'],
			contentEncryptionAlgorithms: ['A128GCM'],
		});
		expect(Buffer.from(plaintext).toString('utf8')).toBe(BODY);
		expect(protectedHeader).toEqual({ alg: 'RSA-OAEP-256', enc: 'A128GCM' });
	});

	it('takes a fresh 16-byte content key, then a 12-byte IV, on every call', () => {
		const asked: number[] = [];
		const spy = (n: number): Buffer => {
			asked.push(n);
			return randomBytes(n);
		};
		const first = encryptJwe(BODY, server.publicKey, spy).split('.');
		const second = encryptJwe(BODY, server.publicKey, spy).split('.');
		expect(asked).toEqual([16, 12, 16, 12]);
		expect(Buffer.from(first[2], 'base64url')).toHaveLength(12);
		expect(Buffer.from(first[4], 'base64url')).toHaveLength(16);
		expect(Buffer.from(first[1], 'base64url')).toHaveLength(256);
		expect(second[2]).not.toBe(first[2]);
		expect(second[3]).not.toBe(first[3]);
	});

	it('is stable for a fixed randomBytes, apart from the RSA-OAEP wrapped key', () => {
		// Expected values computed independently with Python's cryptography AESGCM
		const body = '{"userId":50000104652}';
		const first = encryptJwe(body, server.publicKey, fixedRandom()).split('.');
		const second = encryptJwe(body, server.publicKey, fixedRandom()).split('.');
		expect([first[0], first[2], first[3], first[4]]).toEqual([
			'eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMTI4R0NNIn0',
			'EBESExQVFhcYGRob',
			'vwx23Go9_4s152jF9xfbDwqIQrIEiQ',
			'zCbsnir4cw8qpjFR8Msr4A',
		]);
		expect([second[0], second[2], second[3], second[4]]).toEqual([
			first[0],
			first[2],
			first[3],
			first[4],
		]);
		expect(second[1]).not.toBe(first[1]);
		expect(decryptJwe(first.join('.'), server.privateKey)).toBe(body);
		expect(decryptJwe(second.join('.'), server.privateKey)).toBe(body);
	});

	it('matches jose given the same content key and IV', async () => {
		const random = fixedRandom();
		const cek = random(16);
		const iv = random(12);
		const fromJose = (
			await new jose.CompactEncrypt(Buffer.from(BODY, 'utf8'))
				.setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A128GCM' })
				.setContentEncryptionKey(cek)
				.setInitializationVector(iv)
				.encrypt(server.publicKey)
		).split('.');
		const ours = encryptJwe(BODY, server.publicKey, fixedRandom()).split('.');
		expect([ours[0], ours[2], ours[3], ours[4]]).toEqual([
			fromJose[0],
			fromJose[2],
			fromJose[3],
			fromJose[4],
		]);
	});
});

describe('decryptJwe', () => {
	it.each([
		['RSA-OAEP-256', 'A128GCM'],
		['RSA-OAEP-256', 'A256GCM'],
		['RSA-OAEP', 'A128GCM'],
		['RSA-OAEP', 'A256GCM'],
	])('decrypts what jose encrypts with %s and %s', async (alg, enc) => {
		const compact = await new jose.CompactEncrypt(Buffer.from(BODY, 'utf8'))
			.setProtectedHeader({ alg, enc })
			.encrypt(client.publicKey);
		expect(decryptJwe(compact, client.privateKey)).toBe(BODY);
	});

	it('ignores header parameters that do not change decryption', async () => {
		const compact = await new jose.CompactEncrypt(Buffer.from(BODY, 'utf8'))
			.setProtectedHeader({
				alg: 'RSA-OAEP-256',
				enc: 'A128GCM',
				kid: '0123456789abcdef0123456789abcdef',
				typ: 'JWT',
			})
			.encrypt(client.publicKey);
		expect(decryptJwe(compact, client.privateKey)).toBe(BODY);
	});

	describe('tampering', () => {
		const names = ['protected header', 'encrypted key', 'IV', 'ciphertext', 'tag'];

		it.each(names.map((name, index): [string, number] => [name, index]))(
			'rejects a flipped byte in the %s',
			(_name, index) => {
				const compact = encryptJwe(BODY, client.publicKey, randomBytes);
				const bytes = Buffer.from(compact.split('.')[index], 'base64url');
				// Every byte of the header (it is short and is the AAD); first, middle and last elsewhere
				const positions =
					index === 0 ? Array.from(bytes.keys()) : [0, bytes.length >> 1, bytes.length - 1];
				for (const position of positions) {
					const flipped = Buffer.from(bytes);
					flipped[position] ^= 0x01;
					const tampered = withPart(compact, index, flipped.toString('base64url'));
					jweError(() => decryptJwe(tampered, client.privateKey));
				}
			},
		);

		it('rejects an equivalent but re-encoded header, because the header bytes are the AAD', () => {
			const compact = encryptJwe(BODY, client.publicKey, randomBytes);
			const respaced = withPart(compact, 0, b64url('{"alg":"RSA-OAEP-256", "enc":"A128GCM"}'));
			expect(jweError(() => decryptJwe(respaced, client.privateKey)).message).toBe(
				"the response's encData failed its integrity check (AES-GCM tag mismatch): it was altered on the way or corrupted",
			);
		});
	});

	describe('rejections', () => {
		let valid: string;
		beforeAll(() => {
			valid = encryptJwe(BODY, client.publicKey, randomBytes);
		});

		it.each([
			['', 1],
			['a.b.c', 3],
			['a.b.c.d.e.f', 6],
		])('a compact string with the wrong number of parts (%j)', (compact, count) => {
			expect(jweError(() => decryptJwe(compact as string, client.privateKey)).message).toBe(
				`the response's encData is not a compact JWE (expected 5 dot-separated parts, got ${count})`,
			);
		});

		it.each([
			['padding', (part: string) => `${part}==`],
			['standard base64 characters', (part: string) => part.replace(/^./, '+')],
			['whitespace', (part: string) => ` ${part}`],
		])('a part with bad base64url (%s)', (_name, spoil) => {
			const compact = withPart(valid, 3, spoil(valid.split('.')[3]));
			expect(jweError(() => decryptJwe(compact, client.privateKey)).message).toBe(
				"the response's encData has a ciphertext that is not valid base64url",
			);
		});

		it.each([
			['not JSON', b64url('{"alg":'), /protected header that is not a JSON object/],
			['a JSON array', b64url('[]'), /protected header that is not a JSON object/],
			[
				'alg dir',
				b64url('{"alg":"dir","enc":"A128GCM"}'),
				/key algorithm "dir"; expected RSA-OAEP-256 or RSA-OAEP$/,
			],
			['alg RSA1_5', b64url('{"alg":"RSA1_5","enc":"A128GCM"}'), /key algorithm "RSA1_5"/],
			['no alg', b64url('{"enc":"A128GCM"}'), /key algorithm \(none\)/],
			[
				'alg from Object.prototype',
				b64url('{"alg":"constructor","enc":"A128GCM"}'),
				/key algorithm "constructor"/,
			],
			[
				'a non-identifier alg',
				b64url('{"alg":"<script>alert(1)</script>","enc":"A128GCM"}'),
				/key algorithm \(an unrecognised value\)/,
			],
			[
				'enc A192GCM',
				b64url('{"alg":"RSA-OAEP-256","enc":"A192GCM"}'),
				/content encryption "A192GCM"; expected A128GCM or A256GCM$/,
			],
			[
				'enc A128CBC-HS256',
				b64url('{"alg":"RSA-OAEP-256","enc":"A128CBC-HS256"}'),
				/content encryption "A128CBC-HS256"/,
			],
			[
				'zip',
				b64url('{"alg":"RSA-OAEP-256","enc":"A128GCM","zip":"DEF"}'),
				/compressed \("zip" header\)/,
			],
			[
				'crit',
				b64url('{"alg":"RSA-OAEP-256","enc":"A128GCM","crit":["exp"],"exp":1}'),
				/critical header extensions/,
			],
		])('a protected header with %s', (_name, header, message) => {
			const error = jweError(() =>
				decryptJwe(withPart(valid, 0, header as string), client.privateKey),
			);
			expect(error.message).toMatch(/^the response's encData /);
			expect(error.message).toMatch(message as RegExp);
		});

		it('jose-made JWEs it does not support: zip, crit, dir, A192GCM', async () => {
			const plaintext = Buffer.from(BODY, 'utf8');
			const made = [
				await new jose.CompactEncrypt(plaintext)
					.setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A128GCM', zip: 'DEF' })
					.encrypt(client.publicKey),
				await new jose.CompactEncrypt(plaintext)
					.setProtectedHeader({
						alg: 'RSA-OAEP-256',
						enc: 'A128GCM',
						crit: ['urn:example'],
						'urn:example': true,
					})
					.encrypt(client.publicKey, { crit: { 'urn:example': true } }),
				await new jose.CompactEncrypt(plaintext)
					.setProtectedHeader({ alg: 'dir', enc: 'A128GCM' })
					.encrypt(randomBytes(16)),
				await new jose.CompactEncrypt(plaintext)
					.setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A192GCM' })
					.encrypt(client.publicKey),
			];
			const messages = made.map(
				(compact) => jweError(() => decryptJwe(compact, client.privateKey)).message,
			);
			expect(messages).toEqual([
				expect.stringContaining('"zip"'),
				expect.stringContaining('"crit"'),
				expect.stringContaining('key algorithm "dir"'),
				expect.stringContaining('content encryption "A192GCM"'),
			]);
		});

		it('an IV that is not 12 bytes', () => {
			const compact = withPart(valid, 2, randomBytes(16).toString('base64url'));
			expect(jweError(() => decryptJwe(compact, client.privateKey)).message).toBe(
				"the response's encData has a 16-byte IV; AES-GCM here uses 12 bytes",
			);
		});

		it('a tag that is not 16 bytes', () => {
			const compact = withPart(valid, 4, randomBytes(12).toString('base64url'));
			expect(jweError(() => decryptJwe(compact, client.privateKey)).message).toBe(
				"the response's encData has a 12-byte authentication tag; expected 16 bytes",
			);
		});

		it('a content key whose length does not match enc', () => {
			const compact = withPart(valid, 0, b64url('{"alg":"RSA-OAEP-256","enc":"A256GCM"}'));
			expect(jweError(() => decryptJwe(compact, client.privateKey)).message).toBe(
				"the response's encData carries a 16-byte content key, but its enc A256GCM needs 32 bytes",
			);
		});

		it('a JWE for another key', () => {
			const forServer = encryptJwe(BODY, server.publicKey, randomBytes);
			expect(jweError(() => decryptJwe(forServer, client.privateKey)).message).toBe(
				'the response could not be decrypted with the Client Private Key: check that it belongs to the crypto key id configured in the credential',
			);
		});
	});
});

function variants(text: string): Record<string, string> {
	const literal = text.replace(/\n/g, '\\n');
	return {
		'real newlines': text,
		CRLF: text.replace(/\n/g, '\r\n'),
		'literal \\n': literal,
		'literal \\r\\n': text.replace(/\n/g, '\\r\\n'),
		'literal \\n, double-quoted, padded': `  "${literal}"\n`,
		'single-quoted': `'${text}'`,
		'spaces for newlines': text.trim().replace(/\n/g, ' '),
		'a JSON string with escaped slashes': JSON.stringify(text).replace(/\//g, '\\/'),
		'surrounding blank lines': `\n\n  ${text}\n\n`,
	};
}

function cases(name: string, text: string): [string, string][] {
	return Object.entries(variants(text)).map(([variant, value]) => [`${name}, ${variant}`, value]);
}

describe('parseServerPublicKey', () => {
	it('reads SPKI, PKCS#1 and certificate PEM, however pasted', () => {
		const expected = server.publicKey.export({ type: 'spki', format: 'der' });
		const inputs = [
			...cases('SPKI', pem(server.publicKey, 'spki')),
			...cases('PKCS#1', pem(server.publicKey, 'pkcs1')),
			...cases('certificate', certificatePem),
		];
		for (const [name, text] of inputs) {
			const key = parseServerPublicKey(text);
			expect({ name, type: key.type, der: key.export({ type: 'spki', format: 'der' }) }).toEqual({
				name,
				type: 'public',
				der: expected,
			});
		}
	});

	it('gives a key that jose can decrypt for after encryptJwe', async () => {
		const compact = encryptJwe(BODY, parseServerPublicKey(certificatePem), randomBytes);
		const { plaintext } = await jose.compactDecrypt(compact, server.privateKey);
		expect(Buffer.from(plaintext).toString('utf8')).toBe(BODY);
	});
});

describe('parseClientPrivateKey', () => {
	it('reads PKCS#8 and PKCS#1 PEM, however pasted', () => {
		const inputs = [
			...cases('PKCS#8', pem(client.privateKey, 'pkcs8')),
			...cases('PKCS#1', pem(client.privateKey, 'pkcs1')),
		];
		for (const [name, text] of inputs) {
			const key = parseClientPrivateKey(text);
			expect({ name, type: key.type, same: key.equals(client.privateKey) }).toEqual({
				name,
				type: 'private',
				same: true,
			});
		}
	});

	it('picks the private key out of a certificate-and-key bundle', () => {
		const bundle = `${certificatePem}${pem(client.privateKey, 'pkcs8')}`;
		expect(parseClientPrivateKey(bundle).equals(client.privateKey)).toBe(true);
	});

	it('gives a key that decrypts what jose encrypts', async () => {
		const compact = await new jose.CompactEncrypt(Buffer.from(BODY, 'utf8'))
			.setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM' })
			.encrypt(client.publicKey);
		expect(decryptJwe(compact, parseClientPrivateKey(pem(client.privateKey, 'pkcs1')))).toBe(BODY);
	});
});

describe('key errors', () => {
	const truncate = (text: string): string => {
		const lines = text.trim().split('\n');
		return [...lines.slice(0, lines.length >> 1), lines[lines.length - 1]].join('\n');
	};
	const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const ed = generateKeyPairSync('ed25519');
	const small = rsaPair(1024);
	const passphrase = 'correct horse battery staple';

	// [field, case, input, expected message]
	const table = (): [string, string, string, RegExp][] => {
		const spki = pem(server.publicKey, 'spki');
		const pkcs8 = pem(client.privateKey, 'pkcs8');
		return [
			['Server Public Key', 'empty', '', /^Server Public Key is empty: paste the whole PEM text/],
			['Server Public Key', 'whitespace and quotes', '  "" ', /^Server Public Key is empty/],
			[
				'Server Public Key',
				'garbage',
				'not a key at all',
				/^Server Public Key is not a PEM public key or certificate: expected a block starting with -----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE-----$/,
			],
			[
				'Server Public Key',
				'bare base64',
				spki.split('\n').slice(1, -2).join(''),
				/^Server Public Key is not a PEM public key/,
			],
			[
				'Server Public Key',
				'truncated base64',
				truncate(spki),
				/^Server Public Key could not be read: the PUBLIC KEY block is damaged or incomplete/,
			],
			[
				'Server Public Key',
				'truncated certificate',
				truncate(certificatePem),
				/^Server Public Key could not be read: the CERTIFICATE block/,
			],
			[
				'Server Public Key',
				'a missing END line',
				spki.trim().split('\n').slice(0, -1).join('\n'),
				/^Server Public Key is cut off/,
			],
			[
				'Server Public Key',
				'a non-base64 character',
				spki.replace(/\n(.)/, '\n*'),
				/^Server Public Key could not be read/,
			],
			[
				'Server Public Key',
				'a private key',
				pkcs8,
				/^Server Public Key is a private key, not a public key/,
			],
			[
				'Server Public Key',
				'a PKCS#1 private key',
				pem(client.privateKey, 'pkcs1'),
				/^Server Public Key is a private key, not a public key/,
			],
			[
				'Server Public Key',
				'an EC key',
				pem(ec.publicKey, 'spki'),
				/^Server Public Key is an EC key; Konaplate uses RSA keys \(2048-bit\)$/,
			],
			[
				'Server Public Key',
				'an Ed25519 key',
				pem(ed.publicKey, 'spki'),
				/^Server Public Key is an Ed25519 key; Konaplate uses RSA keys/,
			],
			[
				'Server Public Key',
				'a 1024-bit key',
				pem(small.publicKey, 'spki'),
				/^Server Public Key is a 1024-bit RSA key; Konaplate uses RSA keys of at least 2048 bits$/,
			],
			['Client Private Key', 'empty', '\\n', /^Client Private Key is empty/],
			[
				'Client Private Key',
				'garbage',
				'-----BEGIN-----',
				/^Client Private Key is not a PEM private key: expected a block starting with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----$/,
			],
			[
				'Client Private Key',
				'truncated base64',
				truncate(pkcs8),
				/^Client Private Key could not be read: the PRIVATE KEY block is damaged or incomplete/,
			],
			[
				'Client Private Key',
				'truncated PKCS#1',
				truncate(pem(client.privateKey, 'pkcs1')),
				/^Client Private Key could not be read: the RSA PRIVATE KEY block/,
			],
			[
				'Client Private Key',
				'a public key',
				spki,
				/^Client Private Key is a public key, not a private key/,
			],
			[
				'Client Private Key',
				'a certificate',
				certificatePem,
				/^Client Private Key is a public key, not a private key/,
			],
			[
				'Client Private Key',
				'an EC key (PKCS#8)',
				pem(ec.privateKey, 'pkcs8'),
				/^Client Private Key is an EC key; Konaplate uses RSA keys \(2048-bit\)$/,
			],
			[
				'Client Private Key',
				'an EC key (SEC1)',
				pem(ec.privateKey, 'sec1'),
				/^Client Private Key is an EC key/,
			],
			[
				'Client Private Key',
				'a 1024-bit key',
				pem(small.privateKey, 'pkcs8'),
				/^Client Private Key is a 1024-bit RSA key/,
			],
			[
				'Client Private Key',
				'an encrypted PKCS#8 key',
				client.privateKey.export({
					type: 'pkcs8',
					format: 'pem',
					cipher: 'aes-256-cbc',
					passphrase,
				}) as string,
				/^Client Private Key is protected by a passphrase: export it without one/,
			],
			[
				'Client Private Key',
				'an encrypted PKCS#1 key',
				client.privateKey.export({
					type: 'pkcs1',
					format: 'pem',
					cipher: 'aes-256-cbc',
					passphrase,
				}) as string,
				/^Client Private Key is protected by a passphrase: export it without one/,
			],
		];
	};

	// Anything of the key's content: each line, and every 12-character run of its base64
	function fragments(text: string): string[] {
		const lines = text.split(/\r?\n|\\n/).map((line) => line.trim());
		const content = lines.filter((line) => line !== '' && !line.startsWith('-----'));
		const base64 = content.join('');
		const runs = Array.from({ length: Math.max(0, base64.length - 11) }, (_, i) =>
			base64.slice(i, i + 12),
		);
		return [...content, ...runs];
	}

	it('name the field, say what is wrong, and never echo the key', () => {
		for (const [field, name, text, message] of table()) {
			const parse = field === 'Server Public Key' ? parseServerPublicKey : parseClientPrivateKey;
			for (const input of [text, text.replace(/\n/g, '\\n')]) {
				let caught: unknown;
				try {
					parse(input);
				} catch (error) {
					caught = error;
				}
				expect({ name, isKonaKeyError: caught instanceof KonaKeyError }).toEqual({
					name,
					isKonaKeyError: true,
				});
				const error = caught as KonaKeyError;
				expect({ name, message: error.message }).toEqual({
					name,
					message: expect.stringMatching(message),
				});
				expect(error.message).not.toMatch(/\n|:\d+:\d+\)|error:[0-9A-F]{8}|ERR_OSSL|routines/);
				expect(error.cause).toBeUndefined();
				const leaked = fragments(text).filter((fragment) => error.message.includes(fragment));
				expect({ name, leaked }).toEqual({ name, leaked: [] });
			}
		}
	});
});
