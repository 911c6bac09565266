/**
 * The workflow ledger's ties to n8n: the lock's row in n8n's deduplication store, the helpers the
 * store needs, and the refusals its calls end in (ledger/store.ts).
 */
import type { ICheckProcessedOptions, IExecuteFunctions } from 'n8n-workflow';

import { refusalError } from '../errors';
import { AGENT_REFUSAL } from '../tool/sentences';
import { formatWon } from '../wire/money';
import { LOCK_LEASE_MS } from './lock';
import type { LockStore } from './lock';

export function tooManyUnknown(
	ctx: IExecuteFunctions,
	counted: number,
	references: number,
	most: number,
) {
	const max = formatWon(most);
	return refusalError(ctx.getNode(), {
		code: 'LEDGER_UNKNOWN_ROOM',
		person: {
			message: `The run was not sent: this workflow's ledger counts ${formatWon(counted)} References whose outcome is unknown, and a run of ${formatWon(references)} more could leave more than the ${max} it keeps room for.`,
			description: `Nothing was sent for any item. Settle the unknown References first (Transfer Reference → Get gives each one's day; Transaction → Get Many on the card it came from tells; then Transfer Reference → Resolve), or split the run, or move the account to the shared ledger (the credential's Ledger: Shared (PostgreSQL)), whose room does not run out.`,
		},
		agent: AGENT_REFUSAL.ledgerUnavailable(
			`the ledger keeps room for ${max} References whose outcome is unknown`,
		),
	});
}

/** The lock's row: this node's own (scope "node"), which nothing else in n8n writes or clears. */
const LOCK_SCOPE = 'node';
const LOCK_STORE: ICheckProcessedOptions = { mode: 'entries' };

export function lockStore(ctx: IExecuteFunctions): LockStore {
	const { helpers } = ctx;
	return {
		count: async () => await helpers.getProcessedDataCount(LOCK_SCOPE, LOCK_STORE),
		create: async (values) =>
			(await helpers.checkProcessedAndRecord(values, LOCK_SCOPE, LOCK_STORE)).processed.length ===
			0,
		remove: async () => await helpers.clearAllProcessedItems(LOCK_SCOPE, LOCK_STORE),
	};
}

export const HELPERS = [
	'checkProcessedAndRecord',
	'removeProcessed',
	'getProcessedDataCount',
	'clearAllProcessedItems',
] as const;

export function busy(ctx: IExecuteFunctions, waited: string) {
	return refusalError(ctx.getNode(), {
		code: 'LEDGER_BUSY',
		person: {
			message: `The transfer ledger stayed locked by other executions of this workflow for ${waited}, so no transfer with a Reference was sent.`,
			description:
				'Executions of one workflow take turns at its ledger, on every n8n process. Nothing was sent: run it again in a moment. If this keeps happening, the n8n database is too slow or overloaded.',
		},
		agent: AGENT_REFUSAL.ledgerBusy(waited),
	});
}

export const outlastedLease = (then: string) =>
	`n8n's deduplication store took longer than the ledger lock's ${LOCK_LEASE_MS / 1000} s lease; ${then}`;
