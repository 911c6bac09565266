// npm run bench's table of runs with references (the only one with --references).
import { EMULATOR_CREDENTIAL_FILE } from '../../emulator/data';
import { LEDGER_MAX_ENTRIES } from '../../nodes/Konaplate/ledger/workflow-row';
import { claimValues, ledgerValue, referenceKey } from '../../nodes/Konaplate/wire/ledger';
import { MemoryProcessedData, useProcessedDataStore } from '../engine/dedup-store';
import type { Engine, WorkflowFile } from '../engine/engine';
import { withNode, WORKFLOWS } from '../engine/workflows';
import { ITEMS, items, median, msSince, REPS, say } from './options';
import { CREDENTIAL_TYPE } from '../lib/credential-type';

const RECORDED = 50_000;

/**
 * Transfers with a Reference on every item: a fresh ledger, and one already holding 50,000
 * references (n8n's deduplication store in memory, as a JSON row read and written whole, like
 * its database row), against the same run without references.
 */
export async function references(engine: Engine, baseUrl: string): Promise<void> {
	const store = await useProcessedDataStore();
	const credential = { ...EMULATOR_CREDENTIAL_FILE[0].data, baseUrl };
	const withReferences = (id: string): WorkflowFile => ({
		...withNode(WORKFLOWS.transfer, { parameters: { reference: '={{ $json.reference }}' } }),
		id,
	});
	const context = (id: string) => ({ workflow: { id, active: false } });
	const full = withReferences('bench-ledger-50k');
	// A transferred reference holds what its claim recorded (marker, fields, claim) and its done:
	// seven entries, as this version records them.
	const [earlier] = items.transfer;
	const recorded = Array.from({ length: RECORDED }, (_, n) =>
		referenceKey({ baseUrl, aspId: credential.aspId }, `earlier-${n}`),
	).flatMap((key) => [
		...claimValues(key, {
			member: String(earlier.userId),
			fromCard: String(earlier.fromCardNo),
			toCard: String(earlier.toCardNo),
			amount: String(earlier.amount),
		}),
		ledgerValue('done', key),
	]);
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
			(await engine.run(workflow, input, { [CREDENTIAL_TYPE]: credential })).nodes,
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
			const before = { ...store.calls, lock: store.nodeScopeCalls };
			const started = process.hrtime.bigint();
			await contenders[name].go();
			const ms = msSince(started);
			if (rep > 0) times[name].push(ms);
			calls[name] =
				`${store.calls.checkProcessedAndRecord - before.checkProcessedAndRecord} + ${store.calls.removeProcessed - before.removeProcessed} | ${store.nodeScopeCalls - before.lock}`;
		}
	}
	const base = median(times['no reference']);
	say();
	say(
		`${ITEMS} transfers (encryption off), a Reference on every item; ledger calls: record + remove; lock calls: the lock row's count, create and delete (n8n's deduplication store, in memory as ${MemoryProcessedData.name})`,
	);
	say();
	say('| run | node ms | vs no reference | ledger calls | lock calls |');
	say('|---|---|---|---|---|');
	for (const name of names) {
		const ms = median(times[name]);
		say(`| ${name} | ${ms.toFixed(0)} | ${(ms / base).toFixed(2)} | ${calls[name]} |`);
	}
}
