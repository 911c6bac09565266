import { CredentialTestContext, ExecutionLifecycleHooks } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialType,
	INodeType,
	IVersionedNodeType,
	IWorkflowBase,
} from 'n8n-workflow';

import { additionalData, TestCredentialsHelper } from './execution-context';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * The function n8n's credentials tester picks for `type` (n8n `CredentialsTester
 * .getCredentialTestFunction`, 1.123 and 2.41 alike): a credential's declarative `test` first, and
 * only without one a node's `testedBy` naming a `methods.credentialTest` function. This package
 * relies on the second; a declarative `test` would silently take its place, so it fails here.
 */
function credentialTestFunction(
	nodeTypes: Array<INodeType | IVersionedNodeType>,
	credentialType: ICredentialType,
): ICredentialTestFunction {
	if (credentialType.test !== undefined)
		throw new Error(
			`${credentialType.name} has a declarative test: n8n would run it instead of the node's testedBy`,
		);
	for (const type of nodeTypes) {
		// this package's node has one version: not a VersionedNodeType
		if ('nodeVersions' in type) continue;
		for (const { name, testedBy } of type.description.credentials ?? []) {
			if (name !== credentialType.name || typeof testedBy !== 'string') continue;
			const found = type.methods?.credentialTest?.[testedBy];
			if (found === undefined)
				throw new Error(`${testedBy} is not among the node's credentialTest`);
			return found;
		}
	}
	throw new Error(
		`no node tests ${credentialType.name}: n8n would answer "No testing function found"`,
	);
}

/**
 * Runs the Test button's function as n8n's tester does: called on n8n-core's own
 * CredentialTestContext, whose one request helper is n8n's legacy `request` (proxyRequestToAxios).
 */
export async function testCredential(
	nodeTypes: Array<INodeType | IVersionedNodeType>,
	credentialTypes: Record<string, ICredentialType>,
	type: string,
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const test = credentialTestFunction(nodeTypes, credentialTypes[type]);
	const hooks = new ExecutionLifecycleHooks('internal', 'credential-test', {
		nodes: [],
		connections: {},
	} as unknown as IWorkflowBase);
	const helper = new TestCredentialsHelper(credentialTypes, { [type]: data });
	const context = new CredentialTestContext(additionalData(helper, hooks, 'credential-test'));
	const result = await test.call(context, { id: 'test', name: 'test', type, data });
	return { status: result.status, message: result.message };
}
