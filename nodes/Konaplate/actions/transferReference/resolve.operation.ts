import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { refusalError } from '../../errors';
import { openLedgerStore } from '../../ledger/open';
import { agentMayHaveStarted, resolveRefusal } from '../../tool/started-by';
import { PUBLIC_STATE, requestStampTime } from '../../wire/ledger';
import type { Decision, LedgerState } from '../../wire/ledger';
import { namedReference, shownReference } from '../../wire/redact';
import { ok, refuse } from '../../wire/result';
import type { Result } from '../../wire/result';
import type { OperationEntry, Send } from '../operation';
import { readParameter } from '../parameters';
import { readReference, referenceField, STATE_MEANING } from './reference';

const reference = referenceField();

const DECISIONS: Readonly<Record<Decision, { name: string; state: LedgerState; undo: string }>> = {
	markTransferred: {
		name: 'Mark as Transferred',
		state: 'transferred',
		undo: 'Resolve cannot undo this: it changes only references whose outcome is unknown. If the transfer turns out not to have happened, a person sends it deliberately under a new Reference.',
	},
	markNotTransferred: {
		name: 'Mark as Not Transferred',
		state: 'notSent',
		undo: 'Until a run sends it, a person who does not want it sent takes the item out of the input. Once sent, it is recorded like any other transfer.',
	},
};

const decision: INodeProperties = {
	displayName: 'Decision',
	name: 'decision',
	type: 'options',
	required: true,
	options: [
		{
			name: DECISIONS.markTransferred.name,
			value: 'markTransferred',
			description:
				'The transfer went through (its Transfer row is in Transaction → Get Many): a re-run outputs it as alreadyTransferred and sends nothing',
		},
		{
			name: DECISIONS.markNotTransferred.name,
			value: 'markNotTransferred',
			description:
				'The transfer did not happen (no Transfer row, balances unchanged): a re-run sends it under the same Reference',
		},
	],
	default: 'markTransferred',
	description:
		'What a person found out about the transfer. Resolve changes only a Reference whose outcome is unknown, writes only the ledger and sends nothing to Konaplate.',
};

export const operation: OperationEntry = {
	name: 'Resolve',
	value: 'resolve',
	action: 'Resolve a transfer reference whose outcome is unknown',
	description:
		"Record a person's decision on a Reference whose outcome is unknown: Mark as Transferred or Mark as Not Transferred. Writes only the credential's transfer ledger; refused as an AI agent's tool.",
};

export const description: INodeProperties[] = [reference, decision];

export interface ResolveInput {
	reference: string;
	decision: Decision;
}

function parseDecision(value: unknown): Result<Decision> {
	return value === 'markTransferred' || value === 'markNotTransferred'
		? ok(value)
		: refuse('must be Mark as Transferred or Mark as Not Transferred');
}

export function read(ctx: IExecuteFunctions, itemIndex: number): ResolveInput {
	// Only in an execution a person started (tool/started-by.ts)
	const agentMay = agentMayHaveStarted(ctx);
	if (agentMay !== undefined)
		throw refusalError(ctx.getNode(), resolveRefusal(agentMay, itemIndex));
	return {
		reference: readReference(ctx, itemIndex, reference),
		decision: readParameter(ctx, itemIndex, decision, parseDecision),
	};
}

export const send: Send<ResolveInput, IDataObject> = async (ctx, input, itemIndex, session) => {
	const now = session.clock.now().getTime();
	const store = openLedgerStore(ctx, session, { what: 'Transfer Reference → Resolve', itemIndex });
	const known = await store.resolve(input.reference, input.decision, now);
	const before = PUBLIC_STATE[known.stage];
	const chosen = DECISIONS[input.decision];
	if (before !== 'outcomeUnknown')
		throw refusalError(ctx.getNode(), {
			code: 'RESOLVE_NOT_UNKNOWN',
			itemIndex,
			reference: input.reference,
			person: {
				message: `Item ${itemIndex} (${namedReference(input.reference)}) was not resolved: its state is ${before}, and Resolve changes only a Reference whose outcome is unknown. Nothing was changed.`,
				description: STATE_MEANING[before],
			},
		});
	const until = known.inFlightUntil;
	if (input.decision === 'markNotTransferred' && until !== undefined && until > now) {
		const when = requestStampTime(new Date(until), session.credential.timeZone);
		throw refusalError(ctx.getNode(), {
			code: 'RESOLVE_IN_FLIGHT',
			itemIndex,
			reference: input.reference,
			person: {
				message: `Item ${itemIndex} (${namedReference(input.reference)}) was not resolved: its transfer may still be in flight until ${when} (${session.credential.timeZone}). Nothing was changed.`,
				description: `An execution sent this transfer and its request may still be answered: marking it as not transferred now could let a re-run pay it twice. Mark as Not Transferred after ${when} (its Timeout and Batching, plus a minute), once Transaction → Get Many shows no Transfer row for it. Mark as Transferred is allowed at any time.`,
			},
		});
	}
	return {
		reference: shownReference(input.reference),
		decision: input.decision,
		stateBefore: before,
		state: chosen.state,
		...(known.claimedOn !== undefined && { claimedOn: known.claimedOn }),
		changed: `${chosen.name}: the credential's transfer ledger (${store.kind === 'postgres' ? 'the shared one' : "this workflow's"}) now has ${namedReference(input.reference)} as ${chosen.state} on its Konaplate account. ${STATE_MEANING[chosen.state]} Nothing was sent to Konaplate.`,
		undo: chosen.undo,
	};
};
