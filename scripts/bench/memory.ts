// npm run bench's closing line: the heap while a run's result is held, and after it is let go.
import { EMULATOR_CREDENTIAL_FILE } from '../../emulator/data';
import type { Engine } from '../engine/engine';
import { WORKFLOWS } from '../engine/workflows';
import { heapMb, MEMORY_ITEMS, say, transfers } from './options';
import { CREDENTIAL_TYPE } from '../lib/credential-type';

export async function memoryRuns(engine: Engine, baseUrl: string): Promise<void> {
	// Memory: three runs in a row. The first warms n8n's lazy modules and caches; after it,
	// the heap must come back to the same level once each run's result is let go.
	const credential = { ...EMULATOR_CREDENTIAL_FILE[0].data, baseUrl };
	const input = transfers(MEMORY_ITEMS);
	const held: unknown[] = [];
	const left: number[] = [];
	let outputMb = 0;
	let holdingMb = 0;
	for (let run = 0; run < 3; run++) {
		const before = heapMb();
		held.push(await engine.run(WORKFLOWS.transfer, input, { [CREDENTIAL_TYPE]: credential }));
		holdingMb = heapMb() - before;
		outputMb = JSON.stringify((held[0] as { nodes: unknown }).nodes).length / 2 ** 20;
		held.length = 0;
		left.push(heapMb() - before);
	}
	const mb = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)} MB`;
	say();
	say(
		`memory (in-process engine), ${MEMORY_ITEMS.toLocaleString('en-US')} transfers, 3 runs: heap ${mb(holdingMb)} while a run's result is held (its output: ${outputMb.toFixed(1)} MB as JSON); once released, each run left ${left.map(mb).join(', ')} (the first warms n8n's lazy modules; target for runs 2 and 3: under 5 MB)`,
	);
}
