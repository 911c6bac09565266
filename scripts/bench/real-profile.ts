// npm run bench -- --profile, first table: where a transfer's time goes in the real n8n of
// `npm run test:e2e`, per item. n8n runs under V8's profiler (node --cpu-prof, written when it
// stops); the samples taken while the node ran (from a sample in the node's code to the next one
// less than 100 ms later) are charged to the parts of profile.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Profiler } from 'node:inspector';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { prepareInstance } from '../e2e/instance';
import { median, ITEMS, REPS, say } from './options';
import { labeller, PART_ORDER, summarise } from './profile';
import { contenders, executionTime } from './real-n8n';

/** Samples further apart than this from the node's own code are n8n's work between runs. */
const IN_RUN_GAP_US = 100_000;

/** The samples taken while the node ran: between two samples in its code less than a gap apart. */
function whileTheNodeRan(profile: Profiler.Profile): Profiler.Profile {
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
	const kept = { samples: [] as number[], timeDeltas: [] as number[] };
	let mark = 0;
	samples.forEach((id, n) => {
		while (mark < marks.length - 1 && marks[mark + 1] <= times[n]) mark++;
		const near =
			marks[mark] <= times[n] && (marks[mark + 1] ?? Infinity) - marks[mark] <= IN_RUN_GAP_US;
		if (times[n] === marks[mark] || near) {
			kept.samples.push(id);
			kept.timeDeltas.push(deltas[n] ?? 0);
		}
	});
	return { ...profile, ...kept };
}

/** The largest profile n8n wrote (its main thread's), read and its folder removed. */
function mainProfile(dir: string): Profiler.Profile {
	const files = readdirSync(dir).map((name) => path.join(dir, name));
	const sizes = files.map((file) => readFileSync(file, 'utf8'));
	const text = sizes.reduce((a, b) => (b.length > a.length ? b : a), '');
	rmSync(dir, { recursive: true, force: true });
	if (text === '') throw new Error('n8n wrote no CPU profile');
	return JSON.parse(text) as Profiler.Profile;
}

export async function realProfileTable(): Promise<void> {
	const dir = mkdtempSync(path.join(tmpdir(), 'konaplate-cpu-'));
	const pick = (label: string) => (baseUrl: string, credential: Parameters<typeof contenders>[1]) =>
		contenders(baseUrl, credential).filter((c) => c.label === label);
	const instance = await prepareInstance({
		workflows: (baseUrl, credential) =>
			pick('transfer')(baseUrl, credential).map((c) => c.workflow),
	});
	const times: number[] = [];
	let profile: Profiler.Profile;
	try {
		const srv = await instance.home.start({
			env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=200` },
		});
		const [transfer] = pick('transfer')(instance.emulator.baseUrl, instance.credential);
		for (let rep = 0; rep <= REPS; rep++) {
			await instance.emulator.reset();
			const ms = executionTime(await srv.runManually(transfer.workflow.id), 'transfer');
			if (rep > 0) times.push(ms);
		}
		await srv.stop();
		profile = mainProfile(dir);
	} finally {
		await instance.stop();
	}
	const parts = summarise(whileTheNodeRan(profile));
	const total = [...parts.values()].reduce((a, b) => a + b, 0);
	const perItem = (us: number) => (us / ((REPS + 1) * ITEMS)).toFixed(0);
	say(
		`real n8n ${instance.home.info.N8N_VERSION}, Node ${instance.home.info.NODE_VERSION}, under the profiler (sampling every 200 µs slows it): ${ITEMS} transfers per run, ${REPS + 1} runs (the first one warm); executionTime median ${median(times).toFixed(0)} ms; µs per item`,
	);
	say();
	say('| part | µs/item | share |');
	say('|---|---|---|');
	for (const part of PART_ORDER.filter((p) => parts.has(p)))
		say(
			`| ${part} | ${perItem(parts.get(part) ?? 0)} | ${((100 * (parts.get(part) ?? 0)) / total).toFixed(0)} % |`,
		);
	say(`| **the node's samples** | **${perItem(total)}** | 100 % |`);
}
