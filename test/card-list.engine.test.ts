/**
 * Cards in a list: Transfer Balance's From Card and To Card, and Card → Get's card, are n8n
 * resource locators whose list comes from Search for Card (card/list) for the User ID set in the
 * node. Each entry shows the masked number, status and balance; the full number is only the
 * value; a transfer lists only ACTIVE cards. Values saved when the fields were plain text, and
 * the values the editor saves now ({ __rl, mode, value }), both run.
 */
import type { INodeParameters } from 'n8n-workflow';

import { listSearch } from '../scripts/engine/list-search';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { CARDS, MAIN_TO_SECOND, MERGE_MEMBER, MEMBER, NO_ACCOUNT_MEMBER } from '../emulator/data';
import { CARD_LIST_METHOD } from '../nodes/Konaplate/actions/card/cardChoices';
import { maskCardNo } from '../nodes/Konaplate/wire/redact';

const kona = useKonaplate();
const CARD_LIST = '/api/v1/user/card/list';

const transferParameters = (userId: unknown): INodeParameters => ({
	resource: 'card',
	operation: 'transferBalance',
	userId: userId as string,
	fromCardNo: { __rl: true, mode: 'list', value: '' },
});

const search = (method: string, parameters: INodeParameters, filter?: string) =>
	listSearch(kona.engine, { method, parameters, credential: kona.credential(), filter });

const rl = (mode: 'list' | 'id', value: string) => ({ __rl: true, mode, value });

describe('the card list of the editor', () => {
	it("offers a transfer only the member's ACTIVE cards: masked number, status, balance; the full number is the value", async () => {
		const { results } = await search(CARD_LIST_METHOD.active, transferParameters(MERGE_MEMBER));
		expect(results).toEqual([
			{
				name: `${maskCardNo(CARDS.mergeMain)} · ACTIVE · 10,000 KRW · KONA standard card`,
				value: CARDS.mergeMain,
			},
			{
				name: `${maskCardNo(CARDS.mergeGift)} · ACTIVE · 3,000 KRW · KONA standard card`,
				value: CARDS.mergeGift,
			},
			{
				name: `${maskCardNo(CARDS.mergePlastic)} · ACTIVE · 2,500 KRW · KONA standard card`,
				value: CARDS.mergePlastic,
			},
			{
				name: `${maskCardNo(CARDS.mergeEmpty)} · ACTIVE · 0 KRW · KONA standard card`,
				value: CARDS.mergeEmpty,
			},
			{
				name: `${maskCardNo(CARDS.mergeDebit)} · ACTIVE · 1,500 KRW · KONA standard card`,
				value: CARDS.mergeDebit,
			},
		]);
		for (const { name } of results) expect(name).not.toMatch(/\d{10,}/);
		const [request] = kona.emulator.accepted(CARD_LIST);
		expect(request.rawBody).toBe(`{"userId":${MERGE_MEMBER}}`);
		expect(kona.emulator.requests).toHaveLength(1);
	});

	it('offers Card → Get every card of the member, inactive ones too, and filters by digits', async () => {
		const parameters = { resource: 'card', operation: 'get', userId: MERGE_MEMBER };
		const all = await search(CARD_LIST_METHOD.all, parameters);
		expect(all.results.map((entry) => entry.value)).toContain(CARDS.mergeInactive);
		expect(all.results.find((entry) => entry.value === CARDS.mergeInactive)?.name).toBe(
			`${maskCardNo(CARDS.mergeInactive)} · INACTIVE · 4,000 KRW · KONA standard card`,
		);
		const filtered = await search(CARD_LIST_METHOD.all, parameters, CARDS.mergeGift.slice(-4));
		expect(filtered.results.map((entry) => entry.value)).toEqual([CARDS.mergeGift]);
	});

	it('lists nothing for a member without cards', async () => {
		const { results } = await search(
			CARD_LIST_METHOD.active,
			transferParameters(NO_ACCOUNT_MEMBER),
		);
		expect(results).toEqual([]);
	});

	it.each([
		['empty', ''],
		['an expression', '={{ $json.userId }}'],
	])('asks for a fixed User ID when it is %s, and sends nothing', async (_case, userId) => {
		await expect(search(CARD_LIST_METHOD.active, transferParameters(userId))).rejects.toThrow(
			/To list the member's cards, set User ID to a fixed member ID first/,
		);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it("refuses keys Konaplate refuses, as the node's own requests do", async () => {
		await expect(
			listSearch(kona.engine, {
				method: CARD_LIST_METHOD.active,
				parameters: transferParameters(MEMBER),
				credential: kona.credential({ secretKey: 'not-the-secret-key-0123456789' }),
			}),
		).rejects.toThrow(/refused/i);
	});
});

describe('the card fields run with every value a workflow may hold', () => {
	it.each([
		['plain strings, as saved before the fields were lists', CARDS.main, CARDS.second],
		['chosen from the list', rl('list', CARDS.main), rl('list', CARDS.second)],
		['typed by number', rl('id', CARDS.main), rl('id', CARDS.second)],
	])('Transfer Balance: %s', async (_case, fromCardNo, toCardNo) => {
		const workflow = withNode(WORKFLOWS.transfer, {
			parameters: {
				userId: MEMBER,
				fromCardNo,
				toCardNo,
				transferEntireBalance: false,
				amount: 10,
			} as INodeParameters,
		});
		const { success, error } = await kona.output(workflow, [{}]);
		expect(error).toBeUndefined();
		expect(success[0].json).toMatchObject({
			transferred: true,
			fromCardNo: maskCardNo(CARDS.main),
			toCardNo: maskCardNo(CARDS.second),
		});
		expect(kona.emulator.accepted('/api/v1/transfer/balance')[0].rawBody).toContain(
			`"fromCardNo":"${CARDS.main}","toCardNo":"${CARDS.second}"`,
		);
	});

	it.each([
		['a plain string', CARDS.main],
		['chosen from the list', rl('list', CARDS.main)],
		['an expression in By Number', rl('id', '={{ $json.card }}')],
	])('Card → Get: %s', async (_case, cardNo) => {
		const workflow = withNode(WORKFLOWS.cardGet, { parameters: { cardNo } as INodeParameters });
		const { success } = await kona.output(workflow, [{ card: CARDS.main }]);
		expect(success[0].json).toMatchObject({ cardNo: maskCardNo(CARDS.main), balance: 50_000 });
	});

	it('a list value that is not a card number is refused before anything is sent', async () => {
		const workflow = withNode(WORKFLOWS.transfer, {
			parameters: { fromCardNo: rl('list', 'not a card') } as INodeParameters,
		});
		const { error } = await kona.output(workflow, [{ ...MAIN_TO_SECOND, amount: 10 }]);
		expect(error?.message).toMatch(/^Card Number to Transfer From \(fromCardNo\) of item 0 /);
		expect(kona.emulator.requests).toHaveLength(0);
	});
});
