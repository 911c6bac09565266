import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import bankAccountGetWorkflow from '../fixtures/bank-account-get.workflow.json';
import cardGetWorkflow from '../fixtures/card-get.workflow.json';
import cardGetManyWorkflow from '../fixtures/card-get-many.workflow.json';
import deleteWorkflow from '../fixtures/delete.workflow.json';
import transferWorkflow from '../fixtures/transfer.workflow.json';
import { Engine } from '../../scripts/engine/engine';
import type { EngineRun, WorkflowFile } from '../../scripts/engine/engine';
import { KonaplateEmulator } from '../../emulator/server';
import type { EmulatorOptions } from '../../emulator/server';
import { EMULATOR_CREDENTIAL_FILE } from '../../emulator/data';

export const WORKFLOWS = {
	transfer: transferWorkflow as unknown as WorkflowFile,
	delete: deleteWorkflow as unknown as WorkflowFile,
	cardGetMany: cardGetManyWorkflow as unknown as WorkflowFile,
	cardGet: cardGetWorkflow as unknown as WorkflowFile,
	bankAccountGet: bankAccountGetWorkflow as unknown as WorkflowFile,
};

/** The emulator's credential, pointed at a running emulator. */
export function emulatorCredential(emulator: KonaplateEmulator, overrides: IDataObject = {}): ICredentialDataDecryptedObject {
	return { ...EMULATOR_CREDENTIAL_FILE[0].data, baseUrl: emulator.baseUrl, ...overrides };
}

/** A copy of a fixture workflow with node settings changed (onError, parameters, ...). */
export function withNode(workflow: WorkflowFile, change: Partial<INode>): WorkflowFile {
	const [node] = workflow.nodes;
	return {
		...workflow,
		nodes: [{ ...node, ...change, parameters: { ...node.parameters, ...(change.parameters ?? {}) } }],
	};
}

/** One engine and one emulator per test file; the emulator's state is reset before each test. */
export function useKonaplate(options: EmulatorOptions = {}) {
	const context = {} as {
		engine: Engine;
		emulator: KonaplateEmulator;
		run(workflow: WorkflowFile, items: IDataObject[], credential?: IDataObject): Promise<EngineRun>;
	};
	beforeAll(async () => {
		context.engine = await Engine.load();
		context.emulator = await KonaplateEmulator.start(options);
		context.run = async (workflow, items, credential = {}) =>
			await context.engine.run(workflow, items, {
				konaCredentials: emulatorCredential(context.emulator, credential),
			});
	});
	beforeEach(() => context.emulator.reset());
	afterAll(async () => await context.emulator.close());
	return context;
}

/** The output of the Konaplate node in a run: success items and, when enabled, error-output items. */
export function konaplateOutput(run: EngineRun) {
	const [name] = Object.keys(run.nodes);
	const node = run.nodes[name];
	return {
		success: node.outputs[0] ?? [],
		errors: node.outputs[1] ?? [],
		error: node.error,
	};
}
