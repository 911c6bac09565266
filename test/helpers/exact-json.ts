/**
 * A strict JSON reader that keeps every number as the literal text it arrived as, so the
 * emulator can see whether a 19-digit userId came through digit for digit.
 */
export type ExactJson = string | boolean | null | ExactNumber | ExactJson[] | { [key: string]: ExactJson };

export class ExactNumber {
	constructor(readonly literal: string) {}
}

export class ExactJsonError extends Error {}

export function parseExactJson(text: string): ExactJson {
	let at = 0;
	const fail = (what: string): never => {
		throw new ExactJsonError(`${what} at offset ${at}`);
	};
	const space = () => {
		while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
	};
	const value = (): ExactJson => {
		space();
		const char = text[at];
		if (char === '{') return object();
		if (char === '[') return array();
		if (char === '"') return string();
		const number = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(at));
		if (number) {
			at += number[0].length;
			return new ExactNumber(number[0]);
		}
		for (const [word, result] of [
			['true', true],
			['false', false],
			['null', null],
		] as const) {
			if (text.startsWith(word, at)) {
				at += word.length;
				return result;
			}
		}
		return fail('unexpected character');
	};
	const string = (): string => {
		let end = at + 1;
		while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
		if (end >= text.length) return fail('unterminated string');
		const literal = text.slice(at, end + 1);
		at = end + 1;
		// JSON.parse enforces the rest: valid escapes only, no raw control characters
		return JSON.parse(literal) as string;
	};
	const array = (): ExactJson[] => {
		const items: ExactJson[] = [];
		at++;
		space();
		if (text[at] === ']') {
			at++;
			return items;
		}
		for (;;) {
			items.push(value());
			space();
			if (text[at] === ',') at++;
			else if (text[at] === ']') {
				at++;
				return items;
			} else fail('expected , or ]');
		}
	};
	const object = (): { [key: string]: ExactJson } => {
		const members: { [key: string]: ExactJson } = {};
		at++;
		space();
		if (text[at] === '}') {
			at++;
			return members;
		}
		for (;;) {
			space();
			if (text[at] !== '"') fail('expected a key');
			const key = string();
			space();
			if (text[at] !== ':') fail('expected :');
			at++;
			members[key] = value();
			space();
			if (text[at] === ',') at++;
			else if (text[at] === '}') {
				at++;
				return members;
			} else fail('expected , or }');
		}
	};
	const result = value();
	space();
	if (at !== text.length) fail('trailing characters');
	return result;
}
