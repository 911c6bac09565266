import { AGENT_ADVICE } from '../../tool/sentences';
import type { OperationEntry } from '../operation';
import { cardStatusOperation } from './cardStatus';

const suspend = cardStatusOperation('suspend', 'SUSPEND');

export const operation: OperationEntry = {
	name: 'Suspend',
	value: 'suspend',
	action: 'Suspend a card of a member',
	description:
		'Stop one card of a member (Konaplate: SUSPEND, reported lost): it is no longer ACTIVE, so no balance moves from or to it until it is resumed. Offered to AI agents: stopping a card protects.',
};

export const { description, read } = suspend;

export const send = suspend.send({
	person:
		'It is unknown whether the card was suspended: read it (Card → Get shows its status) before running this item again, and quote the correlation id to Konaplate support.',
	agent: AGENT_ADVICE.cardStatusOutcomeUnknown,
});
