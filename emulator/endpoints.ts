import { cardNoOf, amountOf, userIdOf } from './checks';
import { OUR_AFFILIATE, PRODUCTS } from './data';
import { recordTransfer, transactionHistory } from './history';
import { cardApplyNoOf, digest, parOf, serviceIdOf } from './ids';
import type { ExactJson } from './exact-json';
import { envelope, ExactInteger, failure, Refusal, UNDOCUMENTED_CODES } from './replies';
import type { Card, EmulatorState, Endpoint, Member, Reply } from './types';

/* The eight endpoints in one table (ENDPOINTS, below): what Konaplate answers to a request that
 * passed the checks, on the emulator's members and cards (its state, which a transfer changes). */

function memberOf(state: EmulatorState, userId: string): Member {
	const member = state.members.get(userId);
	if (member === undefined) throw new Refusal(failure('001_006', 'Wallet user not found.'));
	return member;
}

function deleteBankAccount(state: EmulatorState, body: Record<string, ExactJson>): Reply {
	const member = memberOf(state, userIdOf(body));
	member.bankAccount = null;
	return { status: 200, body: envelope('000_000', 'Success') };
}

function inquireBankAccount(state: EmulatorState, body: Record<string, ExactJson>): Reply {
	const member = memberOf(state, userIdOf(body));
	return {
		status: 200,
		body: envelope('000_000', 'Success', {
			userId: Number(member.userId),
			isAutoRcgAccRegAllowed: member.bankAccount !== null,
			accountInfo: member.bankAccount,
		}),
	};
}

/** POST /api/v1/user/card/list: the member's cards, optionally one by PAR or plastic card number. */
function listCards(state: EmulatorState, body: Record<string, ExactJson>): Reply {
	const userId = userIdOf(body);
	memberOf(state, userId);
	let cards = [...state.cards.values()].filter((card) => card.userId === userId);
	const { par, physicalCardNo } = body;
	if (typeof par === 'string') cards = cards.filter((card) => parOf(card.cardNo) === par);
	if (typeof physicalCardNo === 'string')
		cards = cards.filter((card) => card.physicalCardNo === physicalCardNo);
	if ((typeof par === 'string' || typeof physicalCardNo === 'string') && cards.length === 0) {
		throw new Refusal(failure('003_021', 'Cannot find par.'));
	}
	return {
		status: 200,
		body: envelope('000_000', 'Success', { cardDataInfo: cards.map(cardView) }),
	};
}

/** POST /api/v1/user/card/info: one card by its mobile or plastic number, and the member it is mapped to. */
function cardInfo(state: EmulatorState, body: Record<string, ExactJson>): Reply {
	const cardNo = cardNoOf(body, 'cardNo');
	const card = [...state.cards.values()].find(
		(entry) => entry.cardNo === cardNo || entry.physicalCardNo === cardNo,
	);
	if (card === undefined) throw new Refusal(failure('003_021', 'Cannot find par.'));
	const member = card.userId === null ? undefined : state.members.get(card.userId);
	const product = PRODUCTS[card.product];
	return {
		status: 200,
		body: envelope('000_000', 'Success', {
			...(card.userId !== null && { userId: new ExactInteger(card.userId) }),
			balance: card.balance,
			cardStatus: card.status,
			serviceId: serviceIdOf(card.product),
			serviceName: `KONA ${card.product} card`,
			ownerKa: product.owner,
			cashReceiptInfo:
				member?.cashReceiptId === undefined
					? null
					: { idNo: member.cashReceiptId, manYn: 'Y', approvalDiv: '0' },
			isAutoRechargeBeforePayment: false,
		}),
	};
}

/** POST /api/v1/bankaccounts/info: the member's registered account; 007_001 when there is none. */
function bankAccountInfo(state: EmulatorState, body: Record<string, ExactJson>): Reply {
	const member = memberOf(state, userIdOf(body));
	const account = member.bankAccount;
	if (account === null) throw new Refusal(failure('007_001', 'Bank account not found.'));
	return {
		status: 200,
		body: envelope('000_000', 'Success', {
			userId: new ExactInteger(member.userId),
			accountInfo: {
				accountId: digest(`account:${member.userId}`).slice(0, 5).toUpperCase(),
				userName: member.name ?? null,
				bankCode: account.bankCode,
				bankName: BANK_NAMES[account.bankCode] ?? null,
				bankAccount: account.accountNo,
			},
		}),
	};
}

function transferBalance(state: EmulatorState, body: Record<string, ExactJson>): Reply {
	const userId = userIdOf(body);
	const fromCardNo = cardNoOf(body, 'fromCardNo');
	const toCardNo = cardNoOf(body, 'toCardNo');
	const amount = amountOf(body);
	memberOf(state, userId);
	if (fromCardNo === toCardNo)
		throw new Refusal(failure('017_003', 'Value transfer between same card.'));
	const [from, to] = [fromCardNo, toCardNo].map((cardNo) => {
		const card = state.cards.get(cardNo);
		if (card === undefined || card.userId !== userId)
			throw new Refusal(failure('003_001', 'Invalid card info.'));
		return card;
	});
	for (const card of [from, to]) {
		const product = PRODUCTS[card.product];
		if (product.owner === null) throw new Refusal(failure('017_006', 'Owner affiliate not found.'));
		if (product.owner !== OUR_AFFILIATE) {
			throw new Refusal(failure('017_004', 'Input affiliateId is not same as owner affiliateId.'));
		}
		if (!product.allowsCollection)
			throw new Refusal(failure('017_005', 'Product is not allowed collection.'));
		if (card.status === 'EXPIRED')
			throw new Refusal(failure('005_005', 'Gift card is over expiration date.'));
		// INACTIVE and SUSPENDED: the page requires ACTIVE cards, and 005_004 is the code the
		// sibling "Transfer to Card" page documents for a card that is not active
		if (card.status !== 'ACTIVE')
			throw new Refusal(failure('005_004', 'Gift card status is not active.'));
		if (product.badUsagePercentage) {
			throw new Refusal(
				failure(UNDOCUMENTED_CODES.usagePercentage, 'Invalid balance usage percentage.'),
			);
		}
	}
	if (from.balance === 0)
		throw new Refusal(failure('005_017', 'Possible collection balance is zero.'));
	const moved = amount === 0 ? from.balance : amount;
	if (moved > from.balance)
		throw new Refusal(failure('005_018', 'There is not enough balance to transfer.'));
	if (to.balance + moved > PRODUCTS[to.product].balanceLimit)
		throw new Refusal(failure('017_001', 'Balance is over the max.'));
	if (PRODUCTS[from.product].failsTransfer)
		throw new Refusal(failure('017_002', 'Failed to balance transfer.'));
	recordTransfer(state, from, to, moved);
	return { status: 200, body: envelope('000_000', 'Success.', { amount: moved }) };
}

/**
 * POST /api/v1/card/status ("Modification of the Card's State"): SUSPEND an ACTIVE card or
 * RESUME a SUSPENDED one, given by PAR token or card number. Documented: the request's fields.
 * The emulator's guesses (the page stores no code table): 003_021 for a card that is not the
 * member's; SUSPEND of a suspended card, or RESUME of an active one, succeeds and changes nothing;
 * any other change from a
 * status that does not allow it is refused with "Card status not allowed." (a message the
 * transfer page names without its code).
 */
function changeCardStatus(state: EmulatorState, body: Record<string, ExactJson>): Reply {
	const userId = userIdOf(body);
	memberOf(state, userId);
	const { par, status } = body;
	const cardNo = typeof par === 'string' ? undefined : cardNoOf(body, 'cardNo');
	const card = [...state.cards.values()].find(
		(entry) =>
			entry.userId === userId &&
			(typeof par === 'string' ? parOf(entry.cardNo) === par : entry.cardNo === cardNo),
	);
	if (card === undefined) throw new Refusal(failure('003_021', 'Cannot find par.'));
	if (status === undefined || status === null)
		throw new Refusal(failure('000_003', 'Missing required values. status'));
	const [from, to] =
		status === 'SUSPEND'
			? ['ACTIVE', 'SUSPENDED']
			: status === 'RESUME'
				? ['SUSPENDED', 'ACTIVE']
				: [];
	if (from === undefined) throw new Refusal(failure('000_002', 'Invalid input parameter. status'));
	if (card.status !== from && card.status !== to)
		throw new Refusal(failure(UNDOCUMENTED_CODES.cardStatus, 'Card status not allowed.'));
	card.status = to as Card['status'];
	return { status: 200, body: envelope('000_000', 'Success') };
}

/**
 * The endpoints by path: each one's answer and what its page marks "Encrypted" (request,
 * answer). The card list is plain on its page but read encrypted too (an encrypted request
 * names its key, so the answer can be encrypted); bankaccounts/info takes an encrypted request
 * and answers plain. A path not here answers 404.
 */
export const ENDPOINTS: Record<string, Endpoint> = {
	'/api/v1/bankaccounts/delete': {
		answer: deleteBankAccount,
		request: 'encrypted',
		encryptedAnswer: true,
	},
	'/api/v1/bankaccounts/inquiry': {
		answer: inquireBankAccount,
		request: 'plain',
		encryptedAnswer: false,
	},
	'/api/v1/transfer/balance': {
		answer: transferBalance,
		request: 'encrypted',
		encryptedAnswer: true,
	},
	'/api/v1/user/card/list': { answer: listCards, request: 'either', encryptedAnswer: true },
	'/api/v1/user/card/info': { answer: cardInfo, request: 'encrypted', encryptedAnswer: true },
	'/api/v1/bankaccounts/info': {
		answer: bankAccountInfo,
		request: 'encrypted',
		encryptedAnswer: false,
	},
	'/api/v1/card/status': { answer: changeCardStatus, request: 'either', encryptedAnswer: true },
	'/api/v1/transaction/card': {
		answer: transactionHistory,
		request: 'either',
		encryptedAnswer: true,
	},
};

const BANK_NAMES: Record<string, string> = { '004': 'KB Kookmin Bank', '088': 'Shinhan Bank' };

/** One card as the card list answers it (the fields of the page and of working client code). */
function cardView(card: Card): Record<string, unknown> {
	return {
		par: parOf(card.cardNo),
		mobileCardNo: card.cardNo,
		...(card.physicalCardNo !== undefined && {
			physicalCardNo: card.physicalCardNo,
			physicalCardStatus: card.status,
		}),
		mobileCardStatus: card.status,
		balance: card.balance,
		pendingAmount: 0,
		isNamed: card.debit !== undefined,
		serviceId: serviceIdOf(card.product),
		serviceName: `KONA ${card.product} card`,
		expiryDate: '20301231',
		cardApplyNo: cardApplyNoOf(card.cardNo),
		rechargeable: true,
		remittable: true,
		refundable: card.debit === undefined,
		...(card.debit !== undefined && {
			limits: card.debit.limits,
			bankInfo: { bankName: card.debit.bankName, accountNo: card.debit.accountNo },
		}),
		cardPointInfo: [{ pointName: 'KONA Point', remainingPoint: 0 }],
	};
}
