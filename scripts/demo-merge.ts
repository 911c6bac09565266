// npm start, for examples/merge-card-balances.json: Card → Get Many, then n8n's Filter (which
// the engine of npm start does not load: the demo applies its conditions, as written in the
// example), then Transfer Balance By PAR Token on the cards it keeps, twice (the second run finds
// every Reference done). npm run test:e2e runs the whole workflow in a real n8n.
import type { IDataObject, INode } from 'n8n-workflow';

import type { WorkflowFile } from './engine/engine';
import { reportEmulator, runNode } from './demo-playbooks';
import type { EmulatorPlaybook } from './demo-playbooks';

export const MERGE_EXAMPLE = 'merge-card-balances.json';

interface Condition {
	leftValue: string;
	rightValue: unknown;
	operator: { operation: string };
}

/** The operations of n8n's Filter the example uses, on the item's value and the condition's. */
const OPERATIONS: Record<string, (value: unknown, right: unknown) => boolean> = {
	equals: (value, right) => value === right,
	notEquals: (value, right) => value !== right,
	gt: (value, right) => Number(value) > Number(right),
};

/** The example's Filter as a function of an item: every condition (`{{ $json.name }}` op value) holds. */
function filterOf(example: WorkflowFile): { name: string; keeps: (item: IDataObject) => boolean } {
	const node = example.nodes.find((entry) => entry.type === 'n8n-nodes-base.filter') as INode;
	const { conditions } = node.parameters.conditions as { conditions: Condition[] };
	const checks = conditions.map(({ leftValue, rightValue, operator }) => {
		const key = /^=\{\{ \$json\.(\w+) \}\}$/.exec(leftValue)?.[1];
		const operation = OPERATIONS[operator.operation];
		if (key === undefined || operation === undefined)
			throw new Error(`${node.name}: the demo cannot play the condition ${leftValue}`);
		return (item: IDataObject) => operation(item[key], rightValue);
	});
	return { name: node.name, keeps: (item) => checks.every((check) => check(item)) };
}

export const mergeBalances: EmulatorPlaybook = async (
	engine,
	example,
	emulator,
	credential,
	say,
) => {
	const [list, filter, move] = [
		"Get the Member's Cards",
		filterOf(example),
		'Move Each Balance into the Main Card',
	] as const;
	const { paid: cards } = await runNode(engine, example, list, [{}], credential);
	say(`  ${list}:`);
	for (const card of cards) say(`    ${JSON.stringify(card.json)}`);
	const kept = cards.map((card) => card.json).filter(filter.keeps);
	say(`  ${filter.name} (the demo applies its conditions): ${kept.length} of ${cards.length}`);
	let failures = 0;
	for (const round of [1, 2]) {
		emulator.requests.length = 0;
		const before = new Map([...emulator.cards].map(([cardNo, card]) => [cardNo, card.balance]));
		const { paid, failed } = await runNode(engine, example, move, kept, credential);
		say(`  ${move}, run ${round}${round === 2 ? ' (the same cards again)' : ''}:`);
		for (const item of [...paid, ...failed]) say(`    ${JSON.stringify(item.json)}`);
		failures += failed.length;
		reportEmulator(emulator, before, say);
	}
	return failures;
};
