import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseReference, REFERENCE_MAX_LENGTH } from '../../wire/ledger';
import type { LedgerState } from '../../wire/ledger';
import { refuse } from '../../wire/result';
import type { Result } from '../../wire/result';
import { readParameter } from '../parameters';

/** The Reference field of a Transfer Reference operation. */
export function referenceField(): INodeProperties {
	return {
		displayName: 'Reference',
		name: 'reference',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'payout-0571',
		description: `The Reference of a transfer made by Card → Transfer Balance with this credential's Konaplate account: in this workflow, or in any workflow when the credential's Ledger is Shared (up to ${REFERENCE_MAX_LENGTH} characters)`,
	};
}

/** A reference to look up: as Transfer Balance reads it, but never empty. */
function parseRequiredReference(value: unknown): Result<string> {
	const parsed = parseReference(value);
	if (parsed.ok && parsed.value === '') return refuse('is empty: give the Reference of a transfer');
	return parsed;
}

export function readReference(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: INodeProperties,
): string {
	return readParameter(ctx, itemIndex, field, parseRequiredReference);
}

/** What each state means for the next run, in the output of Get and Resolve. */
export const STATE_MEANING: Readonly<Record<LedgerState, string>> = {
	notSent:
		"The credential's ledger has no transfer with this Reference on this account (never sent, or refused for sure by Konaplate): a run sends it.",
	transferred:
		'Konaplate confirmed this transfer (000_000), or a person marked it as transferred: a run outputs it as alreadyTransferred and sends nothing.',
	outcomeUnknown:
		'An earlier attempt may or may not have gone through (a timeout, a dropped connection, an unclear answer, or an execution still sending it): a run refuses it. Compare with Transaction → Get Many on the card it came from, then decide with Transfer Reference → Resolve.',
};
