import type { IDataObject } from 'n8n-workflow';

import { DOCUMENTED_CODES } from '../nodes/Konaplate/errors';
import { konaplateOutput, useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { CARDS, UNDOCUMENTED_CODES } from '../emulator/server';
import { LONG_MEMBER, MAIN_TO_SECOND, MEMBER } from '../emulator/data';

const TRANSFER = '/api/v1/transfer/balance';
const kona = useKonaplate();

const transfer = (fields: IDataObject): IDataObject => ({
	...MAIN_TO_SECOND,
	...fields,
});

describe('Transfer Card Balance through the n8n engine', () => {
	it('moves an amount once and outputs the masked cards, the amount and the correlation id', async () => {
		const run = await kona.run(WORKFLOWS.transfer, [transfer({ amount: 1500 })]);
		const { success, error } = konaplateOutput(run);
		expect(error).toBeUndefined();
		expect(success).toHaveLength(1);
		const [request] = kona.emulator.accepted(TRANSFER);
		expect(success[0].json).toEqual({
			transferred: true,
			userId: MEMBER,
			fromCardNo: '949133******0765',
			toCardNo: '949133******0773',
			transferEntireBalance: false,
			amount: 1500,
			correlationId: request.headers['x-km-correlation-id'],
		});
		expect(success[0].pairedItem).toEqual({ item: 0 });
		expect(request.rawBody).toBe(
			'{"userId":50000104652,"fromCardNo":"9491339401250765","toCardNo":"9491339401250773","amount":1500}',
		);
		expect(kona.emulator.requests).toHaveLength(1);
		expect(kona.emulator.cards.get(CARDS.main)?.balance).toBe(48_500);
		expect(kona.emulator.cards.get(CARDS.second)?.balance).toBe(11_500);
	});

	it('sends amount 0 only for Transfer Entire Balance, and outputs the amount Konaplate moved', async () => {
		const run = await kona.run(WORKFLOWS.transfer, [
			transfer({ transferEntireBalance: true, amount: 777 }),
		]);
		const { success } = konaplateOutput(run);
		expect(success[0].json).toMatchObject({ transferEntireBalance: true, amount: 50_000 });
		expect(kona.emulator.accepted(TRANSFER)[0].rawBody).toContain('"amount":0}');
	});

	it('keeps a 19-digit member id exact on the wire', async () => {
		const run = await kona.run(WORKFLOWS.transfer, [
			{
				userId: LONG_MEMBER,
				fromCardNo: CARDS.longMemberMain,
				toCardNo: CARDS.longMemberSecond,
				amount: 100,
			},
		]);
		expect(konaplateOutput(run).success[0].json).toMatchObject({
			userId: LONG_MEMBER,
			amount: 100,
		});
		expect(kona.emulator.accepted(TRANSFER)[0].rawBody).toContain('"userId":1234567890123456789,');
	});

	it('runs several items in order, one request each, each output paired with its item', async () => {
		const items = [transfer({ amount: 1 }), transfer({ amount: 2 }), transfer({ amount: 3 })];
		const { success } = await kona.output(WORKFLOWS.transfer, items);
		expect(success.map((item) => [item.json.amount, item.pairedItem])).toEqual([
			[1, { item: 0 }],
			[2, { item: 1 }],
			[3, { item: 2 }],
		]);
		expect(
			kona.emulator.accepted(TRANSFER).map((r) => r.rawBody.match(/"amount":(\d+)/)?.[1]),
		).toEqual(['1', '2', '3']);
		const ids = new Set(kona.emulator.requests.map((r) => r.headers['x-km-correlation-id']));
		expect(ids.size).toBe(3);
	});

	const SCENARIOS: Array<[string, IDataObject, string]> = [
		[
			'005_017',
			transfer({ fromCardNo: CARDS.empty, amount: 10 }),
			'Possible collection balance is zero.',
		],
		['005_018', transfer({ amount: 50_001 }), 'There is not enough balance to transfer.'],
		[
			'017_001',
			transfer({ toCardNo: CARDS.nearlyFull, amount: 20_000 }),
			'Balance is over the max.',
		],
		['017_002', transfer({ fromCardNo: CARDS.failing, amount: 10 }), 'Failed to balance transfer.'],
		[
			'017_004',
			transfer({ toCardNo: CARDS.otherOwner, amount: 10 }),
			'Input affiliateId is not same as owner affiliateId.',
		],
		[
			'017_005',
			transfer({ toCardNo: CARDS.noCollection, amount: 10 }),
			'Product is not allowed collection.',
		],
		['017_006', transfer({ toCardNo: CARDS.ownerless, amount: 10 }), 'Owner affiliate not found.'],
		[
			'005_004',
			transfer({ toCardNo: CARDS.inactive, amount: 10 }),
			'Gift card status is not active.',
		],
		[
			'005_005',
			transfer({ toCardNo: CARDS.expired, amount: 10 }),
			'Gift card is over expiration date.',
		],
		['001_006', transfer({ userId: '50000104653', amount: 10 }), 'Wallet user not found.'],
		['003_001', transfer({ toCardNo: CARDS.longMemberMain, amount: 10 }), 'Invalid card info.'],
	];

	it.each(SCENARIOS)(
		'turns %s into a NodeApiError with the code, its meaning, the item and the correlation id',
		async (code, item, message) => {
			const { error, success } = await kona.output(WORKFLOWS.transfer, [item]);
			expect(success).toHaveLength(0);
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toBe(`${code}: ${message}`);
			const [request] = kona.emulator.accepted(TRANSFER);
			expect(error?.description).toContain(DOCUMENTED_CODES[code].meaning);
			expect(error?.description).toContain(
				`HTTP 400, item 0, correlation id ${request.headers['x-km-correlation-id']}`,
			);
			expect(error?.httpCode).toBe('400');
			expect(error?.context).toMatchObject({ itemIndex: 0, konaplateCode: code });
			expect(kona.emulator.requests).toHaveLength(1);
		},
	);

	it.each([
		['017_003', { toCardNo: CARDS.main }],
		['000_003', { toCardNo: null }],
	])(
		'would get %s from the service, so the node refuses it before sending',
		async (_code, fields) => {
			const { error } = await kona.output(WORKFLOWS.transfer, [
				transfer({ amount: 10, ...fields }),
			]);
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toMatch(/^Card Number to Transfer To \(toCardNo\) of item 0 /);
			expect(kona.emulator.requests).toHaveLength(0);
		},
	);

	it('passes an undocumented code through as it came', async () => {
		const { error } = await kona.output(WORKFLOWS.transfer, [
			transfer({ toCardNo: CARDS.usagePercentage, amount: 10 }),
		]);
		expect(error?.message).toBe(
			`${UNDOCUMENTED_CODES.usagePercentage}: Invalid balance usage percentage.`,
		);
		expect(error?.description).toContain('Konaplate did not document this code');
	});

	it('with Continue On Fail, outputs failed items with their code beside the successes, in order', async () => {
		const workflow = withNode(WORKFLOWS.transfer, { onError: 'continueRegularOutput' });
		const items = [
			transfer({ amount: 10 }),
			transfer({ amount: 10_000_000 }),
			transfer({ amount: 0 }),
			transfer({ amount: 20 }),
		];
		const { success } = await kona.output(workflow, items);
		expect(success.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(success[0].json).toMatchObject({ transferred: true, amount: 10 });
		expect(success[1].json).toEqual({
			error: {
				message: '005_018: There is not enough balance to transfer.',
				code: '005_018',
				konaplateMeaningKo: '이관 요청하는 금액이 카드 잔액 보다 많을 경우',
				httpCode: 400,
				correlationId: expect.stringMatching(/^\d{12}-[0-9a-f]{7}$/),
				description: expect.stringContaining('The amount asked for is more than the balance'),
				itemIndex: 1,
			},
		});
		expect((success[2].json.error as { message: string }).message).toMatch(
			/^Amount \(KRW\) \(amount\) of item 2 is 0/,
		);
		expect(success[3].json).toMatchObject({ transferred: true, amount: 20 });
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(3);
	});

	it('with "Continue (using error output)", routes failed items to the error branch', async () => {
		const workflow = withNode(WORKFLOWS.transfer, { onError: 'continueErrorOutput' });
		const items = [
			transfer({ amount: 10 }),
			transfer({ fromCardNo: CARDS.empty, amount: 10 }),
			transfer({ amount: 30 }),
		];
		const { success, errors } = await kona.output(workflow, items);
		expect(success.map((item) => [item.json.amount, item.pairedItem])).toEqual([
			[10, { item: 0 }],
			[30, { item: 2 }],
		]);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		expect(errors[0].json).toEqual({
			error: expect.objectContaining({
				message: '005_017: Possible collection balance is zero.',
				code: '005_017',
				itemIndex: 1,
			}),
		});
	});

	it('checks every item before the first request: one bad item stops the run with nothing sent', async () => {
		const items = [
			transfer({ amount: 10 }),
			transfer({ amount: 20 }),
			transfer({ fromCardNo: '1234' }),
		];
		const { error, success } = await kona.output(WORKFLOWS.transfer, items);
		expect(success).toHaveLength(0);
		expect(error?.message).toMatch(
			/^Card Number to Transfer From \(fromCardNo\) of item 2 must be exactly 16 digits/,
		);
		expect(error?.description).toBe('Nothing was sent to Konaplate for this item.');
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('when Konaplate refuses item 1 of 3, says which items were already completed so nobody re-runs them', async () => {
		const items = [
			transfer({ amount: 10 }),
			transfer({ amount: 10_000_000 }),
			transfer({ amount: 20 }),
		];
		const { error } = await kona.output(WORKFLOWS.transfer, items);
		const [first] = kona.emulator.accepted(TRANSFER);
		expect(error?.message).toBe('005_018: There is not enough balance to transfer.');
		expect(error?.description).toContain(
			`Already completed in this run before it stopped: item 0 (${first.headers['x-km-correlation-id']}). Do not run those again.`,
		);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(2);
	});

	it("where n8n's deduplication store is missing, a transfer with a Reference is refused with nothing sent; without one it goes as before", async () => {
		// This file never initialises n8n-core's DataDeduplicationService, as an n8n without one.
		const wf = withNode(WORKFLOWS.transfer, {
			parameters: { reference: '={{ $json.reference }}' },
		});
		const refused = await kona.output(wf, [transfer({ amount: 10, reference: 'p-1' })]);
		expect(refused.error?.message).toMatch(
			/^The transfer ledger is not available \(n8n's deduplication store said: .+\), so no transfer with a Reference was sent\.$/,
		);
		expect(refused.error?.context).toMatchObject({ refusal: 'LEDGER_UNAVAILABLE' });
		expect(kona.emulator.requests).toHaveLength(0);
		const plain = await kona.output(wf, [transfer({ amount: 10, reference: '' })]);
		expect(plain.success[0].json).not.toHaveProperty('reference');
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
	});
});
