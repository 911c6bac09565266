/**
 * The credential's Test button in a real n8n (POST /rest/credentials/test, what the editor
 * calls) for good keys, a wrong secret, a wrong access key, a wrong Base URL and an HTTP 500,
 * each sent exactly once; and a transfer signed with a wrong secret: one request, refused,
 * never resent. Called from run-e2e.js on every n8n x Node of the matrix.
 *
 * n8n 2.11 and newer fail the test by HTTP status (the credential's `except` list and
 * `responseCode` rules); older n8n reads the `ignoreHttpStatusErrors` object as "ignore every
 * status" and only the body rule can fail it: the messages differ, the verdicts must not.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';

import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { assert } from '../../checks';
import type { E2eGroup, GroupContext } from '../../group';
import type { Workflow } from '../../n8n/home';
import { ensureN8n, readsStatusExceptions } from '../../n8n/install';

const INQUIRY_PATH = ENDPOINT.accountInquiry;
const TRANSFER_PATH = ENDPOINT.transfer;
const GENERIC =
	'Konaplate refused these keys, or no Konaplate Open API answers at this address (no Konaplate response came back): check the ASP ID, Access Key, Secret Key and Time Zone, and the Base URL';
const NOT_FOUND = 'No Konaplate Open API at this address (HTTP 404): check the Base URL';
const SERVER_ERROR =
	'Konaplate could not answer (HTTP 500): try again later; the keys were not checked';

/** A server that answers every request with HTTP 500 and an HTML page; counts what it got. */
function startFailingServer(): Promise<{ server: Server; received: string[] }> {
	const received: string[] = [];
	const server = createServer((req, res) => {
		received.push(`${req.method} ${req.url}`);
		req.resume();
		res.writeHead(500, { 'Content-Type': 'text/html' });
		res.end('<html><body><h1>500 Internal Server Error</h1></body></html>');
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve({ server, received })),
	);
}

/** A key of the same length that the emulator does not know. */
const other = (value: string): string => `${value.slice(0, -1)}${value.endsWith('2') ? '3' : '2'}`;

async function credentialTestChecks({
	checks,
	srv,
	emulator,
	credential,
	ex,
}: GroupContext): Promise<void> {
	const transfer = ex('transfer-amount.json');
	const { N8N_VERSION } = ensureN8n();
	const byStatus = readsStatusExceptions(N8N_VERSION);
	const testWith = async (change: Record<string, string>) => {
		await emulator.reset();
		const { id, name, type, data } = credential;
		return await srv.rest<{ status: string; message: string }>('POST', '/credentials/test', {
			credentials: { id, name, type, data: { ...data, ...change } },
		});
	};
	/** What the emulator got: exactly one inquiry, answered with `status`. */
	const oneInquiry = async (status: number) => {
		const requests = await emulator.requests();
		const seen = requests.map((r) => `${r.method} ${r.path} ${r.status}`).join('; ');
		assert.equal(
			requests.length,
			1,
			`emulator received ${requests.length} request(s), expected 1: ${seen}`,
		);
		assert.equal(requests[0].status, status, seen);
		return requests[0];
	};

	await checks.check(
		'credential Test (POST /rest/credentials/test), good keys: "Connection successful!", 1 read (001_006)',
		async () => {
			const result = await testWith({});
			assert.deepEqual(result, { status: 'OK', message: 'Connection successful!' });
			const request = await oneInquiry(400);
			assert.equal(request.path, INQUIRY_PATH);
			assert.equal(request.code, '001_006');
			assert.equal(request.rawBody, '{"userId":1}');
		},
	);

	for (const [label, field] of [
		['wrong Secret Key', 'secretKey'],
		['wrong Access Key', 'accessKey'],
	] as const) {
		await checks.check(
			`credential Test, ${label}: fails (HTTP 401), sent once (a 401 is never resent)`,
			async () => {
				const result = await testWith({ [field]: other(credential.data[field]) });
				assert.deepEqual(result, { status: 'Error', message: GENERIC });
				await oneInquiry(401);
			},
		);
	}

	await checks.check(
		`credential Test, wrong Base URL (HTTP 404): fails${byStatus ? ' naming the Base URL' : ''}, sent once`,
		async () => {
			const result = await testWith({
				baseUrl: emulator.baseUrl.replace(/\/open-api$/, '/not-open-api'),
			});
			assert.deepEqual(result, { status: 'Error', message: byStatus ? NOT_FOUND : GENERIC });
			await oneInquiry(404);
		},
	);

	await checks.check('credential Test, a server answering HTTP 500: fails, sent once', async () => {
		const failing = await startFailingServer();
		try {
			const result = await testWith({
				baseUrl: `http://127.0.0.1:${(failing.server.address() as AddressInfo).port}/open-api`,
			});
			assert.deepEqual(result, { status: 'Error', message: byStatus ? SERVER_ERROR : GENERIC });
			assert.deepEqual(failing.received, [`POST /open-api${INQUIRY_PATH}`]);
		} finally {
			await new Promise((resolve) => failing.server.close(resolve));
		}
	});

	await checks.check(
		'transfer signed with a wrong Secret Key: refused (HTTP 401), 1 request, never resent, no money moved',
		async () => {
			// created as the editor does (n8n 1.x's public API wants extra fields for a credential)
			const wrong = await srv.rest<{ id: string; name: string }>('POST', '/credentials', {
				name: 'Konaplate emulator (wrong secret)',
				type: credential.type,
				data: { ...credential.data, secretKey: other(credential.data.secretKey) },
			});
			const { nodes, connections, settings } = JSON.parse(JSON.stringify(transfer)) as Workflow;
			for (const node of nodes) {
				if (node.credentials?.[credential.type])
					node.credentials[credential.type] = { id: wrong.id, name: wrong.name };
			}
			// through the public API: a server-assigned id
			const created = await srv.api<{ id: string }>('POST', '/workflows', {
				name: 'e2e: transfer with a wrong secret',
				nodes,
				connections,
				settings: settings ?? {},
			});
			await emulator.reset();
			const e = await srv.runManually(created.id);
			assert.equal(e.status, 'error', `execution ${e.status}`);
			assert.equal(e.error?.name, 'NodeApiError', JSON.stringify(e.error));
			assert.equal(String(e.error?.httpCode), '401', JSON.stringify(e.error));
			const requests = await emulator.requests();
			assert.deepEqual(
				requests.map((r) => `${r.path} ${r.status}`),
				[`${TRANSFER_PATH} 401`],
				'the refused transfer was sent more than once',
			);
			const { cards } = await emulator.state();
			const initial = await (async () => {
				await emulator.reset();
				return (await emulator.state()).cards;
			})();
			assert.deepEqual(cards, initial, 'a balance moved');
		},
	);
}

export const group: E2eGroup = { name: 'credential-test', run: credentialTestChecks };
