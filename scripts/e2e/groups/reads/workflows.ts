/**
 * What the reads checks (index.ts, examples.ts) share: the workflows made here (manual
 * trigger -> one Konaplate read), the merge member's cards, the values the default outputs must
 * never show, and the items a node output in a successful execution.
 */
import type { INode } from 'n8n-workflow';

import {
	CARDS,
	initialMembers,
	LONG_MEMBER,
	MEMBER,
	MERGE_DEBIT_ACCOUNT,
	MERGE_MEMBER,
	MERGE_MEMBER_ACCOUNT,
	MERGE_MEMBER_NAME,
	NO_ACCOUNT_MEMBER,
	PHYSICAL_CARD_NO,
} from '../../../../emulator/data';
import { assert } from '../../checks';
import { CREDENTIAL_TYPE, NODE_TYPE } from '../../instance';
import type { Workflow } from '../../n8n/home';
import type { ExecutionSummary, OutputItem } from '../../n8n/run-data';

export const MAIN = CARDS.main;
export const MERGE = {
	main: CARDS.mergeMain,
	gift: CARDS.mergeGift,
	plastic: CARDS.mergePlastic,
	empty: CARDS.mergeEmpty,
	inactive: CARDS.mergeInactive,
	debit: CARDS.mergeDebit,
};
const member = initialMembers().get(MEMBER);
/** What the default outputs must never show: full card and account numbers, the cash-receipt id, names. */
export const SECRETS = [
	...Object.values(MERGE),
	PHYSICAL_CARD_NO,
	MAIN,
	MERGE_DEBIT_ACCOUNT,
	MERGE_MEMBER_ACCOUNT,
	member?.cashReceiptId,
	MERGE_MEMBER_NAME,
	member?.name,
].filter((secret): secret is string => secret !== undefined);

let made = 0;

/** Manual trigger -> one Konaplate node with these parameters. */
function readWorkflow(
	id: string,
	name: string,
	parameters: INode['parameters'],
	onError?: INode['onError'],
): Workflow {
	const n = String(++made).padStart(12, '0');
	const trigger: INode = {
		parameters: {},
		id: `c2a0e1f4-0000-4b00-8000-${n}`,
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
	};
	const node: INode = {
		parameters: { options: {}, ...parameters },
		id: `c2a0e1f4-0001-4b00-8000-${n}`,
		name: 'Read',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [220, 0],
		credentials: { [CREDENTIAL_TYPE]: { id: 'konaplateEmulator', name: 'Konaplate emulator' } },
		...(onError && { onError }),
	};
	return {
		id,
		name,
		nodes: [trigger, node],
		connections: { Start: { main: [[{ node: 'Read', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The parameters of each read, for readWorkflow. */
const cardGetMany = (userId: string): INode['parameters'] => ({
	resource: 'card',
	operation: 'getMany',
	userId,
	// the checks read the full card (Konaplate's field names, limits, the linked account)
	simplify: false,
});
const cardGet = (cardNo: string, options: INode['parameters'] = {}): INode['parameters'] => ({
	resource: 'card',
	operation: 'get',
	cardNo,
	options,
});

export const WORKFLOWS = {
	cards: readWorkflow('kpE2eReadCards0001', 'e2e: Card > Get Many', cardGetMany(MERGE_MEMBER)),
	longMember: readWorkflow(
		'kpE2eReadLongMember',
		'e2e: Card > Get Many, 19 digits',
		cardGetMany(LONG_MEMBER),
	),
	card: readWorkflow('kpE2eReadCard00001', 'e2e: Card > Get', cardGet(MAIN)),
	mainCard: readWorkflow(
		'kpE2eReadMainCard01',
		'e2e: Card > Get of the main card, full number',
		cardGet(MERGE.main, { showFullCardNumbers: true }),
	),
	noAccount: readWorkflow(
		'kpE2eReadNoAccount1',
		'e2e: Bank Account > Get without an account',
		{ resource: 'bankAccount', operation: 'get', userId: NO_ACCOUNT_MEMBER },
		'continueRegularOutput',
	),
};

/** The workflows to import besides the examples. */
export function workflows(): Workflow[] {
	return Object.values(WORKFLOWS);
}

/** The items node `name` output, in an execution that must have succeeded. */
export function only(execution: ExecutionSummary, name: string): OutputItem[] {
	assert.equal(
		execution.status,
		'success',
		`execution ${execution.status}: ${JSON.stringify(execution.error)}`,
	);
	return execution.nodes[name].items;
}
