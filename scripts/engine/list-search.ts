/**
 * Runs one of the node's listSearch methods (a resource locator's list in the editor) the way
 * n8n's editor asks for it: a LoadOptionsContext over a workflow of the one node, with the
 * node's current parameters and its credential.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	IWorkflowBase,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../lib/credential-type';
import type { Engine } from './engine';
import { KONAPLATE_NODE_TYPE } from './engine';
import { additionalData, TestCredentialsHelper } from './execution-context';

export async function listSearch(
	engine: Engine,
	{
		method,
		parameters,
		credential,
		filter,
	}: {
		method: string;
		/** The node's parameters as the editor holds them when the list opens. */
		parameters: INodeParameters;
		credential: ICredentialDataDecryptedObject;
		filter?: string;
	},
): Promise<INodeListSearchResult> {
	const node: INode = {
		id: 'list-search',
		name: 'Konaplate',
		type: KONAPLATE_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: 'list-search', name: 'list-search' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: engine.nodeTypes,
	});
	const hooks = new ExecutionLifecycleHooks('internal', 'list-search', {
		nodes: [node],
		connections: {},
	} as unknown as IWorkflowBase);
	const helper = new TestCredentialsHelper(engine.credentialTypes, {
		[CREDENTIAL_TYPE]: credential,
	});
	const context = new LoadOptionsContext(
		workflow,
		node,
		{ ...additionalData(helper, hooks, 'list-search'), currentNodeParameters: parameters },
		`parameters.${method}`,
	);
	const nodeType = engine.nodeTypes.getByNameAndVersion(KONAPLATE_NODE_TYPE, 1) as INodeType;
	const search = nodeType.methods?.listSearch?.[method];
	if (search === undefined) throw new Error(`the node has no listSearch method ${method}`);
	return await search.call(context, filter);
}
