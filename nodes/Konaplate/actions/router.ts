import { sleep } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { konaplateDetails, requestOutcome, runsAsTool } from '../errors';
import { parseBatching, parseTimeout } from '../wire/fields';
import { runOption } from './fields';
import { LedgerRun, noteReference, outcomeUnknownError } from './ledger';
import { batchingOption, DEFAULT_TIMEOUT_MS, timeoutOption } from './options';
import type { RunOptions } from './options';
import { CREDENTIAL_TYPE } from '../transport/request';
import { openSession } from '../transport/session';
import { asNodeError } from './operation';
import type { NodeError } from './operation';
import { findOperation } from './resources';

/**
 * A failed item for Continue On Fail: one key, `error`, holding the message and the details.
 * n8n routes an item to the error output by its json keys: before 2.36 only `{ error }` or
 * `{ error, message }` count (a `details` key sent the failure down the success branch), from
 * 2.36 any of `error`, `message`, `details`. A lone `error` key routes on every version.
 * Setting `item.error` instead would make n8n replace the json with the bare message.
 */
function errorItem(error: NodeError, itemIndex: number): INodeExecutionData {
	const details = konaplateDetails(error);
	return {
		json: {
			error: {
				message: error.message,
				...(details.konaplateCode !== undefined && { code: details.konaplateCode }),
				...(details.httpCode !== undefined && { httpCode: details.httpCode }),
				...(details.correlationId !== undefined && { correlationId: details.correlationId }),
				...(details.refusal !== undefined && { code: details.refusal }),
				...(details.reference !== undefined && {
					reference: details.reference,
					outcome: requestOutcome(error),
				}),
				...(error.description && { description: error.description }),
				itemIndex,
			},
		},
		pairedItem: { item: itemIndex },
	};
}

/** When the node stops on an item, the items already sent must not be sent again by a blind re-run. */
function noteEarlierItems(error: NodeError, done: INodeExecutionData[]): NodeError {
	if (done.length === 0) return error;
	// A list read gives several items per input item: each input item is named once
	const list = [
		...new Set(
			done.map(
				(item) =>
					`item ${(item.pairedItem as { item: number }).item} (${String(item.json.correlationId)})`,
			),
		),
	].join(', ');
	const protectedByReference = done.every((item) => typeof item.json.reference === 'string');
	const advice = protectedByReference
		? 'Their References are recorded: a re-run outputs them as already transferred and does not send them again.'
		: 'Do not run those again.';
	error.description =
		`${error.description ?? ''} Already completed in this run before it stopped: ${list}. ${advice}`.trim();
	return error;
}

/**
 * The one item loop. Every item's parameters, and the run's limits, are checked before the
 * first request, so a bad item never leaves the run half done. Items with a Reference are then
 * claimed in the workflow's ledger in one go: one already done is output without sending, one
 * whose earlier outcome is unknown is refused. The rest are sent once each, in batches (one at
 * a time by default), and come out in input order with their pairedItem.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const plan = findOperation(this);
	const options = this.getNodeParameter('options', 0, {}) as RunOptions;
	const timeoutMs = runOption(
		this,
		timeoutOption,
		parseTimeout(options.timeout ?? DEFAULT_TIMEOUT_MS),
	);
	const { batchSize, batchInterval } = runOption(
		this,
		batchingOption,
		parseBatching(options.batching?.batch),
	);
	const session = await openSession(this, CREDENTIAL_TYPE, timeoutMs);
	// As an agent's tool, a refusal must reach the agent as a tool error: n8n would hand it a
	// Continue On Fail error item as an ordinary result (isError false).
	const continueOnFail = this.continueOnFail() && !runsAsTool(this.getNode());
	const { prepared, refused } = plan(this, items.length, continueOnFail);

	// The output of each input item (a list read gives several, or none), in input order
	const results: INodeExecutionData[][] = [];
	for (const [itemIndex, error] of refused) results[itemIndex] = [errorItem(error, itemIndex)];
	let toSend = prepared;
	let ledger: LedgerRun | undefined;
	const referenced = prepared.filter((item) => item.reference !== '');
	if (referenced.length > 0) {
		const claimed = await LedgerRun.claim(
			this,
			session.credential,
			referenced.map((item) => item.reference),
			() => session.clock.now().getTime(),
		);
		ledger = claimed.run;
		const unknown: NodeError[] = [];
		toSend = prepared.filter((item) => {
			const state = claimed.states.get(item.reference);
			if (state === 'done')
				results[item.itemIndex] = [
					{ json: item.alreadyDone(), pairedItem: { item: item.itemIndex } },
				];
			if (state === 'unknown') {
				const error = outcomeUnknownError(this, item.itemIndex, item.reference);
				results[item.itemIndex] = [errorItem(error, item.itemIndex)];
				unknown.push(error);
			}
			return state === undefined || state === 'claimed';
		});
		if (unknown.length > 0 && !continueOnFail) {
			await ledger.close();
			throw unknown[0];
		}
	}

	const completed: INodeExecutionData[] = [];
	for (let start = 0; start < toSend.length; start += batchSize) {
		if (start > 0 && batchInterval > 0) await sleep(batchInterval);
		const batch = toSend.slice(start, start + batchSize);
		for (const item of batch) if (item.reference !== '') ledger?.sending(item.reference);
		// Every request of a batch is settled before anything is reported, so a failure never
		// hides a sibling that did go through.
		const settled = await Promise.allSettled(batch.map(async (item) => await item.send(session)));
		let stop: NodeError | undefined;
		settled.forEach((outcome, offset) => {
			const { itemIndex, reference } = batch[offset];
			if (outcome.status === 'fulfilled') {
				const output = (Array.isArray(outcome.value) ? outcome.value : [outcome.value]).map(
					(json) => ({
						json,
						pairedItem: { item: itemIndex },
					}),
				);
				results[itemIndex] = output;
				completed.push(...output);
				if (reference !== '') ledger?.succeeded(reference);
				return;
			}
			const nodeError = asNodeError(this, outcome.reason, itemIndex);
			if (reference !== '' && ledger) noteReference(nodeError, reference, ledger);
			if (continueOnFail) results[itemIndex] = [errorItem(nodeError, itemIndex)];
			else stop ??= nodeError;
		});
		try {
			if (stop !== undefined) await ledger?.close();
			else await ledger?.settle();
		} catch (error) {
			throw noteEarlierItems(stop ?? (error as NodeError), completed);
		}
		if (stop !== undefined) throw noteEarlierItems(stop, completed);
	}
	try {
		await ledger?.close();
	} catch (error) {
		throw noteEarlierItems(error as NodeError, completed);
	}
	return [results.flatMap((output) => output ?? [])];
}
