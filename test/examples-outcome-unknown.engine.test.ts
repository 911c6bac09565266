import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import type { WorkflowFile } from '../scripts/engine/engine';
import { useProcessedDataStore } from '../scripts/engine/dedup-store';
import { MAIN_TO_SECOND } from '../emulator/data';
import { slow, slowAnswersDone } from './helpers/slow-answers';
import { useKonaplate } from './helpers/konaplate';
import { NOT_THE_DATE } from './helpers/clock';

/**
 * examples/payout-outcome-unknown.json's ledger part, looked at the day after the attempt: its
 * Konaplate nodes run as the example sets them (one at a time: the engine loads this package
 * only), its Evidence code on their outputs. The history is read on the day of the attempt
 * (Transfer Reference → Get's claimedOn), so the transfer Konaplate performed is found and the
 * advice is Mark as Transferred, never Mark as Not Transferred (which would pay it twice).
 */
const kona = useKonaplate();
beforeEach(async () => (await useProcessedDataStore()).clear());
afterAll(async () => await slowAnswersDone());

const example = JSON.parse(
	readFileSync(join(__dirname, '..', 'examples', 'payout-outcome-unknown.json'), 'utf8'),
) as WorkflowFile;
const nodeOf = (name: string) => example.nodes.find((node) => node.name === name) as INode;

/** One Konaplate node of the example, alone, its parameters changed by `change`. */
async function run(name: string, items: IDataObject[], change: IDataObject = {}) {
	const found = nodeOf(name);
	const node = { ...found, parameters: { ...found.parameters, ...change } } as INode;
	return await kona.output({ ...example, nodes: [node], connections: {} }, items);
}

/** The example's Evidence Code node, on the outputs of the nodes it reads by name. */
function evidence(outputs: Record<string, INodeExecutionData[]>): IDataObject[] {
	const code = String(nodeOf('Evidence').parameters.jsCode);
	const $ = (name: string) => ({ all: () => outputs[name] });
	const evaluate = new Function('$', code) as (read: typeof $) => Array<{ json: IDataObject }>;
	return evaluate($).map(({ json }) => json);
}

const kstDay = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);

describe('examples/payout-outcome-unknown.json, the day after the attempt', () => {
	it('reads the history of the day of the attempt (claimedOn) and advises Mark as Transferred for the transfer Konaplate performed', async () => {
		const payout = { ...MAIN_TO_SECOND, payoutId: 'payout-2026-12-0001', amount: 1000 };
		kona.emulator.script = () => slow({ delayMs: 1600, status: 200, body: '{}' });
		const paid = await run('Pay out', [payout], {
			options: { ...(nodeOf('Pay out').parameters.options as object), timeout: 1000 },
		});
		kona.emulator.script = undefined;
		// n8n merges the input item into an error item when the node has a previous one (Payouts in
		// the example; none in this run of the node alone): the Evidence code reads its amount
		const unknown = paid.errors
			.filter(({ json }) => (json.error as IDataObject | undefined)?.outcome === 'unknown')
			.map((item) => ({ ...item, json: { ...payout, ...item.json } }));
		expect(unknown).toHaveLength(1);
		await slowAnswersDone();
		const attemptDay = kstDay();

		jest.useFakeTimers({ now: Date.now() + 86_400_000, doNotFake: [...NOT_THE_DATE] });
		try {
			expect(kstDay()).not.toBe(attemptDay);
			const states = await run(
				'Ledger state',
				unknown.map(({ json }) => json),
			);
			expect(states.success.map(({ json }) => json)).toMatchObject([
				{ reference: payout.payoutId, state: 'outcomeUnknown', claimedOn: attemptDay },
			]);
			// the example's own dates ($json.claimedOn); the card is Pay out's, as the example reads it
			const card = { userId: payout.userId, cardNo: payout.fromCardNo };
			const rows = await run(
				'Transfers that day',
				states.success.map(({ json }) => json),
				card,
			);
			expect(rows.error).toBeUndefined();
			const [request] = kona.emulator.accepted('/api/v1/transaction/card');
			const day = attemptDay.replace(/-/g, '');
			expect(request.body).toMatchObject({ startDate: day, endDate: day });
			const [advice] = evidence({
				'Outcome unknown': unknown,
				'Ledger state': states.success,
				'Transfers that day': rows.success,
			});
			expect(advice).toMatchObject({
				reference: payout.payoutId,
				day: attemptDay,
				matchingTransfers: [expect.objectContaining({ trAmount: 1000 })],
			});
			expect(String(advice.toDecide)).toMatch(/choose Mark as Transferred/);
			expect(String(advice.toDecide)).not.toMatch(/Mark as Not Transferred/);

			// what the re-run's own day would have shown: no row, and the advice that pays twice
			const today = await run('Transfers that day', [{ claimedOn: kstDay() }], card);
			expect(today.success.filter(({ json }) => json.trType !== undefined)).toEqual([]);
			const [wrong] = evidence({
				'Outcome unknown': unknown,
				'Ledger state': states.success,
				'Transfers that day': today.success,
			});
			expect(String(wrong.toDecide)).toMatch(/Mark as Not Transferred/);
		} finally {
			jest.useRealTimers();
		}
	});

	it("Resolve reads the example's form: the Reference as typed, Mark as Transferred as markTransferred", async () => {
		const payout = { ...MAIN_TO_SECOND, payoutId: 'payout-2026-12-0002', amount: 2500 };
		kona.emulator.script = () => slow({ delayMs: 1600, status: 200, body: '{}' });
		await run('Pay out', [payout], {
			options: { ...(nodeOf('Pay out').parameters.options as object), timeout: 1000 },
		});
		kona.emulator.script = undefined;
		await slowAnswersDone();
		const resolved = await run('Resolve', [
			{ Reference: ` ${payout.payoutId} `, Decision: 'Mark as Transferred' },
		]);
		expect(resolved.error).toBeUndefined();
		expect(resolved.success[0].json).toMatchObject({
			reference: payout.payoutId,
			decision: 'markTransferred',
			state: 'transferred',
		});
		kona.emulator.requests.length = 0;
		const again = await run('Pay out', [payout]);
		expect(again.success[0].json).toMatchObject({ alreadyTransferred: true });
		expect(kona.emulator.requests).toHaveLength(0);
	});
});
