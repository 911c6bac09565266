import { errorDetails } from '../nodes/Konaplate/errors';
import { CARDS, MAIN_TO_SECOND } from '../emulator/data';
import { useKonaplate, WORKFLOWS } from './helpers/konaplate';
import { ledgerItem, ledgerWorkflow, useLedgerStore } from './helpers/ledger';

/*
 * Issue 29, item 2, through n8n's engine: the answer's correlation id header and its result code
 * are text from outside; a card number in either never comes out whole.
 */
const kona = useKonaplate();
useLedgerStore();
const CARD = '4111111111111111';
const noCard = (value: unknown) => expect(JSON.stringify(value)).not.toContain('11111111');

describe('the answer as hostile text', () => {
	it('a correlation id that is not of Konaplate form is dropped: the output shows the one sent', async () => {
		const original = kona.emulator.script;
		kona.emulator.script = () => ({
			status: 200,
			headers: { 'X-KM-Correlation-Id': CARD, 'Content-Type': 'application/json' },
			body: `{"response":{"code":"000_000"},"balance":1,"cardStatus":"ACTIVE","userId":1}`,
		});
		const { success } = await kona.output(WORKFLOWS.cardGet, [{ cardNo: CARDS.main }]);
		kona.emulator.script = original;
		expect(success[0].json.correlationId).toBe(
			kona.emulator.requests[0].headers['x-km-correlation-id'],
		);
		noCard(success);
	});

	it('the same on an error: its description and details name the sent id', async () => {
		kona.emulator.script = () => ({
			status: 400,
			headers: { 'X-KM-Correlation-Id': `260101000000-abcdef0 ${CARD}` },
			body: '{"response":{"code":"017_001","description":"Balance is over the max."}}',
		});
		const { error } = await kona.output(WORKFLOWS.transfer, [{ ...MAIN_TO_SECOND, amount: 1 }]);
		const sent = kona.emulator.requests[0].headers['x-km-correlation-id'];
		expect(error?.description).toContain(`correlation id ${sent}`);
		expect(errorDetails(error!).correlationId).toBe(sent);
		noCard(error);
	});

	it.each([
		['a card number', CARD],
		['a card number as a JSON number', Number(CARD)],
		['a code with four digits', '0017_001'],
	])(
		'a result code that is %s: unreadable, masked, and to a transfer an unknown outcome that keeps its reference',
		async (_label, code) => {
			kona.emulator.script = () => ({
				status: 400,
				body: JSON.stringify({ response: { code, description: `no ${CARD}` } }),
			});
			const { error } = await kona.output(ledgerWorkflow(), [ledgerItem('hostile-code')]);
			expect(error?.message).toBe("Konaplate's answer could not be read (HTTP 400)");
			expect(errorDetails(error!)).toMatchObject({ requestOutcome: 'unknown' });
			expect(errorDetails(error!).konaplateCode).toBeUndefined();
			noCard(error);
			kona.emulator.script = undefined;
			const again = await kona.output(ledgerWorkflow(), [ledgerItem('hostile-code')]);
			expect(again.error?.context).toMatchObject({ refusal: 'LEDGER_OUTCOME_UNKNOWN' });
		},
	);

	it('a card-list label shown to the editor: serviceName is checked too', async () => {
		kona.emulator.script = () => ({
			status: 200,
			body: `{"response":{"code":"000_000"},"cardDataInfo":[{"par":"Q1J4AWSWD4DX6Q1DTO0MB21XDAV","serviceName":"gift ${CARD}","mobileCardNo":"${CARDS.main}","balance":1}]}`,
		});
		const { success } = await kona.output(WORKFLOWS.cardGetMany, [{ userId: '1' }]);
		expect(success[0].json.serviceName).toBe('gift ************1111');
		expect(success[0].json.par).toBe('Q1J4AWSWD4DX6Q1DTO0MB21XDAV');
	});
});
