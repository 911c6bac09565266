import type { IExecuteFunctions } from 'n8n-workflow';

import { refusalError } from '../../errors';
import { runsAsTool } from '../../tool/agent';
import { AGENT_ADVICE, AGENT_REFUSAL } from '../../tool/sentences';
import type { OperationEntry } from '../operation';
import { cardStatusOperation } from './cardStatus';
import type { CardStatusInput } from './cardStatus';

const resume = cardStatusOperation('resume', 'RESUME');

export const operation: OperationEntry = {
	name: 'Resume',
	value: 'resume',
	action: 'Resume a suspended card of a member',
	description:
		'Put a suspended card of a member back into use (Konaplate: RESUME). Refused as an AI agent’s tool: a person resumes a card.',
};

export const { description } = resume;

export function read(ctx: IExecuteFunctions, itemIndex: number): CardStatusInput {
	if (runsAsTool(ctx.getNode()))
		throw refusalError(ctx.getNode(), {
			code: 'RESUME_AS_TOOL',
			itemIndex,
			person: {
				message: 'Card → Resume is refused when the node runs as an AI agent’s tool.',
				description: 'Only a person may put a suspended card back into use.',
			},
			agent: AGENT_REFUSAL.resumeAsTool,
		});
	return resume.read(ctx, itemIndex);
}

export const send = resume.send({
	person:
		'It is unknown whether the card was resumed: read it (Card → Get shows its status) before running this item again, and quote the correlation id to Konaplate support.',
	agent: AGENT_ADVICE.cardStatusOutcomeUnknown,
});
