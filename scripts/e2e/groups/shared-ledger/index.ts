/**
 * The shared ledger (PostgreSQL) in a real n8n, as installed from the packed package with its
 * dependency pg: a database of its own for the ledger (started before n8n, stopped after), the
 * scenario of ./scenario.ts on the run's single-process n8n and, unless --no-queue, on a
 * queue-mode cluster (Postgres, Redis, a main and 2 workers), with its faults: the database
 * unreachable at the start, a worker killed in the middle of a burst.
 */
import { LEDGER_READY } from '../../../../nodes/Konaplate/transport/credential-test';
import { assert } from '../../checks';
import type { E2eGroup } from '../../group';
import type { N8nClient } from '../../n8n/client';
import type { CredentialExport } from '../../n8n/home';
import type { Emulator } from '../../emulator-process';
import { killGroup, sleep } from '../../n8n/process';
import { QUEUE_SWITCH } from '../queue';
import { startQueueCluster } from '../queue/cluster';
import type { QueueCluster } from '../queue/cluster';
import { startPostgres } from '../queue/services';
import type { Postgres } from '../queue/services';
import {
	caller,
	formatShared,
	movedOf,
	payoutsOf,
	runSharedScenario,
	unreachableDatabase,
} from './scenario';
import type { Payout, SharedFigures } from './scenario';
import {
	DEAD_CREDENTIAL,
	PATHS,
	sharedCredential,
	sharedLedgerWorkflows,
	WORKFLOW_IDS,
} from './workflows';

let ledgerDb: Postgres | undefined;

const credentials = (baseUrl: string, db: Postgres) => [
	sharedCredential(baseUrl, `postgres://${db.user}@127.0.0.1:${db.port}/${db.database}`),
	// A port nothing listens on: the ledger's database is unreachable
	sharedCredential(baseUrl, `postgres://${db.user}@127.0.0.1:1/${db.database}`, DEAD_CREDENTIAL),
];

async function activateAll(client: N8nClient): Promise<void> {
	for (const [kind, id] of Object.entries(WORKFLOW_IDS))
		await client.activate(id, { webhookPaths: [PATHS[kind as keyof typeof PATHS]] });
}

function assertExactlyOnce(f: SharedFigures): void {
	assert.deepEqual(f.findings, [], 'burst answers');
	assert.equal(f.sentTwice, 0, 'references sent twice');
	assert.equal(f.lost, 0, 'references lost');
	assert.ok(f.getCalls > 0, 'no Get call was answered during the burst');
	assert.equal(f.copyResent, 0, "the copy's re-sends");
	assert.equal(f.twoNodes.sentTwice, 0, 'two nodes: references sent twice');
	assert.equal(f.twoNodes.lost, 0, 'two nodes: references lost');
	assert.equal(f.rerunSent, 0, 'the re-run sent transfers');
}

export const group: E2eGroup = {
	name: 'shared-ledger',
	beforeStart: async ({ checks, home, baseUrl }) => {
		await checks.must(
			'shared ledger: its own PostgreSQL, the credential and workflows imported',
			async () => {
				ledgerDb = await startPostgres({ database: 'ledger' });
				await home.importCredentials(credentials(baseUrl, ledgerDb));
				await home.importWorkflows(sharedLedgerWorkflows());
			},
		);
	},
	run: async ({ checks, notes, srv, emulator, instance, baseUrl }) => {
		const db = ledgerDb!;
		const started = Date.now();
		try {
			await checks.must(
				'shared ledger: webhooks active (single process)',
				async () => await activateAll(srv),
			);
			await checks.check(
				"shared ledger: the credential's Test checks the keys and the database (table ready; nothing listening: named)",
				async () => {
					const test = async ({ id, name, type, data }: CredentialExport) =>
						await srv.rest<{ status: string; message: string }>('POST', '/credentials/test', {
							credentials: { id, name, type, data },
						});
					const [good, dead] = credentials(baseUrl, db);
					assert.deepEqual(await test(good), { status: 'OK', message: LEDGER_READY });
					const failed = await test(dead);
					assert.equal(failed.status, 'Error', failed.message);
					assert.match(
						failed.message,
						/^The Konaplate keys work\. .*no PostgreSQL answers at 127\.0\.0\.1:1 /,
					);
				},
			);
			await checks.check(
				'shared ledger, single process: double-submitted burst with Get calls, a copy, two nodes, a re-run -> nothing sent twice, nothing lost',
				async () => {
					const f = await runSharedScenario(srv, emulator, { tag: 'one', firstAmount: 2000 });
					notes.push(formatShared('single process', f));
					assertExactlyOnce(f);
				},
			);
			await checks.check(
				'shared ledger: database unreachable at the start -> LEDGER_UNAVAILABLE, nothing sent',
				async () => {
					const { answer, sent } = await unreachableDatabase(srv, emulator, 2900);
					notes.push(
						`shared ledger, database unreachable: HTTP ${answer.status}, ${sent} sent: ${answer.text.slice(0, 160)}`,
					);
					assert.equal(sent, 0, 'transfers sent');
					assert.match(answer.text, /LEDGER_UNAVAILABLE|shared transfer ledger is not available/);
				},
			);
			if (process.env[QUEUE_SWITCH] === '0') {
				notes.push('shared ledger, queue mode: left out (--no-queue)');
				return;
			}
			let cluster: QueueCluster | undefined;
			try {
				cluster = await checks.must(
					'shared ledger, queue mode: Postgres, Redis, main + 2 workers',
					async () => {
						const c = await startQueueCluster({
							packages: [instance.pack.tarball],
							credentials: credentials(baseUrl, db),
							workflows: sharedLedgerWorkflows(),
						});
						const errors = [c.main, ...c.workers].flatMap((p) => p.packageLoadErrors);
						assert.deepEqual(errors, [], 'package load errors');
						await activateAll(c.main);
						return c;
					},
				);
				const main = cluster.main;
				await checks.check(
					'shared ledger, queue mode: double-submitted burst with Get calls on other workers, a copy, two nodes, a re-run -> nothing sent twice, nothing lost',
					async () => {
						const f = await runSharedScenario(main, emulator, { tag: 'queue', firstAmount: 4000 });
						notes.push(formatShared('queue mode', f));
						assertExactlyOnce(f);
					},
				);
				await checks.check(
					'shared ledger, queue mode: a worker killed mid-burst -> nothing sent twice, the rest goes on, its in-flight References read unknown',
					async () => {
						const f = await killedWorker(main, cluster!, emulator);
						notes.push(
							`shared ledger, worker killed mid-burst: ${f.references} references x2: ${f.sentTwice} sent twice, ${f.moved} moved, ${f.answered} of ${f.calls} calls answered in time; of the rest, ${f.unknown} read outcome unknown and ${f.sentSince} were sent once since`,
						);
						assert.equal(f.sentTwice, 0, 'references sent twice (burst and re-run)');
						assert.ok(f.moved > 0, 'the burst stopped with the worker');
						assert.equal(
							f.moved + f.unknown + f.sentSince,
							f.references,
							'every Reference moved once, read unknown, or sent once since',
						);
					},
				);
			} finally {
				await cluster?.stop();
			}
		} finally {
			notes.push(`shared ledger: group ${((Date.now() - started) / 1000).toFixed(0)} s`);
			await db.stop();
			ledgerDb = undefined;
		}
	},
};

/** Transfers Konaplate moved so far, once no new one arrived for `quietMs` (at most `maxMs`). */
async function settledTransfers(emulator: Emulator, quietMs = 3000, maxMs = 30_000) {
	let last = -1;
	let quietSince = Date.now();
	for (const start = Date.now(); Date.now() - start < maxMs; await sleep(250)) {
		const count = (await emulator.requests()).length;
		if (count !== last) [last, quietSince] = [count, Date.now()];
		else if (Date.now() - quietSince >= quietMs) break;
	}
	return movedOf(await emulator.requests());
}

/**
 * A burst of 20 References, each twice, the emulator answering slowly; once transfers arrive,
 * worker 1 is killed (SIGKILL). The calls of its executions never answer: the figures are read
 * once the emulator has had nothing new for 3 s. Then every Reference once more.
 */
async function killedWorker(main: N8nClient, cluster: QueueCluster, emulator: Emulator) {
	const call = caller(main);
	const list = payoutsOf('killed', 20, 6000);
	await emulator.reset();
	await emulator.script([], { latencyMs: 1500 });
	let answered = 0;
	for (const payout of list.flatMap((p) => [p, p]))
		void call(PATHS.payout, payout).then(
			() => answered++,
			() => undefined,
		);
	for (let waited = 0; waited < 20_000 && (await emulator.requests()).length < 3; waited += 100)
		await sleep(100);
	killGroup(cluster.workers[0].pid, 'SIGKILL');
	const moved = await settledTransfers(emulator);
	const answeredThen = answered;
	await emulator.reset();
	await emulator.script([], { latencyMs: 0 });
	const rerun = await Promise.all(list.map(async (p) => await call(PATHS.payout, p)));
	const again = movedOf(await emulator.requests());
	const readUnknown = (index: number) =>
		/LEDGER_OUTCOME_UNKNOWN|may or may not have gone through/.test(rerun[index].text);
	const times = ({ amount }: Payout) => (moved.get(amount) ?? 0) + (again.get(amount) ?? 0);
	const inBurst = ({ amount }: Payout) => (moved.get(amount) ?? 0) > 0;
	return {
		references: list.length,
		calls: list.length * 2,
		answered: answeredThen,
		/** In the burst and the re-run together. */
		sentTwice: list.filter((p) => times(p) > 1).length,
		moved: list.filter(inBurst).length,
		/** Not moved in the burst, refused by the re-run as outcome unknown (claimed by the killed worker). */
		unknown: list.filter((p, index) => !inBurst(p) && readUnknown(index)).length,
		/** Not moved in the burst, sent once since (never claimed before the kill). */
		sentSince: list.filter((p, index) => !inBurst(p) && !readUnknown(index) && times(p) === 1)
			.length,
	};
}
