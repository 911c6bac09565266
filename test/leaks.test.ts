// No key, key material, Tran-Token or full card number in anything the node, n8n or its logs show.
import { createPrivateKey } from 'node:crypto';

import { LoggerProxy } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { emulatorKeyFile as keyFile, encryptionCredentialFields } from '../emulator/keys';
import { probeNode, probeWorkflow } from './helpers/probe-node';
import { Engine } from '../scripts/engine/engine';
import type { EngineRun, WorkflowFile } from '../scripts/engine/engine';
import { printSummary } from './helpers/hostile';
import {
	cardSecrets,
	everything,
	findLeaks,
	pemSecrets,
	tranTokenSecrets,
} from './helpers/leak-scanner';
import type { Leak, Secret } from './helpers/leak-scanner';
import { LogCapture } from './helpers/log-capture';
import { slow, slowAnswersDone } from './helpers/slow-answers';
import {
	emulatorCredential,
	konaplateOutput,
	useEncryptedEmulator,
	useKonaplate,
	withNode,
	WORKFLOWS,
} from './helpers/konaplate';
import { CARDS, KonaplateEmulator } from '../emulator/server';
import type { RawReply } from '../emulator/server';
import {
	EMULATOR_CREDENTIAL,
	LONG_MEMBER,
	MEMBER,
	MERGE_DEBIT_ACCOUNT,
	MERGE_MEMBER,
	MERGE_MEMBER_ACCOUNT,
	MERGE_MEMBER_CASH_RECEIPT_ID,
	MERGE_MEMBER_NAME,
	NO_ACCOUNT_MEMBER,
	PHYSICAL_CARD_NO,
} from '../emulator/data';
import { CREDENTIAL_TYPE } from '../nodes/Konaplate/wire/credentials';

// n8n logs nothing under jest (jest.config.js sets silent). Here it logs everything, as JSON lines
// with their metadata, and the suite reads those lines. n8n's Logger is created when the engine
// first loads (in beforeAll), so setting these now is in time.
const previousLogEnv = { level: process.env.N8N_LOG_LEVEL, format: process.env.N8N_LOG_FORMAT };
process.env.N8N_LOG_LEVEL = 'debug';
process.env.N8N_LOG_FORMAT = 'json';
const logs = new LogCapture();
beforeAll(() => logs.start());

const kona = useKonaplate();
const encrypted = useEncryptedEmulator(kona);

const ENCRYPTION = encryptionCredentialFields();
const CLIENT_PRIVATE_KEY = ENCRYPTION.clientPrivateKey;
let probeEngine: Engine;

/** What n8n's HTTP layer threw at a node that called it, kept by the probe node below. */
const caughtByProbe: unknown[] = [];
const httpProbe = probeNode(
	'httpProbe',
	'Calls the credential and keeps what n8n throws',
	async function () {
		try {
			await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				{ method: 'POST', url: '/api/v1/bankaccounts/delete', body: `{"userId":${MEMBER}}` },
				{ preAuthenticationRetryStatusCode: [] },
			);
		} catch (error) {
			caughtByProbe.push(error);
		}
		return [[{ json: {}, pairedItem: { item: 0 } }]];
	},
);

beforeAll(async () => {
	probeEngine = await Engine.load(undefined, { 'test.httpProbe': httpProbe });
});

const tally = { scenarios: 0, texts: 0, logLines: 0, leaks: 0 };

afterAll(async () => {
	await slowAnswersDone();
	logs.stop();
	process.env.N8N_LOG_LEVEL = previousLogEnv.level;
	process.env.N8N_LOG_FORMAT = previousLogEnv.format;
	if (previousLogEnv.level === undefined) delete process.env.N8N_LOG_LEVEL;
	if (previousLogEnv.format === undefined) delete process.env.N8N_LOG_FORMAT;
	printSummary(
		`leaks: ${tally.scenarios} scenarios, ${tally.texts} outputs/errors/run data scanned, ${tally.logLines} n8n log lines scanned, ${tally.leaks} leaks`,
	);
});

/** What must never be shown: keys, key material, the raw signature of any request, full card numbers. */
function secrets(): Secret[] {
	const sent = [...kona.emulator.requests, ...encrypted.emulator.requests]
		.map((request) => request.headers['x-km-tran-token'])
		.filter((token): token is string => typeof token === 'string');
	return [
		{ label: 'access key', value: EMULATOR_CREDENTIAL.accessKey },
		{ label: 'secret key', value: EMULATOR_CREDENTIAL.secretKey },
		...pemSecrets('client private key', CLIENT_PRIVATE_KEY),
		...pemSecrets(
			'client private key (PKCS#1)',
			createPrivateKey(CLIENT_PRIVATE_KEY).export({ type: 'pkcs1', format: 'pem' }) as string,
		),
		...cardSecrets(CARDS.main),
		...cardSecrets(CARDS.second),
		...sent.flatMap(tranTokenSecrets),
		...READ_SECRETS,
	];
}

/**
 * What the reads' answers hold and no default output may show. (Member 50000104652's account,
 * 12345678901234, is left out: it is the head of the 19-digit member id, which reads output.)
 */
const READ_SECRETS: Secret[] = [
	...[
		CARDS.mergeMain,
		CARDS.mergeGift,
		CARDS.mergePlastic,
		CARDS.mergeDebit,
		CARDS.unmapped,
		CARDS.longMemberMain,
		CARDS.longMemberSecond,
		PHYSICAL_CARD_NO,
	].flatMap(cardSecrets),
	{ label: "a debit card's linked account", value: MERGE_DEBIT_ACCOUNT },
	{ label: 'a registered account', value: MERGE_MEMBER_ACCOUNT },
	{ label: 'a cash-receipt identifier', value: '01012345678' },
	{ label: "another member's cash-receipt identifier", value: MERGE_MEMBER_CASH_RECEIPT_ID },
	{ label: "an account holder's name", value: MERGE_MEMBER_NAME },
];

/** The card numbers reach the node only through an expression that joins two halves, so no input or parameter holds one whole. */
const TRANSFER = withNode(WORKFLOWS.transfer, {
	parameters: { fromCardNo: "={{ $json.from.join('') }}", toCardNo: "={{ $json.to.join('') }}" },
});
const split = (cardNo: string) => [cardNo.slice(0, 6), cardNo.slice(6, 12), cardNo.slice(12)];
const transferItem = (fields: IDataObject = {}): IDataObject => ({
	userId: MEMBER,
	from: split(CARDS.main),
	to: split(CARDS.second),
	amount: 100,
	...fields,
});

interface Scanned {
	leaks: Leak[];
	logLines: number;
}

/** Scans every place a secret could surface after one scenario, and the log lines written during it. */
function scan(label: string, artifacts: Record<string, unknown>, logMark: number): Scanned {
	const known = secrets();
	const leaks: Leak[] = [];
	for (const [where, value] of Object.entries(artifacts)) {
		const text = typeof value === 'string' ? value : everything(value);
		tally.texts++;
		leaks.push(...findLeaks(text, known, `${label}: ${where}`));
	}
	const lines = logs.since(logMark);
	lines.forEach((line, index) =>
		leaks.push(...findLeaks(line, known, `${label}: log line ${index + 1}`)),
	);
	tally.logLines += lines.length;
	tally.leaks += leaks.length;
	tally.scenarios++;
	return { leaks, logLines: lines.length };
}

function runArtifacts(run: EngineRun): Record<string, unknown> {
	const { success, errors, error } = konaplateOutput(run);
	return {
		'whole run data (JSON)': JSON.stringify(run.run),
		'whole run data (inspected)': run.run,
		'output items': success,
		'error output items': errors,
		'error message': error?.message ?? '',
		'error description': String(error?.description ?? ''),
		'error context': JSON.stringify(error?.context ?? {}),
		'error (JSON)': JSON.stringify(error ?? {}),
		'error (inspected, with hidden properties)': error,
	};
}

interface NodeScenario {
	label: string;
	workflow: WorkflowFile;
	items: IDataObject[];
	reply?: RawReply;
	credential?: IDataObject;
	encrypted?: boolean;
	/** Whether the run must end in an error (else in success items). */
	fails: boolean;
}

/** A signing header written with its value, as request options hold it (its bare name may appear in prose). */
const HEADER_WITH_VALUE = /["']?x-km-(access-key|tran-token)["']?\s*:/i;

const timeout = (workflow: WorkflowFile, ms: number) =>
	withNode(workflow, { parameters: { options: { timeout: ms } } });
const continueErrors = (workflow: WorkflowFile) =>
	withNode(workflow, { onError: 'continueErrorOutput' });
const SUCCESS = '{"response":{"code":"000_000","description":"Success."},"amount":100}';

const NODE_SCENARIOS: NodeScenario[] = [
	{ label: 'a transfer that succeeds', workflow: TRANSFER, items: [transferItem()], fails: false },
	{
		label: 'transfers with the error output: success, 005_018, a refused card, success',
		workflow: continueErrors(TRANSFER),
		items: [
			transferItem(),
			transferItem({ amount: 10_000_000 }),
			transferItem({ from: [...split(CARDS.main), 'x'] }),
			transferItem(),
		],
		fails: false,
	},
	{
		label: 'transfers with Continue On Fail (regular output)',
		workflow: withNode(TRANSFER, { onError: 'continueRegularOutput' }),
		items: [transferItem({ to: split(CARDS.main) }), transferItem({ amount: 0 })],
		fails: false,
	},
	{
		label: 'a refusal by code (005_018)',
		workflow: TRANSFER,
		items: [transferItem({ amount: 10_000_000 })],
		fails: true,
	},
	{
		label: 'a stop after one completed item',
		workflow: TRANSFER,
		items: [transferItem(), transferItem({ amount: 10_000_000 })],
		fails: true,
	},
	{
		label: 'refused keys (HTTP 401)',
		workflow: TRANSFER,
		items: [transferItem()],
		credential: { secretKey: 'a-different-secret-key' },
		fails: true,
	},
	{
		label: 'HTTP 403',
		workflow: TRANSFER,
		items: [transferItem()],
		reply: { status: 403, body: 'Forbidden' },
		fails: true,
	},
	{
		label: 'HTTP 429',
		workflow: TRANSFER,
		items: [transferItem()],
		reply: { status: 429, body: 'Too Many Requests' },
		fails: true,
	},
	{
		label: 'an HTML 500',
		workflow: TRANSFER,
		items: [transferItem()],
		reply: { status: 500, headers: { 'Content-Type': 'text/html' }, body: '<html>boom</html>' },
		fails: true,
	},
	{
		label: 'a timeout',
		workflow: timeout(TRANSFER, 1000),
		items: [transferItem()],
		reply: { delayMs: 1800, status: 200, body: SUCCESS },
		fails: true,
	},
	{
		label: 'a dropped connection',
		workflow: TRANSFER,
		items: [transferItem()],
		reply: { drop: true },
		fails: true,
	},
	{
		label: "a body n8n's HTTP layer cannot decompress",
		workflow: TRANSFER,
		items: [transferItem()],
		reply: { status: 200, headers: { 'Content-Encoding': 'gzip' }, body: SUCCESS },
		fails: true,
	},
	{
		label: 'an answer trickling past the timeout',
		workflow: timeout(TRANSFER, 1000),
		items: [transferItem()],
		reply: {
			status: 200,
			chunks: [1, 2, 3, 4].map(() => ({ data: ' ', delayMs: 350 })),
			body: SUCCESS,
		},
		fails: true,
	},
	{
		label: 'nothing listening',
		workflow: TRANSFER,
		items: [transferItem()],
		credential: { baseUrl: 'http://127.0.0.1:9/open-api' },
		fails: true,
	},
	{
		label: 'a success without an amount',
		workflow: TRANSFER,
		items: [transferItem()],
		reply: { status: 200, body: '{"response":{"code":"000_000"}}' },
		fails: true,
	},
	{
		label: 'a card number with junk, refused',
		workflow: TRANSFER,
		items: [transferItem({ to: [...split(CARDS.second), ' '] })],
		fails: true,
	},
	{
		label: 'the same card twice, refused',
		workflow: TRANSFER,
		items: [transferItem({ to: split(CARDS.main) })],
		fails: true,
	},
	{
		label: 'a malformed access key',
		workflow: TRANSFER,
		items: [transferItem()],
		credential: { accessKey: `${EMULATOR_CREDENTIAL.accessKey}\n` },
		fails: true,
	},
	{
		label: 'a secret key with a space',
		workflow: TRANSFER,
		items: [transferItem()],
		credential: { secretKey: `${EMULATOR_CREDENTIAL.secretKey} ` },
		fails: true,
	},
	{
		label: 'a delete that succeeds',
		workflow: WORKFLOWS.delete,
		items: [{ userId: MEMBER }],
		fails: false,
	},
	{
		label: 'a delete that times out',
		workflow: timeout(WORKFLOWS.delete, 1000),
		items: [{ userId: MEMBER }],
		reply: { delayMs: 1800, status: 200, body: '{}' },
		fails: true,
	},
	{
		label: 'a delete of an unknown member',
		workflow: WORKFLOWS.delete,
		items: [{ userId: '42' }],
		fails: true,
	},
	{
		label: 'encrypted: a transfer that succeeds',
		workflow: TRANSFER,
		items: [transferItem()],
		encrypted: true,
		fails: false,
	},
	{
		label: 'encrypted: a refusal by code (005_017)',
		workflow: TRANSFER,
		items: [transferItem({ from: split(CARDS.empty) })],
		encrypted: true,
		fails: true,
	},
	{
		label: 'encrypted: encData garbage',
		workflow: TRANSFER,
		items: [transferItem()],
		encrypted: true,
		reply: { status: 200, body: '{"encData":"a.b.c.d.e"}' },
		fails: true,
	},
	{
		label: 'encrypted: a timeout',
		workflow: timeout(TRANSFER, 1000),
		items: [transferItem()],
		encrypted: true,
		reply: { delayMs: 1800, status: 200, body: '{}' },
		fails: true,
	},
	{
		label: 'encrypted: with the error output',
		workflow: continueErrors(TRANSFER),
		items: [transferItem(), transferItem({ amount: 90_000 })],
		encrypted: true,
		fails: false,
	},
	{
		label: 'encrypted: a private key cut off',
		workflow: TRANSFER,
		items: [transferItem()],
		encrypted: true,
		credential: { clientPrivateKey: CLIENT_PRIVATE_KEY.slice(0, 400) },
		fails: true,
	},
	{
		label: 'encrypted: a private key missing a line',
		workflow: TRANSFER,
		items: [transferItem()],
		encrypted: true,
		credential: {
			clientPrivateKey: CLIENT_PRIVATE_KEY.split('\n')
				.filter((_, i) => i !== 3)
				.join('\n'),
		},
		fails: true,
	},
	{
		label: "encrypted: another key's answer",
		workflow: TRANSFER,
		items: [transferItem()],
		encrypted: true,
		credential: { clientPrivateKey: keyFile('server.key.pem') },
		fails: true,
	},
];

/** The card number reaches Card > Get only through an expression that joins three parts. */
const CARD_GET = withNode(WORKFLOWS.cardGet, {
	parameters: { cardNo: "={{ $json.card.join('') }}" },
});
const CARD_FAKE_LIST = `{"response":{"code":"000_000"},"cardDataInfo":{"mobileCardNo":"${CARDS.mergeGift}","bankInfo":{"accountNo":"${MERGE_DEBIT_ACCOUNT}"}}}`;
const ACCOUNT_ANSWER = `"userId":${MERGE_MEMBER},"accountInfo":{"userName":"${MERGE_MEMBER_NAME}","bankAccount":"${MERGE_MEMBER_ACCOUNT}"}`;

const READ_SCENARIOS: NodeScenario[] = [
	{
		label: 'reads: Get Many of a member with six cards',
		workflow: WORKFLOWS.cardGetMany,
		items: [{ userId: MERGE_MEMBER }],
		fails: false,
	},
	{
		label: 'reads: Get Many of a 19-digit member, and of one without cards',
		workflow: WORKFLOWS.cardGetMany,
		items: [{ userId: LONG_MEMBER }, { userId: NO_ACCOUNT_MEMBER }],
		fails: false,
	},
	{
		label: 'reads: Get Many of an unknown member (001_006)',
		workflow: WORKFLOWS.cardGetMany,
		items: [{ userId: '42' }],
		fails: true,
	},
	{
		label: 'reads: Card Get of a card, its plastic number, an unmapped card',
		workflow: CARD_GET,
		items: [
			{ card: split(CARDS.mergeDebit) },
			{ card: split(PHYSICAL_CARD_NO) },
			{ card: split(CARDS.unmapped) },
		],
		fails: false,
	},
	{
		label: 'reads: Card Get of an unknown card (003_021)',
		workflow: CARD_GET,
		items: [{ card: split('9491339409999999') }],
		fails: true,
	},
	{
		label: 'reads: Card Get with the error output, a card number with junk',
		workflow: continueErrors(CARD_GET),
		items: [{ card: split(CARDS.mergeGift) }, { card: [...split(CARDS.mergePlastic), '0'] }],
		fails: false,
	},
	{
		label: 'reads: Bank Account Get with the error output: an account, none (007_001), no member',
		workflow: continueErrors(WORKFLOWS.bankAccountGet),
		items: [{ userId: MERGE_MEMBER }, { userId: NO_ACCOUNT_MEMBER }, { userId: '1' }],
		fails: false,
	},
	{
		label: 'reads: a card list that is not a list, with card and account numbers',
		workflow: WORKFLOWS.cardGetMany,
		items: [{ userId: MERGE_MEMBER }],
		reply: { status: 200, body: CARD_FAKE_LIST },
		fails: true,
	},
	{
		label: 'reads: a card list cut off',
		workflow: WORKFLOWS.cardGetMany,
		items: [{ userId: MERGE_MEMBER }],
		reply: { status: 200, body: CARD_FAKE_LIST.slice(0, -5) },
		fails: true,
	},
	{
		label: 'reads: an account answer without its envelope',
		workflow: WORKFLOWS.bankAccountGet,
		items: [{ userId: MERGE_MEMBER }],
		reply: { status: 200, body: `{${ACCOUNT_ANSWER}}` },
		fails: true,
	},
	{
		label: 'reads: an account answer with a key twice',
		workflow: WORKFLOWS.bankAccountGet,
		items: [{ userId: MERGE_MEMBER }],
		reply: {
			status: 200,
			body: `{"response":{"code":"007_001"},"response":{"code":"000_000"},${ACCOUNT_ANSWER}}`,
		},
		fails: true,
	},
	{
		label: 'reads: an account answer under HTTP 500',
		workflow: WORKFLOWS.bankAccountGet,
		items: [{ userId: MERGE_MEMBER }],
		reply: { status: 500, body: `{"response":{"code":"000_000"},${ACCOUNT_ANSWER}}` },
		fails: true,
	},
	{
		label: 'reads: a failure whose message holds a card number',
		workflow: CARD_GET,
		items: [{ card: split(CARDS.mergeGift) }],
		reply: {
			status: 400,
			body: `{"response":{"code":"003_001","description":"Invalid card info. ${CARDS.mergeGift}"}}`,
		},
		fails: true,
	},
	{
		label: 'reads: a Get Many that times out',
		workflow: timeout(WORKFLOWS.cardGetMany, 1000),
		items: [{ userId: MERGE_MEMBER }],
		reply: { delayMs: 1800, status: 200, body: CARD_FAKE_LIST },
		fails: true,
	},
	{
		label: 'reads, encrypted: Get Many',
		workflow: WORKFLOWS.cardGetMany,
		items: [{ userId: MERGE_MEMBER }],
		encrypted: true,
		fails: false,
	},
	{
		label: 'reads, encrypted: Card Get',
		workflow: CARD_GET,
		items: [{ card: split(CARDS.mergePlastic) }],
		encrypted: true,
		fails: false,
	},
	{
		label: 'reads, encrypted: Bank Account Get',
		workflow: WORKFLOWS.bankAccountGet,
		items: [{ userId: MERGE_MEMBER }],
		encrypted: true,
		fails: false,
	},
	{
		label: 'reads, encrypted: encData garbage',
		workflow: WORKFLOWS.cardGetMany,
		items: [{ userId: MERGE_MEMBER }],
		encrypted: true,
		reply: { status: 200, body: '{"encData":"a.b.c.d.e"}' },
		fails: true,
	},
];

describe('no key, key material, Tran-Token or full card number in anything the node, n8n or its logs show', () => {
	it.each([...NODE_SCENARIOS, ...READ_SCENARIOS].map((s): [string, NodeScenario] => [s.label, s]))(
		'%s',
		async (label, scenario) => {
			const target = scenario.encrypted ? encrypted : kona;
			const { reply } = scenario;
			target.emulator.script = reply === undefined ? undefined : () => slow(reply);
			const mark = logs.lines.length;
			const run = await target.run(scenario.workflow, scenario.items, scenario.credential);
			const { success, errors, error } = konaplateOutput(run);
			const { leaks, logLines } = scan(label, runArtifacts(run), mark);

			expect(leaks).toEqual([]);
			expect(logLines).toBeGreaterThan(0);
			expect(error !== undefined).toBe(scenario.fails);
			// The node never hands on an error from n8n's HTTP layer, whose request options hold the headers
			expect(error === undefined || !Object.getOwnPropertyNames(error).includes('cause')).toBe(
				true,
			);
			expect(everything(run.run)).not.toMatch(HEADER_WITH_VALUE);
			for (const item of [...success, ...errors]) {
				for (const field of ['fromCardNo', 'toCardNo']) {
					if (field in item.json) expect(item.json[field]).toMatch(/^949133\*{6}\d{4}$/);
				}
			}
		},
	);

	type Change = (emulator: KonaplateEmulator) => IDataObject;
	const CREDENTIAL_TESTS: Array<[string, Change, 'OK' | 'Error', RawReply | undefined, boolean]> = [
		['keys accepted', () => ({}), 'OK', undefined, false],
		[
			'keys refused (HTTP 401)',
			() => ({ secretKey: 'a-different-secret-key' }),
			'Error',
			undefined,
			false,
		],
		[
			'a wrong Base URL (HTTP 404)',
			(emulator) => ({ baseUrl: emulator.baseUrl.replace('/open-api', '/nope') }),
			'Error',
			undefined,
			false,
		],
		[
			'nothing listening at the Base URL',
			() => ({ baseUrl: 'http://127.0.0.1:9/open-api' }),
			'Error',
			undefined,
			false,
		],
		['a dropped connection', () => ({}), 'Error', { drop: true }, false],
		['an HTML 502', () => ({}), 'Error', { status: 502, body: '<html>Bad Gateway</html>' }, false],
		[
			'an access key with a newline',
			() => ({ accessKey: `${EMULATOR_CREDENTIAL.accessKey}\n` }),
			'Error',
			undefined,
			false,
		],
		['encrypted: keys accepted', () => ENCRYPTION, 'OK', undefined, true],
		[
			'encrypted: a public key as the private key',
			() => ({ ...ENCRYPTION, clientPrivateKey: keyFile('client.pub.pem') }),
			'Error',
			undefined,
			true,
		],
		[
			'encrypted: a private key cut off',
			() => ({ ...ENCRYPTION, clientPrivateKey: CLIENT_PRIVATE_KEY.slice(0, 500) }),
			'Error',
			undefined,
			true,
		],
	];

	it.each(CREDENTIAL_TESTS)(
		'the credential test: %s',
		async (label, change, status, reply, isEncrypted) => {
			const { emulator } = isEncrypted ? encrypted : kona;
			emulator.script = reply === undefined ? undefined : () => reply;
			const mark = logs.lines.length;
			const result = await kona.engine.testCredential(
				CREDENTIAL_TYPE,
				emulatorCredential(emulator, change(emulator)),
			);
			const { leaks } = scan(
				`credential test, ${label}`,
				{ result: JSON.stringify(result), 'result (inspected)': result },
				mark,
			);
			expect(result.status).toBe(status);
			expect(leaks).toEqual([]);
		},
	);

	it('captured n8n log lines, including the errors of failed runs, so the log check is not empty', () => {
		const text = logs.lines.join('\n');
		expect(logs.lines.length).toBeGreaterThan(NODE_SCENARIOS.length * 3);
		expect(text).toContain('"message":"Workflow execution finished with error"');
		expect(text).toContain(
			'"message":"Running node \\"Transfer Card Balance\\" finished with error"',
		);
		expect(text).toContain('No answer from Konaplate within 1 s');
		expect(text).toContain('005_018: There is not enough balance to transfer.');
	});
});

describe('the leak scanner catches what it looks for (self-test, with planted leaks)', () => {
	const known = (): Secret[] => secrets();

	it('finds a key, a full card number in any spacing, and a Tran-Token; not a masked card', () => {
		const token = 'KMV1:20240101120000123:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG=';
		const list = [...known(), ...tranTokenSecrets(token)];
		expect(
			findLeaks(
				JSON.stringify({ headers: { 'X-KM-Access-Key': EMULATOR_CREDENTIAL.accessKey } }),
				list,
				'planted',
			),
		).toEqual([{ secret: 'access key', where: 'planted' }]);
		expect(
			findLeaks(`card 9491 3394 0125 0765 refused`, list, 'planted').map((leak) => leak.secret),
		).toContain('card 949133…0765');
		expect(findLeaks('949133940125-0765', list, 'planted').map((leak) => leak.secret)).toContain(
			'card 949133…0765',
		);
		expect(findLeaks(`token ${token.split(':')[2]}`, list, 'planted')).toEqual([
			{ secret: 'X-KM-Tran-Token HMAC', where: 'planted' },
		]);
		expect(findLeaks('949133******0765 and 949133******0773', list, 'planted')).toEqual([]);
		const pemLine = CLIENT_PRIVATE_KEY.split('\n')[5];
		expect(findLeaks(`key: "${pemLine}"`, list, 'planted').map((leak) => leak.secret)).toEqual([
			'client private key line 5',
		]);
	});

	it('finds the full card numbers a Get Many outputs with Show Full Card Numbers on (what the default never shows)', async () => {
		const full = withNode(WORKFLOWS.cardGetMany, {
			parameters: { options: { showFullCardNumbers: true } },
		});
		const { success } = await kona.output(full, [{ userId: MERGE_MEMBER }]);
		const found = findLeaks(everything(success), known(), 'full numbers').map(
			(leak) => leak.secret,
		);
		expect(found).toEqual(
			expect.arrayContaining([
				'card 949133…0001',
				'card 949133…0027 (first 12 digits)',
				'card 949133…0027',
			]),
		);
		expect(found.some((secret) => secret.includes('linked account'))).toBe(false);
	});

	it('finds a key inside an error cause, which JSON.stringify would not show', () => {
		const error = new Error('request failed', {
			cause: { config: { headers: { 'X-KM-Access-Key': EMULATOR_CREDENTIAL.accessKey } } },
		});
		expect(JSON.stringify(error)).toBe('{}');
		expect(findLeaks(everything(error), known(), 'planted').map((leak) => leak.secret)).toEqual([
			'access key',
		]);
	});

	it("finds the keys and the Tran-Token in a real error of n8n's HTTP layer: what the node must never pass on", async () => {
		caughtByProbe.length = 0;
		kona.emulator.script = () => ({ drop: true });
		await probeEngine.run(probeWorkflow('test.httpProbe', 'HTTP probe'), [{}], {
			[CREDENTIAL_TYPE]: emulatorCredential(kona.emulator),
		});
		expect(caughtByProbe).toHaveLength(1);
		const found = findLeaks(everything(caughtByProbe[0]), known(), 'n8n HTTP error').map(
			(leak) => leak.secret,
		);
		expect(found).toEqual(
			expect.arrayContaining(['access key', 'X-KM-Tran-Token', 'X-KM-Tran-Token HMAC']),
		);
		expect(everything(caughtByProbe[0])).toMatch(HEADER_WITH_VALUE);
	});

	it("finds a key in a line written through n8n's Logger, captured like every other log line", () => {
		const mark = logs.lines.length;
		LoggerProxy.error('planted log line', {
			headers: { 'X-KM-Access-Key': EMULATOR_CREDENTIAL.accessKey },
		});
		const lines = logs.since(mark);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain('"message":"planted log line"');
		expect(findLeaks(lines[0], known(), 'planted log')).toEqual([
			{ secret: 'access key', where: 'planted log' },
		]);
	});
});
