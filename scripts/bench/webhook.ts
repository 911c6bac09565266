// npm run bench -- --webhook: one payout per execution. The webhook example (Webhook → Konaplate
// Transfer Balance → Respond to Webhook) in one real n8n with SQLite, each call timed by its
// caller, with a Reference from the body against the same workflow without one, with the ledger
// already holding N references: the workflow's own ledger (n8n's deduplication row) and the shared
// ledger (PostgreSQL, started here on 127.0.0.1 and stopped by its PID). On the shared ledger, also
// the runs of 1,000 References against 1,000 without (real-n8n.ts's pairs).
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { Client } from 'pg';

import { CARDS, MEMBER } from '../../emulator/data';
import { LEDGER_TABLE_SQL } from '../../nodes/Konaplate/ledger/postgres/schema';
import {
	claimValues,
	dayValue,
	ledgerBaseUrl,
	ledgerValue,
	referenceKey,
} from '../../nodes/Konaplate/wire/ledger';
import { NODE_TYPE, prepareInstance, readExamples } from '../e2e/instance';
import type { EmulatorCredential, Instance } from '../e2e/instance';
import type { Workflow } from '../e2e/n8n/home';
import type { N8nServer } from '../e2e/n8n/server';
import { startPostgres } from '../e2e/groups/queue/services';
import type { Postgres } from '../e2e/groups/queue/services';
import { WEBHOOK_KEY, WEBHOOK_KEY_HEADER } from '../e2e/webhook-key';
import { CREDENTIAL_TYPE } from '../lib/credential-type';
import { byLabel, contenders, timedRun } from './contenders';
import { inPairs } from './real-n8n';
import type { Pair } from './real-n8n';
import { arg, median, msSince, REPS, say, SHARED_ONLY } from './options';

/** Webhook calls per run, one at a time (--calls N). */
export const CALLS = arg('calls', 40);

/** The shared-ledger credential: the emulator's account, the ledger in PostgreSQL. */
export const sharedLedgerCredential = (
	credential: EmulatorCredential,
	url: string,
): EmulatorCredential => ({
	...credential,
	id: 'konaplateBenchShared',
	name: 'Konaplate emulator, shared ledger',
	data: { ...credential.data, ledger: 'postgres', ledgerPostgresUrl: url },
});

/** The webhook workflows of a run: with the Reference from the body, and without one. */
export const WITH = 'with a Reference';
export const WITHOUT = 'without';
export const HOOKS = { [WITH]: 'bench-payout-reference', [WITHOUT]: 'bench-payout-none' } as const;
export type Hook = keyof typeof HOOKS;

/** The p-th percentile (0–1) of a list, nearest rank. */
export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export const spread = (values: number[]) =>
	`${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

/**
 * The webhook example as the bench runs it: its own id, path and webhook id, the Konaplate node on
 * `credential`, the Reference from the body (or, `WITHOUT`, no Reference and none required).
 */
export function payoutWorkflow(
	hook: Hook,
	credential: { id: string; name: string },
	suffix = '',
): Workflow {
	const example = readExamples()['webhook-transfer.json'];
	const wf = JSON.parse(JSON.stringify(example)) as Workflow;
	const id = `${hook === WITH ? 'benchPayoutReference' : 'benchPayoutNone'}${suffix}`;
	Object.assign(wf, { id, name: `bench: one payout per execution, ${hook}` });
	for (const node of wf.nodes) {
		if (node.type === 'n8n-nodes-base.webhook') {
			node.parameters.path = `${HOOKS[hook]}${suffix}`;
			node.webhookId = randomUUID();
		}
		if (node.type === NODE_TYPE) {
			node.credentials = { [CREDENTIAL_TYPE]: credential };
			const options = node.parameters.options as Record<string, unknown>;
			if (hook === WITHOUT) {
				delete node.parameters.reference;
				options.requireReference = false;
			} else node.parameters.reference = '={{ $json.body.reference }}';
		}
	}
	return wf;
}

/** The body of one payout: 1 won between the bench's cards, under `reference`. */
export const payoutBody = (reference: string) => ({
	userId: MEMBER,
	fromCardNo: CARDS.benchFrom,
	toCardNo: CARDS.benchTo,
	amount: 1,
	reference,
});

/** One run: CALLS webhook calls one after another; each call's ms, as its caller waited. */
async function callRun(srv: N8nServer, hook: Hook, tag: string): Promise<number[]> {
	const times: number[] = [];
	for (let n = 0; n < CALLS; n++) {
		const started = process.hrtime.bigint();
		const answer = await srv.callWebhook('POST', HOOKS[hook], payoutBody(`bench-${tag}-${n}`), {
			headers: WEBHOOK_KEY_HEADER,
		});
		times.push(msSince(started));
		if (answer.status !== 200 || answer.json.transferred !== true)
			throw new Error(`${hook}: ${answer.status} ${answer.text.slice(0, 500)}`);
	}
	return times;
}

interface SizeFigures {
	recorded: number;
	p50: Record<Hook, number[]>;
	p95: Record<Hook, number[]>;
	ratio50: number[];
	ratio95: number[];
}

/** REPS pairs of runs (+1 warm-up), alternating which goes first, at one ledger size. */
async function measureSize(
	instance: Instance,
	srv: N8nServer,
	recorded: number,
): Promise<SizeFigures> {
	const figures: SizeFigures = {
		recorded,
		p50: { [WITH]: [], [WITHOUT]: [] },
		p95: { [WITH]: [], [WITHOUT]: [] },
		ratio50: [],
		ratio95: [],
	};
	const pair: Pair = ['webhook', WITH, WITHOUT];
	await inPairs(
		[pair],
		async (hook) => {
			await instance.emulator.reset();
			return await callRun(srv, hook as Hook, `${recorded}-${randomUUID().slice(0, 8)}`);
		},
		(_, runs) => {
			for (const hook of [WITH, WITHOUT] as const) {
				figures.p50[hook].push(percentile(runs[hook], 0.5));
				figures.p95[hook].push(percentile(runs[hook], 0.95));
			}
			figures.ratio50.push(percentile(runs[WITH], 0.5) / percentile(runs[WITHOUT], 0.5));
			figures.ratio95.push(percentile(runs[WITH], 0.95) / percentile(runs[WITHOUT], 0.95));
		},
	);
	return figures;
}

function sayTable(title: string, rows: SizeFigures[]): void {
	say();
	say(title);
	say();
	say(
		'| references recorded | p50 with, ms | p50 without, ms | p50 ratio (spread) | p95 with, ms | p95 without, ms | p95 ratio (spread) |',
	);
	say('|---|---|---|---|---|---|---|');
	for (const r of rows) {
		say(
			`| ${r.recorded.toLocaleString('en-US')} | ${median(r.p50[WITH]).toFixed(0)} | ${median(r.p50[WITHOUT]).toFixed(0)} | **${median(r.ratio50).toFixed(2)}** (${spread(r.ratio50)}) | ${median(r.p95[WITH]).toFixed(0)} | ${median(r.p95[WITHOUT]).toFixed(0)} | ${median(r.ratio95).toFixed(2)} (${spread(r.ratio95)}) |`,
		);
	}
}

/**
 * The values a transferred reference holds in the workflow's ledger as this version records
 * them: marker, four fields, claim, day, done (eight).
 */
function transferredValues(key: string): string[] {
	return [
		...claimValues(key, {
			member: MEMBER,
			fromCard: CARDS.benchFrom,
			toCard: CARDS.benchTo,
			amount: '1',
		}),
		dayValue(key, '2026-12-01'),
		ledgerValue('done', key),
	];
}

/**
 * Writes the workflow ledger's row of n8n's deduplication store (table processed_data, scope
 * Workflow: context '') directly in n8n's SQLite file, as n8n's DeduplicationHelper stores it:
 * `{"mode":"entries","data":[…]}`, each value its md5 in base64. `count` references, eight values
 * each; 0 deletes the row. n8n reads the row afresh on every store call (no cache).
 */
function fillWorkflowLedger(instance: Instance, workflowId: string, count: number): void {
	const { baseUrl, aspId } = instance.credential.data;
	const data = Array.from({ length: count }, (_, n) =>
		referenceKey({ baseUrl, aspId }, `earlier-${n}`),
	)
		.flatMap(transferredValues)
		.map((value) => createHash('md5').update(value).digest('base64'));
	const file = path.join(tmpdir(), `konaplate-bench-row-${process.pid}.json`);
	writeFileSync(file, JSON.stringify({ mode: 'entries', data }));
	const db = path.join(instance.home.dir, '.n8n', 'database.sqlite');
	const where = `"workflowId" = '${workflowId}' AND context = ''`;
	const sql =
		count === 0
			? `DELETE FROM processed_data WHERE ${where};`
			: `DELETE FROM processed_data WHERE ${where};
INSERT INTO processed_data ("workflowId", context, value, "createdAt", "updatedAt")
VALUES ('${workflowId}', '', CAST(readfile('${file}') AS TEXT), STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'), STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'));
SELECT length(value) FROM processed_data WHERE ${where};`;
	const out = execFileSync('sqlite3', ['-cmd', '.timeout 10000', db, sql], { encoding: 'utf8' });
	rmSync(file, { force: true });
	if (count > 0 && Number(out.trim()) < data.length * 25)
		throw new Error(`the ledger row was not written: ${out}`);
}

/** The workflow ledger's row size now (bytes; 0: no row), to check the fill took. */
function workflowLedgerEntries(instance: Instance, workflowId: string): number {
	const db = path.join(instance.home.dir, '.n8n', 'database.sqlite');
	const out = execFileSync(
		'sqlite3',
		[
			'-cmd',
			'.timeout 10000',
			db,
			`SELECT json_array_length(value, '$.data') FROM processed_data WHERE "workflowId" = '${workflowId}' AND context = '';`,
		],
		{ encoding: 'utf8' },
	);
	return Number(out.trim() || 0);
}

/**
 * Adds rows `from`..`to` (exclusive) to the shared ledger's table with generate_series, in the
 * shape of ledger/postgres/schema.ts: transferred references of the emulator's account, with
 * sha256 keys and digests like the node's, then ANALYZE.
 */
async function fillSharedLedger(
	client: Client,
	credential: EmulatorCredential,
	from: number,
	to: number,
): Promise<void> {
	if (to <= from) return;
	await client.query(
		`INSERT INTO konaplate_transfer_ledger
SELECT encode(sha256(('fill-' || g)::bytea), 'hex'), $1, $2, 'fill-' || g, 'transferred',
  encode(sha256(('m' || g)::bytea), 'hex'), encode(sha256(('f' || g)::bytea), 'hex'),
  encode(sha256(('t' || g)::bytea), 'hex'), encode(sha256(('a' || g)::bytea), 'hex'),
  now() - g * interval '1 second', now() - g * interval '1 second' + interval '2 minutes',
  (now() - g * interval '1 second')::date, now() - g * interval '1 second', gen_random_uuid(),
  'benchFill', g::text, 'Transfer Card Balance', 'corr-' || g, '1', '949133******9998', '949133******9999'
FROM generate_series($3::int, $4::int) AS g`,
		[ledgerBaseUrl(credential.data.baseUrl), credential.data.aspId, from, to - 1],
	);
	await client.query('ANALYZE konaplate_transfer_ledger');
}

/** The workflow ledger: one n8n with SQLite, the ledger at 0, 10,000 and 50,000 references. */
async function workflowLedgerTable(): Promise<SizeFigures[]> {
	const instance = await prepareInstance({
		credentials: [WEBHOOK_KEY],
		workflows: (_, credential) =>
			([WITH, WITHOUT] as const).map((hook) =>
				payoutWorkflow(hook, { id: credential.id, name: credential.name }),
			),
	});
	const rows: SizeFigures[] = [];
	try {
		const srv = await instance.home.start();
		for (const hook of [WITH, WITHOUT] as const)
			await srv.activate(payoutWorkflow(hook, instance.credential).id, {
				webhookPaths: [HOOKS[hook]],
			});
		for (const recorded of [0, 10_000, 50_000]) {
			fillWorkflowLedger(instance, 'benchPayoutReference', recorded);
			say(
				`(workflow ledger: ${recorded} references, ${workflowLedgerEntries(instance, 'benchPayoutReference')} entries in the row)`,
			);
			rows.push(await measureSize(instance, srv, recorded));
		}
		sayTable(
			`the workflow ledger (n8n's deduplication store, SQLite), one n8n process: ${CALLS} calls a run, one at a time, ${REPS} pairs of runs (+1 warm-up), alternating; ms per call as the caller waited`,
			rows,
		);
	} finally {
		await instance.stop();
	}
	return rows;
}

/**
 * The shared ledger: one n8n with SQLite, its credential on a PostgreSQL started here; the table
 * at 0, 10,000 and 1,000,000 references; then at 1,000,000 the runs of 1,000 with References
 * against 1,000 without.
 */
async function sharedLedgerTable(): Promise<void> {
	const pg: Postgres = await startPostgres({ install: false, database: 'konaplate' });
	const url = `postgres://${pg.user}@${pg.host}:${pg.port}/${pg.database}`;
	const client = new Client({ connectionString: url });
	const shared = (credential: EmulatorCredential) => sharedLedgerCredential(credential, url);
	let instance: Instance | undefined;
	try {
		await client.connect();
		await client.query(LEDGER_TABLE_SQL);
		instance = await prepareInstance({
			credentials: [WEBHOOK_KEY],
			workflows: (baseUrl, credential) => {
				const sharedCredential = shared(credential);
				return [
					...([WITH, WITHOUT] as const).map((hook) =>
						payoutWorkflow(hook, { id: sharedCredential.id, name: sharedCredential.name }),
					),
					...contenders(baseUrl, sharedCredential)
						.filter((c) => RUN_PAIR.slice(1).includes(c.label))
						.map((c) => c.workflow),
				];
			},
		});
		// the credential's import happens in prepareInstance: import the shared one too
		await instance.home.importCredentials([shared(instance.credential)]);
		const srv = await instance.home.start();
		const sharedCredential = shared(instance.credential);
		for (const hook of [WITH, WITHOUT] as const)
			await srv.activate(payoutWorkflow(hook, sharedCredential).id, {
				webhookPaths: [HOOKS[hook]],
			});
		const rows: SizeFigures[] = [];
		let filled = 0;
		for (const recorded of [0, 10_000, 1_000_000]) {
			const started = process.hrtime.bigint();
			await fillSharedLedger(client, sharedCredential, filled, recorded);
			filled = Math.max(filled, recorded);
			const { rows: count } = await client.query<{ n: string }>(
				'SELECT count(*) AS n FROM konaplate_transfer_ledger',
			);
			say(
				`(shared ledger: ${count[0].n} rows, filled in ${(msSince(started) / 1000).toFixed(1)} s)`,
			);
			rows.push(await measureSize(instance, srv, recorded));
		}
		sayTable(
			`the shared ledger (PostgreSQL ${pg.port} on 127.0.0.1), one n8n process with SQLite: ${CALLS} calls a run, one at a time, ${REPS} pairs of runs (+1 warm-up), alternating; ms per call as the caller waited`,
			rows,
		);
		await runsOfAThousand(instance, srv, sharedCredential);
	} finally {
		await client.end().catch(() => undefined);
		await instance?.stop();
		await pg.stop();
	}
}

/** real-n8n.ts's pair of runs with References on every item against none, on the shared ledger. */
const RUN_PAIR: Pair = [
	'references on every item / none, the shared ledger',
	'transfer, a Reference on every item',
	'transfer',
];

async function runsOfAThousand(
	instance: Instance,
	srv: N8nServer,
	credential: EmulatorCredential,
): Promise<void> {
	const list = contenders(instance.emulator.baseUrl, credential);
	const ratios: number[] = [];
	const times: Record<string, number[]> = { [RUN_PAIR[1]]: [], [RUN_PAIR[2]]: [] };
	await inPairs(
		[RUN_PAIR],
		async (label) => await timedRun(instance, srv, byLabel(list, label)),
		([, timed, against], ms) => {
			ratios.push(ms[timed] / ms[against]);
			times[timed].push(ms[timed]);
			times[against].push(ms[against]);
		},
	);
	say();
	say(
		`runs of the Manual Trigger workflows (real-n8n.ts), the shared ledger holding 1,000,000+ references; each node's executionTime, ${REPS} pairs (+1 warm-up), alternating`,
	);
	say();
	say('| ratio | median | spread | with, median ms | without, median ms |');
	say('|---|---|---|---|---|');
	say(
		`| ${RUN_PAIR[0]} | **${median(ratios).toFixed(2)}** | ${spread(ratios)} | ${median(times[RUN_PAIR[1]]).toFixed(0)} | ${median(times[RUN_PAIR[2]]).toFixed(0)} |`,
	);
}

/** npm run bench -- --webhook: both ledgers' tables (--shared: the shared ledger's only). */
export async function webhookTables(): Promise<void> {
	say(`one payout per execution: ${CALLS} webhook calls a run, ${REPS} pairs of runs`);
	if (!SHARED_ONLY) await workflowLedgerTable();
	await sharedLedgerTable();
}
