// npm start, for the two examples whose first steps are n8n's own nodes, which the engine of
// npm start does not load (it loads this package only): the demo plays their part, as a test
// does, and runs the workflow's Konaplate node on what they would hand it.
//  - payout-approval.json: n8n's Wait node shows a person a form; here the demo answers it
//    (approves the first payout above the amount, rejects the next).
//  - payout-list-from-file.json: n8n's Read/Write Files and Extract from File read payouts.csv,
//    Convert to File writes the outcome; here the demo reads and writes the CSV itself.
// npm run test:e2e imports both into a real n8n.
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import type { Engine, WorkflowFile } from './engine/engine';
import type { KonaplateEmulator } from '../emulator/server';
import { PACKAGE_ROOT } from './lib/package-root';
import { CREDENTIAL_TYPE } from './lib/credential-type';

export const APPROVAL_EXAMPLE = 'payout-approval.json';
export const FILE_EXAMPLE = 'payout-list-from-file.json';

type Say = (line?: string) => void;

/** Runs the example's node `name` alone on `items`: its success and error outputs. */
export async function runNode(
	engine: Engine,
	example: WorkflowFile,
	name: string,
	items: IDataObject[],
	credential: ICredentialDataDecryptedObject,
) {
	const node = example.nodes.find((entry) => entry.name === name) as INode;
	const run = await engine.run(
		{ ...example, nodes: [node], connections: {} },
		items,
		{ [CREDENTIAL_TYPE]: credential },
		name,
	);
	const result = run.nodes[name];
	if (result.error) throw new Error(`${name}: ${result.error.message}`);
	return { paid: result.outputs[0] ?? [], failed: result.outputs[1] ?? [] };
}

/** An example the demo plays with the emulator at hand: returns how many items failed. */
export type EmulatorPlaybook = (
	engine: Engine,
	example: WorkflowFile,
	emulator: KonaplateEmulator,
	credential: ICredentialDataDecryptedObject,
	say: Say,
) => Promise<number>;

/** What a run did on the emulator: each card whose balance moved since `before`, and the requests. */
export function reportEmulator(
	emulator: KonaplateEmulator,
	before: Map<string, number>,
	say: Say,
): void {
	const won = (amount: number) => `${amount.toLocaleString('en-US')} KRW`;
	for (const [cardNo, card] of emulator.cards) {
		const was = before.get(cardNo) ?? 0;
		if (was !== card.balance)
			say(
				`    card ${cardNo.slice(0, 6)}******${cardNo.slice(-4)}: ${won(was)} -> ${won(card.balance)}`,
			);
	}
	const requests = emulator.requests.map(
		(r) => `${r.path} ${r.verdict}${r.code ? ` ${r.code}` : ''}`,
	);
	say(`    emulator received ${requests.length} request(s): ${requests.join('; ')}`);
}

/** The list of the example's Payouts Code node (`const payouts = [...];`). */
function payoutsOf(example: WorkflowFile): IDataObject[] {
	const code = String(example.nodes.find((node) => node.name === 'Payouts')?.parameters.jsCode);
	const list = /^const payouts = (\[[\s\S]*?\]);$/m.exec(code)?.[1];
	if (list === undefined) throw new Error('Payouts: no "const payouts = [...];" in its code');
	return JSON.parse(list) as IDataObject[];
}

/** The amount above which the example's IF node asks a person. */
function thresholdOf(example: WorkflowFile): number {
	const node = example.nodes.find((entry) => entry.type === 'n8n-nodes-base.if');
	const text = JSON.stringify(node?.parameters);
	return Number(/"rightValue":(\d+)/.exec(text)?.[1]);
}

export async function approvePayouts(
	engine: Engine,
	example: WorkflowFile,
	credential: ICredentialDataDecryptedObject,
	say: Say,
): Promise<number> {
	const threshold = thresholdOf(example);
	const payouts = payoutsOf(example);
	const answers = ['Approve', 'Reject'];
	const goes: IDataObject[] = [];
	for (const payout of payouts) {
		if (Number(payout.amount) <= threshold) {
			say(
				`  ${String(payout.payoutId)}: ${String(payout.amount)} KRW, not above ${threshold}: paid at once`,
			);
			goes.push(payout);
			continue;
		}
		const decision = answers.shift() ?? 'Reject';
		say(
			`  ${String(payout.payoutId)}: ${String(payout.amount)} KRW, above ${threshold}: the form asks a person; the demo answers "${decision}"`,
		);
		if (decision === 'Approve') goes.push(payout);
	}
	let failures = 0;
	for (const round of [1, 2]) {
		const { paid, failed } = await runNode(engine, example, 'Pay out', goes, credential);
		say(`  Pay out, run ${round}${round === 2 ? ' (the same approved payouts again)' : ''}:`);
		for (const item of [...paid, ...failed]) say(`    ${JSON.stringify(item.json)}`);
		failures += failed.length;
	}
	return failures;
}

/** A CSV of plain values (no quoted commas): the header's names per row. */
function parseCsv(text: string): IDataObject[] {
	const [header, ...lines] = text.trim().split(/\r?\n/);
	const names = header.split(',');
	return lines.map((line) =>
		Object.fromEntries(line.split(',').map((value, index) => [names[index], value])),
	);
}

/** One row's outcome, as the example's "Outcome per row" node writes it. */
function outcomeOf(json: IDataObject): IDataObject {
	if (json.transferred) return { outcome: 'transferred', correlationId: json.correlationId };
	if (json.alreadyTransferred) return { outcome: 'alreadyTransferred' };
	const error = (json.error ?? {}) as IDataObject;
	return {
		outcome: error.outcome === 'unknown' ? 'unknown' : 'refused',
		code: error.code ?? '',
		message: error.message ?? '',
	};
}

export async function payFromFile(
	engine: Engine,
	example: WorkflowFile,
	credential: ICredentialDataDecryptedObject,
	say: Say,
): Promise<number> {
	const rows = parseCsv(readFileSync(path.join(PACKAGE_ROOT, 'examples', 'payouts.csv'), 'utf8'));
	say(`  examples/payouts.csv: ${rows.length} rows (the demo reads it as Extract from File would)`);
	const outFile = path.join(tmpdir(), 'payouts-outcome.csv');
	for (const round of [1, 2]) {
		const { paid, failed } = await runNode(engine, example, 'Pay out', rows, credential);
		const byRow = new Map(
			[...paid, ...failed].map((item) => [
				(item.pairedItem as { item: number }).item,
				outcomeOf(item.json),
			]),
		);
		const columns = ['id', 'amount', 'outcome', 'code', 'message'];
		const lines = rows.map((row, index) => {
			const line: IDataObject = { ...row, ...byRow.get(index) };
			return columns.map((column) => String(line[column] ?? '').replace(/,/g, ';')).join(',');
		});
		writeFileSync(outFile, `${columns.join(',')}\n${lines.join('\n')}\n`);
		say(`  run ${round}${round === 2 ? ' (the same file again)' : ''}: ${outFile}`);
		for (const line of [columns.join(','), ...lines]) say(`    ${line}`);
	}
	return 0;
}
