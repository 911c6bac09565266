import type { IDataObject } from 'n8n-workflow';

import { MemoryProcessedData, useProcessedDataStore } from '../scripts/engine/dedup-store';
import { KONAPLATE_TOOL_TYPE } from '../scripts/engine/engine';
import { claimDay, ledgerValuesOf } from './helpers/ledger';
import { slow, slowAnswersDone } from './helpers/slow-answers';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { MAIN_TO_SECOND } from '../emulator/data';
import { NOT_THE_DATE } from './helpers/clock';

/**
 * Transfer Reference → Get and → Resolve: the workflow's ledger read and resolved by a person,
 * nothing sent to Konaplate; and their effect on the next transfer run.
 */
const TRANSFER = '/api/v1/transfer/balance';
const kona = useKonaplate();
let store: MemoryProcessedData;
const WORKFLOW_ID = 'test-workflow';

beforeAll(async () => {
	store = await useProcessedDataStore();
});
beforeEach(() => store.clear());
afterAll(async () => await slowAnswersDone());

const transferWorkflow = withNode(WORKFLOWS.transfer, {
	parameters: { reference: '={{ $json.reference }}', options: { timeout: 1000 } },
});
const transfer = async (reference: string, amount = 700) =>
	await kona.output(transferWorkflow, [{ ...MAIN_TO_SECOND, amount, reference }]);
/** The marker and fields of a transfer of 700 KRW under `reference`: what stays when it is marked not transferred. */
const fieldsOf = (reference: string) =>
	ledgerValuesOf(kona.emulator.baseUrl, { ...MAIN_TO_SECOND, amount: 700, reference }, false)
		.slice(0, 5)
		.map((value) => MemoryProcessedData.hash(value))
		.sort();
/** A transfer whose answer never arrives in time: Konaplate performs it, the node cannot know. */
async function timedOut(reference: string) {
	kona.emulator.script = () => slow({ delayMs: 1600, status: 200, body: '{}' });
	const { error } = await transfer(reference);
	expect(error?.message).toMatch(/timed out|did not answer|no answer/i);
	kona.emulator.script = undefined;
}
const getState = async (...references: string[]) =>
	await kona.output(
		WORKFLOWS.transferReferenceGet,
		references.map((reference) => ({ reference })),
	);
const resolve = async (
	reference: string,
	decision: string,
	workflow = WORKFLOWS.transferReferenceResolve,
) => await kona.output(workflow, [{ reference, decision }]);
const ledger = () => [...store.entries(WORKFLOW_ID)].sort();
const sent = () => kona.emulator.accepted(TRANSFER).length;
/** Waits until the emulator has received `count` requests (5 s at most). */
async function arrived(count: number) {
	for (let waited = 0; kona.emulator.requests.length < count; waited += 20) {
		if (waited > 5000) throw new Error(`only ${kona.emulator.requests.length} requests arrived`);
		await new Promise((done) => setTimeout(done, 20));
	}
}

describe('Transfer Reference → Get', () => {
	it('tells notSent, transferred and outcomeUnknown, sends nothing and leaves the ledger as it was', async () => {
		await transfer('paid');
		await timedOut('unclear');
		const before = ledger();
		const requests = kona.emulator.requests.length;
		const { success, error } = await getState('never', 'paid', 'unclear');
		expect(error).toBeUndefined();
		expect(success.map(({ json }) => [json.reference, json.state])).toEqual([
			['never', 'notSent'],
			['paid', 'transferred'],
			['unclear', 'outcomeUnknown'],
		]);
		expect(success.map(({ pairedItem }) => pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(success[2].json.meaning).toMatch(/may or may not have gone through/);
		expect(ledger()).toEqual(before);
		expect(kona.emulator.requests).toHaveLength(requests);
	});

	it("gives the day of the attempt (claimedOn, the credential's zone) for a reference that was attempted, also on a later day", async () => {
		await transfer('paid');
		await timedOut('unclear');
		const today = claimDay();
		const { success } = await getState('never', 'paid', 'unclear');
		expect(success.map(({ json }) => json.claimedOn)).toEqual([undefined, today, today]);
		const before = ledger();
		const tomorrow = Date.now() + 86_400_000;
		jest.useFakeTimers({ now: tomorrow, doNotFake: NOT_THE_DATE });
		try {
			const later = await getState('unclear');
			expect(later.success[0].json).toMatchObject({ state: 'outcomeUnknown', claimedOn: today });
			expect(claimDay()).not.toBe(today);
		} finally {
			jest.useRealTimers();
		}
		expect(ledger()).toEqual(before);
	});

	it('refuses an empty reference, naming the parameter and the item', async () => {
		const { error } = await getState('');
		expect(error?.message).toBe(
			'Reference (reference) of item 0 is empty: give the Reference of a transfer',
		);
	});

	it('is scoped to the account: the same reference on another ASP ID is notSent', async () => {
		await transfer('paid');
		const { success } = await kona.output(WORKFLOWS.transferReferenceGet, [{ reference: 'paid' }], {
			aspId: '900000000000002',
		});
		expect(success[0].json.state).toBe('notSent');
	});
});

describe('Transfer Reference → Resolve', () => {
	it('Mark as Transferred: the re-run outputs alreadyTransferred and sends nothing', async () => {
		await timedOut('payout-1');
		expect(sent()).toBe(1);
		const { success, error } = await resolve('payout-1', 'markTransferred');
		expect(error).toBeUndefined();
		expect(success[0].json).toMatchObject({
			reference: 'payout-1',
			decision: 'markTransferred',
			stateBefore: 'outcomeUnknown',
			state: 'transferred',
		});
		expect(String(success[0].json.changed)).toMatch(/Nothing was sent to Konaplate/);
		expect(String(success[0].json.undo)).toMatch(
			/a person sends it deliberately under a new Reference/,
		);
		expect(sent()).toBe(1);
		const rerun = await transfer('payout-1');
		expect(rerun.error).toBeUndefined();
		expect(rerun.success[0].json).toMatchObject({
			alreadyTransferred: true,
			reference: 'payout-1',
		});
		expect(sent()).toBe(1);
		expect((await getState('payout-1')).success[0].json.state).toBe('transferred');
	});

	it('Mark as Not Transferred: the re-run sends it, exactly one request', async () => {
		await timedOut('payout-2');
		kona.emulator.reset();
		const { success } = await resolve('payout-2', 'markNotTransferred');
		expect(success[0].json).toMatchObject({ stateBefore: 'outcomeUnknown', state: 'notSent' });
		expect(ledger()).toEqual(fieldsOf('payout-2'));
		expect((await getState('payout-2')).success[0].json.state).toBe('notSent');
		const rerun = await transfer('payout-2');
		expect(rerun.error).toBeUndefined();
		expect(rerun.success[0].json).toMatchObject({ transferred: true, reference: 'payout-2' });
		expect(sent()).toBe(1);
		expect((await getState('payout-2')).success[0].json.state).toBe('transferred');
	});

	it('Mark as Not Transferred keeps the transfer it names: the same reference with another amount is refused as a mismatch', async () => {
		await timedOut('payout-3');
		await resolve('payout-3', 'markNotTransferred');
		kona.emulator.reset();
		const other = await transfer('payout-3', 701);
		expect(other.error?.context).toMatchObject({
			refusal: 'LEDGER_REFERENCE_MISMATCH',
			reference: 'payout-3',
		});
		expect(other.error?.message).toBe(
			'Item 0 (Reference "payout-3") was not sent: this Reference names an earlier transfer with another amount.',
		);
		expect(sent()).toBe(0);
		expect(ledger()).toEqual(fieldsOf('payout-3'));
		expect((await getState('payout-3')).success[0].json.state).toBe('notSent');
	});

	it.each([
		['transferred', 'markNotTransferred'],
		['notSent', 'markTransferred'],
	])('refuses a reference that is %s, changing nothing', async (state, decision) => {
		if (state === 'transferred') await transfer('ref');
		const before = ledger();
		const { error } = await resolve('ref', decision);
		expect(error?.message).toBe(
			`Item 0 (Reference "ref") was not resolved: its state is ${state}, and Resolve changes only a Reference whose outcome is unknown. Nothing was changed.`,
		);
		expect(ledger()).toEqual(before);
	});

	it('on the error output, a refusal has a stable code and the reference', async () => {
		const { errors } = await resolve(
			'ref',
			'markTransferred',
			withNode(WORKFLOWS.transferReferenceResolve, { onError: 'continueErrorOutput' }),
		);
		expect((errors[0].json.error as IDataObject).code).toBe('RESOLVE_NOT_UNKNOWN');
		expect((errors[0].json.error as IDataObject).reference).toBe('ref');
	});

	it('a run that stops names the items it already resolved, by their index (a ledger decision has no correlation id)', async () => {
		await timedOut('stop-1');
		const { error } = await kona.output(WORKFLOWS.transferReferenceResolve, [
			{ reference: 'stop-1', decision: 'markTransferred' },
			{ reference: 'never-sent', decision: 'markTransferred' },
		]);
		expect(error?.context).toMatchObject({ refusal: 'RESOLVE_NOT_UNKNOWN' });
		expect(error?.description).toContain(
			'Already completed in this run before it stopped: item 0. Do not run those again.',
		);
		expect(error?.description).not.toContain('undefined');
		expect((await getState('stop-1')).success[0].json.state).toBe('transferred');
	});

	it('refuses a decision that is not one of the two', async () => {
		await timedOut('payout-3');
		const before = ledger();
		const { error } = await resolve('payout-3', 'maybe');
		expect(error?.message).toBe(
			'Decision (decision) of item 0 must be Mark as Transferred or Mark as Not Transferred',
		);
		expect(ledger()).toEqual(before);
	});

	it('Mark as Not Transferred waits until the attempt is over, naming until when; Mark as Transferred does not', async () => {
		const patient = withNode(WORKFLOWS.transfer, {
			parameters: { reference: '={{ $json.reference }}', options: { timeout: 5000 } },
		});
		kona.emulator.script = () => slow({ delayMs: 1500, status: 502, body: 'Bad gateway' });
		const running = kona.output(patient, [{ ...MAIN_TO_SECOND, amount: 700, reference: 'flying' }]);
		await arrived(1);
		const before = ledger();
		const early = await resolve('flying', 'markNotTransferred');
		expect(early.error?.context).toMatchObject({
			refusal: 'RESOLVE_IN_FLIGHT',
			reference: 'flying',
		});
		expect(early.error?.message).toMatch(
			/^Item 0 \(Reference "flying"\) was not resolved: its transfer may still be in flight until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(KST\)\. Nothing was changed\.$/,
		);
		expect(ledger()).toEqual(before);
		expect((await running).error?.message).toMatch(/HTTP 502/);
		kona.emulator.script = undefined;
		// The attempt is over (its answer came): a person who found no Transfer row may decide
		const late = await resolve('flying', 'markNotTransferred');
		expect(late.success[0].json).toMatchObject({ stateBefore: 'outcomeUnknown', state: 'notSent' });

		kona.emulator.script = () => slow({ delayMs: 1500, status: 502, body: 'Bad gateway' });
		const again = kona.output(patient, [{ ...MAIN_TO_SECOND, amount: 700, reference: 'seen' }]);
		await arrived(2);
		const marked = await resolve('seen', 'markTransferred');
		expect(marked.success[0].json).toMatchObject({
			stateBefore: 'outcomeUnknown',
			state: 'transferred',
		});
		await again;
		kona.emulator.script = undefined;
		expect((await getState('seen')).success[0].json.state).toBe('transferred');
	});

	it('is refused as an AI agent’s tool: an agent never unblocks a payment', async () => {
		await timedOut('payout-4');
		const before = ledger();
		const { error } = await resolve(
			'payout-4',
			'markNotTransferred',
			withNode(WORKFLOWS.transferReferenceResolve, { type: KONAPLATE_TOOL_TYPE }),
		);
		expect(error?.message).toMatch(
			/^Refused \(RESOLVE_AS_TOOL\), nothing was sent: an agent may never/,
		);
		expect(ledger()).toEqual(before);
	});
});
