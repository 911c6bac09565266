import { createHash } from 'node:crypto';

import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeParameters,
	INodeProperties,
} from 'n8n-workflow';

import { openLedgerStore } from '../nodes/Konaplate/ledger/open';
import { NOTHING_LEARNT } from '../nodes/Konaplate/ledger/seam';
import type { Attempt } from '../nodes/Konaplate/ledger/seam';
import type { Session } from '../nodes/Konaplate/transport/session';
import { refusalError } from '../nodes/Konaplate/errors';
import {
	claimValues,
	fieldValue,
	ledgerValue,
	markerValue,
	parseReference,
	readClaim,
	readStates,
	referenceKey,
	sha256Hex,
} from '../nodes/Konaplate/wire/ledger';
import { formatWon, parseLimit } from '../nodes/Konaplate/wire/money';
import { useProcessedDataStore } from '../scripts/engine/dedup-store';
import { KONAPLATE_NODE_TYPE } from '../scripts/engine/engine';
import type { WorkflowFile } from '../scripts/engine/engine';
import { loadedProperties, useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';

import { MAIN_TO_SECOND } from '../emulator/data';

const kona = useKonaplate();
beforeAll(async () => {
	(await useProcessedDataStore()).clear();
});

const item = (fields: IDataObject = {}): IDataObject => ({
	...MAIN_TO_SECOND,
	amount: 100,
	...fields,
});

function limited(options: IDataObject, change: Partial<INode> = {}): WorkflowFile {
	return withNode(WORKFLOWS.transfer, {
		...change,
		parameters: { reference: '={{ $json.reference ?? "" }}', options: options as INodeParameters },
	});
}

const ATTEMPT: Attempt = {
	at: 0,
	inFlightUntil: 0,
	day: '1970-01-01',
	workflowId: 'w',
	executionId: 'e',
	nodeName: 'Konaplate',
};
describe('spending limits and Require Reference, checked before anything is sent', () => {
	it('an item above Max Amount per Transfer stops the run: the item, the amount and the limit named; nothing sent', async () => {
		const { error } = await kona.output(limited({ maxAmountPerTransfer: 5000 }), [
			item({ amount: 5000 }),
			item({ amount: 5001 }),
		]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(
			'Item 1 was not sent: it asks for 5,001 KRW, above Options > Max Amount per Transfer of 5,000 KRW.',
		);
		expect(error?.description).toContain('Nothing was sent for this item.');
		expect(error?.context).toMatchObject({ refusal: 'LIMIT_AMOUNT_PER_TRANSFER', itemIndex: 1 });
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('with the error output, the item above the limit goes to the error branch with its code; the others are sent', async () => {
		const { success, errors } = await kona.output(
			limited({ maxAmountPerTransfer: 5000 }, { onError: 'continueErrorOutput' }),
			[item({ amount: 9000, reference: 'big' }), item({ amount: 10 })],
		);
		expect(success.map((out) => out.json.amount)).toEqual([10]);
		expect(errors[0].json).toMatchObject({
			error: {
				message:
					'Item 0 (Reference "big") was not sent: it asks for 9,000 KRW, above Options > Max Amount per Transfer of 5,000 KRW.',
				code: 'LIMIT_AMOUNT_PER_TRANSFER',
				reference: 'big',
				outcome: 'refused',
				itemIndex: 0,
			},
		});
		expect(kona.emulator.accepted('/api/v1/transfer/balance')).toHaveLength(1);
	});

	it.each([
		['Max Amount per Transfer', { maxAmountPerTransfer: 1_000_000 }],
		['Max Total per Run', { maxTotalPerRun: 1_000_000 }],
	])(
		'Transfer Entire Balance is refused while %s is set, saying how to transfer a known amount',
		async (limit, options) => {
			const { error } = await kona.output(limited(options), [
				item({ transferEntireBalance: true }),
			]);
			expect(error?.message).toBe(
				`Item 0 was not sent: Transfer Entire Balance is refused while Options > ${limit} is set, because the amount it moves is unknown until it has moved.`,
			);
			expect(error?.description).toContain('turn off Transfer Entire Balance and set Amount (KRW)');
			expect(kona.emulator.requests).toHaveLength(0);
		},
	);

	it('amounts adding up to more than Max Total per Run refuse the whole run', async () => {
		const items = [item({ amount: 400 }), item({ amount: 400 }), item({ amount: 201 })];
		const { error } = await kona.output(limited({ maxTotalPerRun: 1000 }), items);
		expect(error?.message).toBe(
			'The run was not sent: its 3 transfers ask for 1,001 KRW in total, above Options > Max Total per Run of 1,000 KRW.',
		);
		expect(error?.context).toMatchObject({ refusal: 'LIMIT_TOTAL_PER_RUN' });
		expect(kona.emulator.requests).toHaveLength(0);
		const atTheLimit = await kona.output(limited({ maxTotalPerRun: 1000 }), items.slice(0, 2));
		expect(atTheLimit.error).toBeUndefined();
	});

	it('with the error output, a run over Max Total per Run sends nothing: every item is on the error branch', async () => {
		const { success, errors } = await kona.output(
			limited({ maxTotalPerRun: 100 }, { onError: 'continueErrorOutput' }),
			[item({ amount: 60 }), item({ amount: 60 })],
		);
		expect(success).toHaveLength(0);
		expect(errors.map((out) => (out.json.error as IDataObject).code)).toEqual([
			'LIMIT_TOTAL_PER_RUN',
			'LIMIT_TOTAL_PER_RUN',
		]);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('Require Reference refuses an item without one before anything is sent', async () => {
		const { error } = await kona.output(limited({ requireReference: true }), [
			item({ reference: 'ok-1' }),
			item({ reference: '  ' }),
		]);
		expect(error?.message).toBe(
			'Item 1 was not sent: it has no Reference, and Options > Require Reference is on.',
		);
		expect(error?.context).toMatchObject({ refusal: 'REFERENCE_REQUIRED' });
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it.each([
		['an object', { id: 1 }, 'must be a text'],
		['a list', ['p-1'], 'must be a text'],
		['a fraction', 1.5, 'must be a text'],
		['201 characters', 'x'.repeat(201), 'has 201 characters; at most 200 are allowed'],
	])(
		'a Reference that is %s is refused before sending, naming the parameter and the item',
		async (_label, reference, reason) => {
			const { error } = await kona.output(limited({}), [
				item({ reference: 'fine' }),
				item({ reference }),
			]);
			expect(error?.message).toContain(`Reference (reference) of item 1 ${reason}`);
			expect(kona.emulator.requests).toHaveLength(0);
		},
	);

	it.each([
		[0, 'must be a whole number of won of at least 1'],
		[1.5, 'must be a whole number of won of at least 1'],
		['abc', 'must be a whole number of won of at least 1'],
	])('a limit of %p is refused before sending, naming the option', async (value, reason) => {
		const { error } = await kona.output(limited({ maxAmountPerTransfer: value }), [item()]);
		expect(error?.message).toContain(
			`Max Amount per Transfer (KRW) (maxAmountPerTransfer) ${reason}`,
		);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('the options are offered for Card > Transfer Balance only, with the public names', () => {
		const properties = loadedProperties(kona.engine);
		// One Options collection per group of operations; these three are in the Transfer Balance one only
		const collections = properties.filter((property) => property.name === 'options');
		const holding = (name: string) =>
			collections.filter((collection) =>
				(collection.options as INodeProperties[]).some((option) => option.name === name),
			);
		for (const name of ['maxAmountPerTransfer', 'maxTotalPerRun', 'requireReference']) {
			expect(holding(name).map((collection) => collection.displayOptions)).toEqual([
				{ show: { resource: ['card'], operation: ['transferBalance'] } },
			]);
		}
		const [transferOptions] = holding('requireReference');
		expect(
			(transferOptions.options as INodeProperties[]).find(
				(option) => option.name === 'requireReference',
			)?.default,
		).toBe(false);
		const reference = properties.find((property) => property.name === 'reference');
		expect(reference).toMatchObject({ displayName: 'Reference', type: 'string', default: '' });
	});
});

describe('as an AI agent tool, a refusal reads as one plain sentence with what to do', () => {
	it('the advice joins the message for the …Tool variant of the node only', () => {
		const node = (type: string) => ({
			id: '1',
			name: 'Konaplate',
			type,
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: {},
		});
		const refusal = {
			code: 'LIMIT_AMOUNT_PER_TRANSFER',
			itemIndex: 0,
			person: {
				message: 'Item 0 was not sent: it asks for 9,000 KRW, above the limit.',
				description: 'Nothing was sent for this item.',
			},
		} as const;
		expect(refusalError(node(`${KONAPLATE_NODE_TYPE}Tool`), refusal).message).toBe(
			'Item 0 was not sent: it asks for 9,000 KRW, above the limit. Nothing was sent for this item.',
		);
		expect(refusalError(node(KONAPLATE_NODE_TYPE), refusal).message).toBe(
			'Item 0 was not sent: it asks for 9,000 KRW, above the limit.',
		);
	});
});

describe('an n8n without the deduplication helpers', () => {
	it('refuses a run with references before anything is sent (LEDGER_UNAVAILABLE), rather than send it unprotected', async () => {
		// The part of n8n's execute context the ledger reads, from an n8n whose helpers lack the store.
		const node = {
			id: '1',
			name: 'Konaplate',
			type: KONAPLATE_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters: {},
		};
		const ctx = {
			helpers: {},
			getNode: () => node,
			getWorkflow: () => ({ id: 'w', active: false }),
		} as unknown as IExecuteFunctions;
		const session = {
			credential: { baseUrl: 'https://a.example', aspId: 'ASP000000000001', timeZone: 'KST' },
			clock: { now: () => new Date(0) },
		} as unknown as Session;
		const claim = async () =>
			await openLedgerStore(ctx, session, { what: 'A run of transfers with a Reference' }).claim(
				[],
				ATTEMPT,
				NOTHING_LEARNT,
			);
		await expect(claim()).rejects.toMatchObject({
			message:
				'The transfer ledger is not available (this n8n gives nodes no deduplication store), so no transfer with a Reference was sent.',
			context: { refusal: 'LEDGER_UNAVAILABLE' },
		});
	});
});

describe('the ledger values (pure)', () => {
	it('a reference key is a sha256 of the base URL (without trailing slash), the ASP ID and the reference', () => {
		expect(
			referenceKey({ baseUrl: 'https://a.example/open-api/', aspId: 'ASP000000000001' }, 'p-1'),
		).toBe(
			referenceKey({ baseUrl: 'https://a.example/open-api', aspId: 'ASP000000000001' }, 'p-1'),
		);
		expect(referenceKey({ baseUrl: 'https://a.example', aspId: 'ASP000000000001' }, 'p-1')).toBe(
			'aab915252af347c6f6268f0ed3f48d3636fee690b41752bbe8c7e137c0c7967c',
		);
		expect(referenceKey({ baseUrl: 'https://a.example', aspId: 'ASP000000000001' }, 'p-1')).toMatch(
			/^[0-9a-f]{64}$/,
		);
		expect(
			referenceKey({ baseUrl: 'https://a.example', aspId: 'ASP000000000002' }, 'p-1'),
		).not.toBe(referenceKey({ baseUrl: 'https://a.example', aspId: 'ASP000000000001' }, 'p-1'));
		expect(ledgerValue('claim', 'k')).toBe('konaplate:v1:claim:k');
	});

	it('a field value keeps its digest (entries recorded before stay readable), with either sha256 of Node', () => {
		const key = 'aab915252af347c6f6268f0ed3f48d3636fee690b41752bbe8c7e137c0c7967c';
		expect(fieldValue(key, 'amount', '100')).toBe(
			`konaplate:v1:amount:${key}:14f1eddf7b3a92059a3639422ba8d4607e40fb70721329b396760e1402ad848d`,
		);
		for (const text of [
			'',
			'p-1',
			'["https://a.example","ASP1","결제-7 ＡＢ"]',
			'x'.repeat(10_000),
		])
			expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
	});

	it('states from what the store had already recorded, and the look-ups to remove', () => {
		const claims = new Set(['d', 'u'].map((key) => ledgerValue('claim', key)));
		const done = new Set([ledgerValue('done', 'd')]);
		expect(readStates(['n', 'd', 'u'], claims, done)).toEqual({
			states: ['free', 'transferred', 'claimed'],
			toRemove: [ledgerValue('done', 'u')],
		});
	});

	it('a claim with fields: marker first, the claim last; what its answer says of a reference', () => {
		const fields = { member: 'm', fromCard: 'a', toCard: 'b', amount: '100' };
		const values = claimValues('k', fields);
		expect(values).toHaveLength(6);
		expect([values[0], values[5]]).toEqual([markerValue('k'), ledgerValue('claim', 'k')]);
		expect(values.join(' ')).not.toMatch(/:(m|a|b|100)(:|$| )/);
		const other = claimValues('k', { ...fields, toCard: 'c', amount: '7' });
		expect(readClaim('k', fields, new Set())).toEqual({ earlier: false, differs: [], lookups: [] });
		expect(readClaim('k', fields, new Set(values))).toEqual({
			earlier: true,
			differs: [],
			lookups: [],
		});
		expect(readClaim('k', { ...fields, toCard: 'c', amount: '7' }, new Set(values))).toEqual({
			earlier: true,
			differs: ['toCard', 'amount'],
			lookups: [other[3], other[4]],
		});
		// An older version's entry: the marker and fields asked for were recorded only to look
		expect(readClaim('k', fields, new Set([ledgerValue('claim', 'k')]))).toEqual({
			earlier: true,
			differs: [],
			lookups: values.slice(0, 5),
		});
		// Resolved as not transferred (marker and fields, no claim): another transfer is a mismatch
		expect(readClaim('k', { ...fields, amount: '7' }, new Set(values.slice(0, 5)))).toEqual({
			earlier: false,
			differs: ['amount'],
			lookups: [other[4], ledgerValue('claim', 'k')],
		});
	});

	it('parses references and limits', () => {
		expect(parseReference(' p-1 ')).toEqual({ ok: true, value: 'p-1' });
		expect(parseReference(undefined)).toEqual({ ok: true, value: '' });
		expect(parseReference(571)).toEqual({ ok: true, value: '571' });
		expect(parseReference({}).ok).toBe(false);
		expect(parseReference('x'.repeat(201)).ok).toBe(false);
		expect(parseLimit(undefined)).toEqual({ ok: true, value: undefined });
		expect(parseLimit(5000)).toEqual({ ok: true, value: 5000 });
		expect(parseLimit(-1).ok).toBe(false);
		expect(formatWon(1234567)).toBe('1,234,567');
	});
});
