/**
 * n8n's execution JSON (from `n8n execute --rawOutput` or the public API), and the summary the
 * checks read: per node, its status, error and output items.
 */

/** A Konaplate error as the node puts it on an item (error output, or On Error = Continue). */
export interface ItemError {
	message: string;
	description: string;
	code: string;
	/** Konaplate's Korean meaning of a documented code. */
	konaplateMeaningKo: string;
	httpCode: number;
	itemIndex: number;
	correlationId: string;
	reference: string;
	outcome: string;
}

/**
 * An output item's json, as far as the checks read it. Any field may be missing from a real
 * item: the assertions on it then fail, which is the point.
 */
export interface OutputItem {
	[field: string]: unknown;
	correlationId: string;
	error: ItemError;
	accountInfo: Record<string, unknown>;
	/** n8n's HTTP Request node: Konaplate's answer */
	response: { code: string };
}

/** What n8n keeps of an error (NodeApiError, NodeOperationError...). */
export interface RawError {
	name?: string;
	message?: string;
	description?: string;
	httpCode?: string | number;
	node?: { name?: string };
	context?: { itemIndex?: number };
}

export interface ErrorSummary {
	name?: string;
	message: string;
	description?: string;
	httpCode?: string | number;
	node?: string;
	itemIndex?: number;
}

interface RawRun {
	executionStatus?: string;
	/** the node's own time in ms, as n8n measured it */
	executionTime?: number;
	error?: RawError;
	data?: { main?: Array<Array<{ json: OutputItem }> | null> };
}

export interface Execution {
	id?: string;
	status: string;
	/** true once the execution ended (n8n prints it with the result) */
	finished?: boolean;
	data: {
		resultData: { runData?: Record<string, RawRun[]>; error?: RawError; lastNodeExecuted?: string };
	};
}

export interface NodeRun {
	status?: string;
	error?: ErrorSummary;
	/** json of each output (0: main or success, 1: the error output) */
	outputs: OutputItem[][];
}

export interface NodeSummary extends NodeRun {
	/** json of output 0 of the last run */
	items: OutputItem[];
	runs: NodeRun[];
}

export type NodesSummary = Record<string, NodeSummary>;

/** An execution read back from n8n, with its nodes summed up. */
export interface ExecutionSummary extends Execution {
	nodes: NodesSummary;
	error?: ErrorSummary;
}

/** Finds the pretty-printed execution JSON (`{` ... `}` at column 0) in `n8n execute` output. */
export function parseExecuteOutput(text: string): Execution | undefined {
	const lines = text.split('\n');
	let found: Execution | undefined;
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j] !== '}') continue;
			try {
				const obj = JSON.parse(lines.slice(i, j + 1).join('\n')) as Partial<Execution> | null;
				if (obj?.data?.resultData) found = obj as Execution;
			} catch {
				// a block of log output that only looks like JSON
			}
			i = j;
			break;
		}
	}
	return found;
}

export function summarizeRunData(execution: Execution | undefined): NodesSummary {
	const out: NodesSummary = {};
	const runData = execution?.data?.resultData?.runData ?? {};
	for (const [name, runs] of Object.entries(runData)) {
		const summarized: NodeRun[] = runs.map((r) => ({
			status: r.executionStatus,
			error: pickError(r.error),
			outputs: (r.data?.main ?? []).map((o) => (o ?? []).map((item) => item.json)),
		}));
		const last = summarized[summarized.length - 1];
		out[name] = { ...last, items: last.outputs[0] ?? [], runs: summarized };
	}
	return out;
}

export function pickError(e: RawError | undefined): ErrorSummary | undefined {
	if (!e) return undefined;
	return {
		name: e.name,
		message: e.message ?? '',
		description: e.description,
		httpCode: e.httpCode,
		node: e.node?.name,
		itemIndex: e.context?.itemIndex,
	};
}
