import type { IExecuteFunctions } from 'n8n-workflow';

import {
	CLAIM_ENTRIES,
	readUnknownCount,
	UNKNOWN_COUNT_VALUES,
	UNKNOWN_ENTRIES,
	unknownCountValues,
} from '../wire/ledger';
import type { Lease } from './lock';
import { tooManyUnknown } from './workflow-store-n8n';

/** The most references one run may carry: all of them must stay among those the ledger keeps. */
export const LEDGER_MAX_REFERENCES_PER_RUN = 50_000;
/** References whose outcome is unknown the ledger makes room for, beside the transferred ones. */
const UNKNOWN_ROOM = 20_000;
/**
 * n8n's deduplication store, scope "workflow": one list per workflow, shared by every
 * Konaplate node in it (and by a Remove Duplicates node set to scope Workflow, whose Clean
 * Database clears it).
 * A transferred reference holds eight values (marker, four fields, claim, the day of its claim,
 * done; an older version's two to seven), one whose outcome is unknown seven: 540,000 entries
 * keep at least the last 50,000 transferred references, with room for 20,000 unknown ones that
 * no run counted (those of runs that died); older ones are forgotten, oldest first (n8n appends
 * new values and trims the front of the list). Counted ones get room of their own, with their
 * transfer (UNKNOWN_ENTRIES).
 */
export const LEDGER_MAX_ENTRIES =
	LEDGER_MAX_REFERENCES_PER_RUN * (CLAIM_ENTRIES + 1) + UNKNOWN_ROOM * CLAIM_ENTRIES;
const SCOPE = 'workflow';

/**
 * The most references whose outcome is unknown a workflow's ledger counts and keeps room for,
 * beyond its size: a run that could leave more is refused before anything is sent.
 */
export const LEDGER_MAX_UNKNOWN = 50_000;

/** The entries a number of claims may give back, or look-ups remove: a claim's values each. */
export const room = (claims: number) => Math.max(0, claims) * CLAIM_ENTRIES;
/** Values one removal call takes: n8n searches the row once for each (about 2 ms per value at 120,000 entries). */
const REMOVALS_PER_CALL = 500;

/**
 * A row this large, with a run's own claims, may be trimmed by the run's calls: the run first
 * reads how many unknown outcomes the ledger counts. Below it nothing is trimmed (the room for
 * UNKNOWN_ROOM references that no run counted, those of runs that died, is the margin).
 */
const MAY_TRIM = LEDGER_MAX_ENTRIES - room(UNKNOWN_ROOM);

/** Never trims: the most entries a call may leave when it must forget nothing. */
const KEEP_ALL = Number.MAX_SAFE_INTEGER;

/**
 * One run's calls on the workflow's row of n8n's deduplication store, and the row's size: n8n
 * trims the list to a call's `maxEntries` after appending, oldest first, so every call that may
 * trim says how much the ledger keeps (LEDGER_MAX_ENTRIES), plus room for the run's unsettled
 * claims and for the unknown outcomes the ledger counts. Called only in a turn holding the
 * ledger lock (store.ts).
 */
export class WorkflowLedgerRow {
	/** References whose outcome is unknown the ledger counts, as this run last read or wrote it. */
	private counted = 0;
	/** Whether this run has looked at the ledger's size (its first claim does). */
	private sized = false;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly runReferences: number,
	) {}

	/** Records values, keeping at most `maxEntries`; answers those that were there before. */
	async record(values: string[], maxEntries: number): Promise<Set<string>> {
		const { processed } = await this.ctx.helpers.checkProcessedAndRecord(values, SCOPE, {
			mode: 'entries',
			maxEntries,
		});
		return new Set(processed.map(String));
	}

	/** Records values trimming nothing: a look-up, which must forget nothing. */
	async recordAll(values: string[]): Promise<Set<string>> {
		return await this.record(values, KEEP_ALL);
	}

	/**
	 * Records values, keeping the ledger's size plus room for `headroom` claims, the unknown
	 * outcomes the ledger counts, and `extra` values.
	 */
	async recordKept(values: string[], headroom: number, extra = 0): Promise<Set<string>> {
		const unknown = this.counted * UNKNOWN_ENTRIES;
		return await this.record(values, LEDGER_MAX_ENTRIES + room(headroom) + unknown + extra);
	}

	async remove(values: string[]): Promise<void> {
		await this.ctx.helpers.removeProcessed(values, SCOPE, { mode: 'entries' });
	}

	/**
	 * Removes values a few hundred a call (n8n searches the row once for each value) while the
	 * lease is in time; answers those left for a turn of their own.
	 */
	async removeInTime(values: string[], lease: Lease): Promise<string[]> {
		let left = values;
		while (left.length > 0 && lease.inTime()) {
			await this.remove(left.slice(0, REMOVALS_PER_CALL));
			left = left.slice(REMOVALS_PER_CALL);
		}
		return left;
	}

	/** The row as a look-up uses it (workflow-transfers.ts): records trimming nothing, and removes. */
	readonly lookup = {
		record: async (values: string[]) => await this.recordAll(values),
		remove: async (values: string[]) => await this.remove(values),
	};

	/**
	 * At a run's first claim, in its turn: when the run could make the ledger trim, how many
	 * unknown outcomes the ledger counts (asked for, the bits not there removed again), and a
	 * run that could leave more than LEDGER_MAX_UNKNOWN refused before anything is recorded.
	 */
	async size(): Promise<void> {
		if (this.sized) return;
		this.sized = true;
		const entries = await this.ctx.helpers.getProcessedDataCount(SCOPE, { mode: 'entries' });
		if (entries + room(this.runReferences) <= MAY_TRIM) return;
		const seen = await this.recordAll([...UNKNOWN_COUNT_VALUES]);
		await this.remove(UNKNOWN_COUNT_VALUES.filter((value) => !seen.has(value)));
		this.counted = readUnknownCount(seen);
		if (this.counted + this.runReferences > LEDGER_MAX_UNKNOWN)
			throw tooManyUnknown(this.ctx, this.counted, this.runReferences, LEDGER_MAX_UNKNOWN);
	}

	/**
	 * Writes the count of unknown outcomes anew from what a call that asked for every bit saw,
	 * changed by `delta`: every bit removed, then the set ones recorded fresh, so the count is
	 * always newer than the references it counts (n8n trims the oldest first).
	 */
	async recount(seen: ReadonlySet<string>, delta: number, headroom: number): Promise<void> {
		const count = Math.max(0, readUnknownCount(seen) + delta);
		await this.remove([...UNKNOWN_COUNT_VALUES]);
		this.counted = count;
		const set = unknownCountValues(count);
		if (set.length > 0) await this.recordKept(set, headroom);
	}

	/** A decision settled one unknown outcome: the count read afresh, one fewer. */
	async countOneSettled(): Promise<void> {
		await this.recount(await this.recordAll([...UNKNOWN_COUNT_VALUES]), -1, 0);
	}
}
