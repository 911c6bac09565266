/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test tool: it writes the MCP transcript to disk */
/**
 * The node as an AI agent's tool in a real n8n, for npm run test:e2e: examples/mcp-server-tools
 * (n8n's MCP Server Trigger with bearer authentication, the Konaplate tools connected as ai_tool)
 * activated, and driven by the official MCP TypeScript SDK client over Streamable HTTP, the way
 * an agent calls it, with no model in between. A second MCP server lets the agent set Transfer
 * Entire Balance, for the contradictory call. run-e2e.js imports `credentials()` and
 * `workflows(examples)` with the others and calls `run(context)` once n8n is started.
 * What the client received is written to test-artifacts/mcp-transcript.json, verbatim.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

// The SDK publishes these paths through package.json `exports`, which the lint's import resolver does not read (tsc does).
// eslint-disable-next-line import-x/no-unresolved
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
// eslint-disable-next-line import-x/no-unresolved
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { TOOL_DESCRIPTION } from '../../nodes/Konaplate/actions/tool';
import { CORRELATION_ID_PATTERN as CORRELATION_ID } from '../../nodes/Konaplate/wire/clock';
import { ENDPOINT } from '../../nodes/Konaplate/wire/endpoints';
import { maskCardNo as masked } from '../../nodes/Konaplate/wire/fields';
import { CARDS, MEMBER } from '../../emulator/data';
import { PACKAGE_ROOT } from '../lib/package-root';
import { assert } from './checks';
import type { Checks } from './checks';
import type { Emulator } from './emulator-process';
import { balancesAre, CORRELATION_ID_IN_TEXT, emulatorReceived, INITIAL } from './expect';
import type { EmulatorCredential } from './instance';
import {
	BEARER,
	ENTIRE,
	EXAMPLE,
	isTransferTool,
	MCP_TRIGGER,
	nodeWhere,
	TOOL_TYPE,
} from './mcp-workflows';
import type { Workflow } from './n8n/home';
import type { N8nServer } from './n8n/server';

const TRANSFER_PATH = ENDPOINT.transfer;
const CARD_INFO_PATH = ENDPOINT.cardInfo;
export const TRANSCRIPT = path.join(PACKAGE_ROOT, 'test-artifacts', 'mcp-transcript.json');

/** A tool result as the SDK client hands it over, as far as the checks read it. */
interface ToolResult {
	isError?: boolean;
	content: Array<{ type: string; text: string }>;
}

/** A JSON Schema property of a tool's input. */
interface SchemaProperty {
	type?: string;
	description?: string;
}

/** POST without the token: 404 until n8n registered the MCP webhook, then 401/403 (authentication on). */
async function waitForMcp(
	baseUrl: string,
	mcpPath: string,
	{ timeoutMs = 20000 }: { timeoutMs?: number } = {},
): Promise<number> {
	const t0 = Date.now();
	for (;;) {
		const res = await fetch(`${baseUrl}/mcp/${mcpPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		await res.text();
		if (res.status !== 404) return res.status;
		if (Date.now() - t0 > timeoutMs)
			throw new Error(`MCP server /mcp/${mcpPath} not registered after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function connect(baseUrl: string, mcpPath: string): Promise<Client> {
	const client = new Client({ name: 'konaplate-e2e', version: '1.0.0' });
	const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp/${mcpPath}`), {
		requestInit: { headers: { Authorization: `Bearer ${BEARER.data.token}` } },
	});
	await client.connect(transport);
	return client;
}

/** The one text block of a tool result. */
function textOf(result: ToolResult): string {
	assert.equal(result.content.length, 1, JSON.stringify(result));
	assert.equal(result.content[0].type, 'text');
	return result.content[0].text;
}

/** A successful transfer as the agent receives it: one result object. */
function transferResult(result: ToolResult): Record<string, unknown> & { correlationId: string } {
	assert.notEqual(result.isError, true, `a tool error: ${JSON.stringify(result)}`);
	const parsed = JSON.parse(textOf(result)) as Record<string, unknown> & { correlationId: string };
	return Array.isArray(parsed) ? (assert.equal(parsed.length, 1), parsed[0]) : parsed;
}

export async function run({
	checks,
	srv,
	emulator,
	credential,
	examples,
}: {
	checks: Checks;
	srv: N8nServer;
	emulator: Emulator;
	credential: EmulatorCredential;
	examples: Record<string, Workflow>;
}): Promise<void> {
	const example = examples[EXAMPLE];
	const trigger = nodeWhere(example, (n) => n.type === MCP_TRIGGER, 'MCP trigger');
	const mcpPath = String(trigger.parameters.path);
	const transferTool = nodeWhere(example, isTransferTool, 'transfer tool');
	const cardTool = nodeWhere(
		example,
		(n) => n.type === TOOL_TYPE && n.parameters.operation === 'get',
		'card tool',
	);
	const transcript: Record<string, unknown> = {};
	const balancesAreNow = (changes: Record<string, number>) => balancesAre(emulator, changes);
	const transferBody = (amount: number, from: string = CARDS.main) => ({
		userId: Number(MEMBER),
		fromCardNo: from,
		toCardNo: CARDS.second,
		amount,
	});
	const args = (fields: Record<string, unknown> = {}) => ({
		userId: MEMBER,
		fromCardNo: CARDS.main,
		toCardNo: CARDS.second,
		amount: 1200,
		reference: 'e2e-mcp-order-1',
		...fields,
	});
	let client: Client | undefined;
	/** A call that must come back as a tool error, from an emulator just reset: its text. */
	const toolError = async (
		on: Client,
		name: string,
		callArgs: Record<string, unknown>,
		key: string,
	) => {
		await emulator.reset();
		const result = (await on.callTool({ name, arguments: callArgs })) as ToolResult;
		transcript[key] = result;
		assert.equal(result.isError, true, JSON.stringify(result));
		return textOf(result);
	};

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
				client = connected;
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

		await checks.check(
			'MCP: a transfer of 1,200 KRW -> isError false, masked cards, amount, reference; 1 signed request; balances moved',
			async () => {
				await emulator.reset();
				const result = (await client!.callTool({
					name: transferTool.name,
					arguments: args(),
				})) as ToolResult;
				transcript.transfer = result;
				const out = transferResult(result);
				assert.deepEqual(out, {
					transferred: true,
					userId: MEMBER,
					fromCardNo: masked(CARDS.main),
					toCardNo: masked(CARDS.second),
					transferEntireBalance: false,
					amount: 1200,
					correlationId: out.correlationId,
					reference: 'e2e-mcp-order-1',
				});
				assert.match(out.correlationId, CORRELATION_ID);
				await emulatorReceived(emulator, credential, [
					{
						path: TRANSFER_PATH,
						code: '000_000',
						correlationId: out.correlationId,
						body: transferBody(1200),
					},
				]);
				await balancesAreNow({ [CARDS.main]: 48800, [CARDS.second]: 11200 });
			},
		);

		await checks.check(
			'MCP: the same call again (an agent retrying) -> alreadyTransferred, nothing sent',
			async () => {
				const before = (await emulator.requests()).length;
				const result = (await client!.callTool({
					name: transferTool.name,
					arguments: args(),
				})) as ToolResult;
				transcript.retry = result;
				const out = transferResult(result);
				assert.deepEqual(out, {
					alreadyTransferred: true,
					reference: 'e2e-mcp-order-1',
					userId: MEMBER,
					fromCardNo: masked(CARDS.main),
					toCardNo: masked(CARDS.second),
					transferEntireBalance: false,
					requestedAmount: 1200,
				});
				assert.equal((await emulator.requests()).length, before, 'the retry was sent');
				await balancesAreNow({ [CARDS.main]: 48800, [CARDS.second]: 11200 });
			},
		);

		await checks.check(
			"MCP: 150,000 KRW above the tool limit -> isError true, LIMIT_AMOUNT_PER_TRANSFER in the agent's terms, nothing sent",
			async () => {
				const text = await toolError(
					client!,
					transferTool.name,
					args({ amount: 150000, reference: 'e2e-mcp-order-2' }),
					'limitRefusal',
				);
				assert.match(
					text,
					/Refused \(LIMIT_AMOUNT_PER_TRANSFER\), nothing was sent: amount 150,000 KRW is above this tool's limit of 100,000 KRW per transfer\. Do not split it/,
				);
				assert.doesNotMatch(text, /\bitem\b|Options >/i);
				await emulatorReceived(emulator, credential, []);
			},
		);

		const savesFailedCalls = srv.features.savesFailedToolCalls;
		await checks.check(
			`MCP: n8n records the refused call ${savesFailedCalls ? 'as a successful execution of the trigger workflow' : 'in no execution, while the transfer call has one'} (README: judge tools by their results)`,
			async () => {
				// Each tool call is an execution of its own, saved once it has finished
				const runHolding = async (words: string) => {
					const list = await srv.api<{ data: Array<{ id: string }> }>(
						'GET',
						`/executions?workflowId=${example.id}&limit=20`,
					);
					for (const { id } of list.data) {
						const execution = await srv.getExecution(id);
						const runs = execution.data.resultData.runData?.[transferTool.name] ?? [];
						if (runs.some((r) => JSON.stringify(r).includes(words))) return execution;
					}
					return undefined;
				};
				const waitFor = async (words: string) => {
					let execution: Awaited<ReturnType<typeof runHolding>>;
					for (let tries = 0; execution === undefined && tries < 50; tries++) {
						execution = await runHolding(words);
						if (execution === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
					}
					return execution;
				};
				if (savesFailedCalls) {
					const execution = await waitFor('LIMIT_AMOUNT_PER_TRANSFER');
					assert.ok(execution, 'no execution holds the refused call');
					assert.equal(
						execution.status,
						'success',
						JSON.stringify({ status: execution.status, error: execution.error }),
					);
					return;
				}
				// n8n 1.x: the earlier successful call is saved, so executions are saved; the refused one is not
				const transferred = await waitFor('"transferred":true');
				assert.ok(transferred, 'no execution holds the successful transfer call');
				assert.equal(
					await runHolding('LIMIT_AMOUNT_PER_TRANSFER'),
					undefined,
					'an execution holds the refused call',
				);
			},
		);

		await checks.check(
			'MCP: a Konaplate refusal (60,000 KRW, more than the balance) -> isError true with 005_018, its meaning and the correlation id',
			async () => {
				const text = await toolError(
					client!,
					transferTool.name,
					args({ amount: 60000, reference: 'e2e-mcp-order-3' }),
					'konaplateRefusal',
				);
				const m = new RegExp(
					`005_018: There is not enough balance to transfer\\. The amount asked for is more than the balance of the card to transfer from\\. \\(HTTP 400, correlation id (${CORRELATION_ID_IN_TEXT})\\)`,
				).exec(text);
				assert.ok(m, text);
				assert.doesNotMatch(text, /\bitem\b/i);
				await emulatorReceived(emulator, credential, [
					{ path: TRANSFER_PATH, code: '005_018', correlationId: m[1], body: transferBody(60000) },
				]);
				await balancesAreNow({});
			},
		);

		await checks.check(
			'MCP: get_card reads the balance (masked card number), 1 request',
			async () => {
				await emulator.reset();
				const result = (await client!.callTool({
					name: cardTool.name,
					arguments: { cardNo: CARDS.main },
				})) as ToolResult;
				transcript.read = result;
				const out = transferResult(result);
				assert.equal(out.cardNo, masked(CARDS.main));
				assert.equal(out.balance, INITIAL[CARDS.main]);
				assert.equal(out.cardStatus, 'ACTIVE');
				await emulatorReceived(emulator, credential, [
					{
						path: CARD_INFO_PATH,
						code: '000_000',
						correlationId: out.correlationId,
						body: { cardNo: CARDS.main },
					},
				]);
			},
		);

		await checks.check(
			'MCP: the contradictory call (transferEntireBalance true, amount 100; no limits, On Error = Continue) -> isError true, ENTIRE_BALANCE_WITH_AMOUNT, nothing sent',
			async () => {
				await srv.activate(ENTIRE.id);
				await waitForMcp(srv.baseUrl, ENTIRE.path);
				const other = await connect(srv.baseUrl, ENTIRE.path);
				try {
					const { tools } = await other.listTools();
					assert.deepEqual(Object.keys(tools[0].inputSchema.properties ?? {}).sort(), [
						'amount',
						'fromCardNo',
						'reference',
						'toCardNo',
						'transferEntireBalance',
						'userId',
					]);
					const text = await toolError(
						other,
						ENTIRE.tool,
						args({ transferEntireBalance: true, amount: 100, reference: 'e2e-mcp-order-4' }),
						'contradictory',
					);
					assert.match(
						text,
						/Refused \(ENTIRE_BALANCE_WITH_AMOUNT\), nothing was sent: transferEntireBalance is true and amount is 100 KRW, so it is unclear whether to move that amount or the whole balance/,
					);
					await emulatorReceived(emulator, credential, []);
					await balancesAreNow({});
				} finally {
					await other.close();
				}
			},
		);
	} finally {
		if (client) await client.close();
		mkdirSync(path.dirname(TRANSCRIPT), { recursive: true });
		writeFileSync(TRANSCRIPT, `${JSON.stringify(transcript, null, 2)}\n`);
	}
}
