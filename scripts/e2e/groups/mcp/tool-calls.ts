/**
 * The calls an agent makes through the MCP server of examples/mcp-server-tools, for index.ts once
 * the tool list check connected the client: a transfer, the same call again, a limit refusal,
 * how n8n records the refused call, a Konaplate refusal, a read, and the contradictory call on
 * the second MCP server (Transfer Entire Balance set by the agent). Each result goes to the
 * session's transcript.
 */
import { CORRELATION_ID_PATTERN as CORRELATION_ID } from '../../../../nodes/Konaplate/wire/clock';
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { maskCardNo as masked } from '../../../../nodes/Konaplate/wire/redact';
import { CARDS, MEMBER } from '../../../../emulator/data';
import { assert } from '../../checks';
import { CORRELATION_ID_IN_TEXT, emulatorReceived, INITIAL } from '../../expect';
import { connect, waitForMcp } from './session';
import type { McpSession, ToolArgs } from './session';
import { ENTIRE } from './workflows';

const TRANSFER_PATH = ENDPOINT.transfer;
const CARD_INFO_PATH = ENDPOINT.cardInfo;
/** The agent's later orders, each its own reference (the first order is the session's `args()`). */
const ORDER = {
	aboveLimit: { amount: 150000, reference: 'e2e-mcp-order-2' },
	aboveBalance: { amount: 60000, reference: 'e2e-mcp-order-3' },
	contradictory: { transferEntireBalance: true, amount: 100, reference: 'e2e-mcp-order-4' },
};

export async function toolCallChecks(session: McpSession): Promise<void> {
	const { checks, srv, emulator, credential, example, transferTool, cardTool } = session;
	const { balancesAreNow, transferBody, args, toolResult, toolError } = session;
	const client = session.client!;
	/** The agent's first order, a transfer of 1,200 KRW; made twice, as an agent retrying would. */
	const orderOne = async (key: string) => await toolResult(client, transferTool.name, args(), key);
	/** A transfer on the example's server, these arguments changed, that must come back as a tool error. */
	const refusedTransfer = async (fields: ToolArgs, key: string) =>
		await toolError(client, transferTool.name, args(fields), key);

	await checks.check(
		'MCP: a transfer of 1,200 KRW -> isError false, masked cards, amount, reference; 1 signed request; balances moved',
		async () => {
			await emulator.reset();
			const out = await orderOne('transfer');
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
			const out = await orderOne('retry');
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
			const text = await refusedTransfer(ORDER.aboveLimit, 'limitRefusal');
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
			const text = await refusedTransfer(ORDER.aboveBalance, 'konaplateRefusal');
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
			const out = await toolResult(client, cardTool.name, { cardNo: CARDS.main }, 'read');
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
					args(ORDER.contradictory),
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
}
