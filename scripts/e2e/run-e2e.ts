/**
 * npm run test:e2e: this package in a REAL n8n (cached by install-n8n.sh; by default 2.41.1 on Node 24),
 * installed from `npm pack` the way n8n installs community packages, against the Konaplate
 * emulator. Runs every example workflow (and a few made here), checks what n8n's nodes output,
 * the webhook answers, and what the emulator received. Exit 1 on any failed check.
 *
 * One `n8n execute` (the CLI path) and one `n8n start` for everything else: a server run costs
 * 0.2-0.4 s against 3-4 s for a process per workflow.
 *
 * The checks come in groups (groups/<name>/, listed in groups/index.ts), each keeping the
 * E2eGroup contract of group.ts: its workflows and credentials go into the user folder, its
 * beforeStart runs on n8n's CLI, its run once `n8n start` is up.
 *
 * Another n8n or Node: npm run test:e2e -- --n8n 1.123.81 --node 22
 * (or KONAPLATE_E2E_N8N_VERSION / KONAPLATE_E2E_NODE_VERSION; --node takes 22, 24, 26 or x.y.z).
 * Without the queue-mode group (Postgres, Redis, a main and 2 workers): --no-queue.
 * Only some groups (by their names in groups/index.ts, comma-separated): --only redirects,reads.
 * The closing checks read what the other groups collected: name them too, or they do not run.
 */
import { spawnSync } from 'node:child_process';

import { Checks, FatalCheck } from './checks';
import type { CliContext, E2eGroup, GroupContext } from './group';
import { GROUPS } from './groups';
import { QUEUE_SWITCH } from './groups/queue';
import { prepareInstance, readExamples, stopOnInterrupt } from './instance';
import type { Instance } from './instance';
import type { Workflow } from './n8n/home';
import { ensureN8n, selectedVersions } from './n8n/install';
import type { OutputItem } from './n8n/run-data';

/** The groups --only names, in GROUPS' order; every group without it. */
let selected: E2eGroup[] = GROUPS;

/** --n8n <version> / --node <version> (and --no-queue) become the environment every e2e helper reads. */
function selectVersions(argv: string[]): string {
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--no-queue') {
			process.env[QUEUE_SWITCH] = '0';
			continue;
		}
		const only = /^--only(?:=(.*))?$/.exec(argv[i]);
		if (only) {
			const names = (only[1] ?? argv[++i] ?? '').split(',').filter((name) => name !== '');
			const unknown = names.filter((name) => !GROUPS.some((group) => group.name === name));
			if (names.length === 0 || unknown.length > 0)
				throw new Error(
					`run-e2e: --only takes group names from ${GROUPS.map((g) => g.name).join(', ')}`,
				);
			selected = GROUPS.filter((group) => names.includes(group.name));
			continue;
		}
		const m = /^--(n8n|node)(?:=(.*))?$/.exec(argv[i]);
		if (!m)
			throw new Error(
				`run-e2e: unknown argument ${argv[i]} (use --n8n <version> --node <version> --no-queue --only <groups>)`,
			);
		const value = m[2] !== undefined ? m[2] : argv[++i];
		if (!value) throw new Error(`run-e2e: --${m[1]} needs a version`);
		process.env[m[1] === 'n8n' ? 'KONAPLATE_E2E_N8N_VERSION' : 'KONAPLATE_E2E_NODE_VERSION'] =
			value;
	}
	const { n8n, node } = selectedVersions();
	const groups = selected === GROUPS ? '' : `, only ${selected.map((g) => g.name).join(', ')}`;
	return `n8n ${n8n || '2.41.1'} on Node ${node || '24'}${groups}`;
}

async function main(): Promise<void> {
	const checks = new Checks(`npm run test:e2e (${selectVersions(process.argv.slice(2))})`);
	const examples = readExamples();
	const ex = (file: string): Workflow => {
		if (!examples[file]) throw new Error(`examples/${file} is missing`);
		return examples[file];
	};
	let instance: Instance | undefined;
	const notes: string[] = [];
	const outputs: OutputItem[] = [];
	const stopAll = async () => {
		if (instance) await instance.stop();
		instance = undefined;
	};
	stopOnInterrupt(stopAll);
	try {
		const info = await checks.must('n8n installed (cached; ~5-6 min on a cold cache)', () =>
			ensureN8n({ quiet: false }),
		);
		const nodeVersion = spawnSync(info.NODE_BIN, ['-v'], { encoding: 'utf8' }).stdout.trim();
		notes.push(`n8n ${info.N8N_VERSION} on Node ${nodeVersion}, cache ${info.CACHE}`);

		instance = await checks.must(
			'npm pack, emulator, fresh n8n user folder, import credential + workflows',
			async () => {
				const prepared = await prepareInstance({
					workflows: (baseUrl, credential) => [
						...Object.values(examples),
						...selected.flatMap((g) => g.workflows?.({ examples, ex, baseUrl, credential }) ?? []),
					],
					credentials: selected.flatMap((g) => g.credentials?.() ?? []),
				});
				notes.push(
					`prepare: ${Object.entries(prepared.timings)
						.map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
						.join(', ')}`,
				);
				return prepared;
			},
		);
		const { emulator, home, credential } = instance;
		const cli: CliContext = {
			checks,
			instance,
			home,
			emulator,
			credential,
			baseUrl: emulator.baseUrl,
			examples,
			ex,
			outputs,
			notes,
		};
		for (const group of selected) await group.beforeStart?.(cli);

		const srv = await checks.must('n8n start (server, owner, REST + public API)', async () => {
			const server = await home.start();
			notes.push(`n8n start: editor ready in ${(server.bootMs / 1000).toFixed(1)} s`);
			await server.login();
			return server;
		});
		const context: GroupContext = {
			...cli,
			srv,
			runExample: async (wf) => {
				await emulator.reset();
				return await context.srv.runManually(wf.id);
			},
		};
		for (const group of selected) context.srv = (await group.run?.(context)) || context.srv;
	} catch (err) {
		if (!(err instanceof FatalCheck)) checks.record('unexpected error', false, 0, err);
	} finally {
		const t0 = Date.now();
		await stopAll();
		notes.push(
			`stop n8n + emulator, delete user folder: ${((Date.now() - t0) / 1000).toFixed(1)} s`,
		);
	}
	process.exitCode = checks.summary(notes);
}

void main();
