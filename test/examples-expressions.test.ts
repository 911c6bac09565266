/**
 * No example reads a Code node's output by name from another node's expression. On n8n 1.x the
 * Code node runs in vm2 (no task runner by default) and hands out its items as vm2 proxies; n8n
 * 1.123's expression engine (isolated-vm, the default) copies what `$('Node')` returns into its
 * isolate, a proxy cannot be copied, and the expression silently reads nothing (the cause of
 * "User ID ... got nothing" in payout-outcome-unknown's Transfers that day on n8n 1.123.81).
 * `$json` is read field by field and works; so do expressions inside a Code node.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INode } from 'n8n-workflow';

interface Example {
	nodes: INode[];
}

const CODE = 'n8n-nodes-base.code';
const dir = join(__dirname, '..', 'examples');
const examples = readdirSync(dir)
	.filter((file) => file.endsWith('.json'))
	.map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as Example] as const);

/** The node names an expression reads by name: $('X'), $("X"), $items('X'), $node['X']. */
function namesRead(text: string): string[] {
	const pattern = /\$(?:items)?\(\s*(['"])(.+?)\1|\$node\[\s*(['"])(.+?)\3\s*\]/g;
	return [...text.matchAll(pattern)].map((match) => match[2] ?? match[4]);
}

/** Every string in a node's parameters (its expressions among them). */
function strings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (value === null || typeof value !== 'object') return [];
	return Object.values(value).flatMap(strings);
}

/** "node -> Code node" for each expression outside a Code node that reads a Code node by name. */
function codeNodesReadByName(example: Example): string[] {
	const code = new Set(example.nodes.filter((node) => node.type === CODE).map((node) => node.name));
	return example.nodes
		.filter((node) => node.type !== CODE)
		.flatMap((node) =>
			strings(node.parameters)
				.flatMap(namesRead)
				.filter((name) => code.has(name))
				.map((name) => `${node.name} -> ${name}`),
		);
}

describe("examples/: expressions that read a Code node's output by name", () => {
	it.each(examples)('%s: none outside a Code node', (_file, example) => {
		expect(codeNodesReadByName(example)).toEqual([]);
	});

	it("payout-outcome-unknown's Transfers that day reads the payout from Pay out's error item, the day from the ledger (claimedOn)", () => {
		const [, example] = examples.find(([file]) => file === 'payout-outcome-unknown.json') ?? [];
		const transfers = example?.nodes.find((node) => node.name === 'Transfers that day');
		expect(transfers?.parameters).toMatchObject({
			userId: "={{ $('Pay out').item.json.userId }}",
			cardNo: "={{ $('Pay out').item.json.fromCardNo }}",
			startDate: '={{ $json.claimedOn }}',
			endDate: '={{ $json.claimedOn }}',
		});
		expect(example?.connections['Ledger state']?.main[0]?.[0]?.node).toBe('Transfers that day');
	});

	it('finds the expressions that failed on n8n 1.123 (every quoting and accessor)', () => {
		const node = (name: string, type: string, parameters: object) =>
			({ name, type, parameters }) as unknown as INode;
		const broken: Example = {
			nodes: [
				node('Outcome unknown', CODE, { jsCode: "return $('Outcome unknown').all();" }),
				node('Transfers that day', 'n8n-nodes-konaplate.konaplate', {
					userId: "={{ $('Outcome unknown').item.json.userId }}",
					cardNo: '={{ $("Outcome unknown").first().json.fromCardNo }}',
					startDate: "={{ $items('Outcome unknown')[0].json.date }}",
					endDate: "={{ $node['Outcome unknown'].json.date }}",
					reference: "={{ $('Ledger state').item.json.reference }}",
				}),
			],
		};
		expect(codeNodesReadByName(broken)).toEqual([
			'Transfers that day -> Outcome unknown',
			'Transfers that day -> Outcome unknown',
			'Transfers that day -> Outcome unknown',
			'Transfers that day -> Outcome unknown',
		]);
	});
});
