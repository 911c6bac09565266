/**
 * Issue 29, item 4(a) in a real n8n, through the MCP server of examples/mcp-server-tools: an agent
 * cannot settle an unknown outcome. A transfer whose answer is HTTP 502 (Konaplate moved the
 * money, the node cannot know), then the same member, cards and amount under a new reference:
 * refused (LEDGER_SAME_TRANSFER_UNKNOWN) naming the first reference, and the emulator receives no
 * second transfer. For index.ts, after the other tool calls (this leaves a reference unknown).
 */
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { CARDS } from '../../../../emulator/data';
import { assert } from '../../checks';
import { emulatorReceived } from '../../expect';
import { textOf } from './session';
import type { McpSession, ToolResult } from './session';

/** The agent's order whose answer is lost, and its "retry" under a reference of its own. */
const ORDER = {
	lost: { amount: 1300, reference: 'e2e-mcp-order-5' },
	retried: { amount: 1300, reference: 'e2e-mcp-order-6' },
};

export async function sameTransferCheck(session: McpSession): Promise<void> {
	const { checks, emulator, credential, transferTool, transferBody, args, toolError } = session;
	const client = session.client!;

	await checks.check(
		'MCP: a transfer answered HTTP 502 (outcome unknown), then the same member, cards and amount under a new reference -> isError true, LEDGER_SAME_TRANSFER_UNKNOWN naming the first reference, no second transfer sent',
		async () => {
			await emulator.reset();
			await emulator.script([{ status: 502, body: '<html>Bad Gateway</html>' }]);
			const lost = (await client.callTool({
				name: transferTool.name,
				arguments: args(ORDER.lost),
			})) as ToolResult;
			session.transcript.outcomeUnknown = lost;
			assert.equal(lost.isError, true, JSON.stringify(lost));
			assert.match(textOf(lost), /may or may not have gone through/);
			assert.match(textOf(lost), /Its reference "e2e-mcp-order-5" stays marked as outcome unknown/);
			await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.transfer, code: '000_000', body: transferBody(ORDER.lost.amount) },
			]);

			const text = await toolError(client, transferTool.name, args(ORDER.retried), 'sameTransfer');
			assert.match(
				text,
				/Refused \(LEDGER_SAME_TRANSFER_UNKNOWN\), nothing was sent: an earlier transfer of the same member, cards and amount \(reference "e2e-mcp-order-5"\) may or may not have gone through/,
			);
			assert.match(text, /Transfer Reference → Get/);
			assert.match(text, /Transfer Reference → Resolve/);
			assert.doesNotMatch(text, new RegExp(CARDS.main));
			await emulatorReceived(emulator, credential, []);
		},
	);
}
