/**
 * An item's parameter values, read ahead together. n8n evaluates each expression parameter on
 * its own, and each evaluation is costly (n8n 2.x runs it in an isolate): a transfer with its four
 * fields taken from `$json` paid four of them per item.
 *
 * - A field that is exactly `={{ $json.name }}` (or a longer path of names, `$json["name"]`,
 *   `$json['name']`), as the editor writes a field dragged from the input, is the item's own
 *   value at that path: it is read from the item, with no evaluation, when every step of the
 *   path is the item's own property and the value is a string, number or boolean (what n8n's
 *   expression gives such a field unchanged).
 * - The other fields that are each exactly one `={{ … }}` are evaluated in one expression,
 *   `{{ [(a), (b), …] }}`, in the same item's context, so each value is what n8n would have given
 *   the field on its own. Only a field n8n evaluated on its own at the run's first item joins
 *   them: one n8n refuses alone (its syntax, a key its sandbox refuses) could read as valid
 *   between the others' brackets.
 * - A path with a key n8n's expression sandbox refuses (`constructor`, `__proto__`, `caller`, …)
 *   is never read from the item: n8n evaluates it, and fails it as it fails it.
 *
 * Whatever is not plainly that (text around the braces, a nested brace, `$parameter`, a path
 * that is missing or leads to an object, a value that is not a string, number or boolean, an
 * evaluation that fails, an agent's tool call) is read the usual way, field by field, so its
 * error and its value stay n8n's own.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeParameters,
} from 'n8n-workflow';

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

/** A resource locator's saved or evaluated value: `{ mode, value }` (n8n adds `__rl: true`). */
const isLocator = (value: unknown): value is { mode: unknown; value: unknown } =>
	typeof value === 'object' && value !== null && 'mode' in value && 'value' in value;

/**
 * The expression of a field's saved value: a plain value, or a resource locator's value in a mode
 * from which n8n takes the value as it is (no extractValue).
 */
function fieldExpression(field: INodeProperties, saved: unknown): string | undefined {
	if (field.validateType !== undefined) return undefined; // n8n checks such a value's type
	if (field.type !== 'resourceLocator' || !isLocator(saved)) return singleExpression(saved);
	const mode = field.modes?.find((candidate) => candidate.name === saved.mode);
	if (mode === undefined || mode.extractValue !== undefined) return undefined;
	return singleExpression(saved.value);
}

/** A value that crosses n8n's expression sandbox unchanged; anything else (nothing, null, an object) is read the usual way. */
const isPlain = (value: unknown) => ['string', 'number', 'boolean'].includes(typeof value);

/**
 * The keys n8n's expression sandbox refuses to read (`Cannot access "…" due to security
 * concerns`): `unsafeObjectProperties` of n8n-workflow's utils, the same 25 names in 1.120.31
 * (n8n 1.123.81) and 2.41.0 (n8n 2.41.1). Older n8n refuses fewer; a path with any of these is
 * evaluated by n8n, so each version fails it exactly as it does.
 */
export const SANDBOX_REFUSED_KEYS: ReadonlySet<string> = new Set([
	'__proto__',
	'prototype',
	'constructor',
	'getPrototypeOf',
	'setPrototypeOf',
	'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors',
	'defineProperty',
	'defineProperties',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'__lookupGetter__',
	'__lookupSetter__',
	'__defineGetter__',
	'__defineSetter__',
	'caller',
	'callee',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
]);

/** A name after `$json` or a dot: what JavaScript reads as `.name` (no reserved-word check needed: `$json.if` reads "if" too). */
const NAME = /^\.([A-Za-z_$][\w$]*)/;
/** `["name"]` or `['name']`, without escapes. */
const QUOTED = /^\[\s*(?:"([^"\\\n]*)"|'([^'\\\n]*)')\s*\]/;

/** The keys of an expression that is only a path into `$json` (`$json.a.b`, `$json["a b"]`), or undefined. */
export function jsonPath(expression: string): string[] | undefined {
	let rest = expression.trim();
	if (!rest.startsWith('$json')) return undefined;
	rest = rest.slice('$json'.length);
	const keys: string[] = [];
	while (rest !== '') {
		const step = NAME.exec(rest) ?? QUOTED.exec(rest);
		if (step === null) return undefined;
		keys.push(step[1] ?? step[2]);
		rest = rest.slice(step[0].length);
	}
	if (keys.length === 0 || keys.some((key) => SANDBOX_REFUSED_KEYS.has(key))) return undefined;
	return keys;
}

/** The value at a path of own properties (no list on the way), or undefined when a step is not there. */
function ownAt(start: unknown, keys: string[]): { value: unknown } | undefined {
	let value = start;
	for (const key of keys) {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
		if (!Object.hasOwn(value, key)) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return { value };
}

/** The item's own value at the path, when every step is its own property and the value is plain. */
function readPath(json: unknown, keys: string[]): { value: unknown } | undefined {
	const found = ownAt(json, keys);
	return found !== undefined && isPlain(found.value) ? found : undefined;
}

/** How a run reads its fields ahead. */
interface Ahead {
	/** Fields that are a path into the item's JSON, read from the item. */
	paths: Array<{ name: string; keys: string[] }>;
	/** The other single-expression fields (two or more), and their one expression. */
	together?: { names: string[]; expression: string };
	items: INodeExecutionData[];
}

/** What one run of the node reads once and every item reuses. */
interface Run {
	/** The node's saved parameters; undefined as an agent's tool, where every value is read as n8n gives it. */
	parameters?: INodeParameters;
	/** How fields are read ahead: null for none, undefined until the first item. */
	ahead?: Ahead | null;
	/** The last item read ahead, and its values. */
	itemIndex?: number;
	values?: Map<string, unknown>;
	/** The values of parameters that hold no expression. */
	constants: Map<string, unknown>;
}

const runs = new WeakMap<IExecuteFunctions, Run>();

/** The run's state, made at its first use: the node is read once (getNode() copies it). */
function runOf(ctx: IExecuteFunctions): Run {
	let run = runs.get(ctx);
	if (run === undefined) {
		const node = ctx.getNode();
		run = {
			parameters: runsAsTool(node) ? undefined : (node.parameters ?? {}),
			constants: new Map(),
		};
		runs.set(ctx, run);
	}
	return run;
}

/** Whether a saved value holds an expression anywhere (a text starting with "="). */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (typeof value !== 'object' || value === null) return false;
	return Object.values(value).some(holdsExpression);
}

/**
 * A parameter's value for an item, as `getNodeParameter` gives it. One that holds no expression
 * anywhere (a switch, an option typed in) is the same for every item: it is read at the first
 * item that asks and reused, rather than read again per item. Run as an agent's tool, every
 * item's value is read as n8n gives it.
 */
export function itemParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: unknown,
	options?: { extractValue: boolean },
): unknown {
	const read = () => ctx.getNodeParameter(name, itemIndex, fallback, options);
	const run = runOf(ctx);
	if (run.parameters === undefined) return read();
	const key = `${name}\u0000${options?.extractValue === true}`;
	if (run.constants.has(key)) return run.constants.get(key);
	const value = read();
	if (!holdsExpression(ownAt(run.parameters, name.split('.'))?.value))
		run.constants.set(key, value);
	return value;
}

/**
 * The mode of a resource locator for an item, as n8n gives it: the saved `{ mode, value }`'s mode
 * when it is a plain name (n8n keeps one as it is, whatever the value), else the mode of what
 * n8n makes of the whole parameter (an expression that gives `{ mode, value }`); undefined for a
 * plain value, such as a field saved before it was a resource locator.
 */
export function locatorMode(ctx: IExecuteFunctions, name: string, itemIndex: number): unknown {
	const run = runOf(ctx);
	const saved = ownAt(run.parameters ?? ctx.getNode().parameters, [name])?.value;
	if (isLocator(saved) && !holdsExpression(saved.mode)) return saved.mode;
	const value = itemParameter(ctx, name, itemIndex, undefined);
	return isLocator(value) ? value.mode : undefined;
}

/**
 * Whether n8n evaluates the expression on its own, as the field's `={{ … }}`, for this item. Its
 * syntax and the sandbox's checks do not depend on the item, so a run asks once, at its first.
 */
function validAlone(ctx: IExecuteFunctions, expression: string, itemIndex: number): boolean {
	try {
		ctx.evaluateExpression(`{{${expression}}}`, itemIndex);
		return true;
	} catch {
		return false;
	}
}

function ahead(
	ctx: IExecuteFunctions,
	parameters: INodeParameters,
	fields: INodeProperties[],
	itemIndex: number,
) {
	const paths: Ahead['paths'] = [];
	const names: string[] = [];
	const expressions: string[] = [];
	for (const field of fields) {
		// a name given to two fields (shown in different cases) is read the usual way
		if (fields.filter((other) => other.name === field.name).length > 1) continue;
		const expression = fieldExpression(field, parameters[field.name]);
		if (expression === undefined) continue;
		const keys = jsonPath(expression);
		if (keys !== undefined) {
			paths.push({ name: field.name, keys });
			continue;
		}
		names.push(field.name);
		expressions.push(expression);
	}
	// Evaluated together only when two or more are each valid alone
	const alone =
		names.length < 2 ? [] : names.filter((_, at) => validAlone(ctx, expressions[at], itemIndex));
	const joined = alone.map((name) => `(${expressions[names.indexOf(name)]}\n)`);
	const together =
		alone.length < 2 ? undefined : { names: alone, expression: `{{ [${joined.join(', ')}] }}` };
	if (paths.length === 0 && together === undefined) return null;
	return { paths, together, items: ctx.getInputData() };
}

/** Evaluates in one expression the fields that are each one expression (two or more); undefined when it fails. */
function evaluateTogether(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ names, expression }: NonNullable<Ahead['together']>,
): unknown[] | undefined {
	let values: unknown;
	try {
		values = ctx.evaluateExpression(expression, itemIndex);
	} catch {
		return undefined; // each field is read on its own, and a failing one fails as n8n makes it
	}
	if (!Array.isArray(values) || values.length !== names.length || !values.every(isPlain))
		return undefined;
	return values;
}

/** Reads ahead the item's fields that are a path into its JSON, and evaluates the other single expressions in one. */
export function evaluateItemFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: INodeProperties[],
): void {
	const run = runOf(ctx);
	if (run.ahead === undefined)
		run.ahead = run.parameters === undefined ? null : ahead(ctx, run.parameters, fields, itemIndex);
	run.values = undefined;
	if (run.ahead === null) return;
	const values = new Map<string, unknown>();
	const { json } = run.ahead.items[itemIndex] ?? {};
	for (const { name, keys } of run.ahead.paths) {
		const read = readPath(json, keys);
		if (read !== undefined) values.set(name, read.value);
	}
	const { together } = run.ahead;
	const evaluated = together && evaluateTogether(ctx, itemIndex, together);
	together?.names.forEach((name, at) => evaluated && values.set(name, evaluated[at]));
	run.itemIndex = itemIndex;
	run.values = values;
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
