import * as fields from '../nodes/Konaplate/wire/fields';
import * as money from '../nodes/Konaplate/wire/money';
import * as redact from '../nodes/Konaplate/wire/redact';
import { JsonInteger, toJsonBody } from '../nodes/Konaplate/wire/json';
import type { Result } from '../nodes/Konaplate/wire/result';

const accepted = <T>(parsed: Result<T>) => {
	if (!parsed.ok) throw new Error(`refused: ${parsed.reason}`);
	return parsed.value;
};
const refusal = (parsed: { ok: boolean; reason?: string }) =>
	parsed.ok ? 'accepted' : parsed.reason;

describe('parseUserId', () => {
	it.each([
		['50000104652', '50000104652'],
		['1', '1'],
		['9999999999999999999', '9999999999999999999'],
		['0000050000104652', '50000104652'],
		[50000104652, '50000104652'],
		[Number.MAX_SAFE_INTEGER, '9007199254740991'],
	])('accepts %p as %p', (value, digits) => {
		expect(accepted(fields.parseUserId(value))).toBe(digits);
	});

	it('keeps every one of 19 digits exact in the JSON body', () => {
		const body = toJsonBody({
			userId: new JsonInteger(accepted(fields.parseUserId('1234567890123456789'))),
		});
		expect(body).toBe('{"userId":1234567890123456789}');
	});

	it.each([
		['', /1 to 19 digits/],
		['   ', /1 to 19 digits/],
		['0', /at least 1/],
		['12345678901234567890', /has 20 digits/],
		['-5', /0-9 only/],
		['+5', /0-9 only/],
		['1.5', /0-9 only/],
		['1e5', /0-9 only/],
		[' 123', /0-9 only/],
		['١٢٣', /0-9 only/],
		[2 ** 53 + 2, /pass the member ID as text/],
		[1.5, /whole number/],
		[0, /whole number of at least 1/],
		[null, /got null/],
		[undefined, /got nothing/],
		[{ id: 1 }, /got an object/],
		[[1], /got a list/],
		[true, /got a boolean/],
	])('refuses %p', (value, reason) => {
		expect(refusal(fields.parseUserId(value))).toMatch(reason);
	});
});

describe('parseCardNo', () => {
	it('accepts exactly 16 digits as text', () => {
		expect(accepted(fields.parseCardNo('9491339401250765'))).toBe('9491339401250765');
	});

	it.each([
		['949133940125076', /exactly 16 digits/],
		['94913394012507650', /exactly 16 digits/],
		['9491-3394-0125-0765', /no spaces or dashes/],
		['9491 3394 0125 0765', /no spaces or dashes/],
		[Number('9491339401250765'), /given as text/],
		[null, /got null/],
	])('refuses %p', (value, reason) => {
		expect(refusal(fields.parseCardNo(value))).toMatch(reason);
	});
});

describe('parseAmount', () => {
	it.each([
		[1, 1],
		[fields.LIMITS.amountMax, fields.LIMITS.amountMax],
		['25000', 25000],
		[100.0, 100],
	])('accepts %p', (value, amount) => {
		expect(accepted(money.parseAmount(value))).toBe(amount);
	});

	it.each([
		[0, /Transfer Entire Balance/],
		['0', /Transfer Entire Balance/],
		[-1, /from 1 to/],
		[fields.LIMITS.amountMax + 1, /from 1 to/],
		[10.5, /no decimals/],
		['10.5', /whole number/],
		['1e3', /whole number/],
		[Number.NaN, /whole number/],
		[Number.POSITIVE_INFINITY, /whole number/],
		['', /got an empty text/],
		[null, /got null/],
	])('refuses %p', (value, reason) => {
		expect(refusal(money.parseAmount(value))).toMatch(reason);
	});
});

describe('parseBoolean', () => {
	it('takes only real booleans', () => {
		expect(accepted(fields.parseBoolean(false))).toBe(false);
		expect(refusal(fields.parseBoolean('true'))).toMatch(/true or false/);
	});
});

describe('maskCardNo', () => {
	it('shows the first 6 and last 4 digits only', () => {
		expect(redact.maskCardNo('9491339401250765')).toBe('949133******0765');
	});
});
