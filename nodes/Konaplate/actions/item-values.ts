/**
 * An item's parameter values, evaluated together. n8n evaluates each expression parameter on its
 * own, and each evaluation is costly (n8n 2.x runs it in an isolate): a transfer with its four
 * fields taken from `$json` paid four of them per item. Fields that are each exactly one
 * `={{ … }}` expression are evaluated here in one: `{{ [(a), (b), …] }}`, in the same item's
 * context, so each value is what n8n would have given the field on its own. Whatever is not
 * plainly that (text around the braces, a nested brace, `$parameter`, a value that is not a
 * string, number or boolean, an evaluation that fails, an agent's tool call) is read the
 * usual way, field by field, so its error and its value stay n8n's own.
 */
import type { IExecuteFunctions, INodeProperties, INodeParameters } from 'n8n-workflow';

import { runsAsTool } from '../tool/agent';

/** `={{ … }}` and nothing around it. */
const SINGLE_EXPRESSION = /^=\{\{([\s\S]*)\}\}$/;

/** The expression of a parameter value that is exactly one `={{ … }}`, or undefined. */
function singleExpression(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const inner = SINGLE_EXPRESSION.exec(value)?.[1];
	if (inner === undefined || /\{\{|\}\}|\$parameter|\$fromAI/.test(inner)) return undefined;
	return inner;
}

/**
 * The expression of a field's saved value: a plain value, or a resource locator's value in a mode
 * from which n8n takes the value as it is (no extractValue).
 */
function fieldExpression(field: INodeProperties, saved: unknown): string | undefined {
	if (field.validateType !== undefined) return undefined; // n8n checks such a value's type
	if (field.type !== 'resourceLocator') return singleExpression(saved);
	if (typeof saved !== 'object' || saved === null || !('value' in saved) || !('mode' in saved))
		return singleExpression(saved);
	const mode = field.modes?.find((candidate) => candidate.name === saved.mode);
	if (mode === undefined || mode.extractValue !== undefined) return undefined;
	return singleExpression(saved.value);
}

/** A value that crosses n8n's expression sandbox unchanged; anything else (nothing, null, an object) is read the usual way. */
const isPlain = (value: unknown) => ['string', 'number', 'boolean'].includes(typeof value);

/** The fields evaluated together in one run, and their one expression: read once per run. */
interface Together {
	names: string[];
	expression: string;
}

/** Per run: what is evaluated together (undefined: nothing), and the last item's values. */
const runs = new WeakMap<
	IExecuteFunctions,
	{ together?: Together; itemIndex?: number; values?: Map<string, unknown> }
>();

function together(ctx: IExecuteFunctions, fields: INodeProperties[]): Together | undefined {
	const node = ctx.getNode();
	if (runsAsTool(node)) return undefined;
	const parameters: INodeParameters = node.parameters ?? {};
	const names: string[] = [];
	const expressions: string[] = [];
	for (const field of fields) {
		// a name given to two fields (shown in different cases) is read the usual way
		if (fields.filter((other) => other.name === field.name).length > 1) continue;
		const expression = fieldExpression(field, parameters[field.name]);
		if (expression === undefined) continue;
		names.push(field.name);
		expressions.push(`(${expression}\n)`);
	}
	return names.length < 2 ? undefined : { names, expression: `{{ [${expressions.join(', ')}] }}` };
}

/** Evaluates, in one expression, the item's fields that are each one expression (two or more). */
export function evaluateItemFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: INodeProperties[],
): void {
	let run = runs.get(ctx);
	if (run === undefined) {
		run = { together: together(ctx, fields) };
		runs.set(ctx, run);
	}
	run.values = undefined;
	if (run.together === undefined) return;
	let values: unknown;
	try {
		values = ctx.evaluateExpression(run.together.expression, itemIndex);
	} catch {
		return; // each field is read on its own, and a failing one fails as n8n makes it
	}
	const { names } = run.together;
	if (!Array.isArray(values) || values.length !== names.length || !values.every(isPlain)) return;
	run.itemIndex = itemIndex;
	run.values = new Map(names.map((name, at) => [name, values[at]]));
}

/** A field's value evaluated ahead for this item, if it was. */
export function evaluatedAhead(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
): { value: unknown } | undefined {
	const run = runs.get(ctx);
	if (run?.itemIndex !== itemIndex || run.values?.has(name) !== true) return undefined;
	return { value: run.values.get(name) };
}
