// npm start, for examples/payout-outcome-unknown.json: a payout that times out, the evidence the
// workflow reads for it (the history of the attempt's day, claimedOn), a person's decision as the
// example's form gives it to Transfer Reference → Resolve, and the re-run.
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import type { Engine, WorkflowFile } from './engine/engine';
import type { KonaplateEmulator } from '../emulator/server';
import { CREDENTIAL_TYPE } from './lib/credential-type';

export const OUTCOME_EXAMPLE = 'payout-outcome-unknown.json';

/** The payouts of the example's Payouts node: a JSON list after `const payouts =`. */
function payoutsOf(example: WorkflowFile): IDataObject[] {
	const code = String(example.nodes.find((node) => node.name === 'Payouts')?.parameters.jsCode);
	const list = /^const payouts = (\[[\s\S]*?\]);$/m.exec(code)?.[1];
	if (list === undefined) throw new Error('Payouts: no "const payouts = [...];" in its code');
	return JSON.parse(list) as IDataObject[];
}

export async function settleUnknownOutcome(
	engine: Engine,
	example: WorkflowFile,
	emulator: KonaplateEmulator,
	credential: ICredentialDataDecryptedObject,
	say: (line?: string) => void,
): Promise<number> {
	/** Runs one Konaplate node of the example on `items`, its parameters changed by `change`. */
	const node = async (name: string, items: IDataObject[], change: IDataObject = {}) => {
		const found = example.nodes.find((entry) => entry.name === name) as INode;
		const single = { ...found, parameters: { ...found.parameters, ...change } } as INode;
		const run = await engine.run(
			{ ...example, nodes: [single], connections: {} },
			items,
			{ [CREDENTIAL_TYPE]: credential },
			name,
		);
		const result = run.nodes[name];
		if (result.error) throw new Error(`${name}: ${result.error.message}`);
		return result.outputs;
	};
	const print = (label: string, items: Array<{ json: IDataObject }> = []) => {
		say(`  ${label}:`);
		for (const item of items) say(`    ${JSON.stringify(item.json)}`);
	};
	const payouts: IDataObject[] = payoutsOf(example);
	const payOut = example.nodes.find((entry) => entry.name === 'Pay out') as INode;
	const timeout = { options: { ...(payOut.parameters.options as object), timeout: 1000 } };

	say(
		"  run 1: the first payout's answer is late (a simulated timeout of 1 s); Konaplate performs it all the same",
	);
	let calls = 0;
	emulator.script = () => (++calls === 1 ? { delayMs: 1500, status: 200, body: '{}' } : undefined);
	const [paid, failed] = await node('Pay out', payouts, timeout);
	emulator.script = undefined;
	print('Pay out, output', paid);
	print('Pay out, error output', failed);
	await new Promise((resolve) => setTimeout(resolve, 600));

	const unknown = (failed ?? []).filter(
		(item) => (item.json.error as IDataObject | undefined)?.outcome === 'unknown',
	);
	const [states] = await node(
		'Ledger state',
		unknown.map(({ json }) => json),
	);
	print('Ledger state (Transfer Reference → Get)', states);
	const decisions: IDataObject[] = [];
	for (const [index, state] of (states ?? []).entries()) {
		const payout = payouts[(unknown[index].pairedItem as { item: number }).item];
		// the example's dates read the ledger state's claimedOn; the card is the payout's
		const [rows = []] = await node('Transfers that day', [state.json], {
			userId: payout.userId,
			cardNo: payout.fromCardNo,
		});
		print(
			`Transfers that day (Transaction → Get Many, ${String(payout.fromCardNo).slice(-4)}, type 03, ${String(state.json.claimedOn)})`,
			rows,
		);
		const matching = rows.filter(
			({ json }) =>
				json.trAmount === payout.amount &&
				Number(json.balanceBefore) - Number(json.balanceAfter) === payout.amount,
		);
		const decision = matching.length > 0 ? 'Mark as Transferred' : 'Mark as Not Transferred';
		say(
			`  a person compares: ${matching.length} Transfer row(s) of ${String(payout.amount)} KRW -> the form: ${decision}`,
		);
		// what the example's form "A person decides" hands to Resolve
		decisions.push({ Reference: state.json.reference, Decision: decision });
	}
	const [resolved] = await node('Resolve', decisions);
	print('Resolve (Transfer Reference → Resolve)', resolved);

	say('  run 2: the same payouts again');
	emulator.requests.length = 0;
	const [again, refused] = await node('Pay out', payouts, timeout);
	print('Pay out, output', again);
	print('Pay out, error output', refused);
	say(`    emulator received ${emulator.requests.length} request(s)`);
	return (refused ?? []).length;
}
