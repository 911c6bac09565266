// npm run bench's first table: the Konaplate node and n8n's HTTP Request node (the same signed
// requests, with the Konaplate credential) in one real n8n (the one `npm run test:e2e` installs),
// against one emulator, in alternating repetitions; each node's own execution time, as n8n
// records it in the run data (executionTime).
import type { INode } from 'n8n-workflow';

import { CARDS, MEMBER } from '../../emulator/data';
import { ENDPOINT } from '../../nodes/Konaplate/wire/endpoints';
import { prepareInstance, NODE_TYPE } from '../e2e/instance';
import type { EmulatorCredential } from '../e2e/instance';
import type { Workflow } from '../e2e/n8n/home';
import type { ExecutionSummary } from '../e2e/n8n/run-data';
import { CREDENTIAL_TYPE } from '../lib/credential-type';
import { httpRequestWorkflow } from '../lib/http-request-workflow';
import { ITEMS, median, REPS, say } from './options';

/**
 * How often the bench asks n8n whether a run finished: n8n answers on the thread that runs the
 * timed node (an API key check and a database read, a few ms each), so asking every 50 ms, as the
 * tests do, took about a tenth of that thread away from the node.
 */
export const POLL_EVERY_MS = 1000;

/** The node each workflow times, after its Manual Trigger and the Code node that makes its items. */
const TIMED = 'Timed';

interface Contender {
	label: string;
	workflow: Workflow;
}

/** One item of each kind, as the Code node's JavaScript builds N of them (`n`: the item's number). */
const ITEM_CODE = {
	transfer: `({ userId: '${MEMBER}', fromCardNo: '${CARDS.benchFrom}', toCardNo: '${CARDS.benchTo}', amount: 1 })`,
	reference: `({ userId: '${MEMBER}', fromCardNo: '${CARDS.benchFrom}', toCardNo: '${CARDS.benchTo}', amount: 1, reference: 'bench-' + $execution.id + '-' + n })`,
	cardGet: `({ cardNo: '${CARDS.benchFrom}' })`,
	cardGetMany: `({ userId: '${MEMBER}' })`,
} as const;

/**
 * Remove Duplicates' Clean Database on the workflow's row of n8n's deduplication store: the
 * Konaplate ledger of the workflow, emptied before the items are made (the ledger lock's row,
 * the node's own, is not touched).
 */
const CLEAN_LEDGER: Omit<INode, 'id'> = {
	name: 'Empty the ledger',
	type: 'n8n-nodes-base.removeDuplicates',
	typeVersion: 2,
	position: [100, 0],
	parameters: {
		operation: 'clearDeduplicationHistory',
		mode: 'cleanDatabase',
		options: { scope: 'workflow' },
	},
};

function workflow(
	id: string,
	itemCode: string,
	timed: INode,
	{ emptyLedgerFirst = false } = {},
): Workflow {
	const trigger: INode = {
		id: `${id}-0`,
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const items: INode = {
		id: `${id}-1`,
		name: 'Items',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [200, 0],
		parameters: {
			jsCode: `return Array.from({ length: ${ITEMS} }, (_, n) => ({ json: ${itemCode} }));`,
		},
	};
	const link = (to: string) => ({ main: [[{ node: to, type: 'main' as const, index: 0 }]] });
	const clean = { ...CLEAN_LEDGER, id: `${id}-3` };
	return {
		id,
		name: `bench ${id}`,
		nodes: [
			trigger,
			...(emptyLedgerFirst ? [clean] : []),
			items,
			{ ...timed, id: `${id}-2`, name: TIMED, position: [400, 0] },
		],
		connections: emptyLedgerFirst
			? { Start: link(clean.name), [clean.name]: link('Items'), Items: link(TIMED) }
			: { Start: link('Items'), Items: link(TIMED) },
		settings: { executionOrder: 'v1' },
	};
}

/** A card field as the editor saves it: a resource locator "By Number", set by an expression. */
const byNumber = (expression: string) => ({ __rl: true, mode: 'id', value: expression });

/**
 * The Konaplate node as an operator sets it up in the editor (n8n's defaults; the fields from the
 * item, the card fields "By Number"; Transfer Entire Balance left off), with the emulator's credential.
 */
const PARAMETERS: Record<'transfer' | 'cardGet' | 'cardGetMany', INode['parameters']> = {
	transfer: {
		resource: 'card',
		operation: 'transferBalance',
		userId: '={{ $json.userId }}',
		fromCardNo: byNumber('={{ $json.fromCardNo }}'),
		toCardNo: byNumber('={{ $json.toCardNo }}'),
		amount: '={{ $json.amount }}',
		options: {},
	},
	cardGet: {
		resource: 'card',
		operation: 'get',
		cardNo: byNumber('={{ $json.cardNo }}'),
		options: {},
	},
	cardGetMany: {
		resource: 'card',
		operation: 'getMany',
		userId: '={{ $json.userId }}',
		options: {},
	},
};

function konaplate(
	operation: keyof typeof PARAMETERS,
	credential: EmulatorCredential,
	parameters: INode['parameters'] = {},
): INode {
	return {
		id: '',
		name: TIMED,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { ...PARAMETERS[operation], ...parameters },
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	};
}

export function contenders(baseUrl: string, credential: EmulatorCredential): Contender[] {
	const http = httpRequestWorkflow({
		baseUrl,
		credential: { id: credential.id, name: credential.name },
		calls: [
			{
				name: TIMED,
				path: ENDPOINT.transfer,
				body: {
					json: '={{ JSON.stringify({ userId: Number($json.userId), fromCardNo: $json.fromCardNo, toCardNo: $json.toCardNo, amount: $json.amount }) }}',
				},
			},
		],
	}).nodes[0];
	return [
		{
			label: 'transfer',
			workflow: workflow('benchTransfer', ITEM_CODE.transfer, konaplate('transfer', credential)),
		},
		{ label: 'HTTP Request', workflow: workflow('benchHttpRequest', ITEM_CODE.transfer, http) },
		{
			label: 'transfer, a Reference on every item',
			workflow: workflow(
				'benchReferences',
				ITEM_CODE.reference,
				konaplate('transfer', credential, { reference: '={{ $json.reference }}' }),
			),
		},
		{
			label: 'transfer, a Reference on every item, empty ledger',
			workflow: workflow(
				'benchReferencesEmpty',
				ITEM_CODE.reference,
				konaplate('transfer', credential, { reference: '={{ $json.reference }}' }),
				{ emptyLedgerFirst: true },
			),
		},
		{
			label: 'Card → Get',
			workflow: workflow('benchCardGet', ITEM_CODE.cardGet, konaplate('cardGet', credential)),
		},
		{
			label: 'Card → Get Many',
			workflow: workflow(
				'benchCardGetMany',
				ITEM_CODE.cardGetMany,
				konaplate('cardGetMany', credential),
			),
		},
	];
}

/** The timed node's own execution time, once it ran all its items without an error. */
export function executionTime(execution: ExecutionSummary, label: string): number {
	const runs = execution.data.resultData.runData?.[TIMED] ?? [];
	const summary = execution.nodes[TIMED];
	const ms = runs[0]?.executionTime;
	if (execution.status !== 'success' || (summary?.items.length ?? 0) < ITEMS || ms === undefined) {
		throw new Error(
			`${label}: ${execution.status}, ${summary?.items.length ?? 0} items, ${JSON.stringify(execution.error ?? summary?.error)}`,
		);
	}
	return ms;
}

const spread = (values: number[]) =>
	`${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

/** The ratios of the figures: node/HTTP Request, references/none, reads/transfer. */
/** A ratio's name, the contender timed and the one it is timed against. */
export type Pair = [name: string, timed: string, against: string];

export const RATIOS: Pair[] = [
	['Konaplate transfer / HTTP Request', 'transfer', 'HTTP Request'],
	[
		`references on every item / none (the ledger grows by ${ITEMS} a run)`,
		'transfer, a Reference on every item',
		'transfer',
	],
	[
		'references on every item / none (the ledger emptied before each run)',
		'transfer, a Reference on every item, empty ledger',
		'transfer',
	],
	['Card → Get / transfer', 'Card → Get', 'transfer'],
	['Card → Get Many / transfer', 'Card → Get Many', 'transfer'],
];

export function byLabel(list: Contender[], label: string): Contender {
	const contender = list.find((one) => one.label === label);
	if (contender === undefined) throw new Error(`no contender ${label}`);
	return contender;
}

/**
 * Runs the two contenders of each pair next to each other, REPS times after a warm-up, in one
 * order on even repetitions and the other on odd ones, and hands each measured pair to `measured`:
 * the machine's pace drifts over seconds, and a run after a large one (Get Many's 14,000 items)
 * pays for the garbage it left, so a ratio of two runs far apart measured the machine as much as
 * the nodes.
 */
export async function inPairs<T>(
	pairs: Pair[],
	run: (label: string) => Promise<T>,
	measured: (pair: Pair, results: Record<string, T>) => void,
): Promise<void> {
	for (let rep = 0; rep <= REPS; rep++) {
		for (const pair of pairs) {
			const [, timed, against] = pair;
			const results: Record<string, T> = {};
			for (const label of rep % 2 === 0 ? [timed, against] : [against, timed])
				results[label] = await run(label);
			if (rep > 0) measured(pair, results);
		}
	}
}

/** The figures of the issue, each ratio from two runs next to each other (inPairs). */
export async function realN8nTable(): Promise<void> {
	const instance = await prepareInstance({
		workflows: (baseUrl, credential) => contenders(baseUrl, credential).map((c) => c.workflow),
	});
	try {
		const srv = await instance.home.start();
		const list = contenders(instance.emulator.baseUrl, instance.credential);
		say(
			`real n8n ${instance.home.info.N8N_VERSION} on Node ${instance.home.info.NODE_VERSION}, ${ITEMS} items per run, ${REPS} repetitions (+1 warm-up) of each pair of runs, run next to each other in alternating order; each node's executionTime from n8n's run data`,
		);
		const times: Record<string, number[]> = Object.fromEntries(list.map((c) => [c.label, []]));
		const ratios: Record<string, number[]> = Object.fromEntries(RATIOS.map(([name]) => [name, []]));
		await inPairs(
			RATIOS,
			async (label) => {
				await instance.emulator.reset();
				return executionTime(
					await srv.runManually(byLabel(list, label).workflow.id, { pollEveryMs: POLL_EVERY_MS }),
					label,
				);
			},
			([name, timed, against], ms) => {
				ratios[name].push(ms[timed] / ms[against]);
				for (const label of [timed, against]) times[label].push(ms[label]);
			},
		);
		say();
		say('| node | median ms | µs/item |');
		say('|---|---|---|');
		for (const { label } of list) {
			const ms = median(times[label]);
			say(`| ${label} | ${ms.toFixed(0)} | ${((ms * 1000) / ITEMS).toFixed(0)} |`);
		}
		say();
		say('| ratio | median of the repetitions | spread (min–max) |');
		say('|---|---|---|');
		for (const [name] of RATIOS) {
			say(`| ${name} | ${median(ratios[name]).toFixed(2)} | ${spread(ratios[name])} |`);
		}
		say();
		say(
			`(the growing ledger held ${ITEMS * REPS} transferred references before the last run: seven entries each)`,
		);
	} finally {
		await instance.stop();
	}
}
