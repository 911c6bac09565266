import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { READ_OUTCOME_UNKNOWN } from '../nodes/Konaplate/actions/read';
import {
	NO_ENCRYPTION,
	useKonaplate,
	useEncryptedEmulator,
	withNode,
	WORKFLOWS,
} from './helpers/konaplate';
import { CARDS } from '../emulator/server';
import type { RawReply } from '../emulator/server';
import { LONG_MEMBER, MEMBER, MERGE_MEMBER } from '../emulator/data';

/** The three reads through failures, a project that requires encryption, and a run that stops. */
const PATH = { list: '/api/v1/user/card/list' };
const CORRELATION_ID = /^\d{12}-[0-9a-f]{7}$/;

const kona = useKonaplate();
const encrypted = useEncryptedEmulator(kona);

describe('the reads through failures: one request each, never resent, the same messages as the writes', () => {
	const READS: Array<[string, typeof WORKFLOWS.cardGet, IDataObject]> = [
		['Card > Get Many', WORKFLOWS.cardGetMany, { userId: MERGE_MEMBER }],
		['Card > Get', WORKFLOWS.cardGet, { cardNo: CARDS.main }],
		['Bank Account > Get', WORKFLOWS.bankAccountGet, { userId: MERGE_MEMBER }],
	];

	it.each(READS)('%s: refused keys (HTTP 401)', async (_label, workflow, item) => {
		const { error } = await kona.output(workflow, [item], { secretKey: 'a-different-secret-key' });
		expect(error?.message).toBe('Konaplate refused the credential (HTTP 401)');
		expect(kona.emulator.requests).toHaveLength(1);
	});

	it.each(READS)('%s: a timeout', async (_label, workflow, item) => {
		kona.emulator.script = () => ({ delayMs: 1500, status: 200, body: '{}' });
		const { error } = await kona.output(
			withNode(workflow, { parameters: { options: { timeout: 1000 } } }),
			[item],
		);
		const sent = kona.emulator.requests[0].headers['x-km-correlation-id'];
		expect(error?.message).toBe('No answer from Konaplate within 1 s');
		expect(error?.description).toBe(`${READ_OUTCOME_UNKNOWN} (item 0, correlation id ${sent})`);
		expect(kona.emulator.requests).toHaveLength(1);
		await sleep(600);
	});

	/** Answers each read refuses after its one request: the reply, the message, part of the description. */
	const FAILURES: Array<[string, RawReply, string, string]> = [
		[
			'an HTML 502',
			{ status: 502, headers: { 'Content-Type': 'text/html' }, body: '<html>Bad Gateway</html>' },
			'Konaplate had a server error (HTTP 502)',
			READ_OUTCOME_UNKNOWN,
		],
		[
			'a dropped connection',
			{ drop: true },
			'The connection to Konaplate dropped before an answer arrived',
			READ_OUTCOME_UNKNOWN,
		],
		[
			'a success code under HTTP 500 is no success',
			{
				status: 500,
				body: '{"response":{"code":"000_000"},"cardDataInfo":[],"accountInfo":null}',
			},
			'Konaplate answered HTTP 500 with the success code 000_000: the outcome is unclear',
			READ_OUTCOME_UNKNOWN,
		],
		[
			'an undocumented code passes through as it came',
			{ status: 400, body: '{"response":{"code":"003_777","description":"Something new."}}' },
			'003_777: Something new.',
			'Konaplate did not document this code',
		],
	];

	it.each(
		READS.flatMap(([read, workflow, item]) =>
			FAILURES.map(
				([label, reply, message, advice]) =>
					[read, label, workflow, item, reply, message, advice] as const,
			),
		),
	)('%s: %s', async (_read, _label, workflow, item, reply, message, advice) => {
		kona.emulator.script = () => reply;
		const { error, success } = await kona.output(workflow, [item]);
		expect(success).toHaveLength(0);
		expect(error?.message).toBe(message);
		expect(error?.description).toContain(advice);
		expect(kona.emulator.requests).toHaveLength(1);
	});

	it.each(READS)(
		'%s: several items in batches of 2, one request per item',
		async (_label, workflow, item) => {
			const batched = withNode(workflow, {
				parameters: { options: { batching: { batch: { batchSize: 2, batchInterval: 0 } } } },
			});
			const { success, error } = await kona.output(batched, [item, item, item]);
			expect(error).toBeUndefined();
			expect(kona.emulator.requests).toHaveLength(3);
			expect(new Set(success.map((out) => (out.pairedItem as { item: number }).item))).toEqual(
				new Set([0, 1, 2]),
			);
			expect(success.every((out) => CORRELATION_ID.test(String(out.json.correlationId)))).toBe(
				true,
			);
		},
	);
});

describe('a project that requires encryption, and a credential without it', () => {
	const plain = async (workflow: typeof WORKFLOWS.cardGet, items: IDataObject[]) =>
		await encrypted.output(workflow, items, NO_ENCRYPTION);

	it('the card list, plain on its page, is answered plain', async () => {
		const { success, error } = await plain(WORKFLOWS.cardGetMany, [{ userId: LONG_MEMBER }]);
		expect(error).toBeUndefined();
		expect(success).toHaveLength(2);
		expect(encrypted.emulator.accepted(PATH.list)[0].encrypted).toBe(false);
	});

	it.each([
		['Card > Get', WORKFLOWS.cardGet, { cardNo: CARDS.main }],
		['Bank Account > Get', WORKFLOWS.bankAccountGet, { userId: MEMBER }],
	] as Array<[string, typeof WORKFLOWS.cardGet, IDataObject]>)(
		'%s, marked Encrypted, is refused (000_002 encData)',
		async (_label, workflow, item) => {
			const { error } = await plain(workflow, [item]);
			expect(error?.message).toBe('000_002: Invalid input parameter. encData');
		},
	);
});

describe('a run that stops after a list read', () => {
	it('names each input item already read once, however many cards it gave', async () => {
		const { error } = await kona.output(WORKFLOWS.cardGetMany, [
			{ userId: MERGE_MEMBER },
			{ userId: '42' },
		]);
		const [first] = kona.emulator.accepted(PATH.list);
		expect(error?.message).toBe('001_006: Wallet user not found.');
		expect(error?.description).toContain(
			`Already completed in this run before it stopped: item 0 (${first.headers['x-km-correlation-id']}). Do not run those again.`,
		);
	});
});
