/**
 * Switching an account to the shared ledger forgets nothing (issue 28, item 3): through the n8n
 * engine, a real PostgreSQL (test/helpers/postgres.ts) and n8n's deduplication store in memory
 * (scripts/engine/dedup-store.ts), what the workflow's own ledger holds is carried over.
 */
import type { IDataObject } from 'n8n-workflow';

import { LEDGER_TABLE } from '../nodes/Konaplate/ledger/postgres/schema';
import { useKonaplate } from './helpers/konaplate';
import { ledgerItem as item, ledgerWorkflow, useLedgerStore } from './helpers/ledger';
import { useTestPostgres } from './helpers/postgres';
import type { TestPostgres } from './helpers/postgres';

const TRANSFER = '/api/v1/transfer/balance';
const WORKFLOW_ID = 'test-workflow';
const kona = useKonaplate();
const ledger = useLedgerStore();
const database = useTestPostgres();
let db: TestPostgres;
let test = 0;

beforeAll(() => {
	db = database();
});
beforeEach(() => test++);

/**
 * The shared ledger, by a URL of its own per test: the engine runs the node from dist/, whose
 * pools (one per URL, the table checked once per pool) the helper's closeLedgerPools does not
 * reach, and the helper drops the table before each test.
 */
const shared = () => ({
	ledger: 'postgres',
	ledgerPostgresUrl: `${db.url()}?application_name=carry-over-${test}`,
});
const sentAmounts = () =>
	kona.emulator
		.accepted(TRANSFER)
		.map((request) => Number(/"amount":(\d+)/.exec(request.rawBody)?.[1]));
/** Every transfer request that reached the emulator, answered or not. */
const arrived = () => kona.emulator.requests.filter(({ path }) => path === TRANSFER).length;
const rows = async () =>
	await db.admin<{ reference: string; state: string; in_flight: boolean }>(
		`SELECT reference, state, in_flight_until > now() AS in_flight FROM ${LEDGER_TABLE} ORDER BY reference`,
	);
const refusal = (json: IDataObject) => (json.error as IDataObject | undefined)?.code;

/** On the workflow ledger: c-1 transferred, c-2 dropped by the network (outcome unknown). */
async function transferOnTheWorkflowLedger() {
	kona.emulator.script = (request) =>
		request.path === TRANSFER && request.rawBody.includes('"amount":2')
			? { drop: true }
			: undefined;
	await kona.run(ledgerWorkflow({ onError: 'continueErrorOutput' }), [
		item('c-1', { amount: 1 }),
		item('c-2', { amount: 2 }),
	]);
	expect(arrived()).toBe(2);
	expect(ledger.store.entries(WORKFLOW_ID).length).toBeGreaterThan(0);
	kona.emulator.reset();
}

describe('the shared ledger carries over what the workflow ledger holds', () => {
	it('after the switch, a re-run sends nothing: the transferred one is already transferred, the unknown one refused', async () => {
		await transferOnTheWorkflowLedger();
		const { success, errors, error } = await kona.output(
			ledgerWorkflow({ onError: 'continueErrorOutput' }),
			[item('c-1', { amount: 1 }), item('c-2', { amount: 2 }), item('c-3', { amount: 3 })],
			shared(),
		);
		expect(error).toBeUndefined();
		expect(sentAmounts()).toEqual([3]);
		expect(arrived()).toBe(1);
		expect(success.map(({ json }) => [json.reference, json.alreadyTransferred ?? false])).toEqual([
			['c-1', true],
			['c-3', false],
		]);
		expect(errors.map(({ json }) => refusal(json))).toEqual(['LEDGER_OUTCOME_UNKNOWN']);
		// The unknown one stays claimed, its attempt over: Resolve may settle it at once
		expect(await rows()).toEqual([
			{ reference: 'c-1', state: 'transferred', in_flight: true },
			{ reference: 'c-2', state: 'claimed', in_flight: false },
			{ reference: 'c-3', state: 'transferred', in_flight: true },
		]);
	});

	it('after the re-run, a copy of the workflow (another id, no ledger of its own) sends none of them again', async () => {
		await transferOnTheWorkflowLedger();
		await kona.run(
			ledgerWorkflow({ onError: 'continueErrorOutput' }),
			[item('c-1', { amount: 1 }), item('c-2', { amount: 2 })],
			shared(),
		);
		expect(arrived()).toBe(0);
		const copy = { ...ledgerWorkflow({ onError: 'continueErrorOutput' }), id: 'a-copy' };
		const { success, errors } = await kona.output(
			copy,
			[item('c-1', { amount: 1 }), item('c-2', { amount: 2 })],
			shared(),
		);
		expect(arrived()).toBe(0);
		expect(success.map(({ json }) => json.alreadyTransferred)).toEqual([true]);
		expect(errors.map(({ json }) => refusal(json))).toEqual(['LEDGER_OUTCOME_UNKNOWN']);
		expect(ledger.store.entries('a-copy')).toEqual([]);
	});

	it('another transfer under a carried-over Reference is refused as a mismatch, and nothing is sent', async () => {
		await transferOnTheWorkflowLedger();
		const { errors } = await kona.output(
			ledgerWorkflow({ onError: 'continueErrorOutput' }),
			[item('c-1', { amount: 5 })],
			shared(),
		);
		expect(arrived()).toBe(0);
		expect(errors.map(({ json }) => refusal(json))).toEqual(['LEDGER_REFERENCE_MISMATCH']);
		expect((await rows()).map(({ state }) => state)).toEqual(['transferred']);
	});

	it('looking leaves the workflow ledger as it was', async () => {
		await transferOnTheWorkflowLedger();
		const before = [...ledger.store.entries(WORKFLOW_ID)].sort();
		await kona.run(
			ledgerWorkflow(),
			[item('c-1', { amount: 1 }), item('n-1', { amount: 9 })],
			shared(),
		);
		expect(sentAmounts()).toEqual([9]);
		expect([...ledger.store.entries(WORKFLOW_ID)].sort()).toEqual(before);
	});

	it('once the workflow ledger is cleared, it is no longer consulted: its References are the shared ledger alone', async () => {
		await transferOnTheWorkflowLedger();
		ledger.store.clear();
		await kona.run(ledgerWorkflow(), [item('c-1', { amount: 1 })], shared());
		expect(sentAmounts()).toEqual([1]);
		expect(ledger.store.entries(WORKFLOW_ID)).toEqual([]);
	});
});
