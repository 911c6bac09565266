import type { IExecuteFunctions } from 'n8n-workflow';

import type { Decision } from '../wire/ledger';
import type {
	Attempt,
	ClaimAnswer,
	Inspection,
	LedgerItem,
	LedgerRow,
	LedgerStore,
	ListFilter,
	Settlement,
	UnknownTransfer,
} from './seam';
import { NOTHING_LEARNT } from './seam';
import type { WorkflowLedgerStore } from './store';

/**
 * The shared ledger, carrying over what the workflow's own ledger holds: an account switched to
 * Shared (PostgreSQL) forgets nothing its workflows' ledgers knew.
 *
 * A Reference the shared ledger has never seen (its claim wins: `before: 'free'`) is looked up in
 * this workflow's row of n8n's deduplication store before the answer goes back, while that row
 * exists. What it holds is written into the shared row first: transferred is settled as
 * transferred; claimed (sent, outcome unknown) stays claimed with its attempt over, answered as
 * claimed so the run refuses it as outcome unknown; fields that differ from the earlier
 * transfer's are answered as a mismatch (the shared row keeps this item's digests: the workflow's
 * store keeps only hashes). A Reference the workflow ledger resolved as not transferred but with
 * other fields is given back to the shared ledger, so the next claim looks again.
 *
 * Cost: one look at the size of the workflow's row per claim that won a Reference, and, while the
 * row holds anything, one turn at the workflow ledger's lock for those References. It ends when
 * the row is gone (Remove Duplicates' Clean Database, scope Workflow) or empty.
 */
export class CarryOverLedgerStore implements LedgerStore {
	readonly kind = 'postgres';

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly shared: LedgerStore,
		private readonly own: WorkflowLedgerStore,
	) {}

	/** The workflow's row holds something: n8n's count of its values, one read. */
	private async ownRowHolds(): Promise<boolean> {
		return (await this.ctx.helpers.getProcessedDataCount('workflow', { mode: 'entries' })) > 0;
	}

	/** What the workflow's own ledger holds of these items; undefined when its row holds nothing. */
	private async lookUp(items: LedgerItem[]): Promise<ClaimAnswer[] | undefined> {
		return (await this.ownRowHolds()) ? await this.own.stagesOf(items) : undefined;
	}

	/** Gives claims back to the shared ledger (best effort), then fails with `error`. */
	private async givingBack(items: LedgerItem[], error: unknown): Promise<never> {
		if (items.length > 0)
			await this.shared.settle({ ...NOTHING_LEARNT, released: items }).catch(() => undefined);
		return await Promise.reject(error);
	}

	async claim(items: LedgerItem[], attempt: Attempt, learnt: Settlement): Promise<ClaimAnswer[]> {
		const answers = await this.shared.claim(items, attempt, learnt);
		const won = new Map<string, LedgerItem>();
		// Won: claimed by this call (free, and no mismatch with a row resolved as not transferred)
		items.forEach((item, index) => {
			const { before, differs } = answers[index];
			if (before === 'free' && differs.length === 0 && !won.has(item.reference))
				won.set(item.reference, item);
		});
		if (won.size === 0) return answers;
		const wonItems = [...won.values()];
		// On a failure nothing is sent: the won claims are given back, so the next run looks again
		const earlier = await this.lookUp(wonItems).catch(
			async (error: unknown) => await this.givingBack(wonItems, error),
		);
		if (earlier === undefined) return answers;
		const carried = new Map<string, ClaimAnswer>();
		const found: Settlement = { transferred: [], released: [], unknown: [] };
		wonItems.forEach((item, index) => {
			const { before, differs } = earlier[index];
			if (before === 'free' && differs.length === 0) return;
			carried.set(item.reference, { before, differs });
			if (before === 'transferred') found.transferred.push({ reference: item.reference });
			if (before === 'claimed') found.unknown.push(item.reference);
			if (before === 'free') found.released.push(item);
		});
		if (carried.size === 0) return answers;
		// What could not be written stays claimed in the shared ledger: refused as unknown
		await this.shared
			.settle(found)
			.catch(async (error: unknown) => await this.givingBack(found.released, error));
		return items.map(({ reference }, index) => carried.get(reference) ?? answers[index]);
	}

	async settle(learnt: Settlement): Promise<void> {
		await this.shared.settle(learnt);
	}

	async inspect(reference: string): Promise<Inspection> {
		return await this.shared.inspect(reference);
	}

	async resolve(reference: string, decision: Decision, now: number): Promise<Inspection> {
		return await this.shared.resolve(reference, decision, now);
	}

	/**
	 * The shared ledger's answer, and for the items it finds nothing for, the workflow's own
	 * ledger's while its row holds anything: an unknown outcome left there before the switch.
	 */
	async unknownTransfers(
		items: LedgerItem[],
		own: ReadonlySet<string>,
	): Promise<Array<UnknownTransfer | undefined>> {
		const found = await this.shared.unknownTransfers(items, own);
		const rest = items.filter((_, index) => found[index] === undefined);
		if (rest.length === 0 || !(await this.ownRowHolds())) return found;
		const earlier = await this.own.unknownTransfers(rest, own);
		return found.map((answer) => answer ?? earlier.shift());
	}

	async list(filter: ListFilter): Promise<LedgerRow[]> {
		if (this.shared.list === undefined) throw new Error('the shared ledger lists no references');
		return await this.shared.list(filter);
	}
}

/**
 * The shared ledger with the carry-over of this workflow's own ledger, where n8n gives the node
 * its deduplication store and the workflow has an id; else the shared ledger alone.
 */
export function withCarryOver(
	ctx: IExecuteFunctions,
	shared: LedgerStore,
	openOwn: () => WorkflowLedgerStore,
): LedgerStore {
	try {
		return new CarryOverLedgerStore(ctx, shared, openOwn());
	} catch {
		return shared;
	}
}
