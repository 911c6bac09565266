import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ShapeOptions } from '../../wire/redact';
import type { Result } from '../../wire/result';
import { readParameter } from '../fields';
import { readShowFullCardNumbers } from '../options';

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
