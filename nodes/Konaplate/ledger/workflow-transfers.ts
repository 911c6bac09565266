import { ledgerValue, readUnknownCount, transferValue, UNKNOWN_COUNT_VALUES } from '../wire/ledger';
import type { UnknownTransfer } from './seam';

/**
 * The workflow ledger's claims this n8n process made and has not settled (transferred, given
 * back, resolved), by workflow and transfer key. n8n's store keeps only hashes, so this is where
 * the workflow ledger finds the Reference to name: the process that sends a reference is the one
 * a person resolves it in (README, queue mode), as for its in-flight times. Each is checked in
 * the row before it counts: one the row no longer holds as claimed is forgotten.
 */
class OpenTransfers {
	/** `workflow:transfer` → reference key → Reference. */
	private readonly byTransfer = new Map<string, Map<string, string>>();
	/** `workflow:reference key` → transfer key. */
	private readonly transferOf = new Map<string, string>();

	claimed(workflowId: string, transfer: string, key: string, reference: string): void {
		const at = `${workflowId}:${transfer}`;
		const open = this.byTransfer.get(at) ?? new Map<string, string>();
		open.set(key, reference);
		this.byTransfer.set(at, open);
		this.transferOf.set(`${workflowId}:${key}`, transfer);
	}

	/** The transfer of one of these claims. */
	transfer(workflowId: string, key: string): string | undefined {
		return this.transferOf.get(`${workflowId}:${key}`);
	}

	settled(workflowId: string, key: string): void {
		const transfer = this.transferOf.get(`${workflowId}:${key}`);
		if (transfer === undefined) return;
		this.transferOf.delete(`${workflowId}:${key}`);
		const at = `${workflowId}:${transfer}`;
		this.byTransfer.get(at)?.delete(key);
		if (this.byTransfer.get(at)?.size === 0) this.byTransfer.delete(at);
	}

	/** The claims of a transfer whose reference key is not in `except`, newest first: key and Reference. */
	candidates(
		workflowId: string,
		transfer: string,
		except: ReadonlySet<string>,
	): Array<[string, string]> {
		const open = [...(this.byTransfer.get(`${workflowId}:${transfer}`) ?? [])];
		return open.reverse().filter(([key]) => !except.has(key));
	}
}

export const openTransfers = new OpenTransfers();

/** The workflow's row as a look-up uses it, within a turn at the ledger's lock. */
export interface LookedUpRow {
	/** Records values, trimming nothing; answers which were there. */
	record(values: string[]): Promise<Set<string>>;
	remove(values: string[]): Promise<void>;
}

/**
 * Which of these claims the row still holds as claimed (claim there, done not), asked in one
 * call with `also`; the others are forgotten. `looked`: what the call recorded only to look.
 */
async function checked(
	row: LookedUpRow,
	workflowId: string,
	claims: Array<[string, string]>,
	also: string[],
) {
	const values = [
		...new Set([
			...claims.flatMap(([key]) => [ledgerValue('claim', key), ledgerValue('done', key)]),
			...also,
		]),
	];
	const seen = await row.record(values);
	const isOpen = ([key]: [string, string]) =>
		seen.has(ledgerValue('claim', key)) && !seen.has(ledgerValue('done', key));
	for (const claim of claims) if (!isOpen(claim)) openTransfers.settled(workflowId, claim[0]);
	return { seen, isOpen, looked: values.filter((value) => !seen.has(value)) };
}

/**
 * The workflow ledger's part of unknownTransfers (store.ts), in one turn: each transfer's open
 * claims checked in the row, the first still open naming it; else its transferValue, left by an
 * attempt that ended unknown in a process that forgot it (n8n restarted), finds it unnamed,
 * unless the row counts no unknown outcome any more (it was resolved since: the value is
 * removed). `except`: the reference keys not to name (the window's own). What it records only to
 * look is removed again. Answers by transfer key.
 */
export async function lookUpTransfers(
	row: LookedUpRow,
	workflowId: string,
	transfers: string[],
	except: ReadonlySet<string>,
): Promise<Map<string, UnknownTransfer>> {
	const candidates = new Map(
		transfers.map((transfer) => [transfer, openTransfers.candidates(workflowId, transfer, except)]),
	);
	const claims = [...candidates.values()].flat();
	const { seen, isOpen, looked } = await checked(
		row,
		workflowId,
		claims,
		transfers.map(transferValue),
	);
	const found = new Map<string, UnknownTransfer>();
	const unnamed: string[] = [];
	for (const [transfer, list] of candidates) {
		const named = list.find(isOpen);
		if (named !== undefined) found.set(transfer, { reference: named[1] });
		else if (seen.has(transferValue(transfer))) unnamed.push(transfer);
	}
	if (unnamed.length > 0) {
		const bits = await row.record([...UNKNOWN_COUNT_VALUES]);
		looked.push(...UNKNOWN_COUNT_VALUES.filter((value) => !bits.has(value)));
		// No unknown outcome counted: each was resolved since, by a process that could not name it
		if (readUnknownCount(bits) === 0) looked.push(...unnamed.map(transferValue));
		else for (const transfer of unnamed) found.set(transfer, {});
	}
	if (looked.length > 0) await row.remove(looked);
	return found;
}

/**
 * In the turn of a person's decision on a claim of this process: its transfer's value, to remove
 * with the decision, unless another claim of the same transfer is still open in the row (checked,
 * what it recorded only to look removed again). None for a claim this process does not know.
 */
export async function decidedTransfer(
	row: LookedUpRow,
	workflowId: string,
	key: string,
): Promise<string[]> {
	const transfer = openTransfers.transfer(workflowId, key);
	if (transfer === undefined) return [];
	const others = openTransfers.candidates(workflowId, transfer, new Set([key]));
	if (others.length === 0) return [transferValue(transfer)];
	const { isOpen, looked } = await checked(row, workflowId, others, []);
	if (looked.length > 0) await row.remove(looked);
	return others.some(isOpen) ? [] : [transferValue(transfer)];
}
