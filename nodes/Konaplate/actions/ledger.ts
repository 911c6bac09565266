import { sleep } from 'n8n-workflow';
import type {
	ICheckProcessedOptions,
	IExecuteFunctions,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { refusalError, requestOutcome, runsAsTool } from '../errors';
import { LedgerLock, LOCK_LEASE_MS } from '../ledger/lock';
import type { Lease, LockStore } from '../ledger/lock';
import { takeTurn } from '../ledger/turns';
import type { Turned } from '../ledger/turns';
import type { Result } from '../wire/result';
import { ledgerValue, readStates, referenceKey } from '../wire/ledger';
import type { LedgerAccount, ReferenceState } from '../wire/ledger';

/**
 * n8n's deduplication store, scope "workflow": one list per workflow, shared by every
 * Konaplate node in it (and by a Remove Duplicates node set to scope Workflow, whose Clean
 * Database clears it).
 * A transferred reference holds two values (claim and done): 120,000 entries keep at least the
 * last 50,000 references, with room for the run under way; older ones are forgotten.
 */
export const LEDGER_MAX_ENTRIES = 120_000;
const SCOPE = 'workflow';
const STORE: ICheckProcessedOptions = { mode: 'entries', maxEntries: LEDGER_MAX_ENTRIES };

const unique = (values: string[]) => [...new Set(values)];

function unavailable(ctx: IExecuteFunctions, why: string) {
	return refusalError(ctx.getNode(), {
		code: 'LEDGER_UNAVAILABLE',
		message: `The transfer ledger is not available (${why}), so no transfer with a Reference was sent.`,
		description:
			"Transfers with a Reference are remembered in n8n's deduplication store so that no re-run sends them twice. Nothing was sent. Run the workflow saved, in an n8n whose Remove Duplicates node can remove items processed in previous executions (the same store), or leave Reference empty to transfer without that protection.",
		agent: `this tool's transfer ledger is not available (${why}). A person must fix the workflow; calling again will not help.`,
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
		message: `The transfer ledger stayed locked by other executions of this workflow for ${waited}, so no transfer with a Reference was sent.`,
		description:
			'Executions of one workflow take turns at its ledger, on every n8n process. Nothing was sent: run it again in a moment. If this keeps happening, the n8n database is too slow or overloaded.',
		agent: `this tool's transfer ledger is busy with other calls (waited ${waited}). Nothing was sent: call again in a moment with the same reference.`,
	});
}

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

	/**
	 * One call records a claim for every reference of the run not claimed before, and tells which
	 * were; a second looks for the `done` of those (a re-run); a third, only when some outcome is
	 * unknown, removes the `done` values recorded by looking. Past half the lock's lease the second
	 * is not started: the references claimed before then read as unknown.
	 */
	async claim(references: string[]): Promise<ReferenceState[]> {
		const { helpers } = this.ctx;
		const keys = references.map((reference) => referenceKey(this.account, reference));
		const seen = async (values: string[]) =>
			new Set(
				(await helpers.checkProcessedAndRecord(unique(values), SCOPE, STORE)).processed.map(String),
			);
		let held: Result<Turned<ReferenceState[]>>;
		try {
			held = await this.locked(async (lease) => {
				const claimsSeen = await seen(keys.map((key) => ledgerValue('claim', key)));
				const earlier = keys.filter((key) => claimsSeen.has(ledgerValue('claim', key)));
				if (earlier.length === 0 || !lease.inTime())
					return readStates(keys, claimsSeen, new Set()).states;
				const doneSeen = await seen(earlier.map((key) => ledgerValue('done', key)));
				const { states, toRemove } = readStates(keys, claimsSeen, doneSeen);
				if (toRemove.length > 0) await helpers.removeProcessed(unique(toRemove), SCOPE, STORE);
				return states;
			});
		} catch (error) {
			throw unavailable(this.ctx, `n8n's deduplication store said: ${(error as Error).message}`);
		}
		if (!held.ok) throw busy(this.ctx, held.reason);
		if (held.value.outlasted) {
			throw unavailable(
				this.ctx,
				`n8n's deduplication store took longer than the ledger lock's ${LOCK_LEASE_MS / 1000} s lease; this run's References read as outcome unknown until checked`,
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
	async settle(done: string[], released: string[]): Promise<void> {
		const value = (mark: 'claim' | 'done', references: string[]) =>
			unique(
				references.map((reference) => ledgerValue(mark, referenceKey(this.account, reference))),
			);
		const recordDone = async () => {
			if (done.length > 0)
				await this.ctx.helpers.checkProcessedAndRecord(value('done', done), SCOPE, STORE);
		};
		const first = await this.locked(async (lease) => {
			await recordDone();
			if (released.length > 0 && lease.inTime())
				await this.ctx.helpers.removeProcessed(value('claim', released), SCOPE, STORE);
		});
		const held = first.ok && first.value.outlasted ? await this.locked(recordDone) : first;
		if (!held.ok)
			throw new Error(`the ledger stayed locked by other executions for ${held.reason}`);
		if (held.value.outlasted)
			throw new Error('the store stayed slower than the ledger lock allows');
	}
}

/** How often a run writes what it learnt: a run that dies loses at most this much to "outcome unknown". */
export const SETTLE_EVERY_MS = 1000;

/** One run's use of the ledger: what it claimed, and what waits to be written. */
export class LedgerRun {
	private readonly notSent: Set<string>;
	private done: string[] = [];
	private released: string[] = [];
	private settledAt: number;

	private constructor(
		private readonly ledger: Ledger,
		claimed: string[],
		private readonly clock: () => number,
	) {
		this.notSent = new Set(claimed);
		this.settledAt = clock();
	}

	/** Claims the run's references in one go; returns the state of each before this run. */
	static async claim(
		ctx: IExecuteFunctions,
		account: LedgerAccount,
		references: string[],
		clock: () => number,
	): Promise<{ run: LedgerRun; states: Map<string, ReferenceState> }> {
		const ledger = Ledger.open(ctx, account, clock);
		const states = await ledger.claim(references);
		const claimed = references.filter((_, index) => states[index] === 'claimed');
		return {
			run: new LedgerRun(ledger, claimed, clock),
			states: new Map(references.map((reference, index) => [reference, states[index]])),
		};
	}

	sending(reference: string): void {
		this.notSent.delete(reference);
	}

	succeeded(reference: string): void {
		this.done.push(reference);
	}

	/** A definite refusal: the reference may be sent again. An unknown outcome keeps its claim. */
	refused(reference: string): void {
		this.released.push(reference);
	}

	/** Writes what the run learnt, at most once a second unless forced. */
	async settle(force = false): Promise<void> {
		if (!force && this.clock() - this.settledAt < SETTLE_EVERY_MS) return;
		if (this.done.length === 0 && this.released.length === 0) return;
		const [done, released] = [this.done, this.released];
		this.done = [];
		this.released = [];
		this.settledAt = this.clock();
		try {
			await this.ledger.settle(done, released);
		} catch (error) {
			throw unrecorded(this.ledger.ctx, error);
		}
	}

	/** The end of the run, or its stop: what was claimed and never sent is given back. */
	async close(): Promise<void> {
		this.released.push(...this.notSent);
		this.notSent.clear();
		await this.settle(true);
	}
}

function unrecorded(ctx: IExecuteFunctions, error: unknown) {
	return refusalError(ctx.getNode(), {
		code: 'LEDGER_UNAVAILABLE',
		message: `The transfer ledger could not record the outcome of this run's transfers (n8n's deduplication store said: ${(error as Error).message}).`,
		description:
			'Their References stay marked as outcome unknown, so a re-run refuses them rather than send them twice: check the balances before sending any again with a new Reference.',
		agent: `the transfer was sent, but this tool's ledger could not record its outcome (n8n's deduplication store said: ${(error as Error).message}). Do not send it again with a new reference: ask a person to check both cards' balances.`,
	});
}

/** An item whose reference an earlier attempt may or may not have transferred. */
export function outcomeUnknownError(ctx: IExecuteFunctions, itemIndex: number, reference: string) {
	return refusalError(ctx.getNode(), {
		code: 'LEDGER_OUTCOME_UNKNOWN',
		itemIndex,
		reference,
		outcome: 'unknown',
		message: `Item ${itemIndex} (Reference "${reference}") was not sent: an earlier transfer with this Reference may or may not have gone through. It is still in flight in another execution, or it timed out, lost its connection, got an unclear answer, or its execution stopped while it was sent.`,
		description:
			'Nothing was sent for this item. Check the balances of both cards (Card → Get) or ask Konaplate support with the earlier correlation id. If the earlier transfer did not happen and is still wanted, send it deliberately with a new Reference.',
		agent: `an earlier transfer with reference "${reference}" may or may not have gone through (it is still running, or it timed out, lost its connection or got an unclear answer). Do not send it again with a new reference: read both cards' balances with Card → Get if you have that tool, and ask a person.`,
	});
}

/** A failed send of an item with a reference: the error names it, and the ledger learns the outcome. */
export function noteReference(
	error: NodeApiError | NodeOperationError,
	reference: string,
	run: LedgerRun,
): void {
	const outcome = requestOutcome(error);
	Object.assign(error.context, { reference });
	if (outcome === 'refused') {
		run.refused(reference);
		return;
	}
	if (runsAsTool(error.node)) {
		error.message = `${error.message} Its reference "${reference}" stays marked as outcome unknown: a call with it is refused rather than sent again.`;
		return;
	}
	error.description =
		`${error.description ?? ''} Its Reference "${reference}" stays marked as outcome unknown: a re-run refuses it rather than send it again.`.trim();
}
