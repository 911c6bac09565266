import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { successBody } from '../../transport/request';
import { ENDPOINT } from '../../wire/endpoints';
import { LIMITS, parseCardNo } from '../../wire/fields';
import { cardInfoOutput } from '../../wire/reads';
import type { ReadOutput } from '../../wire/reads';
import { readShowFullCardNumbers } from '../options';
import { readParameter, sendRead } from '../fields';
import type { Send } from '../router';

const cardNo: INodeProperties = {
	displayName: 'Card Number',
	name: 'cardNo',
	type: 'string',
	required: true,
	default: '',
	placeholder: '9491339401250765',
	description: `The ${LIMITS.cardNoDigits}-digit mobile or physical card number to look up`,
	displayOptions: { show: { resource: ['card'], operation: ['get'] } },
};

export const description: INodeProperties[] = [cardNo];

export interface GetInput {
	cardNo: string;
	fullCardNumbers: boolean;
}

export function read(ctx: IExecuteFunctions, itemIndex: number): GetInput {
	return {
		cardNo: readParameter(ctx, itemIndex, cardNo, parseCardNo),
		fullCardNumbers: readShowFullCardNumbers(ctx, itemIndex),
	};
}

export const send: Send<GetInput, ReadOutput> = async (ctx, input, itemIndex, session) => {
	const result = await sendRead(ctx, session, itemIndex, {
		path: ENDPOINT.cardInfo,
		fields: { cardNo: input.cardNo },
		parse: successBody,
	});
	return {
		...cardInfoOutput(result.value, input.cardNo, { fullCardNumbers: input.fullCardNumbers }),
		correlationId: result.correlationId,
	};
};
