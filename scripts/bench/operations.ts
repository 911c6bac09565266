// npm run bench --engine: the node in the in-process engine against the floor, per operation,
// with encryption off and on (n8n's HTTP Request node is compared in a real n8n: real-n8n.ts).
import { EMULATOR_CREDENTIAL_FILE } from '../../emulator/data';
import { encryptionCredentialFields } from '../../emulator/keys';
import type { Engine } from '../engine/engine';
import { WORKFLOWS } from '../engine/workflows';
import { floor } from './floor';
import { heapMb, ITEMS, items, median, msSince, PATHS, REPS, say } from './options';
import type { Operation } from './options';
import type { Emulator } from './setup';
import { CREDENTIAL_TYPE } from '../lib/credential-type';

export async function operationsTable(
	engine: Engine,
	emulators: { plain: Emulator; encrypted: Emulator },
	operations: Operation[],
): Promise<void> {
	for (const operation of operations) {
		for (const encrypted of [false, true]) {
			const emulator = encrypted ? emulators.encrypted : emulators.plain;
			const credential = {
				...EMULATOR_CREDENTIAL_FILE[0].data,
				baseUrl: emulator.baseUrl,
				...(encrypted ? encryptionCredentialFields() : {}),
			};
			const contenders: Record<string, () => Promise<void>> = {
				node: async () => {
					const run = await engine.run(WORKFLOWS[operation], items[operation], {
						[CREDENTIAL_TYPE]: credential,
					});
					const out = Object.values(run.nodes)[0];
					if (out.error || out.outputs[0].length !== ITEMS)
						throw new Error(`node run failed: ${out.error?.message}`);
				},
				floor: async () =>
					await floor(
						new URL(`${emulator.baseUrl}${PATHS[operation]}`),
						items[operation],
						encrypted,
					),
			};
			const times: Record<string, number[]> = Object.fromEntries(
				Object.keys(contenders).map((name) => [name, []]),
			);
			const names = Object.keys(contenders);
			let heapGrowth = 0;
			for (let rep = 0; rep <= REPS; rep++) {
				const order = names.map((_, i) => names[(i + rep) % names.length]);
				for (const name of order) {
					const before = heapMb();
					const started = process.hrtime.bigint();
					await contenders[name]();
					const ms = msSince(started);
					if (rep > 0) times[name].push(ms);
					if (name === 'node' && rep > 0) heapGrowth = Math.max(heapGrowth, heapMb() - before);
				}
			}
			const node = median(times.node);
			const fl = median(times.floor);
			say(
				`| ${operation} | ${encrypted ? 'on' : 'off'} | ${node.toFixed(0)} | ${fl.toFixed(0)} | ${(node / fl).toFixed(2)} | ${((node * 1000) / ITEMS).toFixed(0)} | ${heapGrowth.toFixed(1)} |`,
			);
		}
	}
}
