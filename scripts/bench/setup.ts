// What npm run bench measures against: the emulator on threads of its own, and n8n's HTTP
// Request node from the e2e tests' n8n, in a workflow sending what the Konaplate node sends.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import type { INodeType } from 'n8n-workflow';

import { PACKAGE_ROOT } from '../engine/engine';
import type { WorkflowFile } from '../engine/engine';
import { httpRequestWorkflow } from '../lib/http-request-workflow';
import { installN8n } from '../lib/n8n-install';
import { PATHS } from './options';
import type { Operation } from './options';

export interface Emulator {
	baseUrl: string;
	worker: Worker;
}

/** The emulator on a thread of its own: its work and heap stay out of the measured thread. */
export async function startEmulator(encrypted: boolean): Promise<Emulator> {
	const script = path.join(PACKAGE_ROOT, '.build', 'emulator', 'cli.js');
	const worker = new Worker(script, {
		workerData: ['--quiet', ...(encrypted ? ['--encryption'] : [])],
	});
	const { baseUrl } = await new Promise<{ baseUrl: string }>((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
	});
	return { baseUrl, worker };
}

/** One HTTP Request node sending what the Konaplate node sends for the operation. */
export function httpRequestWorkflowFor(operation: Operation, baseUrl: string): WorkflowFile {
	const json =
		operation === 'transfer'
			? '={{ JSON.stringify({ userId: Number($json.userId), fromCardNo: $json.fromCardNo, toCardNo: $json.toCardNo, amount: $json.amount }) }}'
			: '={{ JSON.stringify({ userId: Number($json.userId) }) }}';
	return httpRequestWorkflow({
		baseUrl,
		calls: [{ name: 'HTTP Request', path: PATHS[operation], body: { json } }],
	});
}

/** n8n's HTTP Request node, from the real n8n of the e2e tests: install-n8n.sh owns where it lives. */
function findHttpRequestNode(): { file: string } | { problem: string } {
	try {
		const { N8N_DIR } = installN8n({ playwright: false });
		const file = path.join(
			N8N_DIR,
			'node_modules',
			'n8n-nodes-base',
			'dist',
			'nodes',
			'HttpRequest',
			'HttpRequest.node.js',
		);
		return existsSync(file) ? { file } : { problem: `not found at ${file}` };
	} catch (error) {
		return { problem: (error as Error).message.split('\n')[0] };
	}
}

/** The HTTP Request node as an extra node type for the engine, or why it is not there. */
export async function loadHttpRequestNode(): Promise<{
	extra: Record<string, INodeType>;
	problem?: string;
}> {
	const httpRequestNode = findHttpRequestNode();
	if ('problem' in httpRequestNode) return { extra: {}, problem: httpRequestNode.problem };
	const { HttpRequest } = (await import(httpRequestNode.file)) as {
		HttpRequest: new () => INodeType;
	};
	return { extra: { 'n8n-nodes-base.httpRequest': new HttpRequest() } };
}
