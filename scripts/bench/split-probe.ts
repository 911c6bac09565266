// npm run bench -- --split: loaded into the real n8n with NODE_OPTIONS=--require (never into the
// package). It times every call of n8n's httpRequestWithAuthentication (the helper the Konaplate
// node sends through) and every garbage collection, and writes the running totals to the file in
// KONAPLATE_SPLIT_FILE four times a second, for the bench to read before and after each run.
import { writeFileSync } from 'node:fs';
import Module from 'node:module';
import { PerformanceObserver } from 'node:perf_hooks';

/** n8n 2.x's helper module; another layout (n8n 1.x) leaves `found` false and the totals at 0. */
const HELPER_MODULE =
	/n8n-core[\\/]dist[\\/]execution-engine[\\/]node-execution-context[\\/]utils[\\/]request-helpers[\\/]authentication\.js$/;

const totals = { found: false, helperCalls: 0, helperMs: 0, gcs: 0, gcMs: 0 };

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as {
	_load: Load;
	_resolveFilename(request: string, parent: unknown, isMain: boolean): string;
};
const load = loader._load;
loader._load = function probeLoad(request, parent, isMain) {
	const exports = load.call(this, request, parent, isMain) as Record<string, unknown>;
	if (totals.found || !request.endsWith('authentication')) return exports;
	let file = '';
	try {
		file = loader._resolveFilename(request, parent, isMain);
	} catch {
		return exports;
	}
	const helper = exports.httpRequestWithAuthentication;
	if (!HELPER_MODULE.test(file) || typeof helper !== 'function') return exports;
	totals.found = true;
	exports.httpRequestWithAuthentication = async function timed(this: unknown, ...args: unknown[]) {
		const started = process.hrtime.bigint();
		try {
			return await (helper as (...a: unknown[]) => Promise<unknown>).apply(this, args);
		} finally {
			totals.helperCalls++;
			totals.helperMs += Number(process.hrtime.bigint() - started) / 1e6;
		}
	};
	return exports;
};

new PerformanceObserver((list) => {
	for (const entry of list.getEntries()) {
		totals.gcs++;
		totals.gcMs += entry.duration;
	}
}).observe({ entryTypes: ['gc'] });

const file = process.env.KONAPLATE_SPLIT_FILE;
if (file !== undefined) {
	// Only the process that sends (n8n's main): a task runner started with the same options writes nothing
	setInterval(() => {
		if (totals.found) writeFileSync(file, JSON.stringify(totals));
	}, 250).unref();
}
