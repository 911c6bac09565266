/**
 * A running n8n, seen from outside: its owner's login, the internal REST API (/rest, what the
 * editor calls), the public API (/api/v1, with an API key made on first use), webhooks, and
 * executions read back in full.
 * - Activation is asynchronous in 2.x: activate() waits until the webhooks answer.
 * - `responseMode: lastNode` hides a node's error behind HTTP 500 "Error in workflow": read the
 *   execution (getExecution) for the detail.
 */
import { pollUntil } from './process';
import type { N8nFeatures } from './install';
import { pickError, summarizeRunData } from './run-data';
import type { Execution, ExecutionSummary, OutputItem } from './run-data';
import type { INode } from 'n8n-workflow';

/** The instance owner every n8n of these scripts has (created at boot, or by setUpOwner). */
export const OWNER = { email: 'e2e-owner@example.test', password: 'E2e-owner-Passw0rd' } as const;

export interface WebhookAnswer {
	status: number;
	headers: Record<string, string>;
	text: string;
	/** The body parsed, when it is JSON (a node's output, for the webhooks of these workflows). */
	json: OutputItem;
}

export class N8nClient {
	/** The owner's session cookie, once logged in. */
	cookie: string | undefined;

	private apiKey: string | undefined;

	constructor(
		readonly baseUrl: string,
		readonly features: N8nFeatures,
	) {}

	/** n8n without owner-at-boot: the owner set-up form, as the first visitor fills it in. */
	async setUpOwner(): Promise<void> {
		const res = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': 'e2e' },
			body: JSON.stringify({
				email: OWNER.email,
				firstName: 'E2E',
				lastName: 'Owner',
				password: OWNER.password,
			}),
		});
		if (!res.ok)
			throw new Error(`owner setup failed: ${res.status} ${(await res.text()).slice(0, 500)}`);
	}

	async login(): Promise<string> {
		if (this.cookie) return this.cookie;
		const res = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		});
		if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
		const auth = res.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (!auth) throw new Error('login: no n8n-auth cookie');
		this.cookie = auth;
		return auth;
	}

	/** Internal REST API (/rest/...), as the owner. Returns the parsed body (its `data` if any). */
	async rest<T>(method: string, p: string, body?: unknown): Promise<T> {
		const cookie = await this.login();
		const res = await fetch(`${this.baseUrl}/rest${p}`, {
			method,
			headers: { cookie, 'content-type': 'application/json', 'browser-id': 'e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /rest${p}: ${res.status} ${text.slice(0, 2000)}`);
		const json = text ? (JSON.parse(text) as unknown) : undefined;
		return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
	}

	/** Public API (/api/v1/...) with an owner API key created on first use. */
	async api<T>(method: string, p: string, body?: unknown): Promise<T> {
		if (!this.apiKey) {
			const scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
			const key = await this.rest<{ rawApiKey: string }>('POST', '/api-keys', {
				label: `e2e-${Date.now()}`,
				scopes,
				expiresAt: null,
			});
			this.apiKey = key.rawApiKey;
		}
		const res = await fetch(`${this.baseUrl}/api/v1${p}`, {
			method,
			headers: { 'X-N8N-API-KEY': this.apiKey, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /api/v1${p}: ${res.status} ${text.slice(0, 2000)}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** Activates, then waits until its (non-GET) webhooks answer. */
	async activate(
		id: string,
		{ webhookPaths = [] }: { webhookPaths?: string[] } = {},
	): Promise<void> {
		await this.api('POST', `/workflows/${id}/activate`);
		for (const p of webhookPaths) await this.waitForWebhook(p);
	}

	/**
	 * Waits until a POST/PUT/... webhook is registered: a GET to it then answers "not registered
	 * for GET requests" instead of "is not registered" (activation is asynchronous in 2.x).
	 * Does not work for GET webhooks (that probe would run the workflow).
	 */
	async waitForWebhook(
		p: string,
		{ timeoutMs = 20000 }: { timeoutMs?: number } = {},
	): Promise<void> {
		let text = '';
		await pollUntil(
			async () => {
				const res = await fetch(`${this.baseUrl}/webhook/${p}`);
				text = await res.text();
				const registered = /not registered for GET requests/.test(text) || res.status !== 404;
				return registered || undefined;
			},
			{
				timeoutMs,
				timedOut: () => `webhook ${p} not registered after ${timeoutMs} ms: ${text.slice(0, 300)}`,
			},
		);
	}

	async callWebhook(
		method: string,
		p: string,
		body?: unknown,
		{ headers = {} }: { headers?: Record<string, string> } = {},
	): Promise<WebhookAnswer> {
		const res = await fetch(`${this.baseUrl}/webhook/${p}`, {
			method,
			headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await res.text();
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			// not JSON: the checks read `text`
		}
		return {
			status: res.status,
			headers: Object.fromEntries(res.headers),
			text,
			json: json as OutputItem,
		};
	}

	/**
	 * Full execution with run data, waiting until it has finished. The public API returns plain
	 * JSON (GET /rest/executions/<id> returns `data` as a "flatted" string).
	 */
	async getExecution(
		executionId: string,
		{ timeoutMs = 60000, everyMs }: { timeoutMs?: number; everyMs?: number } = {},
	): Promise<ExecutionSummary> {
		return await pollUntil(
			async () => {
				let e: Execution | undefined;
				try {
					e = await this.api<Execution>('GET', `/executions/${executionId}?includeData=true`);
				} catch (err) {
					// not saved yet
					if (!/: 404 /.test(String(err instanceof Error ? err.message : err))) throw err;
				}
				if (!e?.data || ['new', 'running', 'waiting'].includes(e.status)) return undefined;
				return { ...e, nodes: summarizeRunData(e), error: pickError(e.data.resultData?.error) };
			},
			{
				timeoutMs,
				everyMs,
				timedOut: () => `execution ${executionId} not finished after ${timeoutMs} ms`,
			},
		);
	}

	/** Runs a saved workflow from its trigger (as the editor's "Execute workflow"). */
	async runManually(
		workflowId: string,
		{ triggerName, pollEveryMs }: { triggerName?: string; pollEveryMs?: number } = {},
	): Promise<ExecutionSummary> {
		if (!triggerName) {
			const wf = await this.api<{ nodes: INode[] }>('GET', `/workflows/${workflowId}`);
			const trigger =
				wf.nodes.find((n) => /manualTrigger$|\.start$/.test(n.type)) ??
				wf.nodes.find((n) => /Trigger$|webhook$/i.test(n.type));
			if (!trigger) throw new Error(`no trigger node in workflow ${workflowId}`);
			triggerName = trigger.name;
		}
		const body: Record<string, unknown> = { triggerToStartFrom: { name: triggerName } };
		if (this.features.manualRunSendsWorkflow)
			body.workflowData = await this.rest('GET', `/workflows/${workflowId}`);
		const r = await this.rest<{ executionId?: string } | undefined>(
			'POST',
			`/workflows/${workflowId}/run`,
			body,
		);
		if (!r?.executionId) throw new Error(`run did not start: ${JSON.stringify(r)}`);
		return await this.getExecution(r.executionId, { everyMs: pollEveryMs });
	}
}
