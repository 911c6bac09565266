import { LIMITS } from './fields';
import { describe } from './json';
import { preview, SUCCESS_CODE } from './response';
import type { KonaplateBody } from './response';
import { ok, refuse } from './result';
import type { Result } from './result';

/*
 * The money rules: an amount is whole KRW within the endpoint's range, a spending limit is
 * whole KRW, amounts are written 1,234,567, and a transfer reports only the amount Konaplate
 * confirmed.
 */

/** amount: whole won, 1 to 999,999,999,999. 0 is refused: only Transfer Entire Balance may send 0. */
export function parseAmount(value: unknown): Result<number> {
	let amount: number;
	if (typeof value === 'number') {
		amount = value;
	} else if (typeof value === 'string' && /^[0-9]{1,15}$/.test(value)) {
		amount = Number(value);
	} else {
		return refuse(
			`must be a whole number of won from ${LIMITS.amountMin} to ${LIMITS.amountMax}, got ${describe(value)}`,
		);
	}
	if (!Number.isFinite(amount)) {
		return refuse(`must be a whole number of won from ${LIMITS.amountMin} to ${LIMITS.amountMax}`);
	}
	if (!Number.isInteger(amount)) {
		return refuse('must be a whole number of won (no decimals)');
	}
	if (amount === 0) {
		return refuse(
			'is 0: to move the whole balance turn on "Transfer Entire Balance"; an amount of 0 is never sent on its own',
			'zeroAmount',
		);
	}
	if (amount < LIMITS.amountMin || amount > LIMITS.amountMax) {
		return refuse(`must be from ${LIMITS.amountMin} to ${LIMITS.amountMax} won`);
	}
	return ok(amount);
}

/**
 * Options > Max Amount per Transfer / Max Total per Run: an option removed (undefined) means no
 * limit; one present but empty is refused, never read as "no limit".
 */
export function parseLimit(value: unknown): Result<number | undefined> {
	if (value === undefined) return ok(undefined);
	if (value === null || value === '') {
		return refuse(
			'is set but empty: give a whole number of won of at least 1, or remove the option for no limit',
		);
	}
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
		return refuse(
			`must be a whole number of won of at least 1 (remove the option for no limit), got ${JSON.stringify(value)}`,
		);
	}
	return ok(value);
}

/** 1,234,567 */
export function formatWon(amount: number): string {
	return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The won a transfer's success body says moved; without a whole number of won the answer cannot be trusted. */
export function parseTransferredAmount(body: KonaplateBody): Result<number> {
	const { amount } = body;
	if (typeof amount === 'number' && Number.isSafeInteger(amount) && amount >= 0) return ok(amount);
	const shown = amount === undefined ? 'no amount' : `the amount ${preview(amount)}`;
	return refuse(
		`the success code ${SUCCESS_CODE} with ${shown}, where a whole number of won was expected: ${preview(body)}`,
	);
}
