import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { DOCUMENTED_CODES, setDetails } from '../errors';
import type { ErrorDetails, RequestOutcome } from '../errors';
import { say } from '../tool/agent';
import type { Words } from '../tool/agent';
import { AGENT_ADVICE } from '../tool/sentences';
import { hideDigitRuns } from '../wire/redact';
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

/** A tool call is one item: an agent gets no item index. */
function where(node: INode, trace: RequestTrace, httpCode?: number): string {
	const status = httpCode === undefined ? '' : `HTTP ${httpCode}, `;
	const item = say(node, { person: `item ${trace.itemIndex}, `, agent: '' });
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
	details: ErrorDetails,
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
	error.message = say(node, {
		person: text.message,
		agent: `${text.message}${stop} ${text.description}`,
	});
	error.description = text.description;
	setDetails(error, {
		...details,
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
	const own = message !== '' ? message : (entry?.message ?? 'No message.');
	// An agent reads the documented words of a documented code: an answer's own text goes into
	// its context only when there are no others
	const shown = say(node, { person: own, agent: entry?.message ?? own });
	const meaning = entry?.meaning ?? 'Konaplate did not document this code for this endpoint.';
	const unknown = httpCode >= 500 ? ` ${say(node, trace.whenOutcomeUnknown)}` : '';
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
			description: `${say(node, trace.whenOutcomeUnknown)} ${where(node, trace, httpCode)}`,
		},
		{ konaplateCode: SUCCESS_CODE, httpCode },
		'unknown',
	);
}

/** What an answer without a Konaplate result means for one HTTP status. */
interface StatusRule {
	matches: (httpCode: number) => boolean;
	/** refused: turned away at the door (credential, address), so the request was not processed. */
	outcome: RequestOutcome;
	message: (httpCode: number) => string;
	/** Built on what to do when this request's outcome is unknown. */
	advice: (unknown: Words) => Words;
}

/** Any other status: the answer could not be read, and the request may have taken effect. */
const UNREADABLE_OTHERWISE: Omit<StatusRule, 'matches'> = {
	outcome: 'unknown',
	message: (httpCode) => `Konaplate's answer could not be read (HTTP ${httpCode})`,
	advice: (unknown) => unknown,
};

/** The statuses with advice of their own; the first row that matches. */
const UNREADABLE_BY_STATUS: readonly StatusRule[] = [
	{
		matches: (httpCode) => httpCode === 401 || httpCode === 403,
		outcome: 'refused',
		message: (httpCode) => `Konaplate refused the credential (HTTP ${httpCode})`,
		advice: () => ({
			person:
				"Check the ASP ID, Access Key and Secret Key of the Konaplate credential, its Time Zone, and this machine's clock (every request is signed with the current time).",
			agent: AGENT_ADVICE.credentialRefused,
		}),
	},
	{
		matches: (httpCode) => httpCode === 404 || httpCode === 405,
		outcome: 'refused',
		message: (httpCode) => `No Konaplate endpoint answered at this address (HTTP ${httpCode})`,
		advice: () => ({
			person: "Check the credential's environment and Base URL.",
			agent: AGENT_ADVICE.addressWrong,
		}),
	},
	{
		matches: (httpCode) => httpCode === 429,
		outcome: 'unknown',
		message: () => 'Konaplate is limiting requests (HTTP 429)',
		advice: (unknown) => ({
			person: `Lower the rate (Options > Batching) and run later. ${unknown.person}`,
			agent: AGENT_ADVICE.rateLimited(unknown.agent),
		}),
	},
	{
		matches: (httpCode) => httpCode >= 500,
		outcome: 'unknown',
		message: (httpCode) => `Konaplate had a server error (HTTP ${httpCode})`,
		advice: (unknown) => unknown,
	},
];

/** A response without a Konaplate result: an auth refusal, a proxy page, a server fault, garbage. */
export function unreadableResponseError(
	node: INode,
	trace: RequestTrace,
	httpCode: number,
	received: string,
): NodeApiError {
	const rule = UNREADABLE_BY_STATUS.find((row) => row.matches(httpCode)) ?? UNREADABLE_OTHERWISE;
	const advice = say(node, rule.advice(trace.whenOutcomeUnknown));
	// An agent gets the status and these words, never the body: it may be a proxy's HTML page,
	// and whatever it says would land in the agent's context.
	const seen = say(node, { person: ` Received ${received}.`, agent: '' });
	return apiError(
		node,
		trace,
		{
			message: rule.message(httpCode),
			description: `${advice}${seen} ${where(node, trace, httpCode)}`,
		},
		{ httpCode },
		rule.outcome,
	);
}

/** No answer at all: timeout, refused or dropped connection. */
export function noResponseError(
	node: INode,
	trace: RequestTrace,
	failure: { message: string; sent: boolean },
): NodeApiError {
	const advice = say(
		node,
		failure.sent
			? trace.whenOutcomeUnknown
			: {
					person:
						'The request did not reach Konaplate; nothing was processed. Check the Base URL and the network.',
					agent: AGENT_ADVICE.notReached,
				},
	);
	return apiError(
		node,
		trace,
		{
			message: failure.message,
			description: `${advice} ${where(node, trace)}`,
		},
		{},
		failure.sent ? 'unknown' : 'refused',
	);
}

/**
 * Where a redirect answer pointed, as words: only its host and port (a URL's path and query may
 * carry anything), long digit runs in a host name hidden as in any quoted answer.
 */
export function redirectHost(location: string | undefined, requestUrl: string): string {
	if (location === undefined || location.trim() === '') return 'no Location';
	if (!URL.canParse(location, requestUrl)) return 'a Location that is not an address';
	const { hostname, port } = new URL(location, requestUrl);
	if (hostname === '') return 'a Location without a host';
	// An address (IPv4 as the URL writes it, IPv6 in brackets) holds no card number; a name may
	const shown = /^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$|^\[/.test(hostname)
		? hostname
		: hideDigitRuns(hostname);
	return port === '' ? shown : `${shown}:${port}`;
}

/**
 * A 3xx answer. The node never follows one (n8n's helper is told not to), so nothing signed
 * reaches the other address; but whatever answered at the Base URL received the request. To a
 * transfer that is an unknown outcome; to anything else, a refusal.
 */
export function redirectError(
	node: INode,
	trace: RequestTrace,
	httpCode: number,
	target: string,
	outcome: 'unknown' | 'refused',
): NodeApiError {
	const fix =
		"Check the credential's Base URL: it must be Konaplate's own address (with https://), not one that forwards.";
	const advice =
		outcome === 'unknown'
			? say(node, {
					person: `Whatever answered at the Base URL received the signed request and may have passed it on. ${trace.whenOutcomeUnknown.person} ${fix}`,
					agent: trace.whenOutcomeUnknown.agent,
				})
			: say(node, {
					person: `Nothing was sent on: the node never follows a redirect. ${fix}`,
					agent: AGENT_ADVICE.redirectRefused,
				});
	return apiError(
		node,
		trace,
		{
			message: `Konaplate's address answered with a redirect (HTTP ${httpCode}, to ${target}), which the node never follows`,
			description: `${advice} ${where(node, trace, httpCode)}`,
		},
		{ httpCode },
		outcome,
	);
}
