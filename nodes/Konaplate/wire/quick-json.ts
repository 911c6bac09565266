import { JsonDuplicateKeyError, parseJsonText } from './exact-json';
import { LargeInteger } from './json';

/*
 * How an answer's JSON is read: the numbers' rule (readAnswerNumber) that the exact reader
 * (exact-json.ts) applies, and the quick reader that hands a text to JSON.parse only where it
 * reads the same. The two live side by side: a change to one is a change to both, and
 * test/exact-json.test.ts checks them against each other.
 */

/** Member ids reach 19 digits: in an answer they are kept as their exact digits, as text. */
const EXACT_ID_FIELDS: ReadonlySet<string> = new Set(['userId']);

/**
 * Balances and amounts stay numbers; an integer id field keeps its literal digits, and any other
 * integer too large to be exact (a card number sent as a number) its digits as a LargeInteger.
 */
export function readAnswerNumber(
	literal: string,
	key: string | undefined,
): number | string | LargeInteger {
	const integer = /^-?[0-9]+$/.test(literal);
	if (integer && key !== undefined && EXACT_ID_FIELDS.has(key)) return literal;
	const value = Number(literal);
	return integer && !Number.isSafeInteger(value) ? new LargeInteger(literal) : value;
}

/** The first key that appears twice in one object of a JSON text, if the text is JSON up to there. */
export function duplicateKey(text: string): string | undefined {
	try {
		parseJsonText(text, readAnswerNumber);
	} catch (error) {
		if (error instanceof JsonDuplicateKeyError) return error.key;
	}
	return undefined;
}

/** A key followed by its colon: with no backslash in the text, every `"` ends or starts a string. */
const KEY_END = /"\s*:/g;
/** A key JavaScript puts first in an object whatever its place in the text (an array index). */
const INDEX_KEY = /"(?:0|[1-9][0-9]*)"\s*:/;
/** The id keys, as a regular expression's alternatives. */
const ID_KEYS = [...EXACT_ID_FIELDS].join('|');
/**
 * An integer of 16 digits or more where a value starts, other than an id key's (or in a string:
 * then the exact reader reads the text).
 */
const LONG_INTEGER = new RegExp(`(?:^|[,[]|(?<!"(?:${ID_KEYS})"\\s*):)\\s*-?[0-9]{16,}`);
/** Each id key, with its integer's literal when one follows. */
const ID_KEY = new RegExp(`"(?:${ID_KEYS})"\\s*:\\s*(-?(?:0|[1-9][0-9]*)(?![0-9.eE]))?`, 'g');

/**
 * What JSON.parse reads where it reads the same as the exact reader (parseJsonText with
 * readAnswerNumber), else undefined: for a text that is not JSON, has a backslash (an escape), a
 * key twice in one object (JSON.parse keeps the last one silently), an array-index key, or an
 * integer of 16 digits or more outside an id field. Without a backslash every `"` starts or ends a string, so a few
 * regular expressions over the text count its keys and find each id key's integer; the parsed
 * value must hold as many keys (one fewer for each key read twice), and its id fields' integers
 * are set to their literal digits in the text's order. The common answer is read natively,
 * several times faster; every other one by the exact reader, with its errors.
 */
export function parseJsonQuickly(text: string): { value: unknown } | undefined {
	if (text.includes('\\') || INDEX_KEY.test(text) || LONG_INTEGER.test(text)) return undefined;
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return undefined;
	}
	const keys = text.match(KEY_END)?.length ?? 0;
	const ids = [...text.matchAll(ID_KEY)].map((match) => match[1]);
	return countKeysSettingIds(value, ids, keys) ? { value } : undefined;
}

/**
 * Walks a parsed value in the text's order (an object's keys in order, each value before the next
 * key), sets each id key's integer to its literal digits, and tells whether it holds `keys` keys
 * in all: one fewer for each key JSON.parse read twice in one object.
 */
function countKeysSettingIds(
	value: unknown,
	ids: Array<string | undefined>,
	keys: number,
): boolean {
	let found = 0;
	let nextId = 0;
	const stack: Array<{ list: unknown[] } | { object: Record<string, unknown>; names: string[] }> =
		[];
	const at: number[] = [];
	const enter = (node: unknown) => {
		if (typeof node !== 'object' || node === null) return;
		if (Array.isArray(node)) stack.push({ list: node });
		else {
			const names = Object.keys(node);
			found += names.length;
			stack.push({ object: node as Record<string, unknown>, names });
		}
		at.push(0);
	};
	enter(value);
	while (stack.length > 0) {
		const top = stack.length - 1;
		const frame = stack[top];
		const index = at[top]++;
		if ('list' in frame) {
			if (index < frame.list.length) enter(frame.list[index]);
			else {
				stack.pop();
				at.pop();
			}
			continue;
		}
		if (index >= frame.names.length) {
			stack.pop();
			at.pop();
			continue;
		}
		const name = frame.names[index];
		if (EXACT_ID_FIELDS.has(name)) {
			const digits = ids[nextId++];
			if (digits !== undefined) frame.object[name] = digits;
		}
		enter(frame.object[name]);
	}
	return found === keys && nextId === ids.length;
}
