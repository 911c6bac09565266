import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { refusalError } from '../../errors';
import { agentName } from '../../tool/agent';
import type { RefusalCode } from '../../errors';
import { parseBoolean } from '../../wire/fields';
import { REFERENCE_MAX_LENGTH } from '../../wire/ledger';
import { formatWon, parseLimit } from '../../wire/money';
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
	field: INodeProperties,
	parse: (value: unknown) => Result<T>,
): T {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return runOption(ctx, field, parse(options[field.name]));
}

const withReference = (reference: string) =>
	reference === '' ? '' : ` (Reference "${reference}")`;

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
	const perTransfer = option(ctx, maxAmountPerTransferOption, parseLimit);
	const perRun = option(ctx, maxTotalPerRunOption, parseLimit);
	const requireReference = option(ctx, requireReferenceOption, (value) =>
		parseBoolean(value ?? false),
	);
	const refusals = new Map<number, NodeOperationError>();
	const refuse = (
		item: Checked,
		code: RefusalCode,
		message: string,
		description: string,
		agent: string,
	) => {
		const { reference } = item.input;
		refusals.set(
			item.itemIndex,
			refusalError(node, {
				code,
				itemIndex: item.itemIndex,
				message: `Item ${item.itemIndex}${withReference(reference)} was not sent: ${message}`,
				description: `Nothing was sent for this item. ${description}`,
				agent,
				...(reference !== '' && { reference }),
			}),
		);
	};
	// The keys an agent gave, for refusals in its own terms
	const [referenceKey, amountKey, switchKey] = ['reference', 'amount', 'transferEntireBalance'].map(
		(name) => agentName(node, name),
	);
	const noSplitting =
		'Do not split it into smaller transfers to get around the limit: ask a person.';

	const byReference = new Map<string, number[]>();
	for (const { itemIndex, input } of items) {
		if (input.reference !== '')
			byReference.set(input.reference, [...(byReference.get(input.reference) ?? []), itemIndex]);
	}
	const limit = perTransfer !== undefined ? 'Max Amount per Transfer' : 'Max Total per Run';
	for (const item of items) {
		const { input, itemIndex } = item;
		const others = (byReference.get(input.reference) ?? []).filter((other) => other !== itemIndex);
		if (requireReference && input.reference === '') {
			refuse(
				item,
				'REFERENCE_REQUIRED',
				'it has no Reference, and Options > Require Reference is on.',
				'Give every transfer a Reference of its own (a payout or order id), so that no re-run can send it twice.',
				`${referenceKey} is empty, and this tool requires one. Give ${referenceKey} a text that names this one transfer (an order or payout ID, up to ${REFERENCE_MAX_LENGTH} characters), and give the same ${referenceKey} again if you retry it: a transfer already done is then not sent twice.`,
			);
		} else if (others.length > 0) {
			refuse(
				item,
				'LEDGER_DUPLICATE_REFERENCE',
				`the same Reference is also given to item ${others.join(', item ')} of this run.`,
				'A Reference names one transfer: give each item its own, or remove the duplicate items.',
				`the same ${referenceKey} "${input.reference}" is given to another transfer of this call: a reference names one transfer.`,
			);
		} else if (input.transferEntireBalance && (perTransfer !== undefined || perRun !== undefined)) {
			refuse(
				item,
				'LIMIT_ENTIRE_BALANCE',
				`Transfer Entire Balance is refused while Options > ${limit} is set, because the amount it moves is unknown until it has moved.`,
				'To transfer a known amount, turn off Transfer Entire Balance and set Amount (KRW) (read the card balance first to move all of it), or remove the limit.',
				`${switchKey} true is not allowed by this tool: it has spending limits, and the amount an entire-balance transfer moves is unknown until it has moved. Call again with ${switchKey} false and ${amountKey} in whole KRW (Card → Get reads the balance of a card).`,
			);
		} else if (perTransfer !== undefined && input.amount > perTransfer) {
			refuse(
				item,
				'LIMIT_AMOUNT_PER_TRANSFER',
				`it asks for ${formatWon(input.amount)} KRW, above Options > Max Amount per Transfer of ${formatWon(perTransfer)} KRW.`,
				'Check where the amount comes from (an expression may read the wrong column), or raise the limit.',
				`${amountKey} ${formatWon(input.amount)} KRW is above this tool's limit of ${formatWon(perTransfer)} KRW per transfer. ${noSplitting}`,
			);
		}
	}

	const total = items.reduce((sum, { input }) => sum + input.amount, 0);
	if (perRun !== undefined && total > perRun) {
		const refusal = {
			code: 'LIMIT_TOTAL_PER_RUN',
			message: `The run was not sent: its ${items.length} transfers ask for ${formatWon(total)} KRW in total, above Options > Max Total per Run of ${formatWon(perRun)} KRW.`,
			description:
				'Nothing was sent for any item. Check the amounts, split the list into smaller runs, or raise the limit.',
			agent: `this call asks for ${formatWon(total)} KRW in total, above this tool's limit of ${formatWon(perRun)} KRW per call. ${noSplitting}`,
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
