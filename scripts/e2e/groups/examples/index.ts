/**
 * The examples and the workflows made here, in a real n8n started by run-e2e: each output, the
 * documented errors, the webhook, and n8n's HTTP Request node with the Konaplate credential,
 * with what the emulator received and the balances it holds after each. The checks live in
 * examples/, one file a concern; this file runs them in their order.
 */
import type { E2eGroup } from '../../group';
import { documentedErrorChecks } from './errors';
import { exampleOutputChecks } from './outputs';
import { webhookAndHttpRequestChecks } from './webhook-http-request';
import { httpRequestE2e, madeHere } from './workflows';
import { WEBHOOK_KEY } from '../../webhook-key';

export const group: E2eGroup = {
	name: 'examples',
	credentials: () => [WEBHOOK_KEY],
	workflows: ({ ex, baseUrl, credential }) => [
		...madeHere(ex),
		httpRequestE2e(baseUrl, credential),
	],
	run: async (context) => {
		const made = madeHere(context.ex);
		await exampleOutputChecks(context);
		await documentedErrorChecks(context, made);
		await webhookAndHttpRequestChecks(context);
	},
};
