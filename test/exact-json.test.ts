import {
	JsonDuplicateKeyError,
	JsonSyntaxError,
	parseJsonText,
} from '../nodes/Konaplate/wire/exact-json';
import { parseJsonQuickly, readAnswerNumber } from '../nodes/Konaplate/wire/quick-json';
import { parseJson } from '../nodes/Konaplate/wire/response';

const literals = (text: string) => parseJsonText(text, (literal) => `#${literal}`);

describe('the exact-number JSON reader', () => {
	it.each([
		[
			'{"userId":1234567890123456789,"amount":100}',
			{ userId: '#1234567890123456789', amount: '#100' },
		],
		['[0,-1,1.5,-0.25e+3,2E-7]', ['#0', '#-1', '#1.5', '#-0.25e+3', '#2E-7']],
		[
			' \t\r\n{ "a" : [ true , false , null , "x\\"y\\u0041" ] } \n',
			{ a: [true, false, null, 'x"yA'] },
		],
		['"\\\\"', '\\'],
		['{}', {}],
		['[]', []],
		['[[],{},[{}]]', [[], {}, [{}]]],
	])('reads %s', (text, expected) => {
		expect(literals(text)).toEqual(expected);
	});

	it('reads JSON text as JSON.parse does, numbers aside', () => {
		const texts = [
			'{"response":{"code":"000_000","description":"Success."},"amount":100}',
			'[1,{"a":"\\ud83d\\ude00"},"é"]',
			'"\\ud800"',
		];
		for (const text of texts) expect(parseJsonText(text, Number)).toEqual(JSON.parse(text));
	});

	it.each([
		'',
		' ',
		'{',
		'{"a":1,}',
		'[1,]',
		'[1 2]',
		'{"a" 1}',
		'{a:1}',
		"{'a':1}",
		'01',
		'1.',
		'.5',
		'+1',
		'-',
		'NaN',
		'Infinity',
		'tru',
		'nul',
		'"abc',
		'"a\u0001b"',
		'"\\x41"',
		'{"a":1}}',
		'[1]]',
		'{"a":1} x',
		'\ufeff{}',
		'{"a":1,"b"}',
	])('refuses %j, as JSON.parse does', (text) => {
		expect(() => JSON.parse(text) as unknown).toThrow();
		expect(() => literals(text)).toThrow(JsonSyntaxError);
	});

	it('refuses a key named twice in one object, even through an escape, and names it', () => {
		expect(() => literals('{"a":1,"\\u0061":2}')).toThrow(JsonDuplicateKeyError);
		try {
			literals('[{"x":{"code":"1","code":"2"}}]');
		} catch (error) {
			expect((error as JsonDuplicateKeyError).key).toBe('code');
		}
		expect(literals('[{"a":1},{"a":1}]')).toEqual([{ a: '#1' }, { a: '#1' }]);
	});

	it('keeps a __proto__ key as a key, never as the prototype', () => {
		const value = parseJsonText('{"response":{"__proto__":{"code":"000_000"}}}', Number) as {
			response: Record<string, unknown>;
		};
		expect(Object.getPrototypeOf(value.response)).toBe(Object.prototype);
		expect(value.response.code).toBeUndefined();
		expect(Object.keys(value.response)).toEqual(['__proto__']);
	});

	it('reads nesting 200 000 deep without recursion', () => {
		const depth = 200_000;
		let value = parseJsonText(`${'['.repeat(depth)}${']'.repeat(depth)}`, Number);
		let levels = 0;
		while (Array.isArray(value) && value.length > 0) {
			value = value[0];
			levels++;
		}
		expect(levels).toBe(depth - 1);
	});

	it('reads a 5 MB string and 100 000 numbers in well under a second', () => {
		const started = Date.now();
		parseJsonText(
			`{"pad":"${'x'.repeat(5_000_000)}","n":[${Array.from({ length: 100_000 }, (_, i) => i).join(',')}]}`,
			Number,
		);
		expect(Date.now() - started).toBeLessThan(1000);
	});
});

describe("parseJson: Konaplate's answers", () => {
	it('keeps userId exact as text at any depth; balances and amounts stay numbers', () => {
		expect(
			parseJson(
				'{"userId":1234567890123456789,"balance":9999999999,"amount":999999999999,"x":{"userId":5}}',
			),
		).toEqual({
			ok: true,
			value: {
				userId: '1234567890123456789',
				balance: 9_999_999_999,
				amount: 999_999_999_999,
				x: { userId: '5' },
			},
		});
	});

	it('leaves a userId that is not a whole number as the number it is', () => {
		expect(parseJson('{"userId":1.5e3}')).toEqual({ ok: true, value: { userId: 1500 } });
	});

	it('names a duplicate key, and says when a body is not JSON', () => {
		expect(parseJson('{"amount":1,"amount":2}')).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/^JSON with the key "amount" twice in one object/),
		});
		expect(parseJson('<html></html>')).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/^an HTML\/XML page/),
		});
		expect(parseJson('{"a":')).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/^a body that is not JSON/),
		});
	});
});

describe('the quick reading (JSON.parse where it reads the same as the exact reader)', () => {
	const exact = (text: string): { value: unknown } | { error: string } => {
		try {
			return { value: parseJsonText(text, readAnswerNumber) };
		} catch (error) {
			return { error: (error as Error).constructor.name };
		}
	};
	/** The quick reading gives what the exact one gives, or leaves the text to it. */
	const same = (text: string) => {
		const quick = parseJsonQuickly(text);
		const reference = exact(text);
		if ('error' in reference) expect(quick).toBeUndefined();
		if (quick !== undefined)
			expect(quick.value).toStrictEqual((reference as { value: unknown }).value);
		return quick !== undefined;
	};

	it.each([
		'{"response":{"code":"000_000"},"userId":1234567890123456789,"balance":50000}',
		'{"userId":50000104652}',
		'{"userId":-0}',
		'{"userId":1.0,"x":{"userId":7}}',
		'{"userId":1e3}',
		'{"a":{"userId":1},"userId":2,"b":[{"userId":3},{"userId":"4"}],"c":{"userId":{"userId":5}}}',
		'{"userId":[1,2],"n":[1,2,3]}',
		'[{"userId":9007199254740993}]',
		'{"note":"a: 12345, [9]","t":"x:y"}',
		'{"cardDataInfo":[{"mobileCardNo":"9491339401250765","balance":1200.5,"status":"ACTIVE"}]}',
		'{"__proto__":{"userId":3},"k":1}',
		'{ "a" : 1 , "b" : [ true , false , null ] }',
		'"just a string"',
		'12',
		'[]',
		'{}',
	])('reads %s quickly, as the exact reader does', (text) => {
		expect(same(text)).toBe(true);
	});

	it.each([
		['a key twice', '{"response":{"code":"005_018"},"response":{"code":"000_000"}}'],
		['a key twice, nested', '{"a":{"x":1,"x":2},"b":1}'],
		['an integer too large to be exact', '{"cardNo":9491339401250765123}'],
		['an escaped key', '{"user\\u0049d":123}'],
		['an escape in a string', '{"a":"x\\":y","b":"\\\\","c":"\\u0041:"}'],
		['a number of 16 digits', '{"balance":1234567890123456}'],
		['an array-index key', '{"b":1,"0":{"userId":5}}'],
		['not JSON', '{"a":1,}'],
		['cut off', '{"a":'],
	])('leaves %s to the exact reader', (_, text) => {
		expect(parseJsonQuickly(text)).toBeUndefined();
		same(text);
	});

	it('reads 100,000 levels deep without a stack overflow', () => {
		const deep = `${'[{"userId":1,"k":'.repeat(100_000)}2${'}]'.repeat(100_000)}`;
		const quick = parseJsonQuickly(deep);
		// (jest's own comparison recurses: the value is walked here)
		let level = quick?.value as unknown;
		for (let n = 0; n < 100_000; n++) {
			const [object] = level as Array<{ userId: unknown; k: unknown }>;
			expect(object.userId).toBe('1');
			level = object.k;
		}
		expect(level).toBe(2);
	});

	it('reads 3,000 random texts as the exact reader does (duplicate keys, ids, large integers among them)', () => {
		let seed = 20261201;
		const random = () => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return seed / 2 ** 31;
		};
		const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
		const numbers = [
			'0',
			'-0',
			'7',
			'-12',
			'1.5',
			'2e3',
			'-1.25E-2',
			'50000104652',
			'9007199254740991',
			'9007199254740993',
			'12345678901234567890',
		];
		const keys = ['userId', 'a', 'b', 'response', 'code', '__proto__', 'k"q', 'x y', '카드'];
		const text = (depth: number): string => {
			const kind = depth > 4 ? pick(['n', 's', 'l']) : pick(['n', 's', 'l', 'o', 'o', 'a']);
			if (kind === 'n') return pick(numbers);
			if (kind === 's')
				return JSON.stringify(pick(['', 'x', '":', '\\', 'ACTIVE', '949133******0765']));
			if (kind === 'l') return pick(['true', 'false', 'null']);
			const size = Math.floor(random() * 4);
			const parts = Array.from({ length: size }, () =>
				kind === 'a'
					? text(depth + 1)
					: `${JSON.stringify(pick(keys))}${pick([':', ' : '])}${text(depth + 1)}`,
			);
			return kind === 'a' ? `[${parts.join(',')}]` : `{${parts.join(', ')}}`;
		};
		let quick = 0;
		for (let n = 0; n < 3000; n++) if (same(text(0))) quick++;
		// most random texts are read quickly; the rest (a key twice, an inexact integer) exactly
		expect(quick).toBeGreaterThan(1000);
		expect(quick).toBeLessThan(3000);
	});

	it('parseJson answers what it answered before for every vector above', () => {
		expect(
			parseJson('{"response":{"code":"005_018"},"response":{"code":"000_000"}}'),
		).toMatchObject({ ok: false });
		expect(parseJson('{"userId":1234567890123456789}')).toEqual({
			ok: true,
			value: { userId: '1234567890123456789' },
		});
	});
});
