// npm run bench -- --profile, second table: where an item's time goes in the
// in-process engine under V8's CPU profiler (node:inspector, as `node --cpu-prof` records it);
// each sample is charged to the innermost frame of its stack that one of the rules below names,
// so a call into Node or n8n counts for the part of the node that made it.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { Profiler } from 'node:inspector';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { CARDS, EMULATOR_CREDENTIAL_FILE, MEMBER } from '../../emulator/data';
import { useProcessedDataStore } from '../engine/dedup-store';
import type { Engine } from '../engine/engine';
import { withNode, WORKFLOWS } from '../engine/workflows';
import { CREDENTIAL_TYPE } from '../lib/credential-type';
import { ITEMS, items, msSince, REPS, say } from './options';

/** A part of an item's cost, and the frames that belong to it (url and function name). */
const PARTS: Array<[string, (url: string, name: string) => boolean]> = [
	['ledger (our calls)', (u) => /\/dist\/nodes\/Konaplate\/(ledger\/|wire\/ledger\.js)/.test(u)],
	['ledger store (in memory here)', (u) => u.includes('/engine/dedup-store.js')],
	[
		"n8n's deduplication store and its database",
		(u) =>
			/node_modules\/(n8n\/dist\/deduplication|@n8n\/db|typeorm|sqlite3|@n8n\/typeorm)\//.test(u),
	],
	[
		'signing, correlation id, authenticate',
		(u) => /\/dist\/(credentials\/|nodes\/Konaplate\/(auth\/|wire\/(signing|clock)\.js))/.test(u),
	],
	['body serialisation', (u) => u.endsWith('/wire/json.js')],
	[
		'answer parsing, exact-number JSON, verdict',
		(u) => /\/wire\/(exact-json|response|verdict)\.js$/.test(u),
	],
	[
		'masking and output shaping',
		(u) => /\/(wire\/(redact|answer-fields|reads)|actions\/outputs)\.js$/.test(u),
	],
	['request building, timeout, failures (ours)', (u) => u.includes('/nodes/Konaplate/transport/')],
	['parameter checks, money rules (ours)', (u) => u.includes('/dist/nodes/Konaplate/')],
	[
		"n8n's request helper (axios, agents)",
		(u, f) =>
			/node_modules\/(axios|follow-redirects|proxy-from-env|form-data|https?-proxy-agent|agent-base)\//.test(
				u,
			) ||
			(u.includes('/n8n-core/') && /request-helper|httpRequest|Axios|proxy/i.test(`${u} ${f}`)),
	],
	[
		"n8n's parameter reading (expressions)",
		(u, f) =>
			/n8n-workflow\/dist\/.*(expression|workflow-data-proxy|node-parameters|tmpl|extensions|augment)/i.test(
				u,
			) ||
			/@n8n\/tournament|esprima|recast|ast-types|jssha|luxon/.test(u) ||
			/getNodeParameter/.test(f),
	],
	[
		"n8n's engine (run data, paired items)",
		(u) => /node_modules\/(n8n-core|n8n-workflow)\//.test(u),
	],
	[
		"Node's HTTP and sockets",
		(u) => /^node:(_http|http|net|stream|internal\/(http|stream|net))/.test(u),
	],
];

const OTHER = 'other (Node internals, timers, promises)';
const SPECIAL = new Map<string, string>([
	['(garbage collector)', 'garbage collection'],
	['(idle)', 'idle (waiting for the emulator)'],
	['(program)', 'V8 and the event loop'],
]);

/** The parts in the order the tables show them. */
export const PART_ORDER = [...PARTS.map(([part]) => part), ...SPECIAL.values(), OTHER];

/**
 * A label for each node of a profile's call tree: the label of its own frame, else its caller's
 * (memoised), `outside` at the root.
 */
export function labeller<T>(
	profile: Profiler.Profile,
	label: (frame: Profiler.ProfileNode['callFrame']) => T | undefined,
	outside: T,
): (id: number) => T {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const known = new Map<number, T>();
	const labelOf = (id: number): T => {
		const seen = known.get(id);
		if (seen !== undefined) return seen;
		const up = parent.get(id);
		const found = label(byId.get(id)!.callFrame) ?? (up === undefined ? outside : labelOf(up));
		known.set(id, found);
		return found;
	};
	return labelOf;
}

/** Charges each sample's time to a part: its innermost frame that a rule names. */
export function summarise(profile: Profiler.Profile): Map<string, number> {
	const classify = labeller(
		profile,
		({ url, functionName }) =>
			SPECIAL.get(functionName) ?? PARTS.find(([, rule]) => rule(url, functionName))?.[0],
		OTHER,
	);
	const totals = new Map<string, number>();
	const samples = profile.samples ?? [];
	const deltas = profile.timeDeltas ?? [];
	samples.forEach((id, n) => {
		const part = classify(id);
		totals.set(part, (totals.get(part) ?? 0) + (deltas[n] ?? 0));
	});
	return totals;
}

const post = <T>(session: Session, method: string, params: object = {}) =>
	new Promise<T>((resolve, reject) =>
		session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))),
	);

/** Profiles REPS runs of ITEMS transfers, without and with a Reference on every item. */
export async function profileTable(engine: Engine, baseUrl: string): Promise<void> {
	const store = await useProcessedDataStore();
	const credentials = { [CREDENTIAL_TYPE]: { ...EMULATOR_CREDENTIAL_FILE[0].data, baseUrl } };
	const referenced = withNode(
		{ ...WORKFLOWS.transfer, id: 'bench-profile' },
		{ parameters: { reference: '={{ $json.reference }}' } },
	);
	let round = 0;
	const cards = Array.from({ length: ITEMS }, () => ({ cardNo: CARDS.benchFrom }));
	const members = Array.from({ length: ITEMS }, () => ({ userId: MEMBER }));
	const runs = {
		transfer: async () => await engine.run(WORKFLOWS.transfer, items.transfer, credentials),
		'transfer, references': async () => {
			round++;
			const input = items.transfer.map((item, n) => ({ ...item, reference: `p-${round}-${n}` }));
			await engine.run(referenced, input, credentials);
		},
		'Card → Get': async () => await engine.run(WORKFLOWS.cardGet, cards, credentials),
		'Card → Get Many': async () => await engine.run(WORKFLOWS.cardGetMany, members, credentials),
	};
	const session = new Session();
	session.connect();
	await post(session, 'Profiler.enable');
	await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
	const columns: Array<{
		name: string;
		parts: Map<string, number>;
		wallMs: number;
		calls: string;
	}> = [];
	for (const [name, go] of Object.entries(runs)) {
		await go(); // warm-up: n8n's lazy modules, V8's compiler
		const before = { ...store.calls, lock: store.nodeScopeCalls };
		await post(session, 'Profiler.start');
		const started = process.hrtime.bigint();
		for (let rep = 0; rep < REPS; rep++) await go();
		const wallMs = msSince(started);
		const { profile } = await post<{ profile: Profiler.Profile }>(session, 'Profiler.stop');
		const file = path.join(tmpdir(), `konaplate-bench-${name.replace(/\W+/g, '-')}.cpuprofile`);
		writeFileSync(file, JSON.stringify(profile));
		say(`(${name}: the profile is ${file}; open it in Chrome DevTools or VS Code)`);
		const perRun = (n: number) => `${(n / REPS).toFixed(0)}`;
		const calls = `${perRun(store.calls.checkProcessedAndRecord - before.checkProcessedAndRecord)} + ${perRun(store.calls.removeProcessed - before.removeProcessed)} ledger, ${perRun(store.nodeScopeCalls - before.lock)} lock`;
		columns.push({ name, parts: summarise(profile), wallMs, calls });
	}
	session.disconnect();
	const perItem = (ms: number) => ((ms * 1000) / (REPS * ITEMS)).toFixed(1);
	const names = [...new Set(columns.flatMap((c) => [...c.parts.keys()]))];
	say();
	say(
		`${ITEMS} items per run, ${REPS} runs of each profiled after a warm-up, the emulator on its own thread; µs per input item (CPU samples, 200 µs apart)`,
	);
	say();
	say(`| part (µs per item) | ${columns.map((c) => c.name).join(' | ')} |`);
	say(`|---|${columns.map(() => '---').join('|')}|`);
	for (const part of PART_ORDER.filter((p) => names.includes(p))) {
		say(
			`| ${part} | ${columns.map((c) => perItem((c.parts.get(part) ?? 0) / 1000)).join(' | ')} |`,
		);
	}
	say(`| **wall time** | ${columns.map((c) => `**${perItem(c.wallMs)}**`).join(' | ')} |`);
	say(`| store calls per run | ${columns.map((c) => c.calls).join(' | ')} |`);
}
