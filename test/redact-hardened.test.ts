import { cardInfoOutput, cardListOutput } from '../nodes/Konaplate/wire/reads';
import { hideDigitRuns, redactForPreview, unknownValue } from '../nodes/Konaplate/wire/redact';
import { parseJson, preview, snippet } from '../nodes/Konaplate/wire/response';
import type { KonaplateBody } from '../nodes/Konaplate/wire/response';
import { transactionOutput } from '../nodes/Konaplate/wire/history';

/**
 * Issue 19's item 5: the defence that keeps card and account numbers out of the reads' outputs
 * and errors, tried with the classes of hostile answers it let through before.
 */
const CARD = '9491339401250765';
const MASKED = { fullCardNumbers: false };
const FULL = { fullCardNumbers: true };
/** An answer as the transport reads it: numbers exact where JavaScript would round them. */
const answer = (text: string) => {
	const parsed = parseJson(text);
	if (!parsed.ok) throw new Error(parsed.reason);
	return parsed.value as KonaplateBody;
};
const noCard = (value: unknown) =>
	expect(JSON.stringify(value).replace(/[^0-9０-９]/g, '')).not.toContain('33940125');

describe('a card number written with other separators or other digits', () => {
	it.each([
		['dots', '9491.3394.0125.0765'],
		['slashes', '9491/3394/0125/0765'],
		['several spaces', '9491   3394   0125   0765'],
		['non-breaking spaces', '9491\u00a03394\u00a00125\u00a00765'],
		['narrow and ideographic spaces', '9491\u202f3394\u30000125\u20090765'],
		['underscores and a dash', '9491_3394_0125–0765'],
		['mixed, two at a time', '9491 . 3394 / 0125 - 0765'],
		['full-width digits', '９４９１３３９４０１２５０７６５'],
		['full-width with full-width spaces', '９４９１\u3000３３９４\u3000０１２５\u3000０７６５'],
		['Arabic-Indic digits', '٩٤٩١٣٣٩٤٠١٢٥٠٧٦٥'],
	])('%s: hidden to its last 4 in an unknown field and in an error quote', (_label, written) => {
		const shown = unknownValue(`card ${written} ok`);
		expect(String(shown)).toMatch(/^card \*{12}\S{4} ok$/);
		noCard(shown);
		noCard(snippet(`{"memo":"${written}"}`));
	});

	it('short numbers, dates and amounts stay readable', () => {
		expect(hideDigitRuns('005_018, 12 items, 2026-12-01 at 10:30, 1,000 KRW')).toBe(
			'005_018, 12 items, 2026-12-01 at 10:30, 1,000 KRW',
		);
	});
});

describe('a known sensitive field in another shape', () => {
	it.each([
		[
			'a list of its groups',
			['9491', '3394', '0125', '0765'],
			'(hidden: a list where a text was expected)',
		],
		[
			'an object',
			{ first: '949133', last: '9401250765' },
			'(hidden: an object where a text was expected)',
		],
		['a list of one', [CARD], '(hidden: a list where a text was expected)'],
	])(
		'a card number as %s is hidden whole, even with Show Full Card Numbers',
		(_label, value, hidden) => {
			for (const options of [MASKED, FULL]) {
				const [card] = cardListOutput(
					{ response: { code: '000_000' }, cardDataInfo: [{ mobileCardNo: value }] },
					'1',
					options,
				);
				expect(card.mobileCardNo).toBe(hidden);
			}
		},
	);

	it('an account number, an identifier and a name as lists are hidden whole', () => {
		const shown = cardInfoOutput(
			{
				response: { code: '000_000' },
				cashReceiptInfo: { idNo: ['010', '1234', '5678'] },
			},
			CARD,
			MASKED,
		);
		expect(shown.cashReceiptInfo).toEqual({ idNo: '(hidden: a list where a text was expected)' });
		const quoted = redactForPreview({
			accountInfo: { userName: ['홍', '길', '동'] },
			accountNo: { n: CARD },
		});
		expect(JSON.stringify(quoted)).not.toMatch(/홍|길|동|33940125/);
	});
});

describe('a name in a field the node does not know', () => {
	it.each([
		['holderName', 'Kim Minsu', 'K*******u'],
		['custNm', '홍길동', '홍*동'],
		['payeeName', 'HONG GILDONG', 'H**********G'],
		['senderInfo', { receiverName: 'Lee Jiwon' }, { receiverName: 'L*******n' }],
		['memo', '김코나', '김*나'],
		['note', 'Park Seoyeon', 'P**********n'],
	])('%s is masked like userName', (key, value, masked) => {
		const shown = transactionOutput({ [key]: value }, 'P'.repeat(27), 'KST');
		expect(shown[key]).toEqual(masked);
	});

	it('names the node knows not to be a person’s stay: merchant, product, bank, point', () => {
		const shown = transactionOutput({ merchantName: 'Kona Coffee Shop' }, 'P'.repeat(27), 'KST');
		expect(shown.merchantName).toBe('Kona Coffee Shop');
	});

	it('an error quote masks a name field too', () => {
		expect(preview({ response: { code: 'x' }, holderName: 'Kim Minsu' })).toContain('K*******u');
	});
});

describe('a card number glued to more digits in an error quote', () => {
	it.each([
		['one digit more', `${CARD}1`],
		['four digits more', `${CARD}1234`],
		['a timestamp before', `20261201123000${CARD}`],
		['two cards glued', `${CARD}9491339401250773`],
	])('%s: the whole run is cut to its last 4', (_label, run) => {
		const text = `{"response":{"code":"999_999","description":"bad card ${run}"},"x":"${run}"}`;
		noCard(snippet(text));
		expect(snippet(text)).toContain(`*${run.slice(-4)}`);
	});
});

describe('a card number sent as a JSON number above 2^53', () => {
	const body = answer(
		`{"response":{"code":"000_000"},"cardDataInfo":[{"mobileCardNo":${CARD},"balance":${CARD},"extra":${CARD}}]}`,
	);

	it('comes out exact with Show Full Card Numbers, never rounded into another number', () => {
		const [card] = cardListOutput(body, '1', FULL);
		expect(card.mobileCardNo).toBe(CARD);
		// JavaScript's number for it is another card's
		expect(String(Number(CARD))).not.toBe(CARD);
	});

	it('is masked without it; in a kept or unknown field it gets the defence', () => {
		const [card] = cardListOutput(body, '1', MASKED);
		expect(card).toMatchObject({
			mobileCardNo: '949133******0765',
			balance: '************0765',
			extra: '************0765',
		});
	});

	it('a number too large to be exact that is no integer literal is hidden, not shown rounded', () => {
		const [card] = cardListOutput(
			answer(
				`{"response":{"code":"000_000"},"cardDataInfo":[{"mobileCardNo":9.491339401250765e15}]}`,
			),
			'1',
			FULL,
		);
		expect(card.mobileCardNo).toBe('(hidden: a number too large to be exact)');
	});

	it('written into an error by mistake, it shows its last 4 only', () => {
		noCard(JSON.stringify(body));
		noCard(preview(body));
	});
});

describe('a transaction', () => {
	it('approval time as ISO 8601 in the credential’s zone; an impossible time gets the defence', () => {
		const kst = transactionOutput({ approvalDateTime: '20261201235959' }, 'P'.repeat(27), 'KST');
		expect(kst.approvalDateTime).toBe('2026-12-01T23:59:59+09:00');
		const utc = transactionOutput({ approvalDateTime: '20261201235959' }, 'P'.repeat(27), 'UTC');
		expect(utc.approvalDateTime).toBe('2026-12-01T23:59:59+00:00');
		const bad = transactionOutput({ approvalDateTime: '20261301250000' }, 'P'.repeat(27), 'KST');
		expect(bad.approvalDateTime).toBe('**********0000');
	});
});
