import type { INodeParameters } from 'n8n-workflow';

import { KONAPLATE_TOOL_TYPE } from '../scripts/engine/engine';
import type { WorkflowFile } from '../scripts/engine/engine';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { CARDS } from '../emulator/server';
import { MERGE_DEBIT_ACCOUNT, MERGE_MEMBER, PHYSICAL_CARD_NO } from '../emulator/data';

/**
 * Card → Get Many's Simplify (on by default): each card as the fields an operator works with,
 * flat; off, every field as before. n8n saves a parameter only when it differs from its default,
 * so a node saved before Simplify existed has no `simplify` and reads as on.
 */
const kona = useKonaplate();

const masked = (cardNo: string) => `${cardNo.slice(0, 6)}******${cardNo.slice(-4)}`;
const SIMPLE_KEYS = [
	'userId',
	'cardNo',
	'par',
	'status',
	'balance',
	'serviceName',
	'expiryDate',
	'correlationId',
];

/** Card → Get Many as n8n saves it with Simplify left on: no `simplify` in its parameters. */
function savedWithDefault(parameters: INodeParameters = {}): WorkflowFile {
	const [node] = WORKFLOWS.cardGetMany.nodes;
	const { simplify, ...rest } = node.parameters;
	expect(simplify).toBe(false);
	return { ...WORKFLOWS.cardGetMany, nodes: [{ ...node, parameters: { ...rest, ...parameters } }] };
}

const json = (body: string) => ({
	status: 200,
	headers: { 'Content-Type': 'application/json' },
	body,
});

describe('Card > Get Many, Simplify', () => {
	it('on by default: each card flat, as its masked number, PAR, status, balance, product and expiry', async () => {
		const { success, error } = await kona.output(savedWithDefault(), [{ userId: MERGE_MEMBER }]);
		expect(error).toBeUndefined();
		expect(success).toHaveLength(6);
		for (const item of success) {
			expect(Object.keys(item.json)).toEqual(SIMPLE_KEYS);
			for (const value of Object.values(item.json)) expect(typeof value).not.toBe('object');
			expect(item.json.par).toMatch(/^[0-9A-Z]{27}$/);
			expect(item.json.userId).toBe(MERGE_MEMBER);
			expect(item.pairedItem).toEqual({ item: 0 });
		}
		expect(success.map((item) => [item.json.cardNo, item.json.status, item.json.balance])).toEqual([
			[masked(CARDS.mergeMain), 'ACTIVE', 10_000],
			[masked(CARDS.mergeGift), 'ACTIVE', 3_000],
			[masked(CARDS.mergePlastic), 'ACTIVE', 2_500],
			[masked(CARDS.mergeEmpty), 'ACTIVE', 0],
			[masked(CARDS.mergeInactive), 'INACTIVE', 4_000],
			[masked(CARDS.mergeDebit), 'ACTIVE', 1_500],
		]);
		expect(success[0].json.serviceName).toBe('KONA standard card');
		expect(success[0].json.expiryDate).toBe('20301231');
		const text = JSON.stringify(success);
		for (const secret of [...Object.values(CARDS), PHYSICAL_CARD_NO, MERGE_DEBIT_ACCOUNT])
			expect(text).not.toContain(secret);
		expect(text).not.toMatch(/limits|bankInfo|cardPointInfo|physicalCardNo|cardApplyNo/);
	});

	it('with Show Full Card Numbers, the number comes out whole (the mobile one)', async () => {
		const { success } = await kona.output(
			savedWithDefault({ options: { showFullCardNumbers: true } }),
			[{ userId: MERGE_MEMBER }],
		);
		expect(success.map((item) => item.json.cardNo)).toEqual([
			CARDS.mergeMain,
			CARDS.mergeGift,
			CARDS.mergePlastic,
			CARDS.mergeEmpty,
			CARDS.mergeInactive,
			CARDS.mergeDebit,
		]);
	});

	it('off: every field of the full output, each simplified field equal to its source', async () => {
		const full = await kona.output(WORKFLOWS.cardGetMany, [{ userId: MERGE_MEMBER }]);
		const simple = await kona.output(savedWithDefault(), [{ userId: MERGE_MEMBER }]);
		expect(full.success).toHaveLength(simple.success.length);
		full.success.forEach(({ json: card }, index) => {
			expect(card).toHaveProperty('mobileCardStatus');
			expect(card).toHaveProperty('cardApplyNo');
			expect(card).toHaveProperty('cardPointInfo');
			const { correlationId, ...shortForm } = simple.success[index].json;
			expect(correlationId).toMatch(/\S/);
			expect(shortForm).toEqual({
				userId: card.userId,
				cardNo: card.mobileCardNo,
				par: card.par,
				status: card.mobileCardStatus,
				balance: card.balance,
				serviceName: card.serviceName,
				expiryDate: card.expiryDate,
			});
		});
		expect(full.success[5].json.limits).toEqual({
			day: 1_000_000,
			once: 500_000,
			month: 5_000_000,
		});
	});

	it('a card with only a plastic number: its masked plastic number and status; a field Konaplate leaves out stays out', async () => {
		kona.emulator.script = () =>
			json(
				`{"response":{"code":"000_000"},"cardDataInfo":[{"physicalCardNo":"${PHYSICAL_CARD_NO}","physicalCardStatus":"SUSPENDED","balance":12345678901,"unknownField":"${CARDS.main}"}]}`,
			);
		const { success, error } = await kona.output(savedWithDefault(), [{ userId: MERGE_MEMBER }]);
		expect(error).toBeUndefined();
		expect(success.map((item) => item.json)).toEqual([
			{
				userId: MERGE_MEMBER,
				cardNo: masked(PHYSICAL_CARD_NO),
				status: 'SUSPENDED',
				balance: 12_345_678_901,
				correlationId: expect.any(String) as string,
			},
		]);
	});

	it('refuses a Simplify that is not true or false, naming it, before sending anything', async () => {
		const { error, success } = await kona.output(
			withNode(WORKFLOWS.cardGetMany, { parameters: { simplify: '={{ "yes" }}' } }),
			[{ userId: MERGE_MEMBER }],
		);
		expect(success).toEqual([]);
		expect(error?.message).toContain('Simplify (simplify)');
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it("as an AI agent's tool, the model gets the short form unless the author turns Simplify off", async () => {
		const tool = (parameters: INodeParameters = {}): WorkflowFile => ({
			name: 'Get Many Cards as a tool (engine test)',
			nodes: [
				{
					...WORKFLOWS.cardGetMany.nodes[0],
					type: KONAPLATE_TOOL_TYPE,
					parameters: {
						resource: 'card',
						operation: 'getMany',
						userId: "={{ $fromAI('userId', 'the member', 'string') }}",
						options: {},
						...parameters,
					},
				},
			],
			connections: {},
		});
		const short = await kona.output(tool(), [{ userId: MERGE_MEMBER }]);
		expect(short.error).toBeUndefined();
		expect(short.success.map((item) => Object.keys(item.json))).toEqual(Array(6).fill(SIMPLE_KEYS));
		const long = await kona.output(tool({ simplify: false }), [{ userId: MERGE_MEMBER }]);
		expect(long.success[5].json).toHaveProperty('limits');
	});
});
