import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callKonaplate } from '../../transport/request';
import type { Session } from '../../transport/session';
import { ENDPOINT } from '../../wire/endpoints';
import { parseUserId } from '../../wire/fields';
import { JsonInteger } from '../../wire/json';
import { cardListOutput, parseCardList } from '../../wire/reads';
import type { ReadOutput } from '../../wire/reads';
import { readShowFullCardNumbers } from '../options';
import { READ_ADVICE, readParameter, userIdField } from '../fields';

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
export async function send(
	ctx: IExecuteFunctions,
	input: GetManyInput,
	itemIndex: number,
	session: Session,
): Promise<ReadOutput[]> {
	const result = await callKonaplate(ctx, session, {
		path: ENDPOINT.cardList,
		fields: { userId: new JsonInteger(input.userId) },
		itemIndex,
		whenOutcomeUnknown: READ_ADVICE,
		parse: parseCardList,
	});
	return cardListOutput(result.value, input.userId, { fullCardNumbers: input.fullCardNumbers }).map((card) => ({
		...card,
		correlationId: result.correlationId,
	}));
}
