import type { INodeProperties } from 'n8n-workflow';

import { successBody } from '../../transport/request';
import { ENDPOINT } from '../../wire/endpoints';
import { LIMITS, parseCardNo } from '../../wire/fields';
import { cardInfoOutput } from '../../wire/reads';
import type { ReadOutput } from '../../wire/reads';
import { cardNoField } from '../parameters';
import { sendRead } from '../read';
import type { OperationEntry, Send } from '../operation';
import { cardLookup } from './lookup';
import type { CardLookup } from './lookup';

const cardNo = cardNoField(
	`The ${LIMITS.cardNoDigits}-digit mobile or physical card number to look up`,
	{ show: { resource: ['card'], operation: ['get'] } },
);

export const operation: OperationEntry = {
	name: 'Get',
	value: 'get',
	action: 'Get a card with its balance and status',
	description:
		'Get one card by its 16-digit number: its balance, status (only ACTIVE cards can transfer), product and the member ID it belongs to',
};

export { cardReadOptions as options } from './lookup';

export const description: INodeProperties[] = [cardNo];

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
