import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Prepared } from '../nodes/Konaplate/actions/operation';
import { Bookkeeping, CLAIM_WINDOW, TAIL_SHARE } from '../nodes/Konaplate/ledger/bookkeeping';
import { MAX_WINDOW } from '../nodes/Konaplate/ledger/window';
import type { Session } from '../nodes/Konaplate/transport/session';
import {
	LEDGER_MAX_ENTRIES,
	LEDGER_MAX_REFERENCES_PER_RUN,
	LEDGER_MAX_UNKNOWN,
} from '../nodes/Konaplate/ledger/workflow-row';
import {
	CLAIM_ENTRIES,
	ledgerBaseUrl,
	parseReference,
	referenceKey,
	sha256Hex,
	unknownCountValues,
} from '../nodes/Konaplate/wire/ledger';
import { MemoryProcessedData } from '../scripts/engine/dedup-store';
import { useKonaplate, WORKFLOWS } from './helpers/konaplate';
import {
	countedUnknown,
	FULL_LEDGER_MS,
	ledgerItem as item,
	ledgerValuesOf,
	ledgerWorkflow,
	olderLedgerValue,
	recordInLedger,
	transferredHashes,
	useLedgerStore,
} from './helpers/ledger';
import { CARDS } from '../emulator/server';

const TRANSFER = '/api/v1/transfer/balance';
const kona = useKonaplate();
const ledger = useLedgerStore();
afterEach(() => jest.restoreAllMocks());

const WORKFLOW_ID = 'test-workflow';
const valueOf = (mark: 'claim' | 'done', reference: string) =>
	olderLedgerValue(kona.emulator.baseUrl, mark, reference);
const hashOf = (mark: 'claim' | 'done', reference: string) =>
	MemoryProcessedData.hash(valueOf(mark, reference));
const record = async (values: string[]) =>
	await recordInLedger(ledger.store, values, LEDGER_MAX_ENTRIES);
/** What the ledger holds for items the node transferred: seven values each. */
const transferred = (...items: IDataObject[]) => transferredHashes(kona.emulator.baseUrl, items);
/** An older version's entries of transferred references: a claim and a done each. */
const olderEntries = (...references: string[]) =>
	references.flatMap((reference) => [hashOf('claim', reference), hashOf('done', reference)]).sort();
const ledgerHolds = () => [...ledger.store.entries(WORKFLOW_ID)].sort();
const details = (json: IDataObject) => json.error as IDataObject;
/** A full ledger: the claim and done of `count` earlier references, old-0 the oldest. */
const fill = async (count: number) =>
	await record(
		Array.from({ length: count }, (_, n) => [
			valueOf('claim', `old-${n}`),
			valueOf('done', `old-${n}`),
		]).flat(),
	);

describe('one reference, one entry', () => {
	it('a Hangul reference typed decomposed (macOS) or composed (Windows), with invisible characters around it, is one reference', async () => {
		const composed = '지급-2026-0571';
		const first = await kona.output(ledgerWorkflow(), [
			item(`\uFEFF ${composed.normalize('NFD')}\u200B\u200E `),
		]);
		expect(first.success[0].json.reference).toBe(composed);
		const second = await kona.output(ledgerWorkflow(), [item(composed)]);
		expect(second.success[0].json).toMatchObject({ alreadyTransferred: true, reference: composed });
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
		expect(ledgerHolds()).toEqual(transferred(item(composed)));
	});

	it('full-width letters and digits of an IME are the ASCII ones (NFKC); case is kept: PAY-1 and pay-1 are two references', async () => {
		await kona.run(ledgerWorkflow(), [item('ＰＡＹ－１')]);
		const again = await kona.output(ledgerWorkflow(), [item('PAY-1'), item('pay-1')]);
		expect(again.success.map((out) => [out.json.reference, out.json.alreadyTransferred])).toEqual([
			['PAY-1', true],
			['pay-1', undefined],
		]);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(2);
	});

	it('the dashes a word processor, macOS or a spreadsheet types for - (hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign) are -', async () => {
		await kona.run(ledgerWorkflow(), [item('payout-2026-0571')]);
		const dashes = ['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212'];
		for (const dash of dashes) {
			const spelled = `payout${dash}2026${dash}0571`;
			const again = await kona.output(ledgerWorkflow(), [item(spelled)]);
			expect(again.success[0].json).toMatchObject({
				alreadyTransferred: true,
				reference: 'payout-2026-0571',
			});
		}
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
		// A plain - gives the key it always gave: entries recorded before read as they were
		expect(parseReference('payout-2026-0571')).toEqual({ ok: true, value: 'payout-2026-0571' });
		expect(referenceKey({ baseUrl: 'https://a.example', aspId: 'A' }, 'p-1')).toBe(
			sha256Hex(JSON.stringify(['https://a.example', 'A', 'p-1'])),
		);
	});

	it('two spellings of one reference in one run are refused as duplicates', async () => {
		const { error } = await kona.output(ledgerWorkflow(), [item('dup'), item('\u200Bdup ')]);
		expect(error?.context).toMatchObject({ refusal: 'LEDGER_DUPLICATE_REFERENCE' });
		expect(kona.emulator.requests).toHaveLength(0);
	});
});

describe('one account, one ledger', () => {
	it('another spelling of the same Base URL (scheme case, IPv4 shorthand, trailing slash) reads the same ledger', async () => {
		await kona.run(ledgerWorkflow(), [item('acct-1')]);
		const spelled = kona.emulator.baseUrl
			.replace('http://127.0.0.1', 'HTTP://127.1')
			.replace(/$/, '//');
		const { success } = await kona.output(ledgerWorkflow(), [item('acct-1')], {
			baseUrl: spelled,
		});
		expect(success[0].json.alreadyTransferred).toBe(true);
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
	});

	it('a user name and password in the Base URL, and an IPv4-mapped IPv6 address, name the same account', async () => {
		await kona.run(ledgerWorkflow(), [item('acct-2')]);
		const port = new URL(kona.emulator.baseUrl).port;
		const path = new URL(kona.emulator.baseUrl).pathname;
		for (const spelled of [
			kona.emulator.baseUrl.replace('http://', 'http://ops:secret@'),
			`http://[::ffff:127.0.0.1]:${port}${path}`,
			`http://ops@[::ffff:7f00:1]:${port}${path}`,
		]) {
			const { success } = await kona.output(ledgerWorkflow(), [item('acct-2')], {
				baseUrl: spelled,
			});
			expect(success[0].json.alreadyTransferred).toBe(true);
		}
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
		expect(ledgerBaseUrl('https://a.example/open-api/')).toBe('https://a.example/open-api');
	});
});

describe('capacity', () => {
	it(
		'a look-up at a full ledger (an unknown reference) forgets nothing',
		async () => {
			await fill(LEDGER_MAX_ENTRIES / 2 - 1);
			await record([valueOf('claim', 'unknown')]);
			expect(ledger.store.entries(WORKFLOW_ID)).toHaveLength(LEDGER_MAX_ENTRIES - 1);
			const { errors } = await kona.output(ledgerWorkflow({ onError: 'continueErrorOutput' }), [
				item('unknown'),
			]);
			expect(details(errors[0].json).code).toBe('LEDGER_OUTCOME_UNKNOWN');
			expect(ledger.store.entries(WORKFLOW_ID)).toHaveLength(LEDGER_MAX_ENTRIES - 1);
			expect(ledger.store.entries(WORKFLOW_ID)[0]).toBe(hashOf('claim', 'old-0'));
		},
		FULL_LEDGER_MS,
	);

	it(
		"a run's claims that it gives back (a refusal, never sent) push nothing out of a full ledger",
		async () => {
			await fill(LEDGER_MAX_ENTRIES / 2);
			const { errors } = await kona.output(ledgerWorkflow({ onError: 'continueErrorOutput' }), [
				item('refused', { fromCardNo: CARDS.empty }),
			]);
			expect(details(errors[0].json)).toMatchObject({ reference: 'refused', outcome: 'refused' });
			expect(ledger.store.entries(WORKFLOW_ID)).toHaveLength(LEDGER_MAX_ENTRIES);
			expect(ledger.store.entries(WORKFLOW_ID)[0]).toBe(hashOf('claim', 'old-0'));
			const old = await kona.output(ledgerWorkflow(), [item('old-0')]);
			expect(old.success[0].json.alreadyTransferred).toBe(true);
		},
		FULL_LEDGER_MS,
	);

	it(
		'a full ledger of the last 50,000 transfers (eight entries each) behind 20,000 unknown ones: a new transfer pushes out only unknown ones',
		async () => {
			const base = kona.emulator.baseUrl;
			const unknown = Array.from({ length: 20_000 }, (_, n) =>
				ledgerValuesOf(base, item(`unknown-${n}`), false),
			).flat();
			const kept = Array.from({ length: LEDGER_MAX_REFERENCES_PER_RUN }, (_, n) =>
				ledgerValuesOf(base, item(`kept-${n}`)),
			).flat();
			await record([...unknown, ...kept]);
			expect(ledger.store.entries(WORKFLOW_ID)).toHaveLength(LEDGER_MAX_ENTRIES);
			const { success } = await kona.output(ledgerWorkflow(), [item('kept-0'), item('newest')]);
			expect(success.map((out) => out.json.alreadyTransferred ?? false)).toEqual([true, false]);
			expect(ledger.store.entries(WORKFLOW_ID)).toHaveLength(LEDGER_MAX_ENTRIES);
			// The newest transfer's entries (its claim's and its done) pushed out the oldest unknown
			// reference (a claim's entries) and part of the next
			expect(ledger.store.entries(WORKFLOW_ID)[0]).toBe(
				MemoryProcessedData.hash(unknown[CLAIM_ENTRIES + 1]),
			);
		},
		FULL_LEDGER_MS,
	);

	it(
		'after outages that left more References unknown than the 20,000 of room beside the transfers, no later call of any node trims one of the last 50,000 transferred References',
		async () => {
			const base = kona.emulator.baseUrl;
			const kept = Array.from({ length: LEDGER_MAX_REFERENCES_PER_RUN }, (_, n) =>
				item(`kept-${n}`),
			);
			// Earlier outages left 19,990 References unknown, counted; then 50,000 were transferred
			const earlier = Array.from({ length: 19_990 }, (_, n) => item(`lost-${n}`));
			await record([
				...earlier.flatMap((one) => ledgerValuesOf(base, one, false)),
				...unknownCountValues(19_990),
				...kept.flatMap((one) => ledgerValuesOf(base, one)),
			]);
			const keptHashes = transferred(...kept);
			// Another 5xx outage under Continue On Fail: every transfer's outcome is unknown
			kona.emulator.script = () => ({ status: 500, body: '<html>down</html>' });
			const outage = Array.from({ length: 20 }, (_, n) => item(`out-${n}`, { amount: 1 }));
			const { errors } = await kona.output(
				ledgerWorkflow({ onError: 'continueErrorOutput' }),
				outage,
			);
			kona.emulator.script = undefined;
			expect(errors.map((out) => details(out.json).outcome)).toEqual(outage.map(() => 'unknown'));
			const holds = () => new Set(ledger.store.entries(WORKFLOW_ID));
			// 20,010 unknown, counted: the row holds more than the ledger's size, and keeps it
			expect(ledger.store.entries(WORKFLOW_ID).length).toBeGreaterThan(LEDGER_MAX_ENTRIES);
			const afterOutage = holds();
			expect(countedUnknown(20_010).every((hash) => afterOutage.has(hash))).toBe(true);
			expect(keptHashes.every((hash) => afterOutage.has(hash))).toBe(true);
			const size = ledger.store.entries(WORKFLOW_ID).length;
			// A look-up trims nothing
			const looked = await kona.output(WORKFLOWS.transferReferenceGet, [{ reference: 'lost-0' }]);
			expect(looked.success[0].json.state).toBe('outcomeUnknown');
			expect(ledger.store.entries(WORKFLOW_ID)).toHaveLength(size);
			// A new transfer and a re-run of the oldest transfers: nothing transferred is forgotten
			kona.emulator.reset();
			const again = await kona.output(ledgerWorkflow(), [...kept.slice(0, 100), item('newest')]);
			expect(again.success.filter((out) => out.json.alreadyTransferred === true)).toHaveLength(100);
			expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
			const now = holds();
			expect(keptHashes.every((hash) => now.has(hash))).toBe(true);
			expect(MemoryProcessedData.hash(ledgerValuesOf(base, earlier[0], false)[0])).toBe(
				ledger.store.entries(WORKFLOW_ID)[0],
			);
		},
		FULL_LEDGER_MS * 2,
	);

	it(
		`a run that could leave more than ${LEDGER_MAX_UNKNOWN} unknown outcomes on a full ledger is refused before anything is sent, naming what to do`,
		async () => {
			const base = kona.emulator.baseUrl;
			const kept = Array.from({ length: LEDGER_MAX_REFERENCES_PER_RUN }, (_, n) =>
				item(`kept-${n}`),
			);
			await record([
				...kept.flatMap((one) => ledgerValuesOf(base, one)),
				...unknownCountValues(LEDGER_MAX_UNKNOWN - 10),
			]);
			const before = ledgerHolds();
			const { error } = await kona.output(
				ledgerWorkflow(),
				Array.from({ length: 11 }, (_, n) => item(`more-${n}`)),
			);
			expect(error?.context).toMatchObject({ refusal: 'LEDGER_UNKNOWN_ROOM' });
			expect(error?.message).toBe(
				"The run was not sent: this workflow's ledger counts 49,990 References whose outcome is unknown, and a run of 11 more could leave more than the 50,000 it keeps room for.",
			);
			expect(error?.description).toMatch(/Transfer Reference → Resolve/);
			expect(kona.emulator.requests).toHaveLength(0);
			expect(ledgerHolds()).toEqual(before);
			const ten = await kona.output(
				ledgerWorkflow(),
				Array.from({ length: 10 }, (_, n) => item(`fits-${n}`)),
			);
			expect(ten.error).toBeUndefined();
			expect(kona.emulator.accepted(TRANSFER)).toHaveLength(10);
		},
		FULL_LEDGER_MS,
	);

	it(`a run with more than ${LEDGER_MAX_REFERENCES_PER_RUN} references is refused before anything is sent, naming the maximum`, () => {
		// The part of n8n's execute context the refusal reads: nothing else is touched
		const ctx = { getNode: () => WORKFLOWS.transfer.nodes[0] } as unknown as IExecuteFunctions;
		const prepared = (count: number) =>
			Array.from({ length: count }, (_, n) => ({ reference: `many-${n}` }) as Prepared);
		const session = {} as Session;
		expect(() =>
			Bookkeeping.open(ctx, session, prepared(LEDGER_MAX_REFERENCES_PER_RUN + 1), false),
		).toThrow(
			expect.objectContaining({
				message:
					'The run was not sent: it has 50,001 items with a Reference, more than the 50,000 one run may carry.',
				context: expect.objectContaining({ refusal: 'LEDGER_RUN_TOO_LARGE' }),
			}),
		);
	});
});

describe('claim only what leaves', () => {
	it(`References are claimed ${CLAIM_WINDOW} items at a time, just before they leave: the later ones are free while the first are sent`, async () => {
		const items = Array.from({ length: CLAIM_WINDOW + 20 }, (_, n) =>
			item(`w-${n}`, { amount: 1 }),
		);
		let atFirstRequest: string[] = [];
		kona.emulator.script = () => {
			if (atFirstRequest.length === 0) atFirstRequest = [...ledger.store.entries(WORKFLOW_ID)];
			return undefined;
		};
		const { error } = await kona.output(ledgerWorkflow(), items);
		expect(error).toBeUndefined();
		expect(atFirstRequest).toHaveLength(CLAIM_WINDOW * CLAIM_ENTRIES);
		expect(atFirstRequest).toContain(hashOf('claim', `w-${CLAIM_WINDOW - 1}`));
		expect(atFirstRequest).not.toContain(hashOf('claim', `w-${CLAIM_WINDOW}`));
		// One call per window (the second also writes the first window's outcomes), one to settle,
		// and one a second while the run lasts; never a removal
		expect(ledger.store.calls.checkProcessedAndRecord).toBeGreaterThanOrEqual(3);
		expect(ledger.store.calls.removeProcessed).toBe(0);
		expect(ledgerHolds()).toEqual(transferred(...items));
	});

	/**
	 * A run's bookkeeping on a clock the test moves: the parts of n8n's context and of the session
	 * a run's ledger opens with, the ledger's store answering every value as new through `store`.
	 */
	function pacedRun(prefix: string, store: (scope: string) => void = () => undefined) {
		const clock = { now: 0 };
		const ctx = {
			getNode: () => WORKFLOWS.transfer.nodes[0],
			getWorkflow: () => ({ id: WORKFLOW_ID }),
			getExecutionId: () => 'paced',
			helpers: {
				checkProcessedAndRecord: async (_values: unknown, scope: string) => {
					store(scope);
					return { new: [], processed: [] };
				},
				removeProcessed: async () => undefined,
				getProcessedDataCount: async () => 0,
				clearAllProcessedItems: async () => undefined,
			},
		} as unknown as IExecuteFunctions;
		const session = {
			clock: { now: () => new Date(clock.now) },
			credential: { baseUrl: kona.emulator.baseUrl, aspId: 'asp', timeZone: 'KST' },
			timeoutMs: 30_000,
		} as unknown as Session;
		const prepared = Array.from(
			{ length: 3000 },
			(_, n) => ({ itemIndex: n, reference: `${prefix}-${n}` }) as Prepared,
		);
		const open = (items = prepared) => Bookkeeping.open(ctx, session, items, false);
		return { clock, prepared, open };
	}

	it(`windows: ${CLAIM_WINDOW} items first, then about a second of sending at the run's pace, in whole batches`, () => {
		const { clock, prepared, open } = pacedRun('p');
		const books = open();
		// The pace is that of requests that left: `start` items sent before each window
		let sent = 0;
		const sentUpTo = (target: Bookkeeping, start: number) => {
			target.sending(prepared.slice(sent, Math.max(sent, start)));
			sent = Math.max(sent, start);
		};
		const sizes = (start: number, batchSize: number) => {
			sentUpTo(books, start);
			return books.nextWindow(prepared, start, batchSize).length;
		};
		expect(sizes(0, 1)).toBe(CLAIM_WINDOW);
		expect(sizes(0, 30)).toBe(120); // whole batches
		clock.now = 250; // 100 items in 0.25 s: 400 a second
		expect(sizes(100, 1)).toBe(400);
		clock.now = 1250; // 500 in 1.25 s: 400 a second, in batches of 7
		expect(sizes(500, 7)).toBe(406);
		clock.now = 60_000; // slow (a Batch Interval, a slow Konaplate): never fewer than the first window
		expect(sizes(906, 1)).toBe(CLAIM_WINDOW);
		// The last items join a paced window when they are at most a quarter of it
		expect(TAIL_SHARE).toBe(0.25);
		clock.now = 0;
		const tails = open();
		tails.nextWindow(prepared, 0, 1);
		tails.sending(prepared.slice(0, 100));
		clock.now = 250; // 400 a second again
		const run = (length: number) => prepared.slice(0, length);
		expect(tails.nextWindow(run(550), 100, 1)).toEqual(prepared.slice(100, 550));
		expect(tails.nextWindow(run(600), 100, 1)).toHaveLength(500);
		expect(tails.nextWindow(run(601), 100, 1)).toHaveLength(400);
		// never the first window: its pace is not known yet
		expect(open(run(CLAIM_WINDOW + 20)).nextWindow(run(CLAIM_WINDOW + 20), 0, 1)).toHaveLength(
			CLAIM_WINDOW,
		);
		// A fast run: its second window is at most MAX_WINDOW items, whatever its pace
		clock.now = 0;
		const fast = open();
		expect(fast.nextWindow(prepared, 0, 1)).toHaveLength(CLAIM_WINDOW);
		clock.now = 10; // 100 items in 10 ms: 10,000 a second
		fast.sending(prepared.slice(0, 100));
		expect(fast.nextWindow(prepared, 100, 1)).toEqual(prepared.slice(100, 100 + MAX_WINDOW));
		expect(fast.nextWindow(prepared.slice(0, 1200), 100, 1)).toEqual(prepared.slice(100, 1200));
		// Without a Reference nothing is claimed: the run is one window
		const plain = prepared.map((one) => ({ ...one, reference: '' }));
		expect(open(plain).nextWindow(plain, 0, 1)).toHaveLength(3000);
	});

	it("the pace leaves out the ledger's own calls: a slow ledger does not shrink the windows", async () => {
		const { clock, prepared, open } = pacedRun('slow', (scope) => {
			if (scope === 'workflow') clock.now += 500; // a ledger row that takes 0.5 s a call
		});
		const books = open();
		const first = books.nextWindow(prepared, 0, 1);
		expect(first).toHaveLength(CLAIM_WINDOW);
		await books.claimWindow(first); // 0.5 s in the ledger
		books.sending(first);
		clock.now += 250; // the 100 items sent in 0.25 s: 400 a second
		expect(books.nextWindow(prepared, 100, 1)).toHaveLength(400);
	});

	it('a re-run whose first items were transferred before: windows by the requests that left, not by the items the ledger answered', () => {
		const { clock, prepared, open } = pacedRun('again');
		const books = open();
		expect(books.nextWindow(prepared.slice(0, 1500), 0, 1)).toHaveLength(CLAIM_WINDOW);
		// The first 100 were already transferred: nothing left, so no pace yet, however fast
		expect(books.nextWindow(prepared.slice(0, 1500), 100, 1)).toHaveLength(CLAIM_WINDOW);
		books.sending(prepared.slice(100, 200));
		clock.now = 500; // 100 requests in 0.5 s: 200 a second
		expect(books.nextWindow(prepared.slice(0, 1500), 200, 1)).toHaveLength(200);
		books.sending(prepared.slice(200, 400));
		clock.now = 1000; // 300 requests in 1 s
		expect(books.nextWindow(prepared.slice(0, 1500), 400, 1)).toHaveLength(300);
	});

	it('a stop in the first window leaves the references of the next window unclaimed', async () => {
		const items = Array.from({ length: CLAIM_WINDOW + 5 }, (_, n) => item(`s-${n}`, { amount: 1 }));
		items[1] = item('s-1', { fromCardNo: CARDS.empty });
		const { error } = await kona.output(ledgerWorkflow(), items);
		expect(error?.message).toContain('005_017');
		expect(ledgerHolds()).toEqual(transferred(items[0]));
	});
});

describe('a store failure in the middle of a look-up', () => {
	it('when removing what the look-up recorded fails, it is removed again and the new claims given back', async () => {
		await record([valueOf('claim', 'done-1'), valueOf('done', 'done-1')]);
		await record([valueOf('claim', 'unknown-1')]);
		const remove = ledger.store.removeProcessed.bind(ledger.store);
		jest
			.spyOn(ledger.store, 'removeProcessed')
			.mockImplementationOnce(async () => await Promise.reject(new Error('connection lost')))
			.mockImplementation(remove);
		const { error } = await kona.output(ledgerWorkflow(), [
			item('new-1'),
			item('done-1'),
			item('unknown-1'),
		]);
		expect(error?.context).toMatchObject({ refusal: 'LEDGER_UNAVAILABLE' });
		expect(error?.message).toContain('connection lost');
		expect(kona.emulator.requests).toHaveLength(0);
		expect(ledgerHolds()).toEqual([...olderEntries('done-1'), hashOf('claim', 'unknown-1')].sort());
	});

	/** Fails every store call that asks for `value` (the lock's own calls never do), counting them. */
	const failWhenAsked = (value: string) => {
		const check = ledger.store.checkProcessedAndRecord.bind(ledger.store);
		const failed = { calls: 0 };
		jest
			.spyOn(ledger.store, 'checkProcessedAndRecord')
			.mockImplementation(async (items, ...rest) => {
				if (!items.includes(value)) return await check(items, ...rest);
				failed.calls++;
				return await Promise.reject(new Error('deadlock'));
			});
		return failed;
	};

	it('when the look-up of done fails, the claims it made are given back', async () => {
		await record([valueOf('claim', 'done-2'), valueOf('done', 'done-2')]);
		const failed = failWhenAsked(valueOf('done', 'done-2'));
		const { error } = await kona.output(ledgerWorkflow(), [item('new-2'), item('done-2')]);
		expect(failed.calls).toBe(1);
		expect(error?.context).toMatchObject({ refusal: 'LEDGER_UNAVAILABLE' });
		expect(error?.message).toContain('deadlock');
		expect(kona.emulator.requests).toHaveLength(0);
		expect(ledgerHolds()).toEqual(olderEntries('done-2'));
	});

	it('when the look-up of done fails for a reference with its fields, its fields stay and the new claims are given back', async () => {
		await kona.run(ledgerWorkflow(), [item('done-3')]);
		const failed = failWhenAsked(valueOf('done', 'done-3'));
		const { error } = await kona.output(ledgerWorkflow(), [item('new-3'), item('done-3')]);
		expect(failed.calls).toBe(1);
		expect(error?.message).toContain('deadlock');
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
		expect(ledgerHolds()).toEqual(transferred(item('done-3')));
	});
});
