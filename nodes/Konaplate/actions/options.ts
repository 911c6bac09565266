import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LIMITS, parseBoolean } from '../wire/fields';
import { parameterError } from '../errors';
import { transferOptions } from './card/transferGuards';

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

export const showFullCardNumbersOption: INodeProperties = {
	displayName: 'Show Full Card Numbers',
	name: 'showFullCardNumbers',
	type: 'boolean',
	default: false,
	description:
		"Whether to output card numbers whole instead of their first 6 and last 4 digits, e.g. to feed them to Transfer Balance. n8n then stores them in the execution history: limit that in the workflow's settings (Save Successful Production Executions, Save Manual Executions, Save Execution Progress). Account numbers, names and identifiers stay masked.",
};

/** Options > Show Full Card Numbers of one item (off unless set). */
export function readShowFullCardNumbers(ctx: IExecuteFunctions, itemIndex: number): boolean {
	const name = `options.${showFullCardNumbersOption.name}`;
	const parsed = parseBoolean(ctx.getNodeParameter(name, itemIndex, false));
	if (!parsed.ok)
		throw parameterError(
			ctx.getNode(),
			itemIndex,
			{ displayName: showFullCardNumbersOption.displayName, name },
			parsed.reason,
		);
	return parsed.value;
}

/** Settings of the whole run, read once at item 0. */
export interface RunOptions {
	timeout?: unknown;
	batching?: { batch?: { batchSize?: unknown; batchInterval?: unknown } };
}

/**
 * One Options collection per group of operations, each shown by resource and operation, so no
 * option inside a collection carries a condition of its own: n8n before 2.36 warns against such
 * conditions when it cannot resolve a node's parameters ("Could not resolve parameter
 * dependencies"), and each option is shown exactly where it applies.
 */
function optionsFor(show: IDisplayOptions['show'], only: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [timeoutOption, batchingOption, ...only],
	};
}

export const optionsCollections: INodeProperties[] = [
	optionsFor({ resource: ['bankAccount'] }, []),
	optionsFor({ resource: ['card'], operation: ['get', 'getMany'] }, [showFullCardNumbersOption]),
	optionsFor({ resource: ['card'], operation: ['transferBalance'] }, transferOptions),
];
