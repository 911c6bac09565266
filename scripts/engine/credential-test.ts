import { ExecuteContext, ExecutionLifecycleHooks, RoutingNode } from 'n8n-core';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IExecuteData,
	INode,
	INodeExecutionData,
	INodeType,
	IWorkflowBase,
} from 'n8n-workflow';

import { additionalData, TestCredentialsHelper } from './execution-context';

export interface CredentialTestOptions {
	statusHandling?: 'current' | 'before-2.11';
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
	statusCode?: number;
}

/**
 * Runs a credential type's `test` request the way n8n's credential tester does.
 * statusHandling 'before-2.11': as n8n 1.x up to 2.10, whose HTTP layer reads any truthy
 * `ignoreHttpStatusErrors` (also the `{ ignore, except }` object) as "ignore every status"
 * (n8n-core 1.123: `if (n8nRequest.ignoreHttpStatusErrors) validateStatus = () => true`).
 */
export async function testCredential(
	credentialTypes: Record<string, ICredentialType>,
	type: string,
	data: ICredentialDataDecryptedObject,
	{ statusHandling = 'current' }: CredentialTestOptions = {},
): Promise<CredentialTestResult> {
	const credentialType = credentialTypes[type];
	const declared = credentialType.test;
	if (declared === undefined) throw new Error(`${type} has no test`);
	const test =
		statusHandling === 'before-2.11' && declared.request.ignoreHttpStatusErrors
			? { ...declared, request: { ...declared.request, ignoreHttpStatusErrors: true } }
			: declared;
	const nodeType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'temp',
			group: [],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'temp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type]: { id: 'test', name: 'test' } },
	};
	const wf = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		},
	});
	const hooks = new ExecutionLifecycleHooks('internal', 'credential-test', {
		nodes: [node],
		connections: {},
	} as unknown as IWorkflowBase);
	const helper = new TestCredentialsHelper(credentialTypes, { [type]: data });
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		wf,
		node,
		additionalData(helper, hooks, 'credential-test'),
		'internal',
		createRunExecutionData({ resultData: { runData: {} } }),
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, {
		id: 'test',
		name: 'test',
		type,
		data,
	});
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		// The verdicts below mirror n8n's CredentialsTester (1.123 and 2.41 alike).
		const cause = (
			error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }
		).cause;
		if (cause?.response) {
			const statusCode = cause.response.status;
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === statusCode) {
					return { status: 'Error', message: rule.properties.message, statusCode };
				}
			}
			return {
				status: 'Error',
				message: cause.response.statusText || `Received HTTP status code: ${statusCode}`,
				statusCode,
			};
		}
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: (error as Error).message };
	}
	for (const rule of test.rules ?? []) {
		if (
			rule.type === 'responseSuccessBody' &&
			valueAt(response?.[0]?.[0]?.json, rule.properties.key) === rule.properties.value
		) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** lodash `get` as n8n's tester uses it for responseSuccessBody rules: a dotted path, undefined when absent. */
function valueAt(value: unknown, key: string): unknown {
	let current = value;
	for (const part of key.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}
