import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parameterError } from '../../errors';
import { reasonWords } from '../../tool/sentences';
import { parseBoolean } from '../../wire/fields';
import type { ShapeOptions } from '../../wire/redact';
import type { Result } from '../../wire/result';
import { itemParameter } from '../item-values';
import { readParameter } from '../parameters';

export const showFullCardNumbersOption: INodeProperties = {
	displayName: 'Show Full Card Numbers',
	name: 'showFullCardNumbers',
	type: 'boolean',
	default: false,
	description:
		"Whether to output card numbers whole instead of their first 6 and last 4 digits. Transfer Balance needs none: give its cards By PAR Token. n8n then stores them in the execution history: limit that in the workflow's settings (Save Successful Production Executions, Save Manual Executions, Save Execution Progress). Account numbers, names and identifiers stay masked.",
};

/** Options > Show Full Card Numbers of one item (off unless set). */
export function readShowFullCardNumbers(ctx: IExecuteFunctions, itemIndex: number): boolean {
	const name = `options.${showFullCardNumbersOption.name}`;
	const parsed = parseBoolean(itemParameter(ctx, name, itemIndex, false));
	if (!parsed.ok)
		throw parameterError(
			ctx.getNode(),
			itemIndex,
			{ displayName: showFullCardNumbersOption.displayName, name },
			reasonWords(parsed),
		);
	return parsed.value;
}

/** The options of the card reads' Options collection. */
export const cardReadOptions = [showFullCardNumbersOption];

/** What a card read takes: the one value it looks cards up by, and how it shows card numbers. */
export interface CardLookup {
	/** The user ID (Get Many) or card number (Get), checked. */
	key: string;
	shape: ShapeOptions;
}

/** Reads a card read's item: its one lookup parameter, and Options > Show Full Card Numbers. */
export function cardLookup(field: INodeProperties, parse: (value: unknown) => Result<string>) {
	return (ctx: IExecuteFunctions, itemIndex: number): CardLookup => ({
		key: readParameter(ctx, itemIndex, field, parse),
		shape: { fullCardNumbers: readShowFullCardNumbers(ctx, itemIndex) },
	});
}
