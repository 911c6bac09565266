import type { IExecuteFunctions } from 'n8n-workflow';

import { refusalError } from '../errors';
import type { NodeError } from '../errors';
import { agentMayHaveStarted } from '../tool/started-by';
import { AGENT_REFUSAL } from '../tool/sentences';
import type { Session } from '../transport/session';
import { namedReference } from '../wire/redact';
import { openLedgerStore } from './open';
import type { LedgerItem, LedgerStore, UnknownTransfer } from './seam';

/*
 * Issue 29, item 4(a): an agent cannot settle an unknown outcome. While a transfer's outcome is
 * unknown under one Reference, the same transfer (member, both cards, amount) under another
 * Reference or none is refused before anything is sent when an agent may have started the run
 * (tool/started-by.ts): only a person decides whether the first one went through.
 */

/** An agent's transfer refused: the same transfer is unknown under another Reference. */
function sameTransferError(
	ctx: IExecuteFunctions,
	item: LedgerItem,
	earlier: UnknownTransfer,
	why: string,
): NodeError {
	const own = item.reference === '' ? '' : ` (${namedReference(item.reference)})`;
	const named = earlier.reference === undefined ? undefined : namedReference(earlier.reference);
	const under =
		named ??
		"another Reference (this workflow's ledger keeps only hashes, and this n8n process did not send it, or restarted since: the error of the execution that sent it names it)";
	return refusalError(ctx.getNode(), {
		code: 'LEDGER_SAME_TRANSFER_UNKNOWN',
		itemIndex: item.itemIndex,
		...(item.reference !== '' && { reference: item.reference }),
		person: {
			message: `Item ${item.itemIndex}${own} was not sent: the same transfer (member, both cards and amount) was sent under ${under}, and its outcome is unknown. An AI agent may have started this execution (${why}), and only a person may settle an unknown outcome.`,
			description: `Nothing was sent for this item. A person checks whether the earlier transfer went through: Transfer Reference → Get on ${named ?? 'its Reference'} gives the day of its attempt (claimedOn), and Transaction → Get Many on the card it came from shows its Transfer row. Then, in the editor, Transfer Reference → Resolve records the decision (Mark as Transferred or Mark as Not Transferred); after that this transfer is no longer refused for it.`,
		},
		agent: AGENT_REFUSAL.sameTransferUnknown(earlier.reference),
	});
}

/** Where an agent's transfers are looked up, and why an agent may have started the run. */
export interface AgentCheck {
	store: LedgerStore;
	why: string;
}

/**
 * When an agent may have started a run of transfers: the store to look in, the run's (`store`)
 * or, for a run without any Reference, the credential's, opened to read only. A workflow ledger
 * that cannot be opened (n8n gives no store, the workflow has no id) holds nothing to find; on a
 * queue-mode worker it is not this worker's to read (ledger/queue-mode.ts).
 */
export function agentCheck(
	ctx: IExecuteFunctions,
	session: Session,
	items: LedgerItem[],
	store?: LedgerStore,
): AgentCheck | undefined {
	if (!items.some((item) => item.fields !== undefined)) return undefined;
	const why = agentMayHaveStarted(ctx);
	if (why === undefined) return undefined;
	try {
		const what = 'A run of transfers for an AI agent';
		return { store: store ?? openLedgerStore(ctx, session, { what }), why };
	} catch {
		return undefined;
	}
}

/**
 * The items of a window an agent may not send: each whose transfer is unknown under a Reference
 * not among the window's own. Items without fields (no transfer) are never refused.
 */
export async function sameTransfersUnknown(
	ctx: IExecuteFunctions,
	{ store, why }: AgentCheck,
	items: LedgerItem[],
): Promise<Map<number, NodeError>> {
	const transfers = items.filter((item) => item.fields !== undefined);
	const refused = new Map<number, NodeError>();
	if (transfers.length === 0) return refused;
	const own = new Set(items.map(({ reference }) => reference).filter((ref) => ref !== ''));
	const found = await store.unknownTransfers(transfers, own);
	transfers.forEach((item, index) => {
		const earlier = found[index];
		if (earlier !== undefined)
			refused.set(item.itemIndex, sameTransferError(ctx, item, earlier, why));
	});
	return refused;
}
