import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { refusalError } from '../../errors';
import { agentName } from '../../tool/agent';
import { AGENT_REFUSAL } from '../../tool/sentences';
import type { RefusalCode } from '../../errors';
import { parseBoolean } from '../../wire/fields';
import { formatWon, parseLimit } from '../../wire/money';
import { namedReference } from '../../wire/redact';
import type { Result } from '../../wire/result';
import { runOption } from '../parameters';

/** A limit in whole won; removing the option removes the limit. */
function limitOption(
	displayName: string,
	name: string,
	fallback: number,
	refuses: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: fallback,
		description: `Refuse, before anything is sent, ${refuses}. While it is set, Transfer Entire Balance is refused too: its amount is unknown until it has moved. Remove the option for no limit.`,
	};
}

export const maxAmountPerTransferOption = limitOption(
	'Max Amount per Transfer (KRW)',
	'maxAmountPerTransfer',
	1_000_000,
	'an item that asks for more won than this',
);

export const maxTotalPerRunOption = limitOption(
	'Max Total per Run (KRW)',
	'maxTotalPerRun',
	10_000_000,
	'the whole run when the amounts of all its items add up to more won than this',
);

export const requireReferenceOption: INodeProperties = {
	displayName: 'Require Reference',
	name: 'requireReference',
	type: 'boolean',
	default: false,
	description:
		'Whether to refuse, before anything is sent, an item with an empty Reference. Recommended when an AI agent or an imported list feeds the node.',
};

/** Options of Card > Transfer Balance only (see optionsCollections). */
export const transferOptions = [
	maxAmountPerTransferOption,
	maxTotalPerRunOption,
	requireReferenceOption,
];

export interface TransferInput {
	userId: string;
	fromCardNo: string;
	toCardNo: string;
	/**
	 * The cards the item names by PAR token, their numbers above '' until the run completes the
	 * item (transferBalance's complete): the checks, the ledger and the request see numbers only.
	 */
	pars?: { fromCardNo?: string; toCardNo?: string };
	transferEntireBalance: boolean;
	/** Won to move; 0 only when transferEntireBalance is on. */
	amount: number;
	/** The operator's id of this transfer in the workflow's ledger; empty for none. */
	reference: string;
}

interface Checked {
	itemIndex: number;
	input: TransferInput;
}

function option<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: INodeProperties,
	parse: (value: unknown) => Result<T>,
): T {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return runOption(ctx, field, parse(options[field.name]));
}

/**
 * A limit, as it reads for each item. Present in the node's settings means set: empty, null or
 * an expression that resolves to nothing refuses the run instead of meaning "no limit". An
 * expression is evaluated for every item; a plain number is read once.
 */
function limitReader(ctx: IExecuteFunctions, field: INodeProperties) {
	const raw = ctx.getNode().parameters.options as IDataObject | undefined;
	const set = raw !== undefined && raw !== null && Object.hasOwn(raw, field.name);
	const read = (itemIndex: number) =>
		option(ctx, itemIndex, field, (value) =>
			set && value === undefined ? parseLimit(null) : parseLimit(value),
		);
	const written = raw?.[field.name];
	if (typeof written === 'string' && written.startsWith('=')) return read;
	const once = read(0);
	return () => once;
}

const withReference = (reference: string) =>
	reference === '' ? '' : ` (${namedReference(reference)})`;

/** What the run's checks know: its options, the keys an agent gave, the items of each reference. */
interface Run {
	/** Max Amount per Transfer, as it reads for each item. */
	perTransferOf: (item: Checked) => number | undefined;
	/** Max Total per Run: the lowest any item reads. */
	perRun: number | undefined;
	requireReference: boolean;
	/** The other items of the run with the same reference. */
	others: (item: Checked) => number[];
	/** The keys an agent gave, for refusals in its own terms. */
	key: { reference: string; amount: string; transferEntireBalance: string };
}

/** A refusal's words: to a person the message after "Item N was not sent: " and the advice; the agent's own. */
interface RefusalWords {
	person: { message: string; description: string };
	agent: string;
}

/** The checks of one item, in order: the first that applies refuses it. */
const ITEM_RULES: ReadonlyArray<{
	code: RefusalCode;
	applies: (item: Checked, run: Run) => boolean;
	words: (item: Checked, run: Run) => RefusalWords;
}> = [
	{
		code: 'REFERENCE_REQUIRED',
		applies: ({ input }, run) => run.requireReference && input.reference === '',
		words: (_, { key }) => ({
			person: {
				message: 'it has no Reference, and Options > Require Reference is on.',
				description:
					'Give every transfer a Reference of its own (a payout or order id), so that no re-run can send it twice.',
			},
			agent: AGENT_REFUSAL.referenceRequired(key.reference),
		}),
	},
	{
		code: 'LEDGER_DUPLICATE_REFERENCE',
		applies: (item, run) => run.others(item).length > 0,
		words: (item, run) => ({
			person: {
				message: `the same Reference is also given to item ${run.others(item).join(', item ')} of this run.`,
				description:
					'A Reference names one transfer: give each item its own, or remove the duplicate items.',
			},
			agent: AGENT_REFUSAL.duplicateReference(run.key.reference, item.input.reference),
		}),
	},
	{
		code: 'LIMIT_ENTIRE_BALANCE',
		applies: ({ itemIndex, input }, run) =>
			input.transferEntireBalance &&
			(run.perTransferOf({ itemIndex, input }) !== undefined || run.perRun !== undefined),
		words: (item, { perTransferOf, key }) => ({
			person: {
				message: `Transfer Entire Balance is refused while Options > ${perTransferOf(item) !== undefined ? 'Max Amount per Transfer' : 'Max Total per Run'} is set, because the amount it moves is unknown until it has moved.`,
				description:
					'To transfer a known amount, turn off Transfer Entire Balance and set Amount (KRW) (read the card balance first to move all of it), or remove the limit.',
			},
			agent: AGENT_REFUSAL.entireBalanceLimited(key.transferEntireBalance, key.amount),
		}),
	},
	{
		code: 'LIMIT_AMOUNT_PER_TRANSFER',
		applies: (item, { perTransferOf }) => {
			const perTransfer = perTransferOf(item);
			return perTransfer !== undefined && item.input.amount > perTransfer;
		},
		words: (item, { perTransferOf, key }) => {
			const perTransfer = perTransferOf(item) ?? 0;
			return {
				person: {
					message: `it asks for ${formatWon(item.input.amount)} KRW, above Options > Max Amount per Transfer of ${formatWon(perTransfer)} KRW.`,
					description:
						'Check where the amount comes from (an expression may read the wrong column), or raise the limit.',
				},
				agent: AGENT_REFUSAL.amountAboveLimit(key.amount, item.input.amount, perTransfer),
			};
		},
	},
];

/**
 * The guard rails of a run, after every item's own parameters were read and before anything is
 * sent: Require Reference, one reference per transfer, and the spending limits. Returns the
 * refused items; none of the run is sent when a refusal stops it.
 */
export function checkTransfers(
	ctx: IExecuteFunctions,
	items: Checked[],
): Map<number, NodeOperationError> {
	const node = ctx.getNode();
	const byReference = new Map<string, number[]>();
	for (const { itemIndex, input } of items) {
		if (input.reference !== '')
			byReference.set(input.reference, [...(byReference.get(input.reference) ?? []), itemIndex]);
	}
	const [reference, amount, transferEntireBalance] = [
		'reference',
		'amount',
		'transferEntireBalance',
	].map((name) => agentName(node, name));
	const [perTransferOf, perRunOf] = [maxAmountPerTransferOption, maxTotalPerRunOption].map(
		(field) => limitReader(ctx, field),
	);
	const perTransfer = new Map(items.map(({ itemIndex }) => [itemIndex, perTransferOf(itemIndex)]));
	const perRun = items
		.map(({ itemIndex }) => perRunOf(itemIndex))
		.filter((limit) => limit !== undefined);
	const run: Run = {
		perTransferOf: ({ itemIndex }) => perTransfer.get(itemIndex),
		perRun: perRun.length > 0 ? Math.min(...perRun) : undefined,
		requireReference: option(ctx, 0, requireReferenceOption, (value) =>
			parseBoolean(value ?? false),
		),
		others: ({ itemIndex, input }) =>
			(byReference.get(input.reference) ?? []).filter((other) => other !== itemIndex),
		key: { reference, amount, transferEntireBalance },
	};
	const refusals = new Map<number, NodeOperationError>();
	for (const item of items) {
		const rule = ITEM_RULES.find((candidate) => candidate.applies(item, run));
		if (rule === undefined) continue;
		const words = rule.words(item, run);
		const { itemIndex, input } = item;
		refusals.set(
			itemIndex,
			refusalError(node, {
				code: rule.code,
				itemIndex,
				person: {
					message: `Item ${itemIndex}${withReference(input.reference)} was not sent: ${words.person.message}`,
					description: `Nothing was sent for this item. ${words.person.description}`,
				},
				agent: words.agent,
				...(input.reference !== '' && { reference: input.reference }),
			}),
		);
	}

	const total = items.reduce((sum, { input }) => sum + input.amount, 0);
	if (run.perRun !== undefined && total > run.perRun) {
		const refusal = {
			code: 'LIMIT_TOTAL_PER_RUN',
			person: {
				message: `The run was not sent: its ${items.length} transfers ask for ${formatWon(total)} KRW in total, above Options > Max Total per Run of ${formatWon(run.perRun)} KRW.`,
				description:
					'Nothing was sent for any item. Check the amounts, split the list into smaller runs, or raise the limit.',
			},
			agent: AGENT_REFUSAL.totalAboveLimit(total, run.perRun),
		} as const;
		for (const { itemIndex, input } of items) {
			if (refusals.has(itemIndex)) continue;
			refusals.set(
				itemIndex,
				refusalError(node, {
					...refusal,
					itemIndex,
					...(input.reference !== '' && { reference: input.reference }),
				}),
			);
		}
	}
	return refusals;
}
