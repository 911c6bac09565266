/**
 * Transaction → Get Many and Transfer Reference → Get / Resolve in a real n8n: the example that
 * reads the evidence of an unknown outcome, and the sequence of issue 19's item 3 (a timed-out
 * transfer, Resolve, the re-run), with n8n's own ledger store.
 */
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { maskCardNo } from '../../../../nodes/Konaplate/wire/redact';
import { CARDS, MEMBER } from '../../../../emulator/data';
import { assert } from '../../checks';
import type { Emulator } from '../../emulator-process';
import type { E2eGroup, GroupContext } from '../../group';
import type { OutputItem } from '../../n8n/run-data';
import { EXAMPLE, evidenceWorkflow, referencesWorkflow, WEBHOOK_PATH } from './workflows';

const transfersSent = async (emulator: Emulator) =>
	(await emulator.requests()).filter(
		(r) => r.path === ENDPOINT.transfer && r.verdict === 'accepted',
	).length;

/** What the emulator received since its last reset, card numbers masked: the sequence's evidence. */
const received = async (emulator: Emulator) =>
	JSON.stringify(
		(await emulator.requests()).map(({ method, path, verdict, code, status, body }) => ({
			request: `${method} ${path}`,
			body,
			verdict,
			answered: code ?? status,
		})),
	)
		// The emulator keeps each number's literal text ({"literal":"700"}): as it was on the wire
		.replace(/\{"literal":"(-?\d+(?:\.\d+)?)"\}/g, '$1')
		.replace(/\d{16}/g, maskCardNo);

/** A transfer the node gives up on after 1 s; the emulator performs it all the same. */
const TIMED_OUT = {
	delayMs: 2500,
	status: 200,
	body: '{"response":{"code":"000_000"},"amount":700}',
};

async function runHistoryChecks({ checks, srv, emulator, examples, outputs, notes }: GroupContext) {
	const keep = (label: string, item: OutputItem) => {
		assert.doesNotMatch(
			JSON.stringify(item),
			/\d{16}/,
			`a full card number in ${JSON.stringify(item)}`,
		);
		outputs.push(item);
		notes.push(`history: ${label}: ${JSON.stringify(item)}`);
		return item;
	};

	await checks.check(
		'history: payout-outcome-unknown: a timed-out payout -> its ledger state and the matching Transfer row, for a person',
		async () => {
			const wf = evidenceWorkflow(examples[EXAMPLE]);
			await emulator.reset();
			await emulator.script([TIMED_OUT]);
			const e = await srv.runManually(wf.id);
			assert.equal(e.status, 'success', JSON.stringify(e.error));
			// Newest first: the second payout's row, then the timed-out first one's
			const rows = e.nodes['Transfers that day'].outputs[0];
			assert.deepEqual(
				rows.map((item) => [item.trType, item.trAmount]),
				[
					['03', 2500],
					['03', 1000],
				],
			);
			const row = keep('one transaction item', rows[1]);
			assert.match(String(row.approvalDateTime), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
			const [evidence] = e.nodes.Evidence.outputs[0];
			keep('evidence', evidence);
			assert.equal(evidence.reference, 'payout-2026-12-0001');
			assert.equal(evidence.state, 'outcomeUnknown');
			assert.equal((evidence.matchingTransfers as unknown[]).length, 1);
			assert.equal(await transfersSent(emulator), 2);
		},
	);

	await srv.activate(referencesWorkflow().id, { webhookPaths: [WEBHOOK_PATH] });
	const call = async (body: Record<string, unknown>, status = 200) => {
		const answer = await srv.callWebhook('POST', WEBHOOK_PATH, {
			userId: MEMBER,
			fromCardNo: CARDS.main,
			toCardNo: CARDS.second,
			amount: 700,
			...body,
		});
		assert.equal(answer.status, status, answer.text);
		return keep(
			`${String(body.step)} ${String(body.reference)}${body.decision ? ` ${String(body.decision)}` : ''}`,
			answer.json,
		);
	};
	const stateOf = async (reference: string) => (await call({ step: 'get', reference })).state;

	for (const [decision, rerun, sent] of [
		['markTransferred', 'alreadyTransferred', 0],
		['markNotTransferred', 'transferred', 1],
	] as const) {
		const reference = `e2e-resolve-${decision}`;
		await checks.check(
			`history: a timed-out transfer, Resolve -> ${decision}, then the re-run is ${rerun} with ${sent} request(s)`,
			async () => {
				await emulator.reset();
				assert.equal(await stateOf(reference), 'notSent');
				await emulator.script([TIMED_OUT]);
				const timedOut = await call({ step: 'pay', reference }, 422);
				assert.equal(timedOut.outcome, 'unknown');
				assert.equal(await transfersSent(emulator), 1);
				assert.equal(await stateOf(reference), 'outcomeUnknown');
				const refused = await call({ step: 'pay', reference }, 422);
				assert.equal(refused.code, 'LEDGER_OUTCOME_UNKNOWN');
				notes.push(`history: ${reference}: the emulator received ${await received(emulator)}`);
				await emulator.reset();
				const resolved = await call({ step: 'resolve', reference, decision });
				assert.equal(resolved.stateBefore, 'outcomeUnknown');
				assert.equal(await transfersSent(emulator), 0);
				assert.equal(await stateOf(reference), resolved.state);
				const again = await call({ step: 'pay', reference });
				assert.equal(again[rerun], true);
				assert.equal(await transfersSent(emulator), sent);
				assert.equal(await stateOf(reference), 'transferred');
				const refusedResolve = await call({ step: 'resolve', reference, decision }, 422);
				assert.equal(refusedResolve.code, 'RESOLVE_NOT_UNKNOWN');
				notes.push(
					`history: ${reference}: after Resolve, the emulator received ${await received(emulator)}`,
				);
			},
		);
	}
}

export const group: E2eGroup = {
	name: 'history',
	workflows: ({ examples }) => [evidenceWorkflow(examples[EXAMPLE]), referencesWorkflow()],
	run: runHistoryChecks,
};
