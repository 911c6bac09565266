import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { refusalError } from '../errors';
import { AGENT_REFUSAL } from '../tool/sentences';

/**
 * Whether this execution runs on a queue-mode worker (`n8n worker`). n8n gives a node no public
 * sign of queue mode: getMode() is the execution's own (webhook, trigger, manual) on a worker as
 * in one process, and env access is banned in node code. What a node can read is n8n-core's
 * InstanceSettings on its execution context (NodeExecutionContext.instanceSettings, a protected
 * field set by n8n 1.85 to 2.41 alike), whose instanceType is 'worker' in `n8n worker` only. A
 * context without it (another n8n, a change of n8n's internals) reads as not a worker: the
 * guard then does not refuse, as before it existed (docs/shared-ledger.md says what it misses).
 */
export function runsOnQueueWorker(ctx: IExecuteFunctions): boolean {
	const { instanceSettings } = ctx as unknown as { instanceSettings?: { instanceType?: unknown } };
	return instanceSettings?.instanceType === 'worker';
}

/**
 * The workflow ledger on a queue-mode worker: refused, naming the shared ledger, for every use
 * (ledger/open.ts). n8n's store has no lock across workers shared by two nodes and no read-only
 * look-up, so Get and Resolve there can wipe the claims of a payout running on another worker,
 * and two transferring nodes lose each other's entries; a node cannot see what the workflow's
 * other nodes do on other workers, so a transfer with a Reference is refused there too.
 */
export function workflowLedgerInQueue(node: INode, what: string, itemIndex?: number) {
	return refusalError(node, {
		code: 'LEDGER_WORKFLOW_IN_QUEUE',
		itemIndex,
		person: {
			message: `${what} was refused: it runs on a queue-mode worker, and this credential's Ledger is This Workflow (n8n's Store), which is not safe across workers. Nothing was sent or changed.`,
			description:
				"In queue mode, set the credential's Ledger to Shared (PostgreSQL): one ledger per Konaplate account that every worker, workflow and node shares, with each step atomic in the database (docs/shared-ledger.md).",
		},
		agent: AGENT_REFUSAL.ledgerWorkflowInQueue,
	});
}
