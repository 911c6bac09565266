import type { INode } from 'n8n-workflow';

import { LIMITS } from '../wire/fields';
import { isObject } from '../wire/json';
import { REFERENCE_MAX_LENGTH } from '../wire/ledger';

/**
 * The words an AI agent reads when the node runs as its tool. An agent sees neither the canvas
 * nor the field labels: only the tool's description, the keys of its `$fromAI()` parameters and
 * the text of an error. So a refusal names the key the agent used and what a valid value looks
 * like, and never sends it to a switch or an item it cannot see.
 */

/** Up to 64 letters, digits, `_` or `-`: n8n's rule for a `$fromAI()` key. */
const FROM_AI_KEY = /\$fromai\(\s*(['"`])([A-Za-z0-9_-]{1,64})\1/i;

/**
 * The key of the first `$fromAI('key', ...)` in a parameter's raw value (what the agent filled
 * in), or undefined when the workflow sets the parameter itself.
 */
export function fromAiKey(raw: unknown): string | undefined {
	// A card field is a resource locator: its expression is the value of { mode, value }
	const text = isObject(raw) && 'value' in raw ? raw.value : raw;
	if (typeof text !== 'string') return undefined;
	return FROM_AI_KEY.exec(text)?.[2];
}

/**
 * What a valid value looks like, per parameter, in the terms of a tool call's JSON arguments.
 * No example values: a model may copy an example member, card or reference into a real call.
 */
export const VALID_VALUE: Readonly<Record<string, string>> = {
	userId: `the member's Konaplate user ID as a string of 1 to ${LIMITS.userIdMaxDigits} digits`,
	fromCardNo: `the ${LIMITS.cardNoDigits}-digit number of the member's ACTIVE card to take the money from, as a string of digits only`,
	toCardNo: `the ${LIMITS.cardNoDigits}-digit number of another ACTIVE card of the same member, as a string of digits only`,
	cardNo: `a ${LIMITS.cardNoDigits}-digit card number as a string of digits only`,
	amount: `a whole number of KRW from ${LIMITS.amountMin} to ${LIMITS.amountMax}`,
	transferEntireBalance: 'true or false',
	reference: `a text of 1 to ${REFERENCE_MAX_LENGTH} characters that names this one transfer, such as its order or payout ID, the same one on every retry`,
	cardBy: 'cardNo (the card by its number) or par (by its PAR token)',
	par: "the card's PAR token: 27 letters and digits, as a card list returns it",
	startDate: 'a date written yyyy-MM-dd, the first day to read',
	endDate: 'a date written yyyy-MM-dd, not before startDate and at most 92 days after it',
	transactionType: 'all, 00 (payment), 01 (charge), 02 (refund) or 03 (transfer)',
	includePreviousCard: 'true or false',
	simplify: "true (each card's main fields) or false (every field)",
	returnAll: 'true or false',
	limit: 'a whole number of at least 1',
	decision: 'markTransferred or markNotTransferred, chosen by a person',
	state: 'outcomeUnknown, transferred or all',
};

/** How a refusal to an agent starts: it names the refusal's code when it has one. */
export function notSent(code?: string): string {
	return code === undefined ? 'Refused, nothing was sent:' : `Refused (${code}), nothing was sent:`;
}

/**
 * A parameter's refusal as an agent reads it: the key it used, why (in its terms) and what a
 * valid value looks like.
 */
export function parameterRefusal(node: INode, name: string, reason: string): string {
	const raw: unknown = node.parameters?.[name];
	// a card field set to By PAR Token takes the card's PAR token
	const valid = VALID_VALUE[isObject(raw) && raw.mode === 'par' ? 'par' : name];
	const key = fromAiKey(raw) ?? name;
	return `${notSent()} ${agentName(node, name)} ${reason}.${valid === undefined ? '' : ` A valid ${key} is ${valid}.`}`;
}

/**
 * n8n runs a `usableAsTool` node for an AI agent (AI Agent, MCP Server Trigger) under its
 * `…Tool` type: the one check of whether the node's words go to an agent rather than a person.
 */
export function runsAsTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/**
 * A parameter as an agent knows it: the key of its `$fromAI()` (the agent filled it in), or its
 * name, said to be the workflow's own (the agent cannot change it).
 */
export function agentName(node: INode, name: string): string {
	const key = fromAiKey(node.parameters?.[name]);
	return key ?? `${name} (set by the workflow, not by this call)`;
}

/** Words to two audiences: the person at the canvas, and the model calling the tool. */
export interface Words {
	person: string;
	agent: string;
}

/** The one writer of two-audience words: an agent reads `agent`, a person `person`. */
export function say(node: INode, words: Words): string {
	return runsAsTool(node) ? words.agent : words.person;
}
