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

export const REFUSAL_PATH = 'konaplate-ledger-refusal';

export type LedgerWorkflows = Record<
	'timeout' | 'refused' | 'retry' | 'webhook' | 'refusal',
	Workflow
>;

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
		refusal: refusalWebhook(),
	};
}

/**
 * Built here rather than copied from an example: Webhook -> Transfer Balance (Continue, error
 * output; Max Total per Run from the call's `limit`) -> an answer per branch, 200 or 422.
 */
function refusalWebhook(): Workflow {
	const respond = (name: string, code: number, body: string, y: number): INode => ({
		id: `0f5e2e00-0000-4000-8000-00000000${code}`,
		name,
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.1,
		position: [500, y],
		parameters: { respondWith: 'json', responseBody: body, options: { responseCode: code } },
	});
	const main = (node: string) => [{ node, type: 'main' as const, index: 0 }];
	return {
		id: 'kpE2eLedgerRefusal01',
		name: 'e2e: ledger, a refusal of the whole run answers an error',
		nodes: [
			{
				id: '0f5e2e00-0000-4000-8000-000000000001',
				name: 'Call',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '3d0c6b7e-1f5a-4c2e-9a8b-0c5a7e00ed02',
				parameters: { httpMethod: 'POST', path: REFUSAL_PATH, responseMode: 'responseNode' },
			},
			{
				id: '0f5e2e00-0000-4000-8000-000000000002',
				name: PAY_OUT,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				onError: 'continueErrorOutput',
				credentials: { konaCredentials: { id: 'konaplateEmulator', name: 'Konaplate emulator' } },
				parameters: {
					resource: 'card',
					operation: 'transferBalance',
					userId: MEMBER,
					fromCardNo: CARDS.main,
					toCardNo: CARDS.second,
					amount: '={{ $json.body.amount }}',
					reference: '={{ $json.body.reference }}',
					options: { maxTotalPerRun: '={{ $json.body.limit }}' },
				},
			},
			respond('Transferred', 200, '={{ JSON.stringify($json) }}', -100),
			respond('Refused', 422, '={{ JSON.stringify($json.error) }}', 100),
		],
		connections: {
			Call: { main: [main(PAY_OUT)] },
			[PAY_OUT]: { main: [main('Transferred'), main('Refused')] },
		},
		active: false,
		settings: { executionOrder: 'v1' },
	};
}

/** The workflows to import besides the examples. */
export function ledgerWorkflows(examples: Record<string, Workflow>): Workflow[] {
	return Object.values(workflowsByUse(examples));
}
