import type { INodeProperties, UsableAsToolDescription } from 'n8n-workflow';

import { LIMITS } from '../wire/fields';

/**
 * What n8n shows for the node's tool variant (`konaplateTool`, which n8n builds from this node's
 * description): in the nodes panel under Tools, and as the text a tool description set manually
 * starts from. The model reads the tool description, the `$fromAI()` descriptions the author
 * writes, and the errors; with the tool description set automatically it reads the operation's
 * action followed by "in Konaplate". So the actions and this text state the rules too.
 */
export const TOOL_DESCRIPTION =
	`Moves real money (whole KRW, no decimals) from one ACTIVE prepaid card of a Konaplate member to another, different ACTIVE card of the same member, or reads a member's cards, one card's balance and status (Card → Get), or the registered bank account, or suspends a member's card when something looks wrong (Card → Suspend; only a person resumes a card). ` +
	`Card numbers are ${LIMITS.cardNoDigits} digits given as strings. Give every transfer a reference of its own (an order or payout ID) and reuse the same reference when retrying: a reference already transferred is never sent twice. ` +
	`A transfer with transferEntireBalance true moves the whole balance, whatever it is, and is refused together with an amount. A refusal says what was wrong and how to fix it: do not get around a spending limit by splitting a transfer.`;

export const usableAsTool: UsableAsToolDescription = {
	replacements: { description: TOOL_DESCRIPTION },
};

/**
 * Shown in the tool variant only (`@tool`: the node type's name ends in Tool). A condition on
 * `descriptionType`, the parameter n8n adds to tools, would do the same in n8n 2.36 and newer,
 * but older n8n cannot build a node whose condition names a parameter it does not have.
 */
export const toolNotice: INodeProperties = {
	displayName:
		"This tool can move real money. Recommended set-up: under Options set Max Amount per Transfer and Max Total per Run and turn on Require Reference; give each parameter the AI fills a $fromAI() description stating its rule (the ✨ button leaves it empty); keep On Error at Stop Workflow. See the README's 'As an AI agent's tool'.",
	name: 'toolNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { '@tool': [true] } },
};
