/**
 * The ledger checks' workflows (index.ts): copies of the payout example, each with its own id
 * (so its own ledger), list and node settings, and of the webhook example (its Reference from the
 * body, behind its Header Auth key).
 */
import type { INode } from 'n8n-workflow';

import { CARDS, MEMBER } from '../../../../emulator/data';
import { NODE_TYPE } from '../../instance';
import type { Workflow } from '../../n8n/home';

export const EXAMPLE = 'payout-list-with-references.json';
const WEBHOOK_EXAMPLE = 'webhook-transfer.json';
export const WEBHOOK_PATH = 'konaplate-ledger';
/** The payout example's Konaplate node. */
export const PAY_OUT = 'Pay out';

export type LedgerWorkflows = Record<'timeout' | 'refused' | 'retry' | 'webhook', Workflow>;

const payout = (reference: string, fields: Record<string, unknown> = {}) => ({
	payoutId: reference,
	userId: MEMBER,
	fromCardNo: CARDS.main,
	toCardNo: CARDS.second,
	amount: 100,
	...fields,
});

/** The payout example with its own id (so its own ledger), its own list and node settings. */
function variant(
	example: Workflow,
	{
		id,
		name,
		payouts,
		node = {},
		options = {},
	}: {
		id: string;
		name: string;
		payouts: unknown[];
		node?: Partial<Record<keyof INode, unknown>>;
		options?: Record<string, unknown>;
	},
): Workflow {
	const wf = JSON.parse(JSON.stringify(example)) as Workflow;
	Object.assign(wf, { id, name });
	const list = nodeOfType(wf, 'n8n-nodes-base.code');
	list.parameters.jsCode = `const payouts = ${JSON.stringify(payouts)};\nreturn payouts.map((json) => ({ json }));`;
	const pay = nodeOfType(wf, NODE_TYPE);
	Object.assign(pay.parameters.options as object, options);
	const settings = pay as unknown as Record<string, unknown>;
	for (const [key, value] of Object.entries(node)) {
		if (value === undefined) delete settings[key];
		else settings[key] = value;
	}
	return wf;
}

function nodeOfType(wf: Workflow, type: string): INode {
	const node = wf.nodes.find((n) => n.type === type);
	if (!node) throw new Error(`${wf.name}: no ${type} node`);
	return node;
}

export function workflowsByUse(examples: Record<string, Workflow>): LedgerWorkflows {
	const example = examples[EXAMPLE];
	const webhook = JSON.parse(JSON.stringify(examples[WEBHOOK_EXAMPLE])) as Workflow;
	Object.assign(webhook, {
		id: 'kpE2eLedgerWebhook1',
		name: 'e2e: ledger, webhook with a reference',
	});
	const hook = nodeOfType(webhook, 'n8n-nodes-base.webhook');
	hook.parameters.path = WEBHOOK_PATH;
	hook.webhookId = '3d0c6b7e-1f5a-4c2e-9a8b-0c5a7e00ed01';
	return {
		timeout: variant(example, {
			id: 'kpE2eLedgerTimeout01',
			name: 'e2e: ledger, a timed-out transfer',
			payouts: [payout('e2e-timeout-1')],
			node: { onError: undefined },
			options: { timeout: 1000 },
		}),
		refused: variant(example, {
			id: 'kpE2eLedgerRefused01',
			name: 'e2e: ledger, a refused transfer',
			payouts: [payout('e2e-refused-1', { fromCardNo: CARDS.empty })],
		}),
		retry: variant(example, {
			id: 'kpE2eLedgerRetry0001',
			name: 'e2e: ledger, Retry On Fail',
			payouts: [
				payout('e2e-retry-0', { amount: 1 }),
				payout('e2e-retry-1', { amount: 2, fromCardNo: CARDS.empty }),
				payout('e2e-retry-2', { amount: 3 }),
			],
			node: { onError: undefined, retryOnFail: true, maxTries: 3, waitBetweenTries: 10 },
		}),
		webhook,
	};
}

/** The workflows to import besides the examples. */
export function ledgerWorkflows(examples: Record<string, Workflow>): Workflow[] {
	return Object.values(workflowsByUse(examples));
}
