import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';

import { MAIN_TO_SECOND } from '../emulator/data';

const kona = useKonaplate();
const TRANSFER_ITEM = {
	...MAIN_TO_SECOND,
	amount: 100,
};

async function transferOnce() {
	return await kona.output(WORKFLOWS.transfer, [TRANSFER_ITEM]);
}

describe('answers that are not a Konaplate result, and no answer at all', () => {
	it('refused keys (HTTP 401): a clear message, and the transfer is not resent', async () => {
		const { error } = await kona.output(WORKFLOWS.transfer, [TRANSFER_ITEM], {
			secretKey: 'a-different-secret-key',
		});
		expect(error?.message).toBe('Konaplate refused the credential (HTTP 401)');
		expect(error?.description).toContain('Check the ASP ID, Access Key and Secret Key');
		expect(error?.description).toContain('an HTML/XML page');
		expect(kona.emulator.requests).toHaveLength(1);
		expect(kona.emulator.requests[0].verdict).toBe('X-KM-Tran-Token does not match the body');
	});

	it('HTTP 403 with no body', async () => {
		kona.emulator.script = () => ({ status: 403 });
		const { error } = await transferOnce();
		expect(error?.message).toBe('Konaplate refused the credential (HTTP 403)');
		expect(error?.description).toContain('Received an empty body');
		expect(kona.emulator.requests).toHaveLength(1);
	});

	it('HTTP 502 from a proxy: a server error whose outcome is unknown, sent once', async () => {
		kona.emulator.script = () => ({
			status: 502,
			headers: { 'Content-Type': 'text/html' },
			body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
		});
		const { error } = await transferOnce();
		expect(error?.message).toBe('Konaplate had a server error (HTTP 502)');
		expect(error?.description).toContain(
			'The transfer may or may not have happened: check both card balances',
		);
		expect(error?.description).toContain('"502 Bad Gateway"');
		expect(kona.emulator.requests).toHaveLength(1);
	});

	it('a result code under HTTP 500 keeps the code and warns that the outcome is unknown', async () => {
		kona.emulator.script = () => ({
			status: 500,
			body: '{"response":{"code":"999_999","description":"Internal error"}}',
		});
		const { error } = await transferOnce();
		expect(error?.message).toBe('999_999: Internal error');
		expect(error?.description).toContain('The transfer may or may not have happened');
	});

	it('a success code under an HTTP error status is never reported as a success', async () => {
		kona.emulator.script = () => ({
			status: 503,
			body: '{"response":{"code":"000_000","description":"Success."},"amount":100}',
		});
		const { error, success } = await transferOnce();
		expect(success).toHaveLength(0);
		expect(error?.message).toBe(
			'Konaplate answered HTTP 503 with the success code 000_000: the outcome is unclear',
		);
	});

	it('a body that is not JSON under HTTP 200', async () => {
		kona.emulator.script = () => ({ status: 200, body: 'OK' });
		const { error } = await transferOnce();
		expect(error?.message).toBe("Konaplate's answer could not be read (HTTP 200)");
		expect(error?.description).toContain('a body that is not JSON (2 characters: "OK")');
	});

	it('a timeout: one request, the outcome is unknown, the correlation id is given', async () => {
		kona.emulator.script = () => ({ delayMs: 3000, status: 200, body: '{}' });
		const workflow = withNode(WORKFLOWS.transfer, { parameters: { options: { timeout: 1000 } } });
		const { error } = await kona.output(workflow, [TRANSFER_ITEM]);
		const sent = kona.emulator.requests[0].headers['x-km-correlation-id'];
		expect(error?.message).toBe('No answer from Konaplate within 1 s');
		expect(error?.description).toBe(
			`The transfer may or may not have happened: check both card balances before running this item again (Card > Get shows each card's balance), and quote the correlation id to Konaplate support. (item 0, correlation id ${sent})`,
		);
		expect(kona.emulator.requests).toHaveLength(1);
	});

	it('a connection dropped after sending: one request, outcome unknown', async () => {
		kona.emulator.script = () => ({ drop: true });
		const { error } = await transferOnce();
		expect(error?.message).toBe('The connection to Konaplate dropped before an answer arrived');
		expect(error?.description).toContain('The transfer may or may not have happened');
		expect(kona.emulator.requests).toHaveLength(1);
	});

	it('nothing listening at the base URL: the request was never sent', async () => {
		const { error } = await kona.output(WORKFLOWS.transfer, [TRANSFER_ITEM], {
			baseUrl: 'http://127.0.0.1:9/open-api',
		});
		expect(error?.message).toBe('Could not connect to Konaplate (econnrefused)');
		expect(error?.description).toContain(
			'The request did not reach Konaplate; nothing was processed.',
		);
	});

	it('a wrong base URL path (HTTP 404)', async () => {
		const base = kona.emulator.baseUrl.replace('/open-api', '/wrong');
		const { error } = await kona.output(WORKFLOWS.transfer, [TRANSFER_ITEM], { baseUrl: base });
		expect(error?.message).toBe('No Konaplate endpoint answered at this address (HTTP 404)');
	});

	it('a malformed credential stops the node before any request', async () => {
		const { error } = await kona.output(WORKFLOWS.transfer, [TRANSFER_ITEM], {
			aspId: '90000000000000 ',
		});
		expect(error?.message).toBe(
			'Konaplate credential: ASP ID contains a space or line break: paste it again without spaces before or after it',
		);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('UTC time zone: signed and accepted', async () => {
		const { success } = await kona.output(WORKFLOWS.transfer, [TRANSFER_ITEM], { timeZone: 'UTC' });
		expect(success).toHaveLength(1);
		expect(kona.emulator.requests[0].headers['x-km-time-zone']).toBe('UTC');
	});

	it('an unknown resource or operation (such as "Custom API Call") is refused clearly', async () => {
		const workflow = withNode(WORKFLOWS.transfer, {
			parameters: { resource: 'card', operation: '__CUSTOM_API_CALL__' },
		});
		const { error } = await kona.output(workflow, [TRANSFER_ITEM]);
		expect(error?.message).toBe(
			'The Konaplate node has no operation "__CUSTOM_API_CALL__" for resource "card"',
		);
		expect(error?.description).toContain(
			'use the HTTP Request node with the Konaplate API credential',
		);
		expect(kona.emulator.requests).toHaveLength(0);
	});
});
