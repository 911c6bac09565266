/**
 * The transfer ledger in a real n8n, with n8n's own database (SQLite in the user folder): the
 * checks of `npm run test:e2e` for references, with their workflows (workflows.ts). The last check
 * restarts n8n and returns the new server.
 */
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { maskCardNo } from '../../../../nodes/Konaplate/wire/redact';
import { CARDS, MEMBER } from '../../../../emulator/data';
import { assert } from '../../checks';
import type { Emulator, ReceivedRequest } from '../../emulator-process';
import { failedWith, INITIAL } from '../../expect';
import type { E2eGroup, GroupContext } from '../../group';
import {
	EXAMPLE,
	ledgerWorkflows,
	PAY_OUT,
	REFUSAL_PATH,
	WEBHOOK_PATH,
	workflowsByUse,
} from './workflows';
import type { ExecutionSummary, NodeSummary, OutputItem } from '../../n8n/run-data';
import type { N8nServer } from '../../n8n/server';
import { WEBHOOK_KEY_HEADER } from '../../webhook-key';

async function requestsTo(
	emulator: Emulator,
	path: string = ENDPOINT.transfer,
): Promise<ReceivedRequest[]> {
	return (await emulator.requests()).filter((r) => r.path === path && r.verdict === 'accepted');
}

const amountsSent = (requests: ReceivedRequest[]): unknown[] =>
	requests.map((r) => (JSON.parse(r.rawBody) as { amount: unknown }).amount);

/** Runs the ledger checks on a started n8n; returns the server to use afterwards (restarted). */
async function runLedgerChecks({
	checks,
	home,
	srv,
	emulator,
	examples,
	outputs,
}: GroupContext): Promise<N8nServer | undefined> {
	const wf = workflowsByUse(examples);
	const example = examples[EXAMPLE];
	const payOut = (execution: ExecutionSummary): NodeSummary => execution.nodes[PAY_OUT];
	/** Outputs go to the closing check for secrets; a full card number is caught here, where it is named. */
	const keep = (...items: OutputItem[]) => {
		for (const item of items)
			assert.doesNotMatch(
				JSON.stringify(item),
				/\d{16}/,
				`a full card number in ${JSON.stringify(item)}`,
			);
		outputs.push(...items);
	};

	/** The payout example's references, one per item of its list. */
	const PAYOUTS = ['payout-2026-11-0001', 'payout-2026-11-0002', 'payout-2026-11-0003'];
	/** Runs the payout example once against a fresh emulator log; its Konaplate output items. */
	const runPayout = async () => {
		await emulator.reset();
		const e = await srv.runManually(example.id);
		assert.equal(e.status, 'success', JSON.stringify(e.error));
		const items = payOut(e).outputs[0];
		keep(...items);
		return items;
	};

	await checks.check(
		'ledger: payout-list-with-references sends 3 transfers, each output with its reference',
		async () => {
			const items = await runPayout();
			assert.deepEqual(
				items.map((i) => [i.transferred, i.reference]),
				PAYOUTS.map((reference) => [true, reference]),
			);
			assert.deepEqual(amountsSent(await requestsTo(emulator)), [1000, 2500, 4000]);
		},
	);

	await checks.check(
		'ledger: the second run sends nothing; 3 items alreadyTransferred with masked cards',
		async () => {
			const items = await runPayout();
			assert.deepEqual(
				items.map((i) => [i.alreadyTransferred, i.reference, i.fromCardNo]),
				PAYOUTS.map((reference) => [true, reference, maskCardNo(CARDS.main)]),
			);
			assert.equal((await emulator.requests()).length, 0, 'a request reached the emulator');
		},
	);

	await checks.check(
		'ledger: a timed-out transfer, then the re-run is refused as outcome unknown with nothing sent',
		async () => {
			await emulator.reset();
			await emulator.script([
				{ delayMs: 2500, status: 200, body: '{"response":{"code":"000_000"},"amount":100}' },
			]);
			const first = await srv.runManually(wf.timeout.id);
			assert.equal(first.status, 'error');
			assert.equal(first.error?.message, 'No answer from Konaplate within 1 s');
			assert.match(
				first.error?.description ?? '',
				/Its Reference "e2e-timeout-1" stays marked as outcome unknown/,
			);
			assert.equal((await requestsTo(emulator)).length, 1);
			await emulator.reset();
			const second = failedWith(await srv.runManually(wf.timeout.id), 'NodeOperationError');
			assert.match(
				second.message,
				/^Item 0 \(Reference "e2e-timeout-1"\) was not sent: an earlier transfer with this Reference may or may not have gone through/,
			);
			assert.equal((await emulator.requests()).length, 0, 'the re-run sent a request');
		},
	);

	await checks.check(
		'ledger: a refused transfer (005_017, error output, outcome "refused"), then the re-run sends it again',
		async () => {
			await emulator.reset();
			for (let run = 1; run <= 2; run++) {
				const e = await srv.runManually(wf.refused.id);
				assert.equal(e.status, 'success', JSON.stringify(e.error));
				const [failed] = payOut(e).outputs[1];
				// n8n's error output also carries the input item's own fields (this list's card numbers): keep what the node added.
				keep({ error: failed.error } as OutputItem);
				assert.equal(failed.error.code, '005_017');
				assert.equal(failed.error.reference, 'e2e-refused-1');
				assert.equal(failed.error.outcome, 'refused');
				assert.equal((await requestsTo(emulator)).length, run, `run ${run}: requests`);
			}
		},
	);

	await checks.check(
		'ledger: two webhook calls at once with one reference -> exactly one transfer; the other refused; a third says alreadyTransferred; a fourth with another amount is refused as a mismatch',
		async () => {
			await emulator.reset();
			await srv.activate(wf.webhook.id, { webhookPaths: [WEBHOOK_PATH] });
			await emulator.script([], { latencyMs: 800 });
			const body = {
				userId: MEMBER,
				fromCardNo: CARDS.main,
				toCardNo: CARDS.second,
				amount: 1300,
				reference: 'e2e-double-click',
			};
			const call = () =>
				srv.callWebhook('POST', WEBHOOK_PATH, body, { headers: WEBHOOK_KEY_HEADER });
			const answers = await Promise.all([call(), call()]);
			const statuses = answers.map((a) => a.status).sort();
			// the call that finds the reference in flight cannot know its outcome: 409, never the 422
			// of "nothing sent", which a caller could answer by resending under a new reference
			assert.deepEqual(statuses, [200, 409], answers.map((a) => a.text).join(' | '));
			const ok = answers.find((a) => a.status === 200)!.json;
			const refused = answers.find((a) => a.status === 409)!.json;
			keep(ok, refused);
			assert.equal(ok.transferred, true);
			assert.equal(ok.reference, 'e2e-double-click');
			assert.equal(refused.code, 'LEDGER_OUTCOME_UNKNOWN');
			assert.equal(refused.outcome, 'unknown');
			assert.equal((await requestsTo(emulator)).length, 1, 'transfers that reached the emulator');
			const third = await call();
			assert.equal(third.status, 200, third.text);
			assert.equal(third.json.alreadyTransferred, true);
			assert.equal((await requestsTo(emulator)).length, 1);
			const other = await srv.callWebhook(
				'POST',
				WEBHOOK_PATH,
				{ ...body, amount: 1301 },
				{ headers: WEBHOOK_KEY_HEADER },
			);
			keep(other.json);
			assert.equal(other.status, 422, other.text);
			assert.equal(other.json.code, 'LEDGER_REFERENCE_MISMATCH');
			assert.doesNotMatch(other.text, /1301|\d{16}/);
			assert.equal((await requestsTo(emulator)).length, 1);
			const { cards } = await emulator.state();
			assert.equal(
				cards[CARDS.main],
				INITIAL[CARDS.main] - 1300,
				'balance of the card transferred from',
			);
		},
	);

	await checks.check(
		'ledger: a refusal of the whole run under Continue (a limit resolving to nothing) answers the webhook with its error branch; nothing sent',
		async () => {
			await emulator.reset();
			await srv.activate(wf.refusal.id, { webhookPaths: [REFUSAL_PATH] });
			const body = { amount: 700, reference: 'e2e-refusal-1' };
			const refused = await srv.callWebhook('POST', REFUSAL_PATH, body);
			assert.equal(refused.status, 422, refused.text);
			keep(refused.json);
			assert.equal(refused.json.code, 'INVALID_OPTION');
			assert.equal((await emulator.requests()).length, 0, 'a request reached the emulator');
			const sent = await srv.callWebhook('POST', REFUSAL_PATH, { ...body, limit: 5000 });
			assert.equal(sent.status, 200, sent.text);
			assert.equal(sent.json.transferred, true);
			assert.deepEqual(amountsSent(await requestsTo(emulator)), [700]);
		},
	);

	await checks.check(
		'ledger: Retry On Fail resends neither the completed item nor the unsent one; only the refused item is tried again',
		async () => {
			await emulator.reset();
			const e = await srv.runManually(wf.retry.id);
			assert.equal(e.status, 'error');
			assert.equal(e.error?.message, '005_017: Possible collection balance is zero.');
			// 3 tries: item 0 once; item 1 (refused each time) three times; item 2 never (the run stops at item 1).
			assert.deepEqual(amountsSent(await requestsTo(emulator)), [1, 2, 2, 2]);
		},
	);

	return await checks.check(
		'ledger: n8n restarted on the same database -> the payout example still sends nothing',
		async () => {
			await srv.stop();
			const restarted = await home.start();
			// The closing checks read the whole server log for keys: keep the first server's too.
			restarted.log = srv.log + restarted.log;
			await restarted.login();
			await emulator.reset();
			const e = await restarted.runManually(example.id);
			assert.equal(e.status, 'success', JSON.stringify(e.error));
			assert.deepEqual(
				payOut(e).outputs[0].map((i) => i.alreadyTransferred),
				[true, true, true],
			);
			assert.equal((await emulator.requests()).length, 0);
			return restarted;
		},
	);
}

export const group: E2eGroup = {
	name: 'ledger',
	workflows: ({ examples }) => ledgerWorkflows(examples),
	run: runLedgerChecks,
};
