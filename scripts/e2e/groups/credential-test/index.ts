/**
 * The credential's Test button in a real n8n (POST /rest/credentials/test, what the editor
 * calls) for good keys, a wrong secret, a wrong access key, a wrong Base URL, an HTTP 500 and a
 * redirect to another host, each sent exactly once (the other host receives nothing); and a
 * transfer signed with a wrong secret: one request, refused, never resent. Called from
 * run-e2e.js on every n8n x Node of the matrix.
 *
 * The Test is the node's `testedBy` function (transport/credential-test.ts), which n8n runs only
 * when the credential has no declarative `test`: the same messages on every n8n version show
 * that n8n ran it. The shared ledger's database part runs in the shared-ledger group.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';

import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { assert } from '../../checks';
import type { E2eGroup, GroupContext } from '../../group';
import type { Workflow } from '../../n8n/home';

const INQUIRY_PATH = ENDPOINT.accountInquiry;
const TRANSFER_PATH = ENDPOINT.transfer;
const REFUSED_401 =
	'Konaplate refused these keys (HTTP 401): check the ASP ID, Access Key, Secret Key and Time Zone';
const NOT_FOUND = 'No Konaplate Open API at this address (HTTP 404): check the Base URL';
const SERVER_ERROR =
	'Konaplate could not answer (HTTP 500): try again later; the keys were not checked';

/** A server that answers every request with `status` and `headers`; counts what it got. */
function startServer(
	status: number,
	headers: Record<string, string> = {},
	body = '',
): Promise<{ server: Server; received: string[]; url: string }> {
	const received: string[] = [];
	const server = createServer((req, res) => {
		received.push(`${req.method} ${req.url}`);
		req.resume();
		res.writeHead(status, headers);
		res.end(body);
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({
				server,
				received,
				url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
			}),
		),
	);
}

const stop = async ({ server }: { server: Server }) =>
	await new Promise((resolve) => server.close(resolve));

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
				assert.deepEqual(result, { status: 'Error', message: REFUSED_401 });
				await oneInquiry(401);
			},
		);
	}

	await checks.check(
		'credential Test, wrong Base URL (HTTP 404): fails naming the Base URL, sent once',
		async () => {
			const result = await testWith({
				baseUrl: emulator.baseUrl.replace(/\/open-api$/, '/not-open-api'),
			});
			assert.deepEqual(result, { status: 'Error', message: NOT_FOUND });
			await oneInquiry(404);
		},
	);

	await checks.check('credential Test, a server answering HTTP 500: fails, sent once', async () => {
		const failing = await startServer(
			500,
			{ 'Content-Type': 'text/html' },
			'<html><body><h1>500 Internal Server Error</h1></body></html>',
		);
		try {
			const result = await testWith({ baseUrl: `${failing.url}/open-api` });
			assert.deepEqual(result, { status: 'Error', message: SERVER_ERROR });
			assert.deepEqual(failing.received, [`POST /open-api${INQUIRY_PATH}`]);
		} finally {
			await stop(failing);
		}
	});

	await checks.check(
		'credential Test, a Base URL answering HTTP 307 to another host: fails naming the host, the other host receives nothing',
		async () => {
			const elsewhere = await startServer(200, { 'Content-Type': 'application/json' }, '{}');
			const redirecting = await startServer(307, {
				Location: `${elsewhere.url}/open-api${INQUIRY_PATH}`,
			});
			try {
				const result = await testWith({ baseUrl: `${redirecting.url}/open-api` });
				assert.deepEqual(result, {
					status: 'Error',
					message: `The Base URL answered HTTP 307, a redirect (to ${new URL(elsewhere.url).host}), which is not followed: nothing signed is sent to another address. Check the Base URL (https:// and the path /open-api)`,
				});
				assert.deepEqual(redirecting.received, [`POST /open-api${INQUIRY_PATH}`]);
				assert.deepEqual(elsewhere.received, [], 'the other host received a request');
			} finally {
				await stop(redirecting);
				await stop(elsewhere);
			}
		},
	);

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
