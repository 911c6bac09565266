import { JsonDuplicateKeyError, parseJsonText } from './exact-json';
import { isObject } from './json';
import { parseJsonQuickly, readAnswerNumber } from './quick-json';
import { hideDigitRuns, maskLast4, redactForPreview, redactJsonText } from './redact';
import { ok, refuse } from './result';
import type { Result } from './result';

export const SUCCESS_CODE = '000_000';

/** Konaplate's result envelope; business fields sit beside `response` at the top level. */
export interface KonaplateBody {
	response: { code: string; description?: string; message?: string };
	[field: string]: unknown;
}

/** A Konaplate answer that could be read: its success, or the result code it refused with. */
export type Answer =
	| { kind: 'success'; body: KonaplateBody }
	| { kind: 'failure'; code: string; message: string; body: KonaplateBody };

const SNIPPET_LENGTH = 200;

/**
 * A short, single-line, tag-free look at what arrived, for error messages. Errors are stored
 * too: the values of the fields the reads mask are masked, and runs of 10 or more digits (card,
 * account and phone numbers, also glued to more digits) keep only their last 4.
 */
export function snippet(text: string): string {
	const flat = hideDigitRuns(
		redactJsonText(text)
			.replace(/<[^>]*>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim(),
	);
	return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat;
}

/** A snippet of a decoded JSON value; one nested too deeply to serialise is named, not shown. */
export function preview(value: unknown): string {
	try {
		return snippet(JSON.stringify(redactForPreview(value)) ?? String(value));
	} catch {
		return `(${Array.isArray(value) ? 'a list' : 'an object'} nested too deeply to show)`;
	}
}

/** Parses a body as JSON (ids exact, no key twice in one object), or says why it is not one. */
export function parseJson(text: string): Result<unknown> {
	if (text.trim() === '') return refuse('an empty body');
	const quick = parseJsonQuickly(text);
	if (quick !== undefined) return ok(quick.value);
	try {
		return ok(parseJsonText(text, readAnswerNumber));
	} catch (error) {
		if (error instanceof JsonDuplicateKeyError) {
			return refuse(
				`JSON with the key "${snippet(error.key)}" twice in one object, so its meaning is ambiguous (${text.length} characters: "${snippet(text)}")`,
			);
		}
		const looksHtml = /^\s*</.test(text);
		return refuse(
			`${looksHtml ? 'an HTML/XML page' : 'a body that is not JSON'} (${text.length} characters: "${snippet(text)}")`,
		);
	}
}

/**
 * Konaplate's result codes have one documented form, NNN_NNN (family, number). Anything else is
 * not a code to show or route on: the answer is unreadable (wire/verdict.ts).
 */
const RESULT_CODE = /^[0-9]{3}_[0-9]{3}$/;

/** A value that is not a result code, as an error may quote it: its length and last 4 characters. */
export function maskedCode(code: string): string {
	const flat = code.replace(/\s+/g, ' ');
	return `${Array.from(flat).length} characters: "${maskLast4(flat.slice(0, 40))}"`;
}

/** Classifies a decoded JSON body by Konaplate's rule: success is code 000_000 and nothing else. */
export function classify(value: unknown): Result<Answer> {
	if (!isObject(value) || !isObject(value.response)) {
		return refuse(`JSON without Konaplate's "response" result object: ${preview(value)}`);
	}
	const { code, description, message } = value.response;
	if (typeof code !== 'string' || code === '') {
		return refuse(`a result object without a result code: ${preview(value.response)}`);
	}
	if (!RESULT_CODE.test(code)) {
		return refuse(
			`a result code that is not a Konaplate code of the form NNN_NNN (${maskedCode(code)})`,
		);
	}
	const body = value as KonaplateBody;
	if (code === SUCCESS_CODE) return ok({ kind: 'success', body });
	const text =
		typeof description === 'string' ? description : typeof message === 'string' ? message : '';
	return ok({ kind: 'failure', code, message: snippet(text), body });
}
