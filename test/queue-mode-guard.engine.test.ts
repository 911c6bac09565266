/**
 * The queue-mode guard (issue 28 item 4): a transfer with a Reference, Transfer Reference → Get
 * and → Resolve on the workflow ledger are refused on a queue-mode worker, which a node can tell
 * only from n8n-core's InstanceSettings (ledger/queue-mode.ts). Here the engine's own
 * InstanceSettings says 'worker', as `n8n worker` makes it; the real queue mode is checked by the
 * e2e queue group.
 */
import { dirname } from 'node:path';

import { InstanceSettings } from 'n8n-core';
import type { IDataObject } from 'n8n-workflow';

import { LEDGER_TABLE } from '../nodes/Konaplate/ledger/postgres/schema';
import { MemoryProcessedData, useProcessedDataStore } from '../scripts/engine/dedup-store';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { ledgerItem, ledgerWorkflow } from './helpers/ledger';
import { useTestPostgres } from './helpers/postgres';
import type { TestPostgres } from './helpers/postgres';

const kona = useKonaplate();
const database = useTestPostgres();
let db: TestPostgres;
let store: MemoryProcessedData;

beforeAll(async () => {
	store = await useProcessedDataStore();
	db = database();
});

/** The container n8n-core's contexts read their InstanceSettings from (its own @n8n/di). */
async function coreContainer() {
	const di = require.resolve('@n8n/di', { paths: [dirname(require.resolve('n8n-core'))] });
	return ((await import(di)) as typeof import('@n8n/di')).Container;
}

/** Runs `body` with the engine's n8n-core instance settings as in `n8n worker`. */
async function onWorker<T>(body: () => Promise<T>): Promise<T> {
	const settings = (await coreContainer()).get(InstanceSettings);
	const was = settings.instanceType;
	Object.defineProperty(settings, 'instanceType', { value: 'worker', configurable: true });
	try {
		return await body();
	} finally {
		Object.defineProperty(settings, 'instanceType', { value: was, configurable: true });
	}
}

const TRANSFER = '/api/v1/transfer/balance';
const details = (json: IDataObject) => json.error as IDataObject;
/**
 * The credential's Ledger at Shared (PostgreSQL), on the test file's database, by a URL of its
 * own per test: the node's pools (from dist/, the table checked once per pool) outlive the
 * helper's drop of the table before each test.
 */
const shared = (test: string) => ({
	ledger: 'postgres',
	ledgerPostgresUrl: `${db.url()}?application_name=guard-${test}`,
});
const get = async (credential?: Record<string, string>) =>
	await kona.output(WORKFLOWS.transferReferenceGet, [{ reference: 'pay-1' }], credential);
const resolve = async () =>
	await kona.output(WORKFLOWS.transferReferenceResolve, [
		{ reference: 'pay-1', decision: 'markTransferred' },
	]);
const getMany = async () =>
	await kona.output(
		withNode(WORKFLOWS.transferReferenceGet, {
			parameters: { operation: 'getMany', state: 'all' },
		}),
		[{}],
	);

describe('on a queue-mode worker, the workflow ledger', () => {
	it.each([
		['Get', get],
		['Resolve', resolve],
		['Get Many', getMany],
	])(
		'refuses Transfer Reference → %s, naming the shared ledger; nothing changed',
		async (name, run) => {
			store.clear();
			const { success, error } = await onWorker(async () => await run());
			expect(success).toEqual([]);
			expect(error?.context?.refusal).toBe('LEDGER_WORKFLOW_IN_QUEUE');
			expect(error?.message).toContain(`Transfer Reference → ${name} was refused`);
			expect(error?.message).toContain('queue-mode worker');
			expect(error?.description).toContain('Shared (PostgreSQL)');
			expect([...store.entries('test-workflow')]).toEqual([]);
		},
	);

	it('is used as before outside a worker (one process, or the main of queue mode)', async () => {
		const { success, error } = await get();
		expect(error).toBeUndefined();
		expect(success[0].json).toMatchObject({ reference: 'pay-1', state: 'notSent' });
	});
});

describe('on a queue-mode worker, the shared ledger', () => {
	it('answers Transfer Reference → Get', async () => {
		const { success, error } = await onWorker(async () => await get(shared('get')));
		expect(error).toBeUndefined();
		expect(success[0].json).toMatchObject({ reference: 'pay-1', state: 'notSent' });
	});
});

describe('on a queue-mode worker, a transfer', () => {
	beforeEach(() => store.clear());

	/** Nothing reached Konaplate, and n8n's store was neither read nor written. */
	function nothingSentOrTouched() {
		expect(kona.emulator.requests).toHaveLength(0);
		expect(store.rows.size).toBe(0);
		expect(store.calls).toEqual({ checkProcessedAndRecord: 0, removeProcessed: 0 });
		expect(store.nodeScopeCalls).toBe(0);
	}

	it('with a Reference on the workflow ledger is refused for the whole run, naming the shared ledger', async () => {
		const { success, error } = await onWorker(
			async () => await kona.output(ledgerWorkflow(), [ledgerItem('pay-1'), ledgerItem('pay-2')]),
		);
		expect(success).toEqual([]);
		expect(error?.context?.refusal).toBe('LEDGER_WORKFLOW_IN_QUEUE');
		expect(error?.message).toBe(
			"A run of transfers with a Reference was refused: it runs on a queue-mode worker, and this credential's Ledger is This Workflow (n8n's Store), which is not safe across workers. Nothing was sent or changed.",
		);
		expect(error?.description).toContain('Shared (PostgreSQL)');
		nothingSentOrTouched();
	});

	it.each(['continueErrorOutput', 'continueRegularOutput'] as const)(
		'with a Reference on the workflow ledger, On Error %s: one error item per input item, items without a Reference too; nothing sent',
		async (onError) => {
			const { success, errors, error } = await onWorker(
				async () =>
					await kona.output(ledgerWorkflow({ onError }), [
						ledgerItem('pay-1'),
						ledgerItem(''),
						ledgerItem('pay-3'),
					]),
			);
			expect(error).toBeUndefined();
			const failed = onError === 'continueErrorOutput' ? errors : success;
			if (onError === 'continueErrorOutput') expect(success).toHaveLength(0);
			expect(failed.map((out) => [out.pairedItem, details(out.json).code])).toEqual([
				[{ item: 0 }, 'LEDGER_WORKFLOW_IN_QUEUE'],
				[{ item: 1 }, 'LEDGER_WORKFLOW_IN_QUEUE'],
				[{ item: 2 }, 'LEDGER_WORKFLOW_IN_QUEUE'],
			]);
			nothingSentOrTouched();
		},
	);

	it('without a Reference is sent (no ledger is used)', async () => {
		const { success, error } = await onWorker(
			async () => await kona.output(ledgerWorkflow(), [ledgerItem(''), ledgerItem('')]),
		);
		expect(error).toBeUndefined();
		expect(success.map((out) => out.json.transferred)).toEqual([true, true]);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(2);
		expect(store.rows.size).toBe(0);
	});

	it('with a Reference on the shared ledger is sent, and recorded there', async () => {
		const { success, error } = await onWorker(
			async () => await kona.output(ledgerWorkflow(), [ledgerItem('pay-1')], shared('transfer')),
		);
		expect(error).toBeUndefined();
		expect(success[0].json).toMatchObject({ transferred: true, reference: 'pay-1' });
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
		expect(await db.admin(`SELECT reference, state FROM ${LEDGER_TABLE}`)).toEqual([
			{ reference: 'pay-1', state: 'transferred' },
		]);
	});

	it('with a Reference on the workflow ledger is sent outside a worker (one process, or the main of queue mode)', async () => {
		const { success, error } = await kona.output(ledgerWorkflow(), [ledgerItem('pay-1')]);
		expect(error).toBeUndefined();
		expect(success[0].json).toMatchObject({ transferred: true, reference: 'pay-1' });
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
		expect(store.entries('test-workflow').length).toBeGreaterThan(0);
	});
});
