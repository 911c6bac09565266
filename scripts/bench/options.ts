// npm run bench's flags (--items N --reps R --references), its inputs and how it measures.
import type { IDataObject } from 'n8n-workflow';

import { CARDS, MEMBER } from '../../emulator/data';
import { ENDPOINT } from '../../nodes/Konaplate/wire/endpoints';

export const say = (line = ''): void => {
	process.stdout.write(`${line}\n`);
};

const arg = (name: string, fallback: number) => {
	const at = process.argv.indexOf(`--${name}`);
	return at === -1 ? fallback : Number(process.argv[at + 1]);
};

export const ITEMS = arg('items', 1000);
export const REPS = arg('reps', 5);
/** --references: only the table of runs with references */
export const REFERENCES_ONLY = process.argv.includes('--references');

export type Operation = 'transfer' | 'delete';
export const PATHS: Record<Operation, string> = {
	transfer: ENDPOINT.transfer,
	delete: ENDPOINT.delete,
};

export const items: Record<Operation, IDataObject[]> = {
	transfer: Array.from({ length: ITEMS }, () => ({
		userId: MEMBER,
		fromCardNo: CARDS.benchFrom,
		toCardNo: CARDS.benchTo,
		amount: 1,
	})),
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
