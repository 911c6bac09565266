/**
 * The Header Auth credential examples/webhook-transfer.json names ("Konaplate webhook key", n8n
 * export format), with a fresh secret per run: a caller without this header is refused by n8n's
 * Webhook node before the workflow runs. `npm run dev` prints the header for its curl; the
 * e2e groups that call the webhook send it.
 */
import { randomBytes } from 'node:crypto';

import type { CredentialExport } from './n8n/home';

export const WEBHOOK_KEY: CredentialExport<{ name: string; value: string }> = {
	id: 'konaplateWebhookKey',
	name: 'Konaplate webhook key',
	type: 'httpHeaderAuth',
	data: { name: 'X-Konaplate-Webhook-Key', value: randomBytes(32).toString('hex') },
};

/** The header an authenticated caller sends. */
export const WEBHOOK_KEY_HEADER: Record<string, string> = {
	[WEBHOOK_KEY.data.name]: WEBHOOK_KEY.data.value,
};

/**
 * Throws unless every Webhook node of the workflow authenticates its caller: no script activates
 * a webhook that moves money without authentication.
 */
export function assertAuthenticatedWebhooks(workflow: {
	name: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }>;
}): void {
	for (const node of workflow.nodes) {
		const authentication = node.parameters.authentication;
		if (node.type === 'n8n-nodes-base.webhook' && (authentication ?? 'none') === 'none')
			throw new Error(
				`${workflow.name}: the Webhook node "${node.name}" has no authentication; it is not activated`,
			);
	}
}
