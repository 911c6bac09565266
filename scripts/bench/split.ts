// npm run bench -- --split: each Konaplate contender's time in the real n8n, split into n8n's
// request helper (httpRequestWithAuthentication: axios, a new agent and connection, the
// credential's authenticate step, the wait for the emulator) and the rest (the node's own code,
// its ledger, n8n's engine around it), with the garbage collection during each execution. The
// timers live in scripts/bench/split-probe.ts, loaded into n8n only for this table.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { sleep } from 'n8n-workflow';

import { prepareInstance } from '../e2e/instance';
import { median, ITEMS, REPS, say } from './options';
import { byLabel, contenders, timedRun } from './contenders';
import { inPairs, RATIOS } from './real-n8n';

interface Totals {
	found: boolean;
	helperCalls: number;
	helperMs: number;
	gcs: number;
	gcMs: number;
}

/** One run: its executionTime, the time in n8n's request helper and in garbage collection. */
interface Split {
	ms: number;
	helperMs: number;
	gcMs: number;
}

/** The probe writes its totals four times a second: a read waits for the next write. */
const SETTLE_MS = 400;

export async function splitTable(): Promise<void> {
	const dir = mkdtempSync(path.join(tmpdir(), 'konaplate-split-'));
	const file = path.join(dir, 'totals.json');
	const probe = path.join(__dirname, 'split-probe.js');
	const timed = (baseUrl: string, credential: Parameters<typeof contenders>[1]) =>
		contenders(baseUrl, credential).filter((c) => c.label !== 'HTTP Request');
	const instance = await prepareInstance({
		workflows: (baseUrl, credential) => timed(baseUrl, credential).map((c) => c.workflow),
	});
	const read = async (): Promise<Totals> => {
		await sleep(SETTLE_MS);
		if (!existsSync(file)) throw new Error('the probe wrote no totals: was it loaded into n8n?');
		return JSON.parse(readFileSync(file, 'utf8')) as Totals;
	};
	try {
		const srv = await instance.home.start({
			env: { NODE_OPTIONS: `--require ${probe}`, KONAPLATE_SPLIT_FILE: file },
		});
		const list = timed(instance.emulator.baseUrl, instance.credential);
		const rows = new Map(list.map((c) => [c.label, [] as Split[]]));
		// Against the transfer run next to it: the helper's time as a ratio, the rest as µs per item
		const besideTransfer = new Map(
			list.map((c) => [c.label, [] as Array<{ ms: number; helper: number; rest: number }>]),
		);
		// The pairs of the ratios (without the HTTP Request node, which sends through another helper)
		const pairs = RATIOS.filter(([, , against]) => against !== 'HTTP Request');
		await inPairs(
			pairs,
			async (label): Promise<Split> => {
				const before = await read();
				const ms = await timedRun(instance, srv, byLabel(list, label));
				const after = await read();
				if (!after.found) throw new Error("the probe did not find n8n's request helper");
				const calls = after.helperCalls - before.helperCalls;
				if (calls !== ITEMS)
					throw new Error(`${label}: ${calls} helper calls in a run of ${ITEMS} items`);
				return { ms, helperMs: after.helperMs - before.helperMs, gcMs: after.gcMs - before.gcMs };
			},
			([, label, against], results) => {
				for (const [each, split] of Object.entries(results)) rows.get(each)?.push(split);
				const [one, other] = [results[label], results[against]];
				besideTransfer.get(label)?.push({
					ms: one.ms / other.ms,
					helper: one.helperMs / other.helperMs,
					rest: ((one.ms - one.helperMs - (other.ms - other.helperMs)) * 1000) / ITEMS,
				});
			},
		);
		say();
		say(
			`real n8n ${instance.home.info.N8N_VERSION} on Node ${instance.home.info.NODE_VERSION}, ${ITEMS} items per run, the pairs of the ratios run next to each other ${REPS} times (+1 warm-up), medians of every run of each; n8n's request helper timed inside n8n (scripts/bench/split-probe.ts)`,
		);
		say();
		say(
			"| node | µs per item | n8n's request helper, µs per item | the rest (the node's code, its ledger, n8n's engine), µs per item | garbage collection during the execution, ms |",
		);
		say('|---|---|---|---|---|');
		const perItem = (ms: number) => ((ms * 1000) / ITEMS).toFixed(0);
		for (const [label, splits] of rows) {
			const of = (part: (split: Split) => number) => median(splits.map(part));
			say(
				`| ${label} | ${perItem(of((s) => s.ms))} | ${perItem(of((s) => s.helperMs))} | ${perItem(of((s) => s.ms - s.helperMs))} | ${of((s) => s.gcMs).toFixed(0)} |`,
			);
		}
		say();
		say(
			"| against the transfer run next to it | executionTime, ratio | n8n's request helper, ratio | the rest, µs per item more |",
		);
		say('|---|---|---|---|');
		for (const [label, diffs] of besideTransfer) {
			if (diffs.length === 0) continue;
			say(
				`| ${label} | ${median(diffs.map((d) => d.ms)).toFixed(2)} | ${median(diffs.map((d) => d.helper)).toFixed(2)} | ${median(diffs.map((d) => d.rest)).toFixed(0)} |`,
			);
		}
	} finally {
		await instance.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}
