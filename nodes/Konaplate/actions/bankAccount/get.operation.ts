import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENDPOINT } from '../../wire/endpoints';
import { parseUserId } from '../../wire/fields';
import { JsonInteger } from '../../wire/json';
import { bankAccountOutput, parseBankAccount } from '../../wire/reads';
import type { ReadOutput } from '../../wire/reads';
import { readParameter, userIdField } from '../parameters';
import { sendRead } from '../read';
import type { OperationEntry, Send } from '../operation';

const userId = userIdField();

export const operation: OperationEntry = {
	name: 'Get',
	value: 'get',
	action: 'Get a bank account',
	description:
		'Get the charge bank account registered to a member: its ID, bank, holder name (masked) and account number (last 4 digits only). Fails with 007_001 when none is registered.',
};

export const description: INodeProperties[] = [userId];

export interface GetInput {
	userId: string;
}

export function read(ctx: IExecuteFunctions, itemIndex: number): GetInput {
	return { userId: readParameter(ctx, itemIndex, userId, parseUserId) };
}

export const send: Send<GetInput, ReadOutput> = async (ctx, input, itemIndex, session) => {
	const result = await sendRead(ctx, session, itemIndex, {
		path: ENDPOINT.accountInfo,
		fields: { userId: new JsonInteger(input.userId) },
		parse: parseBankAccount,
	});
	return { ...bankAccountOutput(result.value, input.userId), correlationId: result.correlationId };
};
