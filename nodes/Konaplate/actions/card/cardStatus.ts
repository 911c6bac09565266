import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Words } from '../../tool/agent';
import { callKonaplate, successBody } from '../../transport/request';
import { ENDPOINT } from '../../wire/endpoints';
import { LIMITS, parseCardNo, parseUserId } from '../../wire/fields';
import { JsonInteger } from '../../wire/json';
import { maskCardNo } from '../../wire/redact';
import { readParameter, userIdField } from '../parameters';
import type { Send } from '../operation';
import { findPar } from '../transaction/card';
import { cardField } from './cardChoices';

/** What "Modification of the Card's State" takes as `status`: SUSPEND (중지) or RESUME (중지 해지). */
export type CardStatusRequest = 'SUSPEND' | 'RESUME';

export interface CardStatusInput {
	userId: string;
	cardNo: string;
}

/** A change Konaplate confirmed (000_000); the card number masked. */
export type CardStatusOutput = {
	userId: string;
	cardNo: string;
	status: CardStatusRequest;
	correlationId: string;
} & ({ suspended: true } | { resumed: true });

/**
 * The fields, reader and sender of one status change. The card is sent by its PAR token, found
 * among the member's cards (a read first): the request is plain on Konaplate's page, so no full
 * card number goes into it.
 */
export function cardStatusOperation(operation: string, status: CardStatusRequest) {
	const userId = userIdField();
	const cardNo = cardField({
		displayName: 'Card Number',
		name: 'cardNo',
		description: `The member's card: chosen from their cards, or its ${LIMITS.cardNoDigits}-digit mobile or physical number. Only its PAR token is sent.`,
		list: 'all',
	});
	const description: INodeProperties[] = [userId, cardNo];

	const read = (ctx: IExecuteFunctions, itemIndex: number): CardStatusInput => ({
		userId: readParameter(ctx, itemIndex, userId, parseUserId),
		cardNo: readParameter(ctx, itemIndex, cardNo, parseCardNo),
	});

	const send =
		(whenOutcomeUnknown: Words): Send<CardStatusInput, CardStatusOutput> =>
		async (ctx, input, itemIndex, session) => {
			const par = await findPar(ctx, session, itemIndex, input);
			const result = await callKonaplate(ctx, session, {
				path: ENDPOINT.cardStatus,
				fields: { userId: new JsonInteger(input.userId), par, status },
				itemIndex,
				whenOutcomeUnknown,
				parse: successBody,
			});
			return {
				...(status === 'SUSPEND' ? { suspended: true as const } : { resumed: true as const }),
				userId: input.userId,
				cardNo: maskCardNo(input.cardNo),
				status,
				correlationId: result.correlationId,
			};
		};

	return { description, read, send };
}
