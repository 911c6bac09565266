import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { AGENT_ADVICE } from '../../tool/sentences';
import { callKonaplate, successBody } from '../../transport/request';
import { ENDPOINT } from '../../wire/endpoints';
import { parseUserId } from '../../wire/fields';
import { JsonInteger } from '../../wire/json';
import { readParameter, userIdField } from '../parameters';
import type { OperationEntry, Send } from '../operation';

const userId = userIdField();

export const operation: OperationEntry = {
	name: 'Delete',
	value: 'delete',
	action: 'Delete a bank account',
	description: 'Delete the charge bank account registered to a member',
};

export const description: INodeProperties[] = [userId];

export interface DeleteInput {
	userId: string;
}

export function read(ctx: IExecuteFunctions, itemIndex: number): DeleteInput {
	return { userId: readParameter(ctx, itemIndex, userId, parseUserId) };
}

export type DeleteOutput = { deleted: true; userId: string; correlationId: string };

export const send: Send<DeleteInput, DeleteOutput> = async (ctx, input, itemIndex, session) => {
	const result = await callKonaplate(ctx, session, {
		path: ENDPOINT.delete,
		fields: { userId: new JsonInteger(input.userId) },
		itemIndex,
		whenOutcomeUnknown: {
			person:
				"It is unknown whether the bank account was deleted: look up the member's registered account before running this item again.",
			agent: AGENT_ADVICE.deleteOutcomeUnknown,
		},
		parse: successBody,
	});
	return { deleted: true, userId: input.userId, correlationId: result.correlationId };
};
