import { REFERENCE_MAX_LENGTH } from '../wire/ledger';
import { formatWon } from '../wire/money';
import { shownReference } from '../wire/redact';
import type { Refusal, RefusalKind } from '../wire/result';
import type { Words } from './agent';

/**
 * Every sentence the model reads in a refusal or an error, keyed by what happened. The other
 * rooms keep the person's words beside their checks and take the agent's from here, so the
 * model's side of the node reads as one text. Keys are the ones the agent used (see
 * `agentName`): no item, option or switch it cannot see.
 */

/** An earlier attempt whose outcome the ledger does not know. */
const MAY_HAVE_GONE_THROUGH =
	'may or may not have gone through (it is still running, or it timed out, lost its connection or got an unclear answer)';

const NO_SPLITTING =
	'Do not split it into smaller transfers to get around the limit: ask a person.';

/** A pure check's refusal in an agent's terms, where the person's words speak of the canvas. */
export const AGENT_REASON: Readonly<Record<RefusalKind, string>> = {
	roundedNumber:
		'is a number too large to be exact (over 2^53), so it was already rounded: give it as a string of digits',
	zeroAmount: 'is 0, and an amount of 0 is never sent',
};

/** A pure check's refusal to both audiences. */
export function reasonWords(refusal: Refusal): Words {
	return {
		person: refusal.reason,
		agent: refusal.kind === undefined ? refusal.reason : AGENT_REASON[refusal.kind],
	};
}

/** The node's own refusals, before anything is sent (after "Refused (CODE), nothing was sent:"). */
export const AGENT_REFUSAL = {
	resolveAsTool:
		'an agent may never decide whether a transfer happened or unblock a payment. Tell a person the reference and let them resolve it in the workflow.',
	resumeAsTool:
		'an agent may stop a card (Card → Suspend) but never put a suspended card back into use. Tell a person which card and why, and let them resume it in the workflow.',
	sameCard: (fromKey: string) =>
		`is the same card as ${fromKey}: a balance moves only between two different cards of the same member`,
	parNotFound: (par: string) =>
		`is the PAR token ${par}, which is none of this member's cards: give the par of one of the member's cards as their card list returns it`,
	entireBalanceWithAmount: (switchKey: string, amountKey: string, value: string) =>
		`${switchKey} is true and ${amountKey} is ${value}, so it is unclear whether to move that amount or the whole balance of the card. To move exactly the amount, call again with ${switchKey} false; to move the whole balance, give ${amountKey} 0.`,
	referenceRequired: (referenceKey: string) =>
		`${referenceKey} is empty, and this tool requires one. Give ${referenceKey} a text that names this one transfer (an order or payout ID, up to ${REFERENCE_MAX_LENGTH} characters), and give the same ${referenceKey} again if you retry it: a transfer already done is then not sent twice.`,
	duplicateReference: (referenceKey: string, reference: string) =>
		`the same ${referenceKey} "${shownReference(reference)}" is given to another transfer of this call: a reference names one transfer.`,
	entireBalanceLimited: (switchKey: string, amountKey: string) =>
		`${switchKey} true is not allowed by this tool: it has spending limits, and the amount an entire-balance transfer moves is unknown until it has moved. Call again with ${switchKey} false and ${amountKey} in whole KRW (Card → Get reads the balance of a card).`,
	amountAboveLimit: (amountKey: string, amount: number, limit: number) =>
		`${amountKey} ${formatWon(amount)} KRW is above this tool's limit of ${formatWon(limit)} KRW per transfer. ${NO_SPLITTING}`,
	totalAboveLimit: (total: number, limit: number) =>
		`this call asks for ${formatWon(total)} KRW in total, above this tool's limit of ${formatWon(limit)} KRW per call. ${NO_SPLITTING}`,
	ledgerUnavailable: (why: string) =>
		`this tool's transfer ledger is not available (${why}). A person must fix the workflow; calling again will not help.`,
	ledgerNotListed:
		"this tool's transfer ledger keeps only hashes of references, so it cannot list them. Read one reference you know with Transfer Reference → Get if you have that tool, or ask a person.",
	ledgerWorkflowInQueue:
		"this tool's transfer ledger is not safe where this n8n runs (queue mode). A person must change the credential's ledger; calling again will not help.",
	ledgerBusy: (waited: string) =>
		`this tool's transfer ledger is busy with other calls (waited ${waited}). Nothing was sent: call again in a moment with the same reference.`,
	ledgerUnrecorded: (storeMessage: string) =>
		`the transfer was sent, but this tool's ledger could not record its outcome (n8n's deduplication store said: ${storeMessage}). Do not send it again with a new reference: ask a person to check both cards' balances.`,
	runTooLarge: (count: string, max: string) =>
		`this call carries ${count} references, more than the ${max} one call may carry. Split it into smaller calls.`,
	referenceMismatch: (reference: string, keys: string) =>
		`reference "${shownReference(reference)}" already names another transfer, with a different ${keys}: a reference names one transfer. If this is a new transfer, call again with a reference of its own. If it is meant to be that earlier transfer, do not send it again with a new reference: the money may already have moved; ask a person.`,
	outcomeUnknown: (reference: string) =>
		`an earlier transfer with reference "${shownReference(reference)}" ${MAY_HAVE_GONE_THROUGH}. Do not send it again with a new reference: read both cards' balances with Card → Get if you have that tool, and ask a person.`,
	sameTransferUnknown: (reference?: string) => {
		const earlier =
			reference === undefined ? undefined : `reference "${shownReference(reference)}"`;
		return `an earlier transfer of the same member, cards and amount${earlier === undefined ? '' : ` (${earlier})`} ${MAY_HAVE_GONE_THROUGH}, and only a person may settle that. Do not send it again under another reference or none. Tell a person ${earlier ?? 'which transfer you were asked for'}: they check it with Transfer Reference → Get and Transaction → Get Many, then resolve it with Transfer Reference → Resolve in the workflow's editor.`;
	},
};

/** An answer that is not a plain success, though the money moved. */
export const AGENT_ANSWER = {
	amountDiffers: (moved: string, asked: string, correlationId: string) =>
		`Konaplate confirmed a transfer of ${moved} KRW where ${asked} KRW was asked (correlation id ${correlationId}). The money moved: do not send it again. Ask a person to check both cards' balances.`,
};

/** What to do after a failed exchange, in the agent's terms. */
export const AGENT_ADVICE = {
	transferOutcomeUnknown:
		"The transfer may or may not have gone through: do not send it again. Read both cards' balances with Card → Get if you have that tool, and tell a person the correlation id. A call with the same reference is refused rather than sent twice; a call with a new reference or none could move the money twice.",
	deleteOutcomeUnknown:
		"It is unknown whether the bank account was deleted: do not call again before reading the member's registered account (Bank Account → Get), or ask a person.",
	cardStatusOutcomeUnknown:
		"It is unknown whether the card's status changed: read the card (Card → Get) before calling again, or ask a person.",
	readOutcomeUnknown:
		'A read changes nothing on Konaplate: calling again is safe. If it keeps failing, tell a person the correlation id.',
	credentialRefused:
		"Nothing was processed. The tool's Konaplate credential or its server's clock is wrong: a person must fix it, calling again will not help.",
	addressWrong:
		"Nothing was processed. The tool's Konaplate address is wrong: a person must fix it, calling again will not help.",
	rateLimited: (unknown: string) => `Wait a minute before another call. ${unknown}`,
	notReached:
		'The request did not reach Konaplate; nothing was processed. Calling again later is safe.',
	redirectRefused:
		"Nothing was processed. The tool's Konaplate address answers with a redirect: a person must fix the address, calling again will not help.",
	/** Joined to the error of a transfer whose outcome is unknown, after its ledger marked it. */
	referenceStaysUnknown: (reference: string) =>
		`Its reference "${shownReference(reference)}" stays marked as outcome unknown: a call with it is refused rather than sent again.`,
};
