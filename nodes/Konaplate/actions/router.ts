import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { konaplateDetails } from '../errors';
import { parseBatching, parseTimeout } from '../wire/fields';
import type { Parsed } from '../wire/fields';
import { batchingOption, DEFAULT_TIMEOUT_MS, timeoutOption } from './options';
import type { RunOptions } from './options';
import { CREDENTIAL_TYPE } from '../transport/request';
import { openSession } from '../transport/session';
import type { Session } from '../transport/session';
import * as deleteBankAccount from './bankAccount/delete.operation';
import * as transferBalance from './card/transferBalance.operation';

/** An operation reads and checks one item's parameters, then sends that item. */
interface Operation<Input> {
	read(ctx: IExecuteFunctions, itemIndex: number): Input;
	send(ctx: IExecuteFunctions, input: Input, itemIndex: number, session: Session): Promise<IDataObject>;
}

/** An item whose parameters passed their checks, ready to be sent. */
type Prepared = (session: Session) => Promise<IDataObject>;
type Prepare = (ctx: IExecuteFunctions, itemIndex: number) => Prepared;

function prepare<Input>(operation: Operation<Input>): Prepare {
	return (ctx, itemIndex) => {
		const input = operation.read(ctx, itemIndex);
		return async (session) => await operation.send(ctx, input, itemIndex, session);
	};
}

const OPERATIONS: Record<string, Record<string, Prepare>> = {
	bankAccount: { delete: prepare(deleteBankAccount) },
	card: { transferBalance: prepare(transferBalance) },
};


type NodeError = NodeApiError | NodeOperationError;

function findOperation(ctx: IExecuteFunctions): Prepare {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const byOperation = Object.prototype.hasOwnProperty.call(OPERATIONS, resource) ? OPERATIONS[resource] : {};
	if (!Object.prototype.hasOwnProperty.call(byOperation, operation)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The Konaplate node has no operation "${operation}" for resource "${resource}"`,
			{
				description:
					'Choose Bank Account > Delete or Card > Transfer Balance. For other Konaplate endpoints (such as a Custom API Call), use the HTTP Request node with the Konaplate API credential.',
			},
		);
	}
	return byOperation[operation];
}

/** A run-wide option, checked once before anything is sent. */
function runOption<T>(ctx: IExecuteFunctions, option: INodeProperties, parsed: Parsed<T>): T {
	if (!parsed.ok) {
		throw new NodeOperationError(ctx.getNode(), `${option.displayName} (${option.name}) ${parsed.reason}`, {
			description: 'Nothing was sent to Konaplate.',
		});
	}
	return parsed.value;
}

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

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
	const list = done
		.map((item) => `item ${(item.pairedItem as { item: number }).item} (${String(item.json.correlationId)})`)
		.join(', ');
	error.description = `${error.description ?? ''} Already completed in this run before it stopped: ${list}. Do not run those again.`.trim();
	return error;
}

/**
 * The one item loop. Every item's parameters are checked before the first request, so a
 * bad item never leaves the run half done; then items are sent once each, in batches
 * (one at a time by default), and come out in input order with their pairedItem.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = findOperation(this);
	const options = this.getNodeParameter('options', 0, {}) as RunOptions;
	const timeoutMs = runOption(this, timeoutOption, parseTimeout(options.timeout ?? DEFAULT_TIMEOUT_MS));
	const { batchSize, batchInterval } = runOption(this, batchingOption, parseBatching(options.batching?.batch));
	const session = await openSession(this, CREDENTIAL_TYPE, timeoutMs);
	const continueOnFail = this.continueOnFail();

	const prepared = items.map((_, itemIndex): Prepared | NodeError => {
		try {
			return operation(this, itemIndex);
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			return nodeError;
		}
	});

	const returnData: INodeExecutionData[] = [];
	const completed: INodeExecutionData[] = [];
	for (let start = 0; start < items.length; start += batchSize) {
		if (start > 0 && batchInterval > 0) await sleep(batchInterval);
		const batch = prepared.slice(start, start + batchSize);
		// Every request of a batch is settled before anything is reported, so a failure never
		// hides a sibling that did go through.
		const settled = await Promise.allSettled(
			batch.map(async (send) => (typeof send === 'function' ? await send(session) : await Promise.reject(send))),
		);
		let stop: NodeError | undefined;
		settled.forEach((outcome, offset) => {
			const itemIndex = start + offset;
			if (outcome.status === 'fulfilled') {
				const item = { json: outcome.value, pairedItem: { item: itemIndex } };
				returnData.push(item);
				completed.push(item);
				return;
			}
			const nodeError = asNodeError(this, outcome.reason, itemIndex);
			if (continueOnFail) returnData.push(errorItem(nodeError, itemIndex));
			else stop ??= nodeError;
		});
		if (stop !== undefined) throw noteEarlierItems(stop, completed);
	}
	return [returnData];
}
