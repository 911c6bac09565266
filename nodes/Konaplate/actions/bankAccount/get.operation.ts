import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callKonaplate } from '../../transport/request';
import type { Session } from '../../transport/session';
import { ENDPOINT } from '../../wire/endpoints';
import { parseUserId } from '../../wire/fields';
import { JsonInteger } from '../../wire/json';
import { bankAccountOutput, bankAccountProblem } from '../../wire/reads';
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
): Promise<IDataObject> {
	const result = await callKonaplate(ctx, session, {
		path: ENDPOINT.accountInfo,
		fields: { userId: new JsonInteger(input.userId) },
		itemIndex,
		whenOutcomeUnknown: READ_ADVICE,
		checkSuccess: bankAccountProblem,
	});
	return { ...bankAccountOutput(result.body, input.userId), correlationId: result.correlationId };
}
