/**
 * The MCP session of the e2e suite (index.ts, tool-calls.ts): the official MCP TypeScript SDK
 * client over Streamable HTTP with the bearer token, the reading of its tool results, and the
 * set-up the checks share: the example's trigger and tools, the call arguments, the transcript.
 */
import * as path from 'node:path';

// The SDK publishes these paths through package.json `exports`, which the lint's import resolver does not read (tsc does).
// eslint-disable-next-line import-x/no-unresolved
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
// eslint-disable-next-line import-x/no-unresolved
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { INode } from 'n8n-workflow';

import { CARDS, MEMBER } from '../../../../emulator/data';
import { PACKAGE_ROOT } from '../../../lib/package-root';
import { assert } from '../../checks';
import type { Checks } from '../../checks';
import type { Emulator } from '../../emulator-process';
import { balancesAre, transferBody } from '../../expect';
import type { EmulatorCredential } from '../../instance';
import { BEARER, EXAMPLE, isTransferTool, MCP_TRIGGER, nodeWhere, TOOL_TYPE } from './workflows';
import type { GroupContext } from '../../group';
import type { Workflow } from '../../n8n/home';
import { pollUntil } from '../../n8n/process';
import type { N8nServer } from '../../n8n/server';

export const TRANSCRIPT = path.join(PACKAGE_ROOT, 'test-artifacts', 'mcp-transcript.json');

/** A tool result as the SDK client hands it over, as far as the checks read it. */
export interface ToolResult {
	isError?: boolean;
	content: Array<{ type: string; text: string }>;
}

/** A tool call's arguments. */
export type ToolArgs = Record<string, unknown>;

/** A tool's successful result object, as the agent reads it. */
export type ToolOutput = Record<string, unknown> & { correlationId: string };

/** What index.ts hands its checks: the run's context, the example's nodes and the helpers. */
export interface McpSession {
	checks: Checks;
	srv: N8nServer;
	emulator: Emulator;
	credential: EmulatorCredential;
	example: Workflow;
	trigger: INode;
	mcpPath: string;
	transferTool: INode;
	cardTool: INode;
	/** what the client received, by check; written to TRANSCRIPT */
	transcript: Record<string, unknown>;
	/** the client of the example's MCP server, once the tool list check connected it */
	client?: Client;
	balancesAreNow: (changes: Record<string, number>) => Promise<void>;
	/** the body the emulator must receive for a transfer of this amount */
	transferBody: (
		amount: number,
		from?: string,
	) => { userId: number; fromCardNo: string; toCardNo: string; amount: number };
	/** the transfer tool's arguments, these fields replaced */
	args: (fields?: ToolArgs) => ToolArgs;
	/** A call that must succeed: its one result object; the result goes to the transcript under `key`. */
	toolResult: (on: Client, name: string, callArgs: ToolArgs, key: string) => Promise<ToolOutput>;
	/** A call that must come back as a tool error, from an emulator just reset: its text. */
	toolError: (on: Client, name: string, callArgs: ToolArgs, key: string) => Promise<string>;
}

/** POST without the token: 404 until n8n registered the MCP webhook, then 401/403 (authentication on). */
export async function waitForMcp(
	baseUrl: string,
	mcpPath: string,
	{ timeoutMs = 20000 }: { timeoutMs?: number } = {},
): Promise<number> {
	return await pollUntil(
		async () => {
			const res = await fetch(`${baseUrl}/mcp/${mcpPath}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{}',
			});
			await res.text();
			return res.status !== 404 ? res.status : undefined;
		},
		{
			timeoutMs,
			everyMs: 100,
			timedOut: () => `MCP server /mcp/${mcpPath} not registered after ${timeoutMs} ms`,
		},
	);
}

export async function connect(baseUrl: string, mcpPath: string): Promise<Client> {
	const client = new Client({ name: 'konaplate-e2e', version: '1.0.0' });
	const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp/${mcpPath}`), {
		requestInit: { headers: { Authorization: `Bearer ${BEARER.data.token}` } },
	});
	await client.connect(transport);
	return client;
}

/** The one text block of a tool result. */
export function textOf(result: ToolResult): string {
	assert.equal(result.content.length, 1, JSON.stringify(result));
	assert.equal(result.content[0].type, 'text');
	return result.content[0].text;
}

/** A successful call (a transfer, a read) as the agent receives it: one result object. */
export function transferResult(result: ToolResult): ToolOutput {
	assert.notEqual(result.isError, true, `a tool error: ${JSON.stringify(result)}`);
	const parsed = JSON.parse(textOf(result)) as ToolOutput;
	return Array.isArray(parsed) ? (assert.equal(parsed.length, 1), parsed[0]) : parsed;
}

/** The session over examples/mcp-server-tools, not connected yet. */
export function mcpSession({
	checks,
	srv,
	emulator,
	credential,
	examples,
}: GroupContext): McpSession {
	const example = examples[EXAMPLE];
	const trigger = nodeWhere(example, (n) => n.type === MCP_TRIGGER, 'MCP trigger');
	const transcript: Record<string, unknown> = {};
	/** Calls a tool; what the client received goes to the transcript under `key`. */
	const call = async (on: Client, name: string, callArgs: ToolArgs, key: string) => {
		const result = (await on.callTool({ name, arguments: callArgs })) as ToolResult;
		transcript[key] = result;
		return result;
	};
	return {
		checks,
		srv,
		emulator,
		credential,
		example,
		trigger,
		mcpPath: String(trigger.parameters.path),
		transferTool: nodeWhere(example, isTransferTool, 'transfer tool'),
		cardTool: nodeWhere(
			example,
			(n) => n.type === TOOL_TYPE && n.parameters.operation === 'get',
			'card tool',
		),
		transcript,
		balancesAreNow: (changes) => balancesAre(emulator, changes),
		transferBody: (amount, from = CARDS.main) => transferBody({ from, to: CARDS.second, amount }),
		args: (fields = {}) => ({
			userId: MEMBER,
			fromCardNo: CARDS.main,
			toCardNo: CARDS.second,
			amount: 1200,
			reference: 'e2e-mcp-order-1',
			...fields,
		}),
		toolResult: async (on, name, callArgs, key) =>
			transferResult(await call(on, name, callArgs, key)),
		toolError: async (on, name, callArgs, key) => {
			await emulator.reset();
			const result = await call(on, name, callArgs, key);
			assert.equal(result.isError, true, JSON.stringify(result));
			return textOf(result);
		},
	};
}
