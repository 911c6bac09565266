import type { IExecuteFunctions } from 'n8n-workflow';

import type { Session } from '../transport/session';
import { withCarryOver } from './carry-over';
import { PostgresLedgerStore } from './postgres/store';
import { runsOnQueueWorker, workflowLedgerInQueue } from './queue-mode';
import type { LedgerStore } from './seam';
import { WorkflowLedgerStore } from './store';

/** What the ledger is opened for: the queue-mode refusal names it. */
export interface LedgerUse {
	/** The operation as a person reads it, e.g. 'Transfer Reference → Get' */
	what: string;
	/** The item it is opened for; none when it is opened for a whole run */
	itemIndex?: number;
	/** The run's items with a Reference: the workflow ledger checks it has room for them */
	references?: number;
}

/**
 * A store opened on its first call: the shared ledger's connection is made (and its table
 * checked) only when a run first claims or looks, so a run without a Reference never connects.
 */
function openedOnFirstUse(
	kind: LedgerStore['kind'],
	open: () => Promise<LedgerStore>,
): LedgerStore {
	let opened: Promise<LedgerStore> | undefined;
	const store = async () => await (opened ??= open());
	return {
		kind,
		claim: async (...args) => await (await store()).claim(...args),
		settle: async (...args) => await (await store()).settle(...args),
		inspect: async (...args) => await (await store()).inspect(...args),
		resolve: async (...args) => await (await store()).resolve(...args),
		unknownTransfers: async (...args) => await (await store()).unknownTransfers(...args),
		list: async (...args) => {
			const ledger = await store();
			if (ledger.list === undefined) throw new Error(`the ${kind} ledger lists no references`);
			return await ledger.list(...args);
		},
	};
}

/**
 * The ledger store the session's credential names: this workflow's in n8n's deduplication store
 * (the default), or the account's shared table in PostgreSQL. On a queue-mode worker the
 * workflow's is refused before anything is read or sent (ledger/queue-mode.ts); the shared one is
 * not, its carry-over from the workflow's row (ledger/carry-over.ts) included.
 */
export function openLedgerStore(
	ctx: IExecuteFunctions,
	session: Session,
	{ what, itemIndex, references = 0 }: LedgerUse,
): LedgerStore {
	const { credential } = session;
	// A credential saved before the Ledger field existed reads as the workflow's own ledger
	const choice = credential.ledger ?? { kind: 'workflow' };
	const own = (runReferences = 0) =>
		WorkflowLedgerStore.open(ctx, credential, () => session.clock.now().getTime(), runReferences);
	if (choice.kind === 'postgres') {
		const { url } = choice;
		return openedOnFirstUse('postgres', async () =>
			withCarryOver(ctx, await PostgresLedgerStore.open(ctx.getNode(), url, credential), own),
		);
	}
	if (runsOnQueueWorker(ctx)) throw workflowLedgerInQueue(ctx.getNode(), what, itemIndex);
	return own(references);
}
