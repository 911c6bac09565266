import type { INode } from 'n8n-workflow';

import bankAccountGetWorkflow from './workflows/bank-account-get.json';
import cardGetWorkflow from './workflows/card-get.json';
import cardGetManyWorkflow from './workflows/card-get-many.json';
import cardResumeWorkflow from './workflows/card-resume.json';
import cardSuspendWorkflow from './workflows/card-suspend.json';
import deleteWorkflow from './workflows/delete.json';
import transactionGetManyWorkflow from './workflows/transaction-get-many.json';
import transferWorkflow from './workflows/transfer.json';
import transferReferenceGetWorkflow from './workflows/transfer-reference-get.json';
import transferReferenceResolveWorkflow from './workflows/transfer-reference-resolve.json';
import type { WorkflowFile } from './engine';

/** One Konaplate node per operation, as the engine runs them for the tests and the bench. */
export const WORKFLOWS = {
	transfer: transferWorkflow as unknown as WorkflowFile,
	delete: deleteWorkflow as unknown as WorkflowFile,
	cardGetMany: cardGetManyWorkflow as unknown as WorkflowFile,
	cardGet: cardGetWorkflow as unknown as WorkflowFile,
	cardSuspend: cardSuspendWorkflow as unknown as WorkflowFile,
	cardResume: cardResumeWorkflow as unknown as WorkflowFile,
	bankAccountGet: bankAccountGetWorkflow as unknown as WorkflowFile,
	transactionGetMany: transactionGetManyWorkflow as unknown as WorkflowFile,
	transferReferenceGet: transferReferenceGetWorkflow as unknown as WorkflowFile,
	transferReferenceResolve: transferReferenceResolveWorkflow as unknown as WorkflowFile,
};

/** A copy of a workflow with its node's settings changed (onError, parameters, ...). */
export function withNode(workflow: WorkflowFile, change: Partial<INode>): WorkflowFile {
	const [node] = workflow.nodes;
	return {
		...workflow,
		nodes: [
			{ ...node, ...change, parameters: { ...node.parameters, ...(change.parameters ?? {}) } },
		],
	};
}
