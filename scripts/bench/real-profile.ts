// npm run bench -- --profile, first table: where a transfer's time goes in the real n8n of
// `npm run test:e2e`, per item. n8n runs under V8's profiler (node --cpu-prof, written when it
// stops); the samples taken while the node ran (from a sample in the node's code to the next one
// less than 100 ms later) are charged to the parts of profile.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Profiler } from 'node:inspector';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { prepareInstance } from '../e2e/instance';
import { median, ITEMS, REPS, say } from './options';
import { labeller, PART_ORDER, summarise } from './profile';
import { contenders, timedRun } from './contenders';

/** Samples further apart than this from the node's own code are n8n's work between runs. */
const IN_RUN_GAP_US = 100_000;

/** A pause this long between samples in the node's code is one between runs (or before the first). */
const BETWEEN_RUNS_US = 200_000;

/**
 * When the second of the last `runs` runs began. The runs are the stretches of samples in the
 * node's code, apart by the pauses between runs (n8n saving a run, the bench's look once a second,
 * the Code node making the next run's items: 0.3 s and more, where a pause inside a run, a ledger
 * call, lasts under 0.1 s); what came before them (n8n loading the node) is not a run.
 */
function secondRunStart(marks: number[], runs: number): number {
	if (runs < 2) return 0;
	const starts = marks.filter((at, n) => n === 0 || at - marks[n - 1] > BETWEEN_RUNS_US);
	if (starts.length < runs)
		throw new Error(
			`the profile shows ${starts.length} stretches of the node's samples, not ${runs} runs`,
		);
	return starts[starts.length - runs + 1];
}

/**
 * The samples taken while the node ran (between two samples in its code less than a gap apart),
 * leaving out the first of `runs` runs: the warm-up, whose code is not compiled yet (its
 * executionTime is left out of the medians too).
 */
export function whileTheNodeRan(profile: Profiler.Profile, runs = 1): Profiler.Profile {
	const inNode = labeller(
		profile,
		({ url }) => (url.includes('/nodes/Konaplate/') ? true : undefined),
		false,
	);
	const samples = profile.samples ?? [];
	const deltas = profile.timeDeltas ?? [];
	let at = 0;
	const times = samples.map((_, n) => (at += deltas[n] ?? 0));
	const marks = samples.flatMap((id, n) => (inNode(id) ? [times[n]] : []));
	const from = secondRunStart(marks, runs);
	const kept = { samples: [] as number[], timeDeltas: [] as number[] };
	let mark = 0;
	samples.forEach((id, n) => {
		while (mark < marks.length - 1 && marks[mark + 1] <= times[n]) mark++;
		const near =
			marks[mark] <= times[n] && (marks[mark + 1] ?? Infinity) - marks[mark] <= IN_RUN_GAP_US;
		if (times[n] >= from && (times[n] === marks[mark] || near)) {
			kept.samples.push(id);
			kept.timeDeltas.push(deltas[n] ?? 0);
		}
	});
	return { ...profile, ...kept };
}

/** The largest profile n8n wrote (its main thread's), read, kept as `keep` and its folder removed. */
function mainProfile(dir: string, keep: string): Profiler.Profile {
	const files = readdirSync(dir).map((name) => path.join(dir, name));
	const sizes = files.map((file) => readFileSync(file, 'utf8'));
	const text = sizes.reduce((a, b) => (b.length > a.length ? b : a), '');
	rmSync(dir, { recursive: true, force: true });
	if (text === '') throw new Error('n8n wrote no CPU profile');
	writeFileSync(keep, text);
	return JSON.parse(text) as Profiler.Profile;
}

/** The contenders profiled, each in an n8n of its own: a transfer, with References, the reads. */
const PROFILED = [
	'transfer',
	'transfer, a Reference on every item',
	'Card → Get',
	'Card → Get Many',
];

/** One contender's runs under the profiler, in an n8n started for it: its parts, µs per item. */
async function profileOne(
	label: string,
): Promise<{ parts: Map<string, number>; ms: number; n8n: string }> {
	const dir = mkdtempSync(path.join(tmpdir(), 'konaplate-cpu-'));
	const pick = (baseUrl: string, credential: Parameters<typeof contenders>[1]) =>
		contenders(baseUrl, credential).filter((c) => c.label === label);
	const instance = await prepareInstance({
		workflows: (baseUrl, credential) => pick(baseUrl, credential).map((c) => c.workflow),
	});
	const times: number[] = [];
	let profile: Profiler.Profile;
	try {
		const srv = await instance.home.start({
			env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=200` },
		});
		const [contender] = pick(instance.emulator.baseUrl, instance.credential);
		for (let rep = 0; rep <= REPS; rep++) {
			const ms = await timedRun(instance, srv, contender);
			if (rep > 0) times.push(ms);
		}
		await srv.stop();
		const file = path.join(tmpdir(), `konaplate-n8n-${label.replace(/\W+/g, '-')}.cpuprofile`);
		profile = mainProfile(dir, file);
		say(`(${label}: n8n's profile is ${file}; open it in Chrome DevTools or VS Code)`);
	} finally {
		await instance.stop();
	}
	// The warm-up run is left out, as from the medians: REPS runs of ITEMS items
	const parts = summarise(whileTheNodeRan(profile, REPS + 1));
	const perItem = new Map([...parts].map(([part, us]) => [part, us / (REPS * ITEMS)] as const));
	const { N8N_VERSION, NODE_VERSION } = instance.home.info;
	return { parts: perItem, ms: median(times), n8n: `${N8N_VERSION} on Node ${NODE_VERSION}` };
}

export async function realProfileTable(): Promise<void> {
	const columns: Array<{ label: string; parts: Map<string, number>; ms: number }> = [];
	let n8n = '';
	for (const label of PROFILED) {
		const profiled = await profileOne(label);
		n8n = profiled.n8n;
		columns.push({ label, ...profiled });
	}
	say(
		`real n8n ${n8n}, under the profiler (sampling every 200 µs slows it), each column in an n8n of its own: ${ITEMS} items per run, ${REPS + 1} runs, the first (warm-up) left out; µs per input item`,
	);
	say();
	say(`| part | ${columns.map((c) => c.label).join(' | ')} |`);
	say(`|---|${columns.map(() => '---').join('|')}|`);
	const names = new Set(columns.flatMap((c) => [...c.parts.keys()]));
	for (const part of PART_ORDER.filter((p) => names.has(p)))
		say(`| ${part} | ${columns.map((c) => (c.parts.get(part) ?? 0).toFixed(0)).join(' | ')} |`);
	const total = (c: (typeof columns)[number]) => [...c.parts.values()].reduce((a, b) => a + b, 0);
	say(
		`| **the node's samples** | ${columns.map((c) => `**${total(c).toFixed(0)}**`).join(' | ')} |`,
	);
	say(`| executionTime, median ms per run | ${columns.map((c) => c.ms.toFixed(0)).join(' | ')} |`);
}
