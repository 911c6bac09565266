import type { IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import {
	contradictoryResponseError,
	noResponseError,
	resultCodeError,
	unreadableResponseError,
} from '../errors';
import type { RequestTrace } from '../errors';
import { correlationId, requestStamp } from '../wire/clock';
import { toJsonBody } from '../wire/json';
import type { JsonBodyValue } from '../wire/json';
import { classify, parseJson } from '../wire/response';
import type { KonaplateBody } from '../wire/response';
import { HEADER } from '../wire/signing';
import type { Session } from './session';

export const CREDENTIAL_TYPE = 'konaCredentials';

export interface KonaplateCall {
	/** Endpoint path below the base URL, e.g. /api/v1/transfer/balance. */
	path: string;
	fields: Record<string, JsonBodyValue>;
	itemIndex: number;
	/** What the operator should do when it is unknown whether the request took effect. */
	whenOutcomeUnknown: string;
}

export interface KonaplateResult {
	body: KonaplateBody;
	correlationId: string;
}

/** Connection failures that happen before a single byte of the request reaches a server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function causeCodes(error: unknown): string[] {
	const codes: string[] = [];
	const seen = new Set<unknown>();
	let level: unknown = error;
	while (typeof level === 'object' && level !== null && !seen.has(level)) {
		seen.add(level);
		const { code, cause } = level as { code?: unknown; cause?: unknown };
		if (typeof code === 'string') codes.push(code);
		level = cause;
	}
	return codes;
}

/** Words for a failed exchange with no HTTP answer; never the request options, which hold the keys. */
function describeNoResponse(error: unknown, timeoutMs: number): { message: string; sent: boolean } {
	const codes = causeCodes(error);
	const text = error instanceof Error ? error.message : '';
	if (codes.some((code) => TIMEOUT_CODES.has(code)) || /timeout/i.test(text)) {
		return { message: `No answer from Konaplate within ${timeoutMs / 1000} s`, sent: true };
	}
	const notSent = codes.find((code) => NOT_SENT_CODES.has(code));
	if (notSent !== undefined) {
		return { message: `Could not connect to Konaplate (${notSent.toLowerCase()})`, sent: false };
	}
	return { message: 'The connection to Konaplate dropped before an answer arrived', sent: true };
}

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers[name.toLowerCase()];
	return typeof value === 'string' ? value : undefined;
}

/**
 * Sends one signed request, exactly once, and returns its body only when Konaplate
 * answered 000_000 with a 2xx status; every other answer becomes an error with the code.
 */
export async function callKonaplate(
	ctx: IExecuteFunctions,
	session: Session,
	call: KonaplateCall,
): Promise<KonaplateResult> {
	const node = ctx.getNode();
	const sentCorrelationId = correlationId(
		requestStamp(session.clock.now(), session.credential.timeZone),
		session.clock.randomHex7(),
	);
	const trace: RequestTrace = {
		itemIndex: call.itemIndex,
		correlationId: sentCorrelationId,
		whenOutcomeUnknown: call.whenOutcomeUnknown,
	};
	const envelope = session.codec.seal(toJsonBody(call.fields));

	let response: IN8nHttpFullResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			{
				method: 'POST',
				url: call.path,
				body: envelope.body,
				headers: {
					...envelope.headers,
					[HEADER.correlationId]: sentCorrelationId,
					'Content-Type': 'application/json',
					Accept: 'application/json',
				},
				encoding: 'text',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: session.timeoutMs,
			},
			// n8n resends once on HTTP 401 by default; a payment request is never resent.
			{ preAuthenticationRetryStatusCode: [] },
		)) as IN8nHttpFullResponse;
	} catch (error) {
		throw noResponseError(node, trace, describeNoResponse(error, session.timeoutMs));
	}

	trace.correlationId = header(response, HEADER.correlationId) ?? sentCorrelationId;
	const status = response.statusCode;
	const text = typeof response.body === 'string' ? response.body : '';
	const parsed = parseJson(text);
	if (!parsed.ok) {
		throw unreadableResponseError(node, trace, status, parsed.reason);
	}
	const opened = session.codec.open(parsed.value);
	if (!opened.ok) {
		throw unreadableResponseError(node, trace, status, opened.reason);
	}
	const outcome = classify(opened.value);
	if (outcome.kind === 'unreadable') {
		throw unreadableResponseError(node, trace, status, outcome.reason);
	}
	if (outcome.kind === 'failure') {
		throw resultCodeError(node, trace, status, outcome.code, outcome.message);
	}
	if (status < 200 || status > 299) {
		throw contradictoryResponseError(node, trace, status);
	}
	return { body: outcome.body, correlationId: trace.correlationId };
}
