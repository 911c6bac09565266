/**
 * The queue-mode guard in real n8n, on the emulator's credential (the workflow ledger): a webhook
 * whose Konaplate node is Transfer Reference → Get, and the webhook example (a transfer with the
 * Reference from the body). Their executions run on a worker, where the node refuses both
 * (LEDGER_WORKFLOW_IN_QUEUE): the Get, on Continue, outputs the refusal as the webhook's answer;
 * the example answers it as a refusal (HTTP 422 with the code), and sends nothing.
 */
import { CARDS, MEMBER } from '../../../../emulator/data';
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import type { Emulator } from '../../emulator-process';
import type { Workflow } from '../../n8n/home';
import type { N8nClient } from '../../n8n/client';
import { NODE_TYPE } from '../../instance';
import { WEBHOOK_KEY, WEBHOOK_KEY_HEADER } from '../../webhook-key';
import { webhookExampleCopy } from './burst';

export const GUARD_WEBHOOK_PATH = 'konaplate-queue-guard';
export const GUARD_WORKFLOW_ID = 'kpE2eQueueGuard01';

export function guardWorkflow(): Workflow {
	return {
		id: GUARD_WORKFLOW_ID,
		name: 'e2e: queue mode, Transfer Reference → Get on the workflow ledger',
		nodes: [
			{
				parameters: {
					httpMethod: 'POST',
					path: GUARD_WEBHOOK_PATH,
					authentication: 'headerAuth',
					responseMode: 'lastNode',
					options: {},
				},
				id: '7a1e0c55-2b8d-4f0e-9c61-5d3e7a000001',
				name: 'Look up',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '7a1e0c55-2b8d-4f0e-9c61-5d3e7a0000w1',
				credentials: { httpHeaderAuth: { id: WEBHOOK_KEY.id, name: WEBHOOK_KEY.name } },
			},
			{
				parameters: {
					resource: 'transferReference',
					operation: 'get',
					reference: '={{ $json.body.reference }}',
					options: {},
				},
				id: '7a1e0c55-2b8d-4f0e-9c61-5d3e7a000002',
				name: 'Get Reference',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				credentials: { konaCredentials: { id: 'konaplateEmulator', name: 'Konaplate emulator' } },
				onError: 'continueRegularOutput',
			},
		],
		connections: {
			'Look up': { main: [[{ node: 'Get Reference', type: 'main', index: 0 }]] },
		},
	};
}

/** The refusal's code, as the webhook answers the node's output; throws on another answer. */
export async function guardedLookup(main: N8nClient): Promise<{ code: unknown; message: unknown }> {
	const answer = await main.callWebhook(
		'POST',
		GUARD_WEBHOOK_PATH,
		{ reference: 'queue-guard-1' },
		{ headers: WEBHOOK_KEY_HEADER },
	);
	const error = (answer.json as { error?: { code?: unknown; message?: unknown } } | undefined)
		?.error;
	if (answer.status !== 200 || error === undefined)
		throw new Error(
			`the guard's webhook answered HTTP ${answer.status}: ${answer.text.slice(0, 300)}`,
		);
	return { code: error.code, message: error.message };
}

export const GUARD_TRANSFER_PATH = 'konaplate-queue-guard-transfer';
export const GUARD_TRANSFER_ID = 'kpE2eQueueGuard02';

/** The webhook example as published: its Konaplate node on the emulator's credential. */
export function guardTransferWorkflow(example: Workflow): Workflow {
	return webhookExampleCopy(example, {
		id: GUARD_TRANSFER_ID,
		name: 'e2e: queue mode, a transfer with a Reference on the workflow ledger',
		path: GUARD_TRANSFER_PATH,
		webhookId: '7a1e0c55-2b8d-4f0e-9c61-5d3e7a0000w2',
		credential: { id: 'konaplateEmulator', name: 'Konaplate emulator' },
	}).wf;
}

/** The example's answer to one transfer with a Reference, and the transfers Konaplate received. */
export async function guardedTransfer(
	main: N8nClient,
	emulator: Emulator,
): Promise<{ status: number; code: unknown; message: unknown; transfers: number }> {
	await emulator.reset();
	const answer = await main.callWebhook(
		'POST',
		GUARD_TRANSFER_PATH,
		{
			userId: MEMBER,
			fromCardNo: CARDS.benchFrom,
			toCardNo: CARDS.benchTo,
			amount: 3100,
			reference: 'queue-guard-transfer-1',
		},
		{ headers: WEBHOOK_KEY_HEADER },
	);
	const received = await emulator.requests();
	return {
		status: answer.status,
		code: answer.json?.code,
		message: answer.json?.error,
		transfers: received.filter((r) => r.path === ENDPOINT.transfer).length,
	};
}
