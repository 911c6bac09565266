import { NodeOperationError } from 'n8n-workflow';
import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parameterError } from '../errors';
import type { OutcomeAdvice } from '../errors';
import { callKonaplate } from '../transport/request';
import type { KonaplateResult } from '../transport/request';
import type { Session } from '../transport/session';
import type { EndpointPath } from '../wire/endpoints';
import type { JsonBodyValue } from '../wire/json';
import type { KonaplateBody } from '../wire/response';
import { LIMITS } from '../wire/fields';
import type { Result } from '../wire/result';

/** A read changes nothing on Konaplate, so an answer that went missing only costs a second look. */
export const READ_OUTCOME_UNKNOWN =
	'A read changes nothing on Konaplate: run this item again once Konaplate answers, and quote the correlation id to Konaplate support if it keeps failing.';

const READ_ADVICE: OutcomeAdvice = {
	person: READ_OUTCOME_UNKNOWN,
	agent:
		'A read changes nothing on Konaplate: calling again is safe. If it keeps failing, tell a person the correlation id.',
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

export function userIdField(displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '50000104652',
		description: `The member's Konaplate user ID: 1 to ${LIMITS.userIdMaxDigits} digits. Pass long IDs as text so every digit stays exact.`,
		displayOptions,
	};
}

/**
 * Reads one parameter of one item and checks it with a pure parser; a refusal names the
 * parameter (by its label and name) and the item, before any request is built.
 */
export function readParameter<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: { displayName: string; name: string },
	parse: (value: unknown) => Result<T>,
): T {
	const raw: unknown = ctx.getNodeParameter(field.name, itemIndex, undefined);
	const parsed = parse(raw);
	if (!parsed.ok) {
		throw parameterError(ctx.getNode(), itemIndex, field, parsed.reason, parsed.agentReason);
	}
	return parsed.value;
}

/** A run-wide option, checked once before anything is sent. */
export function runOption<T>(
	ctx: IExecuteFunctions,
	option: INodeProperties,
	parsed: Result<T>,
): T {
	if (!parsed.ok) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${option.displayName} (${option.name}) ${parsed.reason}`,
			{
				description: 'Nothing was sent to Konaplate.',
			},
		);
	}
	return parsed.value;
}
