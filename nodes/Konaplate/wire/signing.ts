import { createHmac, createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { tranTime } from './clock';
import type { TimeZoneCode } from './clock';

/** Konaplate's request header names: the one place they are spelled. */
export const HEADER = {
	aspId: 'X-KM-User-AspId',
	accessKey: 'X-KM-Access-Key',
	correlationId: 'X-KM-Correlation-Id',
	cryptoKeyId: 'X-KM-Crypto-Key-Id',
	tranToken: 'X-KM-Tran-Token',
	tranTime: 'X-KM-Tran-Time',
	timeZone: 'X-KM-Time-Zone',
} as const;

/**
 * The secret key as a KeyObject, for a caller that signs many requests with one key: OpenSSL 3
 * (Node 22+) sets up a raw key anew for every HMAC, several times slower. The caller keeps it no
 * longer than the credential record it came from (auth/sign.ts).
 */
export function hmacKey(secretKey: string): KeyObject {
	return createSecretKey(Buffer.from(secretKey, 'utf8'));
}

/**
 * X-KM-Tran-Token: "KMV1:" + 17-digit stamp + ":" + base64(HMAC-SHA256(secret key, body)).
 * The HMAC covers the exact body string that goes on the wire, so sign after serialising.
 */
export function tranToken(secretKey: string | KeyObject, stamp: string, body: string): string {
	const mac = createHmac(
		'sha256',
		typeof secretKey === 'string' ? Buffer.from(secretKey, 'utf8') : secretKey,
	)
		.update(body, 'utf8')
		.digest('base64');
	return `KMV1:${stamp}:${mac}`;
}

export interface SigningInput {
	aspId: string;
	accessKey: string;
	/** the secret key, or its KeyObject from hmacKey() */
	secretKey: string | KeyObject;
	timeZone: TimeZoneCode;
	/** 17 digits, from requestStamp(): the same instant feeds Tran-Time and the token. */
	stamp: string;
	correlationId: string;
	body: string;
}

/** Every X-KM-* header of a signed request (without X-KM-Crypto-Key-Id, which only encrypted requests carry). */
export function signedHeaders(input: SigningInput): Record<string, string> {
	return {
		[HEADER.aspId]: input.aspId,
		[HEADER.accessKey]: input.accessKey,
		[HEADER.correlationId]: input.correlationId,
		[HEADER.tranTime]: tranTime(input.stamp),
		[HEADER.timeZone]: input.timeZone,
		[HEADER.tranToken]: tranToken(input.secretKey, input.stamp, input.body),
	};
}
