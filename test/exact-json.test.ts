import {
	JsonDuplicateKeyError,
	JsonSyntaxError,
	parseJsonText,
} from '../nodes/Konaplate/wire/exact-json';
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
