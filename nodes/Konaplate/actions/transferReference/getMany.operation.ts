import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { refusalError } from '../../errors';
import { openLedgerStore } from '../../ledger/open';
import type { ListFilter } from '../../ledger/seam';
import { AGENT_REFUSAL } from '../../tool/sentences';
import { shownReference } from '../../wire/redact';
import { ok, refuse } from '../../wire/result';
import type { Result } from '../../wire/result';
import type { OperationEntry, Send } from '../operation';
import { readLimit, readParameter, returnAllFields } from '../parameters';

type ListedState = ListFilter['state'];

const STATES: Readonly<Record<ListedState, { name: string; description: string }>> = {
	outcomeUnknown: {
		name: 'Outcome Unknown',
		description:
			'References a run refuses until a person resolves them: sent, or being sent, with no clear answer yet',
	},
	transferred: {
		name: 'Transferred',
		description: 'References Konaplate confirmed, or a person marked as transferred',
	},
	all: {
		name: 'All',
		description:
			'Every Reference the ledger holds, including those resolved as not transferred (notSent)',
	},
};

const state: INodeProperties = {
	displayName: 'State',
	name: 'state',
	type: 'options',
	options: Object.entries(STATES).map(([value, { name, description }]) => ({
		name,
		value,
		description,
	})),
	default: 'outcomeUnknown',
	description: 'Which References to list, newest attempt first',
};

const limits = returnAllFields();

export const operation: OperationEntry = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many transfer references of the account',
	description:
		"List the References the credential's shared ledger (PostgreSQL) holds for its Konaplate account, newest first, one item each: state, when and by which workflow, execution and node it was sent, the amount and the masked cards. Sends nothing to Konaplate. Refused on the workflow ledger, which keeps only hashes.",
};

export const description: INodeProperties[] = [state, ...limits];

function parseState(value: unknown): Result<ListedState> {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(STATES, value)
		? ok(value as ListedState)
		: refuse('must be outcomeUnknown, transferred or all');
}

export function read(ctx: IExecuteFunctions, itemIndex: number): ListFilter {
	const limit = readLimit(ctx, itemIndex, limits);
	return {
		state: readParameter(ctx, itemIndex, state, parseState),
		...(limit !== undefined && { limit }),
	};
}

/** One output item per Reference of the account (none when the ledger holds none in that state). */
export const send: Send<ListFilter, IDataObject[]> = async (ctx, input, itemIndex, session) => {
	const store = openLedgerStore(ctx, session, { what: 'Transfer Reference → Get Many', itemIndex });
	if (store.kind === 'workflow')
		throw refusalError(ctx.getNode(), {
			code: 'LEDGER_NOT_LISTED',
			itemIndex,
			person: {
				message: `Transfer Reference → Get Many lists References only on the shared ledger: this credential's Ledger is This Workflow (n8n's Store), which keeps only hashes of References, so they cannot be listed.`,
				description:
					"Set the credential's Ledger to Shared (PostgreSQL) to list the account's References (docs/shared-ledger.md). On the workflow ledger, Transfer Reference → Get reads one Reference you name.",
			},
			agent: AGENT_REFUSAL.ledgerNotListed,
		});
	// A store may keep more than the seam names (claimedOn): every field it gives is output
	const rows = await store.list?.(input);
	return (rows ?? []).map((row) => ({ ...row, reference: shownReference(row.reference) }));
};
