import { NodeOperationError } from 'n8n-workflow';
import type {
	IDisplayOptions,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeProperties,
} from 'n8n-workflow';

import { callKonaplate } from '../../transport/request';
import { openSession } from '../../transport/session';
import { CREDENTIAL_TYPE } from '../../wire/credentials';
import { ENDPOINT } from '../../wire/endpoints';
import { LIMITS, parseUserId } from '../../wire/fields';
import { JsonInteger } from '../../wire/json';
import { formatWon } from '../../wire/money';
import { parseCardList } from '../../wire/reads';
import type { CardList } from '../../wire/reads';
import { maskCardNo } from '../../wire/redact';
import { DEFAULT_TIMEOUT_MS } from '../options';
import { READ_ADVICE } from '../read';

/** The card's status that allows a transfer, from or to it. */
const ACTIVE = 'ACTIVE';

/** The listSearch methods of the node (Konaplate.node.ts `methods`), by the name a field names. */
export const CARD_LIST_METHOD = {
	all: 'searchCards',
	active: 'searchActiveCards',
} as const;

/**
 * A card field: a choice from the member's cards (listed by Search for Card once User ID is set)
 * or a 16-digit number, fixed or from an expression. A workflow saved when the field was plain
 * text keeps its string value, which n8n reads as it is.
 */
export function cardField(field: {
	displayName: string;
	name: string;
	description: string;
	list: keyof typeof CARD_LIST_METHOD;
	/** Conditions of its own (another field's value), beside its operation's. */
	displayOptions?: IDisplayOptions;
}): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description: field.description,
		typeOptions: { loadOptionsDependsOn: ['userId'] },
		displayOptions: field.displayOptions,
		modes: [
			{
				displayName: "From the Member's Cards",
				name: 'list',
				type: 'list',
				placeholder: 'Select a card (set User ID first)',
				typeOptions: { searchListMethod: CARD_LIST_METHOD[field.list], searchable: true },
			},
			{
				displayName: 'By Number',
				name: 'id',
				type: 'string',
				placeholder: '9491339401250765',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: `^\\d{${LIMITS.cardNoDigits}}$`,
							errorMessage: `A card number is ${LIMITS.cardNoDigits} digits`,
						},
					},
				],
			},
		],
	};
}

/** Text of a value from the card list (a number may come as an exact integer). */
function text(value: unknown): string {
	if (value instanceof JsonInteger) return value.digits;
	return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * The member's cards as choices: the masked number, status and balance in the label, the full
 * number only in the value. `activeOnly`: only cards a transfer can use. `filter`: digits or
 * words the label or number must contain.
 */
export function cardChoices(
	cards: CardList,
	{ activeOnly, filter }: { activeOnly: boolean; filter?: string },
): INodeListSearchItems[] {
	const wanted = (filter ?? '').trim().toLowerCase();
	return cards.flatMap((card) => {
		const cardNo = text(card.mobileCardNo) || text(card.cardNo);
		const status = text(card.mobileCardStatus) || text(card.cardStatus) || 'status unknown';
		if (cardNo === '' || (activeOnly && status !== ACTIVE)) return [];
		const balance = text(card.balance);
		const product = text(card.serviceName);
		const name = [
			maskCardNo(cardNo),
			status,
			balance === '' ? 'balance unknown' : `${formatWon(Number(balance))} KRW`,
			...(product === '' ? [] : [product]),
		].join(' · ');
		if (wanted !== '' && !`${name} ${cardNo}`.toLowerCase().includes(wanted)) return [];
		return [{ name, value: cardNo }];
	});
}

async function searchMemberCards(
	ctx: ILoadOptionsFunctions,
	activeOnly: boolean,
	filter?: string,
): Promise<INodeListSearchResult> {
	const userId = parseUserId(ctx.getCurrentNodeParameter('userId'));
	if (!userId.ok)
		throw new NodeOperationError(
			ctx.getNode(),
			`To list the member's cards, set User ID to a fixed member ID first: it ${userId.reason}`,
			{ description: 'Or choose By Number and give the card number, as a value or an expression.' },
		);
	const session = await openSession(ctx, CREDENTIAL_TYPE, DEFAULT_TIMEOUT_MS);
	const { value: cards } = await callKonaplate(ctx, session, {
		path: ENDPOINT.cardList,
		fields: { userId: new JsonInteger(userId.value) },
		itemIndex: 0,
		whenOutcomeUnknown: READ_ADVICE,
		parse: parseCardList,
	});
	return { results: cardChoices(cards, { activeOnly, filter }) };
}

/** The node's listSearch methods: every card of the member (Card → Get), or its ACTIVE ones. */
export const listSearch = {
	async [CARD_LIST_METHOD.all](
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		return await searchMemberCards(this, false, filter);
	},
	async [CARD_LIST_METHOD.active](
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		return await searchMemberCards(this, true, filter);
	},
};
