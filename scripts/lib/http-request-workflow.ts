import type { IConnections, INode, INodeParameters } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../nodes/Konaplate/transport/request';

/** One POST of n8n's HTTP Request node: its name, URL and body parameters (contentType, jsonBody, body...). */
export interface HttpRequestStep {
	name: string;
	url: string;
	body: INodeParameters;
}

export interface HttpRequestWorkflow {
	id?: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: { executionOrder: 'v1' };
}

/**
 * n8n's HTTP Request node signing with "Predefined Credential Type -> Konaplate" (the
 * credential's authenticate step), one node per step, run one after the other; behind a manual
 * trigger named Start when `trigger` is set (a real n8n runs a saved workflow from its trigger).
 * The end-to-end suite and the bench both run it.
 */
export function httpRequestWorkflow({
	name,
	credential,
	steps,
	trigger = false,
}: {
	name: string;
	credential: { id: string; name: string };
	steps: HttpRequestStep[];
	trigger?: boolean;
}): HttpRequestWorkflow {
	const x0 = trigger ? 1 : 0;
	const requests: INode[] = steps.map((step, i) => ({
		parameters: {
			method: 'POST',
			url: step.url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: CREDENTIAL_TYPE,
			sendBody: true,
			...step.body,
			options: {},
		},
		id: `b1f0c2d4-000${i + x0}-4a00-8000-000000000001`,
		name: step.name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [220 * (i + x0), 0],
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	}));
	const start: INode = { parameters: {}, id: 'b1f0c2d4-0000-4a00-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] };
	const nodes = trigger ? [start, ...requests] : requests;
	const connections: IConnections = {};
	for (let i = 1; i < nodes.length; i++) connections[nodes[i - 1].name] = { main: [[{ node: nodes[i].name, type: 'main', index: 0 }]] };
	return { name, nodes, connections, ...(trigger ? { settings: { executionOrder: 'v1' as const } } : {}) };
}
