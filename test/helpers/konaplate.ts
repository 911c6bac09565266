import type { IDataObject } from 'n8n-workflow';

import { emulatorCredential } from '../../emulator/data';
import { KonaplateEmulator } from '../../emulator/server';
import type { EmulatorOptions } from '../../emulator/server';
import { emulatorEncryption } from '../../emulator/keys';
import { Engine } from '../../scripts/engine/engine';
import type { EngineRun, WorkflowFile } from '../../scripts/engine/engine';

// The tests' one import for the engine's workflows and the emulator's credential.
export { emulatorCredential };
export { WORKFLOWS, withNode } from '../../scripts/engine/workflows';

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

/** An emulator that requires encryption (the test keys of emulator/keys/), one per test file, reset before each test. */
export function useEncryptedEmulator() {
	const context = {} as { emulator: KonaplateEmulator };
	beforeAll(async () => {
		context.emulator = await KonaplateEmulator.start({ encryption: emulatorEncryption() });
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
