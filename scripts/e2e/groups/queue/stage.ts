/**
 * The queue-mode stage of `npm run test:e2e`: the packed package in n8n's queue mode (Postgres,
 * Redis, main + 2 workers with concurrency 10), bursts of double-submitted webhook calls with
 * references on the shared ledger (its table in the cluster's own Postgres), then a re-run of
 * every reference. Passes when no reference moved money twice, every transferable reference
 * moved once, and the re-run finds every entry where it belongs; and when a worker refuses the
 * workflow ledger, for a transfer with a Reference and for Transfer Reference → Get.
 *
 * In npm run test:e2e as the group `queue` (./index.ts), with the run's tarball and emulator.
 * On its own (after npm run build:dev), with its own: node .build/scripts/e2e/groups/queue/stage.js
 * [--rounds N] [--references N] [--measure] (--measure prints the figures and does not fail on them).
 */
import { rmSync } from 'node:fs';

import { assert, Checks, FatalCheck } from '../../checks';
import { startEmulator } from '../../emulator-process';
import type { Emulator } from '../../emulator-process';
import { emulatorCredential, packPackage, readExamples, stopOnInterrupt } from '../../instance';
import type { Pack } from '../../instance';
import { BURST_WORKFLOW_ID, burstWorkflow, FIRST_TAG, QUEUE_WEBHOOK_PATH, runBurst } from './burst';
import type { BurstFigures } from './burst';
import { startQueueCluster } from './cluster';
import {
	GUARD_TRANSFER_ID,
	GUARD_TRANSFER_PATH,
	GUARD_WEBHOOK_PATH,
	GUARD_WORKFLOW_ID,
	guardedLookup,
	guardedTransfer,
	guardTransferWorkflow,
	guardWorkflow,
} from './guard';
import { postgresUrl } from './services';
import { SHARED_CREDENTIAL, sharedCredential } from '../shared-ledger/workflows';
import { WEBHOOK_KEY } from '../../webhook-key';
import type { QueueCluster } from './cluster';

export interface QueueStageOptions {
	/** the packed package and the emulator to use (else the stage packs and starts its own) */
	tarball?: string;
	emulator?: Emulator;
	rounds?: number;
	references?: number;
	/** print the figures, do not fail on them (the package before the lock) */
	measure?: boolean;
}

export function formatFigures(f: BurstFigures): string {
	const answers = Object.entries(f.answers)
		.map(([k, n]) => `${k} ${n}`)
		.join(', ');
	return `${f.references} references x2 (${f.calls} calls at once): ${f.doubleTransfers} sent twice, ${f.neverSent} never sent, ${f.lostEntries} lost entries; burst ${(f.burstMs / 1000).toFixed(1)} s, re-run ${(f.rerunMs / 1000).toFixed(1)} s; answers: ${answers}`;
}

let running: (() => Promise<void>) | undefined;

/** Stops what the stage started (n8n, Postgres, Redis, the emulator): for an interrupt. */
export async function stopQueueStage(): Promise<void> {
	await running?.();
}

/** Runs the stage's checks; adds its figures to lines (the summary's). */
export async function runQueueStage(
	checks: Checks,
	lines: string[],
	{
		tarball,
		emulator: given,
		rounds = 2,
		references = 40,
		measure = false,
	}: QueueStageOptions = {},
): Promise<void> {
	let pack: Pack | undefined;
	let ownEmulator: Emulator | undefined;
	let cluster: QueueCluster | undefined;
	running = async () => {
		running = undefined;
		await cluster?.stop();
		await ownEmulator?.stop();
		if (pack) rmSync(pack.dir, { recursive: true, force: true });
	};
	let emulator = given;
	try {
		await checks.must(
			'queue mode: Postgres, Redis, n8n main + 2 workers (concurrency 10) with the packed package',
			async () => {
				if (!tarball) pack = packPackage();
				if (!emulator) emulator = ownEmulator = await startEmulator();
				const { baseUrl } = emulator;
				const example = readExamples()['webhook-transfer.json'];
				const started = (cluster = await startQueueCluster({
					packages: [tarball ?? pack!.tarball],
					// The shared ledger's table in queue mode's own Postgres, n8n's database
					credentials: (postgres) => [
						emulatorCredential(baseUrl),
						sharedCredential(baseUrl, postgresUrl(postgres)),
						WEBHOOK_KEY,
					],
					workflows: [
						burstWorkflow(example, SHARED_CREDENTIAL),
						guardWorkflow(),
						guardTransferWorkflow(example),
					],
				}));
				const errors = [started.main, ...started.workers].flatMap((p) => p.packageLoadErrors);
				assert.deepEqual(errors, [], 'package load errors');
				await started.main.activate(BURST_WORKFLOW_ID, { webhookPaths: [QUEUE_WEBHOOK_PATH] });
				await started.main.activate(GUARD_WORKFLOW_ID, { webhookPaths: [GUARD_WEBHOOK_PATH] });
				await started.main.activate(GUARD_TRANSFER_ID, { webhookPaths: [GUARD_TRANSFER_PATH] });
				lines.push(
					`queue mode: ${Object.entries(started.timings)
						.map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
						.join(', ')}`,
				);
			},
		);
		for (let round = 1; round <= rounds; round++) {
			await checks.check(
				`queue mode: burst ${round} on the shared ledger (in n8n's Postgres): ${references} references each submitted twice at once -> each sent once, none lost`,
				async () => {
					const figures = await runBurst(cluster!.main, emulator!, {
						tag: round === 1 ? FIRST_TAG : `r${round}`,
						references,
					});
					lines.push(`queue burst ${round}: ${formatFigures(figures)}`);
					lines.push(...figures.findings.map((finding) => `  ${finding}`));
					if (measure) return;
					assert.equal(figures.doubleTransfers, 0, 'references sent twice');
					assert.equal(figures.neverSent, 0, 'references never sent');
					assert.equal(figures.lostEntries, 0, 'lost ledger entries');
				},
			);
		}
		await checks.check(
			'queue mode: Transfer Reference → Get on the workflow ledger, run by a worker -> refused (LEDGER_WORKFLOW_IN_QUEUE), naming the shared ledger',
			async () => {
				const { code, message } = await guardedLookup(cluster!.main);
				assert.equal(code, 'LEDGER_WORKFLOW_IN_QUEUE');
				assert.match(String(message), /queue-mode worker/);
			},
		);
		await checks.check(
			'queue mode: the webhook example, a transfer with a Reference on the workflow ledger, run by a worker -> refused (LEDGER_WORKFLOW_IN_QUEUE), no transfer reached Konaplate',
			async () => {
				const { status, code, message, transfers } = await guardedTransfer(
					cluster!.main,
					emulator!,
				);
				lines.push(`queue mode, guard: HTTP ${status} ${String(code)}: ${String(message)}`);
				assert.equal(status, 422);
				assert.equal(code, 'LEDGER_WORKFLOW_IN_QUEUE');
				assert.match(String(message), /queue-mode worker/);
				assert.equal(transfers, 0, 'transfers that reached Konaplate');
			},
		);
		await checks.check('queue mode: no keys in the logs of the main and the workers', () => {
			const { secretKey, accessKey } = emulatorCredential(emulator!.baseUrl).data;
			for (const n8n of [cluster!.main, ...cluster!.workers])
				for (const key of [secretKey, accessKey])
					assert.ok(!n8n.log.includes(key), 'a key appears in an n8n log');
		});
	} finally {
		await stopQueueStage();
	}
}

async function main(): Promise<void> {
	const argv = process.argv.slice(2);
	const option = (name: string) => {
		const i = argv.indexOf(`--${name}`);
		return i === -1 ? undefined : Number(argv[i + 1]);
	};
	const checks = new Checks('queue mode');
	const lines: string[] = [];
	stopOnInterrupt(stopQueueStage);
	try {
		await runQueueStage(checks, lines, {
			rounds: option('rounds'),
			references: option('references'),
			measure: argv.includes('--measure'),
		});
	} catch (err) {
		if (!(err instanceof FatalCheck)) checks.record('unexpected error', false, 0, err);
	}
	process.exitCode = checks.summary(lines);
}

if (require.main === module) void main();
