import type { IExecuteFunctions } from 'n8n-workflow';

import type { Words } from '../tool/agent';
import { AGENT_ADVICE } from '../tool/sentences';
import { callKonaplate } from '../transport/request';
import type { KonaplateResult } from '../transport/request';
import type { Session } from '../transport/session';
import type { EndpointPath } from '../wire/endpoints';
import type { JsonBodyValue } from '../wire/json';
import type { KonaplateBody } from '../wire/response';
import type { Result } from '../wire/result';

/** A read changes nothing on Konaplate, so an answer that went missing only costs a second look. */
export const READ_OUTCOME_UNKNOWN =
	'A read changes nothing on Konaplate: run this item again once Konaplate answers, and quote the correlation id to Konaplate support if it keeps failing.';

export const READ_ADVICE: Words = {
	person: READ_OUTCOME_UNKNOWN,
	agent: AGENT_ADVICE.readOutcomeUnknown,
};

/** Sends one read and returns what `parse` reads of its answer; a read changes nothing, so READ_ADVICE holds. */
export async function sendRead<T>(
	ctx: IExecuteFunctions,
	session: Session,
	itemIndex: number,
	read: {
		path: EndpointPath;
		fields: Record<string, JsonBodyValue>;
		parse: (body: KonaplateBody) => Result<T>;
	},
): Promise<KonaplateResult<T>> {
	return await callKonaplate(ctx, session, { ...read, itemIndex, whenOutcomeUnknown: READ_ADVICE });
}
