/**
 * A strict JSON reader that hands every number to the caller as the literal text it arrived
 * as, and refuses an object that names a key twice. JSON.parse rounds a 19-digit member id
 * and keeps the last of two equal keys silently, so
 * `{"response":{"code":"005_018"},"response":{"code":"000_000"}}` would read as a success.
 *
 * It accepts exactly what JSON.parse accepts, without recursion (an answer nested 100 000
 * deep is read, not a stack overflow), and defines keys as own properties (a `__proto__`
 * key stays a key and never becomes the object's prototype). Beside it, quick-json.ts reads a
 * common answer with JSON.parse where that reads the same as this reader.
 */
export type JsonValue<N> =
	| string
	| boolean
	| null
	| N
	| Array<JsonValue<N>>
	| { [key: string]: JsonValue<N> };

/** Turns a number literal into a value; `key` is the member name it belongs to, if any. */
export type NumberReader<N> = (literal: string, key: string | undefined) => N;

export class JsonSyntaxError extends Error {}

export class JsonDuplicateKeyError extends Error {
	constructor(readonly key: string) {
		super('a key appears twice in one object');
	}
}

type Frame<N> =
	| { kind: 'array'; value: Array<JsonValue<N>> }
	| { kind: 'object'; value: { [key: string]: JsonValue<N> }; key: string };

const SPACE = /[ \t\n\r]*/y;
/** What only JSON.parse reads right in a string: an escape, or a control character it refuses. */
// eslint-disable-next-line no-control-regex
const NEEDS_JSON_PARSE = /[\\\u0000-\u001f]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WORDS: ReadonlyArray<[string, boolean | null]> = [
	['true', true],
	['false', false],
	['null', null],
];

export function parseJsonText<N>(text: string, readNumber: NumberReader<N>): JsonValue<N> {
	let at = 0;
	const fail = (what: string): never => {
		throw new JsonSyntaxError(`${what} at offset ${at}`);
	};
	const space = (): void => {
		SPACE.lastIndex = at;
		SPACE.exec(text);
		at = SPACE.lastIndex;
	};
	const string = (): string => {
		let end = at + 1;
		for (;;) {
			end = text.indexOf('"', end);
			if (end === -1) return fail('unterminated string');
			let backslashes = 0;
			while (text[end - 1 - backslashes] === '\\') backslashes++;
			if (backslashes % 2 === 0) break;
			end++;
		}
		const literal = text.slice(at, end + 1);
		at = end + 1;
		// No escape and no control character: the text between the quotes is the string itself
		if (!NEEDS_JSON_PARSE.test(literal)) return literal.slice(1, -1);
		// JSON.parse enforces the rest: valid escapes only, no raw control characters
		try {
			return JSON.parse(literal) as string;
		} catch {
			return fail('invalid string');
		}
	};
	const stack: Array<Frame<N>> = [];
	/** Reads `"key":` into the object frame on top of the stack. */
	const key = (frame: Frame<N> & { kind: 'object' }): void => {
		if (text[at] !== '"') fail('expected a key');
		const name = string();
		// the object holds only the keys read so far, each its own property
		if (Object.hasOwn(frame.value, name)) throw new JsonDuplicateKeyError(name);
		frame.key = name;
		space();
		if (text[at] !== ':') fail('expected :');
		at++;
		space();
	};

	space();
	for (;;) {
		const parent = stack[stack.length - 1];
		let value: JsonValue<N>;
		const char = text[at];
		if (char === '{') {
			at++;
			space();
			if (text[at] === '}') {
				at++;
				value = {};
			} else {
				const frame = { kind: 'object' as const, value: {}, key: '' };
				stack.push(frame);
				key(frame);
				continue;
			}
		} else if (char === '[') {
			at++;
			space();
			if (text[at] === ']') {
				at++;
				value = [];
			} else {
				stack.push({ kind: 'array', value: [] });
				continue;
			}
		} else if (char === '"') {
			value = string();
		} else {
			NUMBER.lastIndex = at;
			const number = NUMBER.exec(text);
			const word =
				number === null ? WORDS.find(([literal]) => text.startsWith(literal, at)) : undefined;
			if (number !== null) {
				at = NUMBER.lastIndex;
				value = readNumber(number[0], parent?.kind === 'object' ? parent.key : undefined);
			} else if (word !== undefined) {
				at += word[0].length;
				value = word[1];
			} else {
				return fail('unexpected character');
			}
		}

		// Hand the finished value to its parent; close every container that ends here
		for (;;) {
			space();
			const frame = stack[stack.length - 1];
			if (frame === undefined) {
				if (at !== text.length) fail('trailing characters');
				return value;
			}
			if (frame.kind === 'array') frame.value.push(value);
			// `__proto__` is the one key an assignment would not define as the object's own
			else if (frame.key !== '__proto__') frame.value[frame.key] = value;
			else
				Object.defineProperty(frame.value, frame.key, {
					value,
					enumerable: true,
					writable: true,
					configurable: true,
				});
			if (text[at] === ',') {
				at++;
				space();
				if (frame.kind === 'object') key(frame);
				break;
			}
			if (text[at] !== (frame.kind === 'array' ? ']' : '}'))
				fail(`expected , or ${frame.kind === 'array' ? ']' : '}'}`);
			at++;
			stack.pop();
			value = frame.value;
		}
	}
}
