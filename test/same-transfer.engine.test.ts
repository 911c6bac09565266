/**
 * Issue 29, item 4(a): an agent cannot settle an unknown outcome. While a transfer's outcome is
 * unknown under one Reference, the same transfer (member, both cards, amount) under another
 * Reference or none is refused before anything is sent when the node runs for an agent
 * (LEDGER_SAME_TRANSFER_UNKNOWN); a person's run is not. Through n8n's engine, on the workflow
 * ledger (n8n's deduplication store in memory) and on the shared ledger (a real PostgreSQL).
 */
import type { IDataObject, IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { EMULATOR_CREDENTIAL } from '../emulator/data';
import { errorDetails } from '../nodes/Konaplate/errors';
import { PostgresLedgerStore } from '../nodes/Konaplate/ledger/postgres/store';
import { sameTransfersUnknown } from '../nodes/Konaplate/ledger/same-transfer';
import { NOTHING_LEARNT } from '../nodes/Konaplate/ledger/seam';
import { KONAPLATE_TOOL_TYPE } from '../scripts/engine/engine';
import {
	claimValues,
	referenceKey,
	transferKey,
	transferValue,
	unknownCountValues,
} from '../nodes/Konaplate/wire/ledger';
import { useFreshEnginePools } from './helpers/engine-pools';
import { useKonaplate, WORKFLOWS } from './helpers/konaplate';
import { ledgerItem, ledgerWorkflow, recordInLedger, useLedgerStore } from './helpers/ledger';
import { useTestPostgres } from './helpers/postgres';
import type { TestPostgres } from './helpers/postgres';

const TRANSFER = '/api/v1/transfer/balance';
const CODE = 'LEDGER_SAME_TRANSFER_UNKNOWN';
const kona = useKonaplate();
const ledger = useLedgerStore();
const database = useTestPostgres();
useFreshEnginePools();
let db: TestPostgres;
let test = 0;

beforeAll(() => {
	db = database();
});
beforeEach(() => test++);

/** The node as an agent's tool (n8n's `…Tool` type), and as a person runs it (the editor). */
const agent = ledgerWorkflow({ type: KONAPLATE_TOOL_TYPE });
const person = ledgerWorkflow({ onError: 'continueErrorOutput' });
const transfersArrived = () =>
	kona.emulator.requests.filter(({ path }) => path === TRANSFER).length;

const STORES: Array<[string, () => IDataObject]> = [
	["the workflow's ledger", () => ({})],
	// A URL of its own per test: the engine's pools, from dist/, each find the table ready once
	[
		'the shared ledger',
		() => ({ ledger: 'postgres', ledgerPostgresUrl: `${db.url()}?application_name=same-${test}` }),
	],
];

describe.each(STORES)('on %s', (_store, credential) => {
	const run = async (workflow: typeof agent, items: IDataObject[]) =>
		await kona.output(workflow, items, credential());

	/** An agent's transfer of 100 KRW under `reference` whose answer is HTTP 500: its outcome unknown. */
	async function unknownOutcome(reference: string, fields: IDataObject = {}) {
		kona.emulator.script = () => ({ status: 500, body: '<html>down</html>' });
		const { error } = await run(agent, [ledgerItem(reference, fields)]);
		expect(error?.message).toContain('Konaplate had a server error (HTTP 500)');
		expect(transfersArrived()).toBe(1);
		kona.emulator.reset();
	}

	/** What the agent reads of a refused call: nothing reached Konaplate. */
	async function refusedForAgent(item: IDataObject): Promise<string> {
		const { error, success } = await run(agent, [item]);
		expect(success).toEqual([]);
		expect(transfersArrived()).toBe(0);
		return error?.message ?? '';
	}

	async function resolve(reference: string, decision: string) {
		const { error, success } = await run(WORKFLOWS.transferReferenceResolve, [
			{ reference, decision },
		]);
		expect(error).toBeUndefined();
		expect(success[0].json.stateBefore).toBe('outcomeUnknown');
	}

	it('an agent sending the same transfer under another Reference, or with none, is refused naming the unknown Reference and what a person does; nothing is sent', async () => {
		await unknownOutcome('order-1');
		for (const reference of ['order-2', '']) {
			const text = await refusedForAgent(ledgerItem(reference));
			expect(text).toBe(
				`Refused (${CODE}), nothing was sent: an earlier transfer of the same member, cards and amount (reference "order-1") may or may not have gone through (it is still running, or it timed out, lost its connection or got an unclear answer), and only a person may settle that. Do not send it again under another reference or none. Tell a person reference "order-1": they check it with Transfer Reference → Get and Transaction → Get Many, then resolve it with Transfer Reference → Resolve in the workflow's editor.`,
			);
		}
		// The refused call's own Reference was given back: it was never sent
		const { success } = await run(WORKFLOWS.transferReferenceGet, [{ reference: 'order-2' }]);
		expect(success[0].json.state).toBe('notSent');
	});

	it('the same Reference again is refused as before (LEDGER_OUTCOME_UNKNOWN), not by this rule', async () => {
		await unknownOutcome('order-1');
		expect(await refusedForAgent(ledgerItem('order-1'))).toMatch(
			/^Refused \(LEDGER_OUTCOME_UNKNOWN\), nothing was sent: an earlier transfer with reference "order-1"/,
		);
	});

	it('a person sending the same transfer under another Reference, or with none, is not refused by it', async () => {
		await unknownOutcome('order-1');
		const { success, errors } = await run(person, [ledgerItem('order-2'), ledgerItem('')]);
		expect(errors).toEqual([]);
		expect(success.map(({ json }) => json.transferred)).toEqual([true, true]);
		expect(transfersArrived()).toBe(2);
	});

	it('another transfer (another amount, another card to transfer to) is not refused', async () => {
		await unknownOutcome('order-1');
		const { success, error } = await run(agent, [ledgerItem('order-3', { amount: 101 })]);
		expect(error).toBeUndefined();
		expect(success[0].json).toMatchObject({ transferred: true, amount: 101 });
		expect(transfersArrived()).toBe(1);
	});

	it('an unknown outcome a person left refuses the agent too', async () => {
		kona.emulator.script = () => ({ drop: true });
		const { errors } = await run(person, [ledgerItem('order-1')]);
		expect((errors[0].json.error as IDataObject).outcome).toBe('unknown');
		kona.emulator.reset();
		expect(await refusedForAgent(ledgerItem('order-2'))).toContain(`Refused (${CODE})`);
	});

	it.each(['markNotTransferred', 'markTransferred'])(
		'once a person resolves the unknown Reference (%s), the agent’s transfer is sent',
		async (decision) => {
			await unknownOutcome('order-1');
			await resolve('order-1', decision);
			const { success, error } = await run(agent, [ledgerItem('order-2')]);
			expect(error).toBeUndefined();
			expect(success[0].json).toMatchObject({ transferred: true, reference: 'order-2' });
			const none = await run(agent, [ledgerItem('')]);
			expect(none.error).toBeUndefined();
			expect(transfersArrived()).toBe(2);
		},
	);

	it('resolving it while another transfer stays unknown: the agent’s same transfer is sent, the other one still refused', async () => {
		await unknownOutcome('order-1');
		await unknownOutcome('other-1', { amount: 555 });
		await resolve('order-1', 'markNotTransferred');
		const { error } = await run(agent, [ledgerItem('order-2')]);
		expect(error).toBeUndefined();
		kona.emulator.reset();
		expect(await refusedForAgent(ledgerItem('other-2', { amount: 555 }))).toContain(
			'(reference "other-1")',
		);
	});

	it('two unknown References of the same transfer: resolving one leaves the agent refused, naming the other', async () => {
		await unknownOutcome('order-1');
		kona.emulator.script = () => ({ status: 500, body: '<html>down</html>' });
		await run(person, [ledgerItem('order-2')]);
		kona.emulator.reset();
		await resolve('order-2', 'markTransferred');
		expect(await refusedForAgent(ledgerItem('order-3'))).toContain('(reference "order-1")');
		await resolve('order-1', 'markNotTransferred');
		const { error } = await run(agent, [ledgerItem('order-3')]);
		expect(error).toBeUndefined();
	});
});

describe("on the workflow's ledger, after n8n restarted (the process does not know the unknown Reference)", () => {
	const account = { baseUrl: '', aspId: EMULATOR_CREDENTIAL.aspId };
	/** What a run that left `reference` unknown recorded, as an earlier process left it. */
	async function leftUnknownEarlier(reference: string) {
		const at = { ...account, baseUrl: kona.emulator.baseUrl };
		const item = ledgerItem(reference);
		const fields = {
			member: String(item.userId),
			fromCard: String(item.fromCardNo),
			toCard: String(item.toCardNo),
			amount: String(item.amount),
		};
		await recordInLedger(ledger.store, [
			...claimValues(referenceKey(at, reference), fields),
			transferValue(transferKey(at, fields)),
			...unknownCountValues(1),
		]);
	}

	it('refuses the agent without naming the Reference, and says where it is named', async () => {
		await leftUnknownEarlier('lost-1');
		const { error } = await kona.output(agent, [ledgerItem('order-9')]);
		expect(error?.message).toMatch(
			new RegExp(
				`^Refused \\(${CODE}\\), nothing was sent: an earlier transfer of the same member, cards and amount may or may not have gone through`,
			),
		);
		expect(error?.message).toContain('Tell a person which transfer you were asked for');
		const none = await kona.output(agent, [ledgerItem('')]);
		expect(none.error?.message).toContain(`Refused (${CODE})`);
		expect(transfersArrived()).toBe(0);
	});

	it('once the ledger counts no unknown outcome (a person resolved it), the agent’s transfer is sent', async () => {
		await leftUnknownEarlier('lost-1');
		const resolved = await kona.output(WORKFLOWS.transferReferenceResolve, [
			{ reference: 'lost-1', decision: 'markNotTransferred' },
		]);
		expect(resolved.success[0].json.stateBefore).toBe('outcomeUnknown');
		const { success, error } = await kona.output(agent, [ledgerItem('order-9')]);
		expect(error).toBeUndefined();
		expect(success[0].json.transferred).toBe(true);
	});
});

describe('on the canvas, where an agent may have started the execution (a sub-workflow, below an AI node)', () => {
	// The transfer node as the engine's workflow has it, on the canvas (not the `…Tool` type)
	const node = WORKFLOWS.transfer.nodes[0];
	const ctx = { getNode: () => node } as unknown as IExecuteFunctions;
	const account = { baseUrl: 'https://sandbox.konaplate.com/open-api', aspId: 'ASP000000000001' };
	const fields = {
		member: '1000001',
		fromCard: '9491330000000765',
		toCard: '9491331111111234',
		amount: '100',
	};
	const why =
		'this is a sub-workflow, and n8n marks one called by an agent’s Call n8n Workflow Tool the same as one called by Execute Workflow';
	const NOW = Date.UTC(2026, 11, 1, 3, 0, 0);

	it('names the item, both References, why and what a person does; the error carries its code and Reference', async () => {
		const store = await PostgresLedgerStore.open(node, db.url(), account);
		const attempt = {
			at: NOW,
			inFlightUntil: NOW + 60_000,
			day: '2026-12-01',
			workflowId: 'wf-1',
			executionId: 'e-1',
			nodeName: 'Pay out',
		};
		await store.claim([{ itemIndex: 0, reference: 'order-1', fields }], attempt, NOTHING_LEARNT);
		await store.settle({ ...NOTHING_LEARNT, unknown: ['order-1'] });
		const refused = await sameTransfersUnknown(ctx, { store, why }, [
			{ itemIndex: 3, reference: 'order-2', fields },
			{ itemIndex: 4, reference: 'order-4', fields: { ...fields, amount: '200' } },
		]);
		expect([...refused.keys()]).toEqual([3]);
		const error = refused.get(3);
		expect(error?.message).toBe(
			`Item 3 (Reference "order-2") was not sent: the same transfer (member, both cards and amount) was sent under Reference "order-1", and its outcome is unknown. An AI agent may have started this execution (${why}), and only a person may settle an unknown outcome.`,
		);
		expect(error?.description).toBe(
			'Nothing was sent for this item. A person checks whether the earlier transfer went through: Transfer Reference → Get on Reference "order-1" gives the day of its attempt (claimedOn), and Transaction → Get Many on the card it came from shows its Transfer row. Then, in the editor, Transfer Reference → Resolve records the decision (Mark as Transferred or Mark as Not Transferred); after that this transfer is no longer refused for it.',
		);
		expect(errorDetails(error as NodeOperationError)).toMatchObject({
			refusal: CODE,
			reference: 'order-2',
			requestOutcome: 'refused',
		});
	});
});
