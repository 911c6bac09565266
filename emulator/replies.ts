/* The emulator's answers: Konaplate's JSON envelope, the HTML pages of its gateway, and the
 * refusal that carries either out of a check. */

import type { Reply } from './types';

/** Konaplate names these failures only by message; the emulator gives them codes of its own. */
export const UNDOCUMENTED_CODES = {
	usagePercentage: '017_901',
	cardStatus: '017_902',
} as const;

export const envelope = (
	code: string,
	description: string,
	fields: Record<string, unknown> = {},
) => ({
	response: { code, description },
	...fields,
});
export const failure = (code: string, description: string): Reply => ({
	status: 400,
	body: envelope(code, description),
});
export const unauthorized = (why: string): Reply => ({
	status: 401,
	reason: why,
	body: `<html><head><title>401 Unauthorized</title></head><body><h1>401 Unauthorized</h1><p>${why}</p></body></html>`,
});

export class Refusal extends Error {
	constructor(readonly reply: Reply) {
		super(
			reply.reason ?? (typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)),
		);
	}
}

/** A whole number written into an answer digit for digit, as Konaplate writes a 19-digit userId. */
export class ExactInteger {
	constructor(readonly digits: string) {}

	toJSON(): string {
		return `\u0000int:${this.digits}`;
	}
}

/** Puts the digits of every ExactInteger in place of the text JSON.stringify wrote for it. */
export function withExactIntegers(text: string): string {
	return text.replace(/"\\u0000int:([0-9]+)"/g, '$1');
}
