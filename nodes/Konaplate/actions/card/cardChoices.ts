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
import { PAR_LENGTH } from '../../wire/history';
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

/** The mode of a card field that names the card by its PAR token (cardField's `byPar`). */
export const PAR_MODE = 'par';

/**
 * A card field: a choice from the member's cards (listed by Search for Card once User ID is set)
 * or a 16-digit number, fixed or from an expression; with `byPar`, also the card's PAR token, whose
 * number the operation finds among the member's cards (cardByPar.ts). A workflow saved when the
 * field was plain text keeps its string value, which n8n reads as it is.
 */
export function cardField(field: {
	displayName: string;
	name: string;
	description: string;
	list: keyof typeof CARD_LIST_METHOD;
	/** Conditions of its own (another field's value), beside its operation's. */
	displayOptions?: IDisplayOptions;
	byPar?: boolean;
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
			...(field.byPar === true
				? [
						{
							displayName: 'By PAR Token',
							name: PAR_MODE,
							type: 'string' as const,
							placeholder: 'Q1JAD5CAFF04C85EEAFEF95FD81',
							validation: [
								{
									type: 'regex',
									properties: {
										regex: `^[A-Za-z0-9]{${PAR_LENGTH}}$`,
										errorMessage: `A PAR token is ${PAR_LENGTH} letters and digits`,
									},
								},
							],
						},
					]
				: []),
		],
	};
}

/**
 * The number a transfer takes for a card of the member's list: its mobile card number (what the
 * list's choices give), or a `cardNo`; '' when it has neither.
 */
export function cardNumberOf(card: CardList[number]): string {
	return text(card.mobileCardNo) || text(card.cardNo);
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
		const cardNo = cardNumberOf(card);
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
