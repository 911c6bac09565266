/**
 * n8n's queue mode (stage.ts): Postgres, Redis, a main and 2 workers beside the run's SQLite
 * n8n, with the run's tarball and emulator. Once per CI run, on the default n8n: run-e2e's
 * `--no-queue` (KONAPLATE_E2E_QUEUE=0) leaves it out for the other combinations.
 */
import type { E2eGroup } from '../../group';
import { runQueueStage } from './stage';

export const QUEUE_SWITCH = 'KONAPLATE_E2E_QUEUE';

export const group: E2eGroup = {
	name: 'queue',
	run: async ({ checks, notes, instance, emulator }) => {
		if (process.env[QUEUE_SWITCH] === '0') {
			notes.push('queue mode: left out (--no-queue)');
			return;
		}
		await runQueueStage(checks, notes, { tarball: instance.pack.tarball, emulator });
	},
};
