/**
 * Each error that carries a Konaplate code also carries that code's Korean meaning (from
 * nodes/Konaplate/wire/codes-ko.ts) as `konaplateMeaningKo`: in the error's details when the run
 * stops, and in the error item under Continue On Fail. The English message n8n shows is unchanged.
 */
import type { IDataObject } from 'n8n-workflow';

import { DOCUMENTED_CODES } from '../nodes/Konaplate/errors';
import { KOREAN_MEANINGS } from '../nodes/Konaplate/wire/codes-ko';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { CARDS, UNDOCUMENTED_CODES } from '../emulator/server';
import { MAIN_TO_SECOND, MEMBER, NO_ACCOUNT_MEMBER } from '../emulator/data';

const kona = useKonaplate();
const transfer = (fields: IDataObject): IDataObject => ({
	...MAIN_TO_SECOND,
	transferEntireBalance: false,
	...fields,
});

describe("a Konaplate code's Korean meaning in the error", () => {
	it.each([
		['005_018', transfer({ amount: 50_001 })],
		['005_017', transfer({ fromCardNo: CARDS.empty, amount: 10 })],
		['001_006', transfer({ userId: '50000104653', amount: 10 })],
	])(
		'%s: in the details of the error that stops the run, the English message as before',
		async (code, item) => {
			const { error } = await kona.output(WORKFLOWS.transfer, [item]);
			expect(error?.message).toBe(`${code}: ${DOCUMENTED_CODES[code].message}`);
			expect(error?.message).not.toMatch(/[가-힣]/);
			expect(error?.description).not.toMatch(/[가-힣]/);
			expect(error?.context).toMatchObject({
				konaplateCode: code,
				konaplateMeaningKo: KOREAN_MEANINGS[code],
			});
		},
	);

	it('in the error item of Continue (using error output), beside the code', async () => {
		const workflow = withNode(WORKFLOWS.transfer, { onError: 'continueErrorOutput' });
		const { success, errors } = await kona.output(workflow, [
			transfer({ amount: 10 }),
			transfer({ fromCardNo: CARDS.empty, amount: 10 }),
		]);
		expect(success).toHaveLength(1);
		expect(errors[0].json.error).toMatchObject({
			message: '005_017: Possible collection balance is zero.',
			code: '005_017',
			konaplateMeaningKo: '이관되는 카드 잔액이 0일 경우',
		});
	});

	it('in the error item of a read under Continue (regular output)', async () => {
		const workflow = withNode(WORKFLOWS.bankAccountGet, { onError: 'continueRegularOutput' });
		const { success } = await kona.output(workflow, [{ userId: NO_ACCOUNT_MEMBER }]);
		expect(success[0].json.error).toMatchObject({
			code: '007_001',
			konaplateMeaningKo: KOREAN_MEANINGS['007_001'],
		});
	});

	it('not for an undocumented code, nor for a refusal of the node itself', async () => {
		const workflow = withNode(WORKFLOWS.transfer, { onError: 'continueRegularOutput' });
		const { success } = await kona.output(workflow, [
			transfer({ toCardNo: CARDS.usagePercentage, amount: 10 }),
			transfer({ amount: 0 }),
		]);
		expect(success[0].json.error).toMatchObject({ code: UNDOCUMENTED_CODES.usagePercentage });
		for (const item of success)
			expect(Object.keys(item.json.error as IDataObject)).not.toContain('konaplateMeaningKo');
		expect(kona.emulator.requests).toHaveLength(1);
	});

	it('after a delete, Bank Account → Get of the member reads 회원의 등록 계좌가 없는 경우', async () => {
		await kona.run(WORKFLOWS.delete, [{ userId: MEMBER }]);
		const { error } = await kona.output(WORKFLOWS.bankAccountGet, [{ userId: MEMBER }]);
		expect(error?.context).toMatchObject({ konaplateMeaningKo: '회원의 등록 계좌가 없는 경우' });
	});
});
