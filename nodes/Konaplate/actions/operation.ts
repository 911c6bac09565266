import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { NodeError } from '../errors';
import type { LedgerItem } from '../ledger/seam';
import type { Session } from '../transport/session';
import { evaluateItemFields } from './item-values';

/** What one item gives: one output item, or (for a list) one per entry, possibly none. */
export type Sent = IDataObject | IDataObject[];

/** How an operation sends one item whose parameters it read: once, and its output. */
export type Send<Input, Output extends Sent> = (
	ctx: IExecuteFunctions,
	input: Input,
	itemIndex: number,
	session: Session,
) => Promise<Output>;

/** An operation's entry in its resource's Operation selector. */
export type OperationEntry = INodePropertyOptions & { value: string; action: string };

/**
 * One `*.operation.ts` module: its entry in the Operation selector, its fields, the options of
 * its Options collection besides Timeout and Batching, and the code that reads and sends an item.
 */
export interface Operation<Input> {
	operation: OperationEntry;
	description: INodeProperties[];
	options?: INodeProperties[];
	read(ctx: IExecuteFunctions, itemIndex: number): Input;
	/**
	 * What only Konaplate knows of a read item, found before the run's checks and the ledger see
	 * it (a card named by its PAR token gets its number): by reads that change nothing, never a
	 * write. A refusal here is the item's, as one of read.
	 */
	complete?(
		ctx: IExecuteFunctions,
		input: Input,
		itemIndex: number,
		session: Session,
	): Promise<Input>;
	send: Send<Input, Sent>;
	/** Checks across the items of a run (limits, references), before anything is sent: the refused items. */
	checkRun?(
		ctx: IExecuteFunctions,
		items: Array<{ itemIndex: number; input: Input }>,
	): Map<number, NodeError>;
	/**
	 * A write that must never run twice: the item as the transfer ledger knows it (its Reference,
	 * '' for none, and what the transfer under it is), and its output when it was already done.
	 */
	ledgerItem?(input: Input): Omit<LedgerItem, 'itemIndex'>;
	alreadyDone?(input: Input): IDataObject;
}

/** An item whose parameters passed their checks, ready to be sent. */
export interface Prepared extends LedgerItem {
	send(session: Session): Promise<Sent>;
	alreadyDone(): IDataObject;
}

/** A run's items once read: each one prepared, or refused. */
export interface Plan {
	prepared: Prepared[];
	refused: Map<number, NodeError>;
}

export type Planner = (
	ctx: IExecuteFunctions,
	itemCount: number,
	continueOnFail: boolean,
	session: Session,
) => Promise<Plan>;

export function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * Reads every item, completes the read ones (operation.complete), then the run's checks: all
 * before the first write, so a bad item never leaves the run half done. Without Continue On Fail
 * the first refusal stops the run.
 */
export function planner<Input>(operation: Operation<Input>): Planner {
	return async (ctx, itemCount, continueOnFail, session) => {
		const refused = new Map<number, NodeError>();
		const refuse = (itemIndex: number, error: unknown) => {
			const nodeError = asNodeError(ctx, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			refused.set(itemIndex, nodeError);
		};
		let read: Array<{ itemIndex: number; input: Input }> = [];
		for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
			try {
				evaluateItemFields(ctx, itemIndex, operation.description);
				read.push({ itemIndex, input: operation.read(ctx, itemIndex) });
			} catch (error) {
				refuse(itemIndex, error);
			}
		}
		const { complete } = operation;
		if (complete !== undefined) {
			const completed: typeof read = [];
			for (const { itemIndex, input } of read) {
				try {
					completed.push({ itemIndex, input: await complete(ctx, input, itemIndex, session) });
				} catch (error) {
					refuse(itemIndex, error);
				}
			}
			read = completed;
		}
		for (const [itemIndex, error] of operation.checkRun?.(ctx, read) ?? [])
			refused.set(itemIndex, error);
		const first = read.find(({ itemIndex }) => refused.has(itemIndex));
		if (!continueOnFail && first !== undefined) throw refused.get(first.itemIndex);
		const prepared = read
			.filter(({ itemIndex }) => !refused.has(itemIndex))
			.map(({ itemIndex, input }) => ({
				itemIndex,
				reference: '',
				...operation.ledgerItem?.(input),
				send: async (session: Session) => await operation.send(ctx, input, itemIndex, session),
				alreadyDone: () => operation.alreadyDone?.(input) ?? {},
			}));
		return { prepared, refused };
	};
}
