/**
 * The seam between the item loop and the transfer ledger, and between the ledger and its store.
 *
 * The item loop hands the ledger `LedgerItem`s before they leave and an `ItemResult` for each
 * one sent; the ledger hands a `LedgerStore` claims, settlements and look-ups. Nothing here
 * reads an operation's output or an error's context: what the ledger needs arrives typed.
 *
 * Levels, from the loop down: Bookkeeping (the item loop's side: errors, what completed),
 * LedgerRun (one run's claims and what waits to be written), LedgerStore (one store: n8n's
 * deduplication store per workflow, or the account's PostgreSQL table).
 */
import type { RequestOutcome } from '../errors';
import type { Decision, LedgerState, Stage, TransferField, TransferFields } from '../wire/ledger';

/** The stage an attempt's outcome leaves its reference in. */
export const STAGE_AFTER: Readonly<Record<RequestOutcome, Stage>> = {
	refused: 'free',
	unknown: 'claimed',
	transferred: 'transferred',
};

/** One item of a run, as the ledger knows it: '' as reference for none. */
export interface LedgerItem {
	itemIndex: number;
	reference: string;
	/** What the transfer under the reference is, when the operation says. */
	fields?: TransferFields;
}

/** What came of sending one item: its correlation ids, or its error and the attempt's outcome. */
export type ItemResult<E = Error> =
	| { sent: true; correlationIds: string[] }
	| { sent: false; error: E; outcome: RequestOutcome };

/** Who claims, and until when its requests may still be in flight: written with each claim. */
export interface Attempt {
	/** When the window was claimed (ms since the epoch). */
	at: number;
	/** After this (ms since the epoch) no request of the window can still be in flight. */
	inFlightUntil: number;
	/** The day of `at` in the credential's time zone, yyyy-MM-dd: the history to look in. */
	day: string;
	workflowId: string;
	executionId: string;
	nodeName: string;
}

/** A claim's answer for one item: its stage before the call ('free': this call claimed it). */
export interface ClaimAnswer {
	before: Stage;
	/** For an earlier transfer under the reference with other fields: which differ (never values). */
	differs: TransferField[];
}

/** What a run learnt since its last write. */
export interface Settlement {
	transferred: Array<{ reference: string; correlationId?: string }>;
	/** Refused for sure, or claimed and never sent: free again. */
	released: LedgerItem[];
	/** Attempts over with an unknown outcome (answered unclearly, timed out): no longer in flight. */
	unknown: string[];
}

export const NOTHING_LEARNT: Settlement = { transferred: [], released: [], unknown: [] };

/** What a store knows of one reference. */
export interface Inspection {
	stage: Stage;
	/** The day of the attempt (Attempt.day), where the store kept it. */
	claimedOn?: string;
	/** When it was claimed (ms since the epoch), where the store kept it. */
	claimedAt?: number;
	/** Until when its request may still be in flight (ms since the epoch), where the store kept it. */
	inFlightUntil?: number;
}

/** One of the account's references, as the shared ledger lists it (Transfer Reference → Get Many). */
export interface LedgerRow {
	reference: string;
	state: LedgerState;
	claimedAt: string;
	settledAt?: string;
	workflowId: string;
	executionId: string;
	nodeName: string;
	correlationId?: string;
	/** Whole won, or 'entire balance'. */
	amount?: string;
	fromCardNo?: string;
	toCardNo?: string;
}

export type ListFilter = { state: 'outcomeUnknown' | 'transferred' | 'all'; limit?: number };

/**
 * The same transfer (member, both cards, amount) claimed under another Reference and not settled:
 * its outcome unknown, or its request still in flight. `reference` is undefined where the store
 * cannot name it (the workflow ledger keeps only hashes, and its process forgot it).
 */
export interface UnknownTransfer {
	reference?: string;
}

/**
 * One store of the ledger, opened for one run (an instance may keep the run's own counts). Each
 * call is atomic per reference across processes; a store that needs a lock takes it itself.
 * Refusals (unavailable, busy) are thrown as the node's errors.
 */
export interface LedgerStore {
	/** Which store: the words errors and outputs use. */
	readonly kind: 'workflow' | 'postgres';
	/**
	 * Writes the settlement, then claims each free item for `attempt`; answers each item's stage
	 * before, in order. A reference given twice is answered for its first item.
	 */
	claim(items: LedgerItem[], attempt: Attempt, learnt: Settlement): Promise<ClaimAnswer[]>;
	settle(learnt: Settlement): Promise<void>;
	inspect(reference: string): Promise<Inspection>;
	/**
	 * A person's decision on a claimed reference: applied when it is claimed and, for
	 * markNotTransferred, no longer in flight at `now`. Returns what the store knew before; any
	 * other stage is left as it was.
	 */
	resolve(reference: string, decision: Decision, now: number): Promise<Inspection>;
	/** The account's references, newest first; only a store that keeps them (not the workflow's). */
	list?(filter: ListFilter): Promise<LedgerRow[]>;
	/**
	 * For each item with fields, the same transfer claimed under a Reference not in `own` (the
	 * window's), outcome unknown or in flight; undefined for none. Changes nothing.
	 */
	unknownTransfers(
		items: LedgerItem[],
		own: ReadonlySet<string>,
	): Promise<Array<UnknownTransfer | undefined>>;
}
