// An item's fields that are each one expression are evaluated together, in one n8n expression
// (actions/item-values.ts): each value is the one the field alone would give, and anything else
// is read field by field, with n8n's own errors.
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { MAIN_TO_SECOND } from '../emulator/data';

const TRANSFER = '/api/v1/transfer/balance';
const kona = useKonaplate();

/** A card field as the editor saves it: "By Number", set by an expression. */
const byNumber = (value: string) => ({ __rl: true, mode: 'id', value });

const editorWorkflow = (parameters: Record<string, unknown> = {}) =>
	withNode(WORKFLOWS.transfer, {
		parameters: {
			userId: '={{ $json.userId }}',
			fromCardNo: byNumber('={{ $json.fromCardNo }}'),
			toCardNo: byNumber('={{ $json.toCardNo }}'),
			transferEntireBalance: false,
			amount: '={{ $json.amount }}',
			...parameters,
		},
	});

const amountsSent = () =>
	kona.emulator.accepted(TRANSFER).map((request) => JSON.parse(request.rawBody) as unknown);

describe('the fields of an item evaluated together', () => {
	it('gives each item its own values, card fields set By Number included', async () => {
		const { success, error } = await kona.output(editorWorkflow(), [
			{ ...MAIN_TO_SECOND, amount: 100 },
			{ ...MAIN_TO_SECOND, amount: 250 },
			{ ...MAIN_TO_SECOND, amount: 7 },
		]);
		expect(error).toBeUndefined();
		expect(success.map(({ json }) => json.amount)).toEqual([100, 250, 7]);
		expect(amountsSent()).toEqual(
			[100, 250, 7].map((amount) => ({
				userId: Number(MAIN_TO_SECOND.userId),
				fromCardNo: MAIN_TO_SECOND.fromCardNo,
				toCardNo: MAIN_TO_SECOND.toCardNo,
				amount,
			})),
		);
	});

	it('a mixed field (text around the braces) is read on its own, with the same value', async () => {
		const { success, error } = await kona.output(
			editorWorkflow({ amount: '={{ $json.hundreds }}00' }),
			[{ ...MAIN_TO_SECOND, hundreds: 3 }],
		);
		expect(error).toBeUndefined();
		expect(success[0].json.amount).toBe(300);
	});

	it('an expression that fails is read field by field: the error n8n gives it alone, nothing sent', async () => {
		const failing = { amount: '={{ $json.missing.deep }}' };
		const together = await kona.output(editorWorkflow(failing), [{ ...MAIN_TO_SECOND }]);
		// the only expression of the node: read on its own, as before
		const alone = await kona.output(
			editorWorkflow({
				...failing,
				userId: MAIN_TO_SECOND.userId,
				fromCardNo: byNumber(MAIN_TO_SECOND.fromCardNo),
				toCardNo: byNumber(MAIN_TO_SECOND.toCardNo),
			}),
			[{ ...MAIN_TO_SECOND }],
		);
		expect(alone.error?.message).toBeDefined();
		expect(together.error?.message).toBe(alone.error?.message);
		expect(together.error?.description).toBe(alone.error?.description);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('a value that is not text, a number or a boolean is read field by field and refused as before', async () => {
		const { error } = await kona.output(editorWorkflow(), [
			{ ...MAIN_TO_SECOND, userId: { id: 1 }, amount: 5 },
		]);
		expect(error?.message).toContain('User ID');
		expect(kona.emulator.requests).toHaveLength(0);
	});
});
