import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENDPOINT } from '../../wire/endpoints';
import { parseUserId } from '../../wire/fields';
import { JsonInteger } from '../../wire/json';
import { cardListOutput, parseCardList } from '../../wire/reads';
import type { ReadOutput } from '../../wire/reads';
import { readShowFullCardNumbers } from '../options';
import { readParameter, sendRead, userIdField } from '../fields';
import type { Send } from '../router';

const userId = userIdField({ show: { resource: ['card'], operation: ['getMany'] } });

export const description: INodeProperties[] = [userId];

export interface GetManyInput {
	userId: string;
	fullCardNumbers: boolean;
}

export function read(ctx: IExecuteFunctions, itemIndex: number): GetManyInput {
	return {
		userId: readParameter(ctx, itemIndex, userId, parseUserId),
		fullCardNumbers: readShowFullCardNumbers(ctx, itemIndex),
	};
}

/** One output item per card of the member; none when the member has no card. */
export const send: Send<GetManyInput, ReadOutput[]> = async (ctx, input, itemIndex, session) => {
	const result = await sendRead(ctx, session, itemIndex, {
		path: ENDPOINT.cardList,
		fields: { userId: new JsonInteger(input.userId) },
		parse: parseCardList,
	});
	return cardListOutput(result.value, input.userId, { fullCardNumbers: input.fullCardNumbers }).map(
		(card) => ({
			...card,
			correlationId: result.correlationId,
		}),
	);
};
