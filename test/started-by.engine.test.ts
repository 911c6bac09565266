import { ExecuteContext } from 'n8n-core';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import type { INode, IWorkflowExecuteAdditionalData, WorkflowExecuteMode } from 'n8n-workflow';

import { agentMayHaveStarted } from '../nodes/Konaplate/tool/started-by';
import { Engine, KONAPLATE_NODE_TYPE, KONAPLATE_TOOL_TYPE } from '../scripts/engine/engine';
import { useKonaplate, WORKFLOWS } from './helpers/konaplate';
import { useLedgerStore } from './helpers/ledger';

/*
 * Issue 29, item 4(b): Transfer Reference → Resolve runs only in an execution a person started.
 * The signs are read from n8n-core's own ExecuteContext, as n8n builds it for each mode and
 * execution context; the refusal itself through the engine.
 */
const kona = useKonaplate();
useLedgerStore();

const RESOLVE: INode = {
	id: 'r',
	name: 'Resolve',
	type: KONAPLATE_NODE_TYPE,
	typeVersion: 1,
	position: [0, 0],
	parameters: { resource: 'transferReference', operation: 'resolve' },
};

let engine: Engine;
beforeAll(async () => {
	engine = await Engine.load();
});

/** n8n-core's context of the Resolve node, with `upstream` nodes before it. */
function contextOf(
	mode: WorkflowExecuteMode,
	runtime?: Record<string, unknown>,
	upstream: INode[] = [],
	node: INode = RESOLVE,
) {
	const nodes = [...upstream, node];
	const connections = Object.fromEntries(
		upstream.map((from, i) => [
			from.name,
			{ main: [[{ node: nodes[i + 1].name, type: 'main' as const, index: 0 }]] },
		]),
	);
	// n8n's AI package is not installed here: the Workflow only needs some type for its graph
	const known = engine.nodeTypes;
	const nodeTypes = {
		...known,
		getByNameAndVersion: (type: string, version?: number) =>
			known.getByNameAndVersion(type.startsWith('@n8n/') ? KONAPLATE_NODE_TYPE : type, version),
	};
	const workflow = new Workflow({ nodes, connections, nodeTypes, active: false });
	const run = createRunExecutionData({});
	if (runtime !== undefined)
		(run.executionData as { runtimeData?: unknown }).runtimeData = {
			version: 1,
			establishedAt: 0,
			...runtime,
		};
	return new ExecuteContext(
		workflow,
		node,
		{} as IWorkflowExecuteAdditionalData,
		mode,
		run,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: { main: [[{ json: {} }]] }, source: null },
		[],
	);
}

describe('who started the execution', () => {
	it.each(['manual', 'cli', 'webhook', 'trigger'] as WorkflowExecuteMode[])(
		'%s: a person (the editor, n8n execute, a webhook, a trigger)',
		(mode) => expect(agentMayHaveStarted(contextOf(mode))).toBeUndefined(),
	);

	it.each([
		'integrated',
		'chat',
		'agent',
		'evaluation',
		'retry',
		'error',
		'internal',
	] as WorkflowExecuteMode[])('%s: maybe an agent, refused', (mode) =>
		expect(agentMayHaveStarted(contextOf(mode))).toBeDefined(),
	);

	it('a sub-workflow: refused, whoever called it (n8n marks the Call n8n Workflow Tool as Execute Workflow)', () => {
		expect(agentMayHaveStarted(contextOf('integrated'))).toMatch(/Call n8n Workflow Tool/);
	});

	it('the execution context of n8n 1.1xx and 2.x: a parent execution, an agent source, an MCP or chat trigger', () => {
		expect(
			agentMayHaveStarted(contextOf('webhook', { source: 'webhook', parentExecutionId: '7' })),
		).toMatch(/another execution/);
		expect(agentMayHaveStarted(contextOf('webhook', { source: 'chat' }))).toMatch(/"chat"/);
		expect(
			agentMayHaveStarted(
				contextOf('webhook', {
					source: 'webhook',
					triggerNode: { name: 'MCP', type: '@n8n/n8n-nodes-langchain.mcpTrigger' },
				}),
			),
		).toMatch(/mcpTrigger/);
		expect(
			agentMayHaveStarted(
				contextOf('webhook', {
					source: 'webhook',
					triggerNode: { name: 'Hook', type: 'n8n-nodes-base.webhook' },
				}),
			),
		).toBeUndefined();
	});

	it("a model's output upstream (an AI Agent node before Resolve): refused", () => {
		const agent: INode = {
			id: 'a',
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		expect(agentMayHaveStarted(contextOf('manual', undefined, [agent]))).toMatch(/AI Agent/);
	});

	it('the Tool variant of the node: refused as before', () => {
		expect(
			agentMayHaveStarted(
				contextOf('manual', undefined, [], { ...RESOLVE, type: KONAPLATE_TOOL_TYPE }),
			),
		).toMatch(/tool/);
	});
});

describe('Resolve through the engine', () => {
	it('started by a person (the engine runs as the editor does): Resolve reads the ledger', async () => {
		const { error } = await kona.output(WORKFLOWS.transferReferenceResolve, [
			{ reference: 'never-sent', decision: 'markNotTransferred' },
		]);
		expect(error?.context).toMatchObject({ refusal: 'RESOLVE_NOT_UNKNOWN' });
	});
});
