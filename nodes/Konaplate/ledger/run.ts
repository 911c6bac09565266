import type { IExecuteFunctions, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { errorDetails, refusalError, setDetails } from '../errors';
import { runsAsTool } from '../tool/agent';
import { AGENT_ADVICE, AGENT_REFUSAL } from '../tool/sentences';
import type { LedgerAccount, ReferenceState } from '../wire/ledger';
import { Ledger } from './store';

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
		const ledger = Ledger.open(ctx, account);
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
		person: {
			message: `The transfer ledger could not record the outcome of this run's transfers (n8n's deduplication store said: ${(error as Error).message}).`,
			description:
				'Their References stay marked as outcome unknown, so a re-run refuses them rather than send them twice: check the balances before sending any again with a new Reference.',
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
				'Nothing was sent for this item. Check the balances of both cards (Card → Get) or ask Konaplate support with the earlier correlation id. If the earlier transfer did not happen and is still wanted, send it deliberately with a new Reference.',
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
	if (runsAsTool(error.node)) {
		error.message = `${error.message} ${AGENT_ADVICE.referenceStaysUnknown(reference)}`;
		return;
	}
	error.description =
		`${error.description ?? ''} Its Reference "${reference}" stays marked as outcome unknown: a re-run refuses it rather than send it again.`.trim();
}
