import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	INodeType,
} from 'n8n-workflow';

import { emulatorCredential } from '../../emulator/data';
import { KonaplateEmulator } from '../../emulator/server';
import type { EmulatorOptions } from '../../emulator/server';
import { emulatorEncryption, encryptionCredentialFields } from '../../emulator/keys';
import { Engine, KONAPLATE_NODE_TYPE } from '../../scripts/engine/engine';
import type { EngineRun, NodeRun, WorkflowFile } from '../../scripts/engine/engine';
import { CREDENTIAL_TYPE } from '../../nodes/Konaplate/wire/credentials';

// The tests' one import for the engine's workflows and the emulator's credential.
export { emulatorCredential };
export { WORKFLOWS, withNode } from '../../scripts/engine/workflows';

/** The output of the Konaplate node in a run: success items and, when enabled, error-output items. */
export interface KonaplateOutput {
	success: INodeExecutionData[];
	errors: INodeExecutionData[];
	error: NodeRun['error'];
}

/** An emulator reached through the test file's engine, with the emulator's credential plus a run's changes. */
export interface KonaplateTarget {
	emulator: KonaplateEmulator;
	/** The credential a run uses: the emulator's, with these fields changed. */
	credential(changes?: IDataObject): ICredentialDataDecryptedObject;
	run(workflow: WorkflowFile, items: IDataObject[], credential?: IDataObject): Promise<EngineRun>;
	/** The same run, reduced to what the Konaplate node output. */
	output(
		workflow: WorkflowFile,
		items: IDataObject[],
		credential?: IDataObject,
	): Promise<KonaplateOutput>;
}

/** The emulator credential's own encryption fields, all empty: a run that sends plain JSON. */
export const NO_ENCRYPTION: IDataObject = Object.fromEntries(
	Object.keys(encryptionCredentialFields()).map((name) => [name, '']),
);

/** One engine and one emulator per test file; the emulator's state is reset before each test. */
export function useKonaplate(options: EmulatorOptions = {}) {
	const context = {} as KonaplateTarget & { engine: Engine };
	useTarget(context, async () => {
		context.engine = await Engine.load();
		return emulatorTarget(context.engine, await KonaplateEmulator.start(options));
	});
	return context;
}

/**
 * A second emulator that requires encryption (the test keys of emulator/keys/), run through the
 * engine of `kona`, its credential carrying the encryption keys; reset before each test.
 */
export function useEncryptedEmulator(kona: { engine: Engine }) {
	const context = {} as KonaplateTarget;
	useTarget(context, async () => {
		const emulator = await KonaplateEmulator.start({ encryption: emulatorEncryption() });
		return emulatorTarget(kona.engine, emulator, encryptionCredentialFields());
	});
	return context;
}

/** Fills `context` before the file's tests, resets its emulator before each and closes it after. */
function useTarget(context: KonaplateTarget, start: () => Promise<KonaplateTarget>) {
	beforeAll(async () => Object.assign(context, await start()));
	beforeEach(() => context.emulator.reset());
	afterAll(async () => await context.emulator.close());
}

/** Runs through `engine` against `emulator`, whose credential is the emulator's with `base` changed. */
export function emulatorTarget(
	engine: Engine,
	emulator: KonaplateEmulator,
	base: IDataObject = {},
): KonaplateTarget {
	const credential = (changes: IDataObject = {}) =>
		emulatorCredential(emulator, { ...base, ...changes });
	const run = async (workflow: WorkflowFile, items: IDataObject[], changes?: IDataObject) =>
		await engine.run(workflow, items, { [CREDENTIAL_TYPE]: credential(changes) });
	return {
		emulator,
		credential,
		run,
		output: async (workflow, items, credential) =>
			konaplateOutput(await run(workflow, items, credential)),
	};
}

/** What the run's first node output: the Konaplate node, where the workflow fixtures start. */
export function konaplateOutput(run: EngineRun): KonaplateOutput {
	const [name] = Object.keys(run.nodes);
	const node = run.nodes[name];
	return {
		success: node.outputs[0] ?? [],
		errors: node.outputs[1] ?? [],
		error: node.error,
	};
}

/** The Konaplate node's parameters as n8n loaded them from dist/. */
export function loadedProperties(engine: Engine): INodeProperties[] {
	return (engine.nodeTypes.getByName(KONAPLATE_NODE_TYPE) as INodeType).description.properties;
}
