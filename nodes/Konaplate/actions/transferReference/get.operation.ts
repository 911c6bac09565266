import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { openLedgerStore } from '../../ledger/open';
import { PUBLIC_STATE } from '../../wire/ledger';
import { shownReference } from '../../wire/redact';
import type { LedgerState } from '../../wire/ledger';
import type { OperationEntry, Send } from '../operation';
import { readReference, referenceField, STATE_MEANING } from './reference';

const reference = referenceField();

export const operation: OperationEntry = {
	name: 'Get',
	value: 'get',
	action: 'Get the ledger state of a transfer reference',
	description:
		"Get what the credential's transfer ledger knows of a Reference on its Konaplate account: notSent, transferred or outcomeUnknown, the day of its attempt (claimedOn) and, on the shared ledger, when it was claimed (claimedAt). Sends nothing to Konaplate.",
};

export const description: INodeProperties[] = [reference];

export function read(ctx: Parameters<typeof readReference>[0], itemIndex: number): string {
	return readReference(ctx, itemIndex, reference);
}

export interface ReferenceStateOutput extends IDataObject {
	reference: string;
	state: LedgerState;
	meaning: string;
	/** The day of the attempt (yyyy-MM-dd, the credential's zone): the history to look in. */
	claimedOn?: string;
	/** When the attempt was claimed (ISO 8601), where the store keeps it (the shared ledger). */
	claimedAt?: string;
}

export const send: Send<string, ReferenceStateOutput> = async (ctx, input, itemIndex, session) => {
	const store = openLedgerStore(ctx, session, { what: 'Transfer Reference → Get', itemIndex });
	const { stage, claimedOn, claimedAt } = await store.inspect(input);
	const state = PUBLIC_STATE[stage];
	return {
		reference: shownReference(input),
		state,
		meaning: STATE_MEANING[state],
		...(claimedOn !== undefined && { claimedOn }),
		...(claimedAt !== undefined && { claimedAt: new Date(claimedAt).toISOString() }),
	};
};
