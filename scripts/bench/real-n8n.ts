// npm run bench's first table: the Konaplate node and n8n's HTTP Request node (the same signed
// requests, with the Konaplate credential) in one real n8n (the one `npm run test:e2e` installs),
// against one emulator, each ratio from two runs next to each other; each node's own execution
// time, as n8n records it in the run data (executionTime).
import { prepareInstance } from '../e2e/instance';
import { byLabel, contenders, timedRun } from './contenders';
import { ITEMS, median, REPS, say } from './options';

const spread = (values: number[]) =>
	`${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

/** A ratio's name, the contender timed and the one it is timed against. */
export type Pair = [name: string, timed: string, against: string];

/** The ratios of the figures: node/HTTP Request, references/none, reads/transfer. */
export const RATIOS: Pair[] = [
	['Konaplate transfer / HTTP Request', 'transfer', 'HTTP Request'],
	[
		`references on every item / none (the ledger grows by ${ITEMS} a run)`,
		'transfer, a Reference on every item',
		'transfer',
	],
	[
		'references on every item / none (the ledger emptied before each run)',
		'transfer, a Reference on every item, empty ledger',
		'transfer',
	],
	['Card → Get / transfer', 'Card → Get', 'transfer'],
	['Card → Get Many / transfer', 'Card → Get Many', 'transfer'],
];

/**
 * Runs the two contenders of each pair next to each other, REPS times after a warm-up, in one
 * order on even repetitions and the other on odd ones, and hands each measured pair to `measured`:
 * the machine's pace drifts over seconds, and a run after a large one (Get Many's 14,000 items)
 * pays for the garbage it left, so a ratio of two runs far apart measured the machine as much as
 * the nodes.
 */
export async function inPairs<T>(
	pairs: Pair[],
	run: (label: string) => Promise<T>,
	measured: (pair: Pair, results: Record<string, T>) => void,
): Promise<void> {
	for (let rep = 0; rep <= REPS; rep++) {
		for (const pair of pairs) {
			const [, timed, against] = pair;
			const results: Record<string, T> = {};
			for (const label of rep % 2 === 0 ? [timed, against] : [against, timed])
				results[label] = await run(label);
			if (rep > 0) measured(pair, results);
		}
	}
}

/** The figures of the issue, each ratio from two runs next to each other (inPairs). */
export async function realN8nTable(): Promise<void> {
	const instance = await prepareInstance({
		workflows: (baseUrl, credential) => contenders(baseUrl, credential).map((c) => c.workflow),
	});
	try {
		const srv = await instance.home.start();
		const list = contenders(instance.emulator.baseUrl, instance.credential);
		say(
			`real n8n ${instance.home.info.N8N_VERSION} on Node ${instance.home.info.NODE_VERSION}, ${ITEMS} items per run, ${REPS} repetitions (+1 warm-up) of each pair of runs, run next to each other in alternating order; each node's executionTime from n8n's run data`,
		);
		const times: Record<string, number[]> = Object.fromEntries(list.map((c) => [c.label, []]));
		const ratios: Record<string, number[]> = Object.fromEntries(RATIOS.map(([name]) => [name, []]));
		await inPairs(
			RATIOS,
			async (label) => await timedRun(instance, srv, byLabel(list, label)),
			([name, timed, against], ms) => {
				ratios[name].push(ms[timed] / ms[against]);
				for (const label of [timed, against]) times[label].push(ms[label]);
			},
		);
		say();
		say('| node | median ms | µs/item |');
		say('|---|---|---|');
		for (const { label } of list) {
			const ms = median(times[label]);
			say(`| ${label} | ${ms.toFixed(0)} | ${((ms * 1000) / ITEMS).toFixed(0)} |`);
		}
		say();
		say('| ratio | median of the repetitions | spread (min–max) |');
		say('|---|---|---|');
		for (const [name] of RATIOS) {
			say(`| ${name} | ${median(ratios[name]).toFixed(2)} | ${spread(ratios[name])} |`);
		}
		say();
		say(
			`(the growing ledger held ${ITEMS * REPS} transferred references before the last run: seven entries each)`,
		);
	} finally {
		await instance.stop();
	}
}
