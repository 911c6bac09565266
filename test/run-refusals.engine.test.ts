import type { IDataObject } from 'n8n-workflow';

import { ledgerBaseUrl, normalReference, referenceKey } from '../nodes/Konaplate/wire/ledger';
import { parseLimit } from '../nodes/Konaplate/wire/money';
import { createHash } from 'node:crypto';
import type { WorkflowFile } from '../scripts/engine/engine';
import { useKonaplate } from './helpers/konaplate';
import { ledgerItem, ledgerWorkflow, useLedgerStore } from './helpers/ledger';

const TRANSFER = '/api/v1/transfer/balance';
const kona = useKonaplate();
const ledger = useLedgerStore();

const item = (fields: IDataObject = {}): IDataObject => ledgerItem('', fields);
const transfer = ledgerWorkflow;
const details = (json: IDataObject) => json.error as IDataObject;

describe('no refusal of the whole run on the success branch', () => {
	const REFUSALS: Array<
		[string, () => Promise<{ options?: IDataObject; workflow?: Partial<WorkflowFile> }>, string]
	> = [
		['an invalid limit', async () => ({ options: { maxAmountPerTransfer: '' } }), 'INVALID_OPTION'],
		[
			'a ledger that is not available',
			async () => ({ workflow: { id: '' } }),
			'LEDGER_UNAVAILABLE',
		],
	];
	describe.each(['continueErrorOutput', 'continueRegularOutput'] as const)(
		'On Error: %s',
		(onError) => {
			it.each(REFUSALS)(
				'%s: one error item per input item, with its code; nothing sent',
				async (_label, setup, code) => {
					const { options, workflow = {} } = await setup();
					const wf = { ...transfer({ onError, options }), ...workflow };
					const { success, errors, error } = await kona.output(wf, [
						item({ reference: 'a' }),
						item({ reference: 'b' }),
					]);
					expect(error).toBeUndefined();
					const failed = onError === 'continueErrorOutput' ? errors : success;
					if (onError === 'continueErrorOutput') expect(success).toHaveLength(0);
					expect(
						failed.map((out) => [out.pairedItem, Object.keys(out.json), details(out.json).code]),
					).toEqual([
						[{ item: 0 }, ['error'], code],
						[{ item: 1 }, ['error'], code],
					]);
					expect(kona.emulator.requests).toHaveLength(0);
				},
			);
		},
	);
});

describe('limits', () => {
	it.each([
		['empty', ''],
		['null', null],
		['an expression resolving to nothing', '={{ $json.nothing }}'],
	])(
		'a limit option present but %s refuses the run instead of meaning "no limit"',
		async (_label, value) => {
			const { error } = await kona.output(transfer({ options: { maxTotalPerRun: value } }), [
				item(),
			]);
			expect(error?.message).toMatch(/^Max Total per Run \(KRW\) \(maxTotalPerRun\) /);
			expect(error?.context).toMatchObject({ refusal: 'INVALID_OPTION' });
			expect(kona.emulator.requests).toHaveLength(0);
		},
	);

	it('a limit set by an expression is evaluated for every item', async () => {
		const { success, errors } = await kona.output(
			transfer({
				onError: 'continueErrorOutput',
				options: { maxAmountPerTransfer: '={{ $json.limit }}' },
			}),
			[item({ limit: 1000 }), item({ limit: 50 })],
		);
		expect(success).toHaveLength(1);
		expect(details(errors[0].json)).toMatchObject({
			code: 'LIMIT_AMOUNT_PER_TRANSFER',
			itemIndex: 1,
		});
		expect(kona.emulator.accepted(TRANSFER)).toHaveLength(1);
	});

	it('parseLimit: removed means no limit, present but empty is refused', () => {
		expect(parseLimit(undefined)).toEqual({ ok: true, value: undefined });
		expect(parseLimit('').ok).toBe(false);
		expect(parseLimit(null).ok).toBe(false);
	});
});

describe('answers and outcomes', () => {
	it('a confirmed amount other than the one asked: recorded as transferred, and the item fails naming both amounts', async () => {
		kona.emulator.script = () => ({
			status: 200,
			body: '{"response":{"code":"000_000"},"amount":90}',
		});
		const first = await kona.output(transfer({ onError: 'continueErrorOutput' }), [
			item({ reference: 'odd-1' }),
		]);
		expect(details(first.errors[0].json)).toMatchObject({
			code: 'TRANSFERRED_AMOUNT_DIFFERS',
			reference: 'odd-1',
			outcome: 'transferred',
			message: 'Item 0: Konaplate confirmed a transfer of 90 KRW where 100 KRW was asked.',
		});
		kona.emulator.reset();
		const again = await kona.output(transfer(), [item({ reference: 'odd-1' })]);
		expect(again.success[0].json.alreadyTransferred).toBe(true);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it.each([
		['a DNS failure', 'http://konaplate.invalid/open-api'],
		['a TLS handshake with a server that speaks no TLS', 'https://127.0.0.1:PORT/open-api'],
	])('%s is a definite refusal: the reference is free again', async (_label, baseUrl) => {
		const port = new URL(kona.emulator.baseUrl).port;
		const { error } = await kona.output(transfer(), [item({ reference: 'never-left' })], {
			baseUrl: baseUrl.replace('PORT', port),
		});
		expect(error?.message).toMatch(/^Could not connect to Konaplate/);
		expect(ledger.store.entries('test-workflow')).toEqual([]);
	});
});

describe('the ledger key (pure)', () => {
	const account = (baseUrl: string) => ({ baseUrl, aspId: 'ASP000000000001' });
	it("an already-normal Base URL gives today's key: sha256 of [base URL, ASP ID, reference]", () => {
		const url = 'http://127.0.0.1:8080/open-api';
		expect(referenceKey(account(url), 'p-1')).toBe(
			createHash('sha256')
				.update(JSON.stringify([url, 'ASP000000000001', 'p-1']))
				.digest('hex'),
		);
	});

	it('every spelling of one Base URL is one account', () => {
		const normal = 'https://api.example.com/open-api';
		for (const spelling of [
			'HTTPS://API.Example.COM/open-api',
			'https://api.example.com:443/open-api/',
			' https://api.example.com/open-api ',
			'https://api.example.com/x/../open-api',
		])
			expect(ledgerBaseUrl(spelling)).toBe(normal);
		expect(ledgerBaseUrl('http://0x7f.1:80/open-api')).toBe('http://127.0.0.1/open-api');
		expect(ledgerBaseUrl('http://[0:0:0:0:0:0:0:1]:8080/')).toBe('http://[::1]:8080');
		expect(ledgerBaseUrl('https://api.example.com/Open-API')).not.toBe(normal);
	});

	it('references: NFKC, no invisible characters, no surrounding white space; case kept', () => {
		expect(normalReference('\u202Apay\u00AD-1\u202C\u3000')).toBe('pay-1');
		expect(normalReference('한글'.normalize('NFD'))).toBe('한글');
		expect(normalReference('Pay-1')).not.toBe(normalReference('pay-1'));
	});
});
