// The workflows npm run bench times in a real n8n (Manual Trigger, a Code node making N items, the
// timed node), shared by its tables: the ratios (real-n8n.ts), the profile (real-profile.ts) and
// the split (split.ts).
import type { INode } from 'n8n-workflow';

import { CARDS, MEMBER } from '../../emulator/data';
import { ENDPOINT } from '../../nodes/Konaplate/wire/endpoints';
import { NODE_TYPE } from '../e2e/instance';
import type { EmulatorCredential, Instance } from '../e2e/instance';
import type { N8nServer } from '../e2e/n8n/server';
import type { Workflow } from '../e2e/n8n/home';
import type { ExecutionSummary } from '../e2e/n8n/run-data';
import { CREDENTIAL_TYPE } from '../lib/credential-type';
import { httpRequestWorkflow } from '../lib/http-request-workflow';
import { ITEMS } from './options';

/**
 * How often the bench asks n8n whether a run finished: n8n answers on the thread that runs the
 * timed node (an API key check and a database read, a few ms each), so asking every 50 ms, as the
 * tests do, took about a tenth of that thread away from the node.
 */
export const POLL_EVERY_MS = 1000;

/** The node each workflow times, after its Manual Trigger and the Code node that makes its items. */
const TIMED = 'Timed';

export interface Contender {
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
		// the full card, as measured before Simplify existed
		simplify: false,
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

/** Finds a contender by its label. */
export function byLabel(list: Contender[], label: string): Contender {
	const contender = list.find((one) => one.label === label);
	if (contender === undefined) throw new Error(`no contender ${label}`);
	return contender;
}

/** Runs a contender's workflow once, on a fresh emulator, and gives its timed node's executionTime. */
export async function timedRun(
	instance: Instance,
	srv: N8nServer,
	contender: Contender,
): Promise<number> {
	await instance.emulator.reset();
	return executionTime(
		await srv.runManually(contender.workflow.id, { pollEveryMs: POLL_EVERY_MS }),
		contender.label,
	);
}
