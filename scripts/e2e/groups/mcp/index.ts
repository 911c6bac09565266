/**
 * The node as an AI agent's tool in a real n8n, for npm run test:e2e: examples/mcp-server-tools
 * (n8n's MCP Server Trigger with bearer authentication, the Konaplate tools connected as ai_tool)
 * activated, and driven by the official MCP TypeScript SDK client over Streamable HTTP, the way
 * an agent calls it, with no model in between. A second MCP server lets the agent set Transfer
 * Entire Balance, for the contradictory call (workflows.ts, with the bearer token credential).
 * Here: what n8n builds and serves (the tool node type, the activated server, the tool list);
 * the calls an agent makes are in tool-calls.ts (and, last, the retry of an unknown outcome under
 * a new reference in same-transfer.ts), the client and session in session.ts.
 * What the client received is written to test-artifacts/mcp-transcript.json, verbatim.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { TOOL_DESCRIPTION } from '../../../../nodes/Konaplate/tool/description';
import { assert } from '../../checks';
import type { E2eGroup, GroupContext } from '../../group';
import { sameTransferCheck } from './same-transfer';
import { toolCallChecks } from './tool-calls';
import { connect, mcpSession, TRANSCRIPT, waitForMcp } from './session';
import { credentials, TOOL_TYPE, workflows } from './workflows';

/** A JSON Schema property of a tool's input. */
interface SchemaProperty {
	type?: string;
	description?: string;
}

async function run(context: GroupContext): Promise<void> {
	const session = mcpSession(context);
	const { checks, srv, example, trigger, mcpPath, transferTool, cardTool, transcript } = session;

	await checks.check(
		'MCP: n8n builds konaplateTool with the rules in its description (usableAsTool replacements), its Tool Description fields and the set-up notice',
		async () => {
			const res = await fetch(`${srv.baseUrl}/types/nodes.json`, {
				headers: { cookie: srv.cookie ?? '' },
			});
			assert.equal(res.status, 200);
			const tool = (
				(await res.json()) as Array<{
					name: string;
					description: string;
					outputs: unknown;
					properties: Array<{ name: string; default: unknown }>;
				}>
			).find((t) => t.name === TOOL_TYPE);
			assert.ok(tool, `${TOOL_TYPE} not in /types/nodes.json`);
			assert.equal(tool.description, TOOL_DESCRIPTION);
			assert.deepEqual(tool.outputs, ['ai_tool']);
			const names = tool.properties.map((p) => p.name);
			for (const name of ['descriptionType', 'toolDescription', 'toolNotice'])
				assert.ok(names.includes(name), `${name} not among ${names.join(', ')}`);
			assert.equal(
				tool.properties.find((p) => p.name === 'toolDescription')?.default,
				TOOL_DESCRIPTION,
			);
		},
	);

	const ready = await checks.check(
		'MCP: examples/mcp-server-tools activated; without the bearer token n8n refuses the client',
		async () => {
			await srv.activate(example.id);
			const status = await waitForMcp(srv.baseUrl, mcpPath);
			assert.ok([401, 403].includes(status), `a call without the token got HTTP ${status}`);
			assert.equal(trigger.parameters.authentication, 'bearerAuth');
			return true;
		},
	);
	if (!ready) return;

	try {
		await checks.check(
			'MCP (official SDK client, Streamable HTTP): the tool list, each with its description and a described input schema',
			async () => {
				const connected = await connect(srv.baseUrl, mcpPath);
				session.client = connected;
				const { tools } = await connected.listTools();
				transcript.tools = tools;
				assert.deepEqual(
					tools.map((t) => t.name).sort(),
					[cardTool.name, transferTool.name].sort(),
				);
				const transfer = tools.find((t) => t.name === transferTool.name);
				assert.ok(transfer);
				assert.equal(transfer.description, transferTool.parameters.toolDescription);
				const description = transfer.description ?? '';
				for (const rule of [
					'real money',
					'whole KRW',
					'ACTIVE',
					'same member',
					'same reference',
					'100,000 KRW',
				])
					assert.ok(description.includes(rule), `the description lacks "${rule}"`);
				const properties = (transfer.inputSchema.properties ?? {}) as Record<
					string,
					SchemaProperty
				>;
				const required = transfer.inputSchema.required ?? [];
				assert.deepEqual(Object.keys(properties).sort(), [
					'amount',
					'fromCardNo',
					'reference',
					'toCardNo',
					'userId',
				]);
				assert.deepEqual([...required].sort(), Object.keys(properties).sort());
				assert.equal(properties.amount.type, 'number');
				for (const [key, property] of Object.entries(properties))
					assert.ok(
						property.description && property.description.length > 30,
						`${key} has no description`,
					);
				assert.match(properties.reference?.description ?? '', /same reference again when retrying/);
				const card = tools.find((t) => t.name === cardTool.name);
				assert.ok(card);
				assert.match(card.description ?? '', /balance/);
				assert.deepEqual(Object.keys(card.inputSchema.properties ?? {}), ['cardNo']);
			},
		);

		await toolCallChecks(session);
		await sameTransferCheck(session);
	} finally {
		if (session.client) await session.client.close();
		mkdirSync(path.dirname(TRANSCRIPT), { recursive: true });
		writeFileSync(TRANSCRIPT, `${JSON.stringify(transcript, null, 2)}\n`);
	}
}

export const group: E2eGroup = {
	name: 'mcp',
	workflows: ({ examples }) => workflows(examples),
	credentials,
	run: async (context) => {
		await run(context);
		context.notes.push(
			`MCP: what the client received, verbatim: ${path.relative(process.cwd(), TRANSCRIPT)}`,
		);
	},
};
