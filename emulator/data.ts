import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import emulatorCredentials from './credential.json';
import type { Card, CardStatus, Member, Product } from './types';

/*
 * The emulator's built-in project and test data, modelled on the test data of the two
 * endpoint pages: one member per scenario card, so every documented code can be reached.
 */

/** The emulator's project keys, in n8n's credential export format so a real n8n can import them too. */
export const EMULATOR_CREDENTIAL_FILE = emulatorCredentials;
const [emulator] = emulatorCredentials;

/** The emulator's credential, pointed at a running emulator (its base URL: it listens on a port of its own). */
export function emulatorCredential(
	emulator: { baseUrl: string },
	overrides: IDataObject = {},
): ICredentialDataDecryptedObject {
	return { ...EMULATOR_CREDENTIAL_FILE[0].data, baseUrl: emulator.baseUrl, ...overrides };
}

export const EMULATOR_CREDENTIAL = {
	aspId: emulator.data.aspId,
	accessKey: emulator.data.accessKey,
	secretKey: emulator.data.secretKey,
};

export const OUR_AFFILIATE = 'AFF-EMULATOR';

export const PRODUCTS: Record<string, Product> = {
	standard: { owner: OUR_AFFILIATE, allowsCollection: true, balanceLimit: 2_000_000 },
	noCollection: { owner: OUR_AFFILIATE, allowsCollection: false, balanceLimit: 2_000_000 },
	otherOwner: { owner: 'AFF-SOMEONE-ELSE', allowsCollection: true, balanceLimit: 2_000_000 },
	ownerless: { owner: null, allowsCollection: true, balanceLimit: 2_000_000 },
	usagePercentage: {
		owner: OUR_AFFILIATE,
		allowsCollection: true,
		badUsagePercentage: true,
		balanceLimit: 2_000_000,
	},
	failing: {
		owner: OUR_AFFILIATE,
		allowsCollection: true,
		failsTransfer: true,
		balanceLimit: 2_000_000,
	},
	/** Room for benchmark runs of many thousand transfers. */
	roomy: { owner: OUR_AFFILIATE, allowsCollection: true, balanceLimit: 999_999_999_999 },
};

export const MEMBER = '50000104652';
/** A member whose cards a Get Many -> Filter -> Transfer chain merges into the main card. */
export const MERGE_MEMBER = '50000200001';
/** A member with no registered bank account and no card. */
export const NO_ACCOUNT_MEMBER = '50000200019';
/** 19 digits, beyond 2^53: a rounded id lands on no member. */
export const LONG_MEMBER = '1234567890123456789';

export const CARDS = {
	main: '9491339401250765',
	second: '9491339401250773',
	empty: '9491339401250781',
	nearlyFull: '9491339401250799',
	inactive: '9491339401250807',
	expired: '9491339401250815',
	noCollection: '9491339401250823',
	otherOwner: '9491339401250831',
	ownerless: '9491339401250849',
	failing: '9491339401250856',
	usagePercentage: '9491339401250864',
	suspended: '9491339401250872',
	longMemberMain: '9491339401251001',
	longMemberSecond: '9491339401251019',
	benchFrom: '9491339401259998',
	benchTo: '9491339401259999',
	mergeMain: '9491339402000001',
	mergeGift: '9491339402000019',
	mergePlastic: '9491339402000027',
	mergeEmpty: '9491339402000035',
	mergeInactive: '9491339402000043',
	mergeDebit: '9491339402000050',
	unmapped: '9491339402000068',
} as const;

/** The plastic card of CARDS.mergePlastic: a second full card number of the same card. */
/** The transfer examples and tests start from: the member's main card to their second card. */
export const MAIN_TO_SECOND = {
	userId: MEMBER,
	fromCardNo: CARDS.main,
	toCardNo: CARDS.second,
} as const;

export const PHYSICAL_CARD_NO = '9491339412000027';
export const MERGE_DEBIT_ACCOUNT = '98765432109876';
export const MERGE_MEMBER_ACCOUNT = '11002233445566';
export const MERGE_MEMBER_NAME = '김코나';
export const MERGE_MEMBER_CASH_RECEIPT_ID = '01098765432';

export function initialMembers(): Map<string, Member> {
	const members: Member[] = [
		...[MEMBER, LONG_MEMBER].map((userId) => ({
			userId,
			bankAccount: { bankCode: '004', accountNo: '12345678901234' },
			name: '홍길동',
			cashReceiptId: '01012345678',
		})),
		{
			userId: MERGE_MEMBER,
			bankAccount: { bankCode: '088', accountNo: MERGE_MEMBER_ACCOUNT },
			name: MERGE_MEMBER_NAME,
			cashReceiptId: MERGE_MEMBER_CASH_RECEIPT_ID,
		},
		{ userId: NO_ACCOUNT_MEMBER, bankAccount: null, name: '이없음' },
	];
	return new Map(members.map((member) => [member.userId, member]));
}

export function initialCards(): Map<string, Card> {
	const card = (
		cardNo: string,
		balance: number,
		status: CardStatus = 'ACTIVE',
		product: string = 'standard',
		userId: string | null = MEMBER,
	): Card => ({
		cardNo,
		userId,
		status,
		product,
		balance,
	});
	return new Map(
		[
			card(CARDS.main, 50_000),
			card(CARDS.second, 10_000),
			card(CARDS.empty, 0),
			card(CARDS.nearlyFull, 1_990_000),
			card(CARDS.inactive, 5_000, 'INACTIVE'),
			card(CARDS.expired, 5_000, 'EXPIRED'),
			card(CARDS.noCollection, 5_000, 'ACTIVE', 'noCollection'),
			card(CARDS.otherOwner, 5_000, 'ACTIVE', 'otherOwner'),
			card(CARDS.ownerless, 5_000, 'ACTIVE', 'ownerless'),
			card(CARDS.failing, 5_000, 'ACTIVE', 'failing'),
			card(CARDS.usagePercentage, 5_000, 'ACTIVE', 'usagePercentage'),
			card(CARDS.suspended, 5_000, 'SUSPENDED'),
			card(CARDS.longMemberMain, 30_000, 'ACTIVE', 'standard', LONG_MEMBER),
			card(CARDS.longMemberSecond, 0, 'ACTIVE', 'standard', LONG_MEMBER),
			card(CARDS.benchFrom, 100_000_000_000, 'ACTIVE', 'roomy'),
			card(CARDS.benchTo, 0, 'ACTIVE', 'roomy'),
			card(CARDS.mergeMain, 10_000, 'ACTIVE', 'standard', MERGE_MEMBER),
			card(CARDS.mergeGift, 3_000, 'ACTIVE', 'standard', MERGE_MEMBER),
			{
				...card(CARDS.mergePlastic, 2_500, 'ACTIVE', 'standard', MERGE_MEMBER),
				physicalCardNo: PHYSICAL_CARD_NO,
			},
			card(CARDS.mergeEmpty, 0, 'ACTIVE', 'standard', MERGE_MEMBER),
			card(CARDS.mergeInactive, 4_000, 'INACTIVE', 'standard', MERGE_MEMBER),
			{
				...card(CARDS.mergeDebit, 1_500, 'ACTIVE', 'standard', MERGE_MEMBER),
				debit: {
					bankName: 'KB Kookmin Bank',
					bankCode: '004',
					accountNo: MERGE_DEBIT_ACCOUNT,
					limits: { day: 1_000_000, once: 500_000, month: 5_000_000 },
				},
			},
			card(CARDS.unmapped, 7_000, 'ACTIVE', 'standard', null),
		].map((entry) => [entry.cardNo, entry]),
	);
}
