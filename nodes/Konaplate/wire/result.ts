/**
 * The one result shape of every pure check in the node: a parameter parser, JSON parsing,
 * opening an encrypted answer, classifying it, and reading what an operation reports from it.
 * A refusal says why in words that follow the name of what was checked; `agentReason`, when
 * given, replaces them for an AI agent, where the canvas's words would not make sense.
 */
export type Result<T> = { ok: true; value: T } | Refusal;

export interface Refusal {
	ok: false;
	reason: string;
	agentReason?: string;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const refuse = (reason: string, agentReason?: string): Refusal =>
	agentReason === undefined ? { ok: false, reason } : { ok: false, reason, agentReason };
