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

export type JsonBodyValue = string | number | boolean | null | JsonInteger;

/** Serialises a flat request body once; this exact string is what gets signed and sent. */
export function toJsonBody(fields: Record<string, JsonBodyValue>): string {
	const members = Object.entries(fields).map(([key, value]) => {
		const literal = value instanceof JsonInteger ? value.digits : JSON.stringify(value);
		return `${JSON.stringify(key)}:${literal}`;
	});
	return `{${members.join(',')}}`;
}
