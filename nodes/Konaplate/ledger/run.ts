import type { IExecuteFunctions, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { errorDetails, refusalError, setDetails } from '../errors';
import { runsAsTool } from '../tool/agent';
import { AGENT_ADVICE, AGENT_REFUSAL } from '../tool/sentences';
import type { Claim, LedgerAccount, Reading, TransferFields } from '../wire/ledger';
import { Ledger, unavailable } from './store';

/** How often a run writes what it learnt: a run that dies loses at most this much to "outcome unknown". */
export const SETTLE_EVERY_MS = 1000;

/** One run's use of the ledger: what it claimed, and what waits to be written. */
export class LedgerRun {
	/** Claimed by this run and not sent yet: given back at the end. */
	private readonly notSent = new Set<string>();
	/** The fields of this run's claims, to give back with them. */
	private readonly fields = new Map<string, TransferFields>();
	/** This run's claims not yet settled as done or given back. */
	private unsettled = 0;
	private done: string[] = [];
	private released: string[] = [];
	private settledAt: number;

	private constructor(
		private readonly ledger: Ledger,
		private readonly clock: () => number,
	) {
		this.settledAt = clock();
	}

	/** The workflow's ledger for one account; refused (LEDGER_UNAVAILABLE) where n8n has no store. */
	static open(ctx: IExecuteFunctions, account: LedgerAccount, clock: () => number): LedgerRun {
		return new LedgerRun(Ledger.open(ctx, account, clock), clock);
	}

	/** Opens the ledger and claims references in one step: a run whose items all leave at once. */
	static async claim(
		ctx: IExecuteFunctions,
		account: LedgerAccount,
		references: string[],
		clock: () => number,
	): Promise<{ run: LedgerRun; states: Map<string, Reading> }> {
		const run = LedgerRun.open(ctx, account, clock);
		return { run, states: await run.claim(references.map((reference) => ({ reference }))) };
	}

	/**
	 * Claims the references of the next items to leave, writing in the same call the outcomes
	 * learnt since the last write; returns the state of each before this run.
	 */
	async claim(claims: Claim[]): Promise<Map<string, Reading>> {
		const done = this.done;
		this.done = [];
		let states: Reading[];
		try {
			states = await this.ledger.claim(claims, done, this.unsettled - done.length);
		} catch (error) {
			this.done.push(...done);
			throw claimFailed(this.ledger.ctx, error as NodeOperationError, done.length > 0);
		}
		this.unsettled -= done.length;
		this.settledAt = this.clock();
		claims.forEach(({ reference, fields }, index) => {
			if (states[index].state !== 'claimed') return;
			this.notSent.add(reference);
			if (fields !== undefined) this.fields.set(reference, fields);
			this.unsettled++;
		});
		return new Map(claims.map(({ reference }, index) => [reference, states[index]]));
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
		this.unsettled -= done.length + released.length;
		try {
			const given = released.map((reference) => ({
				reference,
				fields: this.fields.get(reference),
			}));
			await this.ledger.settle(done, given, this.unsettled);
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

/**
 * A claim that failed: with outcomes it was to write, those stay unrecorded; else the ledger's
 * own refusals (busy, a turn that outlasted its lease) as they are, and a store failure.
 */
function claimFailed(
	ctx: IExecuteFunctions,
	error: NodeOperationError,
	withDone: boolean,
): NodeOperationError {
	if (withDone) return unrecorded(ctx, error);
	if (errorDetails(error).refusal !== undefined) return error;
	return unavailable(ctx, `n8n's deduplication store said: ${error.message}`);
}

function unrecorded(ctx: IExecuteFunctions, error: unknown) {
	return refusalError(ctx.getNode(), {
		code: 'LEDGER_UNAVAILABLE',
		person: {
			message: `The transfer ledger could not record the outcome of this run's transfers (n8n's deduplication store said: ${(error as Error).message}).`,
			description:
				'Their References stay marked as outcome unknown, so a re-run refuses them rather than send them twice. Konaplate answered them: settle each with Transaction → Get Many on the card it came from, then Transfer Reference → Resolve (Mark as Transferred).',
		},
		agent: AGENT_REFUSAL.ledgerUnrecorded((error as Error).message),
	});
}

/** An item whose reference an earlier attempt may or may not have transferred. */
export function outcomeUnknownError(ctx: IExecuteFunctions, itemIndex: number, reference: string) {
	return refusalError(ctx.getNode(), {
		code: 'LEDGER_OUTCOME_UNKNOWN',
		itemIndex,
		reference,
		outcome: 'unknown',
		person: {
			message: `Item ${itemIndex} (Reference "${reference}") was not sent: an earlier transfer with this Reference may or may not have gone through. It is still in flight in another execution, or it timed out, lost its connection, got an unclear answer, or its execution stopped while it was sent.`,
			description:
				'Nothing was sent for this item. Check the balances of both cards (Card → Get), find the transfer with Transaction → Get Many on the card it came from (type Transfer, the day of the attempt), or ask Konaplate support with the earlier correlation id. Then record the decision with Transfer Reference → Resolve: Mark as Transferred, or Mark as Not Transferred to let the next run send it (or send it deliberately with a new Reference).',
		},
		agent: AGENT_REFUSAL.outcomeUnknown(reference),
	});
}

/** A failed send of an item with a reference: the error names it, and the ledger learns the outcome. */
export function noteReference(
	error: NodeApiError | NodeOperationError,
	reference: string,
	run: LedgerRun,
): void {
	const outcome = errorDetails(error).requestOutcome;
	setDetails(error, { reference });
	if (outcome === 'refused') {
		run.refused(reference);
		return;
	}
	// The money moved, with an answer for a person to look at: never sent again
	if (outcome === 'transferred') {
		run.succeeded(reference);
		return;
	}
	if (runsAsTool(error.node)) {
		error.message = `${error.message} ${AGENT_ADVICE.referenceStaysUnknown(reference)}`;
		return;
	}
	error.description =
		`${error.description ?? ''} Its Reference "${reference}" stays marked as outcome unknown: a re-run refuses it rather than send it again, until a person settles it with Transfer Reference → Resolve.`.trim();
}
