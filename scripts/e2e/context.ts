import type { Checks } from './checks';
import type { Emulator } from './emulator-process';
import type { EmulatorCredential } from './instance';
import type { Workflow } from './n8n/home';
import type { ExecutionSummary } from './n8n/run-data';
import type { N8nServer } from './n8n/server';

/** What run-e2e hands each group of checks once `n8n start` is up. */
export interface SuiteContext {
	checks: Checks;
	srv: N8nServer;
	emulator: Emulator;
	credential: EmulatorCredential;
	/** an example workflow by file name */
	ex: (file: string) => Workflow;
	/** resets the emulator, then runs the workflow from its trigger */
	runExample: (wf: Workflow) => Promise<ExecutionSummary>;
}
