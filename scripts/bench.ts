// npm run bench [-- --items N --reps R --references]: the node's cost per item in the n8n engine against
// the emulator (in a process of its own), beside a plain keep-alive client that signs with the
// same pure functions (the floor) and n8n's HTTP Request node with the Konaplate credential.
import * as os from 'node:os';

import { Engine, PACKAGE_ROOT } from './engine/engine';
import { memoryRuns } from './bench/memory';
import { operationsTable } from './bench/operations';
import { ITEMS, REFERENCES_ONLY, REPS, say } from './bench/options';
import type { Operation } from './bench/options';
import { references } from './bench/references';
import { loadHttpRequestNode, startEmulator } from './bench/setup';

async function main(): Promise<void> {
	say(
		"(asking scripts/e2e/install-n8n.sh for n8n's HTTP Request node: instant when cached, about 5 minutes the first time)",
	);
	const httpRequest = await loadHttpRequestNode();
	const engine = await Engine.load(PACKAGE_ROOT, httpRequest.extra);
	const emulators = { plain: await startEmulator(false), encrypted: await startEmulator(true) };
	say(
		`${ITEMS} items per run, ${REPS} alternating repetitions (+1 warm-up), median wall time; Node ${process.versions.node}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}`,
	);
	if (httpRequest.problem !== undefined)
		say(`(n8n's HTTP Request node: ${httpRequest.problem}; that column is skipped)`);
	say();
	const operations: Operation[] = REFERENCES_ONLY ? [] : ['transfer', 'delete'];
	if (operations.length > 0) {
		say(
			'| operation | encryption | node ms | floor ms | HTTP Request ms | node/floor | node/HTTP Request | node µs/item | heap growth MB |',
		);
		say('|---|---|---|---|---|---|---|---|---|');
	}
	try {
		await operationsTable(engine, emulators, httpRequest.problem === undefined, operations);
		await references(engine, emulators.plain.baseUrl);
		await memoryRuns(engine, emulators.plain.baseUrl);
	} finally {
		for (const emulator of Object.values(emulators)) await emulator.worker.terminate();
	}
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
