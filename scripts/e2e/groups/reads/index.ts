/**
 * The three reads in a real n8n, for npm run test:e2e: Card > Get Many, Card > Get, Bank Account >
 * Get, Card > Suspend and Resume (card-status.ts), the chain Get Many (full numbers) -> Filter -> Transfer Balance (examples/merge-card-balances)
 * and examples/check-then-delete-bank-account (in examples.ts), with the workflows made here
 * (workflows.ts); every check goes through its Checks reporter.
 */
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { CORRELATION_ID_PATTERN as CORRELATION_ID } from '../../../../nodes/Konaplate/wire/clock';
import { maskCardNo as masked } from '../../../../nodes/Konaplate/wire/redact';
import {
	initialCards,
	LONG_MEMBER,
	MEMBER,
	MERGE_MEMBER,
	NO_ACCOUNT_MEMBER,
	PHYSICAL_CARD_NO,
} from '../../../../emulator/data';
import { assert } from '../../checks';
import type { E2eGroup, GroupContext } from '../../group';
import { emulatorReceived } from '../../expect';
import type { Workflow } from '../../n8n/home';
import type { OutputItem } from '../../n8n/run-data';
import { CARD_STATUS_WORKFLOW, cardStatusChecks } from './card-status';
import { exampleChecks } from './examples';
import { MAIN, MERGE, only, SECRETS, workflows, WORKFLOWS } from './workflows';

async function run(context: GroupContext): Promise<void> {
	const { checks, srv, emulator, credential, runExample } = context;
	const outputs: OutputItem[] = [];
	/** Runs a read workflow made here: its Read node's items, kept for the closing check. */
	const read = async (wf: Workflow): Promise<OutputItem[]> => {
		const items = only(await runExample(wf), 'Read');
		outputs.push(...items);
		return items;
	};

	await checks.check(
		'reads: Card > Get Many -> 6 items of one member, card and account numbers masked, 1 signed request',
		async () => {
			const items = await read(WORKFLOWS.cards);
			const held = initialCards();
			assert.deepEqual(
				items.map((i) => [i.mobileCardNo, i.mobileCardStatus, i.balance]),
				Object.values(MERGE).map((cardNo) => [
					masked(cardNo),
					held.get(cardNo)?.status,
					held.get(cardNo)?.balance,
				]),
			);
			assert.equal(items[2].physicalCardNo, masked(PHYSICAL_CARD_NO));
			assert.deepEqual(items[5].bankInfo, {
				bankName: 'KB Kookmin Bank',
				accountNo: '**********9876',
			});
			for (const item of items) {
				assert.equal(item.userId, MERGE_MEMBER);
				assert.match(item.correlationId, CORRELATION_ID);
			}
			await emulatorReceived(emulator, credential, [
				{
					path: ENDPOINT.cardList,
					code: '000_000',
					correlationId: items[0].correlationId,
					body: { userId: Number(MERGE_MEMBER) },
				},
			]);
		},
	);

	await checks.check(
		'reads: Card > Get Many keeps a 19-digit member id exact, on the wire and in the output',
		async () => {
			const items = await read(WORKFLOWS.longMember);
			assert.deepEqual(
				items.map((i) => i.userId),
				[LONG_MEMBER, LONG_MEMBER],
			);
			const [request] = await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.cardList, code: '000_000' },
			]);
			assert.equal(request.rawBody, `{"userId":${LONG_MEMBER}}`);
		},
	);

	await checks.check(
		'reads: Card > Get -> balance, status, member; card number and cash-receipt id masked',
		async () => {
			const [item] = await read(WORKFLOWS.card);
			assert.equal(item.userId, MEMBER);
			assert.equal(item.balance, 50000);
			assert.equal(item.cardStatus, 'ACTIVE');
			assert.equal(item.cardNo, masked(MAIN));
			assert.deepEqual(item.cashReceiptInfo, { idNo: '*******5678', manYn: 'Y', approvalDiv: '0' });
			await emulatorReceived(emulator, credential, [
				{
					path: ENDPOINT.cardInfo,
					code: '000_000',
					correlationId: item.correlationId,
					body: { cardNo: MAIN },
				},
			]);
		},
	);

	await checks.check(
		'reads: Bank Account > Get without an account -> 007_001 with Continue, 1 request',
		async () => {
			const [item] = await read(WORKFLOWS.noAccount);
			assert.equal(item.error.message, '007_001: Bank account not found.');
			assert.equal(item.error.code, '007_001');
			assert.match(item.error.description, /no registered bank account/);
			await emulatorReceived(emulator, credential, [
				{
					path: ENDPOINT.accountInfo,
					code: '007_001',
					correlationId: item.error.correlationId,
					body: { userId: Number(NO_ACCOUNT_MEMBER) },
				},
			]);
		},
	);

	await cardStatusChecks(context, outputs);

	await exampleChecks(context, outputs);

	await checks.check(
		'reads: no full card number, account number, cash-receipt id or name in the default outputs; no key in the n8n log',
		() => {
			const text = JSON.stringify(outputs);
			for (const secret of SECRETS)
				assert.ok(!text.includes(secret), 'a secret value appears in a read output');
			for (const key of [credential.data.secretKey, credential.data.accessKey])
				assert.ok(!srv.log.includes(key), 'a key appears in the n8n server log');
			assert.ok(outputs.length >= 12, `only ${outputs.length} outputs collected`);
		},
	);
}

export const group: E2eGroup = {
	name: 'reads',
	workflows: () => [...workflows(), CARD_STATUS_WORKFLOW],
	run,
};
