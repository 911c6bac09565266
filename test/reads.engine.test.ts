import type { IDataObject } from 'n8n-workflow';

import { DOCUMENTED_CODES } from '../nodes/Konaplate/errors';
import { useKonaplate, useEncryptedEmulator, withNode, WORKFLOWS } from './helpers/konaplate';
import { CARDS } from '../emulator/server';
import {
	LONG_MEMBER,
	MAIN_TO_SECOND,
	MEMBER,
	MERGE_DEBIT_ACCOUNT,
	MERGE_MEMBER,
	MERGE_MEMBER_ACCOUNT,
	NO_ACCOUNT_MEMBER,
	PHYSICAL_CARD_NO,
} from '../emulator/data';

const PATH = {
	list: '/api/v1/user/card/list',
	info: '/api/v1/user/card/info',
	account: '/api/v1/bankaccounts/info',
};
const masked = (cardNo: string) => `${cardNo.slice(0, 6)}******${cardNo.slice(-4)}`;
const fullNumbers = (workflow: typeof WORKFLOWS.cardGet) =>
	withNode(workflow, { parameters: { options: { showFullCardNumbers: true } } });

const kona = useKonaplate();
const encrypted = useEncryptedEmulator(kona);

describe('Card > Get Many', () => {
	it('outputs one item per card of the member, card and account numbers masked, each paired with the input item', async () => {
		const { success, error } = await kona.output(WORKFLOWS.cardGetMany, [{ userId: MERGE_MEMBER }]);
		expect(error).toBeUndefined();
		const [request] = kona.emulator.accepted(PATH.list);
		expect(request.rawBody).toBe(`{"userId":${MERGE_MEMBER}}`);
		expect(kona.emulator.requests).toHaveLength(1);
		expect(
			success.map((item) => [
				item.json.mobileCardNo,
				item.json.mobileCardStatus,
				item.json.balance,
			]),
		).toEqual([
			[masked(CARDS.mergeMain), 'ACTIVE', 10_000],
			[masked(CARDS.mergeGift), 'ACTIVE', 3_000],
			[masked(CARDS.mergePlastic), 'ACTIVE', 2_500],
			[masked(CARDS.mergeEmpty), 'ACTIVE', 0],
			[masked(CARDS.mergeInactive), 'INACTIVE', 4_000],
			[masked(CARDS.mergeDebit), 'ACTIVE', 1_500],
		]);
		for (const item of success) {
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(item.json.userId).toBe(MERGE_MEMBER);
			expect(item.json.correlationId).toBe(request.headers['x-km-correlation-id']);
			expect(item.json.par).toMatch(/^[0-9A-Z]{27}$/);
		}
		expect(success[2].json.physicalCardNo).toBe(masked(PHYSICAL_CARD_NO));
		expect(success[5].json.bankInfo).toEqual({
			bankName: 'KB Kookmin Bank',
			accountNo: `**********${MERGE_DEBIT_ACCOUNT.slice(-4)}`,
		});
		expect(success[5].json.limits).toEqual({ day: 1_000_000, once: 500_000, month: 5_000_000 });
		const text = JSON.stringify(success);
		for (const secret of [...Object.values(CARDS), PHYSICAL_CARD_NO, MERGE_DEBIT_ACCOUNT])
			expect(text).not.toContain(secret);
	});

	it('with Show Full Card Numbers, card numbers come out whole; the linked account stays masked', async () => {
		const { success } = await kona.output(fullNumbers(WORKFLOWS.cardGetMany), [
			{ userId: MERGE_MEMBER },
		]);
		expect(success.map((item) => item.json.mobileCardNo)).toContain(CARDS.mergeDebit);
		expect(success[2].json.physicalCardNo).toBe(PHYSICAL_CARD_NO);
		expect(JSON.stringify(success)).not.toContain(MERGE_DEBIT_ACCOUNT);
	});

	it('keeps a 19-digit member id exact, in the request and in every item', async () => {
		const { success } = await kona.output(WORKFLOWS.cardGetMany, [{ userId: LONG_MEMBER }]);
		expect(kona.emulator.accepted(PATH.list)[0].rawBody).toBe(`{"userId":${LONG_MEMBER}}`);
		expect(success.map((item) => item.json.userId)).toEqual([LONG_MEMBER, LONG_MEMBER]);
	});

	it('a member without cards gives no items; several input items give their cards in order, one request each', async () => {
		const { success, error } = await kona.output(WORKFLOWS.cardGetMany, [
			{ userId: NO_ACCOUNT_MEMBER },
			{ userId: LONG_MEMBER },
			{ userId: MERGE_MEMBER },
		]);
		expect(error).toBeUndefined();
		expect(kona.emulator.accepted(PATH.list)).toHaveLength(3);
		expect(success.map((item) => item.pairedItem)).toEqual([
			{ item: 1 },
			{ item: 1 },
			...Array.from({ length: 6 }, () => ({ item: 2 })),
		]);
	});

	it('shows what a transfer changed', async () => {
		await kona.run(WORKFLOWS.transfer, [
			{
				userId: MERGE_MEMBER,
				fromCardNo: CARDS.mergeGift,
				toCardNo: CARDS.mergeMain,
				amount: 1_200,
			},
		]);
		const { success } = await kona.output(WORKFLOWS.cardGetMany, [{ userId: MERGE_MEMBER }]);
		expect(success.slice(0, 2).map((item) => item.json.balance)).toEqual([11_200, 1_800]);
	});

	it('an unknown member: 001_006 with its meaning, the item and the correlation id', async () => {
		const { error } = await kona.output(WORKFLOWS.cardGetMany, [{ userId: '42' }]);
		const [request] = kona.emulator.accepted(PATH.list);
		expect(error?.message).toBe('001_006: Wallet user not found.');
		expect(error?.description).toContain(DOCUMENTED_CODES['001_006'].meaning);
		expect(error?.description).toContain(
			`HTTP 400, item 0, correlation id ${request.headers['x-km-correlation-id']}`,
		);
	});

	it('refuses a user ID that is not 1 to 19 digits before sending anything', async () => {
		const { error } = await kona.output(WORKFLOWS.cardGetMany, [
			{ userId: '12345678901234567890' },
		]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^User ID \(userId\) of item 0 has 20 digits/);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('encrypted: the request goes as a JWE, the encrypted list is read', async () => {
		const { success, error } = await encrypted.output(WORKFLOWS.cardGetMany, [
			{ userId: MERGE_MEMBER },
		]);
		expect(error).toBeUndefined();
		const [request] = encrypted.emulator.accepted(PATH.list);
		expect(request.encrypted).toBe(true);
		expect(request.rawBody).toMatch(/^\{"encData":"[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+"\}$/);
		expect(success).toHaveLength(6);
		expect(success[0].json.mobileCardNo).toBe(masked(CARDS.mergeMain));
	});
});

describe('Card > Get', () => {
	it("outputs the card's balance, status and member; its number and the cash-receipt identifier masked", async () => {
		const { success, error } = await kona.output(WORKFLOWS.cardGet, [{ cardNo: CARDS.main }]);
		expect(error).toBeUndefined();
		const [request] = kona.emulator.accepted(PATH.info);
		expect(request.rawBody).toBe(`{"cardNo":"${CARDS.main}"}`);
		expect(success).toHaveLength(1);
		expect(success[0].json).toEqual({
			userId: MEMBER,
			balance: 50_000,
			cardStatus: 'ACTIVE',
			serviceId: expect.stringMatching(/^SVC[0-9A-F]{12}$/),
			serviceName: 'KONA standard card',
			ownerKa: 'AFF-EMULATOR',
			cashReceiptInfo: { idNo: '*******5678', manYn: 'Y', approvalDiv: '0' },
			isAutoRechargeBeforePayment: false,
			cardNo: masked(CARDS.main),
			correlationId: request.headers['x-km-correlation-id'],
		});
		expect(success[0].pairedItem).toEqual({ item: 0 });
	});

	it('with Show Full Card Numbers, outputs the card number whole; the identifier stays masked', async () => {
		const { success } = await kona.output(fullNumbers(WORKFLOWS.cardGet), [{ cardNo: CARDS.main }]);
		expect(success[0].json.cardNo).toBe(CARDS.main);
		expect(success[0].json.cashReceiptInfo).toEqual({
			idNo: '*******5678',
			manYn: 'Y',
			approvalDiv: '0',
		});
	});

	it('finds a card by its plastic number, a 19-digit member exactly, and a card mapped to no member', async () => {
		const { success } = await kona.output(WORKFLOWS.cardGet, [
			{ cardNo: PHYSICAL_CARD_NO },
			{ cardNo: CARDS.longMemberMain },
			{ cardNo: CARDS.unmapped },
		]);
		expect(success.map((item) => [item.json.userId, item.json.balance, item.pairedItem])).toEqual([
			[MERGE_MEMBER, 2_500, { item: 0 }],
			[LONG_MEMBER, 30_000, { item: 1 }],
			[undefined, 7_000, { item: 2 }],
		]);
		expect('userId' in success[2].json).toBe(false);
	});

	it('shows both balances after a transfer: what the outcome-unknown advice asks to check', async () => {
		await kona.run(WORKFLOWS.transfer, [{ ...MAIN_TO_SECOND, amount: 5_000 }]);
		const { success } = await kona.output(WORKFLOWS.cardGet, [
			{ cardNo: CARDS.main },
			{ cardNo: CARDS.second },
		]);
		expect(success.map((item) => item.json.balance)).toEqual([45_000, 15_000]);
	});

	it('an unknown card: 003_021 with its meaning', async () => {
		const { error } = await kona.output(WORKFLOWS.cardGet, [{ cardNo: '9491339409999999' }]);
		expect(error?.message).toBe('003_021: Cannot find par.');
		expect(error?.description).toContain(DOCUMENTED_CODES['003_021'].meaning);
		expect(error?.context).toMatchObject({ itemIndex: 0, konaplateCode: '003_021' });
	});

	it('refuses a card number that is not 16 digits, naming the parameter, before sending', async () => {
		const { error } = await kona.output(WORKFLOWS.cardGet, [{ cardNo: '9491-3394-0125-0765' }]);
		expect(error?.message).toMatch(/^Card Number \(cardNo\) of item 0 must be exactly 16 digits/);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('refuses a Show Full Card Numbers option that is not true or false', async () => {
		const workflow = withNode(WORKFLOWS.cardGet, {
			parameters: { options: { showFullCardNumbers: '={{ "yes" }}' } },
		});
		const { error } = await kona.output(workflow, [{ cardNo: CARDS.main }]);
		expect(error?.message).toMatch(
			/^Show Full Card Numbers \(options\.showFullCardNumbers\) of item 0 must be true or false/,
		);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('encrypted: request and answer both JWE, the card number never on the wire in the clear', async () => {
		const { success } = await encrypted.output(WORKFLOWS.cardGet, [
			{ cardNo: CARDS.longMemberMain },
		]);
		const [request] = encrypted.emulator.accepted(PATH.info);
		expect(request.encrypted).toBe(true);
		expect(request.rawBody).not.toContain(CARDS.longMemberMain);
		expect(success[0].json).toMatchObject({
			userId: LONG_MEMBER,
			balance: 30_000,
			cardNo: masked(CARDS.longMemberMain),
		});
	});
});

describe('Bank Account > Get', () => {
	it('outputs the registered account: holder name and account number masked', async () => {
		const { success, error } = await kona.output(WORKFLOWS.bankAccountGet, [
			{ userId: MERGE_MEMBER },
		]);
		expect(error).toBeUndefined();
		const [request] = kona.emulator.accepted(PATH.account);
		expect(request.rawBody).toBe(`{"userId":${MERGE_MEMBER}}`);
		expect(success[0].json).toEqual({
			userId: MERGE_MEMBER,
			accountInfo: {
				accountId: expect.stringMatching(/^[0-9A-F]{5}$/),
				userName: '김*나',
				bankCode: '088',
				bankName: 'Shinhan Bank',
				bankAccount: `**********${MERGE_MEMBER_ACCOUNT.slice(-4)}`,
			},
			correlationId: request.headers['x-km-correlation-id'],
		});
	});

	it('keeps a 19-digit member id exact', async () => {
		const { success } = await kona.output(WORKFLOWS.bankAccountGet, [{ userId: LONG_MEMBER }]);
		expect(kona.emulator.accepted(PATH.account)[0].rawBody).toBe(`{"userId":${LONG_MEMBER}}`);
		expect(success[0].json.userId).toBe(LONG_MEMBER);
	});

	it('no registered account: 007_001; after a delete, the same', async () => {
		const none = await kona.output(WORKFLOWS.bankAccountGet, [{ userId: NO_ACCOUNT_MEMBER }]);
		expect(none.error?.message).toBe('007_001: Bank account not found.');
		expect(none.error?.description).toContain(DOCUMENTED_CODES['007_001'].meaning);
		await kona.run(WORKFLOWS.delete, [{ userId: MEMBER }]);
		const deleted = await kona.output(WORKFLOWS.bankAccountGet, [{ userId: MEMBER }]);
		expect(deleted.error?.message).toBe('007_001: Bank account not found.');
	});

	it('with the error output, each member goes to its branch, in order, one request each', async () => {
		const workflow = withNode(WORKFLOWS.bankAccountGet, { onError: 'continueErrorOutput' });
		const { success, errors } = await kona.output(workflow, [
			{ userId: MEMBER },
			{ userId: NO_ACCOUNT_MEMBER },
			{ userId: '1' },
			{ userId: LONG_MEMBER },
		]);
		expect(success.map((item) => [item.pairedItem, item.json.userId])).toEqual([
			[{ item: 0 }, MEMBER],
			[{ item: 3 }, LONG_MEMBER],
		]);
		expect(errors.map((item) => [item.pairedItem, (item.json.error as IDataObject).code])).toEqual([
			[{ item: 1 }, '007_001'],
			[{ item: 2 }, '001_006'],
		]);
		expect(kona.emulator.requests).toHaveLength(4);
	});

	it('encrypted: the request goes as a JWE; the plain answer (not marked Encrypted) is read', async () => {
		const { success } = await encrypted.output(WORKFLOWS.bankAccountGet, [
			{ userId: MERGE_MEMBER },
		]);
		const [request] = encrypted.emulator.accepted(PATH.account);
		expect(request.encrypted).toBe(true);
		expect(success[0].json).toMatchObject({
			userId: MERGE_MEMBER,
			accountInfo: { userName: '김*나' },
		});
	});
});
