import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parameterError, setDetails } from '../errors';
import { reasonWords } from '../tool/sentences';
import { LIMITS, parseBoolean } from '../wire/fields';
import { ok, refuse } from '../wire/result';
import type { Result } from '../wire/result';
import { evaluatedAhead, itemParameter } from './item-values';

export function userIdField(): INodeProperties {
	return {
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '50000104652',
		description: `The member's Konaplate user ID: 1 to ${LIMITS.userIdMaxDigits} digits. Pass long IDs as text so every digit stays exact.`,
	};
}

/**
 * Reads one parameter of one item and checks it with a pure parser; a refusal names the
 * parameter (by its label and name) and the item, before any request is built.
 */
export function readParameter<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: { displayName: string; name: string; type?: string },
	parse: (value: unknown) => Result<T>,
): T {
	// A resource locator's value is { mode, value } when chosen in the editor, a plain string when
	// saved before the field was one (or set by an expression): extractValue reads both
	const ahead = evaluatedAhead(ctx, itemIndex, field.name);
	const raw: unknown = ahead
		? ahead.value
		: itemParameter(
				ctx,
				field.name,
				itemIndex,
				undefined,
				field.type === 'resourceLocator' ? { extractValue: true } : undefined,
			);
	const parsed = parse(raw);
	if (!parsed.ok) {
		throw parameterError(ctx.getNode(), itemIndex, field, reasonWords(parsed));
	}
	return parsed.value;
}

/** A run-wide option, checked once before anything is sent. */
export function runOption<T>(
	ctx: IExecuteFunctions,
	option: INodeProperties,
	parsed: Result<T>,
): T {
	if (!parsed.ok) {
		const error = new NodeOperationError(
			ctx.getNode(),
			`${option.displayName} (${option.name}) ${parsed.reason}`,
			{
				description: 'Nothing was sent to Konaplate.',
			},
		);
		setDetails(error, { refusal: 'INVALID_OPTION' });
		throw error;
	}
	return parsed.value;
}

/** n8n's standard Return All / Limit pair of a list operation. */
export function returnAllFields(): [returnAll: INodeProperties, limit: INodeProperties] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

function parseLimit(value: unknown): Result<number> {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1
		? ok(value)
		: refuse('must be a whole number of at least 1');
}

/** Return All / Limit of one item: undefined for all. */
export function readLimit(
	ctx: IExecuteFunctions,
	itemIndex: number,
	[returnAll, limit]: [INodeProperties, INodeProperties],
): number | undefined {
	const all = readParameter(ctx, itemIndex, returnAll, parseBoolean);
	return all ? undefined : readParameter(ctx, itemIndex, limit, parseLimit);
}
