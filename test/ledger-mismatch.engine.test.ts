import type { IDataObject } from 'n8n-workflow';

import { MemoryProcessedData } from '../scripts/engine/dedup-store';
import { CARDS } from '../emulator/server';
import { MEMBER, MERGE_MEMBER } from '../emulator/data';
import { useKonaplate } from './helpers/konaplate';
import * as ledgerHelpers from './helpers/ledger';

const { ledgerItem: item, ledgerValuesOf, ledgerWorkflow, transferredHashes } = ledgerHelpers;

/**
 * A reference names one transfer: reused with another member, other cards or another amount it
 * is refused (LEDGER_REFERENCE_MISMATCH), naming which fields differ and never their values, and
 * the ledger keeps exactly what it held. An older version's entry (no marker) reads as before.
 */
const TRANSFER = '/api/v1/transfer/balance';
const WORKFLOW_ID = ledgerHelpers.LEDGER_WORKFLOW_ID;
const kona = useKonaplate();
const ledger = ledgerHelpers.useLedgerStore();

const transferred = (...items: IDataObject[]) => transferredHashes(kona.emulator.baseUrl, items);
const ledgerHolds = () => [...ledger.store.entries(WORKFLOW_ID)].sort();
const details = (json: IDataObject) => json.error as IDataObject;
const olderValue = (mark: 'claim' | 'done', reference: string) =>
	ledgerHelpers.olderLedgerValue(kona.emulator.baseUrl, mark, reference);
const record = async (values: string[]) => await ledgerHelpers.recordInLedger(ledger.store, values);
const resetCalls = () => {
	ledger.store.calls.checkProcessedAndRecord = 0;
	ledger.store.calls.removeProcessed = 0;
};
/** Nothing a person or an agent reads may carry a card number or a member id. */
const noValues = (text: string) => {
	for (const value of [...Object.values(CARDS), MEMBER, MERGE_MEMBER])
		expect(text).not.toContain(value);
};

const ORIGINAL = item('pay-1');

describe('a reference reused for another transfer is refused as a mismatch', () => {
	it.each([
		['another member', { userId: MERGE_MEMBER }, 'member'],
		['another card to transfer from', { fromCardNo: CARDS.empty }, 'card to transfer from'],
		['another card to transfer to', { toCardNo: CARDS.empty }, 'card to transfer to'],
		['another amount', { amount: 101 }, 'amount'],
		['the entire balance instead of an amount', { transferEntireBalance: true }, 'amount'],
		[
			'several fields at once',
			{ fromCardNo: CARDS.second, toCardNo: CARDS.main, amount: 5 },
			'card to transfer from, card to transfer to and amount',
		],
	])(
		'%s: nothing sent, the difference named, the ledger as it was',
		async (_label, change, named) => {
			await kona.run(ledgerWorkflow(), [ORIGINAL]);
			resetCalls();
			const { error, success } = await kona.output(ledgerWorkflow(), [item('pay-1', change)]);
			expect(success).toEqual([]);
			expect(error?.context).toMatchObject({
				refusal: 'LEDGER_REFERENCE_MISMATCH',
				reference: 'pay-1',
				requestOutcome: 'refused',
			});
			expect(error?.message).toBe(
				`Item 0 (Reference "pay-1") was not sent: this Reference names an earlier transfer with another ${named}.`,
			);
			expect(error?.description).toContain('give it a Reference of its own');
			noValues(`${error?.message} ${error?.description}`);
			expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
			expect(ledgerHolds()).toEqual(transferred(ORIGINAL));
			// One claim call (which tells the difference) and one removal of what it recorded to look
			expect(ledger.store.calls).toEqual({ checkProcessedAndRecord: 1, removeProcessed: 1 });
		},
	);

	it('the same reference with the same fields is still alreadyTransferred, in two store calls and no removal', async () => {
		await kona.run(ledgerWorkflow(), [ORIGINAL, item('whole', { transferEntireBalance: true })]);
		resetCalls();
		const { success, error } = await kona.output(ledgerWorkflow(), [
			ORIGINAL,
			item('whole', { transferEntireBalance: true, amount: 0 }),
		]);
		expect(error).toBeUndefined();
		expect(success.map((out) => out.json.alreadyTransferred)).toEqual([true, true]);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(2);
		expect(ledger.store.calls).toEqual({ checkProcessedAndRecord: 2, removeProcessed: 0 });
	});

	it('a reference whose outcome is unknown, reused for another transfer, is refused as a mismatch too', async () => {
		kona.emulator.script = () => ({ drop: true });
		await kona.run(ledgerWorkflow(), [ORIGINAL]);
		kona.emulator.reset();
		const { error } = await kona.output(ledgerWorkflow(), [item('pay-1', { amount: 300 })]);
		expect(error?.context).toMatchObject({ refusal: 'LEDGER_REFERENCE_MISMATCH' });
		expect(kona.emulator.requests).toHaveLength(0);
		const same = await kona.output(ledgerWorkflow(), [ORIGINAL]);
		expect(same.error?.context).toMatchObject({ refusal: 'LEDGER_OUTCOME_UNKNOWN' });
		const unknown = ledgerValuesOf(kona.emulator.baseUrl, ORIGINAL, false);
		expect(ledger.store.entries(WORKFLOW_ID)).toEqual([
			...unknown.map((value) => MemoryProcessedData.hash(value)),
			ledgerHelpers.unknownTransferHash(kona.emulator.baseUrl, ORIGINAL),
			...ledgerHelpers.countedUnknown(1),
		]);
	});

	it('under On Error → Continue, the mismatch is an error item (not a success); the other items are sent', async () => {
		await kona.run(ledgerWorkflow(), [ORIGINAL]);
		const regular = await kona.output(ledgerWorkflow({ onError: 'continueRegularOutput' }), [
			item('pay-2', { amount: 2 }),
			item('pay-1', { amount: 7 }),
		]);
		expect(regular.success.map((out) => out.json.transferred ?? details(out.json).code)).toEqual([
			true,
			'LEDGER_REFERENCE_MISMATCH',
		]);
		expect(regular.success[1].json).toEqual({
			error: expect.objectContaining({ reference: 'pay-1', outcome: 'refused', itemIndex: 1 }),
		});
		const branch = await kona.output(ledgerWorkflow({ onError: 'continueErrorOutput' }), [
			item('pay-3', { amount: 3 }),
			item('pay-1', { toCardNo: CARDS.empty }),
		]);
		expect(branch.success.map((out) => out.json.reference)).toEqual(['pay-3']);
		expect(branch.errors.map((out) => [out.pairedItem, details(out.json).code])).toEqual([
			[{ item: 1 }, 'LEDGER_REFERENCE_MISMATCH'],
		]);
		noValues(JSON.stringify([regular.success[1], branch.errors]));
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(3);
		expect(ledgerHolds()).toEqual(
			transferred(ORIGINAL, item('pay-2', { amount: 2 }), item('pay-3', { amount: 3 })),
		);
	});
});

describe("an older version's entry (a claim and a done, no marker) reads as it did", () => {
	it('any fields: alreadyTransferred, and what the look-up recorded is removed again', async () => {
		await record([olderValue('claim', 'older'), olderValue('done', 'older')]);
		const { success } = await kona.output(ledgerWorkflow(), [item('older', { amount: 999 })]);
		expect(success[0].json).toMatchObject({ alreadyTransferred: true, requestedAmount: 999 });
		expect(kona.emulator.requests).toHaveLength(0);
		expect(ledger.store.entries(WORKFLOW_ID)).toEqual(
			[olderValue('claim', 'older'), olderValue('done', 'older')].map((value) =>
				MemoryProcessedData.hash(value),
			),
		);
	});

	it('a re-run of 400 older entries removes what it looked up, at most 500 values a call', async () => {
		const references = Array.from({ length: 400 }, (_, n) => `older-${n}`);
		const older = references.flatMap((ref) => [olderValue('claim', ref), olderValue('done', ref)]);
		await record(older);
		resetCalls();
		const removals: number[] = [];
		const remove = ledger.store.removeProcessed.bind(ledger.store);
		const spy = jest
			.spyOn(ledger.store, 'removeProcessed')
			.mockImplementation(async (values, ...rest) => {
				removals.push(values.length);
				return await remove(values, ...rest);
			});
		const items = references.map((ref) => item(ref));
		const { success } = await kona.output(ledgerWorkflow(), items).finally(() => spy.mockRestore());
		expect(success.every((out) => out.json.alreadyTransferred === true)).toBe(true);
		// Six values looked up per reference (marker, four fields, the day of a claim), removed 500
		// at most a call; each window (100 references, then the run's pace) makes its claim and its
		// look-up of done
		expect(removals.reduce((a, b) => a + b, 0)).toBe(400 * 6);
		expect(Math.max(...removals)).toBe(500);
		expect(ledger.store.calls.checkProcessedAndRecord % 2).toBe(0);
		expect(ledger.store.calls.checkProcessedAndRecord).toBeGreaterThanOrEqual(4);
		expect(ledger.store.entries(WORKFLOW_ID)).toEqual(
			older.map((value) => MemoryProcessedData.hash(value)),
		);
	});

	it('an older claim alone: outcome unknown, its entry as it was', async () => {
		await record([olderValue('claim', 'older-unknown')]);
		const { error } = await kona.output(ledgerWorkflow(), [item('older-unknown')]);
		expect(error?.context).toMatchObject({ refusal: 'LEDGER_OUTCOME_UNKNOWN' });
		expect(ledger.store.entries(WORKFLOW_ID)).toEqual([
			MemoryProcessedData.hash(olderValue('claim', 'older-unknown')),
		]);
	});
});
