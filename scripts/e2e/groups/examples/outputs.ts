/**
 * The examples' own runs: each output as the Konaplate node gives it (masked cards, correlation
 * id), the error output of error-output-report, what the emulator received and the balances after.
 */
import { CARDS, MEMBER } from '../../../../emulator/data';
import { CORRELATION_ID_PATTERN as CORRELATION_ID } from '../../../../nodes/Konaplate/wire/clock';
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { maskCardNo as masked } from '../../../../nodes/Konaplate/wire/redact';
import { assert } from '../../checks';
import type { GroupContext } from '../../group';
import {
	assertSucceeded,
	balancesAre,
	CORRELATION_ID_IN_TEXT,
	emulatorReceived,
	transferBody,
} from '../../expect';
import type { Transfer } from '../../expect';
import type { OutputItem } from '../../n8n/run-data';
import { konaplateNode } from './workflows';

/** A transfer's output item: its fields, the cards masked, and a correlation id. */
export function assertTransferOutput(
	item: OutputItem,
	{ from, to, amount, entire, reference }: Transfer & { entire: boolean; reference?: string },
): void {
	assert.deepEqual(Object.keys(item).sort(), [
		'amount',
		'correlationId',
		'fromCardNo',
		...(reference === undefined ? [] : ['reference']),
		'toCardNo',
		'transferEntireBalance',
		'transferred',
		'userId',
	]);
	assert.equal(item.transferred, true);
	assert.equal(item.userId, MEMBER);
	assert.equal(item.fromCardNo, masked(from));
	assert.equal(item.toCardNo, masked(to));
	assert.equal(item.transferEntireBalance, entire);
	assert.equal(item.reference, reference);
	assert.equal(item.amount, amount);
	assert.match(item.correlationId, CORRELATION_ID);
}

/** A transfer example and what its one run must give. */
interface TransferExample {
	check: string;
	file: string;
	/** what the output reports, and `sent`: the amount the request carries */
	transfer: Transfer & { entire: boolean; sent: number; reference: string };
	/** the balances after, where they changed */
	balances: Record<string, number>;
}

const TRANSFER_EXAMPLES: TransferExample[] = [
	{
		check:
			'transfer-amount: 5,000 KRW, masked cards, correlation id, 1 signed request, balances moved',
		file: 'transfer-amount.json',
		transfer: {
			from: CARDS.main,
			to: CARDS.second,
			amount: 5000,
			entire: false,
			sent: 5000,
			reference: 'example-transfer-amount-1',
		},
		balances: { [CARDS.main]: 45000, [CARDS.second]: 15000 },
	},
	{
		check: 'transfer-entire-balance: amount 0 sent, 10,000 KRW moved and reported',
		file: 'transfer-entire-balance.json',
		transfer: {
			from: CARDS.second,
			to: CARDS.main,
			amount: 10000,
			entire: true,
			sent: 0,
			reference: 'example-transfer-entire-balance-1',
		},
		balances: { [CARDS.main]: 60000, [CARDS.second]: 0 },
	},
];

export async function exampleOutputChecks(context: GroupContext): Promise<void> {
	const { checks, emulator, credential, ex, runExample, outputs } = context;
	/** Runs a transfer example: one output item, what the emulator received, the balances after. */
	const transferExample = async ({ file, transfer, balances }: TransferExample) => {
		const wf = ex(file);
		const e = await runExample(wf);
		assertSucceeded(e);
		const items = e.nodes[konaplateNode(wf).name].items;
		assert.equal(items.length, 1);
		outputs.push(...items);
		assertTransferOutput(items[0], transfer);
		await emulatorReceived(emulator, credential, [
			{
				path: ENDPOINT.transfer,
				code: '000_000',
				correlationId: items[0].correlationId,
				body: transferBody({ ...transfer, amount: transfer.sent }),
			},
		]);
		await balancesAre(emulator, balances);
	};

	for (const example of TRANSFER_EXAMPLES)
		await checks.check(example.check, async () => await transferExample(example));

	await checks.check(
		'error-output-report: 005_017 to the error output, reported by the Set node with its code',
		async () => {
			const wf = ex('error-output-report.json');
			const e = await runExample(wf);
			assertSucceeded(e);
			const transfer = e.nodes[konaplateNode(wf).name];
			assert.deepEqual(transfer.outputs[0], [], 'success output should be empty');
			const [failed] = transfer.outputs[1];
			outputs.push(failed);
			assert.equal(failed.error.message, '005_017: Possible collection balance is zero.');
			assert.equal(failed.error.code, '005_017');
			assert.equal(failed.error.httpCode, 400);
			assert.equal(failed.error.itemIndex, 0);
			assert.match(failed.error.correlationId, CORRELATION_ID);
			assert.match(
				failed.error.description,
				new RegExp(
					`balance of 0.*\\(HTTP 400, item 0, correlation id ${CORRELATION_ID_IN_TEXT}\\)`,
				),
			);
			assert.equal(e.nodes.Transferred, undefined, 'the success branch ran');
			const [report] = e.nodes['Report the Konaplate code'].items;
			assert.deepEqual(report, {
				failed: true,
				konaplateCode: '005_017',
				message: failed.error.message,
				correlationId: failed.error.correlationId,
			});
			await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.transfer, code: '005_017', correlationId: failed.error.correlationId },
			]);
			await balancesAre(emulator, {});
		},
	);
}
