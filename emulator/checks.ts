import { createHmac, timingSafeEqual } from 'node:crypto';

import { decryptJwe } from '../nodes/Konaplate/wire/jwe';
import { ExactNumber, parseExactJson } from './exact-json';
import type { ExactJson } from './exact-json';
import { failure, Refusal, unauthorized } from './replies';
import type { EmulatorEncryption, Endpoint, ReceivedRequest } from './types';

/* What the service checks before it looks at a request's meaning: the signed headers, the
 * (encrypted) body, and each field's form. A failed check throws the Refusal Konaplate answers. */

const ZONE_OFFSET_MINUTES: Record<string, number> = { KST: 9 * 60, UTC: 0 };
const MAX_USER_ID = 9_999_999_999_999_999_999n;
const MAX_AMOUNT = 999_999_999_999;

export interface HeaderCheckOptions {
	aspId: string;
	accessKey: string;
	secretKey: string;
	maxClockSkewMs: number;
	now: () => Date;
}

function parseStampMs(stamp: string, zone: string): number {
	const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) =>
		Number(stamp.slice(at, at + (i === 0 ? 4 : 2))),
	);
	const ms = stamp.length === 17 ? Number(stamp.slice(14)) : 0;
	return Date.UTC(y, mo - 1, d, h, mi, s, ms) - ZONE_OFFSET_MINUTES[zone] * 60_000;
}

export function checkHeaders(
	headers: Record<string, string>,
	raw: Buffer,
	options: HeaderCheckOptions,
): void {
	const { aspId, accessKey, secretKey } = options;
	if (headers['x-km-user-aspid'] !== aspId)
		throw new Refusal(unauthorized('unknown X-KM-User-AspId'));
	if (headers['x-km-access-key'] !== accessKey)
		throw new Refusal(unauthorized('unknown X-KM-Access-Key'));
	const invalid = (name: string) =>
		new Refusal(failure('000_002', `Invalid input parameter. ${name}`));
	if (!/^application\/json\b/i.test(headers['content-type'] ?? '')) throw invalid('Content-Type');
	if (!/^\d{12}-[0-9a-f]{7}$/.test(headers['x-km-correlation-id'] ?? ''))
		throw invalid('X-KM-Correlation-Id');
	const zone = headers['x-km-time-zone'] ?? '';
	if (!(zone in ZONE_OFFSET_MINUTES)) throw invalid('X-KM-Time-Zone');
	const tranTime = headers['x-km-tran-time'] ?? '';
	if (!/^\d{14}$/.test(tranTime)) throw invalid('X-KM-Tran-Time');
	const token = /^KMV1:(\d{17}):([A-Za-z0-9+/]{43}=)$/.exec(headers['x-km-tran-token'] ?? '');
	if (!token) throw new Refusal(unauthorized('malformed X-KM-Tran-Token'));
	if (token[1].slice(0, 14) !== tranTime)
		throw new Refusal(unauthorized('X-KM-Tran-Time differs from the token time'));
	const skew = Math.abs(parseStampMs(token[1], zone) - options.now().getTime());
	if (skew > options.maxClockSkewMs)
		throw new Refusal(unauthorized(`request time is ${Math.round(skew / 1000)} s off`));
	const expected = createHmac('sha256', secretKey).update(raw).digest();
	const given = Buffer.from(token[2], 'base64');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		throw new Refusal(unauthorized('X-KM-Tran-Token does not match the body'));
	}
}

/** The body of a request to an endpoint whose request is marked as `request` says (endpoints.ts). */
export function readBody(
	record: ReceivedRequest,
	raw: Buffer,
	encryption: EmulatorEncryption | undefined,
	request: Endpoint['request'],
): ExactJson {
	const outer = exactJsonOrUndefined(() => parseExactJson(raw.toString('utf8')));
	if (outer === undefined) throw new Refusal(failure('000_002', 'Invalid input parameter.'));
	if (encryption === undefined || request === 'plain') return outer;
	const encData =
		typeof outer === 'object' &&
		outer !== null &&
		!Array.isArray(outer) &&
		!(outer instanceof ExactNumber)
			? outer.encData
			: undefined;
	if (typeof encData !== 'string') {
		if (encryption.required && request === 'encrypted')
			throw new Refusal(failure('000_002', 'Invalid input parameter. encData'));
		return outer;
	}
	if (record.headers['x-km-crypto-key-id'] !== encryption.cryptoKeyId) {
		throw new Refusal(failure('000_002', 'Invalid input parameter. X-KM-Crypto-Key-Id'));
	}
	record.encrypted = true;
	const inner = exactJsonOrUndefined(() =>
		parseExactJson(decryptJwe(encData, encryption.serverPrivateKey)),
	);
	if (inner === undefined)
		throw new Refusal(failure('000_002', 'Invalid input parameter. encData'));
	return inner;
}

export function userIdOf(body: Record<string, ExactJson>): string {
	const value = body.userId;
	if (
		value instanceof ExactNumber &&
		/^[1-9][0-9]{0,18}$/.test(value.literal) &&
		BigInt(value.literal) <= MAX_USER_ID
	) {
		return value.literal;
	}
	if (value === undefined || value === null)
		throw new Refusal(failure('000_003', 'Missing required values. userId'));
	throw new Refusal(failure('000_002', 'Invalid input parameter. userId'));
}

export function cardNoOf(
	body: Record<string, ExactJson>,
	field: 'fromCardNo' | 'toCardNo' | 'cardNo',
): string {
	const value = body[field];
	if (value === undefined || value === null)
		throw new Refusal(failure('000_003', `Missing required values. ${field}`));
	if (typeof value !== 'string' || !/^\d{16}$/.test(value))
		throw new Refusal(failure('000_002', `Invalid input parameter. ${field}`));
	return value;
}

/** 0 or null moves the entire balance. */
export function amountOf(body: Record<string, ExactJson>): number {
	const value = body.amount;
	if (value === undefined) throw new Refusal(failure('000_003', 'Missing required values. amount'));
	if (value === null) return 0;
	if (
		value instanceof ExactNumber &&
		/^(0|[1-9][0-9]*)$/.test(value.literal) &&
		Number(value.literal) <= MAX_AMOUNT
	) {
		return Number(value.literal);
	}
	throw new Refusal(failure('000_002', 'Invalid input parameter. amount'));
}

/** A body the service cannot read (bad JSON, a JWE that does not open) is an input error, not a fault. */
function exactJsonOrUndefined(read: () => ExactJson): ExactJson | undefined {
	try {
		return read();
	} catch {
		return undefined;
	}
}
