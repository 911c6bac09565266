import { sleep } from 'n8n-workflow';
import type { IN8nHttpFullResponse } from 'n8n-workflow';

import type { Words } from '../tool/agent';
import { answeredCorrelationId, correlationId, requestStamp } from '../wire/clock';
import { MOVES_MONEY } from '../wire/endpoints';
import type { EndpointPath } from '../wire/endpoints';
import { toJsonBody } from '../wire/json';
import type { JsonBodyValue } from '../wire/json';
import type { KonaplateBody } from '../wire/response';
import { ok } from '../wire/result';
import type { Result } from '../wire/result';
import { CREDENTIAL_TYPE } from '../wire/credentials';
import { HEADER } from '../wire/signing';
import { readAnswer } from '../wire/verdict';
import {
	contradictoryResponseError,
	noResponseError,
	redirectError,
	redirectHost,
	resultCodeError,
	unreadableResponseError,
} from './failures';
import type { RequestTrace } from './failures';
import type { KonaplateContext, Session } from './session';

export interface KonaplateCall<T> {
	/** Endpoint path below the base URL. */
	path: EndpointPath;
	fields: Record<string, JsonBodyValue>;
	itemIndex: number;
	/** What the operator (or the agent) should do when it is unknown whether the request took effect. */
	whenOutcomeUnknown: Words;
	/**
	 * Reads what the operation reports from a 000_000 body; a refusal (the body lacks it)
	 * makes the answer unreadable.
	 */
	parse: (body: KonaplateBody) => Result<T>;
}

export interface KonaplateResult<T> {
	value: T;
	correlationId: string;
}

/** For an operation that reports nothing of the body but its success. */
export const successBody = (body: KonaplateBody): Result<KonaplateBody> => ok(body);

/** Failures that happen before a single byte of the request reaches a server. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	// Header values are checked before the request is written
	'ERR_INVALID_CHAR',
	'ERR_HTTP_INVALID_HEADER_VALUE',
	'ERR_INVALID_HTTP_TOKEN',
	// The TLS handshake failed or its certificate was refused: the request is written only after it
	'ERR_SSL_WRONG_VERSION_NUMBER',
	'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
	'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
	'ERR_SSL_UNSUPPORTED_PROTOCOL',
	'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'CERT_UNTRUSTED',
	'CERT_REJECTED',
	'CERT_SIGNATURE_FAILURE',
]);
/**
 * OpenSSL's words for a handshake that failed (Node reports them as EPROTO): a server that
 * speaks no TLS, or no protocol version in common. The request is written only after a handshake.
 */
const TLS_HANDSHAKE =
	/wrong version number|handshake failure|alert protocol version|unsupported protocol|no protocols available/i;
const TIMEOUT_CODES = new Set([
	'ECONNABORTED',
	'ETIMEDOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

class DeadlineError extends Error {}

/**
 * The reason the deadline's wait is called off once an answer came: one error for every request,
 * as an abort() without a reason builds a new DOMException (and its stack) each time.
 */
const ANSWERED = new Error('answered within the timeout');

interface Failure {
	code?: string;
	/** The HTTP status, when an answer began to arrive before the failure. */
	status?: number;
	message: string;
}

function failureChain(error: unknown): Failure[] {
	const chain: Failure[] = [];
	const seen = new Set<unknown>();
	let level: unknown = error;
	while (typeof level === 'object' && level !== null && !seen.has(level)) {
		seen.add(level);
		const { code, cause, response, message } = level as {
			code?: unknown;
			cause?: unknown;
			response?: { status?: unknown };
			message?: unknown;
		};
		chain.push({
			code: typeof code === 'string' ? code : undefined,
			status: typeof response?.status === 'number' ? response.status : undefined,
			message: typeof message === 'string' ? message : '',
		});
		level = cause;
	}
	return chain;
}

export type NoAnswer =
	| { kind: 'none'; message: string; sent: boolean }
	| { kind: 'undecodable'; status: number; received: string };

/** Words for a failed exchange with no readable answer; never the request options, which hold the keys. */
export function describeNoResponse(error: unknown, timeoutMs: number): NoAnswer {
	const timedOut = {
		kind: 'none',
		message: `No answer from Konaplate within ${timeoutMs / 1000} s`,
		sent: true,
	} as const;
	if (error instanceof DeadlineError) return timedOut;
	const chain = failureChain(error);
	const codes = chain.flatMap((level) => (level.code === undefined ? [] : [level.code]));
	if (
		codes.some((code) => TIMEOUT_CODES.has(code)) ||
		chain.some((level) => /timeout/i.test(level.message))
	) {
		return timedOut;
	}
	const notSent =
		codes.find((code) => NOT_SENT_CODES.has(code)) ??
		(chain.some((level) => level.code === 'EPROTO' && TLS_HANDSHAKE.test(level.message))
			? 'tls handshake failed'
			: undefined);
	if (notSent !== undefined) {
		return {
			kind: 'none',
			message: `Could not connect to Konaplate (${notSent.toLowerCase()})`,
			sent: false,
		};
	}
	// A status arrived, then the body could not be taken in: a false Content-Encoding, a cut-off stream
	const status = chain.find((level) => level.status !== undefined)?.status;
	if (status !== undefined) {
		const why = codes.length > 0 ? codes[codes.length - 1] : 'no reason given';
		return {
			kind: 'undecodable',
			status,
			received: `a body that could not be read or decoded (${why})`,
		};
	}
	return {
		kind: 'none',
		message: 'The connection to Konaplate dropped before an answer arrived',
		sent: true,
	};
}

/**
 * Options > Timeout bounds the whole exchange. The HTTP layer's own timeout only watches for
 * silence, so an answer trickling in a byte at a time would otherwise be waited for without end.
 */
async function withinTimeout<T>(request: Promise<T>, timeoutMs: number): Promise<T> {
	const answered = new AbortController();
	const deadline = sleep(timeoutMs, answered.signal).then(() => {
		throw new DeadlineError();
	});
	try {
		return await Promise.race([request, deadline]);
	} finally {
		answered.abort(ANSWERED);
	}
}

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers[name.toLowerCase()];
	return typeof value === 'string' ? value : undefined;
}

/**
 * Sends one signed request, exactly once, and returns what `call.parse` reads of the body only
 * when Konaplate answered 000_000 with a 2xx status (the verdict: wire/verdict.ts); every other
 * answer becomes an error with the code.
 */
export async function callKonaplate<T>(
	ctx: KonaplateContext,
	session: Session,
	call: KonaplateCall<T>,
): Promise<KonaplateResult<T>> {
	// n8n copies the node on every getNode(): only a failure needs it
	const node = () => ctx.getNode();
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
		const request = ctx.helpers.httpRequestWithAuthentication.call(
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
				// n8n follows up to 21 redirects by default, resending the signed body (307, 308) or
				// a GET (301-303) wherever the Location says; read as maxRedirects 0 by n8n-core
				// 1.x and 2.x alike. A 3xx comes back as the answer (redirectError).
				disableFollowRedirect: true,
			},
			{
				// n8n resends once on HTTP 401 by default; a payment request is never resent.
				preAuthenticationRetryStatusCode: [],
				// Read once per execution (openSession), not again for every request.
				credentialsDecrypted: session.decrypted,
			},
		) as Promise<IN8nHttpFullResponse>;
		response = await withinTimeout(request, session.timeoutMs);
	} catch (error) {
		const failure = describeNoResponse(error, session.timeoutMs);
		if (failure.kind === 'undecodable') {
			throw unreadableResponseError(node(), trace, failure.status, failure.received);
		}
		throw noResponseError(node(), trace, failure);
	}

	trace.correlationId = answeredCorrelationId(
		header(response, HEADER.correlationId),
		sentCorrelationId,
	);
	const status = response.statusCode;
	if (status >= 300 && status <= 399) {
		const target = redirectHost(
			header(response, 'location'),
			`${session.credential.baseUrl}${call.path}`,
		);
		throw redirectError(
			node(),
			trace,
			status,
			target,
			MOVES_MONEY.has(call.path) ? 'unknown' : 'refused',
		);
	}
	const text = typeof response.body === 'string' ? response.body : '';
	const verdict = readAnswer({ status, text }, (value) => session.codec.open(value), call.parse);
	switch (verdict.kind) {
		case 'value':
			return { value: verdict.value, correlationId: trace.correlationId };
		case 'code':
			throw resultCodeError(node(), trace, status, verdict.code, verdict.message);
		case 'contradictory':
			throw contradictoryResponseError(node(), trace, status);
		case 'unreadable':
			throw unreadableResponseError(node(), trace, status, verdict.received);
	}
}
