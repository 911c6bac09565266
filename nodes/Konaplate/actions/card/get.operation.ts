import type { INodeProperties } from 'n8n-workflow';

import { successBody } from '../../transport/request';
import { ENDPOINT } from '../../wire/endpoints';
import { LIMITS, parseCardNo } from '../../wire/fields';
import { cardInfoOutput } from '../../wire/reads';
import type { ReadOutput } from '../../wire/reads';
import { sendRead } from '../read';
import type { OperationEntry, Send } from '../operation';
import { cardField } from './cardChoices';
import { cardLookup } from './lookup';
import type { CardLookup } from './lookup';

/** Only for the card list of Card Number: Card → Get looks a card up by its number alone. */
const listUserId: INodeProperties = {
	displayName: 'User ID (to List Their Cards)',
	name: 'userId',
	type: 'string',
	default: '',
	placeholder: '50000104652',
	description:
		'Optional: a member whose cards Card Number lists to choose from. It is not sent: the card is looked up by its number alone.',
};

const cardNo = cardField({
	displayName: 'Card Number',
	name: 'cardNo',
	description: `The card to look up: chosen from the cards of the member in User ID, or its ${LIMITS.cardNoDigits}-digit mobile or physical number`,
	list: 'all',
});

export const operation: OperationEntry = {
	name: 'Get',
	value: 'get',
	action: 'Get a card with its balance and status',
	description:
		'Get one card by its 16-digit number: its balance, status (only ACTIVE cards can transfer), product and the member ID it belongs to',
};

export { cardReadOptions as options } from './lookup';

export const description: INodeProperties[] = [listUserId, cardNo];

export const read = cardLookup(cardNo, parseCardNo);

export const send: Send<CardLookup, ReadOutput> = async (ctx, input, itemIndex, session) => {
	const result = await sendRead(ctx, session, itemIndex, {
		path: ENDPOINT.cardInfo,
		fields: { cardNo: input.key },
		parse: successBody,
	});
	return {
		...cardInfoOutput(result.value, input.key, input.shape),
		correlationId: result.correlationId,
	};
};
