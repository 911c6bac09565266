import { sleep } from 'n8n-workflow';
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { LOCK_LEASE_MS } from '../nodes/Konaplate/ledger/lock';
import { useProcessedDataStore } from '../scripts/engine/dedup-store';
import type { MemoryProcessedData } from '../scripts/engine/dedup-store';
import type { WorkflowFile } from '../scripts/engine/engine';
import { emulatorTarget, useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import type { KonaplateTarget } from './helpers/konaplate';
import { transferredHashes } from './helpers/ledger';
import { useSecondProcess } from './helpers/second-process';
import { MAIN_TO_SECOND } from '../emulator/data';

/*
 * Queue mode in the engine: two copies of the package, each with its own module state, as on
 * two n8n workers, over one deduplication store whose rows behave as n8n's table does (a first
 * INSERT that loses to another fails, every later change reads the whole row and writes it back
 * without a lock). Only the ledger's lock keeps their executions from losing each other's writes.
 */

const TRANSFER = '/api/v1/transfer/balance';
const WORKFLOW_ID = 'test-workflow';
const kona = useKonaplate();
const second = useSecondProcess();
let store: MemoryProcessedData;
let worker2: KonaplateTarget;

beforeAll(async () => {
	store = await useProcessedDataStore();
	worker2 = emulatorTarget(second.engine, kona.emulator);
});
beforeEach(() => store.clear());

const item = (reference: string, amount = 100): IDataObject => ({
	...MAIN_TO_SECOND,
	amount,
	reference,
});

const workflow = (change: Partial<INode> = {}): WorkflowFile =>
	withNode(WORKFLOWS.transfer, {
		...change,
		parameters: { reference: '={{ $json.reference }}', options: {} as INodeParameters },
	});
const KONAPLATE_NODE = workflow().nodes[0];

/** What the ledger holds for items the node transferred: claim, marker, fields and done each. */
const transferred = (...items: IDataObject[]) => transferredHashes(kona.emulator.baseUrl, items);
/** Lock rows left once the last turn's release (a round trip after its answer) is done. */
const lockRowsLeft = async () => {
	for (let round = 0; round < 20 && store.nodeRows(WORKFLOW_ID).size > 0; round++) await sleep(5);
	return store.nodeRows(WORKFLOW_ID).size;
};
const sentAmounts = () =>
	kona.emulator
		.accepted(TRANSFER)
		.map((request) => Number(/"amount":(\d+)/.exec(request.rawBody)?.[1]))
		.sort((a, b) => a - b);

describe('two n8n processes, one workflow, one ledger', () => {
	it('one reference on both at once: exactly one request; the other execution is refused as in flight', async () => {
		kona.emulator.latency = () => 300;
		const outcomes = await Promise.all([
			kona.output(workflow(), [item('both')]),
			worker2.output(workflow(), [item('both')]),
		]);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
		expect(outcomes.filter((o) => o.success[0]?.json.transferred === true)).toHaveLength(1);
		expect(outcomes.find((o) => o.error)?.error?.context).toMatchObject({
			refusal: 'LEDGER_OUTCOME_UNKNOWN',
			reference: 'both',
		});
		expect([...store.entries(WORKFLOW_ID)].sort()).toEqual(transferred(item('both')));
		expect(await lockRowsLeft()).toBe(0);
	});

	it('a burst of 24 executions over both, 12 references each submitted twice: each sent once, no entry lost', async () => {
		kona.emulator.latency = () => 20;
		const references = Array.from({ length: 12 }, (_, n) => `burst-${n}`);
		const runs = references.flatMap((reference, n) => [
			kona.output(workflow(), [item(reference, 1000 + n)]),
			worker2.output(workflow(), [item(reference, 1000 + n)]),
		]);
		await Promise.all(runs);
		expect(sentAmounts()).toEqual(references.map((_, n) => 1000 + n));
		expect([...store.entries(WORKFLOW_ID)].sort()).toEqual(
			transferred(...references.map((reference, n) => item(reference, 1000 + n))),
		);
		kona.emulator.reset();
		const again = await Promise.all(
			references.map(async (reference, n) =>
				(n % 2 ? kona : worker2).output(workflow(), [item(reference, 1000 + n)]),
			),
		);
		expect(again.map((o) => o.success[0]?.json.alreadyTransferred)).toEqual(
			references.map(() => true),
		);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(0);
	});

	it('a lock row left by a process that died is broken after its lease; the run then sends', async () => {
		await store.checkProcessedAndRecord(
			['konaplate:v1:lock:0', 'konaplate:v1:lock:1'],
			'node',
			{ workflow: { id: WORKFLOW_ID, active: false }, node: KONAPLATE_NODE },
			{ mode: 'entries' },
		);
		const t0 = Date.now();
		const { success } = await worker2.output(workflow(), [item('after-a-crash')]);
		expect(success[0].json.transferred).toBe(true);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(LOCK_LEASE_MS);
		expect(await lockRowsLeft()).toBe(0);
	}, 40_000);

	it('the lock row is the node’s own: a Clean Database of the workflow scope (Remove Duplicates) leaves it', async () => {
		kona.emulator.latency = () => 100;
		let cleaned = false;
		store.beforeWrite = (key) => {
			if (!cleaned && key.endsWith(`\u0000n:${KONAPLATE_NODE.id}`) && store.rows.has(key)) {
				cleaned = true;
				void store.clearAllProcessedItems('workflow', {
					workflow: { id: WORKFLOW_ID, active: false },
				});
			}
		};
		await kona.output(workflow(), [item('cleaned')]);
		expect(cleaned).toBe(true);
		expect(await lockRowsLeft()).toBe(0);
	});

	it('a store that fails on the lock refuses the run with LEDGER_UNAVAILABLE: nothing sent', async () => {
		store.beforeWrite = (key) => {
			if (key.includes('\u0000n:')) throw new Error('could not connect to the database');
		};
		const { error } = await kona.output(workflow(), [item('no-store')]);
		expect(error?.context).toMatchObject({ refusal: 'LEDGER_UNAVAILABLE' });
		expect(error?.message).toContain('could not connect to the database');
		expect(kona.emulator.requests).toHaveLength(0);
	});
});
