import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { MAIN_TO_SECOND } from '../../emulator/data';
import { useProcessedDataStore } from '../../scripts/engine/dedup-store';
import type { MemoryProcessedData } from '../../scripts/engine/dedup-store';
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
