/**
 * The three reads in a real n8n, for npm run test:e2e: Card > Get Many, Card > Get, Bank Account >
 * Get, the chain Get Many (full numbers) -> Filter -> Transfer Balance (examples/merge-card-balances)
 * and examples/check-then-delete-bank-account. run-e2e.js imports `workflows()` with the others and
 * calls `run(context)` once n8n is started; every check goes through its Checks reporter.
 */
import type { INode } from 'n8n-workflow';

import { ENDPOINT } from '../../nodes/Konaplate/wire/endpoints';
import { CORRELATION_ID_PATTERN as CORRELATION_ID } from '../../nodes/Konaplate/wire/clock';
import { maskCardNo as masked } from '../../nodes/Konaplate/wire/fields';
import {
	CARDS,
	initialMembers,
	LONG_MEMBER,
	MEMBER,
	MERGE_DEBIT_ACCOUNT,
	MERGE_MEMBER,
	MERGE_MEMBER_ACCOUNT,
	MERGE_MEMBER_NAME,
	NO_ACCOUNT_MEMBER,
	PHYSICAL_CARD_NO,
} from '../../emulator/data';
import { assert } from './checks';
import type { SuiteContext } from './context';
import { emulatorReceived } from './expect';
import { CREDENTIAL_TYPE, NODE_TYPE } from './instance';
import type { Workflow } from './n8n/home';
import type { ExecutionSummary, OutputItem } from './n8n/run-data';

const MAIN = CARDS.main;
const MERGE = {
	main: CARDS.mergeMain,
	gift: CARDS.mergeGift,
	plastic: CARDS.mergePlastic,
	empty: CARDS.mergeEmpty,
	inactive: CARDS.mergeInactive,
	debit: CARDS.mergeDebit,
};
const member = initialMembers().get(MEMBER);
/** What the default outputs must never show: full card and account numbers, the cash-receipt id, names. */
const SECRETS = [
	...Object.values(MERGE),
	PHYSICAL_CARD_NO,
	MAIN,
	MERGE_DEBIT_ACCOUNT,
	MERGE_MEMBER_ACCOUNT,
	member?.cashReceiptId,
	MERGE_MEMBER_NAME,
	member?.name,
].filter((secret): secret is string => secret !== undefined);

let made = 0;

/** Manual trigger -> one Konaplate node with these parameters. */
function readWorkflow(
	id: string,
	name: string,
	parameters: INode['parameters'],
	onError?: INode['onError'],
): Workflow {
	const n = String(++made).padStart(12, '0');
	const trigger: INode = {
		parameters: {},
		id: `c2a0e1f4-0000-4b00-8000-${n}`,
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
	};
	const node: INode = {
		parameters: { options: {}, ...parameters },
		id: `c2a0e1f4-0001-4b00-8000-${n}`,
		name: 'Read',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [220, 0],
		credentials: { [CREDENTIAL_TYPE]: { id: 'konaplateEmulator', name: 'Konaplate emulator' } },
		...(onError && { onError }),
	};
	return {
		id,
		name,
		nodes: [trigger, node],
		connections: { Start: { main: [[{ node: 'Read', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const WORKFLOWS = {
	cards: readWorkflow('kpE2eReadCards0001', 'e2e: Card > Get Many', {
		resource: 'card',
		operation: 'getMany',
		userId: MERGE_MEMBER,
	}),
	longMember: readWorkflow('kpE2eReadLongMember', 'e2e: Card > Get Many, 19 digits', {
		resource: 'card',
		operation: 'getMany',
		userId: LONG_MEMBER,
	}),
	card: readWorkflow('kpE2eReadCard00001', 'e2e: Card > Get', {
		resource: 'card',
		operation: 'get',
		cardNo: MAIN,
	}),
	mainCard: readWorkflow('kpE2eReadMainCard01', 'e2e: Card > Get of the main card, full number', {
		resource: 'card',
		operation: 'get',
		cardNo: MERGE.main,
		options: { showFullCardNumbers: true },
	}),
	noAccount: readWorkflow(
		'kpE2eReadNoAccount1',
		'e2e: Bank Account > Get without an account',
		{ resource: 'bankAccount', operation: 'get', userId: NO_ACCOUNT_MEMBER },
		'continueRegularOutput',
	),
};

/** The workflows to import besides the examples. */
export function workflows(): Workflow[] {
	return Object.values(WORKFLOWS);
}

export async function run({
	checks,
	srv,
	emulator,
	credential,
	ex,
	runExample,
}: SuiteContext): Promise<void> {
	const outputs: OutputItem[] = [];
	const only = (execution: ExecutionSummary, name: string): OutputItem[] => {
		assert.equal(
			execution.status,
			'success',
			`execution ${execution.status}: ${JSON.stringify(execution.error)}`,
		);
		return execution.nodes[name].items;
	};

	await checks.check(
		'reads: Card > Get Many -> 6 items of one member, card and account numbers masked, 1 signed request',
		async () => {
			const items = only(await runExample(WORKFLOWS.cards), 'Read');
			outputs.push(...items);
			assert.deepEqual(
				items.map((i) => [i.mobileCardNo, i.mobileCardStatus, i.balance]),
				[
					[masked(MERGE.main), 'ACTIVE', 10000],
					[masked(MERGE.gift), 'ACTIVE', 3000],
					[masked(MERGE.plastic), 'ACTIVE', 2500],
					[masked(MERGE.empty), 'ACTIVE', 0],
					[masked(MERGE.inactive), 'INACTIVE', 4000],
					[masked(MERGE.debit), 'ACTIVE', 1500],
				],
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
			const items = only(await runExample(WORKFLOWS.longMember), 'Read');
			outputs.push(...items);
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
			const [item] = only(await runExample(WORKFLOWS.card), 'Read');
			outputs.push(item);
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
			const [item] = only(await runExample(WORKFLOWS.noAccount), 'Read');
			outputs.push(item);
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

	await checks.check(
		'chain merge-card-balances: Get Many (full numbers) -> Filter ACTIVE with a balance -> Transfer Balance of 3 cards into the main card; Card > Get shows 17,000',
		async () => {
			const wf = ex('merge-card-balances.json');
			const e = await runExample(wf);
			const cards = only(e, "Get the Member's Cards");
			assert.equal(cards.length, 6);
			assert.equal(cards[0].mobileCardNo, MERGE.main, 'Show Full Card Numbers gives whole numbers');
			const kept = only(e, 'ACTIVE Cards with a Balance, Except the Main Card');
			assert.deepEqual(
				kept.map((c) => c.mobileCardNo),
				[MERGE.gift, MERGE.plastic, MERGE.debit],
			);
			const transfers = only(e, 'Move Each Balance into the Main Card');
			outputs.push(...transfers);
			assert.deepEqual(
				transfers.map((t) => [t.fromCardNo, t.toCardNo, t.amount, t.transferEntireBalance]),
				[
					[masked(MERGE.gift), masked(MERGE.main), 3000, true],
					[masked(MERGE.plastic), masked(MERGE.main), 2500, true],
					[masked(MERGE.debit), masked(MERGE.main), 1500, true],
				],
			);
			await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.cardList, code: '000_000', body: { userId: Number(MERGE_MEMBER) } },
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
