import type { IExecuteFunctions } from 'n8n-workflow';

import { refusalError, withDescription } from '../errors';
import type { NodeError } from '../errors';
import { AGENT_REFUSAL } from '../tool/sentences';
import type { Session } from '../transport/session';
import { agentName } from '../tool/agent';
import type { TransferField } from '../wire/ledger';
import { formatWon } from '../wire/money';
import { namedReference } from '../wire/redact';
import { openLedgerStore } from './open';
import { LedgerRun, outcomeUnknownError } from './run';
import { agentCheck, sameTransfersUnknown } from './same-transfer';
import type { AgentCheck } from './same-transfer';
import type { ClaimAnswer, ItemResult, LedgerItem } from './seam';
import { LEDGER_MAX_REFERENCES_PER_RUN } from './workflow-row';
import { windowSize } from './window';

export { CLAIM_WINDOW, TAIL_SHARE, WINDOW_MS } from './window';

/** An item sent in this run before it stopped: its correlation ids, and whether a Reference protects it. */
interface Completed {
	itemIndex: number;
	correlationIds: string[];
	referenced: boolean;
}

/**
 * The error that stops a run, made whole: when items were already sent, it names them, so that
 * a blind re-run does not send them again.
 */
function stopError(error: NodeError, done: Completed[]): NodeError {
	if (done.length === 0) return error;
	// A list read gives several items per input item, an operation without a Konaplate exchange
	// none: each input item is named once
	const named = done.map(({ itemIndex, correlationIds }) =>
		correlationIds.length === 0
			? `item ${itemIndex}`
			: correlationIds.map((id) => `item ${itemIndex} (${id})`).join(', '),
	);
	const list = [...new Set(named)].join(', ');
	const advice = done.every((item) => item.referenced)
		? 'Their References are recorded: a re-run outputs them as already transferred and does not send them again.'
		: 'Do not run those again.';
	return withDescription(
		error,
		`Already completed in this run before it stopped: ${list}. ${advice}`,
	);
}

/** The run's items whose References were claimed together, by what the ledger said of each. */
export interface Claimed<T extends LedgerItem> {
	/** The items to send: those without a Reference, and those this run claimed. */
	toSend: T[];
	/** Items whose Reference was transferred before. */
	done: T[];
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
function mismatchError(ctx: IExecuteFunctions, item: LedgerItem, differs: TransferField[]) {
	const node = ctx.getNode();
	const fields = list(differs.map((field) => FIELD_WORDS[field].person));
	const keys = list(differs.map((field) => agentName(node, FIELD_WORDS[field].parameter)));
	return refusalError(node, {
		code: 'LEDGER_REFERENCE_MISMATCH',
		itemIndex: item.itemIndex,
		reference: item.reference,
		person: {
			message: `Item ${item.itemIndex} (${namedReference(item.reference)}) was not sent: this Reference names an earlier transfer with another ${fields}.`,
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

/** What the run's window settings say of how long a window's requests may take. */
export interface Sending {
	batchSize: number;
	batchInterval: number;
}

/**
 * The item loop's side of the ledger for one run. The References of the next items to leave
 * are claimed in one store call (a window: ledger/window.ts), just before they are sent, so a
 * run that stops, times out or dies leaves the References it never reached free. One already
 * done is output without sending; one whose earlier outcome is unknown is refused. Each outcome
 * is written down as it comes, at most once a second (or with the next window's claim), and an
 * error that stops the run names the items already completed.
 */
export class Bookkeeping {
	private readonly completed: Completed[] = [];
	/** When the first window was asked for: the run's pace is measured from then. */
	private startedAt: number | undefined;
	/** Time spent in the ledger's calls since then: not sending, so not part of the pace. */
	private ledgerMs = 0;
	/** Requests that left since then: the pace is theirs, not that of items the ledger answered. */
	private sent = 0;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly ledger: LedgerRun | undefined,
		private readonly continueOnFail: boolean,
		private readonly clock: () => number,
		private readonly agent?: AgentCheck,
	) {}

	/**
	 * The run's ledger, when any item has a Reference; a run too large for it, or on the workflow
	 * ledger on a queue-mode worker, is refused before anything is sent. When an agent may have
	 * started a run of transfers, the ledger is also looked in for the same transfers whose
	 * outcome is unknown, with a Reference or without.
	 */
	static open(
		ctx: IExecuteFunctions,
		session: Session,
		items: LedgerItem[],
		continueOnFail: boolean,
		sending: Sending = { batchSize: 1, batchInterval: 0 },
	): Bookkeeping {
		const count = items.filter((item) => item.reference !== '').length;
		const clock = () => session.clock.now().getTime();
		if (count === 0)
			return new Bookkeeping(
				ctx,
				undefined,
				continueOnFail,
				clock,
				agentCheck(ctx, session, items),
			);
		if (count > LEDGER_MAX_REFERENCES_PER_RUN) throw tooLarge(ctx, count);
		const store = openLedgerStore(ctx, session, {
			what: 'A run of transfers with a Reference',
			references: count,
		});
		const run = new LedgerRun(store, ctx, session, sending);
		return new Bookkeeping(ctx, run, continueOnFail, clock, agentCheck(ctx, session, items, store));
	}

	/**
	 * The next window of the run's items from `start`: with no Reference, all of them (nothing is
	 * claimed); else as ledger/window.ts sizes it from the requests that left so far.
	 */
	nextWindow<T extends LedgerItem>(items: T[], start: number, batchSize: number): T[] {
		if (this.ledger === undefined) return items.slice(start);
		this.startedAt ??= this.clock();
		const sendingMs = this.clock() - this.startedAt - this.ledgerMs;
		const size = windowSize({ sent: this.sent, sendingMs }, batchSize, items.length - start);
		return items.slice(start, start + size);
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

	/**
	 * Claims the References of a window, then, when an agent may have started the run, refuses
	 * the items whose same transfer is unknown under another Reference (their claims are given
	 * back at the end); without Continue On Fail a refused one stops the run.
	 */
	async claimWindow<T extends LedgerItem>(window: T[]): Promise<Claimed<T>> {
		const claimed = await this.claimReferences(window);
		const { refused } = claimed;
		const { agent } = this;
		if (agent !== undefined && claimed.toSend.length > 0) {
			const toSend = claimed.toSend;
			try {
				const unknown = await this.timed(
					async () => await sameTransfersUnknown(this.ctx, agent, toSend),
				);
				for (const [itemIndex, error] of unknown) refused.set(itemIndex, error);
			} catch (error) {
				await this.ledger?.close().catch(() => undefined);
				throw stopError(error as NodeError, this.completed);
			}
		}
		if (refused.size > 0 && !this.continueOnFail) {
			await this.close();
			throw stopError(refused.values().next().value as NodeError, this.completed);
		}
		const kept = (item: T) => !refused.has(item.itemIndex);
		return { toSend: claimed.toSend.filter(kept), done: claimed.done, refused };
	}

	/** Claims the References of a window: what the ledger said of each. */
	private async claimReferences<T extends LedgerItem>(window: T[]): Promise<Claimed<T>> {
		const referenced = window.filter((item) => item.reference !== '');
		if (this.ledger === undefined || referenced.length === 0)
			return { toSend: window, done: [], refused: new Map() };
		let answers: Map<string, ClaimAnswer>;
		try {
			const { ledger } = this;
			answers = await this.timed(async () => await ledger.claimAndWrite(referenced));
		} catch (error) {
			throw stopError(error as NodeError, this.completed);
		}
		const stageOf = (item: T) => answers.get(item.reference)?.before;
		const refused = new Map<number, NodeError>();
		for (const item of referenced) {
			const answer = answers.get(item.reference);
			if (answer === undefined) continue;
			if (answer.differs.length > 0)
				refused.set(item.itemIndex, mismatchError(this.ctx, item, answer.differs));
			else if (answer.before === 'claimed')
				refused.set(item.itemIndex, outcomeUnknownError(this.ctx, item.itemIndex, item.reference));
		}
		return {
			toSend: window.filter(
				(item) => !refused.has(item.itemIndex) && [undefined, 'free'].includes(stageOf(item)),
			),
			done: window.filter(
				(item) => !refused.has(item.itemIndex) && stageOf(item) === 'transferred',
			),
			refused,
		};
	}

	/** Just before a batch leaves: its References are no longer given back at the end. */
	sending(batch: LedgerItem[]): void {
		this.sent += batch.length;
		for (const item of batch) if (item.reference !== '') this.ledger?.sending(item.reference);
	}

	/** What came of one sent item: the ledger learns its outcome, the run what completed. */
	record(item: LedgerItem, result: ItemResult<NodeError>): void {
		if (result.sent) {
			this.completed.push({
				itemIndex: item.itemIndex,
				correlationIds: result.correlationIds,
				referenced: item.reference !== '',
			});
		}
		if (item.reference === '' || this.ledger === undefined) return;
		if (result.sent) this.ledger.learn(item, 'transferred', result.correlationIds[0]);
		else this.ledger.learn(item, result.outcome);
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
			throw stopError(stop ?? (error as NodeError), this.completed);
		}
		if (stop !== undefined) throw stopError(stop, this.completed);
	}

	/** The end of the run: what was claimed and never sent is given back. */
	async close(): Promise<void> {
		try {
			await this.ledger?.close();
		} catch (error) {
			throw stopError(error as NodeError, this.completed);
		}
	}
}
