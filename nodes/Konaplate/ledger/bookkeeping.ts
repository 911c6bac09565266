import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { NodeError, Prepared } from '../actions/operation';
import { refusalError } from '../errors';
import { AGENT_REFUSAL } from '../tool/sentences';
import type { Session } from '../transport/session';
import { agentName } from '../tool/agent';
import type { Reading, TransferField } from '../wire/ledger';
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
 * How many items' References the first store call claims, ahead of their requests, before the
 * run's pace is known. Each later window holds about a second of sending at the pace measured so
 * far (WINDOW_MS), at least this many: a run makes about one claim call a second (plus the
 * first), each of which also writes the outcomes since the last, and one that dies leaves
 * unclaimed everything past its current window, about a second of sending.
 */
export const CLAIM_WINDOW = 100;

/** How much sending one claim window holds, once the run's pace is known. */
export const WINDOW_MS = 1000;

/**
 * The share of a paced window that the run's last items may add to it rather than wait for a
 * window of their own: such a window holds at most 1.25 s of sending, and a run of 1,000 items at
 * about a millisecond each makes two claim calls, not three.
 */
export const TAIL_SHARE = 0.25;

/** The run's items whose References were claimed together, by what the ledger said of each. */
export interface Claimed {
	/** The items to send: those without a Reference, and those this run claimed. */
	toSend: Prepared[];
	/** Items whose Reference was transferred before. */
	done: Prepared[];
	/**
	 * Items refused: their Reference's earlier attempt may or may not have gone through, or it
	 * names another transfer (a mismatch).
	 */
	refused: Map<number, NodeError>;
}

/** Each field of a transfer as a person and as an agent (the key it gave) name it. */
const FIELD_WORDS: Readonly<Record<TransferField, { person: string; parameter: string }>> = {
	member: { person: 'member', parameter: 'userId' },
	fromCard: { person: 'card to transfer from', parameter: 'fromCardNo' },
	toCard: { person: 'card to transfer to', parameter: 'toCardNo' },
	amount: { person: 'amount', parameter: 'amount' },
};

const list = (words: string[]) =>
	words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

/** An item whose Reference names an earlier transfer with other fields: which differ, never their values. */
function mismatchError(ctx: IExecuteFunctions, item: Prepared, differs: TransferField[]) {
	const node = ctx.getNode();
	const fields = list(differs.map((field) => FIELD_WORDS[field].person));
	const keys = list(differs.map((field) => agentName(node, FIELD_WORDS[field].parameter)));
	return refusalError(node, {
		code: 'LEDGER_REFERENCE_MISMATCH',
		itemIndex: item.itemIndex,
		reference: item.reference,
		person: {
			message: `Item ${item.itemIndex} (Reference "${item.reference}") was not sent: this Reference names an earlier transfer with another ${fields}.`,
			description:
				'Nothing was sent for this item. A Reference names one transfer. If this item is another transfer, give it a Reference of its own. If it is meant to be the earlier one, correct the item rather than send it under a new Reference: the earlier transfer may already have moved the money (Transfer Reference → Get tells).',
		},
		agent: AGENT_REFUSAL.referenceMismatch(item.reference, keys),
	});
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
	/** When the first window was asked for: the run's pace is measured from then. */
	private startedAt: number | undefined;
	/** Time spent in the ledger's calls since then: not sending, so not part of the pace. */
	private ledgerMs = 0;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly ledger: LedgerRun | undefined,
		private readonly continueOnFail: boolean,
		private readonly clock: () => number,
	) {}

	/** The run's ledger, when any item has a Reference; a run too large for it is refused. */
	static open(
		ctx: IExecuteFunctions,
		session: Session,
		prepared: Prepared[],
		continueOnFail: boolean,
	): Bookkeeping {
		const count = prepared.filter((item) => item.reference !== '').length;
		const clock = () => session.clock.now().getTime();
		if (count === 0) return new Bookkeeping(ctx, undefined, continueOnFail, clock);
		if (count > LEDGER_MAX_REFERENCES_PER_RUN) throw tooLarge(ctx, count);
		const ledger = LedgerRun.open(ctx, session.credential, clock);
		return new Bookkeeping(ctx, ledger, continueOnFail, clock);
	}

	/**
	 * The next window of the run's items from `start`, in whole batches: with no Reference, all of
	 * them (nothing is claimed); else CLAIM_WINDOW items first, then as many as the run went
	 * through in WINDOW_MS of sending at its pace so far (the ledger's own calls left out; at
	 * least CLAIM_WINDOW), each claimed just before it is sent. After the first, a rest of at most a
	 * quarter of a window joins it (TAIL_SHARE): a turn at the ledger of its own would cost more
	 * than its items' sending.
	 */
	nextWindow(prepared: Prepared[], start: number, batchSize: number): Prepared[] {
		if (this.ledger === undefined) return prepared.slice(start);
		this.startedAt ??= this.clock();
		const elapsed = Math.max(1, this.clock() - this.startedAt - this.ledgerMs);
		const paced = start === 0 ? CLAIM_WINDOW : Math.ceil((start * WINDOW_MS) / elapsed);
		const size = batchSize * Math.ceil(Math.max(CLAIM_WINDOW, paced) / batchSize);
		const rest = prepared.length - start - size;
		const tail = start > 0 && rest <= size * TAIL_SHARE;
		return prepared.slice(start, tail ? undefined : start + size);
	}

	/** Runs a ledger call, counting its time out of the run's pace. */
	private async timed<T>(call: () => Promise<T>): Promise<T> {
		const start = this.clock();
		try {
			return await call();
		} finally {
			this.ledgerMs += this.clock() - start;
		}
	}

	/** Claims the References of a window; without Continue On Fail a refused one stops the run. */
	async claim(window: Prepared[]): Promise<Claimed> {
		const referenced = window.filter((item) => item.reference !== '');
		if (this.ledger === undefined || referenced.length === 0)
			return { toSend: window, done: [], refused: new Map() };
		let states: Map<string, Reading>;
		try {
			const { ledger } = this;
			states = await this.timed(
				async () =>
					await ledger.claim(referenced.map(({ reference, fields }) => ({ reference, fields }))),
			);
		} catch (error) {
			throw noteEarlierItems(error as NodeError, this.completed);
		}
		const stateOf = (item: Prepared) => states.get(item.reference)?.state;
		const refused = new Map<number, NodeError>();
		for (const item of window) {
			const reading = states.get(item.reference);
			if (reading?.state === 'unknown')
				refused.set(item.itemIndex, outcomeUnknownError(this.ctx, item.itemIndex, item.reference));
			if (reading?.state === 'mismatch')
				refused.set(item.itemIndex, mismatchError(this.ctx, item, reading.differs));
		}
		if (refused.size > 0 && !this.continueOnFail) {
			await this.close();
			throw noteEarlierItems(refused.values().next().value as NodeError, this.completed);
		}
		return {
			toSend: window.filter((item) => [undefined, 'claimed'].includes(stateOf(item))),
			done: window.filter((item) => stateOf(item) === 'done'),
			refused,
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

	/**
	 * After a batch: writes what it learnt (at most once a second), unless the batch ends its
	 * window, whose outcomes the next window's claim or the end of the run writes at once; `stop`
	 * (the first failure without Continue On Fail) ends the run.
	 */
	async endBatch(stop: NodeError | undefined, endsWindow: boolean): Promise<void> {
		try {
			if (stop !== undefined) await this.ledger?.close();
			else if (!endsWindow) await this.timed(async () => await this.ledger?.settle());
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
