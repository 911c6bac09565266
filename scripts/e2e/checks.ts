/**
 * A small check list for the end-to-end scripts: every check is named, timed, printed as it
 * finishes, and summed up at the end; the process exits non-zero when one failed.
 */
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';

export { assert };

interface CheckResult {
	name: string;
	ok: boolean;
	ms: number;
	err?: unknown;
}

export class Checks {
	private readonly results: CheckResult[] = [];

	private readonly t0 = Date.now();

	constructor(private readonly title: string) {}

	/** Runs fn, records pass/fail and its time. Returns fn's result, or undefined when it failed. */
	async check<T>(name: string, fn: () => T | Promise<T>): Promise<T | undefined> {
		const t0 = Date.now();
		try {
			const result = await fn();
			this.record(name, true, Date.now() - t0);
			return result;
		} catch (err) {
			this.record(name, false, Date.now() - t0, err);
			return undefined;
		}
	}

	/** Stops the run at once: for steps everything after depends on (n8n did not start...). */
	async must<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
		const result = await this.check(name, fn);
		if (!this.results[this.results.length - 1].ok) throw new FatalCheck(name);
		return result as T;
	}

	record(name: string, ok: boolean, ms: number, err?: unknown): void {
		this.results.push({ name, ok, ms, err });
		const line = `${ok ? 'PASS' : 'FAIL'}  ${name}  (${(ms / 1000).toFixed(2)} s)`;
		process.stdout.write(`${line}\n`);
		if (err)
			process.stdout.write(
				`${indent(err instanceof Error && err.stack ? err.stack : String(err))}\n`,
			);
	}

	/** Prints the summary; returns the exit code (0 only when every check passed). */
	summary(extraLines: string[] = []): number {
		const failed = this.results.filter((r) => !r.ok);
		const total = ((Date.now() - this.t0) / 1000).toFixed(1);
		const out = ['', `${this.title}: summary`];
		for (const r of this.results)
			out.push(`  ${r.ok ? 'PASS' : 'FAIL'}  ${(r.ms / 1000).toFixed(2).padStart(6)} s  ${r.name}`);
		out.push(...extraLines.map((l) => `  ${l}`));
		out.push(
			failed.length === 0 && this.results.length > 0
				? `${this.title}: all ${this.results.length} checks passed in ${total} s`
				: `${this.title}: FAILED ${failed.length} of ${this.results.length} checks (${total} s): ${failed.map((r) => r.name).join('; ')}`,
		);
		process.stdout.write(`${out.join('\n')}\n`);
		// CI adds every suite's counts up into one closing line.
		if (process.env.KONAPLATE_CHECKS_REPORT) {
			const counts = {
				suite: this.title,
				passed: this.results.length - failed.length,
				failed: failed.length,
			};
			appendFileSync(process.env.KONAPLATE_CHECKS_REPORT, `${JSON.stringify(counts)}\n`);
		}
		return failed.length === 0 && this.results.length > 0 ? 0 : 1;
	}
}

export class FatalCheck extends Error {
	constructor(name: string) {
		super(`stopped: "${name}" failed`);
		this.name = 'FatalCheck';
	}
}

function indent(text: string): string {
	return text
		.split('\n')
		.slice(0, 40)
		.map((l) => `      ${l}`)
		.join('\n');
}
