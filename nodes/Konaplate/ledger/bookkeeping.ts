import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { NodeError, Prepared } from '../actions/operation';
import type { Session } from '../transport/session';
import { LedgerRun, noteReference, outcomeUnknownError } from './run';

/** An item sent in this run before it stopped: its correlation ids, and whether a Reference protects it. */
interface Completed {
	itemIndex: number;
	correlationIds: string[];
	referenced: boolean;
}

/** When the node stops on an item, the items already sent must not be sent again by a blind re-run. */
function noteEarlierItems(error: NodeError, done: Completed[]): NodeError {
	if (done.length === 0) return error;
	// A list read gives several items per input item: each input item is named once
	const list = [
		...new Set(
			done.flatMap(({ itemIndex, correlationIds }) =>
				correlationIds.map((id) => `item ${itemIndex} (${id})`),
			),
		),
	].join(', ');
	const advice = done.every((item) => item.referenced)
		? 'Their References are recorded: a re-run outputs them as already transferred and does not send them again.'
		: 'Do not run those again.';
	error.description =
		`${error.description ?? ''} Already completed in this run before it stopped: ${list}. ${advice}`.trim();
	return error;
}

/**
 * The ledger's side of one run. Items with a Reference are claimed in the workflow's ledger in
 * one go: one already done is output without sending, one whose earlier outcome is unknown is
 * refused. Then each outcome is written down as it comes, at most once a second, and an error
 * that stops the run names the items already completed.
 */
export class Bookkeeping {
	private readonly completed: Completed[] = [];

	private constructor(
		private readonly ledger: LedgerRun | undefined,
		/** The items to send: those without a Reference, and those this run claimed. */
		readonly toSend: Prepared[],
		/** Items whose Reference was transferred before. */
		readonly done: Prepared[],
		/** Items whose Reference an earlier attempt may or may not have transferred. */
		readonly unknown: Map<number, NodeError>,
	) {}

	/** Claims the References of a run; without Continue On Fail an unknown outcome stops the run. */
	static async claim(
		ctx: IExecuteFunctions,
		session: Session,
		prepared: Prepared[],
		continueOnFail: boolean,
	): Promise<Bookkeeping> {
		const referenced = prepared.filter((item) => item.reference !== '');
		if (referenced.length === 0) return new Bookkeeping(undefined, prepared, [], new Map());
		const claimed = await LedgerRun.claim(
			ctx,
			session.credential,
			referenced.map((item) => item.reference),
			() => session.clock.now().getTime(),
		);
		const stateOf = (item: Prepared) => claimed.states.get(item.reference);
		const unknown = new Map(
			prepared
				.filter((item) => stateOf(item) === 'unknown')
				.map((item) => [item.itemIndex, outcomeUnknownError(ctx, item.itemIndex, item.reference)]),
		);
		if (unknown.size > 0 && !continueOnFail) {
			await claimed.run.close();
			throw unknown.values().next().value;
		}
		const toSend = prepared.filter((item) => [undefined, 'claimed'].includes(stateOf(item)));
		const done = prepared.filter((item) => stateOf(item) === 'done');
		return new Bookkeeping(claimed.run, toSend, done, unknown);
	}

	/** Just before a batch leaves: its References are no longer given back at the end. */
	sending(batch: Prepared[]): void {
		for (const item of batch) if (item.reference !== '') this.ledger?.sending(item.reference);
	}

	succeeded(item: Prepared, output: INodeExecutionData[]): void {
		this.completed.push({
			itemIndex: item.itemIndex,
			// Every operation's output carries the correlation id of its exchange
			correlationIds: output.map(({ json }) => String(json.correlationId)),
			referenced: item.reference !== '',
		});
		if (item.reference !== '') this.ledger?.succeeded(item.reference);
	}

	/** A failed send: the error names the item's Reference, and the ledger learns the outcome. */
	failed(item: Prepared, error: NodeError): NodeError {
		if (item.reference !== '' && this.ledger) noteReference(error, item.reference, this.ledger);
		return error;
	}

	/** After a batch: writes what it learnt; `stop` (the first failure without Continue On Fail) ends the run. */
	async endBatch(stop: NodeError | undefined): Promise<void> {
		try {
			if (stop !== undefined) await this.ledger?.close();
			else await this.ledger?.settle();
		} catch (error) {
			throw noteEarlierItems(stop ?? (error as NodeError), this.completed);
		}
		if (stop !== undefined) throw noteEarlierItems(stop, this.completed);
	}

	/** The end of the run: what was claimed and never sent is given back. */
	async close(): Promise<void> {
		try {
			await this.ledger?.close();
		} catch (error) {
			throw noteEarlierItems(error as NodeError, this.completed);
		}
	}
}
