import type { ICheckProcessedOptions, IExecuteFunctions } from 'n8n-workflow';

import { refusalError } from '../errors';
import { AGENT_REFUSAL } from '../tool/sentences';
import { ledgerValue, readStates, referenceKey } from '../wire/ledger';
import type { Decision, LedgerAccount, LedgerState, ReferenceState } from '../wire/ledger';

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

/**
 * The store reads a workflow's whole list, changes it and writes it back, without a lock: two
 * executions interleaving would lose each other's writes, and both could claim one reference.
 * Within this n8n process every ledger call of a workflow waits for the one before it.
 */
const queues = new Map<string, Promise<unknown>>();

async function serialised<T>(workflowId: string, task: () => Promise<T>): Promise<T> {
	const run = (queues.get(workflowId) ?? Promise.resolve()).then(task);
	const tail = run.catch(() => undefined);
	queues.set(workflowId, tail);
	void tail.then(() => {
		if (queues.get(workflowId) === tail) queues.delete(workflowId);
	});
	return await run;
}

const unique = (values: string[]) => [...new Set(values)];

function unavailable(ctx: IExecuteFunctions, why: string) {
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

/**
 * The workflow's ledger in n8n's deduplication store: every store call of the node is here.
 */
export class Ledger {
	private constructor(
		readonly ctx: IExecuteFunctions,
		private readonly workflowId: string,
		private readonly account: LedgerAccount,
	) {}

	/** The ledger of this workflow for one Konaplate account; refused where n8n has no store. */
	static open(ctx: IExecuteFunctions, account: LedgerAccount): Ledger {
		const { helpers } = ctx;
		if (
			typeof helpers.checkProcessedAndRecord !== 'function' ||
			typeof helpers.removeProcessed !== 'function'
		) {
			throw unavailable(ctx, 'this n8n gives nodes no deduplication store');
		}
		const workflowId = ctx.getWorkflow().id;
		if (!workflowId) throw unavailable(ctx, 'the workflow has no id: save it first');
		return new Ledger(ctx, workflowId, account);
	}

	/**
	 * One call records a claim for every reference of the run not claimed before, and tells which
	 * were; a second looks for the `done` of those (a re-run); a third, only when some outcome is
	 * unknown, removes the `done` values recorded by looking.
	 */
	async claim(references: string[]): Promise<ReferenceState[]> {
		const { helpers } = this.ctx;
		const keys = references.map((reference) => referenceKey(this.account, reference));
		const seen = async (values: string[]) =>
			new Set(
				(await helpers.checkProcessedAndRecord(unique(values), SCOPE, STORE)).processed.map(String),
			);
		try {
			return await serialised(this.workflowId, async () => {
				const claimsSeen = await seen(keys.map((key) => ledgerValue('claim', key)));
				const earlier = keys.filter((key) => claimsSeen.has(ledgerValue('claim', key)));
				const doneSeen =
					earlier.length > 0
						? await seen(earlier.map((key) => ledgerValue('done', key)))
						: new Set<string>();
				const { states, toRemove } = readStates(keys, claimsSeen, doneSeen);
				if (toRemove.length > 0) await helpers.removeProcessed(unique(toRemove), SCOPE, STORE);
				return states;
			});
		} catch (error) {
			throw unavailable(this.ctx, `n8n's deduplication store said: ${(error as Error).message}`);
		}
	}

	/**
	 * Done references get their `done` beside the claim; released references (refused, or never
	 * sent) lose their claim. Both lists are usually short or empty: one call, rarely two.
	 */
	async settle(done: string[], released: string[]): Promise<void> {
		const value = (mark: 'claim' | 'done', references: string[]) =>
			unique(
				references.map((reference) => ledgerValue(mark, referenceKey(this.account, reference))),
			);
		await serialised(this.workflowId, async () => {
			if (done.length > 0)
				await this.ctx.helpers.checkProcessedAndRecord(value('done', done), SCOPE, STORE);
			if (released.length > 0)
				await this.ctx.helpers.removeProcessed(value('claim', released), SCOPE, STORE);
		});
	}

	/**
	 * One reference's state, changing nothing: the store has no read-only check, so a value it
	 * records only by being asked for is removed again at once (in the same queued call). With
	 * `decision`, a reference whose outcome is unknown is resolved in that call: marked
	 * transferred (its `done` is kept) or not transferred (its claim is removed). Returns the
	 * state before; any other state is left as it was.
	 */
	async inspect(reference: string, decision?: Decision): Promise<LedgerState> {
		const { helpers } = this.ctx;
		const key = referenceKey(this.account, reference);
		const [claim, done] = [ledgerValue('claim', key), ledgerValue('done', key)];
		const seen = async (value: string) =>
			(await helpers.checkProcessedAndRecord([value], SCOPE, STORE)).processed.length > 0;
		const remove = async (values: string[]) => await helpers.removeProcessed(values, SCOPE, STORE);
		try {
			return await serialised(this.workflowId, async (): Promise<LedgerState> => {
				if (!(await seen(claim))) {
					await remove([claim]);
					return 'notSent';
				}
				if (await seen(done)) return 'transferred';
				if (decision !== 'markTransferred')
					await remove(decision === 'markNotTransferred' ? [done, claim] : [done]);
				return 'outcomeUnknown';
			});
		} catch (error) {
			throw unavailable(this.ctx, `n8n's deduplication store said: ${(error as Error).message}`);
		}
	}
}
