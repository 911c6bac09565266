import type { IDataObject, INodeParameters, INodeProperties } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { probeNode, probeWorkflow } from './helpers/probe-node';
import { Engine } from '../scripts/engine/engine';
import type { WorkflowFile } from '../scripts/engine/engine';
import { printSummary, VALID_ITEM } from './helpers/hostile';
import type { Operation } from './helpers/hostile';
import { slow, slowAnswersDone } from './helpers/slow-answers';
import { loadedProperties, useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { CARDS } from '../emulator/server';
import type { RawReply } from '../emulator/server';
import { MEMBER } from '../emulator/data';
import { CREDENTIAL_TYPE } from '../nodes/Konaplate/wire/credentials';

const kona = useKonaplate();
const PATH: Record<Operation, string> = {
	transfer: '/api/v1/transfer/balance',
	delete: '/api/v1/bankaccounts/delete',
};
const ADVICE: Record<Operation, string> = {
	transfer:
		"The transfer may or may not have happened: check both card balances before running this item again (Card > Get shows each card's balance), and quote the correlation id to Konaplate support.",
	delete:
		"It is unknown whether the bank account was deleted: look up the member's registered account before running this item again.",
};
const BALANCE = { main: 50_000, second: 10_000 };
/** Long enough for a resend to have arrived: n8n resends at once, without a pause. */
const SETTLE_MS = 100;

function workflow(
	operation: Operation,
	change: { timeoutMs?: number; onError?: 'continueErrorOutput' | 'continueRegularOutput' } = {},
): WorkflowFile {
	const base = operation === 'transfer' ? WORKFLOWS.transfer : WORKFLOWS.delete;
	const parameters =
		change.timeoutMs === undefined ? {} : { options: { timeout: change.timeoutMs } };
	return withNode(base, { parameters, ...(change.onError && { onError: change.onError }) });
}

const tally = { scenarios: 0, singleRequests: 0, resends: 0, duplicates: 0 };

/** Accepted requests beyond one per correlation id, and correlation ids beyond one per item. */
function duplicatesIn(operation: Operation, items: number): number {
	const accepted = kona.emulator.accepted(PATH[operation]);
	const ids = new Set(
		kona.emulator.requests.map((request) => request.headers['x-km-correlation-id']),
	);
	return (
		Math.max(0, accepted.length - items) + Math.max(0, kona.emulator.requests.length - ids.size)
	);
}

afterAll(async () => {
	await slowAnswersDone();
	printSummary(
		`money safety: ${tally.scenarios} failure scenarios, ${tally.singleRequests} sent exactly once, ${tally.resends} resends or retries, ${tally.duplicates} duplicate transfers`,
	);
});

interface Failure {
	label: string;
	reply?: RawReply;
	credential?: IDataObject;
	timeoutMs?: number;
	message: string | RegExp;
	/** Whether the emulator processed the request before answering (a scripted answer comes after it). */
	processed: boolean;
}

const FAILURES: Failure[] = [
	{
		label: 'HTTP 401 from refused keys',
		credential: { secretKey: 'a-different-secret-key' },
		message: 'Konaplate refused the credential (HTTP 401)',
		processed: false,
	},
	{
		label: 'HTTP 401 with a JSON body',
		reply: {
			status: 401,
			headers: { 'Content-Type': 'application/json' },
			body: '{"error":"unauthorized"}',
		},
		message: 'Konaplate refused the credential (HTTP 401)',
		processed: true,
	},
	{
		label: 'HTTP 403',
		reply: { status: 403, body: 'Forbidden' },
		message: 'Konaplate refused the credential (HTTP 403)',
		processed: true,
	},
	{
		label: 'HTTP 429 with Retry-After',
		reply: { status: 429, headers: { 'Retry-After': '1' }, body: 'Too Many Requests' },
		message: 'Konaplate is limiting requests (HTTP 429)',
		processed: true,
	},
	{
		label: 'HTTP 500',
		reply: { status: 500, body: 'Internal Server Error' },
		message: 'Konaplate had a server error (HTTP 500)',
		processed: true,
	},
	{
		label: 'HTTP 502',
		reply: {
			status: 502,
			headers: { 'Content-Type': 'text/html' },
			body: '<html>Bad Gateway</html>',
		},
		message: 'Konaplate had a server error (HTTP 502)',
		processed: true,
	},
	{
		label: 'HTTP 503 with Retry-After',
		reply: { status: 503, headers: { 'Retry-After': '1' } },
		message: 'Konaplate had a server error (HTTP 503)',
		processed: true,
	},
	{
		label: 'HTTP 504',
		reply: { status: 504, body: 'Gateway Timeout' },
		message: 'Konaplate had a server error (HTTP 504)',
		processed: true,
	},
	{
		label: 'a connection dropped after sending',
		reply: { drop: true },
		message: 'The connection to Konaplate dropped before an answer arrived',
		processed: true,
	},
	{
		label: 'a timeout',
		reply: { delayMs: 2500, status: 200, body: '{"response":{"code":"000_000"},"amount":100}' },
		timeoutMs: 1000,
		message: 'No answer from Konaplate within 1 s',
		processed: true,
	},
	{
		label: 'an answer trickling past the timeout',
		reply: {
			status: 200,
			chunks: Array.from({ length: 6 }, () => ({ data: ' ', delayMs: 350 })),
			body: '{"response":{"code":"000_000"},"amount":100}',
		},
		timeoutMs: 1000,
		message: 'No answer from Konaplate within 1 s',
		processed: true,
	},
	{
		label: 'a body that cannot be decompressed',
		reply: {
			status: 200,
			headers: { 'Content-Encoding': 'gzip' },
			body: '{"response":{"code":"000_000"},"amount":100}',
		},
		message: "Konaplate's answer could not be read (HTTP 200)",
		processed: true,
	},
];

describe('exactly one request per item, whatever goes wrong: no resend, no retry', () => {
	const cases = (['transfer', 'delete'] as const).flatMap((operation) =>
		FAILURES.map((failure): [string, string, Operation, Failure] => [
			operation,
			failure.label,
			operation,
			failure,
		]),
	);

	it.each(cases)('%s under %s', async (_op, _label, operation, failure) => {
		const { reply } = failure;
		kona.emulator.script = reply === undefined ? undefined : () => slow(reply);
		const { error, success } = await kona.output(
			workflow(operation, { timeoutMs: failure.timeoutMs }),
			[VALID_ITEM[operation]],
			failure.credential,
		);
		await sleep(SETTLE_MS);
		tally.scenarios++;
		tally.duplicates += duplicatesIn(operation, 1);
		if (kona.emulator.requests.length === 1) tally.singleRequests++;
		tally.resends += Math.max(0, kona.emulator.requests.length - 1);

		expect(kona.emulator.requests).toHaveLength(1);
		expect(success).toHaveLength(0);
		expect(error?.name).toBe('NodeApiError');
		if (typeof failure.message === 'string') expect(error?.message).toBe(failure.message);
		else expect(error?.message).toMatch(failure.message);
		const sent = kona.emulator.requests[0].headers['x-km-correlation-id'];
		expect(error?.description).toContain(`correlation id ${sent})`);
		if (operation === 'transfer') {
			const moved = failure.processed ? 100 : 0;
			expect(kona.emulator.cards.get(CARDS.main)?.balance).toBe(BALANCE.main - moved);
			expect(kona.emulator.cards.get(CARDS.second)?.balance).toBe(BALANCE.second + moved);
		}
	});

	it('a batch of 20 transfers: 20 requests, 20 correlation ids, the balance moved exactly 20 times', async () => {
		const items = Array.from({ length: 20 }, () => ({ ...VALID_ITEM.transfer, amount: 7 }));
		const { success, error } = await kona.output(WORKFLOWS.transfer, items);
		await sleep(SETTLE_MS);
		tally.duplicates += duplicatesIn('transfer', 20);
		expect(error).toBeUndefined();
		expect(success).toHaveLength(20);
		expect(kona.emulator.accepted(PATH.transfer)).toHaveLength(20);
		expect(new Set(success.map((item) => item.json.correlationId)).size).toBe(20);
		expect(kona.emulator.cards.get(CARDS.main)?.balance).toBe(BALANCE.main - 140);
	});
});

describe("the counting sees a resend: n8n's own resend on HTTP 401, which the node turns off", () => {
	/** Calls the credential like a node that forgot to turn the resend off (or turned it off), then reports. */
	const resendProbe = (preAuthenticationRetryStatusCode?: number[]) =>
		probeNode(
			'resendProbe',
			'Sends one transfer through httpRequestWithAuthentication',
			async function () {
				let outcome = 'answered';
				try {
					await this.helpers.httpRequestWithAuthentication.call(
						this,
						CREDENTIAL_TYPE,
						{
							method: 'POST',
							url: PATH.transfer,
							body: `{"userId":${MEMBER},"fromCardNo":"${CARDS.main}","toCardNo":"${CARDS.second}","amount":100}`,
						},
						preAuthenticationRetryStatusCode === undefined
							? undefined
							: { preAuthenticationRetryStatusCode },
					);
				} catch {
					outcome = 'failed';
				}
				return [[{ json: { outcome }, pairedItem: { item: 0 } }]];
			},
		);

	it.each([
		['without preAuthenticationRetryStatusCode: n8n sends the transfer twice', undefined, 2],
		['with preAuthenticationRetryStatusCode: [] (what the node passes): once', [], 1],
	])('%s', async (_label, option, expected) => {
		const engine = await Engine.load(undefined, { 'test.resendProbe': resendProbe(option) });
		await engine.run(probeWorkflow('test.resendProbe', 'Resend probe'), [{}], {
			[CREDENTIAL_TYPE]: kona.credential({ secretKey: 'a-different-secret-key' }),
		});
		await sleep(SETTLE_MS);
		expect(kona.emulator.requests).toHaveLength(expected);
		expect(kona.emulator.requests.every((request) => request.status === 401)).toBe(true);
	});
});

describe('timeouts and dropped connections: the outcome is unknown, said with the correlation id and what to check', () => {
	it('Options > Timeout exists, defaults to 30 s, and is described as never resent', () => {
		const options = loadedProperties(kona.engine).find((property) => property.name === 'options');
		const timeout = (options?.options as INodeProperties[] | undefined)?.find(
			(option) => option.name === 'timeout',
		);
		expect(timeout).toMatchObject({
			displayName: 'Timeout (Ms)',
			type: 'number',
			default: 30_000,
			typeOptions: { minValue: 1000 },
		});
		expect(timeout?.description).toContain('never resent');
	});

	it.each([
		['transfer', 1000, 'No answer from Konaplate within 1 s'],
		['delete', 1000, 'No answer from Konaplate within 1 s'],
		['transfer', 1500, 'No answer from Konaplate within 1.5 s'],
	] as Array<[Operation, number, string]>)(
		'%s times out after %i ms: the advice and the correlation id the emulator received',
		async (operation, timeoutMs, message) => {
			kona.emulator.script = () =>
				slow({ delayMs: 2500, status: 200, body: '{"response":{"code":"000_000"},"amount":100}' });
			const started = Date.now();
			const { error, success } = await kona.output(workflow(operation, { timeoutMs }), [
				VALID_ITEM[operation],
			]);
			const elapsed = Date.now() - started;
			const sent = kona.emulator.requests[0].headers['x-km-correlation-id'];
			expect(success).toHaveLength(0);
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toBe(message);
			expect(error?.description).toBe(`${ADVICE[operation]} (item 0, correlation id ${sent})`);
			expect(error?.context).toMatchObject({ itemIndex: 0, correlationId: sent });
			expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 50);
			expect(elapsed).toBeLessThan(timeoutMs + 900);
			expect(kona.emulator.requests).toHaveLength(1);
		},
	);

	it.each(['transfer', 'delete'] as Operation[])(
		'%s: a connection dropped after sending gives the same advice',
		async (operation) => {
			kona.emulator.script = () => ({ drop: true });
			const { error } = await kona.output(workflow(operation), [VALID_ITEM[operation]]);
			const sent = kona.emulator.requests[0].headers['x-km-correlation-id'];
			expect(error?.message).toBe('The connection to Konaplate dropped before an answer arrived');
			expect(error?.description).toBe(`${ADVICE[operation]} (item 0, correlation id ${sent})`);
		},
	);

	it('a connection that never opens is not an unknown outcome: nothing was sent', async () => {
		const { error } = await kona.output(WORKFLOWS.transfer, [VALID_ITEM.transfer], {
			baseUrl: 'http://127.0.0.1:9/open-api',
		});
		expect(error?.message).toBe('Could not connect to Konaplate (econnrefused)');
		expect(error?.description).not.toContain('may or may not');
	});

	it('with the error output, a timed-out item goes to the error branch with its correlation id; the others are sent once each', async () => {
		let call = 0;
		kona.emulator.script = () =>
			++call === 2 ? slow({ delayMs: 2000, status: 200, body: '{}' }) : undefined;
		const items = [1, 2, 3].map((amount) => ({ ...VALID_ITEM.transfer, amount }));
		const { success, errors } = await kona.output(
			workflow('transfer', { timeoutMs: 1000, onError: 'continueErrorOutput' }),
			items,
		);
		const sent = kona.emulator.requests.map((request) => request.headers['x-km-correlation-id']);
		expect(sent).toHaveLength(3);
		expect(success.map((item) => [item.pairedItem, item.json.amount])).toEqual([
			[{ item: 0 }, 1],
			[{ item: 2 }, 3],
		]);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		expect(errors[0].json).toEqual({
			error: {
				message: 'No answer from Konaplate within 1 s',
				correlationId: sent[1],
				description: `${ADVICE.transfer} (item 1, correlation id ${sent[1]})`,
				itemIndex: 1,
			},
		});
	});

	it('without Continue On Fail, a timeout on item 1 stops the run, names item 0 as done, and never sends item 2', async () => {
		let call = 0;
		kona.emulator.script = () =>
			++call === 2 ? slow({ delayMs: 2000, status: 200, body: '{}' }) : undefined;
		const items = [1, 2, 3].map((amount) => ({ ...VALID_ITEM.transfer, amount }));
		const { error } = await kona.output(workflow('transfer', { timeoutMs: 1000 }), items);
		const sent = kona.emulator.requests.map((request) => request.headers['x-km-correlation-id']);
		expect(sent).toHaveLength(2);
		expect(error?.message).toBe('No answer from Konaplate within 1 s');
		expect(error?.description).toBe(
			`${ADVICE.transfer} (item 1, correlation id ${sent[1]}) Already completed in this run before it stopped: item 0 (${sent[0]}). Do not run those again.`,
		);
	});

	it.each([
		['0', 0],
		['-1', -1],
		['999', 999],
		['a fraction', 1000.5],
		['a text', 'abc'],
		['NaN', '={{ 0/0 }}'],
		['beyond what a timer can hold', 1e10],
	])('a Timeout of %s is refused before sending, naming the option', async (_label, timeout) => {
		const wf = withNode(WORKFLOWS.transfer, {
			parameters: { options: { timeout } as INodeParameters },
		});
		const { error } = await kona.output(wf, [VALID_ITEM.transfer]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(
			/^Timeout \(Ms\) \(timeout\) must be a whole number of milliseconds from 1000 to 2147483647/,
		);
		expect(kona.emulator.requests).toHaveLength(0);
	});
});
