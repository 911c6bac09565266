/**
 * The shared-ledger group's workflows, all on the credential whose Ledger is Shared (PostgreSQL):
 * the webhook payout and a copy of it (another id and path), a workflow with two transferring
 * nodes on the same Reference, Transfer Reference → Get behind a webhook, and the payout on a
 * credential whose database cannot be reached. Webhooks without a key: loopback only.
 */
import type { INode } from 'n8n-workflow';

import { CARDS, MEMBER } from '../../../../emulator/data';
import { CREDENTIAL_TYPE, emulatorCredential, NODE_TYPE } from '../../instance';
import type { CredentialExport, Workflow } from '../../n8n/home';

export const SHARED_CREDENTIAL = { id: 'konaplateShared01', name: 'Konaplate, shared ledger' };
export const DEAD_CREDENTIAL = { id: 'konaplateDeadDb01', name: 'Konaplate, ledger unreachable' };

export const PATHS = {
	payout: 'shared-ledger-payout',
	copy: 'shared-ledger-payout-copy',
	twoNodes: 'shared-ledger-two-nodes',
	get: 'shared-ledger-get',
	dead: 'shared-ledger-dead',
} as const;
type Kind = keyof typeof PATHS;

const IDS: Record<Kind, string> = {
	payout: 'kpE2eSharedPay01',
	copy: 'kpE2eSharedCopy1',
	twoNodes: 'kpE2eSharedTwo01',
	get: 'kpE2eSharedGet01',
	dead: 'kpE2eSharedDead1',
};

/** The credential of the emulator with its Ledger set to Shared (PostgreSQL) at `url`. */
export function sharedCredential(
	baseUrl: string,
	url: string,
	{ id, name } = SHARED_CREDENTIAL,
): CredentialExport {
	const base = emulatorCredential(baseUrl);
	return { ...base, id, name, data: { ...base.data, ledger: 'postgres', ledgerPostgresUrl: url } };
}

/** A payout's body: the Reference's amount tells the emulator's requests apart. */
export const payoutBody = (reference: string, amount: number) => ({
	userId: MEMBER,
	fromCardNo: CARDS.benchFrom,
	toCardNo: CARDS.benchTo,
	amount,
	reference,
});

const from = (node: string, field: string) => `={{ $('${node}').item.json.body.${field} }}`;

function konaplate(name: string, y: number, parameters: INode['parameters'], credential: string) {
	const id = credential === DEAD_CREDENTIAL.id ? DEAD_CREDENTIAL : SHARED_CREDENTIAL;
	return {
		id: `5e1d6e00-0000-4000-8000-${String(y).padStart(12, '0')}`,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [300, y] as [number, number],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: id },
		onError: 'continueRegularOutput' as const,
	};
}

const transfer = (name: string, y: number, credential = SHARED_CREDENTIAL.id) =>
	konaplate(
		name,
		y,
		{
			resource: 'card',
			operation: 'transferBalance',
			userId: from('Request', 'userId'),
			fromCardNo: from('Request', 'fromCardNo'),
			toCardNo: from('Request', 'toCardNo'),
			transferEntireBalance: false,
			amount: from('Request', 'amount'),
			reference: from('Request', 'reference'),
			options: {},
		},
		credential,
	);

function webhookWorkflow(kind: Kind, steps: INode[]): Workflow {
	const index = String(Object.keys(PATHS).indexOf(kind)).padStart(2, '0');
	const request: INode = {
		id: `5e1d6e00-0000-4000-8000-1000000000${index}`,
		name: 'Request',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `5e1d6e00-0000-4000-9000-0000000000${index}`,
		parameters: { httpMethod: 'POST', path: PATHS[kind], responseMode: 'lastNode', options: {} },
	};
	const chain = [request, ...steps];
	const connections: Workflow['connections'] = {};
	chain.slice(0, -1).forEach((node, at) => {
		connections[node.name] = { main: [[{ node: chain[at + 1].name, type: 'main', index: 0 }]] };
	});
	return {
		id: IDS[kind],
		name: `e2e: shared ledger, ${kind}`,
		nodes: chain,
		connections,
		settings: {},
	};
}

/** Every workflow of the group. */
export function sharedLedgerWorkflows(): Workflow[] {
	return [
		webhookWorkflow('payout', [transfer('Pay out', 0)]),
		webhookWorkflow('copy', [transfer('Pay out', 0)]),
		webhookWorkflow('twoNodes', [transfer('Pay out', 0), transfer('Pay out again', 200)]),
		webhookWorkflow('get', [
			konaplate(
				'Get',
				0,
				{
					resource: 'transferReference',
					operation: 'get',
					reference: from('Request', 'reference'),
				},
				SHARED_CREDENTIAL.id,
			),
		]),
		webhookWorkflow('dead', [transfer('Pay out', 0, DEAD_CREDENTIAL.id)]),
	];
}

export const WORKFLOW_IDS = IDS;
