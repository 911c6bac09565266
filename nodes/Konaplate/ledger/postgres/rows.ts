import { fieldValue, PUBLIC_STATE, TRANSFER_FIELDS, transferKey } from '../../wire/ledger';
import type { LedgerAccount, Stage, TransferField, TransferFields } from '../../wire/ledger';
import { maskCardNo } from '../../wire/redact';
import type { Inspection, LedgerRow } from '../seam';

/*
 * The shared ledger's rows as the statements send and read them (sql.ts): an item's digests and
 * columns, and a row read back as the seam's Inspection or a listed reference. Pure.
 */

/** The four digests of a row, in TRANSFER_FIELDS order; null where no fields were recorded. */
type Digests = [string | null, string | null, string | null, string | null];

export interface RowDigests {
	state: Stage | null;
	member_digest: string | null;
	from_card_digest: string | null;
	to_card_digest: string | null;
	amount_digest: string | null;
}

/** A field's digest as the workflow ledger's fieldValue makes it: sha256 of the key, field and value. */
function digest(key: string, field: TransferField, value: string): string {
	const entry = fieldValue(key, field, value);
	return entry.slice(entry.lastIndexOf(':') + 1);
}

export function digestsOf(key: string, fields: TransferFields | undefined): Digests {
	if (fields === undefined) return [null, null, null, null];
	return TRANSFER_FIELDS.map((field) => digest(key, field, fields[field])) as Digests;
}

export function rowDigests(row: RowDigests): Digests {
	return [row.member_digest, row.from_card_digest, row.to_card_digest, row.amount_digest];
}

/** The fields whose digests differ, when both the row and the item have them (else none). */
export function differing(recorded: Digests, item: Digests): TransferField[] {
	if (recorded[0] === null || item[0] === null) return [];
	return TRANSFER_FIELDS.filter((_, index) => recorded[index] !== item[index]);
}

/**
 * The four digests, the amount, the masked cards and the transfer key of each item: one array
 * per column (sql.ts, TRANSFER_COLUMNS).
 */
export function transferColumns(
	items: Pending[],
	account: LedgerAccount,
): Array<Array<string | null>> {
	const masked = (card: 'fromCard' | 'toCard') => (fields?: TransferFields) =>
		fields === undefined ? null : maskCardNo(fields[card]);
	return [
		...[0, 1, 2, 3].map((index) => items.map(({ digests }) => digests[index])),
		items.map(({ fields }) => fields?.amount ?? null),
		items.map(({ fields }) => masked('fromCard')(fields)),
		items.map(({ fields }) => masked('toCard')(fields)),
		items.map(({ fields }) => (fields === undefined ? null : transferKey(account, fields))),
	];
}

const msOf = (value: number | null) => (value === null ? undefined : Math.round(value));

/** One reference of a window, as the statements send it. */
export interface Pending {
	/** Its item's place in the window. */
	position: number;
	key: string;
	reference: string;
	digests: Digests;
	fields?: TransferFields;
}

export interface InspectedRow {
	state: Stage;
	claimed_on: string | null;
	claimed_at: number | null;
	in_flight_until: number | null;
}

export function inspection(row: InspectedRow): Inspection {
	return {
		stage: row.state,
		claimedOn: row.claimed_on ?? undefined,
		claimedAt: msOf(row.claimed_at),
		inFlightUntil: msOf(row.in_flight_until),
	};
}

export interface ListedRow {
	reference: string;
	state: Stage;
	claimed_at: Date;
	claimed_on: string;
	settled_at: Date | null;
	workflow_id: string;
	execution_id: string;
	node_name: string;
	correlation_id: string | null;
	amount: string | null;
	from_card_no: string | null;
	to_card_no: string | null;
}

/** A listed row, with the day of its attempt (the history to look in) beside the seam's fields. */
export type ListedReference = LedgerRow & { claimedOn: string };

export function listed(row: ListedRow): ListedReference {
	const optional = (name: keyof LedgerRow, value: string | null) =>
		value === null ? {} : { [name]: value };
	return {
		reference: row.reference,
		state: PUBLIC_STATE[row.state],
		claimedAt: row.claimed_at.toISOString(),
		claimedOn: row.claimed_on,
		...optional('settledAt', row.settled_at?.toISOString() ?? null),
		workflowId: row.workflow_id,
		executionId: row.execution_id,
		nodeName: row.node_name,
		...optional('correlationId', row.correlation_id),
		...optional('amount', row.amount),
		...optional('fromCardNo', row.from_card_no),
		...optional('toCardNo', row.to_card_no),
	};
}
