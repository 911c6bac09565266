/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a dev tool, not in the published package (files: dist): these rules guard the node's code that n8n Cloud runs */
// npm run bench [-- --items N --reps R --references]: the node's cost per item in the n8n engine against
// the emulator (in a process of its own), beside a plain keep-alive client that signs with the
// same pure functions (the floor) and n8n's HTTP Request node with the Konaplate credential.
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import type { IDataObject, INodeType } from 'n8n-workflow';

import { encryptionCredentialFields } from '../emulator/keys';
import { Engine, PACKAGE_ROOT } from './engine/engine';
import type { WorkflowFile } from './engine/engine';
import { MemoryProcessedData, useProcessedDataStore } from './engine/dedup-store';
import { floor } from './bench/floor';
import { withNode, WORKFLOWS } from './engine/workflows';
import { httpRequestWorkflow } from './lib/http-request-workflow';
import { installN8n } from './lib/n8n-install';
import { LEDGER_MAX_ENTRIES } from '../nodes/Konaplate/actions/ledger';
import { ledgerValue, referenceKey } from '../nodes/Konaplate/wire/ledger';
import { CARDS, EMULATOR_CREDENTIAL_FILE, MEMBER } from '../emulator/data';

const say = (line = ''): void => {
	process.stdout.write(`${line}\n`);
};

const arg = (name: string, fallback: number) => {
	const at = process.argv.indexOf(`--${name}`);
	return at === -1 ? fallback : Number(process.argv[at + 1]);
};

const ITEMS = arg('items', 1000);
const REPS = arg('reps', 5);

const HTTP_REQUEST_CHUNK = 1000;

type Operation = 'transfer' | 'delete';
const PATHS: Record<Operation, string> = {
	transfer: '/api/v1/transfer/balance',
	delete: '/api/v1/bankaccounts/delete',
};

const items: Record<Operation, IDataObject[]> = {
	transfer: Array.from({ length: ITEMS }, () => ({
		userId: MEMBER,
		fromCardNo: CARDS.benchFrom,
		toCardNo: CARDS.benchTo,
		amount: 1,
	})),
	delete: Array.from({ length: ITEMS }, () => ({ userId: MEMBER })),
};

interface Emulator {
	baseUrl: string;
	worker: Worker;
}

/** The emulator on a thread of its own: its work and heap stay out of the measured thread. */
async function startEmulator(encrypted: boolean): Promise<Emulator> {
	const script = path.join(PACKAGE_ROOT, '.build', 'emulator', 'cli.js');
	const worker = new Worker(script, {
		workerData: ['--quiet', ...(encrypted ? ['--encryption'] : [])],
	});
	const { baseUrl } = await new Promise<{ baseUrl: string }>((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
	});
	return { baseUrl, worker };
}

/** One HTTP Request node sending what the Konaplate node sends for the operation. */
function httpRequestWorkflowFor(operation: Operation, baseUrl: string): WorkflowFile {
	const json =
		operation === 'transfer'
			? '={{ JSON.stringify({ userId: Number($json.userId), fromCardNo: $json.fromCardNo, toCardNo: $json.toCardNo, amount: $json.amount }) }}'
			: '={{ JSON.stringify({ userId: Number($json.userId) }) }}';
	return httpRequestWorkflow({
		baseUrl,
		calls: [{ name: 'HTTP Request', path: PATHS[operation], body: { json } }],
	});
}

/** n8n's HTTP Request node, from the real n8n of the e2e tests: install-n8n.sh owns where it lives. */
function findHttpRequestNode(): { file: string } | { problem: string } {
	try {
		const { N8N_DIR } = installN8n({ playwright: false });
		const file = path.join(
			N8N_DIR,
			'node_modules',
			'n8n-nodes-base',
			'dist',
			'nodes',
			'HttpRequest',
			'HttpRequest.node.js',
		);
		return existsSync(file) ? { file } : { problem: `not found at ${file}` };
	} catch (error) {
		return { problem: (error as Error).message.split('\n')[0] };
	}
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const heapMb = () => {
	global.gc?.();
	return process.memoryUsage().heapUsed / 2 ** 20;
};

async function main(): Promise<void> {
	say(
		"(asking scripts/e2e/install-n8n.sh for n8n's HTTP Request node: instant when cached, about 5 minutes the first time)",
	);
	const httpRequestNode = findHttpRequestNode();
	const httpRequestAvailable = 'file' in httpRequestNode;
	const extra: Record<string, INodeType> = {};
	if ('file' in httpRequestNode) {
		const { HttpRequest } = (await import(httpRequestNode.file)) as {
			HttpRequest: new () => INodeType;
		};
		extra['n8n-nodes-base.httpRequest'] = new HttpRequest();
	}
	const engine = await Engine.load(PACKAGE_ROOT, extra);
	const emulators = { plain: await startEmulator(false), encrypted: await startEmulator(true) };
	say(
		`${ITEMS} items per run, ${REPS} alternating repetitions (+1 warm-up), median wall time; Node ${process.versions.node}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}`,
	);
	if ('problem' in httpRequestNode)
		say(`(n8n's HTTP Request node: ${httpRequestNode.problem}; that column is skipped)`);
	say();
	// --references: only the table of runs with references
	const operations: Operation[] = process.argv.includes('--references')
		? []
		: ['transfer', 'delete'];
	if (operations.length > 0) {
		say(
			'| operation | encryption | node ms | floor ms | HTTP Request ms | node/floor | node/HTTP Request | node µs/item | heap growth MB |',
		);
		say('|---|---|---|---|---|---|---|---|---|');
	}
	try {
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
							konaCredentials: credential,
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
								{ konaCredentials: credential },
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
						const ms = Number(process.hrtime.bigint() - started) / 1e6;
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
		await references(engine, emulators.plain.baseUrl);
		// Memory: three runs in a row. The first warms n8n's lazy modules and caches; after it,
		// the heap must come back to the same level once each run's result is let go.
		const credential = { ...EMULATOR_CREDENTIAL_FILE[0].data, baseUrl: emulators.plain.baseUrl };
		const held: unknown[] = [];
		const afterRelease: number[] = [];
		let outputMb = 0;
		let holdingMb = 0;
		for (let run = 0; run < 3; run++) {
			const before = heapMb();
			held.push(
				await engine.run(WORKFLOWS.transfer, items.transfer, { konaCredentials: credential }),
			);
			holdingMb = heapMb() - before;
			outputMb = JSON.stringify((held[0] as { nodes: unknown }).nodes).length / 2 ** 20;
			held.length = 0;
			afterRelease.push(heapMb());
		}
		const growth = afterRelease.slice(1).map((mb) => mb - afterRelease[0]);
		say();
		say(
			`memory, ${ITEMS} transfers, 3 runs: heap +${holdingMb.toFixed(1)} MB while a run's result is held (its output: ${outputMb.toFixed(1)} MB as JSON); after runs 2 and 3, once released: ${growth.map((mb) => `${mb >= 0 ? '+' : ''}${mb.toFixed(1)} MB`).join(', ')} against run 1`,
		);
	} finally {
		for (const emulator of Object.values(emulators)) await emulator.worker.terminate();
	}
	if (global.gc === undefined)
		say('\n(heap figures need node --expose-gc; npm run bench passes it)');
}

const RECORDED = 50_000;

/**
 * Transfers with a Reference on every item: a fresh ledger, and one already holding 50,000
 * references (n8n's deduplication store in memory, as a JSON row read and written whole, like
 * its database row), against the same run without references.
 */
async function references(engine: Engine, baseUrl: string): Promise<void> {
	const store = await useProcessedDataStore();
	const credential = { ...EMULATOR_CREDENTIAL_FILE[0].data, baseUrl };
	const withReferences = (id: string): WorkflowFile => ({
		...withNode(WORKFLOWS.transfer, { parameters: { reference: '={{ $json.reference }}' } }),
		id,
	});
	const context = (id: string) => ({ workflow: { id, active: false } });
	const full = withReferences('bench-ledger-50k');
	// A transferred reference holds its claim and its done.
	const recorded = Array.from({ length: RECORDED }, (_, n) =>
		referenceKey({ baseUrl, aspId: credential.aspId }, `earlier-${n}`),
	).flatMap((key) => [ledgerValue('claim', key), ledgerValue('done', key)]);
	await store.checkProcessedAndRecord(recorded, 'workflow', context(full.id ?? ''), {
		mode: 'entries',
		maxEntries: LEDGER_MAX_ENTRIES,
	});
	const fullRow = new Map(store.rows);
	let round = 0;
	const run = async (workflow: WorkflowFile, referenced: boolean) => {
		round++;
		const input = referenced
			? items.transfer.map((item, n) => ({ ...item, reference: `bench-${round}-${n}` }))
			: items.transfer;
		const result = Object.values(
			(await engine.run(workflow, input, { konaCredentials: credential })).nodes,
		)[0];
		if (
			result.error ||
			result.outputs[0].length !== ITEMS ||
			(referenced && result.outputs[0].some((item) => item.json.reference === undefined))
		) {
			throw new Error(`references run failed: ${result.error?.message}`);
		}
	};
	const contenders: Record<string, { prepare: () => Promise<void>; go: () => Promise<void> }> = {
		'no reference': {
			prepare: async () => {},
			go: async () => await run(WORKFLOWS.transfer, false),
		},
		'references, empty ledger': {
			prepare: async () =>
				await store.clearAllProcessedItems('workflow', context('bench-ledger-empty')),
			go: async () => await run(withReferences('bench-ledger-empty'), true),
		},
		[`references, ${RECORDED.toLocaleString('en-US')} recorded`]: {
			prepare: async () => {
				for (const [key, row] of fullRow) store.rows.set(key, row);
			},
			go: async () => await run(full, true),
		},
	};
	const names = Object.keys(contenders);
	const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
	const calls: Record<string, string> = {};
	for (let rep = 0; rep <= REPS; rep++) {
		for (const name of names.map((_, i) => names[(i + rep) % names.length])) {
			await contenders[name].prepare();
			const before = { ...store.calls };
			const started = process.hrtime.bigint();
			await contenders[name].go();
			const ms = Number(process.hrtime.bigint() - started) / 1e6;
			if (rep > 0) times[name].push(ms);
			calls[name] =
				`${store.calls.checkProcessedAndRecord - before.checkProcessedAndRecord} + ${store.calls.removeProcessed - before.removeProcessed}`;
		}
	}
	const base = median(times['no reference']);
	say();
	say(
		`${ITEMS} transfers (encryption off), a Reference on every item; store calls: record + remove (n8n's deduplication store, in memory as ${MemoryProcessedData.name})`,
	);
	say();
	say('| run | node ms | vs no reference | store calls |');
	say('|---|---|---|---|');
	for (const name of names) {
		const ms = median(times[name]);
		say(`| ${name} | ${ms.toFixed(0)} | ${(ms / base).toFixed(2)} | ${calls[name]} |`);
	}
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
