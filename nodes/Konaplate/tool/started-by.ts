import type { IExecuteFunctions } from 'n8n-workflow';

import type { refusalError } from '../errors';
import { runsAsTool } from './agent';
import { AGENT_REFUSAL } from './sentences';

const AS_TOOL = 'the node runs as an AI agent’s tool';

/*
 * Whether a person started this execution, for what only a person may do (Transfer Reference →
 * Resolve). n8n marks an execution by its mode, and from n8n 1.1xx by an execution context that a
 * sub-workflow inherits (source, trigger node, parent execution). What n8n does not tell apart
 * is refused: docs/ai-agent.md lists what each sign covers.
 */

/**
 * The modes a person starts: the editor, `n8n execute`, a webhook call, a trigger (a schedule,
 * an app event). Every other mode is refused: `integrated` (a sub-workflow, run by Execute
 * Workflow or by an agent's Call n8n Workflow Tool: n8n marks both alike), `chat`, `agent`,
 * `evaluation`, `retry`, `error`, `internal`, and any mode a later n8n adds.
 */
const PERSON_MODES: ReadonlySet<string> = new Set(['manual', 'cli', 'webhook', 'trigger']);

/** Nodes through which a model's words reach a workflow: n8n's AI (LangChain) package, its MCP and chat triggers. */
const AGENT_NODE = /^@n8n\/n8n-nodes-langchain\.|mcpTrigger$|chatTrigger$/i;

/** The execution's own marks, as n8n's context gives them (each may be absent in older n8n). */
type ExecutionSigns = Pick<IExecuteFunctions, 'getNode'> &
	Partial<Pick<IExecuteFunctions, 'getMode' | 'getExecutionContext' | 'getParentNodes'>>;

/**
 * Why this execution may have been started by an agent, in words for a person, or undefined when
 * a person started it. Without a mode (an n8n that gives none) the answer is the safe one.
 */
export function agentMayHaveStarted(ctx: ExecutionSigns): string | undefined {
	const node = ctx.getNode();
	if (runsAsTool(node)) return AS_TOOL;
	const mode = ctx.getMode?.();
	if (mode === undefined) return 'n8n does not say how this execution was started';
	if (!PERSON_MODES.has(mode))
		return mode === 'integrated'
			? 'this is a sub-workflow, and n8n marks one called by an agent’s Call n8n Workflow Tool the same as one called by Execute Workflow'
			: `this execution was started as "${mode}", not by a person`;
	const context = ctx.getExecutionContext?.();
	if (context?.parentExecutionId !== undefined)
		return 'this execution was started by another execution';
	if (context !== undefined && !PERSON_MODES.has(context.source))
		return `this execution was started as "${context.source}", not by a person`;
	const trigger = context?.triggerNode?.type;
	if (trigger !== undefined && AGENT_NODE.test(trigger))
		return `this execution was started by ${trigger}`;
	const upstream = ctx.getParentNodes?.(node.name) ?? [];
	const agent = upstream.find((parent) => AGENT_NODE.test(parent.type));
	if (agent !== undefined)
		return `a model's output can reach this node through "${agent.name}" (${agent.type})`;
	return undefined;
}

/** The refusal of Resolve in an execution a person may not have started: why, and what to do. */
export function resolveRefusal(why: string, itemIndex: number): Parameters<typeof refusalError>[1] {
	const asTool = why === AS_TOOL;
	return {
		code: 'RESOLVE_AS_TOOL',
		itemIndex,
		person: {
			message: asTool
				? 'Transfer Reference → Resolve is refused when the node runs as an AI agent’s tool.'
				: `Transfer Reference → Resolve runs only in an execution a person started: ${why}.`,
			description: asTool
				? 'Only a person may decide whether a transfer happened.'
				: 'Only a person may decide whether a transfer happened, and n8n cannot show that one did here. Run Resolve from the editor, `n8n execute`, a trigger or a webhook of a workflow no agent reaches (docs/ai-agent.md). Nothing was changed.',
		},
		agent: AGENT_REFUSAL.resolveAsTool,
	};
}
