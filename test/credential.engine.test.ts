import { Engine } from './helpers/engine';
import { emulatorCredential } from './helpers/konaplate';
import { legacyRequestNode } from './helpers/legacy-request-node';
import { KonaplateSandbox } from './helpers/sandbox';
import { LONG_MEMBER, MEMBER } from './helpers/sandbox-data';

let engine: Engine;
let sandbox: KonaplateSandbox;

beforeAll(async () => {
	engine = await Engine.load(undefined, { 'test.legacyRequest': legacyRequestNode });
	sandbox = await KonaplateSandbox.start();
});
beforeEach(() => sandbox.reset());
afterAll(async () => await sandbox.close());

describe('the credential test (run as n8n runs it: RoutingNode + authenticate)', () => {
	it('reports the keys accepted from a read that changes nothing (member 1 does not exist: 001_006)', async () => {
		const result = await engine.testCredential('konaCredentials', emulatorCredential(sandbox));
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.requests[0]).toMatchObject({ path: '/api/v1/bankaccounts/inquiry', rawBody: '{"userId":1}', verdict: 'accepted', code: '001_006' });
	});

	it('reports refused keys (HTTP 401) with what to check', async () => {
		const result = await engine.testCredential('konaCredentials', emulatorCredential(sandbox, { secretKey: 'wrong-secret' }));
		expect(result.status).toBe('Error');
		expect(result.message).toBe(
			'Konaplate refused these keys (HTTP 401): check the ASP ID, Access Key, Secret Key and Time Zone',
		);
	});

	it('reports a wrong Base URL (HTTP 404)', async () => {
		const result = await engine.testCredential(
			'konaCredentials',
			emulatorCredential(sandbox, { baseUrl: sandbox.baseUrl.replace('/open-api', '/nope') }),
		);
		expect(result.message).toBe('No Konaplate Open API at this address (HTTP 404): check the Base URL');
	});

	it('explains a malformed key before sending anything', async () => {
		const result = await engine.testCredential('konaCredentials', emulatorCredential(sandbox, { accessKey: 'pasted key\n' }));
		expect(result).toEqual({
			status: 'Error',
			message: 'Access Key contains a space or line break: paste it again without spaces before or after it',
		});
		expect(sandbox.requests).toHaveLength(0);
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
				credentials: { konaCredentials: { id: '1', name: 'Konaplate emulator' } },
			},
		],
		connections: {},
	};

	it('signs a JSON object body and a raw JSON text body; the emulator verifies both', async () => {
		const run = await engine.run(
			workflow,
			[
				{ uri: `${sandbox.baseUrl}/api/v1/bankaccounts/delete`, body: { userId: 50000104652 } },
				{ uri: `${sandbox.baseUrl}/api/v1/bankaccounts/delete`, body: `{"userId":${LONG_MEMBER}}` },
			],
			{ konaCredentials: emulatorCredential(sandbox) },
		);
		const out = run.nodes['Legacy Request'].outputs[0];
		expect(run.nodes['Legacy Request'].error).toBeUndefined();
		expect(out.map((item) => item.json.statusCode)).toEqual([200, 200]);
		expect(sandbox.requests.map((r) => [r.verdict, r.rawBody])).toEqual([
			['accepted', `{"userId":${MEMBER}}`],
			['accepted', `{"userId":${LONG_MEMBER}}`],
		]);
	});
});
