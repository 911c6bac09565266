import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { fromAiKey, notSent, VALID_VALUE } from './wire/agent';
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
	'003_001': { message: 'Invalid card info.', meaning: 'The card information is invalid.' },
	'003_021': {
		message: 'Cannot find par.',
		meaning: 'Konaplate found no card for this card number or PAR token.',
	},
	'003_022': { message: 'Card already terminated.', meaning: 'The card has already been terminated.' },
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
		meaning: "The transfer would take the receiving card over its balance limit.",
	},
	'017_002': { message: 'Failed to balance transfer.', meaning: 'Konaplate could not complete the balance transfer.' },
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
		meaning: "This card product does not allow merging balances between cards.",
	},
	'017_006': { message: 'Owner affiliate not found.', meaning: "The card's product has no owner affiliate." },
};

/**
 * n8n runs a `usableAsTool` node for an AI agent (AI Agent, MCP Server Trigger) under its
 * `…Tool` type: the one check of whether the node's words go to an agent rather than a person.
 */
export function runsAsTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/**
 * A parameter as an agent knows it: the key of its `$fromAI()` (the agent filled it in), or its
 * name, said to be the workflow's own (the agent cannot change it).
 */
export function agentName(node: INode, name: string): string {
	const key = fromAiKey(node.parameters?.[name]);
	return key ?? `${name} (set by the workflow, not by this call)`;
}

/** What to do when a request may or may not have taken effect: for the person at the canvas, and for an agent. */
export interface OutcomeAdvice {
	person: string;
	agent: string;
}

/** Where a request stood when it failed: what every error must let a person find again. */
export interface RequestTrace {
	itemIndex: number;
	correlationId: string;
	whenOutcomeUnknown: OutcomeAdvice;
}

function whenOutcomeUnknown(node: INode, trace: RequestTrace): string {
	return runsAsTool(node) ? trace.whenOutcomeUnknown.agent : trace.whenOutcomeUnknown.person;
}

/** Fields kept on an error's context so the item loop can put them in an error item. */
export interface KonaplateErrorDetails {
	konaplateCode?: string;
	httpCode?: number;
	correlationId?: string;
	/** A refusal by the node itself (limits, ledger), as a stable code a workflow can route on. */
	refusal?: RefusalCode;
	reference?: string;
}

/**
 * Whether a failed request certainly did not take effect (refused) or may have (unknown).
 * The transfer ledger lets a refused reference be sent again and keeps an unknown one blocked.
 */
export type RequestOutcome = 'refused' | 'unknown';

export type RefusalCode =
	| 'LEDGER_OUTCOME_UNKNOWN'
	| 'LEDGER_DUPLICATE_REFERENCE'
	| 'LEDGER_UNAVAILABLE'
	| 'REFERENCE_REQUIRED'
	| 'LIMIT_AMOUNT_PER_TRANSFER'
	| 'LIMIT_ENTIRE_BALANCE'
	| 'LIMIT_TOTAL_PER_RUN'
	| 'ENTIRE_BALANCE_WITH_AMOUNT';

/** A tool call is one item: an agent gets no item index. */
function where(node: INode, trace: RequestTrace, httpCode?: number): string {
	const status = httpCode === undefined ? '' : `HTTP ${httpCode}, `;
	const item = runsAsTool(node) ? '' : `item ${trace.itemIndex}, `;
	return `(${status}${item}correlation id ${trace.correlationId})`;
}

/**
 * n8n rewrites an API error's message from its status or from words it recognises in it;
 * setting message and description last keeps Konaplate's code in front of the user.
 */
function apiError(
	node: INode,
	trace: RequestTrace,
	text: { message: string; description: string },
	details: KonaplateErrorDetails,
	outcome: RequestOutcome,
): NodeApiError {
	const error = new NodeApiError(node, { ...details } as JsonObject, {
		message: text.message,
		description: text.description,
		httpCode: details.httpCode === undefined ? undefined : String(details.httpCode),
		itemIndex: trace.itemIndex,
	});
	// An AI Agent gives its tool only the message of an error: as a tool, the message says it all
	const stop = /[.!?]$/.test(text.message) ? '' : '.';
	error.message = runsAsTool(node) ? `${text.message}${stop} ${text.description}` : text.message;
	error.description = text.description;
	Object.assign(error.context, details, { correlationId: trace.correlationId, requestOutcome: outcome });
	return error;
}

/** A Konaplate result code other than 000_000, under any HTTP status. */
export function resultCodeError(
	node: INode,
	trace: RequestTrace,
	httpCode: number,
	code: string,
	message: string,
): NodeApiError {
	const entry = DOCUMENTED_CODES[code];
	let shown = message !== '' ? message : (entry?.message ?? 'No message.');
	// An agent reads the documented words of a documented code: an answer's own text goes into
	// its context only when there are no others
	if (runsAsTool(node) && entry !== undefined) shown = entry.message;
	const meaning = entry?.meaning ?? 'Konaplate did not document this code for this endpoint.';
	const unknown = httpCode >= 500 ? ` ${whenOutcomeUnknown(node, trace)}` : '';
	return apiError(
		node,
		trace,
		{ message: `${code}: ${shown}`, description: `${meaning}${unknown} ${where(node, trace, httpCode)}` },
		{ konaplateCode: code, httpCode },
		httpCode >= 500 ? 'unknown' : 'refused',
	);
}

/** A success code under an HTTP error status: never reported as a success. */
export function contradictoryResponseError(node: INode, trace: RequestTrace, httpCode: number): NodeApiError {
	return apiError(
		node,
		trace,
		{
			message: `Konaplate answered HTTP ${httpCode} with the success code ${SUCCESS_CODE}: the outcome is unclear`,
			description: `${whenOutcomeUnknown(node, trace)} ${where(node, trace, httpCode)}`,
		},
		{ konaplateCode: SUCCESS_CODE, httpCode },
		'unknown',
	);
}

/** A response without a Konaplate result: an auth refusal, a proxy page, a server fault, garbage. */
export function unreadableResponseError(
	node: INode,
	trace: RequestTrace,
	httpCode: number,
	received: string,
): NodeApiError {
	let message: string;
	let advice: string;
	const forAgent = runsAsTool(node);
	const unknown = whenOutcomeUnknown(node, trace);
	// Refused at the door (credential, address): the request was not processed.
	const outcome: RequestOutcome = [401, 403, 404, 405].includes(httpCode) ? 'refused' : 'unknown';
	if (httpCode === 401 || httpCode === 403) {
		message = `Konaplate refused the credential (HTTP ${httpCode})`;
		advice = forAgent
			? "Nothing was processed. The tool's Konaplate credential or its server's clock is wrong: a person must fix it, calling again will not help."
			: "Check the ASP ID, Access Key and Secret Key of the Konaplate credential, its Time Zone, and this machine's clock (every request is signed with the current time).";
	} else if (httpCode === 404 || httpCode === 405) {
		message = `No Konaplate endpoint answered at this address (HTTP ${httpCode})`;
		advice = forAgent
			? "Nothing was processed. The tool's Konaplate address is wrong: a person must fix it, calling again will not help."
			: "Check the credential's environment and Base URL.";
	} else if (httpCode === 429) {
		message = 'Konaplate is limiting requests (HTTP 429)';
		advice = forAgent ? `Wait a minute before another call. ${unknown}` : `Lower the rate (Options > Batching) and run later. ${unknown}`;
	} else if (httpCode >= 500) {
		message = `Konaplate had a server error (HTTP ${httpCode})`;
		advice = unknown;
	} else {
		message = `Konaplate's answer could not be read (HTTP ${httpCode})`;
		advice = unknown;
	}
	// An agent gets the status and these words, never the body: it may be a proxy's HTML page,
	// and whatever it says would land in the agent's context.
	const seen = forAgent ? '' : ` Received ${received}.`;
	return apiError(
		node,
		trace,
		{ message, description: `${advice}${seen} ${where(node, trace, httpCode)}` },
		{ httpCode },
		outcome,
	);
}

/** No answer at all: timeout, refused or dropped connection. */
export function noResponseError(
	node: INode,
	trace: RequestTrace,
	failure: { message: string; sent: boolean },
): NodeApiError {
	let advice = whenOutcomeUnknown(node, trace);
	if (!failure.sent) {
		advice = runsAsTool(node)
			? 'The request did not reach Konaplate; nothing was processed. Calling again later is safe.'
			: 'The request did not reach Konaplate; nothing was processed. Check the Base URL and the network.';
	}
	return apiError(
		node,
		trace,
		{ message: failure.message, description: `${advice} ${where(node, trace)}` },
		{},
		failure.sent ? 'unknown' : 'refused',
	);
}

/**
 * A parameter refused before any request: names the parameter and the item. An agent reads the
 * key it used, the reason in its own terms (`agentReason`, when the reason speaks of the canvas)
 * and what a valid value looks like.
 */
export function parameterError(
	node: INode,
	itemIndex: number,
	parameter: { displayName: string; name: string },
	reason: string,
	agentReason?: string,
): NodeOperationError {
	if (runsAsTool(node)) {
		const valid = VALID_VALUE[parameter.name];
		const key = fromAiKey(node.parameters?.[parameter.name]) ?? parameter.name;
		return new NodeOperationError(
			node,
			`${notSent()} ${agentName(node, parameter.name)} ${agentReason ?? reason}.${valid === undefined ? '' : ` A valid ${key} is ${valid}.`}`,
			{ itemIndex },
		);
	}
	return new NodeOperationError(
		node,
		`${parameter.displayName} (${parameter.name}) of item ${itemIndex} ${reason}`,
		{
			itemIndex,
			description: 'Nothing was sent to Konaplate for this item.',
		},
	);
}

/**
 * A refusal by the node itself, before anything is sent. The message is a whole sentence that
 * names the item, the amount or reference and the rule. As an AI agent's tool (n8n's `…Tool`
 * variant of the node) the message is all an agent reads: its own words (`agent`, which name the
 * keys it used and what to do instead) after the refusal's code, or else the advice joined on.
 */
export function refusalError(
	node: INode,
	refusal: {
		code: RefusalCode;
		itemIndex?: number;
		message: string;
		description: string;
		/** The refusal in an agent's terms: no item, option or switch it cannot see. */
		agent?: string;
		reference?: string;
		/** Of the reference's transfer: refused unless an earlier attempt may have gone through. */
		outcome?: RequestOutcome;
	},
): NodeOperationError {
	const forAgent = runsAsTool(node);
	let message = refusal.message;
	if (forAgent) message = refusal.agent === undefined ? `${refusal.message} ${refusal.description}` : `${notSent(refusal.code)} ${refusal.agent}`;
	const error = new NodeOperationError(node, message, {
		itemIndex: refusal.itemIndex,
		// n8n adds the description to the message an agent reads: its own words already say it all
		description: forAgent && refusal.agent !== undefined ? undefined : refusal.description,
	});
	Object.assign(error.context, {
		refusal: refusal.code,
		requestOutcome: refusal.outcome ?? 'refused',
		...(refusal.reference !== undefined && { reference: refusal.reference }),
	});
	return error;
}

/** Only an error that says so is a definite refusal: anything else may have taken effect. */
export function requestOutcome(error: { context?: Record<string, unknown> }): RequestOutcome {
	return error.context?.requestOutcome === 'refused' ? 'refused' : 'unknown';
}

export function konaplateDetails(error: { context?: Record<string, unknown> }): KonaplateErrorDetails {
	const context = error.context ?? {};
	const pick = <T>(key: string, type: string) => (typeof context[key] === type ? (context[key] as T) : undefined);
	return {
		konaplateCode: pick<string>('konaplateCode', 'string'),
		httpCode: pick<number>('httpCode', 'number'),
		correlationId: pick<string>('correlationId', 'string'),
		refusal: pick<RefusalCode>('refusal', 'string'),
		reference: pick<string>('reference', 'string'),
	};
}
