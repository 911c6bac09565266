import { Engine } from '../scripts/engine/engine';
import { emulatorCredential } from './helpers/konaplate';
import { legacyRequestNode } from './helpers/legacy-request-node';
import { KonaplateEmulator } from '../emulator/server';
import { EMULATOR_CREDENTIAL_FILE, LONG_MEMBER, MEMBER } from '../emulator/data';
import { LEDGER_TABLE } from '../nodes/Konaplate/ledger/postgres/schema';
import { CREDENTIAL_TYPE } from '../nodes/Konaplate/wire/credentials';
import { freePort } from '../scripts/lib/free-port';
import { useFreshEnginePools } from './helpers/engine-pools';
import { useTestPostgres } from './helpers/postgres';
import type { TestPostgres } from './helpers/postgres';

let engine: Engine;
let emulator: KonaplateEmulator;

beforeAll(async () => {
	engine = await Engine.load(undefined, { 'test.legacyRequest': legacyRequestNode });
	emulator = await KonaplateEmulator.start();
});
beforeEach(() => emulator.reset());
afterAll(async () => await emulator.close());

/** A value of the same length and alphabet that the emulator does not know. */
const otherThan = (field: 'aspId' | 'accessKey') =>
	`${String(EMULATOR_CREDENTIAL_FILE[0].data[field]).slice(0, -1)}2`;

const CHECK_KEYS = 'check the ASP ID, Access Key, Secret Key and Time Zone';
const REFUSED_OR_NOT_KONAPLATE = `Konaplate refused these keys, or no Konaplate Open API answers at this address (no Konaplate response came back): ${CHECK_KEYS}, and the Base URL`;

// n8n runs the node's testedBy function (transport/credential-test.ts) on its own
// CredentialTestContext: the verdicts are the function's, the same on every n8n version.
describe("the credential's Test button, as n8n's tester runs it (the node's testedBy)", () => {
	const test = async (overrides = {}) =>
		await engine.testCredential(CREDENTIAL_TYPE, emulatorCredential(emulator, overrides));

	it('reports the keys accepted from a read that changes nothing (member 1 does not exist: 001_006)', async () => {
		const result = await test();
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.requests[0]).toMatchObject({
			path: '/api/v1/bankaccounts/inquiry',
			rawBody: '{"userId":1}',
			verdict: 'accepted',
			code: '001_006',
		});
	});

	it.each([
		['a wrong Secret Key', { secretKey: 'wrong-secret' }],
		['a wrong Access Key', { accessKey: otherThan('accessKey') }],
		['a wrong ASP ID', { aspId: otherThan('aspId') }],
	])(
		'reports %s refused (HTTP 401) with what to check, sent once (a 401 is never resent)',
		async (_, overrides) => {
			const result = await test(overrides);
			expect(result).toEqual({
				status: 'Error',
				message: `Konaplate refused these keys (HTTP 401): ${CHECK_KEYS}`,
			});
			expect(emulator.requests).toHaveLength(1);
			expect(emulator.requests[0].status).toBe(401);
		},
	);

	it('reports keys refused with HTTP 403', async () => {
		emulator.script = () => ({
			status: 403,
			headers: { 'Content-Type': 'text/html' },
			body: '<html><body>403 Forbidden</body></html>',
		});
		expect(await test()).toEqual({
			status: 'Error',
			message: `Konaplate refused these keys (HTTP 403): ${CHECK_KEYS}`,
		});
		expect(emulator.requests).toHaveLength(1);
	});

	it('reports a wrong Base URL (HTTP 404)', async () => {
		const result = await test({ baseUrl: emulator.baseUrl.replace('/open-api', '/nope') });
		expect(result).toEqual({
			status: 'Error',
			message: 'No Konaplate Open API at this address (HTTP 404): check the Base URL',
		});
	});

	it.each([
		[
			'an HTML page',
			{ 'Content-Type': 'text/html' },
			'<html><body>500 Internal Server Error</body></html>',
		],
		['an empty body', {}, ''],
		[
			'a JSON error without the Konaplate envelope',
			{ 'Content-Type': 'application/json' },
			'{"status":500,"error":"Internal Server Error"}',
		],
	])('reports an HTTP 500 with %s as a failure, not as accepted keys', async (_, headers, body) => {
		emulator.script = () => ({ status: 500, headers, body });
		expect(await test()).toEqual({
			status: 'Error',
			message: 'Konaplate could not answer (HTTP 500): try again later; the keys were not checked',
		});
	});

	it('reports a server that answers 200 but is not Konaplate', async () => {
		emulator.script = () => ({
			status: 200,
			headers: { 'Content-Type': 'application/json' },
			body: '{"ok":true}',
		});
		expect(await test()).toEqual({ status: 'Error', message: REFUSED_OR_NOT_KONAPLATE });
	});

	it.each([307, 308, 302])(
		'does not follow an HTTP %i: one request, nothing sent to the other host, the host named',
		async (status) => {
			const other = await KonaplateEmulator.start();
			try {
				emulator.script = () => ({
					status,
					headers: { Location: `${other.baseUrl}/api/v1/bankaccounts/inquiry?key=abc` },
					body: '',
				});
				const result = await test();
				const host = new URL(other.baseUrl).host;
				expect(result).toEqual({
					status: 'Error',
					message: `The Base URL answered HTTP ${status}, a redirect (to ${host}), which is not followed: nothing signed is sent to another address. Check the Base URL (https:// and the path /open-api)`,
				});
				expect(emulator.requests).toHaveLength(1);
				expect(other.requests).toHaveLength(0);
			} finally {
				await other.close();
			}
		},
	);

	it('reports an address where nothing listens, the keys not checked', async () => {
		const port = await freePort();
		expect(await test({ baseUrl: `http://127.0.0.1:${port}/open-api` })).toEqual({
			status: 'Error',
			message:
				'Could not connect to Konaplate (econnrefused): check the Base URL; the keys were not checked',
		});
	});

	it('explains a malformed key before sending anything', async () => {
		const result = await test({ accessKey: 'pasted key\n' });
		expect(result).toEqual({
			status: 'Error',
			message:
				'Access Key contains a space or line break: paste it again without spaces before or after it',
		});
		expect(emulator.requests).toHaveLength(0);
	});
});

describe("the credential's Test button with the shared ledger: the keys, then the database", () => {
	const database = useTestPostgres();
	useFreshEnginePools();
	const PASSWORD = 'Teller-pw-4711';
	const teller = { user: 'teller', password: PASSWORD };
	let db: TestPostgres;
	beforeAll(async () => {
		db = database();
		await db.loginWithoutPrivileges(teller);
	});
	const test = async (url: string, overrides = {}) =>
		await engine.testCredential(
			CREDENTIAL_TYPE,
			emulatorCredential(emulator, { ledger: 'postgres', ledgerPostgresUrl: url, ...overrides }),
		);
	const READY =
		"Connection successful! The shared ledger's table konaplate_transfer_ledger is ready.";
	const tableExists = async () =>
		(
			await db.admin<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
				LEDGER_TABLE,
			])
		)[0].found;

	it('connects, creates the missing table and says it is ready', async () => {
		expect(await tableExists()).toBe(false);
		expect(await test(db.url())).toEqual({ status: 'OK', message: READY });
		expect(await tableExists()).toBe(true);
		expect(emulator.requests).toHaveLength(1);
	});

	it('says the password is wrong, without the password', async () => {
		const result = await test(db.url({ user: 'teller', password: `${PASSWORD}x` }));
		expect(result).toEqual({
			status: 'Error',
			message: `The Konaplate keys work. The shared ledger's database cannot be used: PostgreSQL at 127.0.0.1:${db.server.port} refused the password for user "teller": check the password in the Ledger PostgreSQL URL`,
		});
		expect(result.message).not.toContain(PASSWORD);
	});

	it('says nothing answers at the database address', async () => {
		const port = await freePort();
		const result = await test(`postgres://teller:${PASSWORD}@127.0.0.1:${port}/ledger`);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(
			`no PostgreSQL answers at 127.0.0.1:${port} (connection refused)`,
		);
		expect(result.message).not.toContain(PASSWORD);
	});

	it('says which privileges are missing, and passes once granted', async () => {
		expect(await test(db.url())).toEqual({ status: 'OK', message: READY });
		const result = await test(db.url(teller));
		expect(result).toEqual({
			status: 'Error',
			message: `The Konaplate keys work. User "teller" lacks SELECT, INSERT, UPDATE, DELETE on ${LEDGER_TABLE}; the shared ledger needs SELECT, INSERT, UPDATE, DELETE: GRANT SELECT, INSERT, UPDATE, DELETE ON ${LEDGER_TABLE} TO "teller"`,
		});
		await db.admin(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${LEDGER_TABLE} TO teller`);
		expect(await test(db.url(teller))).toEqual({
			status: 'OK',
			message: READY,
		});
	});

	it('checks the keys first: wrong keys fail the Test without touching the database', async () => {
		const result = await test(db.url(), { secretKey: 'wrong-secret' });
		expect(result.message).toBe(`Konaplate refused these keys (HTTP 401): ${CHECK_KEYS}`);
		expect(await tableExists()).toBe(false);
	});
});

describe("the credential used by n8n's HTTP Request node (legacy request options)", () => {
	const workflow = {
		name: 'HTTP Request with the Konaplate credential',
		nodes: [
			{
				id: 'a1',
				name: 'Legacy Request',
				type: 'test.legacyRequest',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: {},
				credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'Konaplate emulator' } },
			},
		],
		connections: {},
	};

	it('signs a JSON object body and a raw JSON text body; the emulator verifies both', async () => {
		const run = await engine.run(
			workflow,
			[
				{ uri: `${emulator.baseUrl}/api/v1/bankaccounts/delete`, body: { userId: 50000104652 } },
				{
					uri: `${emulator.baseUrl}/api/v1/bankaccounts/delete`,
					body: `{"userId":${LONG_MEMBER}}`,
				},
			],
			{ [CREDENTIAL_TYPE]: emulatorCredential(emulator) },
		);
		const out = run.nodes['Legacy Request'].outputs[0];
		expect(run.nodes['Legacy Request'].error).toBeUndefined();
		expect(out.map((item) => item.json.statusCode)).toEqual([200, 200]);
		expect(emulator.requests.map((r) => [r.verdict, r.rawBody])).toEqual([
			['accepted', `{"userId":${MEMBER}}`],
			['accepted', `{"userId":${LONG_MEMBER}}`],
		]);
	});
});
