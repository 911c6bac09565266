import { isObject } from './json';

/*
 * What the reads, and the errors that quote an answer, may show of Konaplate's answers, field
 * by field. n8n keeps every node output in its execution history, so each field Konaplate
 * sends has a rule here, and a field the node does not know passes only through a defence that
 * hides long digit runs (a future card or account number). The README's field table lists the
 * same rules; a test checks that it names every field.
 */

export type FieldRule =
	/** Shown as it came (a nested object or list in such a field gets the unknown-field defence). */
	| 'keep'
	/** A full card number: first 6 and last 4 digits, unless Show Full Card Numbers is on. */
	| 'cardNo'
	/** A bank account number: last 4 characters only. */
	| 'accountNo'
	/** A personal identifier (a phone or registration number): last 4 characters only. */
	| 'identifier'
	/** A person's name: first and last character only (홍*동, J********h). */
	| 'name'
	/** A member id: its exact digits, as text. */
	| 'exactId'
	/** Meaning undocumented: the unknown-field defence. */
	| 'unknown'
	| { object: Schema }
	| { list: Schema };

export type Schema = Readonly<Record<string, FieldRule>>;

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One card of `cardDataInfo` in /api/v1/user/card/list. */
export const CARD_LIST_CARD: Schema = {
	par: 'keep',
	mobileCardNo: 'cardNo',
	physicalCardNo: 'cardNo',
	cardNo: 'cardNo',
	mobileCardStatus: 'keep',
	physicalCardStatus: 'keep',
	balance: 'keep',
	pendingAmount: 'keep',
	isNamed: 'keep',
	limits: { object: { day: 'keep', once: 'keep', month: 'keep' } },
	serviceId: 'keep',
	serviceName: 'keep',
	expiryDate: 'keep',
	cardApplyNo: 'keep',
	rechargeable: 'keep',
	remittable: 'keep',
	refundable: 'keep',
	bankInfo: { object: { bankName: 'keep', bankCode: 'keep', accountNo: 'accountNo' } },
	cardPointInfo: { list: { pointName: 'keep', remainingPoint: 'keep' } },
};

/** The answer of /api/v1/user/card/info, below its `response`. */
export const CARD_INFO: Schema = {
	userId: 'exactId',
	cardNo: 'cardNo',
	balance: 'keep',
	cardStatus: 'keep',
	serviceId: 'keep',
	serviceName: 'keep',
	ownerKa: 'unknown',
	cashReceiptInfo: { object: { idNo: 'identifier', manYn: 'keep', approvalDiv: 'keep' } },
	isAutoRechargeBeforePayment: 'keep',
};

/** The answer of /api/v1/bankaccounts/info, below its `response`. */
export const BANK_ACCOUNT_INFO: Schema = {
	userId: 'exactId',
	accountInfo: {
		object: {
			accountId: 'keep',
			userName: 'name',
			bankCode: 'keep',
			bankName: 'keep',
			bankAccount: 'accountNo',
			accountNo: 'accountNo',
		},
	},
};

/** Deeper than this, a value the node does not know is dropped, not walked. */
export const MAX_DEPTH = 16;
const TOO_DEEP = `(dropped: nested more than ${MAX_DEPTH} levels deep)`;
/** 10 or more digits in a row, single spaces or dashes allowed between them: card and account numbers. */
const LONG_DIGIT_RUN = /[0-9](?:[ -]?[0-9]){9,}/g;
/** Numbers from 13 digits up look like card numbers; balances and amounts have at most 12. */
const LONG_NUMBER = 1e12;

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
 * Cuts every run of 10 or more digits (single spaces or dashes between them allowed) to its
 * last 4. With `longest`, an unbroken run longer than that is left as it is: it is no card or
 * account number (a broken one may be several, and is cut).
 */
export function hideDigitRuns(text: string, longest = Number.POSITIVE_INFINITY): string {
	return text.replace(LONG_DIGIT_RUN, (run) => {
		const digits = run.replace(/[ -]/g, '');
		return digits.length > longest && digits === run ? run : maskLast4(digits);
	});
}

/**
 * What a field the node does not know may show: long digit runs in text and numbers of
 * 13 digits or more are cut to their last 4, the rest passes, to a limited depth.
 */
export function unknownValue(value: unknown, depth = 0): Json {
	if (depth > MAX_DEPTH) return TOO_DEEP;
	if (typeof value === 'string') return hideDigitRuns(value);
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return null;
		return Math.abs(value) >= LONG_NUMBER ? maskLast4(value.toFixed(0)) : value;
	}
	if (typeof value === 'boolean' || value === null) return value;
	if (Array.isArray(value)) return value.map((entry) => unknownValue(entry, depth + 1));
	if (isObject(value)) {
		const shown: JsonObject = {};
		for (const key of Object.keys(value))
			setField(shown, hideDigitRuns(key), unknownValue(value[key], depth + 1));
		return shown;
	}
	return null;
}

/** Defines a key as an own property, so a `__proto__` key stays a key. */
export function setField(target: JsonObject, key: string, value: Json): void {
	Object.defineProperty(target, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true,
	});
}

function applyRule(rule: FieldRule, value: unknown, options: ShapeOptions, depth: number): Json {
	if (depth > MAX_DEPTH) return TOO_DEEP;
	const text =
		typeof value === 'string'
			? value
			: typeof value === 'number' && Number.isFinite(value)
				? value.toFixed(0)
				: undefined;
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
		case 'keep':
			return typeof value === 'object' && value !== null
				? unknownValue(value, depth)
				: (value as Json);
		case 'cardNo':
			if (text === undefined) return unknownValue(value, depth);
			return options.fullCardNumbers ? text : maskCardNo(text);
		case 'accountNo':
		case 'identifier':
			return text === undefined ? unknownValue(value, depth) : maskLast4(text);
		case 'name':
			return typeof value === 'string' ? maskName(value) : unknownValue(value, depth);
		case 'exactId':
			return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value))
				? String(value)
				: unknownValue(value, depth);
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
			setField(shown, hideDigitRuns(key), unknownValue(value[key], depth + 1));
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

const SENSITIVE = sensitiveRules([CARD_LIST_CARD, CARD_INFO, BANK_ACCOUNT_INFO]);

/**
 * An answer as an error may quote it: the values of fields the reads mask are masked (card
 * numbers always), the rest unchanged; nesting beyond the limit is dropped.
 */
export function redactForPreview(value: unknown, depth = 0): unknown {
	if (depth > MAX_DEPTH) return TOO_DEEP;
	if (typeof value !== 'object' || value === null) return value;
	if (Array.isArray(value)) return value.map((entry) => redactForPreview(entry, depth + 1));
	const shown: Record<string, unknown> = {};
	for (const key of Object.keys(value)) {
		const field = (value as Record<string, unknown>)[key];
		const rule = SENSITIVE.get(key);
		const masked =
			rule === undefined
				? redactForPreview(field, depth + 1)
				: applyRule(rule, field, { fullCardNumbers: false }, depth);
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
