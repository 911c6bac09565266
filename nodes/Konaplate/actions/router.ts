import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runsAsTool } from '../tool/agent';
import { Bookkeeping } from '../ledger/bookkeeping';
import { CREDENTIAL_TYPE } from '../wire/credentials';
import { openSession } from '../transport/session';
import { outcomeOf } from '../errors';
import { asNodeError } from './operation';
import type { Sent } from './operation';
import type { NodeError } from '../errors';
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
	// As an agent's tool, a refusal must reach the agent as a tool error: n8n would hand it a
	// Continue On Fail error item as an ordinary result (isError false).
	const continueOnFail = this.continueOnFail() && !runsAsTool(this.getNode());
	try {
		return await run(this, continueOnFail);
	} catch (error) {
		const refusal =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error as Error);
		if (!continueOnFail) throw refusal;
		// A refusal of the whole run under Continue: n8n would put the input items on the success
		// output. Each becomes an error item instead, where n8n's error routing puts errors.
		return [this.getInputData().map((_, itemIndex) => errorItem(refusal, itemIndex))];
	}
}

async function run(
	ctx: IExecuteFunctions,
	continueOnFail: boolean,
): Promise<INodeExecutionData[][]> {
	const plan = findOperation(ctx);
	const { timeoutMs, batchSize, batchInterval } = readRunOptions(ctx);
	const session = await openSession(ctx, CREDENTIAL_TYPE, timeoutMs);
	const { prepared, refused } = await plan(ctx, ctx.getInputData().length, continueOnFail, session);
	const books = Bookkeeping.open(ctx, session, prepared, continueOnFail, {
		batchSize,
		batchInterval,
	});
	// A stopped or timed-out execution sends nothing more; what it never sent is given back
	const cancel =
		typeof ctx.getExecutionCancelSignal === 'function' ? ctx.getExecutionCancelSignal() : undefined;

	// The output of each input item (a list read gives several, or none), in input order
	const results: INodeExecutionData[][] = [];
	for (const [itemIndex, error] of refused) results[itemIndex] = [errorItem(error, itemIndex)];
	let sentBefore = false;
	windows: for (let next = 0; next < prepared.length; ) {
		if (cancel?.aborted) break;
		const window = books.nextWindow(prepared, next, batchSize);
		next += window.length;
		const claimed = await books.claimWindow(window);
		for (const [itemIndex, error] of claimed.refused)
			results[itemIndex] = [errorItem(error, itemIndex)];
		for (const item of claimed.done)
			results[item.itemIndex] = outputItems(item.alreadyDone(), item.itemIndex);
		for (let start = 0; start < claimed.toSend.length; start += batchSize) {
			if (cancel?.aborted) break windows;
			if (sentBefore && batchInterval > 0) await sleep(batchInterval);
			sentBefore = true;
			const batch = claimed.toSend.slice(start, start + batchSize);
			books.sending(batch);
			// Every request of a batch is settled before anything is reported, so a failure never
			// hides a sibling that did go through.
			const settled = await Promise.allSettled(batch.map(async (item) => await item.send(session)));
			let stop: NodeError | undefined;
			settled.forEach((outcome, offset) => {
				const item = batch[offset];
				if (outcome.status === 'fulfilled') {
					results[item.itemIndex] = outputItems(outcome.value, item.itemIndex);
					books.record(item, { sent: true, correlationIds: correlationIds(outcome.value) });
					return;
				}
				const error = asNodeError(ctx, outcome.reason, item.itemIndex);
				books.record(item, { sent: false, error, outcome: outcomeOf(error) });
				if (continueOnFail) results[item.itemIndex] = [errorItem(error, item.itemIndex)];
				else stop ??= error;
			});
			await books.endBatch(stop, start + batchSize >= claimed.toSend.length);
		}
	}
	await books.close();
	return [results.flatMap((output) => output ?? [])];
}

/** The correlation ids an item's output names: one per Konaplate exchange; none for a ledger look-up. */
function correlationIds(sent: Sent): string[] {
	const outputs = Array.isArray(sent) ? sent : [sent];
	const ids = outputs.flatMap(({ correlationId }) =>
		typeof correlationId === 'string' ? [correlationId] : [],
	);
	return [...new Set(ids)];
}
