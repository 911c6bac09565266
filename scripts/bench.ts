// npm run bench [-- --items N --reps R --memory-items M --engine --references --profile --split
// --webhook --calls N --queue --burst N]: the Konaplate node against n8n's HTTP Request node in
// one real n8n, the memory a large run leaves behind, (--profile) where one transfer's time goes,
// and (--webhook, --queue) one payout per execution on both ledgers. See CONTRIBUTING.md, "Benchmark".
import * as os from 'node:os';

import { Engine, PACKAGE_ROOT } from './engine/engine';
import { memoryRuns } from './bench/memory';
import { operationsTable } from './bench/operations';
import {
	ENGINE,
	ITEMS,
	MEMORY_ITEMS,
	PROFILE,
	QUEUE,
	REFERENCES_ONLY,
	REPS,
	say,
	SPLIT,
	WEBHOOK,
} from './bench/options';
import { profileTable } from './bench/profile';
import { queueTable } from './bench/queue';
import { realN8nTable } from './bench/real-n8n';
import { realProfileTable } from './bench/real-profile';
import { references } from './bench/references';
import { splitTable } from './bench/split';
import { startEmulator } from './bench/setup';
import { webhookTables } from './bench/webhook';

/** The in-process engine's runs: the breakdown, the floor, references, memory. */
async function engineRuns(): Promise<void> {
	const engine = await Engine.load(PACKAGE_ROOT);
	const emulators = { plain: await startEmulator(false), encrypted: await startEmulator(true) };
	say();
	say(
		`in-process engine: ${ITEMS} items per run, ${REPS} repetitions (+1 warm-up); Node ${process.versions.node}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average ${os.loadavg()[0].toFixed(2)}`,
	);
	try {
		if (PROFILE) return await profileTable(engine, emulators.plain.baseUrl);
		if (ENGINE) {
			say();
			say(
				'| operation | encryption | node ms | floor ms | node/floor | node µs/item | heap growth MB |',
			);
			say('|---|---|---|---|---|---|---|');
			await operationsTable(engine, emulators, ['transfer', 'delete']);
		}
		if (ENGINE || REFERENCES_ONLY) await references(engine, emulators.plain.baseUrl);
		if (!REFERENCES_ONLY && MEMORY_ITEMS > 0) await memoryRuns(engine, emulators.plain.baseUrl);
	} finally {
		for (const emulator of Object.values(emulators)) await emulator.worker.terminate();
	}
}

async function main(): Promise<void> {
	if (SPLIT) return await splitTable();
	if (WEBHOOK) return await webhookTables();
	if (QUEUE) return await queueTable();
	if (PROFILE) await realProfileTable();
	if (!PROFILE && !REFERENCES_ONLY) {
		say(
			'(asking scripts/e2e/install-n8n.sh for the real n8n of npm run test:e2e: instant when cached, about 5 minutes the first time)',
		);
		say(
			`load average at the start: ${os
				.loadavg()
				.map((n) => n.toFixed(2))
				.join(', ')} (${os.cpus().length} cores)`,
		);
		await realN8nTable();
	}
	await engineRuns();
	if (global.gc === undefined)
		say('\n(heap figures need node --expose-gc; npm run bench passes it)');
}

let finished = false;
// A run that waits on something that can never happen would let Node exit silently: say so.
process.on('beforeExit', () => {
	if (!finished) {
		process.stderr.write(
			'bench: stopped early: the event loop emptied while a run was still waiting\n',
		);
		process.exitCode = 1;
	}
});

void main()
	.then(() => {
		finished = true;
	})
	.catch((error: unknown) => {
		finished = true;
		process.stderr.write(`${String(error)}\n`);
		process.exitCode = 1;
	});
