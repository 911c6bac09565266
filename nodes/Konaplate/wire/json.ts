/**
 * An integer kept as its decimal digits, written into JSON as a bare number literal.
 * Konaplate's userId reaches 19 digits, beyond what a JavaScript number holds exactly.
 */
export class JsonInteger {
	constructor(readonly digits: string) {
		if (!/^(0|[1-9][0-9]*)$/.test(digits)) {
			throw new Error('JsonInteger takes canonical decimal digits');
		}
	}
}

/** A small object inside a request body, such as the history's pageRequest. */
export interface JsonBodyObject {
	readonly [key: string]: string | number | boolean | null;
}

/**
 * An integer of an answer too large for a JavaScript number (over 2^53), kept as its digits so
 * it is never rounded into another number. Written out by mistake, it shows its last 4 only.
 */
export class LargeInteger {
	constructor(readonly digits: string) {}

	toJSON(): string {
		return '*'.repeat(Math.max(0, this.digits.length - 4)) + this.digits.slice(-4);
	}
}

export type JsonBodyValue = string | number | boolean | null | JsonInteger | JsonBodyObject;

/** Serialises a request body once; this exact string is what gets signed and sent. */
export function toJsonBody(fields: Record<string, JsonBodyValue>): string {
	const members = Object.entries(fields).map(([key, value]) => {
		const literal = value instanceof JsonInteger ? value.digits : JSON.stringify(value);
		return `${JSON.stringify(key)}:${literal}`;
	});
	return `{${members.join(',')}}`;
}

/** A JSON object: not null, not a list. */
export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What kind of value arrived, in words for a refusal; never the value itself. A parameter's
 * string is "a text" (the editor's word); a field of Konaplate's answer is in JSON's terms.
 */
export function describe(value: unknown, of: 'parameter' | 'answer' = 'parameter'): string {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string' && of === 'parameter')
		return value.trim() === '' ? 'an empty text' : 'a text';
	return `a ${typeof value}`;
}
