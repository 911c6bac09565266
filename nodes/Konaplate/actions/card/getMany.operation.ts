import type { INodeProperties } from 'n8n-workflow';

import { ENDPOINT } from '../../wire/endpoints';
import { parseUserId } from '../../wire/fields';
import { JsonInteger } from '../../wire/json';
import { cardListOutput, parseCardList } from '../../wire/reads';
import type { ReadOutput } from '../../wire/reads';
import { userIdField } from '../parameters';
import { sendRead } from '../read';
import type { OperationEntry, Send } from '../operation';
import { cardLookup } from './lookup';
import type { CardLookup } from './lookup';

const userId = userIdField({ show: { resource: ['card'], operation: ['getMany'] } });

export const operation: OperationEntry = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many cards of a member',
	description:
		"Get a member's cards, one item each: card number (masked unless Show Full Card Numbers), PAR, status, balance, product, limits and points",
};

export { cardReadOptions as options } from './lookup';

export const description: INodeProperties[] = [userId];

export const read = cardLookup(userId, parseUserId);

/** One output item per card of the member; none when the member has no card. */
export const send: Send<CardLookup, ReadOutput[]> = async (ctx, input, itemIndex, session) => {
	const result = await sendRead(ctx, session, itemIndex, {
		path: ENDPOINT.cardList,
		fields: { userId: new JsonInteger(input.key) },
		parse: parseCardList,
	});
	// each shaped card is a new object: the correlation id is set on it, not on a copy
	const cards = cardListOutput(result.value, input.key, input.shape);
	for (const card of cards) card.correlationId = result.correlationId;
	return cards as ReadOutput[];
};
