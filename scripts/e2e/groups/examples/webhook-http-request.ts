/**
 * The ways in other than a manual run: the webhook example called over HTTP, and n8n's HTTP
 * Request node signing with the Konaplate credential.
 */
import { CARDS, MEMBER } from '../../../../emulator/data';
import { CORRELATION_ID_PATTERN as CORRELATION_ID } from '../../../../nodes/Konaplate/wire/clock';
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { assert } from '../../checks';
import type { GroupContext } from '../../group';
import { assertSucceeded, balancesAre, emulatorReceived, transferBody } from '../../expect';
import type { Transfer } from '../../expect';
import { CREDENTIAL_TYPE } from '../../instance';
import { assertTransferOutput } from './outputs';
import { httpRequestE2e } from './workflows';
import { assertAuthenticatedWebhooks, WEBHOOK_KEY, WEBHOOK_KEY_HEADER } from '../../webhook-key';

const WEBHOOK_PATH = 'konaplate-transfer';

export async function webhookAndHttpRequestChecks(context: GroupContext): Promise<void> {
	const { checks, srv, emulator, credential, ex, runExample, outputs } = context;
	/** The webhook example's input as a shop POSTs it: the member id a string (sent on as a number). */
	const callTransfer = (
		{ from, to, amount }: Transfer,
		reference: string,
		headers: Record<string, string> = WEBHOOK_KEY_HEADER,
	) =>
		srv.callWebhook(
			'POST',
			WEBHOOK_PATH,
			{ userId: MEMBER, fromCardNo: from, toCardNo: to, amount, reference },
			{ headers },
		);
	await checks.check(
		'webhook-transfer: without the Header Auth key -> 403, nothing sent; with it -> 200, one transfer; again -> alreadyTransferred; refused -> 422 with the code',
		async () => {
			const wf = ex('webhook-transfer.json');
			assertAuthenticatedWebhooks(wf);
			await emulator.reset();
			await srv.activate(wf.id, { webhookPaths: [WEBHOOK_PATH] });
			const sent = { from: CARDS.main, to: CARDS.second, amount: 1200 };
			for (const headers of [{}, { [WEBHOOK_KEY.data.name]: 'not-the-key' }]) {
				const stranger = await callTransfer(sent, 'e2e-webhook-stranger', headers);
				assert.ok([401, 403].includes(stranger.status), `${stranger.status} ${stranger.text}`);
			}
			assert.equal((await emulator.requests()).length, 0, 'requests the strangers caused');
			const ok = await callTransfer(sent, 'e2e-webhook-1');
			assert.equal(ok.status, 200, ok.text);
			outputs.push(ok.json);
			assertTransferOutput(ok.json, { ...sent, entire: false, reference: 'e2e-webhook-1' });
			const again = await callTransfer(sent, 'e2e-webhook-1');
			assert.equal(again.status, 200, again.text);
			assert.equal(again.json.alreadyTransferred, true, again.text);
			const refused = await callTransfer(
				{ from: CARDS.empty, to: CARDS.main, amount: 100 },
				'e2e-webhook-2',
			);
			assert.equal(refused.status, 422, refused.text);
			outputs.push(refused.json);
			assert.equal(refused.json.code, '005_017');
			assert.equal(refused.json.error, '005_017: Possible collection balance is zero.');
			assert.match(refused.json.correlationId, CORRELATION_ID);
			const tooMuch = await callTransfer({ ...sent, amount: 500_000 }, 'e2e-webhook-3');
			assert.equal(tooMuch.status, 422, tooMuch.text);
			assert.equal(tooMuch.json.code, 'LIMIT_AMOUNT_PER_TRANSFER');
			await emulatorReceived(emulator, credential, [
				{
					path: ENDPOINT.transfer,
					code: '000_000',
					correlationId: ok.json.correlationId,
					body: transferBody(sent),
				},
				{ path: ENDPOINT.transfer, code: '005_017', correlationId: refused.json.correlationId },
			]);
			await balancesAre(emulator, { [CARDS.main]: 48800, [CARDS.second]: 11200 });
		},
	);

	await checks.check(
		`n8n's HTTP Request node, Predefined Credential Type ${CREDENTIAL_TYPE}: JSON and raw bodies signed, accepted`,
		async () => {
			const wf = httpRequestE2e(emulator.baseUrl, credential);
			const e = await runExample(wf);
			assertSucceeded(e);
			const [inquiry] = e.nodes['Inquiry (JSON body)'].items;
			assert.equal(inquiry.response.code, '000_000', JSON.stringify(inquiry));
			assert.equal(String(inquiry.userId), MEMBER);
			const [transfer] = e.nodes['Transfer (raw body)'].items;
			assert.equal(transfer.response.code, '000_000', JSON.stringify(transfer));
			await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.accountInquiry, code: '000_000', body: { userId: Number(MEMBER) } },
				{
					path: ENDPOINT.transfer,
					code: '000_000',
					body: transferBody({ from: CARDS.main, to: CARDS.second, amount: 700 }),
				},
			]);
			await balancesAre(emulator, { [CARDS.main]: 49300, [CARDS.second]: 10700 });
		},
	);
}
