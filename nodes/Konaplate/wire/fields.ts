import { describe } from './json';
import { ok, refuse } from './result';
import type { Result } from './result';

/**
 * The request fields' limits from Konaplate's endpoint pages (member id, card number, amount:
 * the same on every endpoint that takes them), and the bounds of the node's own Timeout option.
 */
export const LIMITS = {
	userIdMaxDigits: 19,
	cardNoDigits: 16,
	amountMin: 1,
	amountMax: 999_999_999_999,
	timeoutMinMs: 1000,
	// The longest delay a JavaScript timer keeps; a longer one fires at once
	timeoutMaxMs: 2_147_483_647,
} as const;

/** userId: 1 to 19 ASCII digits; returned without leading zeros, ready for a JSON number literal. */
export function parseUserId(value: unknown): Result<string> {
	if (typeof value === 'number') {
		if (!Number.isInteger(value) || value < 1) {
			return refuse('must be a whole number of at least 1');
		}
		if (!Number.isSafeInteger(value)) {
			return refuse(
				'is a number too large to be exact here (over 2^53), so it was already rounded: pass the member ID as text, e.g. from a string field or {{ String(...) }} of the original text',
				'roundedNumber',
			);
		}
		return ok(String(value));
	}
	if (typeof value !== 'string') {
		return refuse(`must be 1 to ${LIMITS.userIdMaxDigits} digits, got ${describe(value)}`);
	}
	if (!/^[0-9]+$/.test(value)) {
		return refuse(
			`must be 1 to ${LIMITS.userIdMaxDigits} digits (0-9 only, no spaces, signs or decimals)`,
		);
	}
	const digits = value.replace(/^0+/, '');
	if (digits === '') {
		return refuse('must be at least 1');
	}
	if (digits.length > LIMITS.userIdMaxDigits) {
		return refuse(
			`has ${digits.length} digits; Konaplate member IDs have at most ${LIMITS.userIdMaxDigits}`,
		);
	}
	return ok(digits);
}

/** A card number: exactly 16 ASCII digits, kept as text. */
export function parseCardNo(value: unknown): Result<string> {
	if (typeof value === 'number') {
		if (Number.isSafeInteger(value) && String(value).length === LIMITS.cardNoDigits) {
			return ok(String(value));
		}
		return refuse(
			`must be ${LIMITS.cardNoDigits} digits given as text: as a number it cannot keep every digit exactly`,
		);
	}
	if (typeof value !== 'string') {
		return refuse(`must be ${LIMITS.cardNoDigits} digits, got ${describe(value)}`);
	}
	if (!new RegExp(`^[0-9]{${LIMITS.cardNoDigits}}$`).test(value)) {
		return refuse(`must be exactly ${LIMITS.cardNoDigits} digits (0-9 only, no spaces or dashes)`);
	}
	return ok(value);
}

export function parseBoolean(value: unknown): Result<boolean> {
	return typeof value === 'boolean'
		? ok(value)
		: refuse(`must be true or false, got ${describe(value)}`);
}

/** Options > Timeout, in milliseconds: the UI's minimum holds for values from expressions too. */
export function parseTimeout(value: unknown): Result<number> {
	if (
		typeof value !== 'number' ||
		!Number.isInteger(value) ||
		value < LIMITS.timeoutMinMs ||
		value > LIMITS.timeoutMaxMs
	) {
		return refuse(
			`must be a whole number of milliseconds from ${LIMITS.timeoutMinMs} to ${LIMITS.timeoutMaxMs}, got ${typeof value === 'number' ? String(value) : describe(value)}`,
		);
	}
	return ok(value);
}

/** Options > Batching: a whole number of items (at least 1) and of milliseconds between batches (at least 0). */
export function parseBatching(
	value: { batchSize?: unknown; batchInterval?: unknown } | undefined,
): Result<{ batchSize: number; batchInterval: number }> {
	const batchSize = value?.batchSize ?? 1;
	const batchInterval = value?.batchInterval ?? 0;
	if (typeof batchSize !== 'number' || !Number.isSafeInteger(batchSize) || batchSize < 1) {
		return refuse(
			`Items per Batch must be a whole number of at least 1, got ${typeof batchSize === 'number' ? String(batchSize) : describe(batchSize)}`,
		);
	}
	if (
		typeof batchInterval !== 'number' ||
		!Number.isInteger(batchInterval) ||
		batchInterval < 0 ||
		batchInterval > LIMITS.timeoutMaxMs
	) {
		return refuse(
			`Batch Interval must be a whole number of milliseconds from 0 to ${LIMITS.timeoutMaxMs}, got ${typeof batchInterval === 'number' ? String(batchInterval) : describe(batchInterval)}`,
		);
	}
	return ok({ batchSize, batchInterval });
}
