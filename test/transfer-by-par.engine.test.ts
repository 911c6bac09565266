import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { KONAPLATE_TOOL_TYPE } from '../scripts/engine/engine';
import type { WorkflowFile } from '../scripts/engine/engine';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { ledgerWorkflow, useLedgerStore } from './helpers/ledger';
import { CARDS } from '../emulator/server';
import { parOf } from '../emulator/ids';
import { LONG_MEMBER, MAIN_TO_SECOND, MEMBER, MERGE_MEMBER } from '../emulator/data';
import { maskCardNo } from '../nodes/Konaplate/wire/redact';

/**
 * Card → Transfer Balance with a card By PAR Token: the node finds the card's number among the
 * member's cards (one card list read per member per run), before the checks and the ledger, and
 * sends the transfer with the number.
 */
const TRANSFER = '/api/v1/transfer/balance';
const CARD_LIST = '/api/v1/user/card/list';
const kona = useKonaplate();
useLedgerStore();

const byPar = (value: string) => ({ __rl: true, mode: 'par', value });
const byNumber = (value: string) => ({ __rl: true, mode: 'id', value });

/** The transfer fixture with its card fields set in the editor's modes. */
const workflow = (parameters: INodeParameters = {}, node: IDataObject = {}): WorkflowFile =>
	withNode(WORKFLOWS.transfer, {
		...node,
		parameters: {
			fromCardNo: byPar('={{ $json.fromPar }}'),
			toCardNo: byNumber('={{ $json.toCardNo }}'),
			...parameters,
		},
	});

/** An item that moves `amount` from the card of PAR `from` to the card number `to`. */
const item = (amount: number, fields: IDataObject = {}): IDataObject => ({
	userId: MEMBER,
	fromPar: parOf(CARDS.main),
	toCardNo: CARDS.second,
	amount,
	...fields,
});

const sent = () =>
	kona.emulator.accepted(TRANSFER).map((request) => JSON.parse(request.rawBody) as IDataObject);
const listReads = () => kona.emulator.accepted(CARD_LIST).map((request) => request.rawBody);
const last4 = (par: string) => `${'*'.repeat(par.length - 4)}${par.slice(-4)}`;

describe('Transfer Balance with a card By PAR Token', () => {
	it("sends the card's full number once, after one read of the member's cards; outputs stay masked", async () => {
		const { success, error } = await kona.output(workflow(), [item(1500)]);
		expect(error).toBeUndefined();
		expect(listReads()).toEqual([`{"userId":${MEMBER}}`]);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
		expect(kona.emulator.accepted(TRANSFER)[0].rawBody).toBe(
			`{"userId":${MEMBER},"fromCardNo":"${CARDS.main}","toCardNo":"${CARDS.second}","amount":1500}`,
		);
		expect(success[0].json).toMatchObject({
			transferred: true,
			fromCardNo: maskCardNo(CARDS.main),
			toCardNo: maskCardNo(CARDS.second),
			amount: 1500,
		});
		const output = JSON.stringify(success);
		for (const secret of [CARDS.main, CARDS.second, parOf(CARDS.main)])
			expect(output).not.toContain(secret);
		expect(kona.emulator.cards.get(CARDS.main)?.balance).toBe(48_500);
		expect(kona.emulator.cards.get(CARDS.second)?.balance).toBe(11_500);
	});

	it('reads the card list once per member for a run of several items, both cards by PAR', async () => {
		const wf = workflow({ toCardNo: byPar('={{ $json.toPar }}') });
		const items = [
			item(1, { toPar: parOf(CARDS.second) }),
			item(2, { fromPar: parOf(CARDS.second), toPar: parOf(CARDS.main) }),
			{
				userId: LONG_MEMBER,
				fromPar: parOf(CARDS.longMemberMain),
				toPar: parOf(CARDS.longMemberSecond),
				amount: 3,
			},
			item(4, { toPar: parOf(CARDS.second) }),
		];
		const { success, error } = await kona.output(wf, items);
		expect(error).toBeUndefined();
		expect(success).toHaveLength(4);
		expect(listReads()).toEqual([`{"userId":${MEMBER}}`, `{"userId":${LONG_MEMBER}}`]);
		expect(
			sent().map(({ fromCardNo, toCardNo, amount }) => [fromCardNo, toCardNo, amount]),
		).toEqual([
			[CARDS.main, CARDS.second, 1],
			[CARDS.second, CARDS.main, 2],
			[CARDS.longMemberMain, CARDS.longMemberSecond, 3],
			[CARDS.main, CARDS.second, 4],
		]);
	});

	it('reads the mode of a fixed value too, and of a whole-field expression that gives { mode, value }', async () => {
		const fixed = await kona.output(workflow({ fromCardNo: byPar(parOf(CARDS.main)) }), [item(5)]);
		expect(fixed.error).toBeUndefined();
		const whole = await kona.output(
			workflow({ fromCardNo: "={{ { __rl: true, mode: 'par', value: $json.fromPar } }}" }),
			[item(6)],
		);
		expect(whole.error).toBeUndefined();
		expect(sent().map(({ fromCardNo, amount }) => [fromCardNo, amount])).toEqual([
			[CARDS.main, 5],
			[CARDS.main, 6],
		]);
	});

	it('workflows By Number or saved as plain text send no card list read', async () => {
		const numbered = workflow({ fromCardNo: byNumber('={{ $json.fromCardNo }}') });
		await kona.output(numbered, [item(7, { fromCardNo: CARDS.main })]);
		await kona.output(WORKFLOWS.transfer, [{ ...MAIN_TO_SECOND, amount: 8 }]);
		expect(listReads()).toEqual([]);
		expect(sent().map(({ amount }) => amount)).toEqual([7, 8]);
	});

	it("refuses a PAR that is none of the member's cards, naming the field and only its last 4, nothing sent", async () => {
		const unknown = parOf(CARDS.mergeGift);
		const { error, success } = await kona.output(workflow(), [item(10, { fromPar: unknown })]);
		expect(success).toHaveLength(0);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(
			`Card Number to Transfer From (fromCardNo) of item 0 is PAR token ${last4(unknown)}, which is none of the cards of member ${MEMBER}`,
		);
		expect(error?.description).toMatch(/^No transfer was sent for this item\. /);
		expect(JSON.stringify(error)).not.toContain(unknown);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(0);
		expect(listReads()).toHaveLength(1);
	});

	it('under Continue On Fail, the unknown PAR is an error item and the other items go', async () => {
		const wf = workflow({}, { onError: 'continueRegularOutput' });
		const { success } = await kona.output(wf, [
			item(11),
			item(12, { userId: MERGE_MEMBER }),
			item(13),
		]);
		expect(
			success.map(({ json }) => json.transferred ?? (json.error as IDataObject).message),
		).toEqual([
			true,
			`Card Number to Transfer From (fromCardNo) of item 1 is PAR token ${last4(parOf(CARDS.main))}, which is none of the cards of member ${MERGE_MEMBER}`,
			true,
		]);
		expect(sent().map(({ amount }) => amount)).toEqual([11, 13]);
		expect(listReads()).toEqual([`{"userId":${MEMBER}}`, `{"userId":${MERGE_MEMBER}}`]);
	});

	it('refuses a text that is not a PAR token before any request', async () => {
		const { error } = await kona.output(workflow(), [item(14, { fromPar: CARDS.main })]);
		expect(error?.message).toMatch(
			/^Card Number to Transfer From \(fromCardNo\) of item 0 must be a PAR token of 27 letters and digits/,
		);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('refuses the same card given by PAR and by number, after the read, nothing transferred', async () => {
		const { error } = await kona.output(workflow(), [item(15, { toCardNo: CARDS.main })]);
		expect(error?.message).toMatch(
			/^Card Number to Transfer To \(toCardNo\) of item 0 is the same card as Card Number to Transfer From/,
		);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(0);
	});

	it('a failed card list read stops the run with its error before any transfer', async () => {
		kona.emulator.script = (request) =>
			request.path === CARD_LIST
				? { status: 500, headers: { 'content-type': 'text/html' }, body: '<html>down</html>' }
				: undefined;
		const { error, success } = await kona.output(workflow(), [item(16), item(17)]);
		expect(success).toHaveLength(0);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.description).toContain(
			`No transfer was sent for item 0: Card Number to Transfer From is given by PAR token ${last4(parOf(CARDS.main))}`,
		);
		expect(kona.emulator.requests.filter(({ path }) => path === TRANSFER)).toHaveLength(0);
		expect(kona.emulator.requests.filter(({ path }) => path === CARD_LIST)).toHaveLength(1);
	});

	it('under Continue On Fail, a failed read refuses each item of the member once read, nothing transferred', async () => {
		kona.emulator.script = (request) =>
			request.path === CARD_LIST ? { status: 503, headers: {}, body: '' } : undefined;
		const wf = workflow({}, { onError: 'continueRegularOutput' });
		const { success } = await kona.output(wf, [item(18), item(19)]);
		expect(success.map(({ json, pairedItem }) => [Object.keys(json), pairedItem])).toEqual([
			[['error'], { item: 0 }],
			[['error'], { item: 1 }],
		]);
		expect(kona.emulator.requests.filter(({ path }) => path === CARD_LIST)).toHaveLength(1);
		expect(kona.emulator.requests.filter(({ path }) => path === TRANSFER)).toHaveLength(0);
	});

	it('applies the spending limits to an item by PAR: refused, nothing transferred', async () => {
		const wf = workflow({ options: { maxAmountPerTransfer: 1000 } });
		const { error } = await kona.output(wf, [item(500), item(5000)]);
		expect(error?.context).toMatchObject({ refusal: 'LIMIT_AMOUNT_PER_TRANSFER', itemIndex: 1 });
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(0);
	});
});

describe('a transfer by PAR under a Reference', () => {
	const referenced = (parameters: INodeParameters) =>
		withNode(ledgerWorkflow(), {
			parameters: { reference: '={{ $json.reference }}', ...parameters },
		});
	const parWorkflow = referenced({
		fromCardNo: byPar('={{ $json.fromPar }}'),
		toCardNo: byNumber('={{ $json.toCardNo }}'),
	});

	it('a re-run sends nothing, and the same Reference given by number is the same transfer, not a mismatch', async () => {
		const first = await kona.output(parWorkflow, [item(100, { reference: 'par-1' })]);
		expect(first.success[0].json).toMatchObject({ transferred: true, reference: 'par-1' });
		const again = await kona.output(parWorkflow, [item(100, { reference: 'par-1' })]);
		expect(again.success[0].json).toMatchObject({
			alreadyTransferred: true,
			reference: 'par-1',
			fromCardNo: maskCardNo(CARDS.main),
		});
		const byNumberToo = await kona.output(referenced({}), [
			{ ...MAIN_TO_SECOND, amount: 100, reference: 'par-1' },
		]);
		expect(byNumberToo.error).toBeUndefined();
		expect(byNumberToo.success[0].json).toMatchObject({ alreadyTransferred: true });
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
	});

	it('the Reference given another card by PAR afterwards is a mismatch, nothing sent', async () => {
		await kona.output(parWorkflow, [item(100, { reference: 'par-2' })]);
		const other = await kona.output(parWorkflow, [
			item(100, { reference: 'par-2', fromPar: parOf(CARDS.empty) }),
		]);
		expect(other.error?.context).toMatchObject({ refusal: 'LEDGER_REFERENCE_MISMATCH' });
		expect(other.error?.message).toContain('card to transfer from');
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
	});
});

describe('as an AI agent tool with a card By PAR Token', () => {
	const tool = (): WorkflowFile => ({
		name: 'Konaplate tool by PAR (engine test)',
		nodes: [
			{
				...WORKFLOWS.transfer.nodes[0],
				type: KONAPLATE_TOOL_TYPE,
				parameters: {
					resource: 'card',
					operation: 'transferBalance',
					userId: "={{ $fromAI('userId', 'the member', 'string') }}",
					fromCardNo: byPar(
						"={{ $fromAI('fromPar', 'the PAR of the card to take from', 'string') }}",
					),
					toCardNo: byNumber(CARDS.second),
					amount: "={{ $fromAI('amount', 'whole KRW', 'number') }}",
					reference: "={{ $fromAI('reference', 'the order id', 'string') }}",
					options: { requireReference: true },
				},
			},
		],
		connections: {},
	});

	it('transfers by PAR the same, and refuses an unknown PAR in the words of its key', async () => {
		const call = { userId: MEMBER, fromPar: parOf(CARDS.main), amount: 300, reference: 'tool-1' };
		const { success, error } = await kona.output(tool(), [call]);
		expect(error).toBeUndefined();
		expect(success[0].json).toMatchObject({ transferred: true, amount: 300 });
		expect(sent()).toEqual([
			{ userId: Number(MEMBER), fromCardNo: CARDS.main, toCardNo: CARDS.second, amount: 300 },
		]);
		const unknown = parOf(CARDS.mergeGift);
		const refused = await kona.output(tool(), [{ ...call, fromPar: unknown, reference: 'tool-2' }]);
		expect(refused.error?.message).toBe(
			`Refused, nothing was sent: fromPar is the PAR token ${last4(unknown)}, which is none of this member's cards: give the par of one of the member's cards as their card list returns it. A valid fromPar is the card's PAR token: 27 letters and digits, as a card list returns it.`,
		);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
	});
});
