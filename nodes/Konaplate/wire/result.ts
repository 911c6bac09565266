/**
 * The one result shape of every pure check in the node: a parameter parser, JSON parsing,
 * opening an encrypted answer, classifying it, and reading what an operation reports from it.
 * A refusal says why in words that follow the name of what was checked; its `kind`, when given,
 * names a refusal whose words for an AI agent (in tool/) differ, where the canvas's would not
 * make sense.
 */
export type Result<T> = { ok: true; value: T } | Refusal;

export interface Refusal {
	ok: false;
	reason: string;
	kind?: RefusalKind;
}

/** The refusals with words of their own for an AI agent (tool/sentences.ts `AGENT_REASON`). */
export type RefusalKind = 'roundedNumber' | 'zeroAmount';

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const refuse = (reason: string, kind?: RefusalKind): Refusal =>
	kind === undefined ? { ok: false, reason } : { ok: false, reason, kind };
