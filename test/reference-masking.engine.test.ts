/**
 * Issue 29, item 2: a Reference is shown masked wherever it looks like a card number (13 digits
 * or more, however separated: wire/redact.ts, shownReference), in every output, error message,
 * description and error item of Transfer Balance and of Transfer Reference → Get, Resolve and Get
 * Many, to a person and to an agent; an ordinary Reference shows as it is. The ledger keeps the
 * real Reference: only what is shown is masked.
 */
import type { IDataObject } from 'n8n-workflow';

import { shownReference } from '../nodes/Konaplate/wire/redact';
import { KONAPLATE_TOOL_TYPE } from '../scripts/engine/engine';
import type { WorkflowFile } from '../scripts/engine/engine';
import { useFreshEnginePools } from './helpers/engine-pools';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import type { KonaplateOutput } from './helpers/konaplate';
import { ledgerItem, ledgerWorkflow, useLedgerStore } from './helpers/ledger';
import { useTestPostgres } from './helpers/postgres';

const kona = useKonaplate();
useLedgerStore();
const database = useTestPostgres();
useFreshEnginePools();

/** The emulator member's main card number, as a Reference: plain, with dashes, with spaces. */
const CARD_LIKE = ['9491339401250765', '9491-3394-0125-0765', '9491 3394 0125 0765'];
const ORDINARY = 'payout-2026-12-0001';
/** Its first 12 digits, however separated: what the mask hides. */
const HIDDEN = /9\D?4\D?9\D?1\D?3\D?3\D?9\D?4\D?0\D?1\D?2\D?5/;

const person = ledgerWorkflow({ onError: 'continueErrorOutput' });
const agent = ledgerWorkflow({ type: KONAPLATE_TOOL_TYPE });
const onErrorOutput = (workflow: WorkflowFile) =>
	withNode(workflow, { onError: 'continueErrorOutput' });
const getReference = onErrorOutput(WORKFLOWS.transferReferenceGet);
const resolve = onErrorOutput(WORKFLOWS.transferReferenceResolve);

/** Everything a run showed: its items on both outputs, and the error that stopped it. */
function shown({ success, errors, error }: KonaplateOutput): string {
	return JSON.stringify({
		items: [...success, ...errors].map(({ json }) => json),
		message: error?.message,
		description: error?.description,
	});
}
const errorOf = (out: KonaplateOutput) => out.errors[0]?.json.error as IDataObject;

describe.each(CARD_LIKE)('the card-like Reference %j', (reference) => {
	const masked = shownReference(reference);
	/** Runs a workflow; what it showed never holds the Reference whole. */
	async function run(workflow: WorkflowFile, items: IDataObject[], credential?: IDataObject) {
		const out = await kona.output(workflow, items, credential);
		const text = shown(out);
		expect(text).not.toMatch(HIDDEN);
		expect(text).toContain('0765');
		return out;
	}

	it('is masked, keeping its last 4 digits', () => {
		expect(masked).toBe('************0765');
	});

	it('Transfer Balance: the transfer, the re-run, a mismatch, a duplicate and a limit refusal show it masked', async () => {
		const sent = await run(person, [ledgerItem(reference)]);
		expect(sent.success[0].json).toMatchObject({ transferred: true, reference: masked });
		const again = await run(person, [ledgerItem(reference)]);
		expect(again.success[0].json).toMatchObject({ alreadyTransferred: true, reference: masked });
		const mismatch = await run(person, [ledgerItem(reference, { amount: 101 })]);
		expect(errorOf(mismatch)).toMatchObject({
			code: 'LEDGER_REFERENCE_MISMATCH',
			reference: masked,
			message: `Item 0 (Reference "${masked}") was not sent: this Reference names an earlier transfer with another amount.`,
		});
		const twice = await run(person, [ledgerItem(reference), ledgerItem(reference)]);
		expect(twice.errors.map(({ json }) => (json.error as IDataObject).code)).toEqual([
			'LEDGER_DUPLICATE_REFERENCE',
			'LEDGER_DUPLICATE_REFERENCE',
		]);
		const limited = await run(
			ledgerWorkflow({ onError: 'continueErrorOutput', options: { maxAmountPerTransfer: 50 } }),
			[ledgerItem(reference)],
		);
		expect(errorOf(limited)).toMatchObject({
			code: 'LIMIT_AMOUNT_PER_TRANSFER',
			reference: masked,
		});
		expect(kona.emulator.accepted('/api/v1/transfer/balance')).toHaveLength(1);
	});

	it('an unknown outcome, its re-run, an agent’s retries and a person’s Get and Resolve show it masked; the ledger keeps the real Reference', async () => {
		kona.emulator.script = () => ({ status: 500, body: '<html>down</html>' });
		const unknown = await run(person, [ledgerItem(reference)]);
		expect(errorOf(unknown).description).toContain(
			`Its Reference "${masked}" stays marked as outcome unknown`,
		);
		kona.emulator.reset();
		const rerun = await run(person, [ledgerItem(reference)]);
		expect(errorOf(rerun)).toMatchObject({ code: 'LEDGER_OUTCOME_UNKNOWN', reference: masked });
		const sameReference = await run(agent, [ledgerItem(reference)]);
		expect(sameReference.error?.message).toContain(`reference "${masked}"`);
		const noReference = await run(agent, [ledgerItem('')]);
		expect(noReference.error?.message).toContain(
			`Refused (LEDGER_SAME_TRANSFER_UNKNOWN), nothing was sent: an earlier transfer of the same member, cards and amount (reference "${masked}")`,
		);
		// The key is the real Reference's: the masked one names nothing
		const read = await run(getReference, [{ reference }, { reference: masked }]);
		expect(read.success.map(({ json }) => [json.reference, json.state])).toEqual([
			[masked, 'outcomeUnknown'],
			[masked, 'notSent'],
		]);
		const resolved = await run(resolve, [{ reference, decision: 'markNotTransferred' }]);
		expect(resolved.success[0].json).toMatchObject({ reference: masked, state: 'notSent' });
		expect(String(resolved.success[0].json.changed)).toContain(`Reference "${masked}"`);
		const notUnknown = await run(resolve, [{ reference, decision: 'markTransferred' }]);
		expect(errorOf(notUnknown)).toMatchObject({
			code: 'RESOLVE_NOT_UNKNOWN',
			reference: masked,
			message: expect.stringContaining(`Item 0 (Reference "${masked}") was not resolved`),
		});
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('Transfer Reference → Get Many on the shared ledger lists it masked', async () => {
		const shared = { ledger: 'postgres', ledgerPostgresUrl: database().url() };
		kona.emulator.script = () => ({ drop: true });
		await run(person, [ledgerItem(reference)], shared);
		kona.emulator.reset();
		const listed = await run(
			withNode(WORKFLOWS.transferReferenceGet, { parameters: { operation: 'getMany' } }),
			[{}],
			shared,
		);
		expect(listed.success.map(({ json }) => json.reference)).toEqual([masked]);
	});
});

describe('an ordinary Reference', () => {
	it('shows as it is in the transfer, Get, Resolve and Get Many, and in messages', async () => {
		const shared = { ledger: 'postgres', ledgerPostgresUrl: database().url() };
		kona.emulator.script = () => ({ drop: true });
		const unknown = await kona.output(person, [ledgerItem(ORDINARY)], shared);
		expect(errorOf(unknown).reference).toBe(ORDINARY);
		kona.emulator.reset();
		const rerun = await kona.output(person, [ledgerItem(ORDINARY)], shared);
		expect(errorOf(rerun).message).toMatch(
			/^Item 0 \(Reference "payout-2026-12-0001"\) was not sent/,
		);
		const listed = await kona.output(
			withNode(WORKFLOWS.transferReferenceGet, { parameters: { operation: 'getMany' } }),
			[{}],
			shared,
		);
		expect(listed.success[0].json.reference).toBe(ORDINARY);
		const read = await kona.output(getReference, [{ reference: ORDINARY }], shared);
		expect(read.success[0].json.reference).toBe(ORDINARY);
		const resolved = await kona.output(
			resolve,
			[{ reference: ORDINARY, decision: 'markNotTransferred' }],
			shared,
		);
		expect(resolved.success[0].json.reference).toBe(ORDINARY);
		const sent = await kona.output(person, [ledgerItem(ORDINARY)], shared);
		expect(sent.success[0].json).toMatchObject({ transferred: true, reference: ORDINARY });
	});
});
