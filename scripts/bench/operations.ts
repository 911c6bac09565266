// npm run bench's first table: the node against the floor and n8n's HTTP Request node, per
// operation, with encryption off and on.
import { EMULATOR_CREDENTIAL_FILE } from '../../emulator/data';
import { encryptionCredentialFields } from '../../emulator/keys';
import type { Engine } from '../engine/engine';
import { WORKFLOWS } from '../engine/workflows';
import { floor } from './floor';
import { heapMb, ITEMS, items, median, msSince, PATHS, REPS, say } from './options';
import type { Operation } from './options';
import { httpRequestWorkflowFor } from './setup';
import type { Emulator } from './setup';
import { CREDENTIAL_TYPE } from '../lib/credential-type';

const HTTP_REQUEST_CHUNK = 1000;

export async function operationsTable(
	engine: Engine,
	emulators: { plain: Emulator; encrypted: Emulator },
	httpRequestAvailable: boolean,
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
			// The HTTP Request node sends plain JSON only: it has no JWE step.
			if (httpRequestAvailable && !encrypted) {
				// The HTTP Request node sends all its items at once; past a thousand that runs out of
				// sockets on one machine, so larger runs are fed to it a thousand items per execution.
				contenders.http = async () => {
					for (let start = 0; start < ITEMS; start += HTTP_REQUEST_CHUNK) {
						const chunk = items[operation].slice(start, start + HTTP_REQUEST_CHUNK);
						const run = await engine.run(
							httpRequestWorkflowFor(operation, emulator.baseUrl),
							chunk,
							{ [CREDENTIAL_TYPE]: credential },
						);
						const out = Object.values(run.nodes)[0];
						if (out.error || out.outputs[0].length !== chunk.length)
							throw new Error(`HTTP Request run failed: ${out.error?.message}`);
					}
				};
			}
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
			const http = times.http ? median(times.http) : undefined;
			say(
				`| ${operation} | ${encrypted ? 'on' : 'off'} | ${node.toFixed(0)} | ${fl.toFixed(0)} | ${http?.toFixed(0) ?? 'n/a'} | ${(node / fl).toFixed(2)} | ${http ? (node / http).toFixed(2) : 'n/a'} | ${((node * 1000) / ITEMS).toFixed(0)} | ${heapGrowth.toFixed(1)} |`,
			);
		}
	}
}
