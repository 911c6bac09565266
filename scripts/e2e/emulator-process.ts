/**
 * The Konaplate emulator as a process of its own (`node .build/emulator/cli.js`), for a real
 * n8n to call, and its control endpoints (outside /open-api): what it received, its state,
 * reset, and scripted replies.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';

import { PACKAGE_ROOT } from '../lib/package-root';

export const EMULATOR_SCRIPT = path.join(PACKAGE_ROOT, '.build', 'emulator', 'cli.js');

/** A request the emulator received, with its verdict and answer. */
export interface ReceivedRequest {
	method: string;
	path: string;
	/** lower-case names */
	headers: Record<string, string>;
	rawBody: string;
	/** The decoded body, numbers as their literal text. */
	body?: unknown;
	verdict: string;
	/** Konaplate's response code, when it answered with one */
	code?: string;
	status: number;
}

export interface EmulatorState {
	/** balance per card number */
	cards: Record<string, number>;
	members: Array<{ userId: string; bankAccount: unknown }>;
}

/** A request that arrived at the emulator's second host. */
export interface SecondHostRequest {
	method: string;
	path: string;
	headers: Record<string, string>;
	rawBody: string;
}

/** One scripted reply, used in place of the normal answer. */
export interface ScriptedReply {
	delayMs?: number;
	drop?: boolean;
	status?: number;
	body?: string;
}

export class Emulator {
	readonly origin: string;

	private readonly exited: Promise<unknown>;

	constructor(
		private readonly child: ChildProcess,
		readonly baseUrl: string,
	) {
		this.origin = new URL(baseUrl).origin;
		this.exited = new Promise((resolve) => child.on('exit', resolve));
	}

	private async control<T>(method: string, name: string): Promise<T> {
		const res = await fetch(`${this.origin}/__emulator/${name}`, { method });
		if (!res.ok) throw new Error(`emulator ${method} ${name}: HTTP ${res.status}`);
		return (res.status === 204 ? undefined : await res.json()) as T;
	}

	/** What it received since the last reset. */
	requests(): Promise<ReceivedRequest[]> {
		return this.control('GET', 'requests');
	}

	state(): Promise<EmulatorState> {
		return this.control('GET', 'state');
	}

	reset(): Promise<void> {
		return this.control('POST', 'reset');
	}

	/** The next requests get these replies, one each; normal answers are held latencyMs. */
	async script(
		replies: ScriptedReply[],
		{ latencyMs = 0 }: { latencyMs?: number } = {},
	): Promise<void> {
		const res = await fetch(`${this.origin}/__emulator/script`, {
			method: 'POST',
			body: JSON.stringify({ replies, latencyMs }),
		});
		if (!res.ok) throw new Error(`emulator POST script: HTTP ${res.status}`);
	}

	/**
	 * The next `count` requests are processed as usual, then answered with this redirect status,
	 * its Location the same path here ('self') or on the emulator's second host.
	 */
	async redirect(status: number, to: 'self' | 'second-host', count = 1): Promise<void> {
		const res = await fetch(`${this.origin}/__emulator/redirect`, {
			method: 'POST',
			body: JSON.stringify({ status, to, count }),
		});
		if (!res.ok) throw new Error(`emulator POST redirect: HTTP ${res.status}`);
	}

	/** The second host (another loopback address) and everything it received since the last reset. */
	secondHost(): Promise<{ origin: string; received: SecondHostRequest[] }> {
		return this.control('GET', 'second-host');
	}

	async stop(): Promise<void> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) return;
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
		await this.exited;
		clearTimeout(timer);
	}
}

/** Starts the emulator and resolves once it printed {"baseUrl": ...}. */
export function startEmulator({ port }: { port?: number } = {}): Promise<Emulator> {
	const args = [EMULATOR_SCRIPT, ...(port ? ['--port', String(port)] : [])];
	const child = spawn(process.execPath, args, {
		cwd: PACKAGE_ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	return new Promise((resolve, reject) => {
		const fail = (why: string) => {
			child.kill('SIGKILL');
			reject(new Error(`emulator did not start: ${why}\n${out}`));
		};
		const timer = setTimeout(() => fail('no baseUrl after 15 s'), 15000);
		child.stderr.on('data', (d: Buffer) => (out += d));
		child.on('exit', (code) => {
			clearTimeout(timer);
			fail(`exited with ${code}`);
		});
		child.stdout.on('data', (d: Buffer) => {
			out += d;
			const line = out.split('\n').find((l) => l.startsWith('{'));
			if (!line) return;
			clearTimeout(timer);
			child.removeAllListeners('exit');
			const { baseUrl } = JSON.parse(line) as { baseUrl: string };
			resolve(new Emulator(child, baseUrl));
		});
	});
}
