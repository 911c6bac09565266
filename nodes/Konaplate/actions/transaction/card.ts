import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { Session } from '../../transport/session';
import { ENDPOINT } from '../../wire/endpoints';
import { JsonInteger } from '../../wire/json';
import { parseCardList } from '../../wire/reads';
import { maskCardNo } from '../../wire/redact';
import { sendRead } from '../read';

/**
 * The PAR token of one of the member's cards (for the history and a status change), found among the member's cards (Search for Card,
 * asked without a filter: a card number never goes into its plain request).
 */
export async function findPar(
	ctx: IExecuteFunctions,
	session: Session,
	itemIndex: number,
	input: { userId: string; cardNo: string },
): Promise<string> {
	const { value: cards, correlationId } = await sendRead(ctx, session, itemIndex, {
		path: ENDPOINT.cardList,
		fields: { userId: new JsonInteger(input.userId) },
		parse: parseCardList,
	});
	const card = cards.find(
		(entry) => entry.mobileCardNo === input.cardNo || entry.physicalCardNo === input.cardNo,
	);
	if (card !== undefined && typeof card.par === 'string' && card.par !== '') return card.par;
	throw new NodeOperationError(
		ctx.getNode(),
		`Card ${maskCardNo(input.cardNo)} of item ${itemIndex} is not a card of member ${input.userId}${card === undefined ? '' : ' with a PAR token'}`,
		{
			itemIndex,
			description: `Konaplate's list of the member's cards (correlation id ${correlationId}) does not have it. Check the user ID and the card number (Card → Get tells which member a card belongs to). Nothing else was sent to Konaplate.`,
		},
	);
}
