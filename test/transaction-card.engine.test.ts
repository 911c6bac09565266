import type { INodeProperties } from 'n8n-workflow';

import { CARD_LIST_METHOD, PAR_MODE } from '../nodes/Konaplate/actions/card/cardChoices';
import { description as transferFields } from '../nodes/Konaplate/actions/card/transferBalance.operation';
import { fields as historyFields } from '../nodes/Konaplate/actions/transaction/fields';
import { parOf } from '../emulator/ids';
import { CARDS } from '../emulator/server';
import { MEMBER } from '../emulator/data';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';

/**
 * Transaction → Get Many's Card Number is the card field of Transfer Balance: the member's cards
 * to choose from (every card: a suspended card's history is read too), or a typed number.
 */
const kona = useKonaplate();
const today = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
const named = (fields: INodeProperties[], name: string) =>
	fields.find((field) => field.name === name) as INodeProperties;

describe("Transaction > Get Many's Card Number", () => {
	it("is the transfer's card field: the same modes, listing all the member's cards", () => {
		const history = named(historyFields, 'cardNo');
		const transfer = named(transferFields, 'fromCardNo');
		expect(history.type).toBe('resourceLocator');
		// the history gives a card by PAR token with Card (cardBy), not with a mode of this field
		expect(transfer.modes?.at(-1)?.name).toBe(PAR_MODE);
		expect(history.modes).toEqual(
			transfer.modes?.slice(0, -1).map((mode) =>
				mode.name === 'list'
					? {
							...mode,
							typeOptions: { ...mode.typeOptions, searchListMethod: CARD_LIST_METHOD.all },
						}
					: mode,
			),
		);
		expect(history.typeOptions).toEqual({ loadOptionsDependsOn: ['userId'] });
	});

	it.each([
		['chosen from the list', { __rl: true, mode: 'list', value: CARDS.main }],
		['typed By Number', { __rl: true, mode: 'id', value: CARDS.main }],
		['saved as plain text before the field was a list', CARDS.main],
	])('%s: the card is read by its PAR', async (_label, cardNo) => {
		const workflow = withNode(WORKFLOWS.transactionGetMany, {
			parameters: { cardBy: 'cardNo', cardNo },
		});
		const { error } = await kona.output(workflow, [
			{ userId: MEMBER, startDate: today(), endDate: today() },
		]);
		expect(error).toBeUndefined();
		const [request] = kona.emulator.accepted('/api/v1/transaction/card');
		expect(request.body).toMatchObject({ par: parOf(CARDS.main) });
		expect(request.rawBody).not.toContain(CARDS.main);
	});
});
