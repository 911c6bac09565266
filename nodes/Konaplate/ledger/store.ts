import { NodeOperationError, sleep } from 'n8n-workflow';
import type { ICheckProcessedOptions, IExecuteFunctions } from 'n8n-workflow';

import { refusalError } from '../errors';
import { AGENT_REFUSAL } from '../tool/sentences';
import { ledgerValue, readStates, referenceKey } from '../wire/ledger';
import type { Decision, LedgerAccount, LedgerState, ReferenceState } from '../wire/ledger';
import type { Result } from '../wire/result';
import { LedgerLock, LOCK_LEASE_MS } from './lock';
import type { Lease, LockStore } from './lock';
import { takeTurn } from './turns';
import type { Turned } from './turns';

/**
 * n8n's deduplication store, scope "workflow": one list per workflow, shared by every
 * Konaplate node in it (and by a Remove Duplicates node set to scope Workflow, whose Clean
 * Database clears it).
 * A transferred reference holds two values (claim and done): 120,000 entries keep at least the
 * last 50,000 references, with room for references whose outcome is unknown; older ones are
 * forgotten, oldest first (n8n appends new values and trims the front of the list).
 */
export const LEDGER_MAX_ENTRIES = 120_000;
/** The most references one run may carry: all of them must stay among those the ledger keeps. */
export const LEDGER_MAX_REFERENCES_PER_RUN = 50_000;
const SCOPE = 'workflow';
/** What a reference's inspection may record only to look (its claim and its done), and remove. */
const INSPECT_LOOKUPS = 2;

const unique = (values: string[]) => [...new Set(values)];

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
	 * One call records the `done` of references sent since the last write (`done`) and a claim
	 * for every reference given not claimed before, and tells which were; a second looks for the
	 * `done` of those (a re-run); a third, only when some outcome is unknown, removes the `done`
	 * values recorded by looking. `headroom`: the run's claims still unsettled after this call.
	 * Past half the lock's lease the second is not started: the references claimed before then
	 * read as unknown. A store failure after the first call gives back what this call recorded
	 * to look, so no reference is left reading as claimed or transferred by a look-up. Refused
	 * (LEDGER_BUSY) when the lock stayed taken, and (LEDGER_UNAVAILABLE) when the turn outlasted
	 * the lock's lease; a store failure is thrown as the store's error.
	 */
	async claim(references: string[], done: string[], headroom: number): Promise<ReferenceState[]> {
		const keys = references.map((reference) => referenceKey(this.account, reference));
		const claims = keys.map((key) => ledgerValue('claim', key));
		const held = await this.locked(async (lease) => {
			const seen = await this.record(
				unique([...this.values('done', done), ...claims]),
				headroom + claims.length,
			);
			const claimsSeen = new Set(claims.filter((claim) => seen.has(claim)));
			const earlier = keys.filter((key) => claimsSeen.has(ledgerValue('claim', key)));
			if (earlier.length === 0 || !lease.inTime())
				return readStates(keys, claimsSeen, new Set()).states;
			// A failed call writes nothing (one UPDATE); a failed removal leaves its values behind
			let lookups: string[] = [];
			try {
				const doneSeen = await this.record(
					unique(earlier.map((key) => ledgerValue('done', key))),
					headroom + claims.length + earlier.length,
				);
				const { states, toRemove } = readStates(keys, claimsSeen, doneSeen);
				lookups = toRemove;
				if (toRemove.length > 0) await this.remove(unique(toRemove));
				return states;
			} catch (error) {
				const recorded = claims.filter((claim) => !claimsSeen.has(claim));
				await this.remove(unique([...lookups, ...recorded])).catch(() => undefined);
				throw new NodeOperationError(this.ctx.getNode(), error as Error);
			}
		});
		if (!held.ok) throw busy(this.ctx, held.reason);
		if (held.value.outlasted) {
			throw unavailable(
				this.ctx,
				outlastedLease("this run's References read as outcome unknown until checked"),
			);
		}
		return held.value.value;
	}

	/**
	 * Done references get their `done` beside the claim; released references (refused, or never
	 * sent) lose their claim. Both lists are usually short or empty: one call, rarely two. A turn
	 * that outlasted the lock's lease may have been written over: its `done` values are recorded
	 * again in a new turn (a release is not redone: that reference stays unknown rather than free
	 * one another execution may have claimed since).
	 */
	async settle(done: string[], released: string[], headroom: number): Promise<void> {
		const recordDone = async () => {
			if (done.length > 0) await this.record(this.values('done', done), headroom);
		};
		const first = await this.locked(async (lease) => {
			await recordDone();
			if (released.length > 0 && lease.inTime()) await this.remove(this.values('claim', released));
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
	 * transferred (its claim is removed). Returns the state before; any other state is left as it
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
