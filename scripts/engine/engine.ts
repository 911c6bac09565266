import { tmpdir } from 'node:os';
import * as path from 'node:path';

import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	PackageDirectoryLoader,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import { createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	IExecuteData,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
} from 'n8n-workflow';

import { PACKAGE_ROOT } from '../lib/package-root';
import { additionalData, TestCredentialsHelper } from './execution-context';

export { PACKAGE_ROOT };

/** n8n's user folder for the engine (n8n-core writes `.n8n/config` there): in the temp dir. */
export const ENGINE_USER_FOLDER = path.join(tmpdir(), 'n8n-nodes-konaplate-engine');

/** A workflow in n8n's export format, as the fixtures and examples are saved. */
export interface WorkflowFile {
	name: string;
	nodes: INode[];
	connections: IConnections;
	id?: string;
	/** n8n's workflow settings, for a real n8n's import (the engine runs with its own). */
	settings?: IDataObject;
}

export interface NodeRun {
	/** Items per output (main[0] is the success output, main[1] the error output when enabled). */
	outputs: INodeExecutionData[][];
	error?: Error & IDataObject;
}

export interface EngineRun {
	run: IRun;
	nodes: Record<string, NodeRun>;
}

export const KONAPLATE_NODE_TYPE = 'n8n-nodes-konaplate.konaplate';
/** The node as n8n runs it for an AI agent (AI Agent, MCP Server Trigger). */
export const KONAPLATE_TOOL_TYPE = `${KONAPLATE_NODE_TYPE}Tool`;

let executions = 0;

/** Runs workflows through n8n-core's engine with this package loaded from dist/, the way n8n loads it. */
export class Engine {
	private constructor(
		readonly nodeTypes: INodeTypes,
		readonly credentialTypes: Record<string, ICredentialType>,
	) {}

	static async load(
		packageRoot: string = PACKAGE_ROOT,
		extraNodeTypes: Record<string, INodeType> = {},
	): Promise<Engine> {
		// n8n-core keeps an encryption key in <N8N_USER_FOLDER>/.n8n/config, by default in the home
		// folder, where a person's own n8n keeps its key: the engine's is in the temp dir
		process.env.N8N_USER_FOLDER ??= ENGINE_USER_FOLDER;
		const loader = new PackageDirectoryLoader(packageRoot);
		await loader.loadAll();
		const types: Record<string, INodeType | IVersionedNodeType> = { ...extraNodeTypes };
		for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
			types[`${loader.packageName}.${name}`] = type;
			// n8n runs a `usableAsTool` node for an AI agent under its name + "Tool", with the same
			// execute (n8n's NodeTypes only extends the description with the tool's own parameters)
			if ('description' in type && type.description.usableAsTool)
				types[`${loader.packageName}.${name}Tool`] = type;
		}
		const credentialTypes: Record<string, ICredentialType> = {};
		for (const [name, { type }] of Object.entries(loader.credentialTypes))
			credentialTypes[name] = type;
		const nodeTypes: INodeTypes = {
			getByName: (name) => types[name],
			getByNameAndVersion: (name, version) =>
				NodeHelpers.getVersionedNodeType(types[name], version),
			getKnownTypes: () => ({}),
		};
		return new Engine(nodeTypes, credentialTypes);
	}

	/**
	 * The part of a workflow this engine can run: the nodes whose types are loaded (this
	 * package's), with the connections between them. Triggers and n8n's own nodes run in a real n8n.
	 */
	loadable(workflow: WorkflowFile): WorkflowFile {
		const known = new Set(
			workflow.nodes
				.filter((node) => this.nodeTypes.getByName(node.type) !== undefined)
				.map((node) => node.name),
		);
		const connections: IConnections = {};
		for (const [from, byType] of Object.entries(workflow.connections)) {
			if (!known.has(from)) continue;
			connections[from] = Object.fromEntries(
				Object.entries(byType).map(([type, outputs]) => [
					type,
					outputs.map((targets) => (targets ?? []).filter((target) => known.has(target.node))),
				]),
			);
		}
		return {
			...workflow,
			nodes: workflow.nodes.filter((node) => known.has(node.name)),
			connections,
		};
	}

	/** Runs `workflow` from `startNode` with `items` as that node's input. */
	async run(
		workflow: WorkflowFile,
		items: IDataObject[],
		credentials: Record<string, ICredentialDataDecryptedObject>,
		startNode: string = workflow.nodes[0].name,
	): Promise<EngineRun> {
		const executionId = `test-${++executions}`;
		const wf = new Workflow({
			id: workflow.id ?? 'test-workflow',
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			nodeTypes: this.nodeTypes,
			active: false,
			settings: {},
		});
		const workflowData = {
			...workflow,
			id: wf.id,
			active: false,
			settings: {},
		} as unknown as IWorkflowBase;
		const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
		let finished: IRun | undefined;
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
			finished = fullRunData;
		});
		const node = wf.getNode(startNode);
		if (node === null) throw new Error(`no node named ${startNode}`);
		const runData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [
					{ node, data: { main: [items.map((json) => ({ json }))] }, source: null },
				],
			},
		});
		const helper = new TestCredentialsHelper(this.credentialTypes, credentials);
		const execute = new WorkflowExecute(
			additionalData(helper, hooks, executionId),
			'manual',
			runData,
		);
		const run = await execute.processRunExecutionData(wf);
		const result = finished ?? run;
		const nodes: Record<string, NodeRun> = {};
		for (const [name, tasks] of Object.entries(result.data.resultData.runData)) {
			const task = tasks[tasks.length - 1];
			nodes[name] = {
				outputs: (task.data?.main ?? []).map((output) => output ?? []),
				error: task.error as NodeRun['error'],
			};
		}
		return { run: result, nodes };
	}

	/**
	 * Runs a credential type's `test` request the way n8n's credential tester does.
	 * statusHandling 'before-2.11': as n8n 1.x up to 2.10, whose HTTP layer reads any truthy
	 * `ignoreHttpStatusErrors` (also the `{ ignore, except }` object) as "ignore every status"
	 * (n8n-core 1.123: `if (n8nRequest.ignoreHttpStatusErrors) validateStatus = () => true`).
	 */
	async testCredential(
		type: string,
		data: ICredentialDataDecryptedObject,
		{ statusHandling = 'current' }: { statusHandling?: 'current' | 'before-2.11' } = {},
	): Promise<{ status: 'OK' | 'Error'; message: string; statusCode?: number }> {
		const credentialType = this.credentialTypes[type];
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
		const helper = new TestCredentialsHelper(this.credentialTypes, { [type]: data });
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
