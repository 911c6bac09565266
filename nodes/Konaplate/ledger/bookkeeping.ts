import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { NodeError, Prepared } from '../actions/operation';
import { refusalError } from '../errors';
import { AGENT_REFUSAL } from '../tool/sentences';
import type { Session } from '../transport/session';
import type { ReferenceState } from '../wire/ledger';
import { formatWon } from '../wire/money';
import { LedgerRun, noteReference, outcomeUnknownError } from './run';
import { LEDGER_MAX_REFERENCES_PER_RUN } from './store';

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
 * How many items' References the first store call claims, ahead of their requests. Each next
 * window is as large as all before it together (100, 100, 200, 400, …): a run of N items makes
 * about log2(N/100) + 2 claim calls, and one that dies leaves unclaimed everything past its
 * current window, which is never larger than what it already sent.
 */
export const CLAIM_WINDOW = 100;

/** The run's items whose References were claimed together, by what the ledger said of each. */
export interface Claimed {
	/** The items to send: those without a Reference, and those this run claimed. */
	toSend: Prepared[];
	/** Items whose Reference was transferred before. */
	done: Prepared[];
	/** Items whose Reference an earlier attempt may or may not have transferred. */
	unknown: Map<number, NodeError>;
}

function tooLarge(ctx: IExecuteFunctions, count: number) {
	const max = formatWon(LEDGER_MAX_REFERENCES_PER_RUN);
	return refusalError(ctx.getNode(), {
		code: 'LEDGER_RUN_TOO_LARGE',
		person: {
			message: `The run was not sent: it has ${formatWon(count)} items with a Reference, more than the ${max} one run may carry.`,
			description: `Nothing was sent for any item. The workflow's ledger keeps the last ${max} transferred References; a larger run would forget its own first transfers before it ends. Split the list into runs of at most ${max} items.`,
		},
		agent: AGENT_REFUSAL.runTooLarge(formatWon(count), max),
	});
}

/**
 * The ledger's side of one run. The References of the next items to leave are claimed in one
 * store call (a window, see CLAIM_WINDOW), just before they are sent, so a run that stops,
 * times out or dies leaves the References it never reached free. One already done is output
 * without sending; one whose earlier outcome is unknown is refused. Each outcome is written
 * down as it comes, at most once a second (or with the next window's claim), and an error that
 * stops the run names the items already completed.
 */
export class Bookkeeping {
	private readonly completed: Completed[] = [];

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly ledger: LedgerRun | undefined,
		private readonly continueOnFail: boolean,
	) {}

	/** The run's ledger, when any item has a Reference; a run too large for it is refused. */
	static open(
		ctx: IExecuteFunctions,
		session: Session,
		prepared: Prepared[],
		continueOnFail: boolean,
	): Bookkeeping {
		const count = prepared.filter((item) => item.reference !== '').length;
		if (count === 0) return new Bookkeeping(ctx, undefined, continueOnFail);
		if (count > LEDGER_MAX_REFERENCES_PER_RUN) throw tooLarge(ctx, count);
		const clock = () => session.clock.now().getTime();
		return new Bookkeeping(ctx, LedgerRun.open(ctx, session.credential, clock), continueOnFail);
	}

	/** The run's items in growing windows of whole batches, each claimed just before it is sent. */
	static windows(prepared: Prepared[], batchSize: number): Prepared[][] {
		const whole = (count: number) => batchSize * Math.max(1, Math.ceil(count / batchSize));
		const windows: Prepared[][] = [];
		for (let start = 0; start < prepared.length; ) {
			const size = whole(Math.max(CLAIM_WINDOW, start));
			windows.push(prepared.slice(start, start + size));
			start += size;
		}
		return windows;
	}

	/** Claims the References of a window; without Continue On Fail an unknown outcome stops the run. */
	async claim(window: Prepared[]): Promise<Claimed> {
		const referenced = window.filter((item) => item.reference !== '');
		if (this.ledger === undefined || referenced.length === 0)
			return { toSend: window, done: [], unknown: new Map() };
		let states: Map<string, ReferenceState>;
		try {
			states = await this.ledger.claim(referenced.map((item) => item.reference));
		} catch (error) {
			throw noteEarlierItems(error as NodeError, this.completed);
		}
		const stateOf = (item: Prepared) => states.get(item.reference);
		const unknown = new Map(
			window
				.filter((item) => stateOf(item) === 'unknown')
				.map((item) => [
					item.itemIndex,
					outcomeUnknownError(this.ctx, item.itemIndex, item.reference),
				]),
		);
		if (unknown.size > 0 && !this.continueOnFail) {
			await this.close();
			throw noteEarlierItems(unknown.values().next().value as NodeError, this.completed);
		}
		return {
			toSend: window.filter((item) => [undefined, 'claimed'].includes(stateOf(item))),
			done: window.filter((item) => stateOf(item) === 'done'),
			unknown,
		};
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
