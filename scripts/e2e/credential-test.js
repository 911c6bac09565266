'use strict';
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
const http = require('node:http');

const { assert } = require('./checks');
const e2e = require('./n8n-headless');

const INQUIRY_PATH = '/api/v1/bankaccounts/inquiry';
const TRANSFER_PATH = '/api/v1/transfer/balance';
const GENERIC =
	'Konaplate refused these keys, or no Konaplate Open API answers at this address (no Konaplate response came back): check the ASP ID, Access Key, Secret Key and Time Zone, and the Base URL';
const NOT_FOUND = 'No Konaplate Open API at this address (HTTP 404): check the Base URL';
const SERVER_ERROR = 'Konaplate could not answer (HTTP 500): try again later; the keys were not checked';

/** True when this n8n honours `ignoreHttpStatusErrors: { ignore, except }` (n8n 2.11+). */
function readsStatusExceptions(version) {
	const [major, minor] = version.split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 11);
}

/** A server that answers every request with HTTP 500 and an HTML page; counts what it got. */
function startFailingServer() {
	const server = http.createServer((req, res) => {
		server.received.push(`${req.method} ${req.url}`);
		req.resume();
		res.writeHead(500, { 'Content-Type': 'text/html' });
		res.end('<html><body><h1>500 Internal Server Error</h1></body></html>');
	});
	server.received = [];
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A key of the same length that the emulator does not know. */
const other = (value) => `${value.slice(0, -1)}${value.endsWith('2') ? '3' : '2'}`;

async function credentialTestChecks(checks, { srv, emulator, credential, transfer }) {
	const { N8N_VERSION } = e2e.ensureN8n();
	const byStatus = readsStatusExceptions(N8N_VERSION);
	const testWith = async (change) => {
		await emulator.reset();
		const { id, name, type, data } = credential;
		return await srv.rest('POST', '/credentials/test', { credentials: { id, name, type, data: { ...data, ...change } } });
	};
	/** What the emulator got: exactly one inquiry, answered with `status`. */
	const oneInquiry = async (status) => {
		const requests = await emulator.requests();
		const seen = requests.map((r) => `${r.method} ${r.path} ${r.status}`).join('; ');
		assert.equal(requests.length, 1, `emulator received ${requests.length} request(s), expected 1: ${seen}`);
		assert.equal(requests[0].status, status, seen);
		return requests[0];
	};

	await checks.check('credential Test (POST /rest/credentials/test), good keys: "Connection successful!", 1 read (001_006)', async () => {
		const result = await testWith({});
		assert.deepEqual(result, { status: 'OK', message: 'Connection successful!' });
		const request = await oneInquiry(400);
		assert.equal(request.path, INQUIRY_PATH);
		assert.equal(request.code, '001_006');
		assert.equal(request.rawBody, '{"userId":1}');
	});

	for (const [label, field] of [['wrong Secret Key', 'secretKey'], ['wrong Access Key', 'accessKey']]) {
		await checks.check(`credential Test, ${label}: fails (HTTP 401), sent once (a 401 is never resent)`, async () => {
			const result = await testWith({ [field]: other(credential.data[field]) });
			assert.deepEqual(result, { status: 'Error', message: GENERIC });
			await oneInquiry(401);
		});
	}

	await checks.check(`credential Test, wrong Base URL (HTTP 404): fails${byStatus ? ' naming the Base URL' : ''}, sent once`, async () => {
		const result = await testWith({ baseUrl: emulator.baseUrl.replace(/\/open-api$/, '/not-open-api') });
		assert.deepEqual(result, { status: 'Error', message: byStatus ? NOT_FOUND : GENERIC });
		await oneInquiry(404);
	});

	await checks.check('credential Test, a server answering HTTP 500: fails, sent once', async () => {
		const failing = await startFailingServer();
		try {
			const result = await testWith({ baseUrl: `http://127.0.0.1:${failing.address().port}/open-api` });
			assert.deepEqual(result, { status: 'Error', message: byStatus ? SERVER_ERROR : GENERIC });
			assert.deepEqual(failing.received, [`POST /open-api${INQUIRY_PATH}`]);
		} finally {
			await new Promise((resolve) => failing.close(resolve));
		}
	});

	await checks.check('transfer signed with a wrong Secret Key: refused (HTTP 401), 1 request, never resent, no money moved', async () => {
		const wrong = await srv.createCredential({
			name: 'Konaplate emulator (wrong secret)',
			type: credential.type,
			data: { ...credential.data, secretKey: other(credential.data.secretKey) },
		});
		const wf = JSON.parse(JSON.stringify(transfer));
		for (const node of wf.nodes) {
			if (node.credentials && node.credentials[credential.type]) node.credentials[credential.type] = { id: wrong.id, name: wrong.name };
		}
		wf.name = 'e2e: transfer with a wrong secret';
		const created = await srv.createWorkflow(wf);
		await emulator.reset();
		const e = await srv.runManually(created.id);
		assert.equal(e.status, 'error', `execution ${e.status}`);
		assert.equal(e.error.name, 'NodeApiError', JSON.stringify(e.error));
		assert.equal(String(e.error.httpCode), '401', JSON.stringify(e.error));
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
	});
}

module.exports = { credentialTestChecks, readsStatusExceptions };
