// npm run bench -- --queue: n8n in queue mode (Postgres, Redis, a main and 2 workers with
// concurrency 10: scripts/e2e/groups/queue/cluster.ts), the webhook payout workflow of
// webhook.ts, 100 calls at once; executions per second with a Reference against without, on the
// shared ledger (a table in the cluster's own Postgres database). The workflow ledger is not
// measured: on a worker it refuses a transfer with a Reference (LEDGER_WORKFLOW_IN_QUEUE).
import { rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

import { emulatorCredential, packPackage } from '../e2e/instance';
import type { Pack } from '../e2e/instance';
import { startEmulator } from '../e2e/emulator-process';
import type { Emulator } from '../e2e/emulator-process';
import { startQueueCluster } from '../e2e/groups/queue/cluster';
import type { QueueCluster } from '../e2e/groups/queue/cluster';
import { postgresUrl } from '../e2e/groups/queue/services';
import type { N8nClient } from '../e2e/n8n/client';
import { WEBHOOK_KEY, WEBHOOK_KEY_HEADER } from '../e2e/webhook-key';
import { arg, median, msSince, REPS, say } from './options';
import { inPairs } from './real-n8n';
import type { Pair } from './real-n8n';
import {
	HOOKS,
	payoutBody,
	payoutWorkflow,
	sharedLedgerCredential,
	spread,
	WITH,
	WITHOUT,
} from './webhook';
import type { Hook } from './webhook';

/** Webhook calls of a burst, all at once (--burst N). */
const BURST = arg('burst', 100);

/** The workflows' ids and paths end in it (webhook.ts's own are on the workflow ledger). */
const SHARED = 'Shared';
const PAIRS: Pair[] = [['shared ledger', WITH, WITHOUT]];

/** BURST calls at once; executions per second, from the first call to the last answer. */
async function burst(main: N8nClient, path: string): Promise<number> {
	const tag = randomUUID().slice(0, 8);
	const started = process.hrtime.bigint();
	const answers = await Promise.all(
		Array.from(
			{ length: BURST },
			async (_, n) =>
				await main.callWebhook('POST', path, payoutBody(`queue-${tag}-${n}`), {
					headers: WEBHOOK_KEY_HEADER,
				}),
		),
	);
	const seconds = msSince(started) / 1000;
	const failed = answers.filter((a) => a.status !== 200 || a.json.transferred !== true);
	if (failed.length > 0)
		throw new Error(
			`${path}: ${failed.length} of ${BURST} failed: ${failed[0].text.slice(0, 400)}`,
		);
	return BURST / seconds;
}

export async function queueTable(): Promise<void> {
	let pack: Pack | undefined;
	let emulator: Emulator | undefined;
	let cluster: QueueCluster | undefined;
	try {
		pack = packPackage();
		emulator = await startEmulator();
		const credential = emulatorCredential(emulator.baseUrl);
		const shared = (url: string) => sharedLedgerCredential(credential, url);
		// The workflows name the credential by its id and name; its URL is the cluster's Postgres
		const workflows = ([WITH, WITHOUT] as const).map((hook) =>
			payoutWorkflow(hook, shared(''), SHARED),
		);
		cluster = await startQueueCluster({
			packages: [pack.tarball],
			credentials: (postgres) => [shared(postgresUrl(postgres)), WEBHOOK_KEY],
			workflows,
		});
		for (const wf of workflows) {
			const hook = wf.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
			await cluster.main.activate(wf.id, { webhookPaths: [String(hook?.parameters.path)] });
		}
		const main = cluster.main;
		say(
			`queue mode: n8n main + ${cluster.workers.length} workers (concurrency ${cluster.workers[0].concurrency}), Postgres and Redis on 127.0.0.1; ${BURST} webhook calls at once a burst, ${REPS} pairs of bursts (+1 warm-up), alternating`,
		);
		const rates: Record<string, number[]> = {};
		const ratios: Record<string, number[]> = {};
		await inPairs(
			PAIRS,
			async (hook) => {
				await emulator!.reset();
				return await burst(main, `${HOOKS[hook as Hook]}${SHARED}`);
			},
			([name, timed, against], rate) => {
				(ratios[name] ??= []).push(rate[timed] / rate[against]);
				for (const l of [timed, against]) (rates[l] ??= []).push(rate[l]);
			},
		);
		say();
		say('| ledger | executions/s with References | without | ratio, median (spread) |');
		say('|---|---|---|---|');
		for (const [name, timed, against] of PAIRS)
			say(
				`| ${name} | ${median(rates[timed]).toFixed(1)} | ${median(rates[against]).toFixed(1)} | **${median(ratios[name]).toFixed(2)}** (${spread(ratios[name])}) |`,
			);
	} finally {
		await cluster?.stop();
		await emulator?.stop();
		if (pack) rmSync(pack.dir, { recursive: true, force: true });
	}
}
