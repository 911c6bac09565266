import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { ExecutionLifecycleHooks, PackageDirectoryLoader, WorkflowExecute } from 'n8n-core';
import { createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
} from 'n8n-workflow';

import { PACKAGE_ROOT } from '../lib/package-root';
import { testCredential } from './credential-test';
import type { CredentialTestResult } from './credential-test';
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
		/** The package's own node types, as loaded from dist/. */
		private readonly packageNodeTypes: Array<INodeType | IVersionedNodeType> = [],
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
		return new Engine(
			nodeTypes,
			credentialTypes,
			Object.values(loader.nodeTypes).map(({ type }) => type),
		);
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

	/** Runs the credential's Test the way n8n's credential tester does (credential-test.ts). */
	async testCredential(
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<CredentialTestResult> {
		return await testCredential(this.packageNodeTypes, this.credentialTypes, type, data);
	}
}
