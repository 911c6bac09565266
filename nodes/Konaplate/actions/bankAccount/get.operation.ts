import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callKonaplate } from '../../transport/request';
import type { Session } from '../../transport/session';
import { ENDPOINT } from '../../wire/endpoints';
import { parseUserId } from '../../wire/fields';
import { JsonInteger } from '../../wire/json';
import { bankAccountOutput, parseBankAccount } from '../../wire/reads';
import type { ReadOutput } from '../../wire/reads';
import { READ_ADVICE, readParameter, userIdField } from '../fields';

const userId = userIdField({ show: { resource: ['bankAccount'], operation: ['get'] } });

export const description: INodeProperties[] = [userId];

export interface GetInput {
	userId: string;
}

export function read(ctx: IExecuteFunctions, itemIndex: number): GetInput {
	return { userId: readParameter(ctx, itemIndex, userId, parseUserId) };
}

export async function send(
	ctx: IExecuteFunctions,
	input: GetInput,
	itemIndex: number,
	session: Session,
): Promise<ReadOutput> {
	const result = await callKonaplate(ctx, session, {
		path: ENDPOINT.accountInfo,
		fields: { userId: new JsonInteger(input.userId) },
		itemIndex,
		whenOutcomeUnknown: READ_ADVICE,
		parse: parseBankAccount,
	});
	return { ...bankAccountOutput(result.value, input.userId), correlationId: result.correlationId };
}
