/**
 * The queue-mode guard (issue 28 item 4): Transfer Reference → Get and → Resolve on the workflow
 * ledger are refused on a queue-mode worker, which a node can tell only from n8n-core's
 * InstanceSettings (ledger/queue-mode.ts). Here the engine's own InstanceSettings says 'worker',
 * as `n8n worker` makes it; the real queue mode is checked by the e2e queue group.
 */
import { dirname } from 'node:path';

import { InstanceSettings } from 'n8n-core';

import { MemoryProcessedData, useProcessedDataStore } from '../scripts/engine/dedup-store';
import { useKonaplate, WORKFLOWS } from './helpers/konaplate';
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

const get = async (credential?: Record<string, string>) =>
	await kona.output(WORKFLOWS.transferReferenceGet, [{ reference: 'pay-1' }], credential);
const resolve = async () =>
	await kona.output(WORKFLOWS.transferReferenceResolve, [
		{ reference: 'pay-1', decision: 'markTransferred' },
	]);

describe('on a queue-mode worker, the workflow ledger', () => {
	it.each([
		['Get', get],
		['Resolve', resolve],
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
		const { success, error } = await onWorker(
			async () =>
				await get({ ledger: 'postgres', ledgerPostgresUrl: `${db.url()}?application_name=guard` }),
		);
		expect(error).toBeUndefined();
		expect(success[0].json).toMatchObject({ reference: 'pay-1', state: 'notSent' });
	});
});
