import { createPrivateKey, generateKeyPairSync } from 'node:crypto';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { emulatorKeyFile as keyFile, encryptionCredentialFields } from '../emulator/keys';
import type { WorkflowFile } from '../scripts/engine/engine';
import {
	CRASH_WORDS,
	DISPLAY_NAMES,
	hostileItem,
	hostileSlots,
	printSummary,
	readHostileSlots,
	VALID_ITEM,
	VALID_READ_ITEM,
} from './helpers/hostile';
import type { Operation, ReadOperation, ReadSlot, Slot } from './helpers/hostile';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { EMULATOR_CREDENTIAL } from '../emulator/data';
import { CREDENTIAL_TYPE } from '../nodes/Konaplate/wire/credentials';

const kona = useKonaplate();

/** Every parameter straight from `$json`, without the fixture's `?? false` for the boolean. */
const WORKFLOW: Record<Operation, WorkflowFile> = {
	transfer: withNode(WORKFLOWS.transfer, {
		parameters: { transferEntireBalance: '={{ $json.transferEntireBalance }}' },
	}),
	delete: WORKFLOWS.delete,
};
const continueOnFail = (workflow: WorkflowFile) =>
	withNode(workflow, { onError: 'continueRegularOutput' });

const tally = { tried: 0, refused: 0, crashes: 0, requests: 0 };

/** What a refusal of `parameter` for item `itemIndex` must look like in a Continue On Fail error item. */
function checkRefusalItem(
	item: INodeExecutionData,
	itemIndex: number,
	parameter: string,
): string | undefined {
	const { message: error, ...details } = (item.json.error ?? {}) as IDataObject;
	if (Object.keys(item.json).join() !== 'error')
		return `item ${itemIndex} has keys other than error: ${Object.keys(item.json).join()}`;
	const prefix = `${DISPLAY_NAMES[parameter]} (${parameter}) of item ${itemIndex} `;
	if (typeof error !== 'string')
		return `item ${itemIndex} is not an error item: ${JSON.stringify(item.json).slice(0, 200)}`;
	if (CRASH_WORDS.test(error)) return `item ${itemIndex} crashed: ${error}`;
	if (!error.startsWith(prefix))
		return `item ${itemIndex}: "${error.slice(0, 200)}" does not start with "${prefix}"`;
	if (error.length > 400) return `item ${itemIndex}: a ${error.length}-character message`;
	const expected = { description: 'Nothing was sent to Konaplate for this item.', itemIndex };
	if (JSON.stringify(details) !== JSON.stringify(expected))
		return `item ${itemIndex}: details ${JSON.stringify(details)}`;
	if (JSON.stringify(item.pairedItem) !== JSON.stringify({ item: itemIndex }))
		return `item ${itemIndex}: pairedItem ${JSON.stringify(item.pairedItem)}`;
	return undefined;
}

/** One problem per hostile value of a slot (undefined: refused as it should be), from a Continue On Fail run. */
function refusalProblems(
	slot: { parameter: string; values: Array<{ label: string }> },
	success: INodeExecutionData[],
): Array<string | undefined> {
	return slot.values.map(({ label }, itemIndex) => {
		const item = success[itemIndex];
		const problem =
			item === undefined
				? `item ${itemIndex} missing`
				: checkRefusalItem(item, itemIndex, slot.parameter);
		return problem === undefined ? undefined : `${label}: ${problem}`;
	});
}

/** Adds a run's items to the summary; a run that stopped although Continue On Fail was on counts as a crash too. */
function count(problems: Array<string | undefined>, requests: number, runStopped = false): void {
	tally.tried += problems.length;
	tally.refused += problems.filter((problem) => problem === undefined).length;
	tally.crashes +=
		problems.filter((problem) => problem !== undefined && CRASH_WORDS.test(problem)).length +
		(runStopped ? 1 : 0);
	tally.requests += requests;
}

afterAll(() => {
	printSummary(
		`hostile inputs: ${tally.tried} tried, ${tally.refused} refused before sending, ${tally.crashes} crashes, ${tally.requests} requests sent`,
	);
});

describe('hostile parameter values, generated, every one refused before anything is sent', () => {
	const slots = hostileSlots();

	it('generates at least 200 values across every parameter of both operations', () => {
		const total = slots.reduce((sum, slot) => sum + slot.values.length, 0);
		expect(total).toBeGreaterThanOrEqual(200);
		expect(slots.map((slot) => `${slot.operation}.${slot.parameter}`)).toEqual([
			'delete.userId',
			'transfer.userId',
			'transfer.fromCardNo',
			'transfer.toCardNo',
			'transfer.amount',
			'transfer.transferEntireBalance',
		]);
	});

	it.each(slots.map((slot): [string, Slot] => [`${slot.operation} ${slot.parameter}`, slot]))(
		'%s: with Continue On Fail, each hostile item becomes its own refusal naming the parameter and the item',
		async (_name, slot) => {
			const items = slot.values.map(({ value }) =>
				hostileItem(slot.operation, slot.parameter, value),
			);
			const run = await kona.output(continueOnFail(WORKFLOW[slot.operation]), items);
			const problems = refusalProblems(slot, run.success);
			count(problems, kona.emulator.requests.length, run.error !== undefined);
			expect(run.error).toBeUndefined();
			expect(problems.filter((problem) => problem !== undefined)).toEqual([]);
			expect(run.success).toHaveLength(slot.values.length);
			expect(kona.emulator.requests).toHaveLength(0);
		},
	);

	// Without Continue On Fail the node stops at the first bad item; valid items around it are not sent either.
	const stops = slots.flatMap((slot) =>
		[0, Math.floor(slot.values.length / 2), slot.values.length - 1].map(
			(at): [string, Slot, number] => [
				`${slot.operation} ${slot.parameter} = ${slot.values[at].label}`,
				slot,
				at,
			],
		),
	);
	it.each(stops)(
		'%s, as item 2 of 4 without Continue On Fail: the run stops with a NodeOperationError, nothing sent',
		async (_name, slot, at) => {
			const { value } = slot.values[at];
			const valid = VALID_ITEM[slot.operation];
			const items = [valid, valid, hostileItem(slot.operation, slot.parameter, value), valid];
			const { error, success } = await kona.output(WORKFLOW[slot.operation], items);
			const problem =
				error?.name === 'NodeOperationError' &&
				error.message.startsWith(`${slot.displayName} (${slot.parameter}) of item 2 `)
					? undefined
					: `${error?.name}: ${error?.message}`;
			count([problem], kona.emulator.requests.length);
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toMatch(
				new RegExp(
					`^${slot.displayName.replace(/[()]/g, '\\$&')} \\(${slot.parameter}\\) of item 2 `,
				),
			);
			expect(error?.message).not.toMatch(CRASH_WORDS);
			expect(error?.description).toBe('Nothing was sent to Konaplate for this item.');
			expect((error?.context as IDataObject | undefined)?.itemIndex).toBe(2);
			expect(success).toHaveLength(0);
			expect(kona.emulator.requests).toHaveLength(0);
		},
	);
});

describe('hostile parameter values for the reads, every one refused before anything is sent', () => {
	const READ_WORKFLOW: Record<ReadOperation, WorkflowFile> = {
		cardGetMany: WORKFLOWS.cardGetMany,
		cardGet: WORKFLOWS.cardGet,
		bankAccountGet: WORKFLOWS.bankAccountGet,
	};
	const slots = readHostileSlots();

	it.each(slots.map((slot): [string, ReadSlot] => [`${slot.operation} ${slot.parameter}`, slot]))(
		'%s: with Continue On Fail, each hostile item becomes its own refusal; without, the run stops at item 2 of 4',
		async (_name, slot) => {
			const item = (value: unknown): IDataObject =>
				({ ...VALID_READ_ITEM[slot.operation], [slot.parameter]: value }) as IDataObject;
			const run = await kona.output(
				continueOnFail(READ_WORKFLOW[slot.operation]),
				slot.values.map(({ value }) => item(value)),
			);
			const problems = refusalProblems(slot, run.success);
			count(problems, kona.emulator.requests.length, run.error !== undefined);
			expect(run.error).toBeUndefined();
			expect(problems.filter((problem) => problem !== undefined)).toEqual([]);
			expect(kona.emulator.requests).toHaveLength(0);

			const valid = VALID_READ_ITEM[slot.operation];
			const stopped = await kona.output(READ_WORKFLOW[slot.operation], [
				valid,
				valid,
				item(slot.values[0].value),
				valid,
			]);
			expect(stopped.error?.name).toBe('NodeOperationError');
			expect(
				stopped.error?.message.startsWith(`${slot.displayName} (${slot.parameter}) of item 2 `),
			).toBe(true);
			expect(stopped.success).toHaveLength(0);
			expect(kona.emulator.requests).toHaveLength(0);
		},
	);
});

describe('hostile values written into the parameters themselves (expressions and literals)', () => {
	// Each replaces one parameter of the transfer (or the delete's userId) for every item.
	const CASES: Array<[string, Operation, string, unknown]> = [
		['an object expression', 'transfer', 'userId', '={{ { id: 50000104652 } }}'],
		['a list expression', 'transfer', 'userId', '={{ [50000104652] }}'],
		['the whole item', 'transfer', 'userId', '={{ $json }}'],
		['null from an expression', 'transfer', 'userId', '={{ null }}'],
		['undefined from an expression', 'delete', 'userId', '={{ undefined }}'],
		['0/0', 'delete', 'userId', '={{ 0/0 }}'],
		['a 30-digit text', 'delete', 'userId', '={{ "5".repeat(30) }}'],
		['a date', 'delete', 'userId', '={{ new Date(0) }}'],
		['a literal fraction', 'delete', 'userId', 12.5],
		['1/0', 'transfer', 'amount', '={{ 1/0 }}'],
		['a list of amounts', 'transfer', 'amount', '={{ [100, 200] }}'],
		['an amount object', 'transfer', 'amount', '={{ { won: 100 } }}'],
		['a literal text amount', 'transfer', 'amount', 'abc'],
		['a literal 0 amount', 'transfer', 'amount', 0],
		['an expression 0 amount', 'transfer', 'amount', '={{ 100 - 100 }}'],
		['a card as a list', 'transfer', 'fromCardNo', '={{ $json.fromCardNo.split("") }}'],
		['a card with a suffix', 'transfer', 'fromCardNo', '={{ $json.fromCardNo + "0" }}'],
		['a card number read as a number', 'transfer', 'toCardNo', '={{ Number($json.toCardNo) }}'],
		['a literal "yes"', 'transfer', 'transferEntireBalance', 'yes'],
		['an expression 1', 'transfer', 'transferEntireBalance', '={{ 1 }}'],
		['a text "true" from an expression', 'transfer', 'transferEntireBalance', '={{ "true" }}'],
	];

	it.each(CASES)(
		'%s for %s %s: refused for each of 3 items, nothing sent',
		async (_label, operation, parameter, value) => {
			const workflow = continueOnFail(
				withNode(WORKFLOW[operation], { parameters: { [parameter]: value } as INodeParameters }),
			);
			const run = await kona.output(workflow, [
				VALID_ITEM[operation],
				VALID_ITEM[operation],
				VALID_ITEM[operation],
			]);
			const problems = [0, 1, 2].map((itemIndex) => {
				const item = run.success[itemIndex];
				return item === undefined
					? `item ${itemIndex} missing`
					: checkRefusalItem(item, itemIndex, parameter);
			});
			count(problems, kona.emulator.requests.length, run.error !== undefined);
			expect(run.error).toBeUndefined();
			expect(problems).toEqual([undefined, undefined, undefined]);
			expect(kona.emulator.requests).toHaveLength(0);
		},
	);
});

describe('malformed credentials: a clear message naming the field, nothing sent, in the node and in the credential test', () => {
	const ENCRYPTION = encryptionCredentialFields();
	const clientKey = createPrivateKey(keyFile('client.key.pem'));
	const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
		type: 'pkcs8',
		format: 'pem',
	}) as string;
	const smallRsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
		type: 'pkcs8',
		format: 'pem',
	}) as string;
	const withPassphrase = clientKey.export({
		type: 'pkcs8',
		format: 'pem',
		cipher: 'aes-256-cbc',
		passphrase: 'secret',
	}) as string;
	const pemLines = keyFile('client.key.pem').trim().split('\n');

	const valid = EMULATOR_CREDENTIAL;
	const CASES: Array<[string, IDataObject, RegExp]> = [
		['an empty ASP ID', { aspId: '' }, /^ASP ID is empty/],
		['an ASP ID of blanks', { aspId: '   ' }, /^ASP ID contains a space or line break/],
		[
			'an ASP ID one short',
			{ aspId: valid.aspId.slice(1) },
			/^ASP ID has 14 characters; Konaplate issues it with exactly 15/,
		],
		['an ASP ID one long', { aspId: `${valid.aspId}0` }, /^ASP ID has 16 characters/],
		[
			'an ASP ID with a trailing newline',
			{ aspId: `${valid.aspId}\n` },
			/^ASP ID contains a space or line break/,
		],
		[
			'an ASP ID with a leading tab',
			{ aspId: `\t${valid.aspId}` },
			/^ASP ID contains a space or line break/,
		],
		[
			'an ASP ID with CRLF inside',
			{ aspId: `${valid.aspId.slice(0, 7)}\r\n${valid.aspId.slice(9)}` },
			/^ASP ID contains a space or line break/,
		],
		[
			'an ASP ID with a zero-width space',
			{ aspId: `${valid.aspId.slice(1)}\u200b` },
			/^ASP ID contains a character that is not a printable ASCII/,
		],
		[
			'an ASP ID in full-width digits',
			{ aspId: '９００００００００００００01' },
			/^ASP ID contains a character that is not a printable ASCII/,
		],
		[
			'an ASP ID with a control character',
			{ aspId: `${valid.aspId.slice(0, 13)}\u0001${valid.aspId.slice(14)}` },
			/^ASP ID contains a character that is not a printable ASCII/,
		],
		['an empty Access Key', { accessKey: '' }, /^Access Key is empty/],
		[
			'an Access Key one short',
			{ accessKey: valid.accessKey.slice(1) },
			/^Access Key has 39 characters; Konaplate issues it with exactly 40/,
		],
		[
			'an Access Key one long',
			{ accessKey: `${valid.accessKey}1` },
			/^Access Key has 41 characters/,
		],
		[
			'an Access Key with a space inside',
			{ accessKey: valid.accessKey.replace('-', ' ') },
			/^Access Key contains a space or line break/,
		],
		[
			'an Access Key pasted with a newline',
			{ accessKey: `${valid.accessKey}\n` },
			/^Access Key contains a space or line break/,
		],
		[
			'an Access Key with a non-breaking space',
			{ accessKey: `${valid.accessKey.slice(1)}\u00a0` },
			/^Access Key contains a space or line break/,
		],
		[
			'an Access Key with an accented letter',
			{ accessKey: `É${valid.accessKey.slice(1)}` },
			/^Access Key contains a character that is not a printable ASCII/,
		],
		['an empty Secret Key', { secretKey: '' }, /^Secret Key is empty/],
		[
			'a Secret Key with a trailing space',
			{ secretKey: `${valid.secretKey} ` },
			/^Secret Key contains a space or line break/,
		],
		[
			'a Secret Key split over two lines',
			{ secretKey: `${valid.secretKey.slice(0, 10)}\n${valid.secretKey.slice(10)}` },
			/^Secret Key contains a space or line break/,
		],
		[
			'a Secret Key with a BOM',
			{ secretKey: `\ufeff${valid.secretKey}` },
			/^Secret Key contains a space or line break/,
		],
		[
			'a Secret Key with a zero-width joiner',
			{ secretKey: `${valid.secretKey}\u200d` },
			/^Secret Key contains a character that is not a printable ASCII/,
		],
		['an unknown Time Zone', { timeZone: 'PST' }, /^Time Zone must be KST or UTC/],
		['a Base URL that is not a URL', { baseUrl: 'not a url' }, /^Base URL is not a URL/],
		['an empty Base URL', { baseUrl: '' }, /^Base URL is not a URL/],
		[
			'an ftp Base URL',
			{ baseUrl: 'ftp://127.0.0.1/open-api' },
			/^Base URL must start with https:\/\//,
		],
		[
			'a Crypto Key ID one short',
			{ ...ENCRYPTION, cryptoKeyId: ENCRYPTION.cryptoKeyId.slice(1) },
			/^Crypto Key ID has 31 characters; Konaplate issues it with exactly 32/,
		],
		[
			'a Crypto Key ID with a space',
			{ ...ENCRYPTION, cryptoKeyId: `${ENCRYPTION.cryptoKeyId.slice(1)} ` },
			/^Crypto Key ID contains a space or line break/,
		],
		[
			'an empty Server Public Key',
			{ ...ENCRYPTION, serverPublicKey: '' },
			/^Server Public Key is empty/,
		],
		[
			'a Server Public Key that is not PEM',
			{ ...ENCRYPTION, serverPublicKey: 'not a key' },
			/^Server Public Key is not a PEM public key or certificate/,
		],
		[
			'a private key as the Server Public Key',
			{ ...ENCRYPTION, serverPublicKey: keyFile('client.key.pem') },
			/^Server Public Key is a private key, not a public key/,
		],
		[
			'a Server Public Key cut off',
			{ ...ENCRYPTION, serverPublicKey: keyFile('server.cert.pem').slice(0, 200) },
			/^Server Public Key is cut off/,
		],
		[
			'a Client Private Key that is a public key',
			{ ...ENCRYPTION, clientPrivateKey: keyFile('client.pub.pem') },
			/^Client Private Key is a public key, not a private key/,
		],
		[
			'a Client Private Key cut off',
			{ ...ENCRYPTION, clientPrivateKey: pemLines.slice(0, 5).join('\n') },
			/^Client Private Key is cut off/,
		],
		[
			'a Client Private Key missing lines',
			{
				...ENCRYPTION,
				clientPrivateKey: [...pemLines.slice(0, 3), ...pemLines.slice(6)].join('\n'),
			},
			/^Client Private Key could not be read: the PRIVATE KEY block is damaged/,
		],
		[
			'a Client Private Key with junk in its body',
			{
				...ENCRYPTION,
				clientPrivateKey: [pemLines[0], '!!!not base64!!!', pemLines[pemLines.length - 1]].join(
					'\n',
				),
			},
			/^Client Private Key could not be read/,
		],
		[
			'an EC Client Private Key',
			{ ...ENCRYPTION, clientPrivateKey: ecKey },
			/^Client Private Key is an EC key; Konaplate uses RSA keys/,
		],
		[
			'a 1024-bit Client Private Key',
			{ ...ENCRYPTION, clientPrivateKey: smallRsa },
			/^Client Private Key is a 1024-bit RSA key/,
		],
		[
			'a Client Private Key with a passphrase',
			{ ...ENCRYPTION, clientPrivateKey: withPassphrase },
			/^Client Private Key is protected by a passphrase/,
		],
	];

	it.each(CASES)('%s', async (_label, change, reason) => {
		const { error, success } = await kona.output(WORKFLOWS.transfer, [VALID_ITEM.transfer], change);
		const test = await kona.engine.testCredential(CREDENTIAL_TYPE, kona.credential(change));
		const refused =
			error?.name === 'NodeOperationError' &&
			reason.test(error.message.replace(/^Konaplate credential: /, ''));
		count(
			[refused ? undefined : `${error?.name}: ${error?.message}`],
			kona.emulator.requests.length,
		);
		expect(success).toHaveLength(0);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message.startsWith('Konaplate credential: ')).toBe(true);
		expect(error?.message.replace(/^Konaplate credential: /, '')).toMatch(reason);
		expect(error?.description).toBe('Fix the Konaplate API credential; nothing was sent.');
		expect(test.status).toBe('Error');
		expect(test.message).toMatch(reason);
		expect(test.message).not.toMatch(CRASH_WORDS);
		expect(kona.emulator.requests).toHaveLength(0);
	});
});
