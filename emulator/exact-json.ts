import { parseJsonText } from '../nodes/Konaplate/wire/exact-json';
import type { JsonValue } from '../nodes/Konaplate/wire/exact-json';

/**
 * The node's own JSON reader, keeping every number as the literal text it arrived as, so the
 * emulator can see whether a 19-digit userId came through digit for digit.
 */
export class ExactNumber {
	constructor(readonly literal: string) {}
}

export type ExactJson = JsonValue<ExactNumber>;

export function parseExactJson(text: string): ExactJson {
	return parseJsonText(text, (literal) => new ExactNumber(literal));
}
