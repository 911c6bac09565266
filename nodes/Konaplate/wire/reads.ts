import { SUCCESS_CODE } from './response';
import type { KonaplateBody } from './response';
import { describe, isObject } from './json';
import {
	BANK_ACCOUNT_INFO,
	CARD_INFO,
	CARD_LIST_CARD,
	maskCardNo,
	setField,
	shapeObject,
} from './redact';
import type { Json, JsonObject, ShapeOptions } from './redact';
import { ok, refuse } from './result';
import type { Result } from './result';

/*
 * The three reads' outputs, one pure function per endpoint, and what makes an answer unreadable.
 * Field by field rules: redact.ts.
 */

/** The business fields of an answer: everything beside Konaplate's `response` envelope. */
function fieldsOf(body: KonaplateBody): Record<string, unknown> {
	const fields: JsonObject = {};
	for (const key of Object.keys(body)) {
		if (key !== 'response') setField(fields, key, body[key] as Json);
	}
	return fields;
}

/** A list field of an answer that can be read: a list of objects, or absent/null (none). */
export function objectList(
	body: KonaplateBody,
	field: string,
	entry: string,
): Result<Array<Record<string, unknown>>> {
	const list = body[field] ?? [];
	if (!Array.isArray(list))
		return refuse(
			`the success code ${SUCCESS_CODE} with ${field} as ${describe(list, 'answer')}, where a list of ${entry}s was expected`,
		);
	const bad = list.findIndex((item) => !isObject(item));
	if (bad !== -1)
		return refuse(
			`the success code ${SUCCESS_CODE} with ${entry} ${bad} of ${field} as ${describe(list[bad], 'answer')}, where a ${entry} object was expected`,
		);
	return ok(list as Array<Record<string, unknown>>);
}

/** The member's cards of a card list answer, each an object: checked once, where it is read. */
export type CardList = ReadonlyArray<Record<string, unknown>>;

/** A card list answer that can be read: cardDataInfo is a list of objects (or absent: no cards). */
export function parseCardList(body: KonaplateBody): Result<CardList> {
	return objectList(body, 'cardDataInfo', 'card');
}

/** One output per card of an answer, in Konaplate's order (none when the list cannot be read). */
export function cardListOutput(
	body: KonaplateBody,
	userId: string,
	options: ShapeOptions,
): JsonObject[] {
	const list = parseCardList(body);
	return list.ok ? cardsOutput(list.value, userId, options) : [];
}

/** One output per card, in Konaplate's order, each with the member id asked about. */
export function cardsOutput(cards: CardList, userId: string, options: ShapeOptions): JsonObject[] {
	return cards.map((card) => {
		// the shaped card is a new object: userId set on it, not on a copy
		const shown = shapeObject(CARD_LIST_CARD, card, options);
		setField(shown, 'userId', userId);
		return shown;
	});
}

/**
 * The fields of a card an operator works with (Simplify): its number (the mobile one, else the
 * physical one), PAR token, status, balance, product and expiry, flat; taken from the shaped card,
 * so each keeps its rule (a number masked unless Show Full Card Numbers).
 */
export function simplifiedCard(shown: JsonObject): JsonObject {
	const simple: JsonObject = {};
	const first = (...keys: string[]): Json | undefined =>
		keys.map((key) => shown[key]).find((value) => value !== undefined && value !== null);
	const fields: Array<[string, Json | undefined]> = [
		['userId', shown.userId],
		['cardNo', first('mobileCardNo', 'physicalCardNo', 'cardNo')],
		['par', shown.par],
		['status', first('mobileCardStatus', 'physicalCardStatus')],
		['balance', shown.balance],
		['serviceName', shown.serviceName],
		['expiryDate', shown.expiryDate],
	];
	for (const [key, value] of fields) if (value !== undefined) setField(simple, key, value);
	return simple;
}

/** The card's answer; cardNo is the card asked about, userId (when mapped to a member) exact. */
export function cardInfoOutput(
	body: KonaplateBody,
	cardNo: string,
	options: ShapeOptions,
): JsonObject {
	const shown = shapeObject(CARD_INFO, fieldsOf(body), options);
	setField(shown, 'cardNo', options.fullCardNumbers ? cardNo : maskCardNo(cardNo));
	return shown;
}

/** A registered-account answer that can be read: accountInfo is an object or null. */
export function parseBankAccount(body: KonaplateBody): Result<KonaplateBody> {
	const { accountInfo } = body;
	if (accountInfo === null || isObject(accountInfo)) return ok(body);
	return refuse(
		`the success code ${SUCCESS_CODE} with accountInfo as ${describe(accountInfo, 'answer')}, where the account's details were expected`,
	);
}

/** What a read outputs: Konaplate's fields, shaped (redact.ts), and the exchange's correlation id. */
export type ReadOutput = JsonObject & { correlationId: string };

/** The registered account, masked; userId is the member asked about. */
export function bankAccountOutput(body: KonaplateBody, userId: string): JsonObject {
	const shown = shapeObject(BANK_ACCOUNT_INFO, fieldsOf(body), { fullCardNumbers: false });
	setField(shown, 'userId', userId);
	return shown;
}
