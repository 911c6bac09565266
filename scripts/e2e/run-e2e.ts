/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- a test tool, not node code: it reads its arguments, runs n8n and tar, and sets the exit code */
/**
 * npm run test:e2e: this package in a REAL n8n (cached by install-n8n.sh; by default 2.41.1 on Node 24),
 * installed from `npm pack` the way n8n installs community packages, against the Konaplate
 * emulator. Runs every example workflow (and a few made here), checks what n8n's nodes output,
 * the webhook answers, and what the emulator received. Exit 1 on any failed check.
 *
 * One `n8n execute` (the CLI path) and one `n8n start` for everything else: a server run costs
 * 0.2-0.4 s against 3-4 s for a process per workflow.
 *
 * Another n8n or Node: npm run test:e2e -- --n8n 1.123.81 --node 22
 * (or KONAPLATE_E2E_N8N_VERSION / KONAPLATE_E2E_NODE_VERSION; --node takes 22, 24, 26 or x.y.z).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { CORRELATION_ID_PATTERN as CORRELATION_ID } from '../../nodes/Konaplate/wire/clock';
import { ENDPOINT } from '../../nodes/Konaplate/wire/endpoints';
import { MEMBER } from '../../emulator/data';
import { assert, Checks, FatalCheck } from './checks';
import { credentialTestChecks } from './credential-test';
import { emulatorReceived } from './expect';
import { httpRequestE2e, madeHere, runExampleChecks } from './examples';
import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	PACKAGE_NAME,
	prepareInstance,
	readExamples,
	stopOnInterrupt,
} from './instance';
import type { Instance } from './instance';
import { ledgerWorkflows, runLedgerChecks } from './ledger';
import * as mcp from './mcp';
import * as mcpWorkflows from './mcp-workflows';
import type { Workflow } from './n8n/home';
import { createHome } from './n8n/home';
import { ensureN8n, selectedVersions } from './n8n/install';
import type { ExecutionSummary, OutputItem } from './n8n/run-data';
import type { N8nServer } from './n8n/server';
import * as reads from './reads';

/** What /types/nodes.json says of a node type, as far as the checks read it. */
interface NodeTypeDescription {
	name: string;
	properties: Array<{
		name: string;
		displayOptions?: { show?: { resource?: string[] } };
		options?: Array<{ action?: string }>;
	}>;
}

/** The packed package with its node file requiring a module that is not there. */
function brokenCopy(tarball: string): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'konaplate-broken-'));
	const r = spawnSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	if (r.status !== 0) throw new Error(`tar: ${r.stderr}`);
	writeFileSync(
		path.join(dir, 'dist/nodes/Konaplate/Konaplate.node.js'),
		"require('konaplate-e2e-missing-runtime-dependency');\n",
	);
	return dir;
}

/** --n8n <version> / --node <version> become the environment every e2e helper reads. */
function selectVersions(argv: string[]): string {
	for (let i = 0; i < argv.length; i++) {
		const m = /^--(n8n|node)(?:=(.*))?$/.exec(argv[i]);
		if (!m)
			throw new Error(
				`run-e2e: unknown argument ${argv[i]} (use --n8n <version> --node <version>)`,
			);
		const value = m[2] !== undefined ? m[2] : argv[++i];
		if (!value) throw new Error(`run-e2e: --${m[1]} needs a version`);
		process.env[m[1] === 'n8n' ? 'KONAPLATE_E2E_N8N_VERSION' : 'KONAPLATE_E2E_NODE_VERSION'] =
			value;
	}
	const { n8n, node } = selectedVersions();
	return `n8n ${n8n || '2.41.1'} on Node ${node || '24'}`;
}

async function main(): Promise<void> {
	const checks = new Checks(`npm run test:e2e (${selectVersions(process.argv.slice(2))})`);
	const examples = readExamples();
	const ex = (file: string): Workflow => {
		if (!examples[file]) throw new Error(`examples/${file} is missing`);
		return examples[file];
	};
	let instance: Instance | undefined;
	let srv: N8nServer;
	const extra: string[] = [];
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
		extra.push(`n8n ${info.N8N_VERSION} on Node ${nodeVersion}, cache ${info.CACHE}`);

		instance = await checks.must(
			'npm pack, emulator, fresh n8n user folder, import credential + workflows',
			async () => {
				const prepared = await prepareInstance({
					workflows: (baseUrl, credential) => [
						...Object.values(examples),
						...madeHere(ex),
						...reads.workflows(),
						httpRequestE2e(baseUrl, credential),
						...ledgerWorkflows(examples),
						...mcpWorkflows.workflows(examples),
					],
					credentials: mcpWorkflows.credentials(),
				});
				extra.push(
					`prepare: ${Object.entries(prepared.timings)
						.map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
						.join(', ')}`,
				);
				return prepared;
			},
		);
		const { emulator, home, credential, pack, importLoadErrors } = instance;

		await checks.check(
			'tarball holds package.json, the node, the credential and their icons',
			() => {
				for (const file of [
					'package.json',
					'dist/nodes/Konaplate/Konaplate.node.js',
					'dist/nodes/Konaplate/konaplate.svg',
					'dist/nodes/Konaplate/konaplate.dark.svg',
					'dist/credentials/KonaCredentials.credentials.js',
					'dist/credentials/konaplate.svg',
					'dist/credentials/konaplate.dark.svg',
				]) {
					assert.ok(pack.files.includes(file), `${file} not in ${path.basename(pack.tarball)}`);
				}
				assert.ok(
					!pack.files.some((f) => /^(test|scripts|nodes|credentials)\//.test(f)),
					'sources or tests in the tarball',
				);
			},
		);
		await checks.must(
			'package loads in n8n import:credentials / import:workflow (no load errors)',
			() => {
				assert.deepEqual(importLoadErrors, [], `${PACKAGE_NAME} does not load in n8n`);
			},
		);

		await checks.check(
			'n8n execute (CLI): delete-bank-account -> deleted, correlation id, 1 signed request',
			async () => {
				await emulator.reset();
				const r = await home.execute(ex('delete-bank-account.json').id);
				assert.deepEqual(r.packageLoadErrors, [], 'package load errors');
				assert.ok(
					r.ok,
					`n8n execute failed (exit ${r.exitCode}): ${JSON.stringify(r.error)}\n${r.log.slice(-2000)}`,
				);
				const [item] = r.nodes['Delete Bank Account'].items;
				outputs.push(item);
				assert.deepEqual(Object.keys(item).sort(), ['correlationId', 'deleted', 'userId']);
				assert.equal(item.deleted, true);
				assert.equal(item.userId, MEMBER);
				assert.match(item.correlationId, CORRELATION_ID);
				await emulatorReceived(emulator, credential, [
					{
						path: ENDPOINT.delete,
						code: '000_000',
						correlationId: item.correlationId,
						body: { userId: Number(MEMBER) },
					},
				]);
				const { members } = await emulator.state();
				assert.equal(
					members.find((m) => m.userId === MEMBER)?.bankAccount,
					null,
					'bank account still registered',
				);
			},
		);

		await checks.check(
			'guard: a package that fails to load is caught (load error logged, its workflow fails)',
			async () => {
				const dir = brokenCopy(pack.tarball);
				const broken = await createHome({ packages: [dir] });
				try {
					await broken.importWorkflows([ex('delete-bank-account.json')]);
					const r = await broken.execute(ex('delete-bank-account.json').id);
					assert.ok(!r.ok && r.exitCode !== 0, 'the workflow ran with a broken package');
					// n8n 2.x names the package; 1.x logs the require error, whose stack names it
					const named = (l: string) =>
						l.includes(`Failed to load package "${PACKAGE_NAME}"`) ||
						l.includes(`/node_modules/${PACKAGE_NAME})`);
					assert.ok(r.packageLoadErrors.some(named), `no load error found:\n${r.log.slice(-1500)}`);
					// n8n 2.41.1's CLI then says "No active execution found"; other versions "Unrecognized node type"
					assert.match(r.error?.message ?? '', /No active execution found|Unrecognized node type/);
				} finally {
					await broken.dispose();
					rmSync(dir, { recursive: true, force: true });
				}
			},
		);

		srv = await checks.must('n8n start (server, owner, REST + public API)', async () => {
			const server = await home.start();
			extra.push(`n8n start: editor ready in ${(server.bootMs / 1000).toFixed(1)} s`);
			await server.login();
			return server;
		});
		await checks.must(
			'server: package loaded, node and credential types in /types/*.json',
			async () => {
				assert.deepEqual(srv.packageLoadErrors, []);
				const get = async <T>(p: string): Promise<T> => {
					const res = await fetch(`${srv.baseUrl}${p}`, { headers: { cookie: srv.cookie ?? '' } });
					assert.equal(res.status, 200, p);
					return (await res.json()) as T;
				};
				const nodeTypes = await get<NodeTypeDescription[]>('/types/nodes.json');
				const node = nodeTypes.find((t) => t.name === NODE_TYPE);
				assert.ok(node, `${NODE_TYPE} not in /types/nodes.json`);
				assert.deepEqual(
					node.properties
						.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'card')
						?.options?.map((o) => o.action),
					[
						'Get a card with its balance and status',
						'Get many cards of a member',
						'Transfer KRW between two ACTIVE cards of a member',
					],
				);
				const credentialTypes = await get<Array<{ name: string }>>('/types/credentials.json');
				assert.ok(
					credentialTypes.some((t) => t.name === CREDENTIAL_TYPE),
					`${CREDENTIAL_TYPE} not in /types/credentials.json`,
				);
			},
		);

		const runExample = async (wf: Workflow): Promise<ExecutionSummary> => {
			await emulator.reset();
			const execution = await srv.runManually(wf.id);
			return execution;
		};

		await runExampleChecks({ checks, srv, emulator, credential, ex, runExample, outputs });

		await credentialTestChecks(checks, {
			srv,
			emulator,
			credential,
			transfer: ex('transfer-amount.json'),
		});

		await reads.run({ checks, srv, emulator, credential, ex, runExample });

		await mcp.run({ checks, srv, emulator, credential, examples });
		extra.push(
			`MCP: what the client received, verbatim: ${path.relative(process.cwd(), mcp.TRANSCRIPT)}`,
		);

		srv = (await runLedgerChecks({ checks, home, srv, emulator, examples, outputs })) || srv;

		await checks.check(
			'no keys in n8n logs or outputs, no full card number in Konaplate outputs',
			() => {
				const secrets = [credential.data.secretKey, credential.data.accessKey];
				const logs = srv.log;
				for (const s of secrets)
					assert.ok(!logs.includes(s), 'a key appears in the n8n server log');
				const text = JSON.stringify(outputs);
				for (const s of secrets) assert.ok(!text.includes(s), 'a key appears in an output');
				assert.doesNotMatch(text, /\d{16}/, 'a full card number appears in an output');
				assert.ok(outputs.length >= 7, `only ${outputs.length} outputs collected`);
			},
		);
		await checks.check('server log: still no package load errors', () => {
			assert.deepEqual(srv.packageLoadErrors, []);
		});
	} catch (err) {
		if (!(err instanceof FatalCheck)) checks.record('unexpected error', false, 0, err);
	} finally {
		const t0 = Date.now();
		await stopAll();
		extra.push(
			`stop n8n + emulator, delete user folder: ${((Date.now() - t0) / 1000).toFixed(1)} s`,
		);
	}
	process.exitCode = checks.summary(extra);
}

void main();
