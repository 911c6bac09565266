/**
 * The example workflows of the reads, for index.ts: the chain examples/merge-card-balances (Get
 * Many, numbers masked -> n8n's Filter -> Transfer Balance By PAR Token into the main card, then
 * Card > Get)
 * and examples/check-then-delete-bank-account, run twice. The outputs a secret must not appear in
 * are pushed to `outputs`.
 */
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { maskCardNo as masked } from '../../../../nodes/Konaplate/wire/redact';
import { MERGE_MEMBER } from '../../../../emulator/data';
import { parOf } from '../../../../emulator/ids';
import { assert } from '../../checks';
import type { GroupContext } from '../../group';
import { emulatorReceived } from '../../expect';
import type { OutputItem } from '../../n8n/run-data';
import { MERGE, only, WORKFLOWS } from './workflows';

export async function exampleChecks(
	{ checks, srv, emulator, credential, ex, runExample }: GroupContext,
	outputs: OutputItem[],
): Promise<void> {
	await checks.check(
		'chain merge-card-balances: Get Many (masked) -> Filter ACTIVE with a balance -> Transfer Balance By PAR Token of 3 cards into the main card, one card list read; Card > Get shows 17,000',
		async () => {
			const wf = ex('merge-card-balances.json');
			const e = await runExample(wf);
			const cards = only(e, "Get the Member's Cards");
			assert.equal(cards.length, 6);
			assert.equal(cards[0].cardNo, masked(MERGE.main), 'card numbers stay masked');
			assert.equal(cards[0].par, parOf(MERGE.main));
			const kept = only(e, 'ACTIVE Cards with a Balance, Except the Main Card');
			assert.deepEqual(
				kept.map((c) => c.par),
				[MERGE.gift, MERGE.plastic, MERGE.debit].map(parOf),
			);
			const transfers = only(e, 'Move Each Balance into the Main Card');
			outputs.push(...cards, ...transfers);
			assert.deepEqual(
				transfers.map((t) => [t.fromCardNo, t.toCardNo, t.amount, t.transferEntireBalance]),
				[
					[masked(MERGE.gift), masked(MERGE.main), 3000, true],
					[masked(MERGE.plastic), masked(MERGE.main), 2500, true],
					[masked(MERGE.debit), masked(MERGE.main), 1500, true],
				],
			);
			// Get Many's read, then the transfer node's one read of the member's cards for its PARs
			await emulatorReceived(emulator, credential, [
				...[1, 2].map(() => ({
					path: ENDPOINT.cardList,
					code: '000_000',
					body: { userId: Number(MERGE_MEMBER) },
				})),
				...[MERGE.gift, MERGE.plastic, MERGE.debit].map((from) => ({
					path: ENDPOINT.transfer,
					code: '000_000',
					body: { userId: Number(MERGE_MEMBER), fromCardNo: from, toCardNo: MERGE.main, amount: 0 },
				})),
			]);
			const { cards: balances } = await emulator.state();
			assert.deepEqual(
				[MERGE.main, MERGE.gift, MERGE.plastic, MERGE.empty, MERGE.inactive, MERGE.debit].map(
					(c) => balances[c],
				),
				[17000, 0, 0, 0, 4000, 0],
			);
			const after = only(await srv.runManually(WORKFLOWS.mainCard.id), 'Read');
			assert.equal(after[0].balance, 17000, 'the read after the transfers');
			assert.equal(after[0].cardNo, MERGE.main);
		},
	);

	await checks.check(
		'check-then-delete-bank-account: masked account, then deleted; again -> 007_001 to the error branch, nothing deleted',
		async () => {
			const wf = ex('check-then-delete-bank-account.json');
			const first = await runExample(wf);
			const [account] = only(first, 'Get the Registered Account');
			outputs.push(account);
			assert.deepEqual(
				{
					...account,
					correlationId: undefined,
					accountInfo: { ...account.accountInfo, accountId: undefined },
				},
				{
					userId: MERGE_MEMBER,
					correlationId: undefined,
					accountInfo: {
						accountId: undefined,
						userName: '김*나',
						bankCode: '088',
						bankName: 'Shinhan Bank',
						bankAccount: '**********5566',
					},
				},
			);
			const [deleted] = only(first, 'Delete the Account');
			assert.deepEqual([deleted.deleted, deleted.userId], [true, MERGE_MEMBER]);
			assert.equal(first.nodes['No Account Registered'], undefined, 'the error branch ran');
			await emulatorReceived(emulator, credential, [
				{
					path: ENDPOINT.accountInfo,
					code: '000_000',
					correlationId: account.correlationId,
					body: { userId: Number(MERGE_MEMBER) },
				},
				{
					path: ENDPOINT.delete,
					code: '000_000',
					correlationId: deleted.correlationId,
					body: { userId: Number(MERGE_MEMBER) },
				},
			]);
			const again = await srv.runManually(wf.id);
			assert.equal(again.status, 'success', JSON.stringify(again.error));
			const [none] = again.nodes['Get the Registered Account'].outputs[1];
			outputs.push(none);
			assert.equal(none.error.message, '007_001: Bank account not found.');
			assert.equal(none.error.code, '007_001');
			assert.equal(again.nodes['Delete the Account'], undefined, 'a delete was attempted');
			assert.equal(again.nodes['No Account Registered'].items.length, 1);
		},
	);
}
