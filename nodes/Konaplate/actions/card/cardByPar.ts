import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parameterError, withDescription } from '../../errors';
import type { NodeError } from '../../errors';
import { runsAsTool } from '../../tool/agent';
import { AGENT_REFUSAL } from '../../tool/sentences';
import type { KonaplateResult } from '../../transport/request';
import type { Session } from '../../transport/session';
import { ENDPOINT } from '../../wire/endpoints';
import { parseCardNo } from '../../wire/fields';
import { parsePar } from '../../wire/history';
import { JsonInteger } from '../../wire/json';
import { parseCardList } from '../../wire/reads';
import type { CardList } from '../../wire/reads';
import { maskLast4 } from '../../wire/redact';
import { locatorMode } from '../item-values';
import { readParameter } from '../parameters';
import { sendRead } from '../read';
import { cardNumberOf, PAR_MODE } from './cardChoices';

/*
 * A card named by its PAR token (a card field's By PAR Token mode). Konaplate's transfer takes
 * card numbers, so the number is found among the member's cards (Search for Card, asked without
 * a filter), read once per member per run, before the ledger or the run's checks see the item.
 */

/** A card as an item names it: by its number, or by its PAR token. */
export type CardNamed = { cardNo: string } | { par: string };

/** A card field of one item: its PAR token in the By PAR Token mode, else its number, as ever. */
export function readCard(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: INodeProperties,
): CardNamed {
	return locatorMode(ctx, field.name, itemIndex) === PAR_MODE
		? { par: readParameter(ctx, itemIndex, field, parsePar) }
		: { cardNo: readParameter(ctx, itemIndex, field, parseCardNo) };
}

/** A PAR token as messages and outputs show it: its last 4 characters. */
export const shownPar = (par: string) => `PAR token ${maskLast4(par)}`;

/** The card lists a run read, by member: one read each, its answer or its failure kept. */
const runLists = new WeakMap<Session, Map<string, Promise<KonaplateResult<CardList>>>>();

function memberCards(
	ctx: IExecuteFunctions,
	session: Session,
	itemIndex: number,
	userId: string,
): Promise<KonaplateResult<CardList>> {
	let lists = runLists.get(session);
	if (lists === undefined) runLists.set(session, (lists = new Map()));
	let list = lists.get(userId);
	if (list === undefined) {
		list = sendRead(ctx, session, itemIndex, {
			path: ENDPOINT.cardList,
			fields: { userId: new JsonInteger(userId) },
			parse: parseCardList,
		});
		lists.set(userId, list);
	}
	return list;
}

/**
 * The number of the member's card whose PAR token `par` is, for `field` of the item. Refused
 * when no card of the member has it (or it has no number), or when the list cannot be read.
 */
export async function cardNoByPar(
	ctx: IExecuteFunctions,
	session: Session,
	itemIndex: number,
	{ userId, par, field }: { userId: string; par: string; field: INodeProperties },
): Promise<string> {
	const node = ctx.getNode();
	const { value: cards, correlationId } = await memberCards(ctx, session, itemIndex, userId).catch(
		async (error: NodeError) =>
			await Promise.reject(
				runsAsTool(node)
					? error
					: withDescription(
							error,
							`No transfer was sent for item ${itemIndex}: ${field.displayName} is given by ${shownPar(par)}, and the member's cards, where the node finds its number, could not be read.`,
						),
			),
	);
	const cardNo = cardNumberOf(cards.find((card) => card.par === par) ?? {});
	if (cardNo !== '') return cardNo;
	throw parameterError(
		node,
		itemIndex,
		field,
		{
			person: `is ${shownPar(par)}, which is none of the cards of member ${userId}`,
			agent: AGENT_REFUSAL.parNotFound(maskLast4(par)),
		},
		`No transfer was sent for this item. Konaplate's list of the member's cards (correlation id ${correlationId}) has no card with a number for this PAR token: check User ID and the PAR token (Card → Get Many outputs each card's par).`,
	);
}
