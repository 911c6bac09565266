import { TIME_ZONES } from './clock';
import type { TimeZoneCode } from './clock';
import { describe, isObject } from './json';
import { setField, shapeObject, TRANSACTION } from './redact';
import type { JsonObject } from './redact';
import { objectList } from './reads';
import type { KonaplateBody } from './response';
import { SUCCESS_CODE } from './response';
import { ok, refuse } from './result';
import type { Result } from './result';

/*
 * Checking Transaction History (/api/v1/transaction/card): the date range it is asked for, its
 * paging, and what one transaction outputs. Its answer is known only from a public client's
 * types, so it is read defensively: unknown fields go through redact.ts's defence.
 */

/**
 * The longest range asked for in one run. Konaplate documents no limit: a quarter keeps a run
 * within the paging bound below for all but the busiest cards; split longer periods.
 */
export const MAX_RANGE_DAYS = 92;
/** What the public client asks for; Konaplate documents no page-size limit. */
export const PAGE_SIZE = 20;
/** A paging that has not ended after this many pages stops with an error (5,000 transactions). */
export const MAX_PAGES = 250;

/** Konaplate's trType codes; `all` sends none. */
export const TRANSACTION_TYPES = {
	all: 'All',
	'00': 'Payment',
	'01': 'Charge',
	'02': 'Refund',
	'03': 'Transfer',
} as const;

export type TransactionType = keyof typeof TRANSACTION_TYPES;

export function parseTransactionType(value: unknown): Result<TransactionType> {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TRANSACTION_TYPES, value)
		? ok(value as TransactionType)
		: refuse(`must be one of ${Object.keys(TRANSACTION_TYPES).join(', ')}`);
}

/** The length of a PAR token on Konaplate's pages. */
export const PAR_LENGTH = 27;

/** A PAR token: 27 letters and digits. */
export function parsePar(value: unknown): Result<string> {
	if (typeof value !== 'string' || !new RegExp(`^[A-Za-z0-9]{${PAR_LENGTH}}$`).test(value.trim()))
		return refuse(
			`must be a PAR token of ${PAR_LENGTH} letters and digits, got ${describe(value)}`,
		);
	return ok(value.trim());
}

const DATE_TEXT =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * A date picker's value as Konaplate's yyyyMMdd, in the credential's zone: a date or date-time
 * written without a zone is that calendar day as written; one with a zone (or a Date) is the
 * instant's day in the credential's zone.
 */
export function parseDay(value: unknown, zone: TimeZoneCode): Result<string> {
	let text: string | undefined;
	if (value instanceof Date) text = value.toISOString();
	else if (typeof value === 'string') text = value.trim();
	else if (isObject(value) && typeof value.toISO === 'function')
		text = String((value.toISO as () => unknown)());
	const match = text === undefined ? null : DATE_TEXT.exec(text);
	if (text === undefined || match === null)
		return refuse(`must be a date such as 2026-12-01, got ${describe(value)}`);
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const calendar = new Date(Date.UTC(year, month - 1, day));
	if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day)
		return refuse(`is not a date of the calendar: "${text}"`);
	if (match[7] === undefined) return ok(`${pad(year, 4)}${pad(month)}${pad(day)}`);
	const instant = new Date(text.replace(' ', 'T'));
	if (Number.isNaN(instant.getTime())) return refuse(`is not a date: "${text}"`);
	const local = new Date(instant.getTime() + TIME_ZONES[zone] * 60_000);
	return ok(
		`${pad(local.getUTCFullYear(), 4)}${pad(local.getUTCMonth() + 1)}${pad(local.getUTCDate())}`,
	);
}

const dayNumber = (day: string) =>
	Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8))) /
	86_400_000;

/** A range whose end is not before its start and which spans at most MAX_RANGE_DAYS days. */
export function checkRange(startDate: string, endDate: string): Result<number> {
	const days = dayNumber(endDate) - dayNumber(startDate) + 1;
	if (days < 1)
		return refuse(`ends (${endDate}) before it starts (${startDate}): swap the two dates`);
	if (days > MAX_RANGE_DAYS)
		return refuse(
			`spans ${days} days; at most ${MAX_RANGE_DAYS} are read in one go: split the period into shorter ranges`,
		);
	return ok(days);
}

/** One page of the answer: its transactions, and what its pageResponse says of the paging. */
export interface HistoryPage {
	transactions: Array<Record<string, unknown>>;
	totalPages?: number;
}

const pageNumber = (value: unknown) =>
	typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;

/** A history page that can be read: transactionInfo a list of objects (or absent: none), the page asked for. */
export function parseHistoryPage(body: KonaplateBody, page: number): Result<HistoryPage> {
	const read = objectList(body, 'transactionInfo', 'transaction');
	if (!read.ok) return read;
	const list = read.value;
	const paging = body.pageResponse;
	if (paging === undefined || paging === null) return ok({ transactions: list });
	if (!isObject(paging))
		return refuse(
			`the success code ${SUCCESS_CODE} with pageResponse as ${describe(paging, 'answer')}, where the paging was expected`,
		);
	if (paging.page !== undefined && pageNumber(paging.page) !== page)
		return refuse(
			`page ${String(pageNumber(paging.page) ?? describe(paging.page, 'answer'))} where page ${page} was asked for`,
		);
	return ok({ transactions: list, totalPages: pageNumber(paging.totalPages) });
}

const DATE_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** yyyyMMddHHmmss in `zone` as ISO 8601 with the zone's offset; undefined when it is not such a time. */
export function isoDateTime(value: unknown, zone: TimeZoneCode): string | undefined {
	const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
	if (match === null) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
	const wall = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	const same =
		wall.getUTCMonth() === month - 1 &&
		wall.getUTCDate() === day &&
		wall.getUTCHours() === hour &&
		wall.getUTCMinutes() === minute &&
		wall.getUTCSeconds() === second;
	if (!same) return undefined;
	const offset = TIME_ZONES[zone];
	const sign = offset >= 0 ? '+' : '-';
	const zoneText = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
	return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}${zoneText}`;
}

/**
 * One transaction as output: its fields by redact.ts's TRANSACTION rules, approvalDateTime as
 * ISO 8601 in the credential's zone (left as it came, through the defence, when it is no such
 * time), and the card's PAR token.
 */
export function transactionOutput(
	transaction: Record<string, unknown>,
	par: string,
	zone: TimeZoneCode,
): JsonObject {
	const shown = shapeObject(TRANSACTION, transaction, { fullCardNumbers: false });
	const iso = isoDateTime(transaction.approvalDateTime, zone);
	if (iso !== undefined) setField(shown, 'approvalDateTime', iso);
	setField(shown, 'par', par);
	return shown;
}
