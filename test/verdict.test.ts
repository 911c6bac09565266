import { parseTransferredAmount } from '../nodes/Konaplate/wire/money';
import type { KonaplateBody } from '../nodes/Konaplate/wire/response';
import { ok, refuse } from '../nodes/Konaplate/wire/result';
import { readAnswer } from '../nodes/Konaplate/wire/verdict';

// The money path's verdict on an answer, without n8n: fixed status and body text in, one verdict out.
const plain = (value: unknown) => ok(value);
const whole = (body: KonaplateBody) => ok(body);

describe('readAnswer', () => {
	it.each([
		[200, '', 'an empty body'],
		[200, 'oops', 'a body that is not JSON (4 characters: "oops")'],
		[502, '<html><body>Bad gateway</body></html>', 'an HTML/XML page'],
		[200, '{"code":"000_000"}', 'JSON without Konaplate\'s "response" result object'],
		[200, '{"response":{"code":""}}', 'a result object without a result code'],
		[
			200,
			'{"response":{"code":"000_000"},"a":1,"a":2}',
			'JSON with the key "a" twice in one object',
		],
	])('HTTP %i with %j is unreadable: %s', (status, text, received) => {
		const verdict = readAnswer({ status, text }, plain, whole);
		expect(verdict.kind).toBe('unreadable');
		expect(verdict.kind === 'unreadable' && verdict.received).toContain(received);
	});

	it.each([200, 400, 500])(
		'a Konaplate code other than 000_000 under HTTP %i is that code',
		(status) => {
			const text =
				'{"response":{"code":"005_018","message":"There is not enough balance to transfer."}}';
			expect(readAnswer({ status, text }, plain, whole)).toEqual({
				kind: 'code',
				code: '005_018',
				message: 'There is not enough balance to transfer.',
			});
		},
	);

	it.each([199, 300, 400, 500, 503])(
		'the success code under HTTP %i is contradictory',
		(status) => {
			const text = '{"response":{"code":"000_000"},"amount":5000}';
			expect(readAnswer({ status, text }, plain, parseTransferredAmount)).toEqual({
				kind: 'contradictory',
			});
		},
	);

	it('the success code under a 2xx status is the value the operation reads', () => {
		const text = '{"response":{"code":"000_000","message":"Success"},"amount":5000}';
		expect(readAnswer({ status: 200, text }, plain, parseTransferredAmount)).toEqual({
			kind: 'value',
			value: 5000,
		});
		expect(readAnswer({ status: 299, text }, plain, parseTransferredAmount)).toEqual({
			kind: 'value',
			value: 5000,
		});
	});

	it('keeps a member id of 20 digits exact', () => {
		const text = '{"response":{"code":"000_000"},"userId":12345678901234567890}';
		const verdict = readAnswer({ status: 200, text }, plain, whole);
		expect(verdict.kind === 'value' && verdict.value.userId).toBe('12345678901234567890');
	});

	it('a success body the operation cannot read is unreadable, never a success', () => {
		const text = '{"response":{"code":"000_000"}}';
		const verdict = readAnswer({ status: 200, text }, plain, parseTransferredAmount);
		expect(verdict.kind).toBe('unreadable');
		expect(verdict.kind === 'unreadable' && verdict.received).toMatch(
			/^the success code 000_000 with no amount, where a whole number of won was expected/,
		);
	});

	it("an answer the credential's encryption cannot open is unreadable, before its code is read", () => {
		const text = '{"response":{"code":"000_000"},"amount":5000}';
		const sealed = () => refuse('an answer that is not encrypted');
		expect(readAnswer({ status: 200, text }, sealed, parseTransferredAmount)).toEqual({
			kind: 'unreadable',
			received: 'an answer that is not encrypted',
		});
	});

	it('opens the answer before reading its code', () => {
		const text = '{"sealed":"x"}';
		const open = (value: unknown) =>
			ok({ ...(value as object), response: { code: '017_003', message: 'Same card.' } });
		expect(readAnswer({ status: 400, text }, open, whole)).toEqual({
			kind: 'code',
			code: '017_003',
			message: 'Same card.',
		});
	});
});
