import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { refusalError } from '../errors';
import { AGENT_REFUSAL } from '../tool/sentences';
import { ledgerValue, readStates, referenceKey } from '../wire/ledger';
import type { LedgerAccount, ReferenceState } from '../wire/ledger';

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

/**
 * The workflow's ledger in n8n's deduplication store: every store call of the node is here.
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
	 * A store failure after the first call gives back what this call recorded to look, so no
	 * reference is left reading as claimed or transferred by a look-up.
	 */
	async claim(references: string[], done: string[], headroom: number): Promise<ReferenceState[]> {
		const keys = references.map((reference) => referenceKey(this.account, reference));
		const claims = keys.map((key) => ledgerValue('claim', key));
		return await serialised(this.workflowId, async () => {
			const seen = await this.record(
				unique([...this.values('done', done), ...claims]),
				headroom + claims.length,
			);
			const claimsSeen = new Set(claims.filter((claim) => seen.has(claim)));
			const earlier = keys.filter((key) => claimsSeen.has(ledgerValue('claim', key)));
			// A failed call writes nothing (one UPDATE); a failed removal leaves its values behind
			let lookups: string[] = [];
			try {
				const doneSeen =
					earlier.length > 0
						? await this.record(
								unique(earlier.map((key) => ledgerValue('done', key))),
								headroom + claims.length + earlier.length,
							)
						: new Set<string>();
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
	}

	/**
	 * Done references get their `done` beside the claim; released references (refused, or never
	 * sent) lose their claim. Both lists are usually short or empty: one call, rarely two.
	 */
	async settle(done: string[], released: string[], headroom: number): Promise<void> {
		await serialised(this.workflowId, async () => {
			if (done.length > 0) await this.record(this.values('done', done), headroom);
			if (released.length > 0) await this.remove(this.values('claim', released));
		});
	}
}
