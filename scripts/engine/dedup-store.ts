// n8n's deduplication store in memory, the ledger's database for the engine harness.
import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

interface Row {
	mode: ICheckProcessedOptions['mode'];
	data: string[];
}

/** A database round trip: another execution may run in between, as with n8n's own table. */
const roundTrip = async () => await new Promise<void>((resolve) => setImmediate(resolve));

/**
 * n8n's `processed_data` table in memory, with the logic of n8n's DeduplicationHelper
 * (packages/cli/src/deduplication/deduplication-helper.ts, n8n 2.41) for mode "entries": one
 * row per workflow and context holding a JSON array of md5 hashes, read whole, changed in
 * memory and written back without a lock; a value given twice in one call is recorded twice;
 * maxEntries keeps the newest. Rows are kept as JSON text, as the database keeps them.
 * As in the database: a missing row is created by an INSERT that fails with a unique violation
 * when another call created the row since this one read it (the primary key); a row that was
 * there is written back by an UPDATE, which changes nothing once the row has been deleted;
 * clearAllProcessedItems is one DELETE.
 */
export class MemoryProcessedData implements IDataDeduplicator {
	readonly rows = new Map<string, string>();
	/** Calls on rows of scope "workflow" (the ledger's), by method. */
	readonly calls = { checkProcessedAndRecord: 0, removeProcessed: 0 };
	/** Calls on rows of scope "node" (the lock's), of every method. */
	nodeScopeCalls = 0;
	/** First INSERTs of a row that lost to another one. */
	uniqueViolations = 0;
	/** Called before each round trip's write or delete: a test can fail the store there. */
	beforeWrite: ((key: string) => void) | undefined;

	private static key(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
		if (!contextData.workflow.id) throw new Error('the deduplication store needs a workflow id');
		if (scope === 'node' && !contextData.node)
			throw new Error("No node information has been provided and so cannot use scope 'node'");
		const context = scope === 'node' ? `n:${contextData.node?.id}` : '';
		return `${contextData.workflow.id}\u0000${context}`;
	}

	static hash(value: DeduplicationItemTypes): string {
		return createHash('md5').update(value.toString()).digest('base64');
	}

	private count(scope: DeduplicationScope, method: keyof MemoryProcessedData['calls']): void {
		if (scope === 'workflow') this.calls[method]++;
		else this.nodeScopeCalls++;
	}

	private async read(key: string): Promise<Row | undefined> {
		await roundTrip();
		const text = this.rows.get(key);
		return text === undefined ? undefined : (JSON.parse(text) as Row);
	}

	/** INSERT when the call found no row, else UPDATE. */
	private async write(key: string, row: Row, insert: boolean): Promise<void> {
		await roundTrip();
		this.beforeWrite?.(key);
		if (insert && this.rows.has(key)) {
			this.uniqueViolations++;
			throw new Error(
				'duplicate key value violates unique constraint "PK_processed_data" (workflowId, context)',
			);
		}
		if (insert || this.rows.has(key)) this.rows.set(key, JSON.stringify(row));
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		this.count(scope, 'checkProcessedAndRecord');
		if (options.mode !== 'entries') throw new Error('this test store keeps mode "entries" only');
		const key = MemoryProcessedData.key(scope, contextData);
		const row = await this.read(key);
		if (row !== undefined && row.mode !== options.mode) {
			throw new Error(
				'Deduplication data was originally saved with an incompatible setting of the ‘Keep Items Where’ parameter.',
			);
		}
		const hashes = items.map((item) => MemoryProcessedData.hash(item));
		const trim = (data: string[]) => {
			if (options.maxEntries) data.splice(0, data.length - options.maxEntries);
		};
		if (row === undefined) {
			trim(hashes);
			await this.write(key, { mode: options.mode, data: hashes }, true);
			return { new: items, processed: [] };
		}
		const seen = new Set(row.data);
		const output: IDeduplicationOutput = { new: [], processed: [] };
		hashes.forEach((hash, index) => {
			if (seen.has(hash)) {
				output.processed.push(items[index]);
			} else {
				output.new.push(items[index]);
				row.data.push(hash);
			}
		});
		trim(row.data);
		await this.write(key, row, false);
		return output;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<void> {
		this.count(scope, 'removeProcessed');
		if (options.mode !== 'entries')
			throw new Error('Removing processed data is not possible in mode "latest"');
		const key = MemoryProcessedData.key(scope, contextData);
		const row = await this.read(key);
		if (row === undefined) return;
		for (const hash of items.map((item) => MemoryProcessedData.hash(item))) {
			const index = row.data.indexOf(hash);
			if (index !== -1) row.data.splice(index, 1);
		}
		await this.write(key, row, false);
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		const key = MemoryProcessedData.key(scope, contextData);
		if (scope === 'node') this.nodeScopeCalls++;
		await roundTrip();
		this.beforeWrite?.(key);
		this.rows.delete(key);
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<number> {
		if (scope === 'node') this.nodeScopeCalls++;
		const row = await this.read(MemoryProcessedData.key(scope, contextData));
		return options.mode === 'entries' && row !== undefined ? row.data.length : 0;
	}

	/** The hashes a workflow's shared ("workflow" scope) list holds. */
	entries(workflowId: string): string[] {
		const text = this.rows.get(`${workflowId}\u0000`);
		return text === undefined ? [] : (JSON.parse(text) as Row).data;
	}

	/** The rows of scope "node" of a workflow (a lock row while it is held), by context. */
	nodeRows(workflowId: string): Map<string, string[]> {
		const rows = new Map<string, string[]>();
		for (const [key, text] of this.rows) {
			const [workflow, context] = key.split('\u0000');
			if (workflow === workflowId && context.startsWith('n:'))
				rows.set(context, (JSON.parse(text) as Row).data);
		}
		return rows;
	}

	clear(): void {
		this.rows.clear();
		this.calls.checkProcessedAndRecord = 0;
		this.calls.removeProcessed = 0;
		this.uniqueViolations = 0;
		this.nodeScopeCalls = 0;
		this.beforeWrite = undefined;
	}
}

let installed: MemoryProcessedData | undefined;

/** n8n-core's DataDeduplicationService, initialised once per test file (n8n allows one) with this store. */
export async function useProcessedDataStore(): Promise<MemoryProcessedData> {
	if (installed === undefined) {
		installed = new MemoryProcessedData();
		await DataDeduplicationService.init(installed);
	}
	return installed;
}
