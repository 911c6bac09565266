import type { IDataObject } from 'n8n-workflow';

import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { CARDS } from '../emulator/server';
import { MAIN_TO_SECOND } from '../emulator/data';

const kona = useKonaplate();
const transfer = (amount: number): IDataObject => ({
	...MAIN_TO_SECOND,
	amount,
});
const batched = (batchSize: number, batchInterval = 0) =>
	withNode(WORKFLOWS.transfer, {
		parameters: { options: { batching: { batch: { batchSize, batchInterval } } } },
	});
const amountOf = (rawBody: string) => Number(/"amount":(\d+)/.exec(rawBody)?.[1]);

describe('Options > Batching', () => {
	it('sends one item at a time by default', async () => {
		kona.emulator.latency = () => 20;
		await kona.run(WORKFLOWS.transfer, [transfer(1), transfer(2), transfer(3)]);
		expect(kona.emulator.maxInFlight).toBe(1);
	});

	it('sends up to "Items per Batch" at once, each item exactly once, output in input order with pairedItem', async () => {
		// Earlier items answer later, so completion order differs from input order.
		kona.emulator.latency = (request) => 60 - 6 * amountOf(request.rawBody);
		const items = Array.from({ length: 7 }, (_, i) => transfer(i + 1));
		const { success } = await kona.output(batched(3), items);
		expect(kona.emulator.maxInFlight).toBe(3);
		expect(success.map((item) => [item.json.amount, item.pairedItem])).toEqual(
			items.map((item, index) => [item.amount, { item: index }]),
		);
		expect(
			kona.emulator
				.accepted()
				.map((r) => amountOf(r.rawBody))
				.sort((a, b) => a - b),
		).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(kona.emulator.cards.get(CARDS.main)?.balance).toBe(50_000 - 28);
	});

	it('waits "Batch Interval" between batches', async () => {
		const started: number[] = [];
		kona.emulator.latency = () => {
			started.push(Date.now());
			return 0;
		};
		await kona.run(batched(2, 300), [transfer(1), transfer(2), transfer(3), transfer(4)]);
		expect(started).toHaveLength(4);
		expect(started[2] - started[1]).toBeGreaterThanOrEqual(280);
		expect(started[1] - started[0]).toBeLessThan(280);
	});

	it('a refusal inside a batch: its siblings are settled and reported, and no later batch is sent', async () => {
		const items = [transfer(1), transfer(90_000), transfer(3), transfer(4), transfer(5)];
		const { error } = await kona.output(batched(3), items);
		expect(error?.message).toBe('005_018: There is not enough balance to transfer.');
		expect(error?.description).toMatch(
			/Already completed in this run before it stopped: item 0 \(.+\), item 2 \(.+\)\. Do not run those again\.$/,
		);
		expect(
			kona.emulator
				.accepted()
				.map((r) => amountOf(r.rawBody))
				.sort((a, b) => a - b),
		).toEqual([1, 3, 90_000]);
	});

	it('with the error output, batches keep every item in order on its branch', async () => {
		const workflow = withNode(batched(2), { onError: 'continueErrorOutput' });
		const items = [transfer(1), transfer(90_000), transfer(3), transfer(0)];
		const { success, errors } = await kona.output(workflow, items);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(errors.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
		expect(kona.emulator.requests).toHaveLength(3);
	});
});

describe('Options > Batching values that cannot be used', () => {
	it.each([
		[
			'Items per Batch of 0',
			{ batchSize: 0, batchInterval: 0 },
			/Items per Batch must be a whole number of at least 1, got 0/,
		],
		[
			'Items per Batch that is not a number',
			{ batchSize: '={{ 0/0 }}', batchInterval: 0 },
			/Items per Batch must be a whole number of at least 1, got NaN/,
		],
		[
			'Items per Batch of 2.5',
			{ batchSize: 2.5, batchInterval: 0 },
			/Items per Batch must be a whole number/,
		],
		[
			'a negative Batch Interval',
			{ batchSize: 1, batchInterval: -5 },
			/Batch Interval must be a whole number of milliseconds from 0/,
		],
	])('%s is refused before anything is sent', async (_label, batch, message) => {
		const workflow = withNode(WORKFLOWS.transfer, {
			parameters: { options: { batching: { batch } } },
		});
		const { error, success } = await kona.output(workflow, [transfer(1)]);
		expect(success).toHaveLength(0);
		expect(error?.message).toMatch(/^Batching \(batching\) /);
		expect(error?.message).toMatch(message);
		expect(kona.emulator.requests).toHaveLength(0);
	});
});
