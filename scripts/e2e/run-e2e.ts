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

import type { INode } from 'n8n-workflow';

import { CORRELATION_ID_PATTERN as CORRELATION_ID } from '../../nodes/Konaplate/wire/clock';
import { ENDPOINT } from '../../nodes/Konaplate/wire/endpoints';
import { maskCardNo as masked } from '../../nodes/Konaplate/wire/fields';
import { CARDS, MEMBER } from '../../emulator/data';
import { httpRequestWorkflow } from '../lib/http-request-workflow';
import { assert, Checks, FatalCheck } from './checks';
import { credentialTestChecks } from './credential-test';
import { assertSucceeded, balancesAre, CORRELATION_ID_IN_TEXT, emulatorReceived } from './expect';
import { CREDENTIAL_TYPE, NODE_TYPE, PACKAGE_NAME, prepareInstance, readExamples, stopOnInterrupt } from './instance';
import type { EmulatorCredential, Instance } from './instance';
import { ledgerWorkflows, runLedgerChecks } from './ledger';
import * as mcp from './mcp';
import type { Workflow } from './n8n/home';
import { createHome } from './n8n/home';
import { ensureN8n, selectedVersions } from './n8n/install';
import type { ExecutionSummary, OutputItem } from './n8n/run-data';
import type { N8nServer } from './n8n/server';
import * as reads from './reads';

const WEBHOOK_PATH = 'konaplate-transfer';

/** What /types/nodes.json says of a node type, as far as the checks read it. */
interface NodeTypeDescription {
	name: string;
	properties: Array<{ name: string; displayOptions?: { show?: { resource?: string[] } }; options?: Array<{ action?: string }> }>;
}

const konaplateNode = (wf: Workflow): INode => {
	const node = wf.nodes.find((n) => n.type === NODE_TYPE);
	if (!node) throw new Error(`${wf.name}: no Konaplate node`);
	return node;
};

/** A copy of an example with a new id and other parameters on its Konaplate node. */
function derive(example: Workflow, { id, name, parameters, onError }: { id: string; name: string; parameters: Record<string, unknown>; onError?: INode['onError'] }): Workflow {
	const wf = JSON.parse(JSON.stringify(example)) as Workflow;
	const node = konaplateNode(wf);
	Object.assign(wf, { id, name });
	Object.assign(node.parameters, parameters);
	if (onError) node.onError = onError;
	else delete node.onError;
	return wf;
}

/** Manual trigger -> HTTP Request nodes with "Predefined Credential Type -> konaCredentials": a JSON and a raw body. */
function httpRequestE2e(baseUrl: string, credential: EmulatorCredential): Workflow {
	const workflow = httpRequestWorkflow({
		name: 'e2e: HTTP Request node with the Konaplate credential',
		credential,
		trigger: true,
		steps: [
			{
				name: 'Inquiry (JSON body)',
				url: `${baseUrl}${ENDPOINT.accountInquiry}`,
				body: { contentType: 'json', specifyBody: 'json', jsonBody: `{ "userId": ${MEMBER} }` },
			},
			{
				name: 'Transfer (raw body)',
				url: `${baseUrl}${ENDPOINT.transfer}`,
				// a bare 11-digit number, as Konaplate wants userId
				body: { contentType: 'raw', rawContentType: 'application/json', body: `{"userId":${MEMBER},"fromCardNo":"${CARDS.main}","toCardNo":"${CARDS.second}","amount":700}` },
			},
		],
	});
	return { ...workflow, id: 'kpE2eHttpRequest01' };
}

function assertTransferOutput(item: OutputItem, { from, to, amount, entire }: { from: string; to: string; amount: number; entire: boolean }): void {
	assert.deepEqual(Object.keys(item).sort(), ['amount', 'correlationId', 'fromCardNo', 'toCardNo', 'transferEntireBalance', 'transferred', 'userId']);
	assert.equal(item.transferred, true);
	assert.equal(item.userId, MEMBER);
	assert.equal(item.fromCardNo, masked(from));
	assert.equal(item.toCardNo, masked(to));
	assert.equal(item.transferEntireBalance, entire);
	assert.equal(item.amount, amount);
	assert.match(item.correlationId, CORRELATION_ID);
}

/** The packed package with its node file requiring a module that is not there. */
function brokenCopy(tarball: string): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'konaplate-broken-'));
	const r = spawnSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	if (r.status !== 0) throw new Error(`tar: ${r.stderr}`);
	writeFileSync(path.join(dir, 'dist/nodes/Konaplate/Konaplate.node.js'), "require('konaplate-e2e-missing-runtime-dependency');\n");
	return dir;
}

/** --n8n <version> / --node <version> become the environment every e2e helper reads. */
function selectVersions(argv: string[]): string {
	for (let i = 0; i < argv.length; i++) {
		const m = /^--(n8n|node)(?:=(.*))?$/.exec(argv[i]);
		if (!m) throw new Error(`run-e2e: unknown argument ${argv[i]} (use --n8n <version> --node <version>)`);
		const value = m[2] !== undefined ? m[2] : argv[++i];
		if (!value) throw new Error(`run-e2e: --${m[1]} needs a version`);
		process.env[m[1] === 'n8n' ? 'KONAPLATE_E2E_N8N_VERSION' : 'KONAPLATE_E2E_NODE_VERSION'] = value;
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
	const madeHere = [
		derive(ex('transfer-amount.json'), { id: 'kpE2eNotEnough01', name: 'e2e: 005_018 stops the run', parameters: { amount: 1000000 } }),
		derive(ex('delete-bank-account.json'), { id: 'kpE2eUnknownMember1', name: 'e2e: 001_006 continues', parameters: { userId: '1' }, onError: 'continueRegularOutput' }),
		derive(ex('transfer-amount.json'), { id: 'kpE2eAmountZero01', name: 'e2e: amount 0 refused', parameters: { amount: 0 } }),
	];
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
		const info = await checks.must('n8n installed (cached; ~5-6 min on a cold cache)', () => ensureN8n({ quiet: false }));
		const nodeVersion = spawnSync(info.NODE_BIN, ['-v'], { encoding: 'utf8' }).stdout.trim();
		extra.push(`n8n ${info.N8N_VERSION} on Node ${nodeVersion}, cache ${info.CACHE}`);

		instance = await checks.must('npm pack, emulator, fresh n8n user folder, import credential + workflows', async () => {
			const prepared = await prepareInstance({
				workflows: (baseUrl, credential) => [...Object.values(examples), ...madeHere, ...reads.workflows(), httpRequestE2e(baseUrl, credential), ...ledgerWorkflows(examples), ...mcp.workflows(examples)],
				credentials: mcp.credentials(),
			});
			extra.push(`prepare: ${Object.entries(prepared.timings).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
			return prepared;
		});
		const { emulator, home, credential, pack, importLoadErrors } = instance;

		await checks.check('tarball holds package.json, the node, the credential and their icons', () => {
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
			assert.ok(!pack.files.some((f) => /^(test|scripts|nodes|credentials)\//.test(f)), 'sources or tests in the tarball');
		});
		await checks.must('package loads in n8n import:credentials / import:workflow (no load errors)', () => {
			assert.deepEqual(importLoadErrors, [], `${PACKAGE_NAME} does not load in n8n`);
		});

		await checks.check('n8n execute (CLI): delete-bank-account -> deleted, correlation id, 1 signed request', async () => {
			await emulator.reset();
			const r = await home.execute(ex('delete-bank-account.json').id);
			assert.deepEqual(r.packageLoadErrors, [], 'package load errors');
			assert.ok(r.ok, `n8n execute failed (exit ${r.exitCode}): ${JSON.stringify(r.error)}\n${r.log.slice(-2000)}`);
			const [item] = r.nodes['Delete Bank Account'].items;
			outputs.push(item);
			assert.deepEqual(Object.keys(item).sort(), ['correlationId', 'deleted', 'userId']);
			assert.equal(item.deleted, true);
			assert.equal(item.userId, MEMBER);
			assert.match(item.correlationId, CORRELATION_ID);
			await emulatorReceived(emulator, credential, [{ path: ENDPOINT.delete, code: '000_000', correlationId: item.correlationId, body: { userId: Number(MEMBER) } }]);
			const { members } = await emulator.state();
			assert.equal(members.find((m) => m.userId === MEMBER)?.bankAccount, null, 'bank account still registered');
		});

		await checks.check('guard: a package that fails to load is caught (load error logged, its workflow fails)', async () => {
			const dir = brokenCopy(pack.tarball);
			const broken = await createHome({ packages: [dir] });
			try {
				await broken.importWorkflows([ex('delete-bank-account.json')]);
				const r = await broken.execute(ex('delete-bank-account.json').id);
				assert.ok(!r.ok && r.exitCode !== 0, 'the workflow ran with a broken package');
				// n8n 2.x names the package; 1.x logs the require error, whose stack names it
				const named = (l: string) => l.includes(`Failed to load package "${PACKAGE_NAME}"`) || l.includes(`/node_modules/${PACKAGE_NAME})`);
				assert.ok(r.packageLoadErrors.some(named), `no load error found:\n${r.log.slice(-1500)}`);
				// n8n 2.41.1's CLI then says "No active execution found"; other versions "Unrecognized node type"
				assert.match(r.error?.message ?? '', /No active execution found|Unrecognized node type/);
			} finally {
				await broken.dispose();
				rmSync(dir, { recursive: true, force: true });
			}
		});

		srv = await checks.must('n8n start (server, owner, REST + public API)', async () => {
			const server = await home.start();
			extra.push(`n8n start: editor ready in ${(server.bootMs / 1000).toFixed(1)} s`);
			await server.login();
			return server;
		});
		await checks.must('server: package loaded, node and credential types in /types/*.json', async () => {
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
				node.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'card')?.options?.map((o) => o.action),
				['Get a card with its balance and status', 'Get many cards of a member', 'Transfer KRW between two ACTIVE cards of a member'],
			);
			const credentialTypes = await get<Array<{ name: string }>>('/types/credentials.json');
			assert.ok(credentialTypes.some((t) => t.name === CREDENTIAL_TYPE), `${CREDENTIAL_TYPE} not in /types/credentials.json`);
		});

		const runExample = async (wf: Workflow): Promise<ExecutionSummary> => {
			await emulator.reset();
			const execution = await srv.runManually(wf.id);
			return execution;
		};

		await checks.check('transfer-amount: 5,000 KRW, masked cards, correlation id, 1 signed request, balances moved', async () => {
			const wf = ex('transfer-amount.json');
			const e = await runExample(wf);
			assertSucceeded(e);
			const items = e.nodes[konaplateNode(wf).name].items;
			assert.equal(items.length, 1);
			outputs.push(...items);
			assertTransferOutput(items[0], { from: CARDS.main, to: CARDS.second, amount: 5000, entire: false });
			await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.transfer, code: '000_000', correlationId: items[0].correlationId, body: { userId: Number(MEMBER), fromCardNo: CARDS.main, toCardNo: CARDS.second, amount: 5000 } },
			]);
			await balancesAre(emulator, { [CARDS.main]: 45000, [CARDS.second]: 15000 });
		});

		await checks.check('transfer-entire-balance: amount 0 sent, 10,000 KRW moved and reported', async () => {
			const wf = ex('transfer-entire-balance.json');
			const e = await runExample(wf);
			assertSucceeded(e);
			const items = e.nodes[konaplateNode(wf).name].items;
			outputs.push(...items);
			assertTransferOutput(items[0], { from: CARDS.second, to: CARDS.main, amount: 10000, entire: true });
			await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.transfer, code: '000_000', correlationId: items[0].correlationId, body: { userId: Number(MEMBER), fromCardNo: CARDS.second, toCardNo: CARDS.main, amount: 0 } },
			]);
			await balancesAre(emulator, { [CARDS.main]: 60000, [CARDS.second]: 0 });
		});

		await checks.check('error-output-report: 005_017 to the error output, reported by the Set node with its code', async () => {
			const wf = ex('error-output-report.json');
			const e = await runExample(wf);
			assertSucceeded(e);
			const transfer = e.nodes[konaplateNode(wf).name];
			assert.deepEqual(transfer.outputs[0], [], 'success output should be empty');
			const [failed] = transfer.outputs[1];
			outputs.push(failed);
			assert.equal(failed.error.message, '005_017: Possible collection balance is zero.');
			assert.equal(failed.error.code, '005_017');
			assert.equal(failed.error.httpCode, 400);
			assert.equal(failed.error.itemIndex, 0);
			assert.match(failed.error.correlationId, CORRELATION_ID);
			assert.match(failed.error.description, new RegExp(`balance of 0.*\\(HTTP 400, item 0, correlation id ${CORRELATION_ID_IN_TEXT}\\)`));
			assert.equal(e.nodes.Transferred, undefined, 'the success branch ran');
			const [report] = e.nodes['Report the Konaplate code'].items;
			assert.deepEqual(report, { failed: true, konaplateCode: '005_017', message: failed.error.message, correlationId: failed.error.correlationId });
			await emulatorReceived(emulator, credential, [{ path: ENDPOINT.transfer, code: '005_017', correlationId: failed.error.correlationId }]);
			await balancesAre(emulator, {});
		});

		await checks.check('documented error: 005_018 stops the run as NodeApiError with code, meaning, correlation id', async () => {
			const e = await runExample(madeHere[0]);
			assert.equal(e.status, 'error');
			assert.equal(e.error?.name, 'NodeApiError');
			assert.equal(e.error?.message, '005_018: There is not enough balance to transfer.');
			assert.equal(String(e.error?.httpCode), '400');
			const m = new RegExp(`more than the balance.*\\(HTTP 400, item 0, correlation id (${CORRELATION_ID_IN_TEXT})\\)`).exec(e.error?.description ?? '');
			assert.ok(m, `description: ${e.error?.description}`);
			await emulatorReceived(emulator, credential, [{ path: ENDPOINT.transfer, code: '005_018', correlationId: m[1] }]);
			await balancesAre(emulator, {});
		});

		await checks.check('documented error: 001_006 with On Error -> Continue becomes { error: { message, code, ... } }', async () => {
			const e = await runExample(madeHere[1]);
			assertSucceeded(e);
			const [item] = e.nodes[konaplateNode(madeHere[1]).name].items;
			outputs.push(item);
			assert.deepEqual(Object.keys(item), ['error']);
			assert.equal(item.error.message, '001_006: Wallet user not found.');
			assert.deepEqual(Object.keys(item.error).sort(), ['code', 'correlationId', 'description', 'httpCode', 'itemIndex', 'message']);
			assert.equal(item.error.code, '001_006');
			assert.equal(item.error.httpCode, 400);
			await emulatorReceived(emulator, credential, [{ path: ENDPOINT.delete, code: '001_006', correlationId: item.error.correlationId, body: { userId: 1 } }]);
		});

		await checks.check('refused before sending: amount 0 (NodeOperationError naming the field, 0 requests)', async () => {
			const e = await runExample(madeHere[2]);
			assert.equal(e.status, 'error');
			assert.equal(e.error?.name, 'NodeOperationError');
			assert.match(`${e.error?.message} ${e.error?.description || ''}`, /Amount/);
			await emulatorReceived(emulator, credential, []);
		});

		await checks.check('webhook-transfer: POST -> 200 with the transfer; refused -> 422 with the code; 2 signed requests', async () => {
			const wf = ex('webhook-transfer.json');
			await emulator.reset();
			await srv.activate(wf.id, { webhookPaths: [WEBHOOK_PATH] });
			const ok = await srv.callWebhook('POST', WEBHOOK_PATH, { userId: MEMBER, fromCardNo: CARDS.main, toCardNo: CARDS.second, amount: 1200 });
			assert.equal(ok.status, 200, ok.text);
			outputs.push(ok.json);
			assertTransferOutput(ok.json, { from: CARDS.main, to: CARDS.second, amount: 1200, entire: false });
			const refused = await srv.callWebhook('POST', WEBHOOK_PATH, { userId: MEMBER, fromCardNo: CARDS.empty, toCardNo: CARDS.main, amount: 100 });
			assert.equal(refused.status, 422, refused.text);
			outputs.push(refused.json);
			assert.equal(refused.json.code, '005_017');
			assert.equal(refused.json.error, '005_017: Possible collection balance is zero.');
			assert.match(refused.json.correlationId, CORRELATION_ID);
			await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.transfer, code: '000_000', correlationId: ok.json.correlationId, body: { userId: Number(MEMBER), fromCardNo: CARDS.main, toCardNo: CARDS.second, amount: 1200 } },
				{ path: ENDPOINT.transfer, code: '005_017', correlationId: refused.json.correlationId },
			]);
			await balancesAre(emulator, { [CARDS.main]: 48800, [CARDS.second]: 11200 });
		});

		await checks.check("n8n's HTTP Request node, Predefined Credential Type konaCredentials: JSON and raw bodies signed, accepted", async () => {
			const wf = httpRequestE2e(emulator.baseUrl, credential);
			const e = await runExample(wf);
			assertSucceeded(e);
			const [inquiry] = e.nodes['Inquiry (JSON body)'].items;
			assert.equal(inquiry.response.code, '000_000', JSON.stringify(inquiry));
			assert.equal(String(inquiry.userId), MEMBER);
			const [transfer] = e.nodes['Transfer (raw body)'].items;
			assert.equal(transfer.response.code, '000_000', JSON.stringify(transfer));
			await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.accountInquiry, code: '000_000', body: { userId: Number(MEMBER) } },
				{ path: ENDPOINT.transfer, code: '000_000', body: { userId: Number(MEMBER), fromCardNo: CARDS.main, toCardNo: CARDS.second, amount: 700 } },
			]);
			await balancesAre(emulator, { [CARDS.main]: 49300, [CARDS.second]: 10700 });
		});

		await credentialTestChecks(checks, { srv, emulator, credential, transfer: ex('transfer-amount.json') });

		await reads.run({ checks, srv, emulator, credential, ex, runExample });

		await mcp.run({ checks, srv, emulator, credential, examples });
		extra.push(`MCP: what the client received, verbatim: ${path.relative(process.cwd(), mcp.TRANSCRIPT)}`);

		srv = (await runLedgerChecks({ checks, home, srv, emulator, examples, outputs })) || srv;

		await checks.check('no keys in n8n logs or outputs, no full card number in Konaplate outputs', () => {
			const secrets = [credential.data.secretKey, credential.data.accessKey];
			const logs = srv.log;
			for (const s of secrets) assert.ok(!logs.includes(s), 'a key appears in the n8n server log');
			const text = JSON.stringify(outputs);
			for (const s of secrets) assert.ok(!text.includes(s), 'a key appears in an output');
			assert.doesNotMatch(text, /\d{16}/, 'a full card number appears in an output');
			assert.ok(outputs.length >= 7, `only ${outputs.length} outputs collected`);
		});
		await checks.check('server log: still no package load errors', () => {
			assert.deepEqual(srv.packageLoadErrors, []);
		});
	} catch (err) {
		if (!(err instanceof FatalCheck)) checks.record('unexpected error', false, 0, err);
	} finally {
		const t0 = Date.now();
		await stopAll();
		extra.push(`stop n8n + emulator, delete user folder: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	}
	process.exitCode = checks.summary(extra);
}

void main();
