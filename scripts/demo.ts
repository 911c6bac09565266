// npm start: runs the example workflows of examples/ through the n8n engine against the
// local Konaplate emulator and prints what each Konaplate node produced.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { useProcessedDataStore } from './engine/dedup-store';
import { Engine, KONAPLATE_NODE_TYPE, KONAPLATE_TOOL_TYPE, PACKAGE_ROOT } from './engine/engine';
import type { WorkflowFile } from './engine/engine';
import { CARDS, emulatorCredential, MEMBER } from '../emulator/data';
import { KonaplateEmulator } from '../emulator/server';
import { CREDENTIAL_TYPE } from './lib/credential-type';
import { OUTCOME_EXAMPLE, settleUnknownOutcome } from './demo-outcome';
import { MERGE_EXAMPLE, mergeBalances } from './demo-merge';
import {
	APPROVAL_EXAMPLE,
	approvePayouts,
	FILE_EXAMPLE,
	payFromFile,
	reportEmulator,
} from './demo-playbooks';

interface Example extends WorkflowFile {
	meta?: { description?: string };
}

/** What each trigger hands to the next node: a Manual Trigger one empty item, a Webhook the request. */
const TRIGGER_OUTPUT: Record<string, IDataObject[]> = {
	'n8n-nodes-base.manualTrigger': [{}],
	'n8n-nodes-base.webhook': [
		{
			// as n8n's Webhook node hands on a caller its Header Auth credential let through
			headers: { 'content-type': 'application/json', 'x-konaplate-webhook-key': '…' },
			params: {},
			query: {},
			body: {
				userId: MEMBER,
				fromCardNo: CARDS.main,
				toCardNo: CARDS.second,
				amount: 1200,
				reference: 'demo-webhook-1',
			},
		},
	],
};

const CODE_NODE_TYPE = 'n8n-nodes-base.code';

/**
 * Tool calls an agent might make, per operation: the arguments its `$fromAI()` parameters read.
 * A transfer is asked for, retried with the same reference, then asked for above the limit.
 */
const TOOL_CALLS: Record<string, IDataObject[]> = {
	transferBalance: [
		{
			userId: MEMBER,
			fromCardNo: CARDS.main,
			toCardNo: CARDS.second,
			amount: 1200,
			reference: 'demo-order-1',
		},
		{
			userId: MEMBER,
			fromCardNo: CARDS.main,
			toCardNo: CARDS.second,
			amount: 1200,
			reference: 'demo-order-1',
		},
		{
			userId: MEMBER,
			fromCardNo: CARDS.main,
			toCardNo: CARDS.second,
			amount: 150000,
			reference: 'demo-order-2',
		},
	],
	get: [{ cardNo: CARDS.main }],
};

/**
 * The items of a Code node that only returns a fixed list (`const payouts = [...];`), read from
 * its JSON without running code; a real n8n runs the node in npm run test:e2e.
 */
function codeNodeOutput(node: INode): IDataObject[] {
	const list = /^const \w+ = (\[[\s\S]*?\]);$/m.exec(String(node.parameters.jsCode))?.[1];
	if (list === undefined) throw new Error(`${node.name}: no "const list = [...];" in its code`);
	return JSON.parse(list) as IDataObject[];
}

const say = (line = ''): void => {
	process.stdout.write(`${line}\n`);
};

function show(label: string, items: INodeExecutionData[]): void {
	if (items.length === 0) return;
	say(`    ${label}:`);
	for (const item of items) {
		say(`      ${JSON.stringify(item.json)}`);
	}
}

/** Each tool node called as n8n calls a tool: the call's arguments are its one input item. */
async function callTools(
	engine: Engine,
	example: Example,
	tools: INode[],
	credential: ICredentialDataDecryptedObject,
): Promise<void> {
	for (const node of tools) {
		say(`  ${node.name} (tool):`);
		for (const args of TOOL_CALLS[String(node.parameters.operation)] ?? []) {
			const run = await engine.run(
				{ ...example, nodes: [node], connections: {} },
				[args],
				{ [CREDENTIAL_TYPE]: credential },
				node.name,
			);
			const result = run.nodes[node.name];
			say(`    called with ${JSON.stringify(args)}`);
			if (result.error) say(`      tool error (the agent reads this): ${result.error.message}`);
			else
				for (const item of result.outputs[0] ?? [])
					say(`      result: ${JSON.stringify(item.json)}`);
		}
	}
}

async function main(): Promise<void> {
	const engine = await Engine.load();
	// n8n's deduplication store, where the node keeps the references of transfers, in memory here.
	await useProcessedDataStore();
	const emulator = await KonaplateEmulator.start();
	const credential = emulatorCredential(emulator);
	say(`Konaplate emulator listening at ${emulator.baseUrl}\n`);
	const dir = path.join(PACKAGE_ROOT, 'examples');
	let failures = 0;
	try {
		for (const file of readdirSync(dir)
			.filter((name) => name.endsWith('.json'))
			.sort()) {
			emulator.reset();
			const example = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Example;
			const trigger = example.nodes.find((node) => TRIGGER_OUTPUT[node.type] !== undefined);
			const konaplateNodes = example.nodes.filter((node) => node.type === KONAPLATE_NODE_TYPE);
			say(`▶ ${example.name}  (examples/${file})`);
			if (example.meta?.description) say(`  ${example.meta.description}`);
			const withEmulator = {
				[OUTCOME_EXAMPLE]: settleUnknownOutcome,
				[MERGE_EXAMPLE]: mergeBalances,
			}[file];
			if (withEmulator !== undefined) {
				failures += await withEmulator(engine, example, emulator, credential, say);
				say();
				continue;
			}
			const playbook = { [APPROVAL_EXAMPLE]: approvePayouts, [FILE_EXAMPLE]: payFromFile }[file];
			if (playbook !== undefined) {
				failures += await playbook(engine, example, credential, say);
				say();
				continue;
			}
			const tools = example.nodes.filter((node) => node.type === KONAPLATE_TOOL_TYPE);
			if (konaplateNodes.length === 0) {
				await callTools(engine, example, tools, credential);
				say(
					"    (the trigger and the agent are n8n's own: npm run test:e2e calls these tools through a real MCP client)\n",
				);
				continue;
			}
			const list = example.nodes.find((node) => node.type === CODE_NODE_TYPE);
			const input =
				list !== undefined ? codeNodeOutput(list) : (TRIGGER_OUTPUT[trigger?.type ?? ''] ?? [{}]);
			// An example with references runs twice: the second run finds every reference done and sends nothing.
			const runs = konaplateNodes.some((node) => node.parameters.reference) ? 2 : 1;
			for (let round = 1; round <= runs; round++) {
				if (runs > 1)
					say(`  run ${round} of ${runs}${round > 1 ? ' (the same items again)' : ''}:`);
				emulator.requests.length = 0;
				const balancesBefore = new Map(
					[...emulator.cards].map(([cardNo, card]) => [cardNo, card.balance]),
				);
				const run = await engine.run(
					engine.loadable(example),
					input,
					{
						[CREDENTIAL_TYPE]: credential,
					},
					konaplateNodes[0].name,
				);
				for (const node of konaplateNodes) {
					const result = run.nodes[node.name];
					say(`  ${node.name}:`);
					if (result === undefined) {
						say(
							"    not run here: it follows one of n8n's own nodes (npm run test:e2e runs the whole workflow in a real n8n)",
						);
						continue;
					}
					if (result.error) {
						failures++;
						say(
							`    node error: ${result.error.message}\n      ${String(result.error.description ?? '')}`,
						);
						continue;
					}
					show('output', result.outputs[0] ?? []);
					show('error output', result.outputs[1] ?? []);
				}
				reportEmulator(emulator, balancesBefore, say);
			}
			const rest = example.nodes
				.filter((node) => node.type !== KONAPLATE_NODE_TYPE && node !== trigger)
				.map((n) => n.name);
			if (rest.length > 0)
				say(`    (${rest.join(', ')}: n8n's own nodes, run by a real n8n in npm run test:e2e)`);
			say();
		}
	} finally {
		await emulator.close();
	}
	if (failures > 0) {
		say(`${failures} example node(s) failed`);
		process.exitCode = 1;
	}
}

void main();
