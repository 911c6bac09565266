import { randomUUID } from 'node:crypto';

import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { refusalError } from '../../errors';
import { AGENT_REFUSAL } from '../../tool/sentences';
import { ledgerBaseUrl, referenceKey, transferKey } from '../../wire/ledger';
import type { Decision, LedgerAccount, Stage } from '../../wire/ledger';
import type {
	Attempt,
	ClaimAnswer,
	Inspection,
	LedgerItem,
	LedgerStore,
	ListFilter,
	Settlement,
	UnknownTransfer,
} from '../seam';
import { ledgerPool } from './connection';
import type { LedgerPool as Pool } from './connection';
import { readFault } from './faults';
import { differing, digestsOf, inspection, listed, rowDigests, transferColumns } from './rows';
import type { InspectedRow, ListedReference, ListedRow, Pending, RowDigests } from './rows';
import { ensureLedgerTable } from './schema';
import {
	ATTEMPT_OVER_SQL,
	CLAIM_SQL,
	INSPECT_SQL,
	LIST_SQL,
	READ_SQL,
	RECLAIM_SQL,
	RELEASE_SQL,
	RESOLVE_SQL,
	SETTLE_TRANSFERRED_SQL,
	UNKNOWN_TRANSFERS_SQL,
} from './sql';

/**
 * Rounds a window may take when rows change under it (a conflicting row committed after the
 * statement's snapshot, then released; a free row claimed by another execution first): each
 * round settles at least one of them, so more than a few means something is wrong.
 */
const MAX_ROUNDS = 5;

/**
 * The account's ledger in PostgreSQL (table konaplate_transfer_ledger), opened for one run. The
 * run's claims carry a token of their own: only this run settles or releases them, so a late
 * settlement never touches a claim another execution made after a person resolved the row.
 */
export class PostgresLedgerStore implements LedgerStore {
	readonly kind = 'postgres';

	private readonly token = randomUUID();

	private readonly baseUrl: string;

	private constructor(
		private readonly node: INode,
		private readonly url: string,
		private readonly pool: Pool,
		private readonly account: LedgerAccount,
	) {
		this.baseUrl = ledgerBaseUrl(account.baseUrl);
	}

	/**
	 * The shared ledger of a credential's account: its pool (made on first use), the table
	 * created when missing. Refused (LEDGER_UNAVAILABLE) when the database cannot be reached
	 * within the connect timeout, before anything is sent.
	 */
	static async open(
		node: INode,
		url: string,
		account: LedgerAccount,
	): Promise<PostgresLedgerStore> {
		let pool: Pool;
		try {
			pool = await ledgerPool(url);
			await ensureLedgerTable(pool);
		} catch (error) {
			throw unavailable(node, readFault(error, url).words);
		}
		return new PostgresLedgerStore(node, url, pool, account);
	}

	private async query<R extends object>(text: string, values: unknown[]): Promise<R[]> {
		try {
			return (await this.pool.query<R>(text, values)).rows;
		} catch (error) {
			throw unavailable(this.node, readFault(error, this.url).words);
		}
	}

	async claim(items: LedgerItem[], attempt: Attempt, learnt: Settlement): Promise<ClaimAnswer[]> {
		await this.write(learnt, async (text, values) => await this.query(text, values));
		const answers: ClaimAnswer[] = items.map(() => ({ before: 'free', differs: [] }));
		const firstOf = new Map<string, number>();
		let pending: Pending[] = [];
		items.forEach(({ reference, fields }, position) => {
			if (reference === '' || firstOf.has(reference)) return;
			firstOf.set(reference, position);
			const key = referenceKey(this.account, reference);
			pending.push({ position, key, reference, digests: digestsOf(key, fields), fields });
		});
		const answer = (item: Pending, value: ClaimAnswer) => {
			answers[item.position] = value;
		};
		for (let round = 1; pending.length > 0; round++) {
			if (round > MAX_ROUNDS) {
				throw unavailable(
					this.node,
					`its rows kept changing under ${MAX_ROUNDS} claims in a row: other executions are claiming and releasing the same References`,
				);
			}
			pending = await this.claimRound(pending, attempt, answer);
		}
		// A reference given twice: its later items read it as claimed (by the first), never as free
		items.forEach(({ reference }, position) => {
			const first = firstOf.get(reference);
			if (first === undefined || first === position) return;
			const { before, differs } = answers[first];
			answers[position] =
				before === 'free' && differs.length === 0 ? { before: 'claimed', differs } : answers[first];
		});
		return answers;
	}

	/** One round of a window: answers what it settles, returns what must go round again. */
	private async claimRound(
		pending: Pending[],
		attempt: Attempt,
		answer: (item: Pending, value: ClaimAnswer) => void,
	): Promise<Pending[]> {
		const column = (read: (item: Pending) => string | null) => pending.map(read);
		const rows = await this.query<RowDigests & { ord: number; claimed: boolean }>(CLAIM_SQL, [
			column(({ key }) => key),
			column(({ reference }) => reference),
			...transferColumns(pending, this.account),
			this.baseUrl,
			this.account.aspId,
			...this.attemptValues(attempt),
		]);
		const unseen: Pending[] = [];
		const reclaim: Pending[] = [];
		const read = (item: Pending, row: RowDigests) => {
			const differs = differing(rowDigests(row), item.digests);
			if (row.state === 'free' && differs.length === 0) reclaim.push(item);
			else answer(item, { before: row.state as Stage, differs });
		};
		rows.forEach((row) => {
			const item = pending[row.ord - 1];
			if (row.claimed) answer(item, { before: 'free', differs: [] });
			else if (row.state === null) unseen.push(item);
			else read(item, row);
		});
		const again: Pending[] = [];
		if (unseen.length > 0) {
			const now = await this.query<RowDigests & { reference_key: string }>(READ_SQL, [
				unseen.map(({ key }) => key),
			]);
			const byKey = new Map(now.map((row) => [row.reference_key, row]));
			for (const item of unseen) {
				const row = byKey.get(item.key);
				// Gone again (released since): the next round inserts it
				if (row === undefined) again.push(item);
				else read(item, row);
			}
		}
		if (reclaim.length > 0) {
			const claimed = await this.reclaim(reclaim, attempt);
			for (const item of reclaim) {
				if (claimed.has(item.key)) answer(item, { before: 'free', differs: [] });
				else again.push(item);
			}
		}
		return again;
	}

	/** What a claim writes of its attempt, in the statements' order (claimed at … node). */
	private attemptValues(attempt: Attempt): unknown[] {
		const { at, inFlightUntil, day, workflowId, executionId, nodeName } = attempt;
		return [at, inFlightUntil, day, this.token, workflowId, executionId, nodeName];
	}

	/** Claims rows resolved as not transferred; answers the keys this call claimed. */
	private async reclaim(items: Pending[], attempt: Attempt): Promise<Set<string>> {
		const rows = await this.query<{ reference_key: string }>(RECLAIM_SQL, [
			items.map(({ key }) => key),
			...transferColumns(items, this.account),
			...this.attemptValues(attempt),
		]);
		return new Set(rows.map(({ reference_key }) => reference_key));
	}

	/** Transferred first (this run's claims, and rows resolved free meanwhile), then releases. */
	private async write(
		learnt: Settlement,
		run: (text: string, values: unknown[]) => Promise<unknown>,
	): Promise<void> {
		const keyOf = (reference: string) => referenceKey(this.account, reference);
		if (learnt.transferred.length > 0) {
			await run(SETTLE_TRANSFERRED_SQL, [
				learnt.transferred.map(({ reference }) => keyOf(reference)),
				learnt.transferred.map(({ correlationId }) => correlationId ?? null),
				this.token,
			]);
		}
		if (learnt.released.length > 0) {
			await run(RELEASE_SQL, [
				learnt.released.map(({ reference }) => keyOf(reference)),
				this.token,
			]);
		}
		if (learnt.unknown.length > 0) {
			await run(ATTEMPT_OVER_SQL, [learnt.unknown.map(keyOf), this.token]);
		}
	}

	/** Writes what a run learnt; a failure is thrown with the database's fault in its message. */
	async settle(learnt: Settlement): Promise<void> {
		await this.write(learnt, async (text, values) => {
			try {
				await this.pool.query(text, values);
			} catch (error) {
				throw new NodeOperationError(this.node, readFault(error, this.url).words);
			}
		});
	}

	async inspect(reference: string): Promise<Inspection> {
		const [row] = await this.query<InspectedRow>(INSPECT_SQL, [
			referenceKey(this.account, reference),
		]);
		return row === undefined ? { stage: 'free' } : inspection(row);
	}

	async resolve(reference: string, decision: Decision, now: number): Promise<Inspection> {
		const state: Stage = decision === 'markTransferred' ? 'transferred' : 'free';
		const [row] = await this.query<InspectedRow & { changed: number }>(RESOLVE_SQL, [
			referenceKey(this.account, reference),
			state,
			now,
		]);
		// A claimed row left unchanged was still in flight at `now`: the caller refuses, naming until when
		return row === undefined ? { stage: 'free' } : inspection(row);
	}

	async unknownTransfers(
		items: LedgerItem[],
		own: ReadonlySet<string>,
	): Promise<Array<UnknownTransfer | undefined>> {
		const transfers = items.map(({ fields }) =>
			fields === undefined ? undefined : transferKey(this.account, fields),
		);
		const asked = [...new Set(transfers.filter((transfer) => transfer !== undefined))];
		if (asked.length === 0) return items.map(() => undefined);
		const rows = await this.query<{ transfer_key: string; reference: string }>(
			UNKNOWN_TRANSFERS_SQL,
			[asked, [...own].map((reference) => referenceKey(this.account, reference))],
		);
		// Newest first: each transfer's first row names it
		const newest = new Map<string, string>();
		for (const { transfer_key, reference } of rows)
			if (!newest.has(transfer_key)) newest.set(transfer_key, reference);
		return transfers.map((transfer) => {
			const reference = transfer === undefined ? undefined : newest.get(transfer);
			return reference === undefined ? undefined : { reference };
		});
	}

	async list(filter: ListFilter): Promise<ListedReference[]> {
		const rows = await this.query<ListedRow>(LIST_SQL[filter.state], [
			this.baseUrl,
			this.account.aspId,
			filter.limit ?? null,
		]);
		return rows.map(listed);
	}
}

/** The shared ledger cannot be used: nothing with a Reference is sent. */
export function unavailable(node: INode, why: string) {
	return refusalError(node, {
		code: 'LEDGER_UNAVAILABLE',
		person: {
			message: `The shared transfer ledger is not available (${why}), so no transfer with a Reference was sent.`,
			description:
				"With the credential's Ledger set to Shared (PostgreSQL), transfers with a Reference are recorded in the table konaplate_transfer_ledger so that no execution, workflow or worker sends one twice. Nothing was sent. Fix the database or the credential's Ledger PostgreSQL URL (the credential's Test says what fails), then run it again.",
		},
		agent: AGENT_REFUSAL.ledgerUnavailable(why),
	});
}
