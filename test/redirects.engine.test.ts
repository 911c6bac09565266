import { errorDetails } from '../nodes/Konaplate/errors';
import { ENDPOINT } from '../nodes/Konaplate/wire/endpoints';
import { CARDS, MEMBER } from '../emulator/data';
import { SECOND_HOST_ADDRESS } from '../emulator/second-host';
import { useKonaplate, WORKFLOWS } from './helpers/konaplate';
import { ledgerItem, ledgerWorkflow, useLedgerStore } from './helpers/ledger';

/*
 * Issue 29, item 1: no request to Konaplate follows a redirect. A 3xx answer to a transfer is an
 * unknown outcome (the reference stays marked); to a read or to Delete Bank Account, a refusal.
 * Each names the status and the Location's host, never the rest of the Location.
 */
const kona = useKonaplate();
useLedgerStore();

const selfHost = () => new URL(kona.emulator.baseUrl).host;

describe('a redirect answer is never followed', () => {
	it.each([301, 302, 303, 307, 308])(
		'a transfer answered %i: sent once, nothing followed, the outcome unknown and the reference kept marked',
		async (status) => {
			await kona.emulator.redirect(status, 'self', 1);
			const first = await kona.output(ledgerWorkflow(), [ledgerItem(`redirect-${status}`)]);
			expect(first.error?.message).toBe(
				`Konaplate's address answered with a redirect (HTTP ${status}, to ${selfHost()}), which the node never follows`,
			);
			expect(first.error?.description).toContain('The transfer may or may not have happened');
			expect(JSON.stringify(first.error)).not.toContain('redirect-secret');
			expect(errorDetails(first.error!)).toMatchObject({
				requestOutcome: 'unknown',
				httpCode: status,
			});
			// The request reached the emulator once; no resend and no GET to the Location
			expect(kona.emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
				`POST ${ENDPOINT.transfer}`,
			]);
			const again = await kona.output(ledgerWorkflow(), [ledgerItem(`redirect-${status}`)]);
			expect(again.error?.context).toMatchObject({
				refusal: 'LEDGER_OUTCOME_UNKNOWN',
				reference: `redirect-${status}`,
			});
			expect(kona.emulator.requests).toHaveLength(1);
		},
	);

	it('a 308 to another host: that host receives nothing, and the message names only its host', async () => {
		const second = await kona.emulator.secondHost();
		await kona.emulator.redirect(308, 'second-host', 1);
		const { error } = await kona.output(WORKFLOWS.transfer, [ledgerItem('unused')]);
		const host = new URL(second.origin).host;
		expect(host.startsWith(`${SECOND_HOST_ADDRESS}:`)).toBe(true);
		expect(error?.message).toContain(`(HTTP 308, to ${host})`);
		expect(errorDetails(error!).requestOutcome).toBe('unknown');
		expect(second.received).toEqual([]);
	});

	it.each([
		['Card → Get', WORKFLOWS.cardGet, { cardNo: CARDS.main }],
		['Card → Get Many', WORKFLOWS.cardGetMany, { userId: MEMBER }],
		['Bank Account → Get', WORKFLOWS.bankAccountGet, { userId: MEMBER }],
		['Bank Account → Delete', WORKFLOWS.delete, { userId: MEMBER }],
	])(
		'%s answered 307 to another host: a clear refusal, nothing sent on',
		async (_label, wf, item) => {
			const second = await kona.emulator.secondHost();
			await kona.emulator.redirect(307, 'second-host', 1);
			const { error } = await kona.output(wf, [item]);
			expect(error?.message).toBe(
				`Konaplate's address answered with a redirect (HTTP 307, to ${new URL(second.origin).host}), which the node never follows`,
			);
			expect(error?.description).toContain(
				'Nothing was sent on: the node never follows a redirect',
			);
			expect(errorDetails(error!).requestOutcome).toBe('refused');
			expect(second.received).toEqual([]);
			expect(kona.emulator.requests).toHaveLength(1);
		},
	);

	it('a redirect without a Location, or with a hostile one, names no more than a host', async () => {
		kona.emulator.script = () => ({ status: 302 });
		const bare = await kona.output(WORKFLOWS.cardGet, [{ cardNo: CARDS.main }]);
		expect(bare.error?.message).toContain('(HTTP 302, to no Location)');
		kona.emulator.script = () => ({
			status: 301,
			headers: { Location: 'https://4111111111111111.example/pay?card=4111111111111111' },
		});
		const hostile = await kona.output(WORKFLOWS.cardGet, [{ cardNo: CARDS.main }]);
		expect(hostile.error?.message).toContain('(HTTP 301, to ************1111.example)');
		expect(JSON.stringify(hostile.error)).not.toMatch(/4111111111111111|card=/);
	});
});
