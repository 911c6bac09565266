// An item's fields that are each one expression are evaluated together, in one n8n expression
// (actions/item-values.ts): each value is the one the field alone would give, and anything else
// is read field by field, with n8n's own errors.
import { ExecuteContext } from 'n8n-core';
import { Expression } from 'n8n-workflow';

import { jsonPath } from '../nodes/Konaplate/actions/item-values';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { CARDS, MAIN_TO_SECOND } from '../emulator/data';

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

describe('a field that is a path into the item ($json.name), read from the item', () => {
	it('recognises the paths the editor writes, and nothing else', () => {
		expect(jsonPath('$json.userId')).toEqual(['userId']);
		expect(jsonPath(' $json.payout.amount ')).toEqual(['payout', 'amount']);
		expect(jsonPath('$json["card no"]')).toEqual(['card no']);
		expect(jsonPath("$json['카드'].no")).toEqual(['카드', 'no']);
		expect(jsonPath('$json[ "a" ]')).toEqual(['a']);
		for (const other of [
			'$json',
			'$json.',
			'$json.a + 1',
			'$json.a.b()',
			'$json?.a',
			'$json[0]',
			'$json[a]',
			'$json["a\\"b"]',
			'$json.a[0]',
			'$jsonx.a',
			'$input.item.json.a',
			"$('Node').item.json.a",
			'($json.a)',
			'$json.1a',
		])
			expect(jsonPath(other)).toBeUndefined();
	});

	const forms = {
		path: {
			userId: '={{ $json.payout.userId }}',
			fromCardNo: byNumber('={{ $json["fromCardNo"] }}'),
			toCardNo: byNumber("={{ $json['toCardNo'] }}"),
			amount: '={{ $json.amount }}',
		},
		// the same values, written so that n8n evaluates each one
		evaluated: {
			userId: '={{ ($json.payout.userId) }}',
			fromCardNo: byNumber('={{ ($json["fromCardNo"]) }}'),
			toCardNo: byNumber("={{ ($json['toCardNo']) }}"),
			amount: '={{ ($json.amount) }}',
		},
	};
	const items = [
		{ ...MAIN_TO_SECOND, payout: { userId: MAIN_TO_SECOND.userId }, amount: 100 },
		{ ...MAIN_TO_SECOND, payout: { userId: Number(MAIN_TO_SECOND.userId) }, amount: '250' },
		{ ...MAIN_TO_SECOND, payout: { userId: MAIN_TO_SECOND.userId }, amount: 7.5 },
		{ ...MAIN_TO_SECOND, payout: { userId: ` ${MAIN_TO_SECOND.userId}` }, amount: true },
		{ ...MAIN_TO_SECOND, payout: {}, amount: 9 },
		{ ...MAIN_TO_SECOND, payout: { userId: MAIN_TO_SECOND.userId }, amount: { value: 9 } },
		{ ...MAIN_TO_SECOND, payout: 'not an object', amount: 9 },
		{ ...MAIN_TO_SECOND, payout: { userId: MAIN_TO_SECOND.userId }, amount: -3 },
		{ ...MAIN_TO_SECOND, payout: { userId: MAIN_TO_SECOND.userId }, amount: '' },
		{ ...MAIN_TO_SECOND, payout: { userId: MAIN_TO_SECOND.userId }, amount: 400 },
	];

	/** Each item alone (so that a refused one stops nothing else): its output or its error, and what was sent. */
	async function each(parameters: Record<string, unknown>) {
		const results: unknown[] = [];
		for (const item of items) {
			kona.emulator.reset();
			const { success, error } = await kona.output(editorWorkflow(parameters), [item]);
			results.push({
				output: success.map(({ json }) => ({ ...json, correlationId: undefined })),
				error: error && { message: error.message, description: error.description },
				sent: amountsSent(),
			});
		}
		return results;
	}

	it('gives every value, and every refusal, that n8n evaluating the field gives', async () => {
		const evaluated = await each(forms.evaluated);
		const read = await each(forms.path);
		expect(read).toEqual(evaluated);
		// the runs differ in what they send and refuse: the comparison compares something
		const sent = (results: unknown[]) =>
			results.filter((result) => (result as { sent: unknown[] }).sent.length > 0).length;
		expect(sent(read)).toBeGreaterThanOrEqual(3);
		expect(sent(read)).toBeLessThan(items.length);
	});

	it('is read without evaluating the expression; a path the item lacks is evaluated as n8n does', async () => {
		const evaluate = jest.spyOn(Expression.prototype, 'renderExpression');
		// the expressions only: n8n's data proxy, the second argument, throws when jest inspects it
		const evaluatedPaths = () =>
			evaluate.mock.calls
				.map(([expression]) => String(expression))
				.filter((e) => e.includes('$json'));
		try {
			const { error } = await kona.output(editorWorkflow(forms.path), [items[0]]);
			expect(error).toBeUndefined();
			expect(evaluatedPaths()).toEqual([]);
			// no userId in payout: n8n evaluates that field (the spy sees it), and User ID refuses it
			const missing = await kona.output(editorWorkflow(forms.path), [items[4]]);
			expect(evaluatedPaths()).toEqual([expect.stringContaining('$json.payout.userId')]);
			expect(missing.error?.message).toContain('User ID');
		} finally {
			evaluate.mockRestore();
		}
	});
});

describe('a parameter with no expression is read once per run', () => {
	const CARD_INFO = '/api/v1/user/card/info';
	const cardGet = (showFullCardNumbers: unknown) =>
		withNode(WORKFLOWS.cardGet, { parameters: { options: { showFullCardNumbers } } });
	const items = [{ cardNo: CARDS.main }, { cardNo: CARDS.second }, { cardNo: CARDS.main }];

	/** The node's getNodeParameter calls for a parameter, while the run runs. */
	async function reads(workflow: ReturnType<typeof cardGet>, name: string) {
		const read = jest.spyOn(
			ExecuteContext.prototype as unknown as { _getNodeParameter: (name: string) => unknown },
			'_getNodeParameter',
		);
		try {
			const { success, error } = await kona.output(workflow, items);
			return { success, error, count: read.mock.calls.filter(([asked]) => asked === name).length };
		} finally {
			read.mockRestore();
		}
	}

	it('a switch typed in: read at the first item, the same value for all', async () => {
		const { success, error, count } = await reads(cardGet(true), 'options.showFullCardNumbers');
		expect(error).toBeUndefined();
		expect(success.map(({ json }) => json.cardNo)).toEqual(items.map(({ cardNo }) => cardNo));
		expect(count).toBe(1);
	});

	it('a switch set by an expression: read for every item, each its own value', async () => {
		const { success, error, count } = await reads(
			cardGet('={{ $json.cardNo === "' + CARDS.second + '" }}'),
			'options.showFullCardNumbers',
		);
		expect(error).toBeUndefined();
		expect(success.map(({ json }) => json.cardNo)).toEqual([
			`${CARDS.main.slice(0, 6)}******${CARDS.main.slice(-4)}`,
			CARDS.second,
			`${CARDS.main.slice(0, 6)}******${CARDS.main.slice(-4)}`,
		]);
		expect(count).toBe(items.length);
		expect(kona.emulator.accepted(CARD_INFO)).toHaveLength(items.length);
	});
});
