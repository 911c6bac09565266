/**
 * Transfer Reference → Get Many, and Get's claimedAt, through the n8n engine on the shared
 * ledger in a real PostgreSQL (test/helpers/postgres.ts): transfers with References are sent
 * to the emulator, then listed by state, newest first, with Return All / Limit; and refused
 * on the workflow ledger, which keeps only hashes.
 */
import type { IDataObject } from 'n8n-workflow';

import { MAIN_TO_SECOND } from '../emulator/data';
import { maskCardNo } from '../nodes/Konaplate/wire/redact';
import { useProcessedDataStore } from '../scripts/engine/dedup-store';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { useFreshEnginePools } from './helpers/engine-pools';
import { useTestPostgres } from './helpers/postgres';
import type { TestPostgres } from './helpers/postgres';
import { slow, slowAnswersDone } from './helpers/slow-answers';

const TRANSFER = '/api/v1/transfer/balance';
const kona = useKonaplate();
const database = useTestPostgres();
let db: TestPostgres;

beforeAll(async () => {
	await useProcessedDataStore();
	db = database();
});
afterAll(async () => await slowAnswersDone());
useFreshEnginePools();

const shared = () => ({ ledger: 'postgres', ledgerPostgresUrl: db.url() });

const transferWorkflow = withNode(WORKFLOWS.transfer, {
	parameters: { reference: '={{ $json.reference }}', options: { timeout: 1000 } },
});
async function transfer(reference: string, amount: number) {
	const out = await kona.output(
		transferWorkflow,
		[{ ...MAIN_TO_SECOND, amount, reference }],
		shared(),
	);
	expect(out.error).toBeUndefined();
	return out.success[0].json;
}
/** A transfer whose answer never comes in time: its outcome is unknown to the node. */
async function timedOut(reference: string) {
	kona.emulator.script = () => slow({ delayMs: 1600, status: 200, body: '{}' });
	const { error } = await kona.output(
		transferWorkflow,
		[{ ...MAIN_TO_SECOND, amount: 300, reference }],
		shared(),
	);
	kona.emulator.script = undefined;
	expect(error?.message).toMatch(/timed out|did not answer|no answer/i);
}

const getMany = (parameters: IDataObject) =>
	withNode(WORKFLOWS.transferReferenceGet, {
		parameters: { operation: 'getMany', ...parameters },
	});
const list = async (parameters: IDataObject, credential: IDataObject = shared()) =>
	await kona.output(getMany(parameters), [{}], credential);
const references = (items: Array<{ json: IDataObject }>) => items.map(({ json }) => json.reference);

/** Three transferred (700, 800, 900 KRW), then one whose outcome is unknown, one run each. */
async function history() {
	for (const [reference, amount] of [
		['pay-1', 700],
		['pay-2', 800],
		['pay-3', 900],
	] as const)
		await transfer(reference, amount);
	await timedOut('pay-4');
}

describe('Transfer Reference → Get Many on the shared ledger', () => {
	it('lists the outcome-unknown References by default, with who sent them and the masked cards', async () => {
		await history();
		const { success, error } = await list({});
		expect(error).toBeUndefined();
		expect(references(success)).toEqual(['pay-4']);
		const [unknown] = success.map(({ json }) => json);
		expect(unknown).toMatchObject({
			reference: 'pay-4',
			state: 'outcomeUnknown',
			workflowId: expect.any(String),
			executionId: expect.stringMatching(/^test-\d+$/),
			nodeName: WORKFLOWS.transfer.nodes[0].name,
			amount: '300',
			fromCardNo: maskCardNo(MAIN_TO_SECOND.fromCardNo),
			toCardNo: maskCardNo(MAIN_TO_SECOND.toCardNo),
			claimedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
		});
		expect(new Date(unknown.claimedAt as string).toISOString()).toBe(unknown.claimedAt);
		expect(unknown).not.toHaveProperty('settledAt');
		expect(unknown).not.toHaveProperty('correlationId');
		expect(JSON.stringify(success)).not.toContain(MAIN_TO_SECOND.fromCardNo);
		expect(JSON.stringify(success)).not.toContain(MAIN_TO_SECOND.toCardNo);
	});

	it('lists the transferred ones newest first, each with its amount and when it was settled', async () => {
		await history();
		const { success } = await list({ state: 'transferred', returnAll: true });
		expect(references(success)).toEqual(['pay-3', 'pay-2', 'pay-1']);
		success.forEach(({ json }, index) => {
			expect(json).toMatchObject({ state: 'transferred', amount: String(900 - 100 * index) });
			expect(Date.parse(json.settledAt as string)).toBeGreaterThanOrEqual(
				Date.parse(json.claimedAt as string),
			);
		});
		const claimed = success.map(({ json }) => Date.parse(json.claimedAt as string));
		expect(claimed).toEqual([...claimed].sort((a, b) => b - a));
		expect(new Set(claimed).size).toBe(3);
		expect(success.map(({ pairedItem }) => pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 0 },
		]);
	});

	it("outputs the correlation id of a transfer's exchange, recorded when it was settled", async () => {
		const sent = await transfer('pay-6', 700);
		const { success } = await list({ state: 'transferred' });
		expect(success.map(({ json }) => json)).toMatchObject([
			{ reference: 'pay-6', correlationId: sent.correlationId },
		]);
	});

	it('lists every state with All, up to Limit unless Return All', async () => {
		await history();
		expect(references((await list({ state: 'all', returnAll: true })).success)).toEqual([
			'pay-4',
			'pay-3',
			'pay-2',
			'pay-1',
		]);
		expect(references((await list({ state: 'all', returnAll: false, limit: 2 })).success)).toEqual([
			'pay-4',
			'pay-3',
		]);
		expect(
			references((await list({ state: 'transferred', returnAll: false, limit: 1 })).success),
		).toEqual(['pay-3']);
		// n8n's default Limit is 50: all four fit
		expect((await list({ state: 'all' })).success).toHaveLength(4);
	});

	it("lists only the credential's own account", async () => {
		await history();
		await db.admin(
			"UPDATE konaplate_transfer_ledger SET asp_id = 'ASP000000000999' WHERE reference = 'pay-2'",
		);
		expect(references((await list({ state: 'all' })).success)).toEqual(['pay-4', 'pay-3', 'pay-1']);
	});

	it('lists nothing, without an error, for an account with no References', async () => {
		const { success, error } = await list({ state: 'all', returnAll: true });
		expect(error).toBeUndefined();
		expect(success).toEqual([]);
	});

	it('refuses a Limit below 1 before reading the ledger', async () => {
		const { error } = await list({ state: 'all', returnAll: false, limit: 0 });
		expect(error?.message).toMatch(
			/Limit \(limit\) of item 0 must be a whole number of at least 1/,
		);
	});

	it('lists a Reference resolved as not transferred as notSent under All only', async () => {
		await timedOut('pay-9');
		await db.admin(
			"UPDATE konaplate_transfer_ledger SET in_flight_until = now() - interval '1 minute'",
		);
		const resolved = await kona.output(
			WORKFLOWS.transferReferenceResolve,
			[{ reference: 'pay-9', decision: 'markNotTransferred' }],
			shared(),
		);
		expect(resolved.error).toBeUndefined();
		expect((await list({})).success).toEqual([]);
		const all = (await list({ state: 'all' })).success.map(({ json }) => json);
		expect(all).toMatchObject([{ reference: 'pay-9', state: 'notSent' }]);
	});
});

describe('Transfer Reference → Get on the shared ledger', () => {
	it('gives claimedAt, the moment the attempt was claimed, as ISO text', async () => {
		const before = Date.now();
		await transfer('pay-5', 700);
		const { success } = await kona.output(
			WORKFLOWS.transferReferenceGet,
			[{ reference: 'pay-5' }],
			shared(),
		);
		const { claimedAt, state } = success[0].json;
		expect(state).toBe('transferred');
		expect(typeof claimedAt).toBe('string');
		const at = Date.parse(claimedAt as string);
		expect(new Date(at).toISOString()).toBe(claimedAt);
		expect(at).toBeGreaterThanOrEqual(before - 1000);
		expect(at).toBeLessThanOrEqual(Date.now());
	});
});

describe('Transfer Reference → Get Many on the workflow ledger', () => {
	it('is refused, naming the shared ledger, and nothing is read or sent', async () => {
		await kona.output(transferWorkflow, [{ ...MAIN_TO_SECOND, amount: 700, reference: 'wf-1' }]);
		const sentBefore = kona.emulator.accepted(TRANSFER).length;
		const { success, error } = await list({ state: 'all' }, { ledger: 'workflow' });
		expect(success).toEqual([]);
		expect(error?.message).toMatch(/lists References only on the shared ledger/);
		expect(error?.message).toContain("This Workflow (n8n's Store)");
		expect(error?.description).toContain('Shared (PostgreSQL)');
		expect(error?.context?.refusal).toBe('LEDGER_NOT_LISTED');
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(sentBefore);
	});

	it('is refused for a credential saved before the Ledger field existed', async () => {
		const { error } = await list({}, { ledger: undefined });
		expect(error?.context?.refusal).toBe('LEDGER_NOT_LISTED');
	});
});
