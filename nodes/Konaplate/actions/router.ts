import { sleep } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runsAsTool } from '../tool/agent';
import { Bookkeeping } from '../ledger/bookkeeping';
import { CREDENTIAL_TYPE } from '../wire/credentials';
import { openSession } from '../transport/session';
import { asNodeError } from './operation';
import type { NodeError } from './operation';
import { readRunOptions } from './options';
import { errorItem, outputItems } from './outputs';
import { findOperation } from './resources';

/**
 * The one item loop. Every item's parameters, and the run's limits, are checked before the
 * first request, so a bad item never leaves the run half done; the ledger then claims the
 * References (ledger/bookkeeping.ts). The rest are sent once each, in batches (one at a time by
 * default), and come out in input order with their pairedItem.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const plan = findOperation(this);
	const { timeoutMs, batchSize, batchInterval } = readRunOptions(this);
	const session = await openSession(this, CREDENTIAL_TYPE, timeoutMs);
	// As an agent's tool, a refusal must reach the agent as a tool error: n8n would hand it a
	// Continue On Fail error item as an ordinary result (isError false).
	const continueOnFail = this.continueOnFail() && !runsAsTool(this.getNode());
	const { prepared, refused } = plan(this, this.getInputData().length, continueOnFail);
	const books = await Bookkeeping.claim(this, session, prepared, continueOnFail);

	// The output of each input item (a list read gives several, or none), in input order
	const results: INodeExecutionData[][] = [];
	for (const [itemIndex, error] of [...refused, ...books.unknown])
		results[itemIndex] = [errorItem(error, itemIndex)];
	for (const item of books.done)
		results[item.itemIndex] = outputItems(item.alreadyDone(), item.itemIndex);
	for (let start = 0; start < books.toSend.length; start += batchSize) {
		if (start > 0 && batchInterval > 0) await sleep(batchInterval);
		const batch = books.toSend.slice(start, start + batchSize);
		books.sending(batch);
		// Every request of a batch is settled before anything is reported, so a failure never
		// hides a sibling that did go through.
		const settled = await Promise.allSettled(batch.map(async (item) => await item.send(session)));
		let stop: NodeError | undefined;
		settled.forEach((outcome, offset) => {
			const item = batch[offset];
			if (outcome.status === 'fulfilled') {
				results[item.itemIndex] = outputItems(outcome.value, item.itemIndex);
				books.succeeded(item, results[item.itemIndex]);
				return;
			}
			const error = books.failed(item, asNodeError(this, outcome.reason, item.itemIndex));
			if (continueOnFail) results[item.itemIndex] = [errorItem(error, item.itemIndex)];
			else stop ??= error;
		});
		await books.endBatch(stop);
	}
	await books.close();
	return [results.flatMap((output) => output ?? [])];
}
