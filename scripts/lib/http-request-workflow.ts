import type { INode } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from './credential-type';
import { EMULATOR_CREDENTIAL_FILE } from '../../emulator/data';
import type { WorkflowFile } from '../engine/engine';

/** What one HTTP Request node sends: a JSON body (an n8n expression or JSON text) or a raw text body. */
export type HttpRequestBody = { json: string } | { raw: string };

export interface HttpRequestCall {
	/** The node's name, by which a run's output is read. */
	name: string;
	/** The endpoint path below the Base URL, e.g. /api/v1/transfer/balance. */
	path: string;
	body: HttpRequestBody;
}

export interface HttpRequestWorkflowOptions {
	baseUrl: string;
	/** Chained in this order. */
	calls: HttpRequestCall[];
	/** The n8n credential the nodes use; the emulator's own by default. */
	credential?: { id: string; name: string };
	/** A Manual Trigger first (a real n8n run); without it the engine feeds items to the first call. */
	trigger?: boolean;
	id?: string;
	name?: string;
}

const TRIGGER = 'Start';
const nodeId = (n: number) => `b1f0c2d4-000${n}-4a00-8000-000000000001`;
const link = (to: string) => ({ main: [[{ node: to, type: 'main' as const, index: 0 }]] });

/**
 * n8n's HTTP Request node with "Predefined Credential Type -> Konaplate API": the user's way to
 * call an endpoint the node has no operation for. The bench measures it, the e2e suite runs it.
 */
export function httpRequestWorkflow(options: HttpRequestWorkflowOptions): WorkflowFile {
	const [emulator] = EMULATOR_CREDENTIAL_FILE;
	const credential = options.credential ?? { id: emulator.id, name: emulator.name };
	const requests: INode[] = options.calls.map((call, index) => ({
		id: nodeId(index + 1),
		name: call.name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [220 * (index + 1), 0],
		parameters: {
			method: 'POST',
			url: `${options.baseUrl}${call.path}`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: CREDENTIAL_TYPE,
			sendBody: true,
			...('json' in call.body
				? { contentType: 'json', specifyBody: 'json', jsonBody: call.body.json }
				: { contentType: 'raw', rawContentType: 'application/json', body: call.body.raw }),
			options: {},
		},
		credentials: { [CREDENTIAL_TYPE]: credential },
	}));
	const trigger: INode[] = options.trigger
		? [
				{
					id: nodeId(0),
					name: TRIGGER,
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
			]
		: [];
	const nodes = [...trigger, ...requests];
	const connections: WorkflowFile['connections'] = {};
	nodes.slice(1).forEach((node, index) => {
		connections[nodes[index].name] = link(node.name);
	});
	return {
		...(options.id === undefined ? {} : { id: options.id }),
		name: options.name ?? 'HTTP Request with the Konaplate credential',
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}
