/**
 * The MCP workflows of the e2e suite: examples/mcp-server-tools with its bearer token credential,
 * and a second MCP server whose transfer tool lets the agent set Transfer Entire Balance.
 */
import { randomBytes } from 'node:crypto';

import type { INode } from 'n8n-workflow';

import { NODE_TYPE } from '../../instance';
import type { CredentialExport, Workflow } from '../../n8n/home';

export const EXAMPLE = 'mcp-server-tools.json';
export const TOOL_TYPE = `${NODE_TYPE}Tool`;
export const MCP_TRIGGER = '@n8n/n8n-nodes-langchain.mcpTrigger';

/** The bearer token credential the example names (n8n export format); a fresh token per run. */
export const BEARER: CredentialExport<{ token: string }> = {
	id: 'konaplateMcpBearer',
	name: 'Konaplate MCP bearer token',
	type: 'httpBearerAuth',
	data: { token: `e2e-${randomBytes(16).toString('hex')}` },
};

export function credentials(): CredentialExport[] {
	return [BEARER];
}

export const ENTIRE = {
	id: 'kpE2eMcpEntireBal01',
	path: 'konaplate-tools-entire',
	tool: 'transfer_any_amount',
};

export function nodeWhere(wf: Workflow, test: (node: INode) => boolean, what: string): INode {
	const node = wf.nodes.find(test);
	if (!node) throw new Error(`${wf.name}: no ${what}`);
	return node;
}

export const isTransferTool = (n: INode) =>
	n.type === TOOL_TYPE && n.parameters.operation === 'transferBalance';

/** The example with its transfer tool letting the agent set Transfer Entire Balance, no limits and On Error = Continue: the contradictory call. */
function entireBalanceServer(example: Workflow): Workflow {
	const wf = JSON.parse(JSON.stringify(example)) as Workflow;
	Object.assign(wf, {
		id: ENTIRE.id,
		name: 'e2e: MCP, a transfer tool whose Transfer Entire Balance the agent sets',
	});
	const trigger = nodeWhere(wf, (n) => n.type === MCP_TRIGGER, 'MCP trigger');
	trigger.parameters.path = ENTIRE.path;
	trigger.webhookId = '6e0c9a1f-3b7d-4c5e-8f2a-1d4b6c8e0b00';
	const transfer = nodeWhere(wf, isTransferTool, 'transfer tool');
	const oldName = transfer.name;
	transfer.name = ENTIRE.tool;
	transfer.id = '6e0c9a1f-3b7d-4c5e-8f2a-1d4b6c8e0b01';
	transfer.parameters.transferEntireBalance =
		"={{ $fromAI('transferEntireBalance', 'true moves the whole balance of fromCardNo, whatever it is', 'boolean') }}";
	transfer.parameters.options = {};
	// Continue On Fail must not hand a refusal to the agent as an ordinary result
	transfer.onError = 'continueRegularOutput';
	wf.nodes = wf.nodes.filter((n) => n === trigger || n === transfer);
	wf.connections = { [ENTIRE.tool]: wf.connections[oldName] };
	return wf;
}

export function workflows(examples: Record<string, Workflow>): Workflow[] {
	return [entireBalanceServer(examples[EXAMPLE])];
}
