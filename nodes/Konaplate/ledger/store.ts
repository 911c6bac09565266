import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { TimeZoneCode } from '../wire/clock';
import {
	calendarDay,
	claimValues,
	dayValue,
	ledgerValue,
	readClaim,
	readStates,
	referenceKey,
	transferKey,
	transferValue,
	UNKNOWN_COUNT_VALUES,
} from '../wire/ledger';
import type { Decision, LedgerAccount, StageValue } from '../wire/ledger';
import type { Result } from '../wire/result';
import { LedgerLock } from './lock';
import type { Lease } from './lock';
import { ledgerUnavailable } from './run';
import { decidedTransfer, lookUpTransfers, openTransfers } from './workflow-transfers';
import type {
	Attempt,
	ClaimAnswer,
	Inspection,
	LedgerItem,
	LedgerStore,
	Settlement,
	UnknownTransfer,
} from './seam';
import { takeTurn } from './turns';
import type { Turned } from './turns';
import { busy, HELPERS, lockStore, outlastedLease } from './workflow-store-n8n';
import { WorkflowLedgerRow } from './workflow-row';

/** The Konaplate account a workflow's ledger belongs to, and the zone its days are in. */
export type WorkflowLedgerAccount = LedgerAccount & { timeZone: TimeZoneCode };

const unique = (values: string[]) => [...new Set(values)];
const claimOf = (key: string) => ledgerValue('claim', key);

/** How many days back Transfer Reference → Get looks for the day of an attempt. */
export const CLAIMED_ON_DAYS = 62;

/**
 * Until when each reference claimed in this n8n process may still be in flight, by workflow and
 * reference key. The workflow's ledger serves one n8n process (README, queue mode), so the
 * process that sends a reference is the one a person resolves it in.
 */
const inFlight = new Map<string, number>();

/**
 * The workflow's ledger in n8n's deduplication store: every store call of the node is here,
 * each in a turn holding the ledger lock.
 *
 * n8n trims the list to a call's `maxEntries` after appending, oldest first. Entries a run may
 * still give back (its claims not yet settled, the `done` it records only to look) are room
 * above the ledger's size (`headroom`), so a run's own look-ups never push out a transferred
 * reference: only `done` values, which stay, count against the ledger. A look-up of one
 * reference (Get, Resolve) trims nothing.
 */
export class WorkflowLedgerStore implements LedgerStore {
	readonly kind = 'workflow';
	/** This run's claims not yet settled as done or given back: room above the ledger's size. */
	private unsettled = 0;
	/** The day value each claim of this run recorded, to give back with it. */
	private readonly days = new Map<string, string>();
	/** The transfer (transferKey) of each claim this run made, by reference key. */
	private readonly transfers = new Map<string, string>();

	private constructor(
		readonly ctx: IExecuteFunctions,
		private readonly workflowId: string,
		private readonly account: WorkflowLedgerAccount,
		private readonly lock: LedgerLock,
		private readonly row: WorkflowLedgerRow,
	) {}

	/** The ledger of this workflow for one Konaplate account; refused where n8n has no store. */
	static open(
		ctx: IExecuteFunctions,
		account: WorkflowLedgerAccount,
		now: () => number,
		runReferences = 0,
	): WorkflowLedgerStore {
		const { helpers } = ctx;
		if (HELPERS.some((helper) => typeof helpers[helper] !== 'function')) {
			throw ledgerUnavailable(ctx, 'this n8n gives nodes no deduplication store');
		}
		const workflowId = ctx.getWorkflow().id;
		if (!workflowId) throw ledgerUnavailable(ctx, 'the workflow has no id: save it first');
		const lock = new LedgerLock(lockStore(ctx), {
			now,
			sleep: async (ms) => await sleep(ms),
			random: Math.random,
		});
		return new WorkflowLedgerStore(
			ctx,
			workflowId,
			account,
			lock,
			new WorkflowLedgerRow(ctx, runReferences),
		);
	}

	/** A turn at the ledger: after this process's earlier calls, holding the lock across processes. */
	private async locked<T>(task: (lease: Lease) => Promise<T>): Promise<Result<Turned<T>>> {
		return await takeTurn(this.workflowId, this.ctx.getNode().id, this.lock, task);
	}

	/**
	 * A look-up's turn: a store failure, a lock that stayed taken (LEDGER_BUSY) or a turn that
	 * outlasted the lock's lease (`then`: what that means for it) refuse it.
	 */
	private async lookedUp<T>(task: () => Promise<T>, then: string): Promise<T> {
		let held: Result<Turned<T>>;
		try {
			held = await this.locked(task);
		} catch (error) {
			throw ledgerUnavailable(
				this.ctx,
				`n8n's deduplication store said: ${(error as Error).message}`,
			);
		}
		if (!held.ok) throw busy(this.ctx, held.reason);
		if (held.value.outlasted) throw ledgerUnavailable(this.ctx, outlastedLease(then));
		return held.value.value;
	}

	private key(reference: string): string {
		return referenceKey(this.account, reference);
	}

	private values(mark: StageValue, references: string[]): string[] {
		return unique(references.map((reference) => ledgerValue(mark, this.key(reference))));
	}

	private flight(key: string): string {
		return `${this.workflowId}:${key}`;
	}

	/** The values a released item gives back: its claim, marker, fields and the day its claim recorded. */
	private givenBack(released: LedgerItem[]): string[] {
		return released.flatMap(({ reference, fields }) => {
			const key = this.key(reference);
			const day = this.days.get(key);
			return [...claimValues(key, fields), ...(day === undefined ? [] : [dayValue(key, day)])];
		});
	}

	/** After a settlement: fewer unsettled claims, and those whose attempt is over no longer in flight. */
	private settled(learnt: Settlement): void {
		const references = [
			...learnt.transferred.map(({ reference }) => reference),
			...learnt.released.map(({ reference }) => reference),
		];
		this.unsettled -= references.length;
		for (const reference of [...references, ...learnt.unknown])
			inFlight.delete(this.flight(this.key(reference)));
		for (const reference of references) openTransfers.settled(this.workflowId, this.key(reference));
	}

	/** The transfers of this run's attempts that ended unknown: recorded with them (transferValue). */
	private unknownTransferValues(references: string[]): string[] {
		const transfers = references.map((reference) => this.transfers.get(this.key(reference)));
		return unique(
			transfers.flatMap((transfer) => (transfer === undefined ? [] : [transferValue(transfer)])),
		);
	}

	/**
	 * One call records the `done` of references sent since the last write and, for every item
	 * given, its claim with its marker and fields (wire/ledger.ts, claimValues) and the day of the
	 * attempt, and tells which were there; a second looks for the `done` of the references claimed
	 * before whose fields match (a re-run); a third, only when something was recorded only to look
	 * (the `done` of an unknown outcome, the fields of a mismatch or of an older entry, the day of
	 * an earlier claim) or given back (released items), removes it. Past half the lock's lease no
	 * further call is started: the references claimed before then read as unknown, and what was
	 * recorded only to look is removed in turns of its own (a few hundred values a call). A store
	 * failure after the first call gives back what this call recorded, so no reference is left
	 * reading as claimed, transferred or matching by a look-up. Refused (LEDGER_BUSY) when the
	 * lock stayed taken, and (LEDGER_UNAVAILABLE) when the turn outlasted the lock's lease; a
	 * store failure is thrown as the store's error.
	 */
	async claim(items: LedgerItem[], attempt: Attempt, learnt: Settlement): Promise<ClaimAnswer[]> {
		const keys = items.map(({ reference }) => this.key(reference));
		const values = items.map(({ fields }, index) => claimValues(keys[index], fields));
		const days = keys.map((key) => dayValue(key, attempt.day));
		const done = this.values(
			'done',
			learnt.transferred.map(({ reference }) => reference),
		);
		const headroom = this.unsettled + items.length;
		let [pending, seen] = [this.givenBack(learnt.released), new Set<string>()];
		const removePending = async (lease: Lease) => {
			pending = await this.row.removeInTime(pending, lease);
		};
		const giveBack = async (error: unknown) => {
			const made = [...values, days].flatMap((list) => list.filter((value) => !seen.has(value)));
			await this.row.remove(unique([...pending, ...made])).catch(() => undefined);
			return new NodeOperationError(this.ctx.getNode(), error as Error);
		};
		const bits =
			learnt.unknown.length > 0
				? [...UNKNOWN_COUNT_VALUES, ...this.unknownTransferValues(learnt.unknown)]
				: [];
		const held = await this.locked(async (lease) => {
			await this.row.size();
			seen = await this.row.recordKept(
				unique([...done, ...values.flat(), ...days, ...bits]),
				headroom,
			);
			if (bits.length > 0) await this.row.recount(seen, learnt.unknown.length, headroom);
			const readings = keys.map((key, index) =>
				readClaim(key, items[index].fields, seen, values[index]),
			);
			pending.push(...readings.flatMap(({ lookups }) => lookups));
			// A reference this call does not claim (claimed before, or a mismatch) keeps its own
			// day: today's was recorded only to look
			const notClaimed = (index: number) =>
				readings[index].earlier || readings[index].differs.length > 0;
			pending.push(...days.filter((day, index) => notClaimed(index) && !seen.has(day)));
			pending = unique(pending);
			// Only references whose fields match (or were not recorded) are looked up further
			const toLook = keys.filter((_, index) => readings[index].earlier);
			const matching = keys.filter(
				(_, index) => readings[index].earlier && readings[index].differs.length === 0,
			);
			let doneSeen = new Set<string>();
			try {
				if (matching.length > 0 && lease.inTime()) {
					doneSeen = await this.row.recordKept(
						unique(matching.map((key) => ledgerValue('done', key))),
						headroom,
						matching.length,
					);
					pending.push(...readStates(matching, new Set(matching.map(claimOf)), doneSeen).toRemove);
				}
				await removePending(lease);
			} catch (error) {
				throw await giveBack(error);
			}
			const { states } = readStates(keys, new Set(toLook.map(claimOf)), doneSeen);
			return readings.map(
				({ differs }, index): ClaimAnswer => ({ before: states[index], differs }),
			);
		});
		if (!held.ok) throw busy(this.ctx, held.reason);
		while (pending.length > 0) {
			// Past half the lease: what was recorded only to look is removed in turns of its own
			const removed = await this.locked(removePending).catch(
				async (error: unknown) => await Promise.reject(await giveBack(error)),
			);
			if (!removed.ok) throw busy(this.ctx, removed.reason);
		}
		if (held.value.outlasted) {
			throw ledgerUnavailable(
				this.ctx,
				outlastedLease("this run's References read as unknown until checked"),
			);
		}
		this.settled(learnt);
		const answers = held.value.value;
		answers.forEach(({ before, differs }, index) => {
			if (before !== 'free' || differs.length > 0) return;
			this.unsettled++;
			this.days.set(keys[index], attempt.day);
			inFlight.set(this.flight(keys[index]), attempt.inFlightUntil);
			const { reference, fields } = items[index];
			if (fields === undefined) return;
			const transfer = transferKey(this.account, fields);
			this.transfers.set(keys[index], transfer);
			openTransfers.claimed(this.workflowId, transfer, keys[index], reference);
		});
		return answers;
	}

	/**
	 * Transferred references get their `done` beside the claim; released references (refused, or
	 * never sent) lose their claim, marker, fields and day. Both lists are usually short or empty:
	 * one call, rarely two. A turn that outlasted the lock's lease may have been written over: its
	 * `done` values are recorded again in a new turn (a release is not redone: that reference
	 * stays unknown rather than free one another execution may have claimed since).
	 */
	async settle(learnt: Settlement): Promise<void> {
		const done = this.values(
			'done',
			learnt.transferred.map(({ reference }) => reference),
		);
		const headroom = this.unsettled - done.length - learnt.released.length;
		const recordDone = async () => {
			if (done.length > 0) await this.row.recordKept(done, headroom);
		};
		const given = unique(this.givenBack(learnt.released));
		const unknown = learnt.unknown.length;
		if (done.length === 0 && given.length === 0 && unknown === 0) {
			this.settled(learnt);
			return;
		}
		const first = await this.locked(async (lease) => {
			if (unknown === 0) await recordDone();
			else {
				const transfers = this.unknownTransferValues(learnt.unknown);
				await this.row.recount(
					await this.row.recordKept([...done, ...UNKNOWN_COUNT_VALUES, ...transfers], headroom),
					unknown,
					headroom,
				);
			}
			if (given.length > 0 && lease.inTime()) await this.row.remove(given);
		});
		const held = first.ok && first.value.outlasted ? await this.locked(recordDone) : first;
		if (!held.ok)
			throw new Error(`the ledger stayed locked by other executions for ${held.reason}`);
		if (held.value.outlasted)
			throw new Error('the store stayed slower than the ledger lock allows');
		this.settled(learnt);
	}

	/**
	 * One reference's stage, changing nothing and trimming nothing: the store has no read-only
	 * check, so a value it records only by being asked for is removed again at once (in the same
	 * turn, holding the ledger lock). With `decision`, a claimed reference is resolved in that
	 * call: marked transferred (its `done` is kept) or not transferred (its claim is removed; its
	 * marker and fields stay, so a re-run of the same transfer sends it and another transfer
	 * under it is a mismatch), the latter only once no request of it may still be in flight in
	 * this process.
	 */
	private async look(reference: string, decision?: Decision, now = 0): Promise<Inspection> {
		const key = this.key(reference);
		const [claim, done] = [ledgerValue('claim', key), ledgerValue('done', key)];
		const until = inFlight.get(this.flight(key));
		const flying = until !== undefined && until > now;
		// A decision settles an unknown outcome: one fewer to count, and its transfer no longer
		// unknown unless another open claim has it (workflow-transfers.ts)
		const decided =
			decision === 'markTransferred' || (decision === 'markNotTransferred' && !flying);
		const seen = async (value: string) => (await this.row.recordAll([value])).size > 0;
		const inspection = await this.lookedUp(async (): Promise<Inspection> => {
			if (!(await seen(claim))) {
				await this.row.remove([claim]);
				return { stage: 'free' };
			}
			const claimedOn = await this.claimedOn(key);
			const known = {
				...(claimedOn !== undefined && { claimedOn }),
				...(until !== undefined && { inFlightUntil: until }),
			};
			if (await seen(done)) return { stage: 'transferred', ...known };
			const day = claimedOn === undefined ? [] : [dayValue(key, claimedOn)];
			const undo =
				decision === 'markNotTransferred' && !flying
					? [done, claim, ...day]
					: decision === 'markTransferred'
						? []
						: [done];
			const transfer = decided ? await decidedTransfer(this.row.lookup, this.workflowId, key) : [];
			if (undo.length + transfer.length > 0) await this.row.remove([...undo, ...transfer]);
			if (decided) await this.row.countOneSettled();
			return { stage: 'claimed', ...known };
		}, 'read the reference again before deciding');
		if (decided) inFlight.delete(this.flight(key));
		// Settled by the decision, or by another process meanwhile: no longer this process's to name
		if (decided || inspection.stage !== 'claimed') openTransfers.settled(this.workflowId, key);
		return inspection;
	}

	/** The day of the reference's claim, among the last CLAIMED_ON_DAYS days: asked for all at once, the others removed again. */
	private async claimedOn(key: string): Promise<string | undefined> {
		const today = this.lock.now();
		const days = Array.from({ length: CLAIMED_ON_DAYS }, (_, back) =>
			calendarDay(new Date(today - back * DAY_MS), this.account.timeZone),
		);
		const values = unique(days.map((day) => dayValue(key, day)));
		const seen = await this.row.recordAll(values);
		const found = days.find((day) => seen.has(dayValue(key, day)));
		await this.row.remove(values.filter((value) => !seen.has(value)));
		return found;
	}

	/**
	 * What this ledger holds of some items, changing nothing and trimming nothing, as a claim
	 * would answer (their stage before, the fields that differ): the shared ledger's carry-over
	 * (carry-over.ts) asks it for the References the shared ledger has never seen. The store has
	 * no read-only check: what is recorded only to look is removed again, in the same turn when
	 * within half the lock's lease, else in turns of its own (as claim does).
	 */
	async stagesOf(items: LedgerItem[]): Promise<ClaimAnswer[]> {
		const keys = items.map(({ reference }) => this.key(reference));
		const values = items.map(({ fields }, index) => claimValues(keys[index], fields));
		let pending: string[] = [];
		const removePending = async (lease: Lease) => {
			pending = await this.row.removeInTime(pending, lease);
		};
		const held = await this.locked(async (lease) => {
			const asked = unique(values.flat());
			const seen = await this.row.recordAll(asked);
			pending = asked.filter((value) => !seen.has(value));
			const readings = keys.map((key, index) =>
				readClaim(key, items[index].fields, seen, values[index]),
			);
			const earlier = unique(keys.filter((_, index) => readings[index].earlier));
			const done = earlier.map((key) => ledgerValue('done', key));
			const doneSeen = done.length > 0 ? await this.row.recordAll(done) : new Set<string>();
			pending.push(...done.filter((value) => !doneSeen.has(value)));
			await removePending(lease);
			const { states } = readStates(keys, new Set(earlier.map(claimOf)), doneSeen);
			return readings.map(
				({ differs }, index): ClaimAnswer => ({ before: states[index], differs }),
			);
		});
		if (!held.ok) throw busy(this.ctx, held.reason);
		while (pending.length > 0) {
			const removed = await this.locked(removePending);
			if (!removed.ok) throw busy(this.ctx, removed.reason);
		}
		if (held.value.outlasted) {
			throw ledgerUnavailable(this.ctx, outlastedLease('its References were not looked up'));
		}
		return held.value.value;
	}

	/**
	 * For each item, the same transfer claimed under a Reference not in `own` and not settled:
	 * this process's open claims checked in the row, else a transfer left unknown by a process
	 * that forgot it (workflow-transfers.ts). Changes nothing and trims nothing.
	 */
	async unknownTransfers(
		items: LedgerItem[],
		own: ReadonlySet<string>,
	): Promise<Array<UnknownTransfer | undefined>> {
		const except = new Set([...own].map((reference) => this.key(reference)));
		const transfers = items.map(({ fields }) =>
			fields === undefined ? undefined : transferKey(this.account, fields),
		);
		const found = await this.lookedUp(
			async () =>
				await lookUpTransfers(
					this.row.lookup,
					this.workflowId,
					unique(transfers.flatMap((transfer) => (transfer === undefined ? [] : [transfer]))),
					except,
				),
			'the same transfers were not looked up',
		);
		return transfers.map((transfer) => (transfer === undefined ? undefined : found.get(transfer)));
	}

	async inspect(reference: string): Promise<Inspection> {
		return await this.look(reference);
	}

	async resolve(reference: string, decision: Decision, now: number): Promise<Inspection> {
		return await this.look(reference, decision, now);
	}
}

const DAY_MS = 86_400_000;
