import { KONAPLATE_TOOL_TYPE } from '../scripts/engine/engine';
import { CARDS, MAIN_TO_SECOND, MEMBER, MERGE_MEMBER } from '../emulator/data';
import { parOf } from '../emulator/ids';
import { UNDOCUMENTED_CODES } from '../emulator/replies';
import { ENDPOINT } from '../nodes/Konaplate/wire/endpoints';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';

/**
 * Card → Suspend and Card → Resume ("Modification of the Card's State", POST /api/v1/card/status):
 * the card found among the member's cards and sent by its PAR token, the state the emulator keeps,
 * a suspended card refusing transfers with 005_004, and Resume refused as an AI agent's tool.
 */
const kona = useKonaplate();
const suspend = async (cardNo: string = CARDS.main, userId = MEMBER) =>
	await kona.output(WORKFLOWS.cardSuspend, [{ userId, cardNo }]);
const resume = async (cardNo: string = CARDS.main, userId = MEMBER) =>
	await kona.output(WORKFLOWS.cardResume, [{ userId, cardNo }]);
const statusOf = async (cardNo: string) =>
	(await kona.output(WORKFLOWS.cardGet, [{ cardNo }])).success[0].json.cardStatus;
const transfer = async () =>
	await kona.output(WORKFLOWS.transfer, [{ ...MAIN_TO_SECOND, amount: 1000 }]);
const statusRequests = () => kona.emulator.accepted(ENDPOINT.cardStatus);

describe('Card → Suspend', () => {
	it('sends the PAR token and SUSPEND, never the card number, and outputs the masked card', async () => {
		const { success, error } = await suspend();
		expect(error).toBeUndefined();
		expect(kona.emulator.accepted(ENDPOINT.cardList)).toHaveLength(1);
		const [request] = statusRequests();
		expect(request.rawBody).toBe(
			`{"userId":${MEMBER},"par":"${parOf(CARDS.main)}","status":"SUSPEND"}`,
		);
		expect(success).toHaveLength(1);
		expect(success[0].json).toEqual({
			suspended: true,
			userId: MEMBER,
			cardNo: '949133******0765',
			status: 'SUSPEND',
			correlationId: expect.stringMatching(/^\d{12}-[0-9a-f]{7}$/),
		});
		expect(JSON.stringify(success[0].json)).not.toContain(CARDS.main);
		expect(await statusOf(CARDS.main)).toBe('SUSPENDED');
	});

	it('a suspended card refuses a transfer with 005_004 and nothing moves; resumed, it transfers again', async () => {
		await suspend();
		const refused = await transfer();
		expect(refused.error?.message).toBe('005_004: Gift card status is not active.');
		expect(kona.emulator.cards.get(CARDS.main)?.balance).toBe(50_000);

		const { success, error } = await resume();
		expect(error).toBeUndefined();
		expect(success[0].json).toMatchObject({ resumed: true, status: 'RESUME' });
		expect(statusRequests()[1].rawBody).toContain('"status":"RESUME"');
		expect(await statusOf(CARDS.main)).toBe('ACTIVE');
		expect((await transfer()).success[0].json.transferred).toBe(true);
		expect(kona.emulator.cards.get(CARDS.main)?.balance).toBe(49_000);
	});

	it('suspending a suspended card changes nothing and succeeds (the emulator’s guess: undocumented)', async () => {
		await suspend();
		const again = await suspend();
		expect(again.error).toBeUndefined();
		expect(await statusOf(CARDS.main)).toBe('SUSPENDED');
	});

	it("refuses a card that is not the member's before any status change is sent", async () => {
		const { error } = await suspend(CARDS.mergeMain, MEMBER);
		expect(error?.message).toBe(
			`Card 949133******0001 of item 0 is not a card of member ${MEMBER}`,
		);
		expect(statusRequests()).toHaveLength(0);
		expect(await statusOf(CARDS.mergeMain)).toBe('ACTIVE');
	});

	it('refuses a malformed card number or member with nothing sent', async () => {
		expect((await suspend('1234')).error?.message).toMatch(/^Card Number \(cardNo\) of item 0 /);
		expect((await suspend(CARDS.main, 'x')).error?.message).toMatch(
			/^User ID \(userId\) of item 0 /,
		);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('is offered to an AI agent: stopping a card protects', async () => {
		const { success, error } = await kona.output(
			withNode(WORKFLOWS.cardSuspend, { type: KONAPLATE_TOOL_TYPE }),
			[{ userId: MEMBER, cardNo: CARDS.main }],
		);
		expect(error).toBeUndefined();
		expect(success[0].json.suspended).toBe(true);
		expect(await statusOf(CARDS.main)).toBe('SUSPENDED');
	});
});

describe('Card → Resume', () => {
	it('passes through the code Konaplate gives for a card that was not suspended (INACTIVE)', async () => {
		const { error } = await resume(CARDS.mergeInactive, MERGE_MEMBER);
		expect(error?.message).toBe(`${UNDOCUMENTED_CODES.cardStatus}: Card status not allowed.`);
		expect(await statusOf(CARDS.mergeInactive)).toBe('INACTIVE');
	});

	it('is refused as an AI agent’s tool, with nothing sent: a person resumes a card', async () => {
		await suspend();
		kona.emulator.requests.length = 0;
		const { error } = await kona.output(
			withNode(WORKFLOWS.cardResume, { type: KONAPLATE_TOOL_TYPE }),
			[{ userId: MEMBER, cardNo: CARDS.main }],
		);
		expect(error?.message).toMatch(
			/^Refused \(RESUME_AS_TOOL\), nothing was sent: an agent may stop a card/,
		);
		expect(kona.emulator.requests).toHaveLength(0);
		expect(await statusOf(CARDS.main)).toBe('SUSPENDED');
	});

	it('the refusal carries its code, for the error output and the agent', async () => {
		const { error } = await kona.output(
			withNode(WORKFLOWS.cardResume, { type: KONAPLATE_TOOL_TYPE }),
			[{ userId: MEMBER, cardNo: CARDS.main }],
		);
		expect(error?.context).toMatchObject({ refusal: 'RESUME_AS_TOOL', requestOutcome: 'refused' });
	});
});
