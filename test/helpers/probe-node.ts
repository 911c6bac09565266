import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import type { WorkflowFile } from '../../scripts/engine/engine';
import { CREDENTIAL_TYPE } from '../../nodes/Konaplate/wire/credentials';

/**
 * A test-only node type that uses the Konaplate credential, for tests that call n8n's HTTP
 * helpers directly (the way another node would) rather than through the Konaplate node.
 */
export function probeNode(
	name: string,
	description: string,
	execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>,
): INodeType {
	return {
		description: {
			displayName: `${name} (test)`,
			name,
			group: ['transform'],
			version: 1,
			description,
			defaults: { name },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: CREDENTIAL_TYPE, required: true }],
			properties: [],
		},
		execute,
	};
}

/** A workflow of one probe node (registered under `type`) with the Konaplate credential. */
export function probeWorkflow(type: string, name: string): WorkflowFile {
	return {
		name,
		nodes: [
			{
				id: 'p1',
				name,
				type,
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
				credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'Konaplate emulator' } },
			},
		],
		connections: {},
	};
}
