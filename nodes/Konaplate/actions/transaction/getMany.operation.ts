import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { TimeZoneCode } from '../../wire/clock';
import { ENDPOINT } from '../../wire/endpoints';
import { parseBoolean, parseCardNo, parseUserId } from '../../wire/fields';
import {
	MAX_PAGES,
	PAGE_SIZE,
	parseHistoryPage,
	parsePar,
	parseTransactionType,
	transactionOutput,
} from '../../wire/history';
import type { TransactionType } from '../../wire/history';
import { JsonInteger } from '../../wire/json';
import type { JsonObject } from '../../wire/redact';
import { maskCardNo } from '../../wire/redact';
import type { OperationEntry, Send } from '../operation';
import { readParameter } from '../parameters';
import { sendRead } from '../read';
import { findPar } from './card';
import { fields, readDays, readLimit } from './fields';
import type { DayRange } from './fields';

export const operation: OperationEntry = {
	name: 'Get Many',
	value: 'getMany',
	action: "Get many transactions of a member's card",
	description:
		"Get a card's transactions over a date range (Konaplate's Checking Transaction History), one item each: type, amount, balances before and after, approval time, merchant",
};

export const description: INodeProperties[] = fields;

export interface HistoryInput {
	userId: string;
	/** The card by number (its PAR is looked up), or its PAR token directly. */
	card: { cardNo: string } | { par: string };
	/** The date range in each zone a credential may have: the session's is sent. */
	days: Record<TimeZoneCode, DayRange>;
	transactionType: TransactionType;
	includePreviousCard: boolean;
	/** undefined: Return All. */
	limit?: number;
}

const field = (name: string) => fields.find((entry) => entry.name === name) as INodeProperties;

export function read(ctx: IExecuteFunctions, itemIndex: number): HistoryInput {
	const by = ctx.getNodeParameter('cardBy', itemIndex, 'cardNo');
	return {
		userId: readParameter(ctx, itemIndex, field('userId'), parseUserId),
		card:
			by === 'par'
				? { par: readParameter(ctx, itemIndex, field('par'), parsePar) }
				: { cardNo: readParameter(ctx, itemIndex, field('cardNo'), parseCardNo) },
		days: readDays(ctx, itemIndex),
		transactionType: readParameter(ctx, itemIndex, field('transactionType'), parseTransactionType),
		includePreviousCard: readParameter(ctx, itemIndex, field('includePreviousCard'), parseBoolean),
		limit: readLimit(ctx, itemIndex),
	};
}

/** One output item per transaction, newest first, over as many pages as Return All / Limit needs. */
export const send: Send<HistoryInput, JsonObject[]> = async (ctx, input, itemIndex, session) => {
	const { card } = input;
	const par =
		'par' in card
			? card.par
			: await findPar(ctx, session, itemIndex, { userId: input.userId, cardNo: card.cardNo });
	const zone = session.credential.timeZone;
	const wanted = input.limit ?? Number.POSITIVE_INFINITY;
	const items: JsonObject[] = [];
	for (let page = 0; items.length < wanted; page++) {
		if (page === MAX_PAGES)
			throw new NodeOperationError(
				ctx.getNode(),
				`Konaplate's transaction history of item ${itemIndex} did not end after ${MAX_PAGES} pages of ${PAGE_SIZE}`,
				{
					itemIndex,
					description: `Nothing is output for this item. Read a shorter date range, a single transaction type, or turn Return All off and set a Limit.`,
				},
			);
		const result = await sendRead(ctx, session, itemIndex, {
			path: ENDPOINT.transactions,
			fields: {
				userId: new JsonInteger(input.userId),
				par,
				...input.days[zone],
				...(input.transactionType !== 'all' && { trType: input.transactionType }),
				includePreviousCard: input.includePreviousCard,
				pageRequest: {
					page,
					pageSize: PAGE_SIZE,
					sort: 'approvalDateTime',
					orderByDirection: 'DESC',
				},
			},
			parse: (body) => parseHistoryPage(body, page),
		});
		const { transactions, totalPages } = result.value;
		for (const transaction of transactions.slice(0, wanted - items.length))
			items.push({
				...transactionOutput(transaction, par, zone),
				...('cardNo' in input.card && { cardNo: maskCardNo(input.card.cardNo) }),
				correlationId: result.correlationId,
			});
		const last =
			transactions.length === 0 ||
			(totalPages !== undefined ? page + 1 >= totalPages : transactions.length < PAGE_SIZE);
		if (last) break;
	}
	return items;
};
