import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, NodeApiError } from 'n8n-workflow';

import { notSent, parameterRefusal, runsAsTool, say } from './tool/agent';
import type { Words } from './tool/agent';
import { KOREAN_MEANINGS } from './wire/codes-ko';
import { shownReference } from './wire/redact';
import { SUCCESS_CODE } from './wire/response';

interface CodeEntry {
	/** What Konaplate sends as the message. */
	message: string;
	/** What it means, in plain English, for the person reading the error. */
	meaning: string;
}

/**
 * Every result code the two endpoint pages document, plus the codes the neighbouring member,
 * card and bank-account pages show (the read endpoints have no table of their own). A code not
 * listed passes through as it came.
 */
export const DOCUMENTED_CODES: Readonly<Record<string, CodeEntry>> = {
	[SUCCESS_CODE]: { message: 'Success', meaning: 'The request succeeded.' },
	'000_002': {
		message: 'Invalid input parameter.',
		meaning: 'An input parameter is invalid (the message names it, e.g. userId).',
	},
	'000_003': {
		message: 'Missing required values.',
		meaning: 'A required input value was empty (the message names it, e.g. toCardNo).',
	},
	'001_006': {
		message: 'Wallet user not found.',
		meaning: 'No such member: the user ID does not exist or the member has withdrawn.',
	},
	'003_001': {
		message: 'Invalid card info.',
		meaning: 'The card information is invalid.',
	},
	'003_021': {
		message: 'Cannot find par.',
		meaning: 'Konaplate found no card for this card number or PAR token.',
	},
	'003_022': {
		message: 'Card already terminated.',
		meaning: 'The card has already been terminated.',
	},
	'005_004': {
		message: 'Gift card status is not active.',
		meaning: 'A card in the transfer is not active; both cards must be ACTIVE.',
	},
	'005_005': {
		message: 'Gift card is over expiration date.',
		meaning: 'A card in the transfer has expired.',
	},
	'005_017': {
		message: 'Possible collection balance is zero.',
		meaning: 'The card to transfer from has a balance of 0.',
	},
	'005_018': {
		message: 'There is not enough balance to transfer.',
		meaning: 'The amount asked for is more than the balance of the card to transfer from.',
	},
	'007_001': {
		message: 'Bank account not found.',
		meaning: 'The member has no registered bank account.',
	},
	'017_001': {
		message: 'Balance is over the max.',
		meaning: 'The transfer would take the receiving card over its balance limit.',
	},
	'017_002': {
		message: 'Failed to balance transfer.',
		meaning: 'Konaplate could not complete the balance transfer.',
	},
	'017_003': {
		message: 'Value transfer between same card.',
		meaning: 'The card to transfer from and the card to transfer to are the same card.',
	},
	'017_004': {
		message: 'Input affiliateId is not same as owner affiliateId.',
		meaning: "Your affiliate (ASP ID) is not the owner of this card's product.",
	},
	'017_005': {
		message: 'Product is not allowed collection.',
		meaning: 'This card product does not allow merging balances between cards.',
	},
	'017_006': {
		message: 'Owner affiliate not found.',
		meaning: "The card's product has no owner affiliate.",
	},
};

/**
 * Whether a failed request certainly did not take effect (refused), may have (unknown), or did
 * (transferred: an answer to look at). The transfer ledger lets a refused reference be sent
 * again, keeps an unknown one blocked, and records a transferred one as done
 * (ledger/seam.ts, STAGE_AFTER).
 */
export type RequestOutcome = 'refused' | 'unknown' | 'transferred';

/** What the node throws: n8n shows only these two. */
export type NodeError = NodeApiError | NodeOperationError;

/**
 * Each error's outcome, as its maker said it: the one typed record the item loop hands the
 * ledger (an error's context is for people to read, and n8n may copy or change it).
 */
const OUTCOMES = new WeakMap<object, RequestOutcome>();

/** The outcome of the attempt an error ends: only an error made as a definite refusal is one. */
export function outcomeOf(error: object): RequestOutcome {
	return OUTCOMES.get(error) ?? 'unknown';
}

export type RefusalCode =
	| 'LEDGER_OUTCOME_UNKNOWN'
	| 'LEDGER_SAME_TRANSFER_UNKNOWN'
	| 'LEDGER_DUPLICATE_REFERENCE'
	| 'LEDGER_REFERENCE_MISMATCH'
	| 'LEDGER_UNAVAILABLE'
	| 'LEDGER_BUSY'
	| 'LEDGER_NOT_LISTED'
	| 'LEDGER_WORKFLOW_IN_QUEUE'
	| 'REFERENCE_REQUIRED'
	| 'LIMIT_AMOUNT_PER_TRANSFER'
	| 'LIMIT_ENTIRE_BALANCE'
	| 'LIMIT_TOTAL_PER_RUN'
	| 'ENTIRE_BALANCE_WITH_AMOUNT'
	| 'INVALID_OPTION'
	| 'LEDGER_RUN_TOO_LARGE'
	| 'LEDGER_UNKNOWN_ROOM'
	| 'TRANSFERRED_AMOUNT_DIFFERS'
	| 'RESOLVE_NOT_UNKNOWN'
	| 'RESOLVE_IN_FLIGHT'
	| 'RESOLVE_AS_TOOL'
	| 'RESUME_AS_TOOL';

/**
 * A parameter refused before any request: names the parameter and the item. An agent reads the
 * key it used, the reason in its own terms (`reason.agent`) and what a valid value looks like.
 */
export function parameterError(
	node: INode,
	itemIndex: number,
	parameter: { displayName: string; name: string },
	reason: Words,
	description = 'Nothing was sent to Konaplate for this item.',
): NodeOperationError {
	const message = say(node, {
		person: `${parameter.displayName} (${parameter.name}) of item ${itemIndex} ${reason.person}`,
		agent: parameterRefusal(node, parameter.name, reason.agent),
	});
	return new NodeOperationError(node, message, {
		itemIndex,
		...(!runsAsTool(node) && { description }),
	});
}

/**
 * A refusal by the node itself, before anything is sent. The person's message is a whole
 * sentence that names the item, the amount or reference and the rule. As an AI agent's tool
 * (n8n's `…Tool` variant of the node) the message is all an agent reads: its own words (`agent`,
 * from tool/sentences.ts, which name the keys it used and what to do instead) after the
 * refusal's code, or else the person's advice joined on.
 */
export function refusalError(
	node: INode,
	refusal: {
		code: RefusalCode;
		itemIndex?: number;
		person: { message: string; description: string };
		/** The refusal in an agent's terms: no item, option or switch it cannot see. */
		agent?: string;
		reference?: string;
		/** Of the reference's transfer: refused unless an earlier attempt may have gone through. */
		outcome?: RequestOutcome;
	},
): NodeOperationError {
	const { message, description } = refusal.person;
	const ownWords = runsAsTool(node) && refusal.agent !== undefined;
	const toAgent =
		refusal.agent === undefined
			? `${message} ${description}`
			: `${notSent(refusal.code)} ${refusal.agent}`;
	const error = new NodeOperationError(node, say(node, { person: message, agent: toAgent }), {
		itemIndex: refusal.itemIndex,
		// n8n adds the description to the message an agent reads: its own words already say it all
		description: ownWords ? undefined : description,
	});
	setDetails(error, {
		refusal: refusal.code,
		requestOutcome: refusal.outcome ?? 'refused',
		...(refusal.reference !== undefined && { reference: refusal.reference }),
	});
	return error;
}

/**
 * What the node keeps on an error's context, for people to read: the error item's fields and the
 * agent's words. The ledger reads none of it: an error's outcome travels typed (outcomeOf).
 */
export interface ErrorDetails {
	konaplateCode?: string;
	/** Konaplate's Korean meaning of konaplateCode (wire/codes-ko.ts), for a Korean-speaking team. */
	konaplateMeaningKo?: string;
	httpCode?: number;
	correlationId?: string;
	/** A refusal by the node itself (limits, ledger), as a stable code a workflow can route on. */
	refusal?: RefusalCode;
	reference?: string;
	requestOutcome?: RequestOutcome;
}

/**
 * The one writer of an error's details; a documented Konaplate code brings its Korean meaning,
 * and a Reference is kept as it may be shown (masked where it looks like a card number).
 */
export function setDetails(error: { context: IDataObject }, details: ErrorDetails): void {
	if (details.requestOutcome !== undefined) OUTCOMES.set(error, details.requestOutcome);
	const meaningKo =
		details.konaplateCode === undefined ? undefined : KOREAN_MEANINGS[details.konaplateCode];
	Object.assign(
		error.context,
		details,
		meaningKo === undefined ? {} : { konaplateMeaningKo: meaningKo },
		details.reference === undefined ? {} : { reference: shownReference(details.reference) },
	);
}

/**
 * The one reader of an error's details. Only an error that says so is a definite refusal:
 * anything else may have taken effect.
 */
export function errorDetails(error: {
	context?: Record<string, unknown>;
}): ErrorDetails & { requestOutcome: RequestOutcome } {
	const context = error.context ?? {};
	const pick = <T>(key: keyof ErrorDetails, type: string) =>
		typeof context[key] === type ? (context[key] as T) : undefined;
	return {
		konaplateCode: pick<string>('konaplateCode', 'string'),
		konaplateMeaningKo: pick<string>('konaplateMeaningKo', 'string'),
		httpCode: pick<number>('httpCode', 'number'),
		correlationId: pick<string>('correlationId', 'string'),
		refusal: pick<RefusalCode>('refusal', 'string'),
		reference: pick<string>('reference', 'string'),
		requestOutcome: (['refused', 'transferred'] as unknown[]).includes(context.requestOutcome)
			? (context.requestOutcome as RequestOutcome)
			: 'unknown',
	};
}

/**
 * The error to throw, made whole from one that says less: a copy with the words that only its
 * caller knows (the Reference, the items already sent) added, its details and outcome kept, the
 * original untouched.
 */
export function withWords(
	error: NodeError,
	more: { message?: string; description?: string },
): NodeError {
	const made = Object.create(
		Object.getPrototypeOf(error) as object,
		Object.getOwnPropertyDescriptors(error),
	) as NodeError;
	made.context = { ...error.context };
	if (more.message !== undefined) made.message = `${error.message} ${more.message}`;
	if (more.description !== undefined)
		made.description = `${error.description ?? ''} ${more.description}`.trim();
	OUTCOMES.set(made, outcomeOf(error));
	return made;
}

/** withWords for the description only. */
export function withDescription(error: NodeError, more: string): NodeError {
	return withWords(error, { description: more });
}
