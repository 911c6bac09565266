import { NodeOperationError, sleep } from 'n8n-workflow';
import type { ICheckProcessedOptions, IExecuteFunctions } from 'n8n-workflow';

import { refusalError } from '../errors';
import { AGENT_REFUSAL } from '../tool/sentences';
import {
	claimValues,
	CLAIM_ENTRIES,
	ledgerValue,
	readClaim,
	readStates,
	referenceKey,
} from '../wire/ledger';
import type { Claim, Decision, LedgerAccount, LedgerState, Reading } from '../wire/ledger';
import type { Result } from '../wire/result';
import { LedgerLock, LOCK_LEASE_MS } from './lock';
import type { Lease, LockStore } from './lock';
import { takeTurn } from './turns';
import type { Turned } from './turns';

/** The most references one run may carry: all of them must stay among those the ledger keeps. */
export const LEDGER_MAX_REFERENCES_PER_RUN = 50_000;
/** References whose outcome is unknown the ledger makes room for, beside the transferred ones. */
const UNKNOWN_ROOM = 20_000;
/**
 * n8n's deduplication store, scope "workflow": one list per workflow, shared by every
 * Konaplate node in it (and by a Remove Duplicates node set to scope Workflow, whose Clean
 * Database clears it).
 * A transferred reference holds seven values (marker, four fields, claim, done; an older
 * version's two), one whose outcome is unknown six: 470,000 entries keep at least the last
 * 50,000 transferred references, with room for 20,000 unknown ones; older ones are forgotten,
 * oldest first (n8n appends new values and trims the front of the list).
 */
export const LEDGER_MAX_ENTRIES =
	LEDGER_MAX_REFERENCES_PER_RUN * (CLAIM_ENTRIES + 1) + UNKNOWN_ROOM * CLAIM_ENTRIES;
const SCOPE = 'workflow';
/** What a reference's inspection may record only to look (its claim and its done), and remove. */
const INSPECT_LOOKUPS = 2;

const unique = (values: string[]) => [...new Set(values)];
/** The entries a number of claims may give back, or look-ups remove: a claim's values each. */
const room = (claims: number) => Math.max(0, claims) * CLAIM_ENTRIES;
const claimOf = (key: string) => ledgerValue('claim', key);
/** Values one removal call takes: n8n searches the row once for each (about 2 ms per value at 120,000 entries). */
const REMOVALS_PER_CALL = 500;

export function unavailable(ctx: IExecuteFunctions, why: string) {
	return refusalError(ctx.getNode(), {
		code: 'LEDGER_UNAVAILABLE',
		person: {
			message: `The transfer ledger is not available (${why}), so no transfer with a Reference was sent.`,
			description:
				"Transfers with a Reference are remembered in n8n's deduplication store so that no re-run sends them twice. Nothing was sent. Run the workflow saved, in an n8n whose Remove Duplicates node can remove items processed in previous executions (the same store), or leave Reference empty to transfer without that protection.",
		},
		agent: AGENT_REFUSAL.ledgerUnavailable(why),
	});
}

/** The lock's row: this node's own (scope "node"), which nothing else in n8n writes or clears. */
const LOCK_SCOPE = 'node';
const LOCK_STORE: ICheckProcessedOptions = { mode: 'entries' };

function lockStore(ctx: IExecuteFunctions): LockStore {
	const { helpers } = ctx;
	return {
		count: async () => await helpers.getProcessedDataCount(LOCK_SCOPE, LOCK_STORE),
		create: async (values) =>
			(await helpers.checkProcessedAndRecord(values, LOCK_SCOPE, LOCK_STORE)).processed.length ===
			0,
		remove: async () => await helpers.clearAllProcessedItems(LOCK_SCOPE, LOCK_STORE),
	};
}

const HELPERS = [
	'checkProcessedAndRecord',
	'removeProcessed',
	'getProcessedDataCount',
	'clearAllProcessedItems',
] as const;

function busy(ctx: IExecuteFunctions, waited: string) {
	return refusalError(ctx.getNode(), {
		code: 'LEDGER_BUSY',
		person: {
			message: `The transfer ledger stayed locked by other executions of this workflow for ${waited}, so no transfer with a Reference was sent.`,
			description:
				'Executions of one workflow take turns at its ledger, on every n8n process. Nothing was sent: run it again in a moment. If this keeps happening, the n8n database is too slow or overloaded.',
		},
		agent: AGENT_REFUSAL.ledgerBusy(waited),
	});
}

const outlastedLease = (then: string) =>
	`n8n's deduplication store took longer than the ledger lock's ${LOCK_LEASE_MS / 1000} s lease; ${then}`;

/**
 * The workflow's ledger in n8n's deduplication store: every store call of the node is here,
 * each in a turn holding the ledger lock.
 *
 * n8n trims the list to a call's `maxEntries` after appending, oldest first. Entries a run may
 * still give back (its claims not yet settled, the `done` it records only to look) are room
 * above the ledger's size (`headroom`), so a run's own look-ups never push out a transferred
 * reference: only `done` values, which stay, count against the ledger.
 */
export class Ledger {
	private constructor(
		readonly ctx: IExecuteFunctions,
		private readonly workflowId: string,
		private readonly account: LedgerAccount,
		private readonly lock: LedgerLock,
	) {}

	/** The ledger of this workflow for one Konaplate account; refused where n8n has no store. */
	static open(ctx: IExecuteFunctions, account: LedgerAccount, now: () => number): Ledger {
		const { helpers } = ctx;
		if (HELPERS.some((helper) => typeof helpers[helper] !== 'function')) {
			throw unavailable(ctx, 'this n8n gives nodes no deduplication store');
		}
		const workflowId = ctx.getWorkflow().id;
		if (!workflowId) throw unavailable(ctx, 'the workflow has no id: save it first');
		const lock = new LedgerLock(lockStore(ctx), {
			now,
			sleep: async (ms) => await sleep(ms),
			random: Math.random,
		});
		return new Ledger(ctx, workflowId, account, lock);
	}

	/** A turn at the ledger: after this process's earlier calls, holding the lock across processes. */
	private async locked<T>(task: (lease: Lease) => Promise<T>): Promise<Result<Turned<T>>> {
		return await takeTurn(this.workflowId, this.ctx.getNode().id, this.lock, task);
	}

	values(mark: 'claim' | 'done', references: string[]): string[] {
		return unique(
			references.map((reference) => ledgerValue(mark, referenceKey(this.account, reference))),
		);
	}

	private async record(values: string[], headroom: number): Promise<Set<string>> {
		const { processed } = await this.ctx.helpers.checkProcessedAndRecord(values, SCOPE, {
			mode: 'entries',
			maxEntries: LEDGER_MAX_ENTRIES + Math.max(0, headroom),
		});
		return new Set(processed.map(String));
	}

	private async remove(values: string[]): Promise<void> {
		await this.ctx.helpers.removeProcessed(values, SCOPE, { mode: 'entries' });
	}

	/**
	 * One call records the `done` of references sent since the last write (`done`) and, for every
	 * reference given, its claim with its marker and fields (wire/ledger.ts, claimValues), and
	 * tells which were there; a second looks for the `done` of the references claimed before whose
	 * fields match (a re-run); a third, only when something was recorded only to look (the `done`
	 * of an unknown outcome, the fields of a mismatch or of an older entry), removes it. `headroom`:
	 * the run's claims still unsettled after this call. Past half the lock's lease no further call
	 * is started: the references claimed before then read as unknown, and what was recorded only
	 * to look is removed in turns of its own (a few hundred values a call). A store failure after
	 * the first call gives back what this call recorded, so no reference is left reading as
	 * claimed, transferred or matching by a look-up. Refused (LEDGER_BUSY) when the lock stayed
	 * taken, and (LEDGER_UNAVAILABLE) when the turn outlasted the lock's lease; a store failure is
	 * thrown as the store's error.
	 */
	async claim(claims: Claim[], done: string[], headroom: number): Promise<Reading[]> {
		const keys = claims.map(({ reference }) => referenceKey(this.account, reference));
		const values = claims.map(({ fields }, index) => claimValues(keys[index], fields));
		let [pending, seen] = [[] as string[], new Set<string>()];
		// n8n removes values one search through the row at a time: a few hundred per call, in time
		const removePending = async (lease: Lease) => {
			while (pending.length > 0 && lease.inTime()) {
				await this.remove(pending.slice(0, REMOVALS_PER_CALL));
				pending = pending.slice(REMOVALS_PER_CALL);
			}
		};
		const giveBack = async (error: unknown) => {
			const made = values.flatMap((list) => list.filter((value) => !seen.has(value)));
			await this.remove(unique([...pending, ...made])).catch(() => undefined);
			return new NodeOperationError(this.ctx.getNode(), error as Error);
		};
		const held = await this.locked(async (lease) => {
			seen = await this.record(
				unique([...this.values('done', done), ...values.flat()]),
				room(headroom + claims.length),
			);
			const readings = keys.map((key, index) =>
				readClaim(key, claims[index].fields, seen, values[index]),
			);
			pending = unique(readings.flatMap(({ lookups }) => lookups));
			// Only references whose fields match (or were not recorded) are looked up further
			const toLook = keys.filter((_, index) => readings[index].earlier);
			const matching = keys.filter(
				(_, index) => readings[index].earlier && readings[index].differs.length === 0,
			);
			let doneSeen = new Set<string>();
			try {
				if (matching.length > 0 && lease.inTime()) {
					doneSeen = await this.record(
						unique(matching.map((key) => ledgerValue('done', key))),
						room(headroom + claims.length) + matching.length,
					);
					pending.push(...readStates(matching, new Set(matching.map(claimOf)), doneSeen).toRemove);
				}
				await removePending(lease);
			} catch (error) {
				throw await giveBack(error);
			}
			const { states } = readStates(keys, new Set(toLook.map(claimOf)), doneSeen);
			return readings.map(
				({ differs }, index): Reading =>
					differs.length > 0 ? { state: 'mismatch', differs } : { state: states[index], differs },
			);
		});
		if (!held.ok) throw busy(this.ctx, held.reason);
		while (pending.length > 0) {
			// Past half the lease: what was recorded only to look is removed in turns of its own
			const removed = await this.locked(removePending).catch(
				async (error: unknown) => await Promise.reject(await giveBack(error)),
			);
			if (!removed.ok) throw busy(this.ctx, removed.reason);
		}
		if (held.value.outlasted) {
			throw unavailable(
				this.ctx,
				outlastedLease("this run's References read as unknown until checked"),
			);
		}
		return held.value.value;
	}

	/**
	 * Done references get their `done` beside the claim; released references (refused, or never
	 * sent) lose their claim, marker and fields. Both lists are usually short or empty: one call,
	 * rarely two. A turn that outlasted the lock's lease may have been written over: its `done`
	 * values are recorded again in a new turn (a release is not redone: that reference stays
	 * unknown rather than free one another execution may have claimed since).
	 */
	async settle(done: string[], released: Claim[], headroom: number): Promise<void> {
		const recordDone = async () => {
			if (done.length > 0) await this.record(this.values('done', done), room(headroom));
		};
		const given = released.flatMap(({ reference, fields }) =>
			claimValues(referenceKey(this.account, reference), fields),
		);
		const first = await this.locked(async (lease) => {
			await recordDone();
			if (given.length > 0 && lease.inTime()) await this.remove(unique(given));
		});
		const held = first.ok && first.value.outlasted ? await this.locked(recordDone) : first;
		if (!held.ok)
			throw new Error(`the ledger stayed locked by other executions for ${held.reason}`);
		if (held.value.outlasted)
			throw new Error('the store stayed slower than the ledger lock allows');
	}

	/**
	 * One reference's state, changing nothing: the store has no read-only check, so a value it
	 * records only by being asked for is removed again at once (in the same turn, holding the
	 * ledger lock), with room above the ledger's size for it. With `decision`, a reference whose
	 * outcome is unknown is resolved in that call: marked transferred (its `done` is kept) or not
	 * transferred (its claim is removed; its marker and fields stay, so a re-run of the same
	 * transfer sends it and another transfer under it is a mismatch). Returns the state before; any other state is left as it
	 * was.
	 */
	async inspect(reference: string, decision?: Decision): Promise<LedgerState> {
		const key = referenceKey(this.account, reference);
		const [claim, done] = [ledgerValue('claim', key), ledgerValue('done', key)];
		const seen = async (value: string) => (await this.record([value], INSPECT_LOOKUPS)).size > 0;
		let held: Result<Turned<LedgerState>>;
		try {
			held = await this.locked(async (): Promise<LedgerState> => {
				if (!(await seen(claim))) {
					await this.remove([claim]);
					return 'notSent';
				}
				if (await seen(done)) return 'transferred';
				if (decision !== 'markTransferred')
					await this.remove(decision === 'markNotTransferred' ? [done, claim] : [done]);
				return 'outcomeUnknown';
			});
		} catch (error) {
			throw unavailable(this.ctx, `n8n's deduplication store said: ${(error as Error).message}`);
		}
		if (!held.ok) throw busy(this.ctx, held.reason);
		if (held.value.outlasted) {
			throw unavailable(this.ctx, outlastedLease('read the reference again before deciding'));
		}
		return held.value.value;
	}
}
