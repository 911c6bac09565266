import { Engine } from '../scripts/engine/engine';
import { emulatorCredential } from './helpers/konaplate';
import { legacyRequestNode } from './helpers/legacy-request-node';
import { KonaplateEmulator } from '../emulator/server';
import { EMULATOR_CREDENTIAL_FILE, LONG_MEMBER, MEMBER } from '../emulator/data';
import { CREDENTIAL_TYPE } from '../nodes/Konaplate/wire/credentials';

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

const REFUSED_OR_NOT_KONAPLATE =
	'Konaplate refused these keys, or no Konaplate Open API answers at this address (no Konaplate response came back): check the ASP ID, Access Key, Secret Key and Time Zone, and the Base URL';

// n8n 2.11+ fails the statuses of `except` by status; n8n 1.x up to 2.10 read the whole
// `ignoreHttpStatusErrors` object as "ignore every status" (see Engine.testCredential), so
// there only the body rule can fail a test. Both must fail every refused or broken answer.
describe.each([
	{
		n8n: '2.11 and newer',
		statusHandling: 'current' as const,
		forbidden:
			'Konaplate refused these keys (HTTP 403): check the ASP ID, Access Key, Secret Key and Time Zone',
		notFound: 'No Konaplate Open API at this address (HTTP 404): check the Base URL',
		serverError:
			'Konaplate could not answer (HTTP 500): try again later; the keys were not checked',
	},
	{
		n8n: '1.x up to 2.10',
		statusHandling: 'before-2.11' as const,
		forbidden: REFUSED_OR_NOT_KONAPLATE,
		notFound: REFUSED_OR_NOT_KONAPLATE,
		serverError: REFUSED_OR_NOT_KONAPLATE,
	},
])(
	'the credential test as n8n $n8n runs it (RoutingNode + authenticate)',
	({ statusHandling, forbidden, notFound, serverError }) => {
		const test = (overrides = {}) =>
			engine.testCredential(CREDENTIAL_TYPE, emulatorCredential(emulator, overrides), {
				statusHandling,
			});

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
				expect(result).toEqual({ status: 'Error', message: REFUSED_OR_NOT_KONAPLATE });
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
				message: forbidden,
				...(statusHandling === 'current' ? { statusCode: 403 } : {}),
			});
			expect(emulator.requests).toHaveLength(1);
		});

		it('reports a wrong Base URL (HTTP 404)', async () => {
			const result = await test({ baseUrl: emulator.baseUrl.replace('/open-api', '/nope') });
			expect(result.status).toBe('Error');
			expect(result.message).toBe(notFound);
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
		])(
			'reports an HTTP 500 with %s as a failure, not as accepted keys',
			async (_, headers, body) => {
				emulator.script = () => ({ status: 500, headers, body });
				const result = await test();
				expect(result.status).toBe('Error');
				expect(result.message).toBe(serverError);
			},
		);

		it('reports a server that answers 200 but is not Konaplate', async () => {
			emulator.script = () => ({
				status: 200,
				headers: { 'Content-Type': 'application/json' },
				body: '{"ok":true}',
			});
			expect(await test()).toEqual({ status: 'Error', message: REFUSED_OR_NOT_KONAPLATE });
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
	},
);

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
