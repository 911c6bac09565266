// What npm run bench's engine runs measure against: the emulator on threads of its own.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import { PACKAGE_ROOT } from '../engine/engine';

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
