import * as crypto from 'node:crypto';

import { requestStamp } from './clock';
import type { TimeZoneCode } from './clock';
import { ok, refuse } from './result';
import type { Result } from './result';

/**
 * The transfer ledger's values, as kept in n8n's deduplication store. n8n keeps only an md5
 * hash of each value, but an md5 of a card number can be found by trying every number, so a
 * value holds nothing but a sha256 of the account and the operator's own reference.
 */
const PREFIX = 'konaplate:v1';

export const REFERENCE_MAX_LENGTH = 200;

/** The store's two values of a stage: claim, recorded just before the request leaves; done, once Konaplate answered 000_000. */
export type StageValue = 'claim' | 'done';

/** The Konaplate account a reference belongs to: a reference used on the emulator is not one used in production. */
export interface LedgerAccount {
	baseUrl: string;
	aspId: string;
}

/**
 * Where a reference is in its life, in every store: free (never sent, or refused for sure),
 * claimed (sent or being sent: its outcome is not known to the ledger), transferred. The public
 * names (Transfer Reference → Get and Resolve, saved workflows) are PUBLIC_STATE's.
 */
export type Stage = 'free' | 'claimed' | 'transferred';

/**
 * One account, one ledger: the Base URL in its WHATWG normal form (scheme and host in lower
 * case, no default port, IPv4 shorthand and IPv6 written out, dot segments resolved), without
 * trailing slashes. An already-normal spelling gives the very key it always gave, so references
 * recorded before keep their entries.
 */
export function ledgerBaseUrl(baseUrl: string): string {
	if (lastBaseUrl?.written === baseUrl) return lastBaseUrl.normal;
	const normal = normalBaseUrl(baseUrl);
	lastBaseUrl = { written: baseUrl, normal };
	return normal;
}

/** The last Base URL given and its normal form: a run's references all share one. */
let lastBaseUrl: { written: string; normal: string } | undefined;

/** An IPv4-mapped IPv6 host as the WHATWG parser writes it: [::ffff:7f00:1] is 127.0.0.1. */
const MAPPED_IPV4 = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/;

function normalBaseUrl(baseUrl: string): string {
	let normal = baseUrl;
	try {
		const url = new URL(baseUrl.trim());
		// A user name or password in the address names no other account
		url.username = '';
		url.password = '';
		const mapped = MAPPED_IPV4.exec(url.hostname);
		if (mapped !== null) {
			const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
			url.hostname = [high >> 8, high & 255, low >> 8, low & 255].join('.');
		}
		normal = url.href;
	} catch {
		// Not a URL: the credential test refuses it before any transfer; kept as written
	}
	return normal.replace(/\/+$/, '');
}

/** A reference's stage as Transfer Reference → Get and Resolve name it (public values). */
export type LedgerState = 'notSent' | 'transferred' | 'outcomeUnknown';

export const PUBLIC_STATE: Readonly<Record<Stage, LedgerState>> = {
	free: 'notSent',
	claimed: 'outcomeUnknown',
	transferred: 'transferred',
};

/**
 * sha256 in hex: Node's one-shot hash where it has one (Node 20.12 and later, about a third of
 * createHash's time on these short texts), the same digest either way.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string })
	.hash;
export const sha256Hex = (text: string): string =>
	oneShot === undefined
		? crypto.createHash('sha256').update(text).digest('hex')
		: oneShot('sha256', text, 'hex');

/** A person's decision on a reference whose outcome is unknown (Transfer Reference → Resolve). */
export type Decision = 'markTransferred' | 'markNotTransferred';

export function referenceKey(account: LedgerAccount, reference: string): string {
	return sha256Hex(JSON.stringify([ledgerBaseUrl(account.baseUrl), account.aspId, reference]));
}

export function ledgerValue(mark: StageValue, key: string): string {
	return `${PREFIX}:${mark}:${key}`;
}

/**
 * What one transfer under a reference was: the member, both cards and the amount ('entire
 * balance', or whole won). A reference names one transfer: one reused with other fields is refused.
 */
export interface TransferFields {
	member: string;
	fromCard: string;
	toCard: string;
	amount: string;
}

export type TransferField = keyof TransferFields;

export const TRANSFER_FIELDS: readonly TransferField[] = ['member', 'fromCard', 'toCard', 'amount'];

/** A transfer Konaplate moves the whole balance for: its own amount, unlike any number of won. */
export const ENTIRE_BALANCE_AMOUNT = 'entire balance';

/** The marker that a reference's fields were recorded with its claim (none: an older version's entry). */
export function markerValue(key: string): string {
	return `${PREFIX}:fields:${key}`;
}

/** One field of the reference's transfer: a sha256 of the reference key and the field's value, never the value. */
export function fieldValue(key: string, field: TransferField, value: string): string {
	const digest = sha256Hex(JSON.stringify([key, field, value]));
	return `${PREFIX}:${field}:${key}:${digest}`;
}

/**
 * The values a claim records, in this order: the marker, the fields, the claim. n8n trims the
 * oldest values first, so a marker that is still there has all its fields after it; a claim
 * without its marker reads as an older version's entry.
 */
export function claimValues(key: string, fields: TransferFields | undefined): string[] {
	if (fields === undefined) return [ledgerValue('claim', key)];
	return [
		markerValue(key),
		...TRANSFER_FIELDS.map((field) => fieldValue(key, field, fields[field])),
		ledgerValue('claim', key),
	];
}

/**
 * The day of a reference's claim (yyyy-MM-dd in the credential's zone), recorded with it: the
 * day whose history tells whether an attempt went through.
 */
export function dayValue(key: string, day: string): string {
	return `${PREFIX}:day:${key}:${day}`;
}

/** The most entries one claim records (its claimValues and its dayValue), so the most one given back or looked up removes. */
export const CLAIM_ENTRIES = 1 + TRANSFER_FIELDS.length + 1 + 1;

/**
 * One transfer, whatever its Reference: a sha256 of the account and the transfer's fields
 * (member, both cards, amount), never the values. A transfer under one Reference whose outcome is
 * unknown is found by it when an agent sends the same transfer under another Reference or none.
 */
export function transferKey(account: LedgerAccount, fields: TransferFields): string {
	const values = TRANSFER_FIELDS.map((field) => fields[field]);
	return sha256Hex(
		JSON.stringify(['transfer', ledgerBaseUrl(account.baseUrl), account.aspId, ...values]),
	);
}

/** A transfer a workflow ledger's run left with an unknown outcome: recorded then, removed with its Resolve. */
export function transferValue(transfer: string): string {
	return `${PREFIX}:transfer:${transfer}`;
}

/** The entries a counted reference whose outcome is unknown may hold: a claim's, and its transferValue. */
export const UNKNOWN_ENTRIES = CLAIM_ENTRIES + 1;

/** What the store's answer to a claim says of one reference. */
export interface ClaimReading {
	/** Its claim was there: an earlier run sent it (or is sending it). */
	earlier: boolean;
	/** The fields that differ from the earlier transfer's (never their values). */
	differs: TransferField[];
	/** Values the claim recorded only to look, to remove again. */
	lookups: string[];
}

/**
 * What the answer to a claim says of one reference. Its claim there: an earlier run sent it (or
 * is sending it). Its marker there: its fields were recorded, and those of this item not seen
 * differ (a mismatch), also for a reference resolved as not transferred, whose fields stay. No
 * marker (an older version's entry, or no fields given): nothing is compared. What the claim
 * recorded only to look is removed again: the marker and fields of an older entry, the fields
 * that differ, and the claim of a mismatch, which is not sent. `values`: the claim's values
 * (claimValues), when the caller already made them.
 */
export function readClaim(
	key: string,
	fields: TransferFields | undefined,
	seen: ReadonlySet<string>,
	values = claimValues(key, fields),
): ClaimReading {
	const earlier = seen.has(ledgerValue('claim', key));
	if (fields === undefined) return { earlier, differs: [], lookups: [] };
	if (!seen.has(markerValue(key)))
		return { earlier, differs: [], lookups: earlier ? values.slice(0, -1) : [] };
	const differs = TRANSFER_FIELDS.filter((_, index) => !seen.has(values[1 + index]));
	const lookups = differs.length === 0 ? [] : values.filter((value) => !seen.has(value));
	return { earlier, differs, lookups };
}

/**
 * A reference's stage before a claim is which of its claim and done the store held: neither
 * (free: this claim recorded it), claim (claimed: sent, outcome unknown or still in flight),
 * claim and done (transferred). The store has no read-only check: asking records every value it
 * has not seen. So a run first asks for every claim (recording the claims of new references,
 * which it then sends), then for the `done` of the references whose claim was there, and removes
 * the `done` it recorded only to look: those of references whose outcome is unknown.
 */
export function readStates(
	keys: string[],
	claimsSeen: ReadonlySet<string>,
	doneSeen: ReadonlySet<string>,
): { states: Stage[]; toRemove: string[] } {
	const toRemove: string[] = [];
	const states = keys.map((key): Stage => {
		if (!claimsSeen.has(ledgerValue('claim', key))) return 'free';
		const done = ledgerValue('done', key);
		if (doneSeen.has(done)) return 'transferred';
		toRemove.push(done);
		return 'claimed';
	});
	return { states, toRemove };
}

/**
 * Characters no one sees: zero-width spaces and joiners, the soft hyphen, word joiners, the BOM
 * and the bidi marks and embeddings a copy from a right-to-left text brings along.
 */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

/**
 * Dashes that word processors, macOS and spreadsheets put in place of a typed `-`: hyphen,
 * non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign (NFKC already
 * makes the full-width and small hyphen-minus `-`, and the small em dash an em dash).
 */
const DASHES = /[\u2010-\u2015\u2212]/gu;

/**
 * One reference, one entry: Unicode NFKC (a Hangul reference typed on macOS, decomposed, is
 * the one typed on Windows; full-width letters and digits of an IME are the ASCII ones), every
 * dash of DASHES a `-`, no invisible characters anywhere, no surrounding white space. Case is
 * kept: see README, "The transfer ledger".
 */
export function normalReference(value: string): string {
	return value.normalize('NFKC').replace(DASHES, '-').replace(INVISIBLE, '').trim();
}

/** Reference: the operator's own id of one transfer. Empty: no ledger for this item. */
export function parseReference(value: unknown): Result<string> {
	if (value === undefined || value === null) return ok('');
	if (typeof value === 'number' && Number.isSafeInteger(value)) return ok(String(value));
	if (typeof value !== 'string') {
		return refuse(
			`must be a text (such as a payout or order id), got ${typeof value === 'number' ? 'a number that is not a whole number' : `a ${Array.isArray(value) ? 'list' : typeof value}`}`,
		);
	}
	const reference = normalReference(value);
	if (reference.length > REFERENCE_MAX_LENGTH) {
		return refuse(
			`has ${reference.length} characters; at most ${REFERENCE_MAX_LENGTH} are allowed`,
		);
	}
	return ok(reference);
}

/** The day of an instant in the credential's zone, yyyy-MM-dd: the day a transfer's history is read for. */
export function calendarDay(instant: Date, zone: TimeZoneCode): string {
	const stamp = requestStamp(instant, zone);
	return `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}`;
}

/** An instant as a person reads it in the credential's zone: yyyy-MM-dd HH:mm:ss. */
export function requestStampTime(instant: Date, zone: TimeZoneCode): string {
	const stamp = requestStamp(instant, zone);
	return `${calendarDay(instant, zone)} ${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12, 14)}`;
}

/**
 * How many of a workflow ledger's references ended with an unknown outcome, kept in its own row
 * as a binary number: one value per set bit. The store has no counter and no read without a
 * write: asking for every bit's value tells which were there.
 */
export const UNKNOWN_COUNT_BITS = 17;

export function unknownCountValue(bit: number): string {
	return `${PREFIX}:unknowns:${bit}`;
}

export const UNKNOWN_COUNT_VALUES: readonly string[] = Array.from(
	{ length: UNKNOWN_COUNT_BITS },
	(_, bit) => unknownCountValue(bit),
);

/** The count the bits the store already held say. */
export function readUnknownCount(seen: ReadonlySet<string>): number {
	return UNKNOWN_COUNT_VALUES.reduce(
		(sum, value, bit) => sum + (seen.has(value) ? 2 ** bit : 0),
		0,
	);
}

/** The values of a count's set bits. */
export function unknownCountValues(count: number): string[] {
	return UNKNOWN_COUNT_VALUES.filter((_, bit) => Math.floor(count / 2 ** bit) % 2 === 1);
}
