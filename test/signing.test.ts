import { generateKeyPairSync } from 'node:crypto';

import { correlationId, requestStamp, tranTime } from '../nodes/Konaplate/wire/clock';
import { CREDENTIAL_LENGTHS } from '../nodes/Konaplate/wire/credentials';
import { KonaKeyError, parseKeyPair } from '../nodes/Konaplate/wire/keys';
import { HEADER, hmacKey, signedHeaders, tranToken } from '../nodes/Konaplate/wire/signing';
import { toJsonBody, JsonInteger } from '../nodes/Konaplate/wire/json';
import { signRequest } from '../nodes/Konaplate/auth/sign';
import type { Clock } from '../nodes/Konaplate/wire/clock';
import tranTokenVectors from './fixtures/tran-token-vectors.json';

// The vectors of shared/konaplate-api.md ("X-KM-Tran-Token").
const { secretKey: SECRET, stamp: STAMP, vectors: VECTORS } = tranTokenVectors;

/** 2022-11-08 12:08:14.608 KST is 03:08:14.608 UTC. */
const INSTANT = new Date(Date.UTC(2022, 10, 8, 3, 8, 14, 608));
const fixedClock: Clock = { now: () => INSTANT, randomHex7: () => '0a1b2c3' };

const CREDENTIAL = {
	environment: 'custom',
	baseUrl: 'http://127.0.0.1:9/open-api',
	aspId: '900000000000001',
	accessKey: 'A'.repeat(40),
	secretKey: SECRET,
	timeZone: 'KST',
};

describe('X-KM-Tran-Token', () => {
	it.each(VECTORS)(
		'matches the documented vector for $body with the key as a KeyObject',
		({ body, token }) => {
			expect(tranToken(hmacKey(SECRET), STAMP, body)).toBe(token);
		},
	);

	it.each(VECTORS)('matches the documented vector for $body', ({ body, token }) => {
		expect(tranToken(SECRET, STAMP, body)).toBe(token);
		expect(token).toHaveLength(67);
	});

	it('is built from the exact serialisation of a 19-digit userId', () => {
		const body = toJsonBody({
			userId: new JsonInteger('9999999999999999999'),
			fromCardNo: '9491339401250765',
			toCardNo: '9491339401250773',
			amount: 0,
		});
		expect(body).toBe(VECTORS[1].body);
		expect(tranToken(SECRET, STAMP, body)).toBe(VECTORS[1].token);
	});

	it('changes with a single byte of the body', () => {
		expect(tranToken(SECRET, STAMP, '{"userId":50000104653}')).not.toBe(VECTORS[0].token);
	});
});

describe('request times', () => {
	it('writes the same instant in KST and UTC', () => {
		expect(requestStamp(INSTANT, 'KST')).toBe('20221108120814608');
		expect(requestStamp(INSTANT, 'UTC')).toBe('20221108030814608');
	});

	it('rolls the date over in KST (UTC+9) past 15:00 UTC', () => {
		const lateUtc = new Date(Date.UTC(2022, 11, 31, 15, 0, 0, 7));
		expect(requestStamp(lateUtc, 'KST')).toBe('20230101000000007');
		expect(requestStamp(lateUtc, 'UTC')).toBe('20221231150000007');
	});

	it('takes Tran-Time as the first 14 digits of the stamp', () => {
		expect(tranTime('20221108120814608')).toBe('20221108120814');
	});

	it('formats the correlation id as yyMMddHHmmss-xxxxxxx (20 characters)', () => {
		const id = correlationId('20221108120814608', '0a1b2c3');
		expect(id).toBe('221108120814-0a1b2c3');
		expect(id).toHaveLength(20);
		expect(() => correlationId('20221108120814608', 'XYZ')).toThrow();
	});
});

describe('signedHeaders', () => {
	it('sets every X-KM-* header of the guide from one instant', () => {
		const headers = signedHeaders({
			aspId: '900000000000001',
			accessKey: 'A'.repeat(40),
			secretKey: SECRET,
			timeZone: 'KST',
			stamp: STAMP,
			correlationId: '221108120814-0a1b2c3',
			body: VECTORS[0].body,
		});
		expect(headers).toEqual({
			[HEADER.aspId]: '900000000000001',
			[HEADER.accessKey]: 'A'.repeat(40),
			[HEADER.correlationId]: '221108120814-0a1b2c3',
			[HEADER.tranTime]: '20221108120814',
			[HEADER.timeZone]: 'KST',
			[HEADER.tranToken]: VECTORS[0].token,
		});
	});
});

describe('signRequest (the credential authenticate step)', () => {
	it('signs a node request: relative url, string body sent as is, base URL from the credential', async () => {
		const signed = await signRequest(
			CREDENTIAL,
			{ method: 'POST', url: '/api/v1/bankaccounts/delete', body: VECTORS[0].body },
			fixedClock,
		);
		expect(signed.baseURL).toBe('http://127.0.0.1:9/open-api');
		expect(signed.body).toBe(VECTORS[0].body);
		expect(signed.headers).toMatchObject({
			'Content-Type': 'application/json',
			Accept: 'application/json',
			'X-KM-Tran-Token': VECTORS[0].token,
			'X-KM-Tran-Time': '20221108120814',
			'X-KM-Correlation-Id': '221108120814-0a1b2c3',
		});
	});

	it('signs the HTTP Request node legacy shape: uri + object body, serialised once and sent as that string', async () => {
		const signed = (await signRequest(
			{ ...CREDENTIAL, timeZone: 'UTC' },
			{
				method: 'POST',
				uri: 'http://127.0.0.1:9/open-api/api/v1/bankaccounts/delete',
				body: { userId: 50000104652 },
				json: true,
			} as never,
			fixedClock,
		)) as unknown as {
			body: string;
			baseURL?: string;
			headers: Record<string, string>;
			uri: string;
		};
		expect(signed.body).toBe('{"userId":50000104652}');
		expect(signed.baseURL).toBeUndefined();
		expect(signed.uri).toBe('http://127.0.0.1:9/open-api/api/v1/bankaccounts/delete');
		expect(signed.headers['X-KM-Time-Zone']).toBe('UTC');
		expect(signed.headers['X-KM-Tran-Time']).toBe('20221108030814');
		expect(signed.headers['X-KM-Tran-Token']).toBe(
			tranToken(SECRET, '20221108030814608', '{"userId":50000104652}'),
		);
	});

	it('keeps a well-formed correlation id set by the caller and replaces stale X-KM headers', async () => {
		const signed = await signRequest(
			CREDENTIAL,
			{
				method: 'POST',
				url: '/api/v1/transfer/balance',
				body: '{}',
				headers: {
					'x-km-correlation-id': '221108120000-abcdef0',
					'x-km-tran-token': 'stale',
					'X-Custom': 'kept',
				},
			},
			fixedClock,
		);
		const headers = signed.headers as Record<string, string>;
		expect(headers['X-KM-Correlation-Id']).toBe('221108120000-abcdef0');
		expect(headers['X-KM-Tran-Token']).toBe(tranToken(SECRET, STAMP, '{}'));
		expect(headers['x-km-tran-token']).toBeUndefined();
		expect(headers['X-Custom']).toBe('kept');
	});

	it('signs an empty body as the empty string', async () => {
		const signed = await signRequest(CREDENTIAL, { method: 'POST', url: '/x' }, fixedClock);
		expect(signed.body).toBe('');
		expect((signed.headers as Record<string, string>)['X-KM-Tran-Token']).toBe(
			tranToken(SECRET, STAMP, ''),
		);
	});

	it('refuses a malformed credential before anything is signed, without echoing the secret', async () => {
		await expect(
			signRequest({ ...CREDENTIAL, accessKey: 'short' }, { url: '/x' }, fixedClock),
		).rejects.toThrow('Access Key has 5 characters; Konaplate issues it with exactly 40');
	});
});

describe('the keys of an encrypted credential', () => {
	const pem = (() => {
		const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		return {
			serverPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
			clientPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		};
	})();
	const encrypted = (keys: { serverPublicKey: string; clientPrivateKey: string }) => ({
		...CREDENTIAL,
		cryptoKeyId: 'K'.repeat(CREDENTIAL_LENGTHS.cryptoKeyId),
		...keys,
	});

	it('are checked by the signer even when the request already names a crypto key ID', async () => {
		const request = {
			method: 'POST' as const,
			url: '/x',
			body: '{}',
			headers: { [HEADER.cryptoKeyId]: 'K'.repeat(CREDENTIAL_LENGTHS.cryptoKeyId) },
		};
		await expect(
			signRequest(encrypted({ ...pem, serverPublicKey: 'not a key' }), request, fixedClock),
		).rejects.toThrow(KonaKeyError);
		await expect(
			signRequest(encrypted({ ...pem, serverPublicKey: 'not a key' }), request, fixedClock),
		).rejects.toThrow(KonaKeyError);
		const signed = await signRequest(encrypted(pem), request, fixedClock);
		expect((signed.headers as Record<string, string>)[HEADER.cryptoKeyId]).toBe(
			'K'.repeat(CREDENTIAL_LENGTHS.cryptoKeyId),
		);
	});

	it('are parsed once per pair of PEM texts: the same texts give the same keys, other texts their own', () => {
		const first = parseKeyPair(pem);
		expect(parseKeyPair({ ...pem })).toBe(first);
		expect(first.serverKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
		const withoutClientKey = parseKeyPair({ ...pem, clientPrivateKey: '' });
		expect(withoutClientKey).not.toBe(first);
		expect(withoutClientKey.clientKey).toBeUndefined();
		expect(() => parseKeyPair({ ...pem, clientPrivateKey: pem.serverPublicKey })).toThrow(
			KonaKeyError,
		);
	});
});
