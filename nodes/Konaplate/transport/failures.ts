import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { DOCUMENTED_CODES } from '../errors';
import type { KonaplateErrorDetails, RequestOutcome } from '../errors';
import { runsAsTool, say } from '../tool/agent';
import type { Words } from '../tool/agent';
import { SUCCESS_CODE } from '../wire/response';

/*
 * What a failed exchange with Konaplate becomes: an error that carries Konaplate's code and its
 * meaning, the item, the correlation id, and what to do when the outcome is unknown.
 */

/** Where a request stood when it failed: what every error must let a person find again. */
export interface RequestTrace {
	itemIndex: number;
	correlationId: string;
	whenOutcomeUnknown: Words;
}

function whenOutcomeUnknown(node: INode, trace: RequestTrace): string {
	return say(node, trace.whenOutcomeUnknown);
}

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
	Object.assign(error.context, details, {
		correlationId: trace.correlationId,
		requestOutcome: outcome,
	});
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
		{
			message: `${code}: ${shown}`,
			description: `${meaning}${unknown} ${where(node, trace, httpCode)}`,
		},
		{ konaplateCode: code, httpCode },
		httpCode >= 500 ? 'unknown' : 'refused',
	);
}

/** A success code under an HTTP error status: never reported as a success. */
export function contradictoryResponseError(
	node: INode,
	trace: RequestTrace,
	httpCode: number,
): NodeApiError {
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
		advice = forAgent
			? `Wait a minute before another call. ${unknown}`
			: `Lower the rate (Options > Batching) and run later. ${unknown}`;
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
