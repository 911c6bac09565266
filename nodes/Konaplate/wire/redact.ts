import { BANK_ACCOUNT_INFO, CARD_INFO, CARD_LIST_CARD, TRANSACTION } from './answer-fields';
import type { FieldRule, Schema } from './answer-fields';
import { describe, isObject, LargeInteger } from './json';

export { BANK_ACCOUNT_INFO, CARD_INFO, CARD_LIST_CARD, TRANSACTION };
export type { FieldRule, Schema };

/*
 * What the reads, and the errors that quote an answer, may show of Konaplate's answers, field
 * by field. n8n keeps every node output in its execution history, so each field Konaplate
 * sends has a rule here, and a field the node does not know passes only through a defence that
 * hides long digit runs (a future card or account number). The field table of docs/sensitive-values.md lists the
 * same rules; a test checks that it names every field.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Deeper than this, a value the node does not know is dropped, not walked. */
export const MAX_DEPTH = 16;
const TOO_DEEP = `(dropped: nested more than ${MAX_DEPTH} levels deep)`;
/**
 * 10 or more digits (any script's, full-width ones too) with separators between any two: up to 16
 * spaces, punctuation marks or symbols of any kind (`.` `,` `:` `+` `/` `-` `_` quotes…), or one
 * letter with such marks around it: card and account numbers however they are written. A run
 * glued to more digits is one longer run, cut all the same. Two letters end a run, so words
 * between numbers ("2026-12-01 at 10:30") keep them apart.
 */
const DIGIT = '\\p{Nd}';
const MARKS = '[\\s\\p{P}\\p{S}\\p{Z}\\p{Cf}]';
const SEPARATOR = `${MARKS}{0,16}(?:\\p{L}${MARKS}{0,16})?`;
const LONG_DIGIT_RUN = new RegExp(`${DIGIT}(?:${SEPARATOR}${DIGIT}){9,}`, 'gu');
const NOT_DIGIT = new RegExp(`[^${DIGIT}]`, 'gu');
/** A character of a number (superscripts, circled and other compatibility digits: Unicode's N). */
const NUMBER_CHAR = /\p{N}/gu;
/** Numbers from 13 digits up look like card numbers; balances and amounts have at most 12. */
const LONG_NUMBER = 1e12;
/** As many significant digits in a number that is not whole: it carries a card number. */
const LONG_NUMBER_DIGITS = 13;

export interface ShapeOptions {
	fullCardNumbers: boolean;
}

/** Keeps the last 4 characters of a value, each other one becomes *. */
export function maskLast4(value: string): string {
	const chars = Array.from(value);
	if (chars.length <= 4) return '*'.repeat(chars.length);
	return '*'.repeat(chars.length - 4) + chars.slice(-4).join('');
}

/** Keeps the first and the last character of a name (the first only, for two). */
export function maskName(value: string): string {
	const chars = Array.from(value);
	if (chars.length <= 1) return '*'.repeat(chars.length);
	if (chars.length === 2) return `${chars[0]}*`;
	return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/** 949133******0765: the first 6 and last 4 digits, the rest hidden. */
export function maskCardNo(cardNo: string): string {
	if (cardNo.length <= 10) return '*'.repeat(cardNo.length);
	return cardNo.slice(0, 6) + '*'.repeat(cardNo.length - 10) + cardNo.slice(-4);
}

/**
 * Every digit written as its plain decimal form (NFKC: ² and ① become 2 and 1, ⑩ becomes 10);
 * other characters stay as they are.
 */
function foldDigits(text: string): string {
	return text.replace(NUMBER_CHAR, (char) => {
		const folded = char.normalize('NFKC');
		return /^\p{Nd}+$/u.test(folded) ? folded : char;
	});
}

/** Cuts every run of 10 or more digits (separators allowed, LONG_DIGIT_RUN) to its last 4 digits. */
export function hideDigitRuns(text: string): string {
	return foldDigits(text).replace(LONG_DIGIT_RUN, (run) =>
		MASKED_CARD_NO.test(run) ? run : maskLast4(run.replace(NOT_DIGIT, '')),
	);
}

/**
 * A PAR token as Konaplate's card list documents it: 27 ASCII letters and digits. Thirteen digits
 * in a row are a card number's length, never part of a PAR shown whole.
 */
const PAR_FORM = /^(?!.*[0-9]{13})[A-Za-z0-9]{27}$/;

/** A card number as maskCardNo shows it: its 10 digits are what the mask shows by design. */
const MASKED_CARD_NO = /^[0-9]{6}\*+[0-9]{4}$/;

/** From this many digits a run is a card number's length (Konaplate's are 16; PANs 13 to 19). */
const CARD_LIKE_DIGITS = 13;

/**
 * A Reference as it may be shown: one that holds a run of 13 digits or more (however separated,
 * as hideDigitRuns reads them) looks like a card number, and each such run keeps its last 4.
 * Order and payout ids with dates and counters ("payout-2026-12-0001") are shown as they are.
 */
export function shownReference(reference: string): string {
	return foldDigits(reference).replace(LONG_DIGIT_RUN, (run) => {
		const digits = run.replace(NOT_DIGIT, '');
		return digits.length >= CARD_LIKE_DIGITS ? maskLast4(digits) : run;
	});
}

/** A Reference as a sentence names it, `Reference "…"`: masked where it looks like a card number. */
export function namedReference(reference: string): string {
	return `Reference "${shownReference(reference)}"`;
}

/**
 * A number of an answer as it may be shown: one of 13 digits or more, or one not whole that
 * carries 13 significant digits or more (a card number written 9491339401250765.0, 9.49e15 or
 * 0.9491…), keeps only its last 4 digits, as text. Balances and amounts pass.
 */
export function numberShown(value: number): Json {
	if (!Number.isFinite(value)) return null;
	if (Math.abs(value) >= LONG_NUMBER) return maskLast4(value.toFixed(0));
	if (Number.isInteger(value)) return value;
	const digits = String(value)
		.replace(/e.*$/i, '')
		.replace(/[^0-9]/g, '')
		.replace(/^0+/, '');
	return digits.length >= LONG_NUMBER_DIGITS ? maskLast4(digits) : value;
}

/** Field names that hold a person's name: userName, holderName, custNm, payeeNm, … */
const NAME_KEY = /name|(?:^|_|[a-z])nm$|holder|payer|payee|recipient|sender|receiver|customer/i;
/** Names the node knows not to be a person's: products, banks, merchants, points. */
const NOT_A_PERSON = new Set(['serviceName', 'bankName', 'merchantName', 'pointName']);
/** A value that reads as a person's name: 2 to 5 Hangul syllables, or 2 to 4 capitalised words. */
const NAME_VALUE = /^(?:[\uac00-\ud7a3]{2,5}|[A-Z][A-Za-z'-]+(?: [A-Z][A-Za-z'-]+){1,3})$/u;

/** A value under a name's key: a name's mask over the digit-run defence (an id filed as a name). */
function nameShown(value: string): string {
	return maskName(hideDigitRuns(value));
}

/** Whether a key names a person's name (userName, holderName, custNm, payeeNm, customer…). */
export function isNameKey(key: string): boolean {
	return !NOT_A_PERSON.has(key) && NAME_KEY.test(key);
}

/**
 * Whether a field the node does not know may hold a person's name: by its key, or (in a read's
 * output, not in an error's quote of a failure's words) by its value.
 */
export function mayBeName(key: string, value: string, byValue = true): boolean {
	if (NOT_A_PERSON.has(key)) return false;
	return NAME_KEY.test(key) || (byValue && NAME_VALUE.test(value.trim()));
}

/**
 * What a field the node does not know may show: long digit runs in text and long numbers
 * (numberShown) are cut to their last 4, a person's name is masked, the rest passes, to a limited
 * depth. Under a key that names a person (`named`), every text at any depth is a name.
 */
export function unknownValue(value: unknown, depth = 0, key = '', named = false): Json {
	if (depth > MAX_DEPTH) return TOO_DEEP;
	const underName = named || (key !== '' && isNameKey(key));
	if (typeof value === 'string')
		return underName || mayBeName(key, value) ? nameShown(value) : hideDigitRuns(value);
	if (value instanceof LargeInteger) return maskLast4(value.digits);
	if (typeof value === 'number') return numberShown(value);
	if (typeof value === 'boolean' || value === null) return value;
	if (Array.isArray(value))
		return value.map((entry) => unknownValue(entry, depth + 1, '', underName));
	if (isObject(value)) {
		const shown: JsonObject = {};
		for (const key of Object.keys(value))
			setField(shown, hideDigitRuns(key), unknownValue(value[key], depth + 1, key, underName));
		return shown;
	}
	return null;
}

/** A sensitive field in a shape nobody documented (a list, an object): hidden whole, never walked. */
function hiddenShape(value: unknown): string {
	return `(hidden: ${describe(value, 'answer')} where a text was expected)`;
}

/** The exact digits of a number-like value, or undefined when it has none (or lost them to rounding). */
function exactDigits(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (value instanceof LargeInteger) return value.digits;
	if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	return undefined;
}

/**
 * Sets a key as an own property, so a `__proto__` key stays a key. Every other key is assigned:
 * `__proto__` is the one accessor a plain object inherits, so assigning is the same definition.
 */
export function setField(target: JsonObject, key: string, value: Json): void {
	if (key !== '__proto__') {
		target[key] = value;
		return;
	}
	Object.defineProperty(target, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true,
	});
}

function applyRule(rule: FieldRule, value: unknown, options: ShapeOptions, depth: number): Json {
	if (depth > MAX_DEPTH) return TOO_DEEP;
	const text = exactDigits(value);
	const scalar = value === null || typeof value === 'boolean';
	if (typeof rule === 'object') {
		if (value === null) return null;
		if ('object' in rule)
			return isObject(value)
				? shapeObject(rule.object, value, options, depth + 1)
				: unknownValue(value, depth);
		if (!Array.isArray(value)) return unknownValue(value, depth);
		return value.map((entry) =>
			isObject(entry)
				? shapeObject(rule.list, entry, options, depth + 2)
				: unknownValue(entry, depth + 1),
		);
	}
	switch (rule) {
		case 'par':
			if (typeof value === 'string' && PAR_FORM.test(value)) return value;
			return typeof value === 'string' ? hideDigitRuns(value) : unknownValue(value, depth);
		case 'keep':
			// Kept text is text from outside all the same, and a long number is not a balance
			if (typeof value === 'string') return hideDigitRuns(value);
			if (typeof value === 'number') return numberShown(value);
			return scalar ? (value as Json) : unknownValue(value, depth);
		case 'cardNo':
			if (scalar) return value as Json;
			if (text === undefined)
				return typeof value === 'number'
					? '(hidden: a number too large to be exact)'
					: hiddenShape(value);
			return options.fullCardNumbers ? text : maskCardNo(text);
		case 'accountNo':
		case 'identifier':
			if (scalar) return value as Json;
			return text === undefined ? hiddenShape(value) : maskLast4(text);
		case 'name':
			if (scalar) return value as Json;
			return typeof value === 'string' ? maskName(value) : hiddenShape(value);
		case 'exactId':
			return text !== undefined ? text : unknownValue(value, depth);
		case 'unknown':
			return unknownValue(value, depth);
	}
}

/** Applies a schema to an object: known fields by their rule, the others through the defence. */
export function shapeObject(
	schema: Schema,
	value: Record<string, unknown>,
	options: ShapeOptions,
	depth = 0,
): JsonObject {
	const shown: JsonObject = {};
	for (const key of Object.keys(value)) {
		const rule = Object.prototype.hasOwnProperty.call(schema, key) ? schema[key] : undefined;
		if (rule === undefined)
			setField(shown, hideDigitRuns(key), unknownValue(value[key], depth + 1, key));
		else setField(shown, key, applyRule(rule, value[key], options, depth + 1));
	}
	return shown;
}

/** Every field name a schema masks, with its rule: what an error's look at an answer must mask too. */
function sensitiveRules(
	schemas: Schema[],
	into = new Map<string, FieldRule>(),
): Map<string, FieldRule> {
	for (const schema of schemas) {
		for (const [key, rule] of Object.entries(schema)) {
			if (typeof rule === 'object')
				sensitiveRules(['object' in rule ? rule.object : rule.list], into);
			else if (
				rule === 'cardNo' ||
				rule === 'accountNo' ||
				rule === 'identifier' ||
				rule === 'name'
			)
				into.set(key, rule);
		}
	}
	return into;
}

const SENSITIVE = sensitiveRules([CARD_LIST_CARD, CARD_INFO, BANK_ACCOUNT_INFO, TRANSACTION]);

/**
 * An answer as an error may quote it: the values of fields the reads mask are masked (card
 * numbers always), the rest unchanged; nesting beyond the limit is dropped.
 */
export function redactForPreview(value: unknown, depth = 0, named = false): unknown {
	if (depth > MAX_DEPTH) return TOO_DEEP;
	if (value instanceof LargeInteger) return value.toJSON();
	if (typeof value === 'string') return named ? nameShown(value) : value;
	if (typeof value === 'number') return numberShown(value);
	if (typeof value !== 'object' || value === null) return value;
	if (Array.isArray(value)) return value.map((entry) => redactForPreview(entry, depth + 1, named));
	const shown: Record<string, unknown> = {};
	for (const key of Object.keys(value)) {
		const field = (value as Record<string, unknown>)[key];
		const rule = SENSITIVE.get(key);
		const masked =
			rule !== undefined
				? applyRule(rule, field, { fullCardNumbers: false }, depth)
				: redactForPreview(field, depth + 1, named || isNameKey(key));
		setField(shown as JsonObject, key, masked as Json);
	}
	return shown;
}

const SENSITIVE_TEXT_VALUE = new RegExp(
	`"(${[...SENSITIVE.keys()].join('|')})"(\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`,
	'g',
);

/**
 * The same masking on answer text that did not parse (cut off, or with a key twice), where
 * only the text is there: a sensitive field's string value is masked by its rule.
 */
export function redactJsonText(text: string): string {
	return text.replace(SENSITIVE_TEXT_VALUE, (_match, key: string, colon: string, value: string) => {
		const rule = SENSITIVE.get(key) ?? 'unknown';
		return `"${key}"${colon}${JSON.stringify(applyRule(rule, value, { fullCardNumbers: false }, 0))}`;
	});
}
