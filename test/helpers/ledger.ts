import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { EMULATOR_CREDENTIAL, MAIN_TO_SECOND } from '../../emulator/data';
import {
	calendarDay,
	claimValues,
	dayValue,
	ENTIRE_BALANCE_AMOUNT,
	ledgerValue,
	referenceKey,
	transferKey,
	transferValue,
	unknownCountValues,
} from '../../nodes/Konaplate/wire/ledger';
import type { TransferFields } from '../../nodes/Konaplate/wire/ledger';
import { MemoryProcessedData, useProcessedDataStore } from '../../scripts/engine/dedup-store';
import type { WorkflowFile } from '../../scripts/engine/engine';
import { withNode, WORKFLOWS } from '../../scripts/engine/workflows';

/** A transfer of 100 KRW between the emulator member's two cards, with a reference. */
export const ledgerItem = (reference: string, fields: IDataObject = {}): IDataObject => ({
	...MAIN_TO_SECOND,
	amount: 100,
	reference,
	...fields,
});

/** The transfer fixture with Reference read from the item, and node settings changed. */
export function ledgerWorkflow(
	change: { options?: IDataObject } & Partial<INode> = {},
): WorkflowFile {
	const { options = {}, ...node } = change;
	return withNode(WORKFLOWS.transfer, {
		...node,
		parameters: { reference: '={{ $json.reference }}', options: options as INodeParameters },
	});
}

/** n8n's deduplication store in memory for the test file, emptied before each test. */
export function useLedgerStore(): { store: MemoryProcessedData } {
	const context = {} as { store: MemoryProcessedData };
	beforeAll(async () => {
		context.store = await useProcessedDataStore();
	});
	beforeEach(() => context.store.clear());
	return context;
}

/** Today in the emulator credential's zone (KST): the day a claim made now records. */
export const claimDay = (now = new Date()) => calendarDay(now, 'KST');

/**
 * The values the node records for an item of ledgerItem's shape in the emulator's account: its
 * claim with the marker and the four fields (member, cards, amount) before it, the day of the
 * claim (today) after it, and `done` after that.
 */
export function ledgerValuesOf(baseUrl: string, item: IDataObject, withDone = true): string[] {
	const key = referenceKey({ baseUrl, aspId: EMULATOR_CREDENTIAL.aspId }, String(item.reference));
	const fields = fieldsOf(item);
	return [
		...claimValues(key, fields),
		dayValue(key, claimDay()),
		...(withDone ? [ledgerValue('done', key)] : []),
	];
}

/** The transfer an item of ledgerItem's shape names: member, both cards, amount. */
function fieldsOf(item: IDataObject): TransferFields {
	return {
		member: String(item.userId),
		fromCard: String(item.fromCardNo),
		toCard: String(item.toCardNo),
		amount: item.transferEntireBalance === true ? ENTIRE_BALANCE_AMOUNT : String(item.amount),
	};
}

/** What the ledger holds, hashed, for the transfer of an item whose outcome was unknown (its transferValue). */
export function unknownTransferHash(baseUrl: string, item: IDataObject): string {
	const account = { baseUrl, aspId: EMULATOR_CREDENTIAL.aspId };
	return MemoryProcessedData.hash(transferValue(transferKey(account, fieldsOf(item))));
}

/** What the ledger holds, sorted, for items the node transferred: eight hashes each. */
export function transferredHashes(baseUrl: string, items: IDataObject[]): string[] {
	return items
		.flatMap((item) => ledgerValuesOf(baseUrl, item))
		.map((value) => MemoryProcessedData.hash(value))
		.sort();
}

/** The workflow of ledgerWorkflow(): the ledger's row in n8n's store. */
export const LEDGER_WORKFLOW_ID = 'test-workflow';

/** A test that fills the ledger (540,000 entries, each hashed) takes seconds on a busy machine. */
export const FULL_LEDGER_MS = 90_000;

/** Puts values into the workflow's ledger as an earlier run (or an older version) left them. */
export async function recordInLedger(
	store: MemoryProcessedData,
	values: string[],
	maxEntries?: number,
): Promise<void> {
	await store.checkProcessedAndRecord(
		values,
		'workflow',
		{ workflow: { id: LEDGER_WORKFLOW_ID, active: false } },
		{ mode: 'entries', ...(maxEntries !== undefined && { maxEntries }) },
	);
}

/** An older version's value of a reference in the emulator's account: its claim or done, nothing else. */
export const olderLedgerValue = (baseUrl: string, mark: 'claim' | 'done', reference: string) =>
	ledgerValue(mark, referenceKey({ baseUrl, aspId: EMULATOR_CREDENTIAL.aspId }, reference));

/** What the ledger holds to count `count` references whose outcome is unknown (its bits), hashed. */
export const countedUnknown = (count: number): string[] =>
	unknownCountValues(count).map((value) => MemoryProcessedData.hash(value));
