import { randomBytes } from 'node:crypto';

/** The zones Konaplate accepts in X-KM-Time-Zone, with their fixed UTC offsets (Korea has no DST). */
export const TIME_ZONES = { KST: 9 * 60, UTC: 0 } as const;

export type TimeZoneCode = keyof typeof TIME_ZONES;

export function isTimeZoneCode(value: unknown): value is TimeZoneCode {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TIME_ZONES, value);
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** 17 digits: yyyyMMddHHmmssSSS, the instant written as a wall clock in `zone`. */
export function requestStamp(instant: Date, zone: TimeZoneCode): string {
	const local = new Date(instant.getTime() + TIME_ZONES[zone] * 60_000);
	return (
		pad(local.getUTCFullYear(), 4) +
		pad(local.getUTCMonth() + 1, 2) +
		pad(local.getUTCDate(), 2) +
		pad(local.getUTCHours(), 2) +
		pad(local.getUTCMinutes(), 2) +
		pad(local.getUTCSeconds(), 2) +
		pad(local.getUTCMilliseconds(), 3)
	);
}

/** X-KM-Tran-Time: 14 digits, yyyyMMddHHmmss, the first 14 digits of the request stamp. */
export function tranTime(stamp: string): string {
	return stamp.slice(0, 14);
}

/** X-KM-Correlation-Id: yyMMddHHmmss + '-' + 7 hex characters, 20 characters. */
export function correlationId(stamp: string, randomHex7: string): string {
	if (!/^[0-9a-f]{7}$/.test(randomHex7)) {
		throw new Error('a correlation id needs exactly 7 lowercase hex characters');
	}
	return `${stamp.slice(2, 14)}-${randomHex7}`;
}

export const CORRELATION_ID_PATTERN = /^\d{12}-[0-9a-f]{7}$/;

/**
 * The correlation id to keep for an exchange: the answer's, when it has Konaplate's documented
 * form; otherwise the one the node sent. An answer's header is text from outside (a card number
 * would come out whole), so one of another form is dropped, never shown.
 */
export function answeredCorrelationId(answered: string | undefined, sent: string): string {
	return answered !== undefined && CORRELATION_ID_PATTERN.test(answered) ? answered : sent;
}

/** Where the node reads the time and the correlation id's randomness; tests pass a fixed one. */
export interface Clock {
	now(): Date;
	/** 7 lowercase hex characters for the correlation id. */
	randomHex7(): string;
}

/** Random bytes drawn from the system in blocks (as Node's randomUUID does), 4 per correlation id. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = POOL_BYTES;

function random4Hex(): string {
	if (used + 4 > pool.length) {
		pool = randomBytes(POOL_BYTES);
		used = 0;
	}
	used += 4;
	return pool.toString('hex', used - 4, used);
}

export const systemClock: Clock = {
	now: () => new Date(),
	randomHex7: () => random4Hex().slice(0, 7),
};
