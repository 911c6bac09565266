import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LIMITS, parseBatching, parseTimeout } from '../wire/fields';
import { runOption } from './parameters';

export const DEFAULT_TIMEOUT_MS = 30_000;

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Ms)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: LIMITS.timeoutMinMs },
	default: DEFAULT_TIMEOUT_MS,
	description:
		'How long to wait for the whole answer to each request. A transfer that times out is never resent: its outcome is reported as unknown.',
};

export const batchingOption: INodeProperties = {
	displayName: 'Batching',
	name: 'batching',
	placeholder: 'Add Batching',
	type: 'fixedCollection',
	typeOptions: { multipleValues: false },
	default: { batch: {} },
	options: [
		{
			displayName: 'Batching',
			name: 'batch',
			values: [
				{
					displayName: 'Items per Batch',
					name: 'batchSize',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 1,
					description:
						'How many items to send at the same time. 1 (one after the other) is recommended for transfers.',
				},
				{
					displayName: 'Batch Interval (Ms)',
					name: 'batchInterval',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description:
						'Time (in milliseconds) to wait between batches, for rate-limited projects. 0 for none.',
				},
			],
		},
	],
};

/** Settings of the whole run, read once at item 0. */
interface RunOptions {
	timeout?: unknown;
	batching?: { batch?: { batchSize?: unknown; batchInterval?: unknown } };
}

/** The settings of the whole run, read and checked once, before anything is sent. */
export function readRunOptions(ctx: IExecuteFunctions) {
	const options = ctx.getNodeParameter('options', 0, {}) as RunOptions;
	const timeoutMs = runOption(
		ctx,
		timeoutOption,
		parseTimeout(options.timeout ?? DEFAULT_TIMEOUT_MS),
	);
	const { batchSize, batchInterval } = runOption(
		ctx,
		batchingOption,
		parseBatching(options.batching?.batch),
	);
	return { timeoutMs, batchSize, batchInterval };
}
