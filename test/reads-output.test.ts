import {
	bankAccountOutput,
	cardInfoOutput,
	cardListOutput,
	parseBankAccount,
	parseCardList,
} from '../nodes/Konaplate/wire/reads';
import {
	hideDigitRuns,
	MAX_DEPTH,
	maskLast4,
	maskName,
	redactForPreview,
	unknownValue,
} from '../nodes/Konaplate/wire/redact';
import { snippet } from '../nodes/Konaplate/wire/response';
import type { KonaplateBody } from '../nodes/Konaplate/wire/response';
import type { Result } from '../nodes/Konaplate/wire/result';

const OK = { code: '000_000', description: 'Success' };
const body = (fields: Record<string, unknown>): KonaplateBody => ({ response: OK, ...fields });
/** Why an answer cannot be read, if it cannot. */
const problem = (parsed: Result<unknown>) => (parsed.ok ? undefined : parsed.reason);
const cardListProblem = (answer: KonaplateBody) => problem(parseCardList(answer));
const bankAccountProblem = (answer: KonaplateBody) => problem(parseBankAccount(answer));
const MASKED = { fullCardNumbers: false };
const FULL = { fullCardNumbers: true };

/** A card as working client code types it, every documented field present. */
const CARD = {
	par: 'Q1J4AWSWD4DX6Q1DTO0MB21XDAV',
	mobileCardNo: '9491339401250765',
	physicalCardNo: '9491339412000027',
	mobileCardStatus: 'ACTIVE',
	physicalCardStatus: 'INACTIVE',
	balance: 50_000,
	pendingAmount: 1_000,
	isNamed: true,
	limits: { day: 1_000_000, once: 500_000, month: 5_000_000 },
	serviceId: 'SVC000000000001',
	serviceName: 'KONA Gift',
	expiryDate: '3012',
	cardApplyNo: '2022110812081400000001',
	rechargeable: true,
	remittable: false,
	refundable: true,
	bankInfo: { bankName: 'KB', accountNo: '12345678901234' },
	cardPointInfo: [{ pointName: 'KONA Point', remainingPoint: 300 }],
};

describe('masks', () => {
	it.each([
		['12345678901234', '**********1234'],
		['1234', '****'],
		['', ''],
		['010-1234-5678', '*********5678'],
	])('maskLast4(%j) = %j', (value, expected) => expect(maskLast4(value)).toBe(expected));

	it.each([
		['홍길동', '홍*동'],
		['남궁민수', '남**수'],
		['김구', '김*'],
		['J', '*'],
		['John Smith', 'J********h'],
		['', ''],
	])('maskName(%j) = %j', (value, expected) => expect(maskName(value)).toBe(expected));
});

describe('Card > Get Many output', () => {
	it('masks card and account numbers, keeps every other documented field, adds the member id', () => {
		expect(cardListOutput(body({ cardDataInfo: [CARD] }), '50000104652', MASKED)).toEqual([
			{
				...CARD,
				// Issue 29: kept text passes the digit-run defence too
				serviceId: 'SVC********0001',
				cardApplyNo: '******************0001',
				mobileCardNo: '949133******0765',
				physicalCardNo: '949133******0027',
				bankInfo: { bankName: 'KB', accountNo: '**********1234' },
				userId: '50000104652',
			},
		]);
	});

	it('with full card numbers: the card numbers whole, the account still masked', () => {
		const [card] = cardListOutput(body({ cardDataInfo: [CARD] }), '1', FULL);
		expect([card.mobileCardNo, card.physicalCardNo, card.bankInfo]).toEqual([
			CARD.mobileCardNo,
			CARD.physicalCardNo,
			{ bankName: 'KB', accountNo: '**********1234' },
		]);
	});

	it('drops fields beside the list; no list (absent or null) is no card', () => {
		expect(cardListOutput(body({ cardDataInfo: [{ balance: 1 }], total: 1 }), '7', MASKED)).toEqual(
			[{ balance: 1, userId: '7' }],
		);
		expect(cardListOutput(body({}), '7', MASKED)).toEqual([]);
		expect(cardListOutput(body({ cardDataInfo: null }), '7', MASKED)).toEqual([]);
		expect(cardListProblem(body({}))).toBeUndefined();
		expect(cardListProblem(body({ cardDataInfo: [] }))).toBeUndefined();
	});

	it.each([
		[{ cardDataInfo: {} }, 'cardDataInfo as an object'],
		[{ cardDataInfo: 'none' }, 'cardDataInfo as a string'],
		[{ cardDataInfo: [CARD, null] }, 'card 1 of cardDataInfo as null'],
		[{ cardDataInfo: [[CARD]] }, 'card 0 of cardDataInfo as a list'],
	])('refuses an unreadable list: %j', (fields, reason) => {
		expect(cardListProblem(body(fields))).toContain(reason);
	});

	it('a card number in a field of the wrong type is still hidden', () => {
		const [card] = cardListOutput(
			body({
				cardDataInfo: [
					{ mobileCardNo: Number('9491339401250765'), physicalCardNo: { no: '9491339401250765' } },
				],
			}),
			'1',
			MASKED,
		);
		// A rounded number is another card's number, and a card number in an object is no text to mask
		expect(card).toEqual({
			mobileCardNo: '(hidden: a number too large to be exact)',
			physicalCardNo: '(hidden: an object where a text was expected)',
			userId: '1',
		});
	});
});

describe('Card > Get output', () => {
	const INFO = {
		userId: '1234567890123456789',
		balance: 30_000,
		cardStatus: 'ACTIVE',
		serviceId: 'SVC000000000001',
		serviceName: 'KONA Gift',
		ownerKa: 'AFF-1',
		cashReceiptInfo: { idNo: '01012345678', manYn: 'Y', approvalDiv: '0' },
		isAutoRechargeBeforePayment: false,
	};

	it('keeps the member id exact, masks the identifier and the card number asked about', () => {
		expect(cardInfoOutput(body(INFO), '9491339401250765', MASKED)).toEqual({
			...INFO,
			// Issue 29: kept text passes the digit-run defence too (a product id of 12 digits)
			serviceId: 'SVC********0001',
			cashReceiptInfo: { idNo: '*******5678', manYn: 'Y', approvalDiv: '0' },
			cardNo: '949133******0765',
		});
	});

	it('with full card numbers, the card number whole; a card number in the answer follows the same rule', () => {
		expect(cardInfoOutput(body({ cardNo: '9491339401250773' }), '9491339401250765', FULL)).toEqual({
			cardNo: '9491339401250765',
		});
		expect(cardInfoOutput(body({}), '9491339401250765', MASKED)).toEqual({
			cardNo: '949133******0765',
		});
	});

	it('a card mapped to no member has no userId; a userId that is a safe number becomes its digits', () => {
		expect('userId' in cardInfoOutput(body({ balance: 1 }), '9491339401250765', MASKED)).toBe(
			false,
		);
		expect(cardInfoOutput(body({ userId: 42 }), '9491339401250765', MASKED).userId).toBe('42');
	});

	it('ownerKa (meaning undocumented) gets the unknown-field defence', () => {
		expect(
			cardInfoOutput(body({ ownerKa: 'KA 9491339401250765' }), '9491339401250765', FULL).ownerKa,
		).toBe('KA ************0765');
	});
});

describe('Bank Account > Get output', () => {
	it('masks the holder name and the account number; the member id is the one asked about', () => {
		const answer = body({
			userId: '50000104652',
			accountInfo: {
				accountId: 'A0001',
				userName: '홍길동',
				bankCode: '004',
				bankName: 'KB',
				bankAccount: '12345678901234',
			},
		});
		expect(bankAccountProblem(answer)).toBeUndefined();
		expect(bankAccountOutput(answer, '50000104652')).toEqual({
			userId: '50000104652',
			accountInfo: {
				accountId: 'A0001',
				userName: '홍*동',
				bankCode: '004',
				bankName: 'KB',
				bankAccount: '**********1234',
			},
		});
	});

	it('accountInfo null passes as null; absent or of another type is unreadable', () => {
		expect(bankAccountProblem(body({ accountInfo: null }))).toBeUndefined();
		expect(bankAccountOutput(body({ accountInfo: null }), '1')).toEqual({
			accountInfo: null,
			userId: '1',
		});
		expect(bankAccountProblem(body({}))).toContain('accountInfo as nothing');
		expect(bankAccountProblem(body({ accountInfo: ['x'] }))).toContain('accountInfo as a list');
	});
});

describe('the unknown-field defence', () => {
	it.each([
		['9491339401250765', '************0765'],
		['card 9491 3394 0125 0765 here', 'card ************0765 here'],
		['acct 110-022-334455', 'acct ********4455'],
		['123456789', '123456789'],
		['2024-01-01', '2024-01-01'],
		[Number('9491339401250765'), '************0764'],
		[999_999_999_999, 999_999_999_999],
		[1.5, 1.5],
		[true, true],
		[null, null],
		[Number.NaN, null],
		[{ '9491339401250765': 1 }, { '************0765': 1 }],
		[[{ note: 'x 12345678901 y' }], [{ note: 'x *******8901 y' }]],
	])('%j -> %j', (value, expected) => {
		expect(unknownValue(value)).toEqual(expected);
	});

	it('drops what is nested too deeply instead of walking it', () => {
		let deep: unknown = '9491339401250765';
		for (let i = 0; i < 100_000; i++) deep = [deep];
		const shown = JSON.stringify(unknownValue(deep));
		expect(shown).toContain(`dropped: nested more than ${MAX_DEPTH} levels deep`);
		expect(shown).not.toContain('9491339401250765');
	});

	it('unknown fields of a card and inside known objects pass through it', () => {
		const [card] = cardListOutput(
			body({
				cardDataInfo: [
					{
						virtualCardNo: '9491339401250765',
						bankInfo: { accountNo: '1234567890', holderRrn: '8001011234567' },
					},
				],
			}),
			'1',
			FULL,
		);
		expect(card).toEqual({
			virtualCardNo: '************0765',
			// Issue 29: masked by its key (holder…) at any depth, over the digit-run defence
			bankInfo: { accountNo: '******7890', holderRrn: '************7' },
			userId: '1',
		});
	});

	it('a __proto__ key stays a key', () => {
		const card = JSON.parse('{"__proto__":{"mobileCardNo":"9491339401250765"}}') as Record<
			string,
			unknown
		>;
		const [shown] = cardListOutput(body({ cardDataInfo: [card] }), '1', FULL);
		expect(Object.getPrototypeOf(shown)).toBe(Object.prototype);
		expect(JSON.stringify(shown)).toBe(
			'{"__proto__":{"mobileCardNo":"************0765"},"userId":"1"}',
		);
	});
});

describe('what an error may quote of an answer', () => {
	it('masks the values of every field the reads mask, card numbers always, at any depth', () => {
		expect(
			redactForPreview({
				cardDataInfo: [{ mobileCardNo: '9491339401250765', balance: 1 }],
				accountInfo: { userName: '홍길동', bankAccount: '12345678901234' },
				cashReceiptInfo: { idNo: '01012345678' },
				amount: 100,
			}),
		).toEqual({
			cardDataInfo: [{ mobileCardNo: '949133******0765', balance: 1 }],
			accountInfo: { userName: '홍*동', bankAccount: '**********1234' },
			cashReceiptInfo: { idNo: '*******5678' },
			amount: 100,
		});
	});

	it('drops what is nested too deeply, so no name deep inside survives', () => {
		let deep: unknown = { userName: '김코나' };
		for (let i = 0; i < 100_000; i++) deep = [deep];
		expect(JSON.stringify(redactForPreview(deep))).not.toContain('김코나');
		expect(JSON.stringify(redactForPreview(deep))).toContain('dropped: nested more than');
	});

	it.each([
		['card 9491339401250765 refused', 'card ************0765 refused'],
		['9491-3394-0125-0765', '************0765'],
		['two 9491339401250765 9491339401250773', 'two ****************************0773'],
		['the amount 12345678901234567000', 'the amount ****************7000'],
		['phone 010-1234-5678', 'phone *******5678'],
		['code 005_018, 12 items', 'code 005_018, 12 items'],
	])('a snippet hides runs of 10 to 19 digits: %j', (text, expected) => {
		expect(snippet(text)).toBe(expected);
	});

	it('hides before it cuts, so no 12-digit head of a card number survives at the cut', () => {
		const text = `${'x'.repeat(190)}9491339401250765`;
		expect(snippet(text)).toBe(`${'x'.repeat(190)}**********…`);
		expect(hideDigitRuns('12345678901234567890')).toBe('****************7890');
	});
});

describe('answer text that did not parse', () => {
	it.each([
		['{"userName":"김코나","x":1', '{"userName":"김*나","x":1'],
		[
			'{"accountInfo":{"bankAccount" : "11002233445566"',
			'{"accountInfo":{"bankAccount" : "**********5566"',
		],
		['{"idNo":"010\\"1234"}', '{"idNo":"*****1234"}'],
		[
			'{"mobileCardNo":"9491339401250765","par":"Q1J"',
			'{"mobileCardNo":"949133******0765","par":"Q1J"',
		],
		['{"serviceName":"홍길동"}', '{"serviceName":"홍길동"}'],
	])('%s -> %s', (text, expected) => {
		expect(snippet(text)).toBe(expected);
	});
});
