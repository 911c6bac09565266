import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { outcomeOf, parameterError, refusalError, setDetails, withWords } from '../../errors';
import type { NodeError } from '../../errors';
import { agentName, runsAsTool, say } from '../../tool/agent';
import { AGENT_ADVICE, AGENT_ANSWER, AGENT_REFUSAL } from '../../tool/sentences';
import { callKonaplate } from '../../transport/request';
import type { Session } from '../../transport/session';
import { ENDPOINT } from '../../wire/endpoints';
import { LIMITS, parseBoolean, parseUserId } from '../../wire/fields';
import { JsonInteger } from '../../wire/json';
import { ENTIRE_BALANCE_AMOUNT, parseReference, REFERENCE_MAX_LENGTH } from '../../wire/ledger';
import type { TransferFields } from '../../wire/ledger';
import { formatWon, parseAmount, parseTransferredAmount } from '../../wire/money';
import { maskCardNo, namedReference, shownReference } from '../../wire/redact';
import { readParameter, userIdField } from '../parameters';
import { cardNoByPar, readCard } from './cardByPar';
import type { CardNamed } from './cardByPar';
import { cardField } from './cardChoices';
import type { OperationEntry, Send } from '../operation';
import type { TransferInput } from './transferGuards';

const userId = userIdField();

const fromCardNo = cardField({
	displayName: 'Card Number to Transfer From',
	name: 'fromCardNo',
	description: `The member's card that gives the balance: chosen from their ACTIVE cards, its ${LIMITS.cardNoDigits}-digit number, or its PAR token (the node finds its number among the member's cards). It must be ACTIVE.`,
	list: 'active',
	byPar: true,
});

const toCardNo = cardField({
	displayName: 'Card Number to Transfer To',
	name: 'toCardNo',
	description: `The member's card that receives the balance: chosen from their ACTIVE cards, its ${LIMITS.cardNoDigits}-digit number, or its PAR token. It must be ACTIVE and differ from the card above.`,
	list: 'active',
	byPar: true,
});

const transferEntireBalance: INodeProperties = {
	displayName: 'Transfer Entire Balance',
	name: 'transferEntireBalance',
	type: 'boolean',
	default: false,
	description: 'Whether to move the whole balance of the card to transfer from, whatever it is',
};

const amount: INodeProperties = {
	displayName: 'Amount (KRW)',
	name: 'amount',
	type: 'number',
	required: true,
	// LIMITS.amountMin, written out (n8n's lint wants a literal): 0 would be refused as a default
	default: 1,
	typeOptions: { minValue: LIMITS.amountMin, maxValue: LIMITS.amountMax, numberPrecision: 0 },
	description: `Whole won to move, ${LIMITS.amountMin} to ${LIMITS.amountMax}. 0 is refused: to move everything, turn on Transfer Entire Balance.`,
	displayOptions: { show: { transferEntireBalance: [false] } },
};

const reference: INodeProperties = {
	displayName: 'Reference',
	name: 'reference',
	type: 'string',
	default: '',
	placeholder: 'payout-2026-11-0571',
	description: `Your own unique ID of this transfer (a payout or order ID, up to ${REFERENCE_MAX_LENGTH} characters), usually an expression. The workflow remembers it, so a re-run, a retry or a repeated call never sends it twice: a transfer already done is output with alreadyTransferred and not sent again. Leave empty for no such protection.`,
};

/** Shown while Reference is empty: what a re-run of the workflow then does. */
const noReferenceNotice: INodeProperties = {
	displayName:
		'Without a Reference, a re-run of this workflow, Retry On Fail or a repeated webhook call sends this transfer again and pays it twice. Give each transfer its own Reference (a payout or order ID) so it is sent at most once.',
	name: 'noReferenceNotice',
	type: 'notice',
	default: '',
	// hidden once Reference holds anything, an expression too (a `show` on '' would show for every expression)
	displayOptions: { hide: { reference: [{ _cnd: { exists: true } }] } },
};

export const operation: OperationEntry = {
	name: 'Transfer Balance',
	value: 'transferBalance',
	action: 'Transfer KRW between two ACTIVE cards of a member',
	description:
		'Move real money, in whole KRW, from one ACTIVE card of a member to another, different ACTIVE card of the same member',
};

export { transferOptions as options } from './transferGuards';

export const description: INodeProperties[] = [
	userId,
	fromCardNo,
	toCardNo,
	transferEntireBalance,
	amount,
	reference,
	noReferenceNotice,
];

/** Konaplate reads an amount of 0 as "the entire balance". */
const ENTIRE_BALANCE = 0;

/** An amount field left at nothing or 0: "no amount", the only one that goes with Transfer Entire Balance. */
const NO_AMOUNT: unknown[] = [undefined, null, '', 0, '0'];

/**
 * Transfer Entire Balance on and an amount given (an agent filling both, or an expression):
 * moving the whole balance could move far more than asked, and moving the amount would ignore
 * the switch. Neither is guessed: the item is refused before anything is sent.
 */
function refuseEntireBalanceWithAmount(ctx: IExecuteFunctions, itemIndex: number, asked: unknown) {
	const node = ctx.getNode();
	const value = typeof asked === 'number' ? `${formatWon(asked)} KRW` : 'given';
	const [switchKey, amountKey] = [
		agentName(node, transferEntireBalance.name),
		agentName(node, amount.name),
	];
	return refusalError(node, {
		code: 'ENTIRE_BALANCE_WITH_AMOUNT',
		itemIndex,
		person: {
			message: `Item ${itemIndex} was not sent: Transfer Entire Balance is on and Amount (KRW) is ${value}, so it is unclear whether to move that amount or the whole balance.`,
			description:
				'Nothing was sent for this item. Turn Transfer Entire Balance off to move exactly the amount, or leave Amount (KRW) empty or 0 to move the whole balance.',
		},
		agent: AGENT_REFUSAL.entireBalanceWithAmount(switchKey, amountKey, value),
	});
}

/** Two different cards, once both are known by number. */
function refuseSameCard(
	ctx: IExecuteFunctions,
	itemIndex: number,
	cards: { fromCardNo: string; toCardNo: string },
) {
	if (cards.fromCardNo !== cards.toCardNo) return;
	throw parameterError(ctx.getNode(), itemIndex, toCardNo, {
		person:
			'is the same card as Card Number to Transfer From: a balance can only move between two different cards',
		agent: AGENT_REFUSAL.sameCard(agentName(ctx.getNode(), fromCardNo.name)),
	});
}

/** The two cards: by number, or by PAR token with the number '' until complete() finds it. */
function cardsOf(
	from: CardNamed,
	to: CardNamed,
): Pick<TransferInput, 'fromCardNo' | 'toCardNo' | 'pars'> {
	const pars = {
		...('par' in from && { fromCardNo: from.par }),
		...('par' in to && { toCardNo: to.par }),
	};
	return {
		fromCardNo: 'cardNo' in from ? from.cardNo : '',
		toCardNo: 'cardNo' in to ? to.cardNo : '',
		...(Object.keys(pars).length > 0 && { pars }),
	};
}

export function read(ctx: IExecuteFunctions, itemIndex: number): TransferInput {
	const member = readParameter(ctx, itemIndex, userId, parseUserId);
	const [from, to] = [fromCardNo, toCardNo].map((field) => readCard(ctx, itemIndex, field));
	const input = {
		userId: member,
		...cardsOf(from, to),
		transferEntireBalance: readParameter(ctx, itemIndex, transferEntireBalance, parseBoolean),
	};
	if (input.pars === undefined) refuseSameCard(ctx, itemIndex, input);
	// On the canvas the switch hides Amount and wins, as it always has; a tool call fills both
	if (input.transferEntireBalance && runsAsTool(ctx.getNode())) {
		const asked: unknown = ctx.getNodeParameter(amount.name, itemIndex, undefined);
		if (!NO_AMOUNT.includes(asked)) throw refuseEntireBalanceWithAmount(ctx, itemIndex, asked);
	}
	const requested = input.transferEntireBalance
		? ENTIRE_BALANCE
		: readParameter(ctx, itemIndex, amount, parseAmount);
	return {
		...input,
		amount: requested,
		reference: readParameter(ctx, itemIndex, reference, parseReference),
	};
}

/** A card named by PAR token gets its number (cardByPar.ts), before the checks and the ledger. */
export async function complete(
	ctx: IExecuteFunctions,
	{ pars, ...input }: TransferInput,
	itemIndex: number,
	session: Session,
): Promise<TransferInput> {
	if (pars === undefined) return input;
	const numberOf = async (field: INodeProperties, par: string | undefined, given: string) =>
		par === undefined
			? given
			: await cardNoByPar(ctx, session, itemIndex, { userId: input.userId, par, field });
	const cards = {
		fromCardNo: await numberOf(fromCardNo, pars.fromCardNo, input.fromCardNo),
		toCardNo: await numberOf(toCardNo, pars.toCardNo, input.toCardNo),
	};
	refuseSameCard(ctx, itemIndex, cards);
	return { ...input, ...cards };
}

export { checkTransfers as checkRun } from './transferGuards';

/** The item's Reference ('' for none) and the transfer it names: the entire balance is an amount of its own. */
export function ledgerItem(input: TransferInput): { reference: string; fields: TransferFields } {
	return {
		reference: input.reference,
		fields: {
			member: input.userId,
			fromCard: input.fromCardNo,
			toCard: input.toCardNo,
			amount: input.transferEntireBalance ? ENTIRE_BALANCE_AMOUNT : String(input.amount),
		},
	};
}

/** The cards of a transfer, masked, as every output shows them. */
type TransferCards = {
	userId: string;
	fromCardNo: string;
	toCardNo: string;
	transferEntireBalance: boolean;
};

/** An item whose reference was transferred in an earlier execution. */
export type AlreadyTransferredOutput = TransferCards & {
	alreadyTransferred: true;
	reference: string;
	requestedAmount?: number;
};

/** A transfer Konaplate confirmed; amount is the won it says moved. */
export type TransferOutput = TransferCards & {
	transferred: true;
	amount: number;
	correlationId: string;
	reference?: string;
};

/** The output of an item whose reference was transferred in an earlier execution: nothing is sent. */
export function alreadyDone(input: TransferInput): AlreadyTransferredOutput {
	return {
		alreadyTransferred: true,
		reference: shownReference(input.reference),
		userId: input.userId,
		fromCardNo: maskCardNo(input.fromCardNo),
		toCardNo: maskCardNo(input.toCardNo),
		transferEntireBalance: input.transferEntireBalance,
		...(!input.transferEntireBalance && { requestedAmount: input.amount }),
	};
}

/**
 * Konaplate confirmed another amount than the one asked: the money moved, so the reference is
 * recorded as transferred, and the item fails for a person to look at.
 */
function amountDiffers(
	ctx: IExecuteFunctions,
	itemIndex: number,
	input: TransferInput,
	result: { value: number; correlationId: string },
) {
	const [asked, moved] = [formatWon(input.amount), formatWon(result.value)];
	const node = ctx.getNode();
	const error = new NodeOperationError(
		node,
		say(node, {
			person: `Item ${itemIndex}: Konaplate confirmed a transfer of ${moved} KRW where ${asked} KRW was asked.`,
			agent: AGENT_ANSWER.amountDiffers(moved, asked, result.correlationId),
		}),
		{
			itemIndex,
			...(!runsAsTool(node) && {
				description: `The money moved${input.reference === '' ? '' : ' and its Reference is recorded as transferred'}: do not send it again. Check both cards' balances (Card > Get) and quote the correlation id ${result.correlationId} to Konaplate support.`,
			}),
		},
	);
	setDetails(error, {
		refusal: 'TRANSFERRED_AMOUNT_DIFFERS',
		requestOutcome: 'transferred',
		correlationId: result.correlationId,
		...(input.reference !== '' && { reference: input.reference }),
	});
	return error;
}

/**
 * A failed transfer with a Reference, made whole: the error names its Reference, and when the
 * outcome is unknown says that the Reference stays marked so.
 */
function withReference(ctx: IExecuteFunctions, error: NodeError, reference: string): NodeError {
	if (reference === '') return error;
	const node = ctx.getNode();
	const stays =
		outcomeOf(error) !== 'unknown'
			? {}
			: runsAsTool(node)
				? { message: AGENT_ADVICE.referenceStaysUnknown(reference) }
				: {
						description: `Its ${namedReference(reference)} stays marked as outcome unknown: a re-run refuses it rather than send it again, until a person settles it with Transfer Reference → Resolve.`,
					};
	const made = withWords(error, stays);
	setDetails(made, { reference });
	return made;
}

export const send: Send<TransferInput, TransferOutput> = async (ctx, input, itemIndex, session) => {
	const result = await transfer(ctx, input, itemIndex, session).catch(
		async (error: NodeError) => await Promise.reject(withReference(ctx, error, input.reference)),
	);
	if (!input.transferEntireBalance && result.value !== input.amount)
		throw amountDiffers(ctx, itemIndex, input, result);
	return {
		transferred: true,
		userId: input.userId,
		fromCardNo: maskCardNo(input.fromCardNo),
		toCardNo: maskCardNo(input.toCardNo),
		transferEntireBalance: input.transferEntireBalance,
		amount: result.value,
		correlationId: result.correlationId,
		...(input.reference !== '' && { reference: shownReference(input.reference) }),
	};
};

async function transfer(
	ctx: IExecuteFunctions,
	input: TransferInput,
	itemIndex: number,
	session: Session,
) {
	return await callKonaplate(ctx, session, {
		path: ENDPOINT.transfer,
		fields: {
			userId: new JsonInteger(input.userId),
			fromCardNo: input.fromCardNo,
			toCardNo: input.toCardNo,
			amount: input.amount,
		},
		itemIndex,
		whenOutcomeUnknown: {
			person:
				"The transfer may or may not have happened: check both card balances before running this item again (Card > Get shows each card's balance), and quote the correlation id to Konaplate support.",
			agent: AGENT_ADVICE.transferOutcomeUnknown,
		},
		parse: parseTransferredAmount,
	});
}
