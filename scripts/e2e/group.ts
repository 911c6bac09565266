// The contract every group of end-to-end checks keeps (groups/<name>/index.ts, listed in
// groups/index.ts), and the one context run-e2e.ts hands each of them.
import type { Checks } from './checks';
import type { Emulator } from './emulator-process';
import type { EmulatorCredential, Instance } from './instance';
import type { CredentialExport, N8nHome, Workflow } from './n8n/home';
import type { ExecutionSummary, OutputItem } from './n8n/run-data';
import type { N8nServer } from './n8n/server';

/** What a group's workflows are made from, before n8n starts. */
export interface GroupSetup {
	/** the example workflows of examples/, by file name */
	examples: Record<string, Workflow>;
	/** an example workflow by file name (throws when missing) */
	ex: (file: string) => Workflow;
	/** the emulator's base URL and the credential pointed at it */
	baseUrl: string;
	credential: EmulatorCredential;
}

/** What the runner hands every group before `n8n start`: n8n's CLI, the emulator, the lists. */
export interface CliContext extends GroupSetup {
	checks: Checks;
	/** the packed package, the emulator and the n8n user folder */
	instance: Instance;
	home: N8nHome;
	emulator: Emulator;
	/** the closing check's list of outputs to search for secrets */
	outputs: OutputItem[];
	/** lines for the summary under the checks */
	notes: string[];
}

/** ...and once `n8n start` is up: one object for the rest of the run. */
export interface GroupContext extends CliContext {
	/** the started n8n (a group that restarted it returned the new one) */
	srv: N8nServer;
	/** resets the emulator, then runs the workflow from its trigger */
	runExample: (wf: Workflow) => Promise<ExecutionSummary>;
}

/**
 * A group of end-to-end checks. Each step is optional; run-e2e imports every group's workflows
 * and credentials into the user folder, runs every beforeStart (n8n's CLI), starts n8n, then
 * runs every group's run in the order of groups/index.ts.
 */
export interface E2eGroup {
	/** the folder's name, for the reader */
	name: string;
	/** workflows to import with the examples */
	workflows?: (setup: GroupSetup) => Workflow[];
	/** credentials to import besides the emulator's */
	credentials?: () => CredentialExport[];
	/** checks on n8n's CLI before `n8n start` */
	beforeStart?: (context: CliContext) => Promise<void>;
	/** checks on the started n8n; a group that restarts n8n returns the new server */
	run?: (context: GroupContext) => Promise<N8nServer | void>;
}
