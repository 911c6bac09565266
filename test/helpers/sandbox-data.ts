import emulatorCredentials from '../fixtures/emulator-credential.json';

/*
 * The emulator's built-in project and test data, modelled on the test data of the two
 * endpoint pages: one member per scenario card, so every documented code can be reached.
 */

/** The emulator's project keys, in n8n's credential export format so a real n8n can import them too. */
export const EMULATOR_CREDENTIAL_FILE = emulatorCredentials;
const [emulator] = emulatorCredentials;

export const EMULATOR_CREDENTIAL = {
	aspId: emulator.data.aspId,
	accessKey: emulator.data.accessKey,
	secretKey: emulator.data.secretKey,
};

export const OUR_AFFILIATE = 'AFF-EMULATOR';

export interface Product {
	owner: string | null;
	allowsCollection: boolean;
	/** Konaplate lists "Invalid balance usage percentage." without a code. */
	badUsagePercentage?: boolean;
	/** The transfer itself fails on Konaplate's side (017_002). */
	failsTransfer?: boolean;
	balanceLimit: number;
}

export const PRODUCTS: Record<string, Product> = {
	standard: { owner: OUR_AFFILIATE, allowsCollection: true, balanceLimit: 2_000_000 },
	noCollection: { owner: OUR_AFFILIATE, allowsCollection: false, balanceLimit: 2_000_000 },
	otherOwner: { owner: 'AFF-SOMEONE-ELSE', allowsCollection: true, balanceLimit: 2_000_000 },
	ownerless: { owner: null, allowsCollection: true, balanceLimit: 2_000_000 },
	usagePercentage: { owner: OUR_AFFILIATE, allowsCollection: true, badUsagePercentage: true, balanceLimit: 2_000_000 },
	failing: { owner: OUR_AFFILIATE, allowsCollection: true, failsTransfer: true, balanceLimit: 2_000_000 },
	/** Room for benchmark runs of many thousand transfers. */
	roomy: { owner: OUR_AFFILIATE, allowsCollection: true, balanceLimit: 999_999_999_999 },
};

export type CardStatus = 'ACTIVE' | 'INACTIVE' | 'EXPIRED' | 'SUSPENDED';

export interface Card {
	cardNo: string;
	userId: string;
	status: CardStatus;
	product: keyof typeof PRODUCTS;
	balance: number;
}

export interface Member {
	userId: string;
	bankAccount: { bankCode: string; accountNo: string } | null;
}

export const MEMBER = '50000104652';
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
} as const;

export function initialMembers(): Map<string, Member> {
	return new Map(
		[MEMBER, LONG_MEMBER].map((userId) => [userId, { userId, bankAccount: { bankCode: '004', accountNo: '12345678901234' } }]),
	);
}

export function initialCards(): Map<string, Card> {
	const card = (cardNo: string, balance: number, status: CardStatus = 'ACTIVE', product: keyof typeof PRODUCTS = 'standard', userId: string = MEMBER): Card => ({
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
		].map((entry) => [entry.cardNo, entry]),
	);
}
