import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callKonaplate, successBody } from '../../transport/request';
import type { Session } from '../../transport/session';
import { ENDPOINT } from '../../wire/endpoints';
import { LIMITS, parseCardNo } from '../../wire/fields';
import { cardInfoOutput } from '../../wire/reads';
import type { ReadOutput } from '../../wire/reads';
import { readShowFullCardNumbers } from '../options';
import { READ_ADVICE, readParameter } from '../fields';

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

export async function send(
	ctx: IExecuteFunctions,
	input: GetInput,
	itemIndex: number,
	session: Session,
): Promise<ReadOutput> {
	const result = await callKonaplate(ctx, session, {
		path: ENDPOINT.cardInfo,
		fields: { cardNo: input.cardNo },
		itemIndex,
		whenOutcomeUnknown: READ_ADVICE,
		parse: successBody,
	});
	return {
		...cardInfoOutput(result.value, input.cardNo, { fullCardNumbers: input.fullCardNumbers }),
		correlationId: result.correlationId,
	};
}
