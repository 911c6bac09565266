// npm run bench's flags (--items N --reps R --memory-items M --engine --references --profile --split
// --webhook [--shared] --calls N --queue --burst N), its inputs and how it measures.
import type { IDataObject } from 'n8n-workflow';

import { CARDS, MEMBER } from '../../emulator/data';
import { ENDPOINT } from '../../nodes/Konaplate/wire/endpoints';

export const say = (line = ''): void => {
	process.stdout.write(`${line}\n`);
};

export const arg = (name: string, fallback: number): number => {
	const at = process.argv.indexOf(`--${name}`);
	return at === -1 ? fallback : Number(process.argv[at + 1]);
};

export const ITEMS = arg('items', 1000);
export const REPS = arg('reps', 5);
/** Items of each run of the memory check (the figure: 10,000). */
export const MEMORY_ITEMS = arg('memory-items', 10_000);
const flag = (name: string) => process.argv.includes(`--${name}`);
/** --references: only the engine's table of runs with references */
export const REFERENCES_ONLY = flag('references');
/** --engine: the in-process engine's tables too (the node against the floor, references) */
export const ENGINE = flag('engine');
/** --profile: only the breakdown of a transfer's time */
export const PROFILE = flag('profile');
/** --split: only the real n8n's time of each contender split into n8n's request helper and the rest */
export const SPLIT = flag('split');
/** --webhook: only one payout per execution (webhook calls), on the workflow ledger and the shared ledger */
export const WEBHOOK = flag('webhook');
/** --webhook --shared: the shared ledger's table only (the workflow ledger's at 50,000 takes long) */
export const SHARED_ONLY = flag('shared');
/** --queue: only 100 webhook calls at once in queue mode (main + 2 workers), on the shared ledger */
export const QUEUE = flag('queue');

export type Operation = 'transfer' | 'delete';
export const PATHS: Record<Operation, string> = {
	transfer: ENDPOINT.transfer,
	delete: ENDPOINT.delete,
};

/** n transfers of 1 won between the bench's two cards. */
export const transfers = (n: number): IDataObject[] =>
	Array.from({ length: n }, () => ({
		userId: MEMBER,
		fromCardNo: CARDS.benchFrom,
		toCardNo: CARDS.benchTo,
		amount: 1,
	}));

export const items: Record<Operation, IDataObject[]> = {
	transfer: transfers(ITEMS),
	delete: Array.from({ length: ITEMS }, () => ({ userId: MEMBER })),
};

export const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
export const heapMb = () => {
	global.gc?.();
	return process.memoryUsage().heapUsed / 2 ** 20;
};

/** Milliseconds since a process.hrtime.bigint() reading. */
export const msSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;
