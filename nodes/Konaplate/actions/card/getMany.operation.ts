import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENDPOINT } from '../../wire/endpoints';
import { JsonInteger } from '../../wire/json';
import { parseBoolean, parseUserId } from '../../wire/fields';
import { cardsOutput, parseCardList, simplifiedCard } from '../../wire/reads';
import type { ReadOutput } from '../../wire/reads';
import { readParameter, userIdField } from '../parameters';
import { sendRead } from '../read';
import type { OperationEntry, Send } from '../operation';
import { cardLookup } from './lookup';
import type { CardLookup } from './lookup';

const userId = userIdField();

/** n8n's Simplify, as its own nodes word it: on for a read of more than ten fields. */
const simplify: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	hint: 'On: each card as its number (masked unless Show Full Card Numbers), PAR, status, balance, product and expiry. Off: every field Konaplate sends, limits, linked account and points included.',
};

export const operation: OperationEntry = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many cards of a member',
	description:
		"Get a member's cards, one item each: card number (masked unless Show Full Card Numbers), PAR, status, balance, product, limits and points",
};

export { cardReadOptions as options } from './lookup';

export const description: INodeProperties[] = [userId, simplify];

interface CardListInput extends CardLookup {
	simplify: boolean;
}

const lookup = cardLookup(userId, parseUserId);

export const read = (ctx: IExecuteFunctions, itemIndex: number): CardListInput => ({
	...lookup(ctx, itemIndex),
	simplify: readParameter(ctx, itemIndex, simplify, parseBoolean),
});

/** One output item per card of the member (Simplify: its main fields); none when it has none. */
export const send: Send<CardListInput, ReadOutput[]> = async (ctx, input, itemIndex, session) => {
	const result = await sendRead(ctx, session, itemIndex, {
		path: ENDPOINT.cardList,
		fields: { userId: new JsonInteger(input.key) },
		parse: parseCardList,
	});
	// each shaped card is a new object: the correlation id is set on it, not on a copy
	const cards = cardsOutput(result.value, input.key, input.shape).map((card) =>
		input.simplify ? simplifiedCard(card) : card,
	);
	for (const card of cards) card.correlationId = result.correlationId;
	return cards as ReadOutput[];
};
