import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { LONG_MEMBER, MEMBER } from '../emulator/data';

const DELETE = '/api/v1/bankaccounts/delete';
const kona = useKonaplate();

describe('Delete Bank Account through the n8n engine', () => {
	it('deletes the registered account and outputs deleted, the user id and the correlation id', async () => {
		const { success } = await kona.output(WORKFLOWS.delete, [{ userId: MEMBER }]);
		const [request] = kona.emulator.accepted(DELETE);
		expect(success).toEqual([
			{
				json: {
					deleted: true,
					userId: MEMBER,
					correlationId: request.headers['x-km-correlation-id'],
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(request.rawBody).toBe('{"userId":50000104652}');
		expect(kona.emulator.members.get(MEMBER)?.bankAccount).toBeNull();
	});

	it('sends a 19-digit member id as a bare number literal with every digit', async () => {
		await kona.run(WORKFLOWS.delete, [{ userId: LONG_MEMBER }]);
		expect(kona.emulator.accepted(DELETE)[0].rawBody).toBe(`{"userId":${LONG_MEMBER}}`);
		expect(kona.emulator.members.get(LONG_MEMBER)?.bankAccount).toBeNull();
	});

	it('accepts a numeric member id within JavaScript safe integers', async () => {
		const { success } = await kona.output(WORKFLOWS.delete, [{ userId: 50000104652 }]);
		expect(success[0].json.userId).toBe(MEMBER);
	});

	it('refuses a member id already rounded by JavaScript, naming the parameter and the item, sending nothing', async () => {
		const { error } = await kona.output(WORKFLOWS.delete, [
			{ userId: MEMBER },
			{ userId: Number(LONG_MEMBER) },
		]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(
			/^User ID \(userId\) of item 1 is a number too large to be exact here/,
		);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('turns 001_006 (no such member) into a NodeApiError with its meaning', async () => {
		const { error } = await kona.output(WORKFLOWS.delete, [{ userId: '42' }]);
		expect(error?.message).toBe('001_006: Wallet user not found.');
		expect(error?.description).toMatch(
			/^No such member: the user ID does not exist or the member has withdrawn\. \(HTTP 400, item 0, correlation id \d{12}-[0-9a-f]{7}\)$/,
		);
	});

	it("turns 000_002 (the service's own input check) into a NodeApiError", async () => {
		kona.emulator.script = () => ({
			status: 400,
			headers: { 'Content-Type': 'application/json' },
			body: '{"response":{"code":"000_002","description":"Invalid input parameter. userId"}}',
		});
		const { error } = await kona.output(WORKFLOWS.delete, [{ userId: MEMBER }]);
		expect(error?.message).toBe('000_002: Invalid input parameter. userId');
		expect(error?.description).toContain('An input parameter is invalid');
	});

	it('with the error output on, sends each item once and routes the unknown member to the error branch', async () => {
		const workflow = withNode(WORKFLOWS.delete, { onError: 'continueErrorOutput' });
		const { success, errors } = await kona.output(workflow, [
			{ userId: MEMBER },
			{ userId: '42' },
			{ userId: LONG_MEMBER },
			{ userId: 'abc' },
		]);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(
			errors.map((item) => [item.pairedItem, (item.json.error as { code?: string }).code]),
		).toEqual([
			[{ item: 1 }, '001_006'],
			[{ item: 3 }, undefined],
		]);
		expect((errors[1].json.error as { message: string }).message).toMatch(
			/^User ID \(userId\) of item 3 must be 1 to 19 digits/,
		);
		expect(kona.emulator.accepted(DELETE)).toHaveLength(3);
	});
});
