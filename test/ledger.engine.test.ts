import type { IDataObject } from 'n8n-workflow';

import { LEDGER_MAX_ENTRIES } from '../nodes/Konaplate/ledger/workflow-row';
import { CLAIM_ENTRIES, ledgerValue, referenceKey } from '../nodes/Konaplate/wire/ledger';
import { MemoryProcessedData, useProcessedDataStore } from '../scripts/engine/dedup-store';
import { slow, slowAnswersDone } from './helpers/slow-answers';
import { emulatorTarget, useKonaplate, WORKFLOWS } from './helpers/konaplate';
import {
	FULL_LEDGER_MS,
	ledgerItem as item,
	countedUnknown,
	ledgerValuesOf,
	ledgerWorkflow,
	transferredHashes,
	unknownTransferHash,
} from './helpers/ledger';
import { CARDS, KonaplateEmulator } from '../emulator/server';
import { EMULATOR_CREDENTIAL, MEMBER } from '../emulator/data';

const TRANSFER = '/api/v1/transfer/balance';
const kona = useKonaplate();
let store: MemoryProcessedData;

beforeAll(async () => {
	store = await useProcessedDataStore();
});
beforeEach(() => store.clear());
afterAll(async () => await slowAnswersDone());

const WORKFLOW_ID = 'test-workflow';
const account = { baseUrl: '', aspId: EMULATOR_CREDENTIAL.aspId };
/** The value the node stores for a reference's claim or done in the emulator's account. */
const valueOf = (mark: 'claim' | 'done', reference: string) =>
	ledgerValue(mark, referenceKey({ ...account, baseUrl: kona.emulator.baseUrl }, reference));
const hashOf = (mark: 'claim' | 'done', reference: string) =>
	MemoryProcessedData.hash(valueOf(mark, reference));
/** Puts values into the workflow's ledger the way the node does, as if an earlier run had. */
const record = async (values: string[], options: { maxEntries?: number } = {}) =>
	await store.checkProcessedAndRecord(
		values,
		'workflow',
		{ workflow: { id: WORKFLOW_ID, active: false } },
		{ mode: 'entries', ...options },
	);
/** What the ledger holds for transferred items: their claim with marker and fields, and their done. */
const transferred = (...items: IDataObject[]) => transferredHashes(kona.emulator.baseUrl, items);
/** What it holds, in order, for an item whose outcome is unknown: marker, fields, claim. */
const claimedOnly = (it: IDataObject) =>
	ledgerValuesOf(kona.emulator.baseUrl, it, false).map((value) => MemoryProcessedData.hash(value));
const ledgerHolds = () => [...store.entries(WORKFLOW_ID)].sort();
const sentAmounts = () =>
	kona.emulator
		.accepted(TRANSFER)
		.map((request) => Number(/"amount":(\d+)/.exec(request.rawBody)?.[1]));
const details = (json: IDataObject) => json.error as IDataObject;

describe('a reference is transferred once across executions', () => {
	it('first run: each item sent once, its output carries the reference; the ledger holds a hashed claim, marker, fields and done per reference', async () => {
		const { success, error } = await kona.output(ledgerWorkflow(), [
			item('p-1'),
			item('p-2', { amount: 200 }),
		]);
		expect(error).toBeUndefined();
		expect(
			success.map((out) => [out.json.reference, out.json.transferred, out.json.amount]),
		).toEqual([
			['p-1', true, 100],
			['p-2', true, 200],
		]);
		expect(sentAmounts()).toEqual([100, 200]);
		expect(ledgerHolds()).toEqual(transferred(item('p-1'), item('p-2', { amount: 200 })));
	});

	it('second run of the same items: nothing is sent; each comes out as alreadyTransferred with masked cards', async () => {
		await kona.run(ledgerWorkflow(), [item('p-1'), item('p-2', { amount: 200 })]);
		kona.emulator.reset();
		const { success, error } = await kona.output(ledgerWorkflow(), [
			item('p-1'),
			item('p-2', { amount: 200 }),
		]);
		expect(error).toBeUndefined();
		expect(kona.emulator.requests).toHaveLength(0);
		expect(success.map((out) => out.json)).toEqual([
			{
				alreadyTransferred: true,
				reference: 'p-1',
				userId: MEMBER,
				fromCardNo: '949133******0765',
				toCardNo: '949133******0773',
				transferEntireBalance: false,
				requestedAmount: 100,
			},
			{
				alreadyTransferred: true,
				reference: 'p-2',
				userId: MEMBER,
				fromCardNo: '949133******0765',
				toCardNo: '949133******0773',
				transferEntireBalance: false,
				requestedAmount: 200,
			},
		]);
		expect(success.map((out) => out.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(ledgerHolds()).toEqual(transferred(item('p-1'), item('p-2', { amount: 200 })));
		expect(JSON.stringify(success)).not.toMatch(/\d{16}/);
	});

	it('a re-run after a failure at item 3 of 5 sends only the unfinished items', async () => {
		const items = [1, 2, 3, 4, 5].map((n) => item(`pay-${n}`, { amount: n }));
		items[2] = item('pay-3', { amount: 3, fromCardNo: CARDS.empty });
		const first = await kona.output(ledgerWorkflow(), items);
		expect(first.error?.message).toBe('005_017: Possible collection balance is zero.');
		expect(first.error?.description).toContain(
			'Their References are recorded: a re-run outputs them as already transferred and does not send them again.',
		);
		expect(sentAmounts()).toEqual([1, 2, 3]);
		kona.emulator.reset();
		items[2] = item('pay-3', { amount: 3 });
		const second = await kona.output(ledgerWorkflow(), items);
		expect(second.error).toBeUndefined();
		expect(sentAmounts()).toEqual([3, 4, 5]);
		expect(second.success.map((out) => out.json.alreadyTransferred ?? false)).toEqual([
			true,
			true,
			false,
			false,
			false,
		]);
	});

	it('items without a reference are sent every run, beside items with one; without references the store is not touched', async () => {
		await kona.run(ledgerWorkflow(), [item(''), item('r')]);
		await kona.run(ledgerWorkflow(), [item(''), item('r')]);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(3);
		store.clear();
		await kona.run(WORKFLOWS.transfer, [item('')]);
		expect(store.calls).toEqual({ checkProcessedAndRecord: 0, removeProcessed: 0 });
	});

	it('a run claims in one store call and settles in one, whatever its size (a claim and a done each); a re-run looks up in two and removes nothing', async () => {
		const items = Array.from({ length: 40 }, (_, n) => item(`bulk-${n}`, { amount: 1 }));
		await kona.run(ledgerWorkflow(), items);
		expect(store.calls).toEqual({ checkProcessedAndRecord: 2, removeProcessed: 0 });
		expect(store.entries(WORKFLOW_ID)).toHaveLength(40 * (CLAIM_ENTRIES + 1));
		store.calls.checkProcessedAndRecord = 0;
		await kona.run(ledgerWorkflow(), items);
		expect(store.calls).toEqual({ checkProcessedAndRecord: 2, removeProcessed: 0 });
		expect(store.entries(WORKFLOW_ID)).toHaveLength(40 * (CLAIM_ENTRIES + 1));
	});

	it('a done without its claim (pushed out by newer entries) counts as forgotten: the reference is sent', async () => {
		await record([valueOf('done', 'x')]);
		const { success } = await kona.output(ledgerWorkflow(), [item('x')]);
		expect(success[0].json.transferred).toBe(true);
	});
});

describe('an outcome that is unknown blocks the reference; a definite refusal frees it', () => {
	const UNKNOWN: Array<[string, () => void, string]> = [
		[
			'a timeout',
			() =>
				(kona.emulator.script = () =>
					slow({
						delayMs: 1600,
						status: 200,
						body: '{"response":{"code":"000_000"},"amount":100}',
					})),
			'No answer from Konaplate within 1 s',
		],
		[
			'a dropped connection',
			() => (kona.emulator.script = () => ({ drop: true })),
			'The connection to Konaplate dropped before an answer arrived',
		],
		[
			'HTTP 500',
			() => (kona.emulator.script = () => ({ status: 500, body: '<html>oops</html>' })),
			'Konaplate had a server error (HTTP 500)',
		],
		[
			'an unreadable answer',
			() => (kona.emulator.script = () => ({ status: 200, body: 'not json' })),
			"Konaplate's answer could not be read (HTTP 200)",
		],
		[
			'a success code under HTTP 502',
			() =>
				(kona.emulator.script = () => ({ status: 502, body: '{"response":{"code":"000_000"}}' })),
			'Konaplate answered HTTP 502 with the success code 000_000: the outcome is unclear',
		],
	];

	it.each(UNKNOWN)(
		'after %s, a re-run refuses the reference without sending, and says what to check',
		async (_label, script, message) => {
			script();
			const first = await kona.output(ledgerWorkflow({ options: { timeout: 1000 } }), [
				item('u-1'),
			]);
			expect(first.error?.message).toBe(message);
			expect(first.error?.description).toContain(
				'Its Reference "u-1" stays marked as outcome unknown: a re-run refuses it rather than send it again, until a person settles it with Transfer Reference → Resolve.',
			);
			expect(kona.emulator.requests).toHaveLength(1);
			await slowAnswersDone();
			kona.emulator.reset();

			const second = await kona.output(ledgerWorkflow(), [item('u-1')]);
			expect(kona.emulator.requests).toHaveLength(0);
			expect(second.error?.name).toBe('NodeOperationError');
			expect(second.error?.message).toMatch(
				/^Item 0 \(Reference "u-1"\) was not sent: an earlier transfer with this Reference may or may not have gone through\./,
			);
			expect(second.error?.description).toContain('Check the balances of both cards');
			expect(second.error?.description).toContain('new Reference');
			expect(`${second.error?.message} ${second.error?.description}`).not.toMatch(/\d{16}/);
			// Its claim, its transfer (an agent's same transfer is refused), and the ledger's count
			// of unknown outcomes: one
			expect(store.entries(WORKFLOW_ID)).toEqual([
				...claimedOnly(item('u-1')),
				unknownTransferHash(kona.emulator.baseUrl, item('u-1')),
				...countedUnknown(1),
			]);
		},
	);

	it('an execution that died with a request in flight leaves its claim: the next run refuses that reference', async () => {
		await record([valueOf('claim', 'died')]);
		const { error } = await kona.output(ledgerWorkflow(), [item('fresh'), item('died')]);
		expect(error?.message).toMatch(/^Item 1 \(Reference "died"\) was not sent/);
		expect(kona.emulator.requests).toHaveLength(0);
		// The fresh reference claimed for this run was given back: it can be sent later.
		expect(store.entries(WORKFLOW_ID)).toEqual([hashOf('claim', 'died')]);
	});

	it('with the error output, an unknown reference goes to the error branch with a stable code; the others are sent', async () => {
		kona.emulator.script = () => ({ drop: true });
		await kona.run(ledgerWorkflow(), [item('lost')]);
		kona.emulator.reset();
		const { success, errors } = await kona.output(
			ledgerWorkflow({ onError: 'continueErrorOutput' }),
			[item('a', { amount: 1 }), item('lost'), item('b', { amount: 2 })],
		);
		expect(sentAmounts()).toEqual([1, 2]);
		expect(success.map((out) => out.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		expect(details(errors[0].json)).toMatchObject({
			code: 'LEDGER_OUTCOME_UNKNOWN',
			reference: 'lost',
			outcome: 'unknown',
			itemIndex: 1,
		});
	});

	it('a fresh ambiguous failure on the error output says outcome "unknown" with its reference and correlation id', async () => {
		kona.emulator.script = () => ({ drop: true });
		const { errors } = await kona.output(ledgerWorkflow({ onError: 'continueErrorOutput' }), [
			item('d-1'),
		]);
		expect(details(errors[0].json)).toMatchObject({
			reference: 'd-1',
			outcome: 'unknown',
			correlationId: kona.emulator.requests[0].headers['x-km-correlation-id'],
		});
	});

	it('a Konaplate refusal (005_018) frees the reference: the re-run sends it again', async () => {
		const first = await kona.output(ledgerWorkflow({ onError: 'continueErrorOutput' }), [
			item('big', { amount: 60_000 }),
		]);
		expect(details(first.errors[0].json)).toMatchObject({
			code: '005_018',
			reference: 'big',
			outcome: 'refused',
		});
		const second = await kona.output(ledgerWorkflow(), [item('big', { amount: 600 })]);
		expect(second.error).toBeUndefined();
		expect(sentAmounts()).toEqual([60_000, 600]);
		expect(ledgerHolds()).toEqual(transferred(item('big', { amount: 600 })));
	});

	it('a connection that never opened frees the reference: nothing left, so the re-run sends', async () => {
		const closed = { baseUrl: 'http://127.0.0.1:9/open-api' };
		const first = await kona.output(ledgerWorkflow(), [item('c-1')], closed);
		expect(first.error?.message).toBe('Could not connect to Konaplate (econnrefused)');
		expect(store.entries(WORKFLOW_ID)).toEqual([]);
		const second = await kona.output(ledgerWorkflow(), [item('c-1')]);
		expect(second.error).toBeUndefined();
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
	});

	it('a stop at item 1 gives back the claims of the items never sent', async () => {
		const { error } = await kona.output(ledgerWorkflow(), [
			item('s-0'),
			item('s-1', { fromCardNo: CARDS.empty }),
			item('s-2'),
		]);
		expect(error?.message).toContain('005_017');
		expect(ledgerHolds()).toEqual(transferred(item('s-0')));
	});
});

describe('one reference, one transfer, within a run and between runs at the same time', () => {
	it('the same reference twice in one run is refused before anything is sent, naming both items', async () => {
		const { error } = await kona.output(ledgerWorkflow(), [
			item('a'),
			item('twice'),
			item('b'),
			item('twice'),
		]);
		expect(kona.emulator.requests).toHaveLength(0);
		expect(error?.message).toBe(
			'Item 1 (Reference "twice") was not sent: the same Reference is also given to item 3 of this run.',
		);
		expect(store.calls.checkProcessedAndRecord).toBe(0);
	});

	it('with the error output, both duplicates go to the error branch with LEDGER_DUPLICATE_REFERENCE; the rest are sent', async () => {
		const { success, errors } = await kona.output(
			ledgerWorkflow({ onError: 'continueErrorOutput' }),
			[item('a', { amount: 1 }), item('twice'), item('twice')],
		);
		expect(sentAmounts()).toEqual([1]);
		expect(success).toHaveLength(1);
		expect(
			errors.map((out) => [out.pairedItem, details(out.json).code, details(out.json).message]),
		).toEqual([
			[
				{ item: 1 },
				'LEDGER_DUPLICATE_REFERENCE',
				'Item 1 (Reference "twice") was not sent: the same Reference is also given to item 2 of this run.',
			],
			[
				{ item: 2 },
				'LEDGER_DUPLICATE_REFERENCE',
				'Item 2 (Reference "twice") was not sent: the same Reference is also given to item 1 of this run.',
			],
		]);
	});

	it('two executions of the workflow at once with one reference: exactly one request; the other is refused as in flight', async () => {
		kona.emulator.latency = () => 300;
		const outcomes = await Promise.all([
			kona.output(ledgerWorkflow(), [item('double-click')]),
			kona.output(ledgerWorkflow(), [item('double-click')]),
		]);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
		expect(
			outcomes.filter((outcome) => outcome.success[0]?.json.transferred === true),
		).toHaveLength(1);
		const refused = outcomes.find((outcome) => outcome.error !== undefined);
		expect(refused?.error?.context).toMatchObject({
			refusal: 'LEDGER_OUTCOME_UNKNOWN',
			reference: 'double-click',
		});
		expect(ledgerHolds()).toEqual(transferred(item('double-click')));
	});

	it('two executions at once with different references: both sent, neither write lost', async () => {
		const runs = await Promise.all([
			kona.output(ledgerWorkflow(), [item('left-1'), item('left-2')]),
			kona.output(ledgerWorkflow(), [item('right-1'), item('right-2')]),
		]);
		expect(runs.map((run) => run.error)).toEqual([undefined, undefined]);
		expect(ledgerHolds()).toEqual(
			transferred(...['left-1', 'left-2', 'right-1', 'right-2'].map((ref) => item(ref))),
		);
		const again = await Promise.all([
			kona.output(ledgerWorkflow(), [item('left-1'), item('left-2')]),
			kona.output(ledgerWorkflow(), [item('right-1'), item('right-2')]),
		]);
		expect(again.flatMap((run) => run.success.map((out) => out.json.alreadyTransferred))).toEqual([
			true,
			true,
			true,
			true,
		]);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(4);
	});

	it('Retry On Fail does not resend completed items; it resends an item Konaplate refused', async () => {
		const wf = ledgerWorkflow({ retryOnFail: true, maxTries: 3, waitBetweenTries: 1 });
		const { error, success } = await kona.output(wf, [
			item('r-0', { amount: 1 }),
			item('r-1', { amount: 2, fromCardNo: CARDS.empty }),
			item('r-2', { amount: 3 }),
		]);
		expect(error?.message).toContain('005_017');
		expect(success).toHaveLength(0);
		expect(
			kona.emulator.requests.map((request) => Number(/"amount":(\d+)/.exec(request.rawBody)?.[1])),
		).toEqual([1, 2, 2, 2]);
		expect(ledgerHolds()).toEqual(transferred(item('r-0', { amount: 1 })));
	});

	it('Retry On Fail after a timeout: completed items are not resent and the timed-out one is not sent again', async () => {
		let call = 0;
		kona.emulator.script = () =>
			++call === 2 ? slow({ delayMs: 1600, status: 200, body: '{}' }) : undefined;
		const wf = ledgerWorkflow({
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 1,
			options: { timeout: 1000 },
		});
		const { error } = await kona.output(wf, [
			item('t-0', { amount: 1 }),
			item('t-1', { amount: 2 }),
			item('t-2', { amount: 3 }),
		]);
		expect(kona.emulator.requests).toHaveLength(2);
		expect(error?.context).toMatchObject({ refusal: 'LEDGER_OUTCOME_UNKNOWN', reference: 't-1' });
	});

	it('Retry On Fail with a recovered failure: the second try sends only what was not done', async () => {
		let call = 0;
		// The first answer of item 1 is a 401 at the door (refused, not processed), the next one normal.
		kona.emulator.script = () => (++call === 2 ? { status: 401, body: 'Unauthorized' } : undefined);
		const wf = ledgerWorkflow({ retryOnFail: true, maxTries: 2, waitBetweenTries: 1 });
		const { error, success } = await kona.output(wf, [
			item('k-0', { amount: 1 }),
			item('k-1', { amount: 2 }),
		]);
		expect(error).toBeUndefined();
		expect(
			kona.emulator.requests.map((request) => Number(/"amount":(\d+)/.exec(request.rawBody)?.[1])),
		).toEqual([1, 2, 2]);
		expect(
			success.map((out) => [out.json.alreadyTransferred ?? false, out.json.reference]),
		).toEqual([
			[true, 'k-0'],
			[false, 'k-1'],
		]);
	});
});

describe('a reference belongs to the Konaplate account it was sent to', () => {
	it('the same workflow switched to another base URL, then to another ASP ID, sends the reference there again', async () => {
		await kona.run(ledgerWorkflow(), [item('acct')]);
		const elsewhere = await KonaplateEmulator.start();
		const otherAsp = 'ASP999999999999';
		const otherAccount = await KonaplateEmulator.start({ aspId: otherAsp });
		try {
			const there = await emulatorTarget(kona.engine, elsewhere).output(ledgerWorkflow(), [
				item('acct'),
			]);
			expect(there.success[0].json.transferred).toBe(true);
			expect(elsewhere.accepted(TRANSFER)).toHaveLength(1);
			const other = await emulatorTarget(kona.engine, otherAccount).output(
				ledgerWorkflow(),
				[item('acct')],
				{ aspId: otherAsp },
			);
			expect(other.success[0].json.transferred).toBe(true);
			expect(otherAccount.accepted(TRANSFER)).toHaveLength(1);
			const back = await kona.output(ledgerWorkflow(), [item('acct')]);
			expect(back.success[0].json.alreadyTransferred).toBe(true);
			expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
		} finally {
			await elsewhere.close();
			await otherAccount.close();
		}
	});

	it('another workflow has a ledger of its own', async () => {
		await kona.run(ledgerWorkflow(), [item('per-workflow')]);
		const { success } = await kona.output({ ...ledgerWorkflow(), id: 'another-workflow' }, [
			item('per-workflow'),
		]);
		expect(success[0].json.transferred).toBe(true);
	});
});

describe('capacity', () => {
	it(
		`keeps at least the last 50,000 references (${LEDGER_MAX_ENTRIES} entries, seven per reference, two of an older version's); past that the oldest are forgotten`,
		async () => {
			expect(LEDGER_MAX_ENTRIES).toBeGreaterThanOrEqual(50_000 * 7 + 20_000 * 6);
			// An older version's references (claim and done): two new ones (seven entries each) push out one
			const kept = (LEDGER_MAX_ENTRIES - 12) / 2;
			const filler = Array.from({ length: kept }, (_, n) => [
				valueOf('claim', `old-${n}`),
				valueOf('done', `old-${n}`),
			]).flat();
			await record(filler, { maxEntries: LEDGER_MAX_ENTRIES });
			const recent = await kona.output(ledgerWorkflow(), [
				item('old-1'),
				item('new-1'),
				item('new-2'),
			]);
			expect(recent.success.map((out) => out.json.alreadyTransferred ?? false)).toEqual([
				true,
				false,
				false,
			]);
			expect(store.entries(WORKFLOW_ID)).toHaveLength(LEDGER_MAX_ENTRIES);
			// Two newer references pushed the oldest one out; the next oldest is still known.
			const forgotten = await kona.output(ledgerWorkflow(), [item('old-0'), item('old-2')]);
			expect(forgotten.success.map((out) => out.json.transferred ?? false)).toEqual([true, false]);
		},
		FULL_LEDGER_MS,
	);
});
