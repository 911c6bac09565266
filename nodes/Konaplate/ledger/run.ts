import type { IExecuteFunctions } from 'n8n-workflow';

import { outcomeOf, refusalError } from '../errors';
import type { NodeError, RequestOutcome } from '../errors';
import { AGENT_REFUSAL } from '../tool/sentences';
import type { Session } from '../transport/session';
import { calendarDay } from '../wire/ledger';
import { namedReference } from '../wire/redact';
import type { TransferFields } from '../wire/ledger';
import type { Sending } from './bookkeeping';
import { STAGE_AFTER } from './seam';
import type { Attempt, ClaimAnswer, LedgerItem, LedgerStore, Settlement } from './seam';

/** How often a run writes what it learnt: a run that dies loses at most this much to "outcome unknown". */
export const SETTLE_EVERY_MS = 1000;

/**
 * Beyond a window's own sending time (its batches, each up to the Timeout and the Batch
 * Interval), how long a request may still be on its way or being answered: n8n's and the
 * network's own delays. Until then a claim's request may still be in flight.
 */
export const IN_FLIGHT_MARGIN_MS = 60_000;

/** The words of each store in the errors a person reads. */
export const STORE_WORDS: Readonly<Record<LedgerStore['kind'], string>> = {
	workflow: "n8n's deduplication store",
	postgres: "the shared ledger's PostgreSQL",
};

/**
 * Until when the requests of a window claimed at `at` may still be in flight: every batch of it
 * sent one after the other, each taking its whole Timeout and Batch Interval, plus a margin.
 */
export function inFlightUntil(
	at: number,
	items: number,
	sending: Sending,
	timeoutMs: number,
): number {
	const batches = Math.ceil(items / sending.batchSize);
	return at + batches * (timeoutMs + sending.batchInterval) + IN_FLIGHT_MARGIN_MS;
}

/** One run's use of the ledger: what it claimed, and what waits to be written. */
export class LedgerRun {
	/** Claimed by this run and not sent yet: given back at the end. */
	private readonly notSent = new Map<string, TransferFields | undefined>();
	/** This run's claims that left: their fields, to give back with a refused one. */
	private readonly inFlight = new Map<string, TransferFields | undefined>();
	private learnt: Settlement = { transferred: [], released: [], unknown: [] };
	private settledAt: number;

	constructor(
		private readonly store: LedgerStore,
		private readonly ctx: IExecuteFunctions,
		private readonly session: Session,
		private readonly pacing: Sending,
	) {
		this.settledAt = this.now();
	}

	private now(): number {
		return this.session.clock.now().getTime();
	}

	private attempt(items: number): Attempt {
		const at = this.now();
		const { ctx, session } = this;
		return {
			at,
			inFlightUntil: inFlightUntil(at, items, this.pacing, session.timeoutMs),
			day: calendarDay(new Date(at), session.credential.timeZone),
			workflowId: ctx.getWorkflow().id ?? '',
			executionId: ctx.getExecutionId(),
			nodeName: ctx.getNode().name,
		};
	}

	/** What waits to be written, taken: given back if the write fails. */
	private take(): Settlement {
		const learnt = this.learnt;
		this.learnt = { transferred: [], released: [], unknown: [] };
		return learnt;
	}

	private putBack(learnt: Settlement): void {
		this.learnt.transferred.unshift(...learnt.transferred);
		this.learnt.released.unshift(...learnt.released);
		this.learnt.unknown.unshift(...learnt.unknown);
	}

	/**
	 * Claims the References of the next items to leave, writing in the same call the outcomes
	 * learnt since the last write; returns each one's answer.
	 */
	async claimAndWrite(items: LedgerItem[]): Promise<Map<string, ClaimAnswer>> {
		const learnt = this.take();
		let answers: ClaimAnswer[];
		try {
			answers = await this.store.claim(items, this.attempt(items.length), learnt);
		} catch (error) {
			this.putBack(learnt);
			throw this.failed(error as NodeError, learnt);
		}
		this.settledAt = this.now();
		items.forEach(({ reference, fields }, index) => {
			if (answers[index].before === 'free' && answers[index].differs.length === 0)
				this.notSent.set(reference, fields);
		});
		return new Map(items.map(({ reference }, index) => [reference, answers[index]]));
	}

	sending(reference: string): void {
		if (!this.notSent.has(reference)) return;
		this.inFlight.set(reference, this.notSent.get(reference));
		this.notSent.delete(reference);
	}

	/**
	 * An attempt's outcome: transferred is written as such (with the correlation id of its
	 * exchange, where the store keeps it), refused gives the reference back, unknown keeps its claim.
	 */
	learn(item: LedgerItem, outcome: RequestOutcome, correlationId?: string): void {
		const stage = STAGE_AFTER[outcome];
		if (stage === 'transferred')
			this.learnt.transferred.push({
				reference: item.reference,
				...(correlationId !== undefined && { correlationId }),
			});
		if (stage === 'free')
			this.learnt.released.push({ ...item, fields: this.inFlight.get(item.reference) });
		if (stage === 'claimed') this.learnt.unknown.push(item.reference);
		this.inFlight.delete(item.reference);
	}

	/** Writes what the run learnt, at most once a second unless forced. */
	async settle(force = false): Promise<void> {
		if (!force && this.now() - this.settledAt < SETTLE_EVERY_MS) return;
		const { transferred, released, unknown } = this.learnt;
		if (transferred.length + released.length + unknown.length === 0) return;
		const learnt = this.take();
		this.settledAt = this.now();
		try {
			await this.store.settle(learnt);
		} catch (error) {
			throw unrecorded(this.ctx, this.store, error as Error);
		}
	}

	/** The end of the run, or its stop: what was claimed and never sent is given back. */
	async close(): Promise<void> {
		for (const [reference, fields] of this.notSent)
			this.learnt.released.push({ itemIndex: -1, reference, fields });
		this.notSent.clear();
		await this.settle(true);
	}

	/**
	 * A claim that failed: with outcomes it was to write, those stay unrecorded; else the store's
	 * own refusals (busy, a turn that outlasted its lease) as they are, and a store failure.
	 */
	private failed(error: NodeError, learnt: Settlement): NodeError {
		if (learnt.transferred.length > 0) return unrecorded(this.ctx, this.store, error);
		// The store's own refusals (busy, unavailable, no room) were made as such: passed on as they are
		if (outcomeOf(error) === 'refused') return error;
		return ledgerUnavailable(this.ctx, `${STORE_WORDS[this.store.kind]} said: ${error.message}`);
	}
}

/** The ledger could not be used, so nothing with a Reference was sent. */
export function ledgerUnavailable(ctx: IExecuteFunctions, why: string): NodeError {
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

function unrecorded(ctx: IExecuteFunctions, store: LedgerStore, error: Error) {
	const said = `${STORE_WORDS[store.kind]} said: ${error.message}`;
	return refusalError(ctx.getNode(), {
		code: 'LEDGER_UNAVAILABLE',
		person: {
			message: `The transfer ledger could not record the outcome of this run's transfers (${said}).`,
			description:
				'Their References stay marked as outcome unknown, so a re-run refuses them rather than send them twice. Konaplate answered them: settle each with Transaction → Get Many on the card it came from, then Transfer Reference → Resolve (Mark as Transferred).',
		},
		agent: AGENT_REFUSAL.ledgerUnrecorded(error.message),
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
			message: `Item ${itemIndex} (${namedReference(reference)}) was not sent: an earlier transfer with this Reference may or may not have gone through. It is still in flight in another execution, or it timed out, lost its connection, got an unclear answer, or its execution stopped while it was sent.`,
			description:
				'Nothing was sent for this item. Check the balances of both cards (Card → Get), find the transfer with Transaction → Get Many on the card it came from (type Transfer, the day of the attempt: Transfer Reference → Get gives it as claimedOn), or ask Konaplate support with the earlier correlation id. Then record the decision with Transfer Reference → Resolve: Mark as Transferred, or Mark as Not Transferred to let the next run send it (or send it deliberately with a new Reference).',
		},
		agent: AGENT_REFUSAL.outcomeUnknown(reference),
	});
}
