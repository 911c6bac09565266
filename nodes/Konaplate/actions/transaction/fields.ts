import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parameterError } from '../../errors';
import { reasonWords } from '../../tool/sentences';
import { TIME_ZONES } from '../../wire/clock';
import type { TimeZoneCode } from '../../wire/clock';
import { LIMITS } from '../../wire/fields';
import { checkRange, MAX_RANGE_DAYS, parseDay, TRANSACTION_TYPES } from '../../wire/history';
import { cardField } from '../card/cardChoices';
import {
	readLimit as readLimitOf,
	readParameter,
	returnAllFields,
	userIdField,
} from '../parameters';

const startDate: INodeProperties = {
	displayName: 'Start Date',
	name: 'startDate',
	type: 'dateTime',
	required: true,
	default: '',
	description: `The first day to read, by approval date, in the credential's time zone (KST or UTC). At most ${MAX_RANGE_DAYS} days from Start Date to End Date.`,
};

const endDate: INodeProperties = {
	...startDate,
	displayName: 'End Date',
	name: 'endDate',
	description: `The last day to read (included), by approval date, in the credential's time zone. Not before Start Date, at most ${MAX_RANGE_DAYS} days after it.`,
};

const limits = returnAllFields();

/** The operation's fields, in the order the editor shows them. */
export const fields: INodeProperties[] = [
	userIdField(),
	{
		displayName: 'Card',
		name: 'cardBy',
		type: 'options',
		options: [
			{
				name: 'By Card Number',
				value: 'cardNo',
				description:
					"The node finds the card's PAR token among the member's cards (Card → Get Many)",
			},
			{
				name: 'By PAR Token',
				value: 'par',
				description: "The card's PAR token, as Card → Get Many outputs it",
			},
		],
		default: 'cardNo',
		description: 'How the card is given',
	},
	cardField({
		displayName: 'Card Number',
		name: 'cardNo',
		description: `The card whose transactions to read: chosen from the cards of the member in User ID, or its ${LIMITS.cardNoDigits}-digit mobile or physical number. It is not sent to the history endpoint: its PAR token is.`,
		list: 'all',
		displayOptions: { show: { cardBy: ['cardNo'] } },
	}),
	{
		displayName: 'PAR Token',
		name: 'par',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Q1JAD5CAFF04C85EEAFEF95FD81',
		description: "The card's 27-character PAR token (the par field of Card → Get Many)",
		displayOptions: { show: { cardBy: ['par'] } },
	},
	startDate,
	endDate,
	{
		displayName: 'Transaction Type',
		name: 'transactionType',
		type: 'options',
		options: Object.entries(TRANSACTION_TYPES).map(([value, name]) => ({
			name: value === 'all' ? name : `${name} (${value})`,
			value,
		})),
		default: 'all',
		description:
			'Which transactions to read. A balance transfer between cards (Card → Transfer Balance) is a Transfer.',
	},
	{
		displayName: 'Include Previous Card',
		name: 'includePreviousCard',
		type: 'boolean',
		default: false,
		description:
			"Whether to include the transactions of the card's earlier issue, before it was reissued",
	},
	...limits,
];

/** A date range as Konaplate's yyyyMMdd, in one zone. */
export interface DayRange {
	startDate: string;
	endDate: string;
}

/**
 * The date range as Konaplate's yyyyMMdd, in each zone a credential may have (the credential is
 * read after the parameters); refused the wrong way round or too long, in any of them.
 */
export function readDays(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Record<TimeZoneCode, DayRange> {
	const zones = Object.keys(TIME_ZONES) as TimeZoneCode[];
	const ranges = zones.map((zone): [TimeZoneCode, DayRange] => {
		const day = (value: unknown) => parseDay(value, zone);
		const range = {
			startDate: readParameter(ctx, itemIndex, startDate, day),
			endDate: readParameter(ctx, itemIndex, endDate, day),
		};
		const checked = checkRange(range.startDate, range.endDate);
		if (!checked.ok) throw parameterError(ctx.getNode(), itemIndex, endDate, reasonWords(checked));
		return [zone, range];
	});
	return Object.fromEntries(ranges) as Record<TimeZoneCode, DayRange>;
}

/** Return All / Limit: undefined for all. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	return readLimitOf(ctx, itemIndex, limits);
}
