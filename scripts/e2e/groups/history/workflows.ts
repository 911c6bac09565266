/**
 * The history checks' workflows (index.ts): the outcome-unknown example with a 1 s timeout, and a
 * webhook workflow whose one ledger the item-3 sequence shares: step "pay" transfers, "get"
 * reads a reference's state, "resolve" records a decision (each answered by its own node).
 */
import type { INode } from 'n8n-workflow';

import { NODE_TYPE } from '../../instance';
import type { Workflow } from '../../n8n/home';

export const EXAMPLE = 'payout-outcome-unknown.json';
export const WEBHOOK_PATH = 'konaplate-references';

/** The example with its own id and a Pay out that gives up after 1 s. */
export function evidenceWorkflow(example: Workflow): Workflow {
	const wf = JSON.parse(JSON.stringify(example)) as Workflow;
	Object.assign(wf, { id: 'kpE2eHistoryEvidence1', name: 'e2e: outcome unknown, the evidence' });
	const pay = wf.nodes.find((node) => node.name === 'Pay out') as INode;
	Object.assign(pay.parameters.options as object, { timeout: 1000 });
	return wf;
}

const credentials = { konaCredentials: { id: 'konaplateEmulator', name: 'Konaplate emulator' } };
const STEPS = {
	pay: {
		resource: 'card',
		operation: 'transferBalance',
		userId: '={{ $json.body.userId }}',
		fromCardNo: '={{ $json.body.fromCardNo }}',
		toCardNo: '={{ $json.body.toCardNo }}',
		transferEntireBalance: false,
		amount: '={{ $json.body.amount }}',
		reference: '={{ $json.body.reference }}',
		options: { timeout: 1000 },
	},
	get: {
		resource: 'transferReference',
		operation: 'get',
		reference: '={{ $json.body.reference }}',
		options: {},
	},
	resolve: {
		resource: 'transferReference',
		operation: 'resolve',
		reference: '={{ $json.body.reference }}',
		decision: '={{ $json.body.decision }}',
		options: {},
	},
};

let made = 0;
const node = (name: string, type: string, typeVersion: number, y: number, parameters: object) =>
	({
		id: `7a0e1d2c-0000-4000-8000-${String(++made).padStart(12, '0')}`,
		name,
		type,
		typeVersion,
		position: [type === NODE_TYPE ? 480 : type.endsWith('respondToWebhook') ? 720 : 240, y],
		parameters,
	}) as unknown as INode;

/** Webhook → one Code filter per step → its Konaplate node → Respond (success or error output). */
export function referencesWorkflow(): Workflow {
	made = 0;
	const steps = Object.entries(STEPS);
	const nodes: INode[] = [
		{
			...node('References', 'n8n-nodes-base.webhook', 2, 0, {
				httpMethod: 'POST',
				path: WEBHOOK_PATH,
				responseMode: 'responseNode',
				options: {},
			}),
			webhookId: '3d0c6b7e-1f5a-4c2e-9a8b-0c5a7e00ed19',
		},
		...steps.flatMap(([step, parameters], index) => [
			node(`Step ${step}`, 'n8n-nodes-base.code', 2, index * 200 - 200, {
				jsCode: `return $input.all().filter((item) => item.json.body.step === '${step}');`,
			}),
			{
				...node(`Konaplate ${step}`, NODE_TYPE, 1, index * 200 - 200, parameters),
				credentials,
				onError: 'continueErrorOutput',
			} as INode,
		]),
		node('Respond', 'n8n-nodes-base.respondToWebhook', 1.1, -100, {
			respondWith: 'json',
			responseBody: '={{ JSON.stringify($json) }}',
			options: { responseCode: 200 },
		}),
		node('Respond: refused', 'n8n-nodes-base.respondToWebhook', 1.1, 100, {
			respondWith: 'json',
			responseBody: '={{ JSON.stringify($json.error) }}',
			options: { responseCode: 422 },
		}),
	];
	const to = (name: string) => [{ node: name, type: 'main', index: 0 }];
	const connections: Record<string, { main: unknown[] }> = {
		References: { main: [steps.flatMap(([step]) => to(`Step ${step}`))] },
	};
	for (const [step] of steps) {
		connections[`Step ${step}`] = { main: [to(`Konaplate ${step}`)] };
		connections[`Konaplate ${step}`] = { main: [to('Respond'), to('Respond: refused')] };
	}
	return {
		id: 'kpE2eHistoryRefs0001',
		name: 'e2e: transfer references, step by step',
		nodes,
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
	} as unknown as Workflow;
}
