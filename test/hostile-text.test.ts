import { answeredCorrelationId } from '../nodes/Konaplate/wire/clock';
import { cardInfoOutput, cardListOutput } from '../nodes/Konaplate/wire/reads';
import {
	hideDigitRuns,
	numberShown,
	redactForPreview,
	shownReference,
	unknownValue,
} from '../nodes/Konaplate/wire/redact';
import { classify, parseJson, preview, snippet } from '../nodes/Konaplate/wire/response';
import type { KonaplateBody } from '../nodes/Konaplate/wire/response';
import { transactionOutput } from '../nodes/Konaplate/wire/history';

/*
 * Issue 29, item 2: every answer is text from outside. Each class the review found is tried
 * here with more than its example; test/hostile-text.engine.test.ts runs them through n8n.
 */
const CARD = '9491339401250765';
/** No 8 digits of the card's middle, in any digit form, survive. */
const noCard = (value: unknown) =>
	expect(
		JSON.stringify(value)
			.normalize('NFKC')
			.replace(/[^0-9]/g, ''),
	).not.toContain('33940125');
const answer = (text: string) => {
	const parsed = parseJson(text);
	if (!parsed.ok) throw new Error(parsed.reason);
	return parsed.value as KonaplateBody;
};
const MASKED = { fullCardNumbers: false };

describe('the correlation id of an answer', () => {
	const SENT = '261201103000-0a1b2c3';
	it.each([
		['Konaplate form', '261201103001-abcdef0', '261201103001-abcdef0'],
		['a card number', CARD, SENT],
		['a card number after a valid id', `261201103001-abcdef0 ${CARD}`, SENT],
		['upper-case hex', '261201103001-ABCDEF0', SENT],
		['full-width digits', '２６１２０１１０３００１-abcdef0', SENT],
		['a newline and more', '261201103001-abcdef0\nX: y', SENT],
		['empty', '', SENT],
		['absent', undefined, SENT],
	])('%s: %j is kept only in the documented form, else the sent one', (_l, got, kept) => {
		expect(answeredCorrelationId(got, SENT)).toBe(kept);
	});
});

describe('a result code must have the form NNN_NNN', () => {
	it.each([
		['a card number', CARD],
		['a card number with a separator', '9491_339401250765'],
		['a longer code', '0000_000'],
		['letters', 'ABC_DEF'],
		['full-width digits', '０１７_００１'],
		['a trailing space', '017_001 '],
		['a short one', '17_1'],
	])('%s is no code: the answer is unreadable and the value masked', (_l, code) => {
		const result = classify({ response: { code, description: 'x' } });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.reason).toMatch(
			/^a result code that is not a Konaplate code of the form NNN_NNN/,
		);
		expect(result.reason).not.toContain(code);
		noCard(result.reason);
	});

	it('a documented code passes, and so does one Konaplate has not documented', () => {
		for (const code of ['017_001', '999_999', '000_000'])
			expect(classify({ response: { code } }).ok).toBe(true);
	});
});

describe('a card number with any separator, in any digit form', () => {
	it.each([
		['commas', '9491,3394,0125,0765'],
		['colons', '9491:3394:0125:0765'],
		['pluses', '9491+3394+0125+0765'],
		['a letter', '9491x3394x0125x0765'],
		['a different letter each', '9491a3394B0125ç0765'],
		['a letter with spaces', '9491 x 3394 x 0125 x 0765'],
		['asterisks', '9491*3394*0125*0765'],
		['quotes and brackets', '9491"3394"(0125)[0765]'],
		['one digit at a time', '9;4;9;1;3;3;9;4;0;1;2;5;0;7;6;5'],
		['zero-width spaces', '9491\u200b3394\u200b0125\u200b0765'],
		['superscripts', '⁹⁴⁹¹³³⁹⁴⁰¹²⁵⁰⁷⁶⁵'],
		['circled digits', '⑨④⑨①③③⑨④⓪①②⑤⓪⑦⑥⑤'],
		['mathematical bold digits', '𝟗𝟒𝟗𝟏𝟑𝟑𝟗𝟒𝟎𝟏𝟐𝟓𝟎𝟕𝟔𝟓'],
		['Devanagari digits', '९४९१३३९४०१२५०७६५'],
		['mixed scripts and separators', '９4⁹1-3³9④:0125 x 0765'],
	])('%s: hidden in text, in an unknown field and in an error quote', (_l, written) => {
		noCard(hideDigitRuns(`card ${written} ok`));
		noCard(unknownValue({ memo: `card ${written} ok` }));
		noCard(snippet(`{"memo":"${written}"}`));
	});

	it('words between numbers keep them apart; codes, dates and amounts stay readable', () => {
		const text = '005_018, 12 items, 2026-12-01 at 10:30, 1,000 KRW';
		expect(hideDigitRuns(text)).toBe(text);
		expect(hideDigitRuns('card 949133******0765')).toBe('card 949133******0765');
	});
});

describe('a card number in any JSON number form', () => {
	it.each([
		['a decimal', `${CARD}.0`],
		['a decimal with more', `${CARD}.25`],
		['an exponent', '9.491339401250765e15'],
		['a negative exponent', '9491339401250765e-16'],
		['a small fraction', '0.9491339401250765'],
		['a tiny one', '9.491339401250765E-8'],
		['negative', `-${CARD}`],
	])('%s (%s): hidden in a kept field, an unknown field and an error quote', (_l, literal) => {
		const body = answer(
			`{"response":{"code":"000_000"},"cardDataInfo":[{"balance":${literal},"extra":${literal},"deep":[{"n":${literal}}]}]}`,
		);
		noCard(cardListOutput(body, '1', MASKED));
		noCard(preview(body));
		noCard(redactForPreview(body));
	});

	it('balances, amounts and small decimals pass', () => {
		expect(numberShown(999_999_999_999)).toBe(999_999_999_999);
		expect(numberShown(1234.5)).toBe(1234.5);
		expect(numberShown(0.1)).toBe(0.1);
	});
});

describe('kept fields are text from outside too', () => {
	it('the card list: serviceName, cardApplyNo, expiryDate, bankInfo.bankName', () => {
		const [card] = cardListOutput(
			answer(
				`{"response":{"code":"000_000"},"cardDataInfo":[{"serviceName":"gift ${CARD}","cardApplyNo":"${CARD}","expiryDate":"9491-3394-0125-0765","bankInfo":{"bankName":"KB ${CARD}"}}]}`,
			),
			'1',
			MASKED,
		);
		noCard(card);
		expect(card.serviceName).toBe('gift ************0765');
	});

	it('a transaction: merchantName, nrNumber, approvalCode', () => {
		const row = transactionOutput(
			{
				merchantName: `shop ${CARD}`,
				nrNumber: CARD,
				approvalCode: '9491 3394 0125 0765',
				trAmount: 1000,
			},
			'KST',
		);
		noCard(row);
		expect(row.trAmount).toBe(1000);
	});

	it('a PAR of its documented form is whole; one holding a card number is not', () => {
		const par = 'Q1J4AWSWD4DX6Q1DTO0MB21XDAV';
		const list = (value: string) =>
			cardListOutput(
				answer(`{"response":{"code":"000_000"},"cardDataInfo":[{"par":"${value}"}]}`),
				'1',
				MASKED,
			)[0].par;
		expect(list(par)).toBe(par);
		expect(list('Q1J93001EDBB413AB7080785567')).toBe('Q1J93001EDBB413AB7080785567');
		noCard(list(`Q1J${CARD}ABCDEFGH`));
		noCard(list(`Q1J-${CARD}`));
	});
});

describe('name fields by their key, at any depth', () => {
	const NAME = '홍길동';
	it.each([
		['beside the known fields', { holderName: NAME }],
		['one level deeper', { customer: { name: NAME } }],
		['several levels deeper', { x: { y: { payeeNm: NAME } } }],
		['under a name key, in an object', { customer: { contact: { first: NAME } } }],
		['under a name key, in a list', { payeeNm: [NAME, { alias: NAME }] }],
		['in a list of objects', { rows: [{ senderName: NAME }] }],
	])('%s: masked in a read and in an error quote', (_l, fields) => {
		const card = cardInfoOutput(
			answer(JSON.stringify({ response: { code: '000_000' }, ...fields })),
			CARD,
			MASKED,
		);
		expect(JSON.stringify(card)).not.toContain(NAME);
		expect(JSON.stringify(redactForPreview(fields))).not.toContain(NAME);
	});
});

describe('a Reference that looks like a card number', () => {
	it.each([
		[CARD, '************0765'],
		['order-9491-3394-0125-0765', 'order-************0765'],
		['pay ⁹⁴⁹¹³³⁹⁴⁰¹²⁵⁰⁷⁶⁵', 'pay ************0765'],
		['payout-2026-12-0001', 'payout-2026-12-0001'],
		['order-1234567890', 'order-1234567890'],
	])('%j is shown as %j', (reference, shown) => expect(shownReference(reference)).toBe(shown));
});
