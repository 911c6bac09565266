/**
 * The examples and the workflows made here, in a real n8n started by run-e2e: each output, the
 * documented errors, the webhook, and n8n's HTTP Request node with the Konaplate credential,
 * with what the emulator received and the balances it holds after each. The checks live in
 * examples/, one file a concern; this file runs them in their order.
 */
import type { SuiteContext } from './context';
import { documentedErrorChecks } from './examples/errors';
import { exampleOutputChecks } from './examples/outputs';
import { webhookAndHttpRequestChecks } from './examples/webhook-http-request';
import { madeHere } from './examples/workflows';
import type { OutputItem } from './n8n/run-data';

export { httpRequestE2e, madeHere } from './examples/workflows';

export interface ExamplesContext extends SuiteContext {
	/** the closing check's list of outputs to search for secrets */
	outputs: OutputItem[];
}

export async function runExampleChecks(context: ExamplesContext): Promise<void> {
	const made = madeHere(context.ex);
	await exampleOutputChecks(context);
	await documentedErrorChecks(context, made);
	await webhookAndHttpRequestChecks(context);
}
