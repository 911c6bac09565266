/**
 * The ledger's lock across n8n processes (queue mode: a main and any number of workers on one
 * database). n8n's deduplication store changes a row by reading it whole and writing it back with
 * no lock, so two processes writing the ledger's row at once lose each other's entries, and both
 * can claim one reference. Its one atomic step is a row's first INSERT (the table's primary key
 * refuses a second), so the lock is a row's existence: taken by creating the row, given back by
 * deleting it. The row is the node's own (scope "node", context `n:<node id>`): nothing else in
 * n8n writes it, and Remove Duplicates' Clean Database, whatever its scope, never deletes it.
 *
 * A waiter reads only the row's entry count (a read that writes nothing). A holder creates the
 * row with a count of its own (1 to 64 entries, chosen at random), so a waiter tells one holder
 * from the next: a row seen with the same count for a whole lease belongs to a holder that died
 * (a worker killed while it held the lock), and the waiter deletes it. A holder that outlasts its
 * lease (a stalled store) may have been broken in on: it starts no write past half its lease, does
 * not delete a row that may no longer be its own, and tells its caller, who knows what to trust.
 * Clocks are each process's own: no clock is compared across machines.
 */
import type { Result } from '../wire/result';
import { ok, refuse } from '../wire/result';

/** A row seen unchanged this long is a dead holder's. A holder keeps the lock for one store call or three. */
export const LOCK_LEASE_MS = 15_000;
/** A waiter gives up (nothing sent) after this long: more than a lease, so it outwaits a dead holder. */
export const LOCK_WAIT_MS = 30_000;
const FIRST_BACKOFF_MS = 10;
const MAX_BACKOFF_MS = 150;
const MAX_LOCK_ENTRIES = 64;
/** Creates that fail with no row there, one after another, before the store counts as failing. */
const MAX_CREATE_FAILURES = 5;
const LOCK_VALUE = 'konaplate:v1:lock';

/** The lock row's part of n8n's store, for one node of one workflow. */
export interface LockStore {
	/** Entries in the row; 0 when there is no row. Writes nothing. */
	count(): Promise<number>;
	/** Records the values; true when this call created the row. Throws when another did at the same moment. */
	create(values: string[]): Promise<boolean>;
	/** Deletes the row. */
	remove(): Promise<void>;
}

/** Time and chance, passed in: n8n's sleep and the process's clock in the node, fakes in tests. */
export interface LockClock {
	now(): number;
	sleep(ms: number): Promise<void>;
	/** in [0, 1) */
	random(): number;
}

/** The values a holder creates the row with: 1 to 64 of them, so that its count is its own. */
export function lockValues(random: () => number): string[] {
	const count = 1 + Math.floor(random() * MAX_LOCK_ENTRIES);
	return Array.from({ length: count }, (_, i) => `${LOCK_VALUE}:${i}`);
}

/** The wait before a waiter's next look: growing by half each time, jittered so that waiters spread out. */
export function backoffMs(attempt: number, random: () => number): number {
	const base = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 1.5 ** attempt);
	return Math.round(base * (0.5 + random()));
}

/** 0.24 to 0.39 s: above the longest back-off (0.225 s), jittered. */
export function pauseMs(random: () => number): number {
	return Math.round(MAX_BACKOFF_MS * (1.6 + random()));
}

/** A waiter's view of the lock row: the count it saw, and since when it has seen it unchanged. */
export class LeaseWatch {
	private count = 0;
	private since = 0;

	constructor(private readonly leaseMs: number) {}

	see(count: number, now: number): 'free' | 'held' | 'dead' {
		if (count === 0) {
			this.count = 0;
			return 'free';
		}
		if (count !== this.count) {
			this.count = count;
			this.since = now;
		}
		return now - this.since >= this.leaseMs ? 'dead' : 'held';
	}
}

/** A holder's view of its hold: how long it has held, whether a write may still start, whether the lease ran out. */
export interface Lease {
	heldMs(): number;
	inTime(): boolean;
	outlasted(): boolean;
}

export class LedgerLock {
	/** When this lock last found the row held by another process (ms, this process's clock). */
	private othersSeenAt = -Infinity;

	constructor(
		private readonly store: LockStore,
		private readonly clock: LockClock,
		private readonly leaseMs = LOCK_LEASE_MS,
		private readonly waitMs = LOCK_WAIT_MS,
	) {}

	now(): number {
		return this.clock.now();
	}

	/**
	 * The pause of a process with more to do after giving the lock back: longer than a waiter's
	 * longest wait between two looks, so that another process's waiter finds the lock free and
	 * takes its turn (else the process that just held it could take it again and again).
	 */
	async pause(): Promise<void> {
		await this.clock.sleep(pauseMs(this.clock.random));
	}

	/** When this lock last found the row held by another process: -Infinity for never. */
	sawOthersAt(): number {
		return this.othersSeenAt;
	}

	/** Whether `at` is within the last lease: a process seen then may still be waiting. */
	recent(at: number): boolean {
		return this.clock.now() - at < this.leaseMs;
	}

	/** Takes the lock, or refuses with how long it waited since `start`. Store failures are thrown. */
	async take(start = this.clock.now()): Promise<Result<number>> {
		const watch = new LeaseWatch(this.leaseMs);
		const failures: unknown[] = [];
		for (let attempt = 0; ; attempt++) {
			const seen = watch.see(await this.store.count(), this.clock.now());
			if (seen === 'free' && (await this.tryCreate(failures))) return ok(this.clock.now());
			// Held, dead or created by another process at the same moment: another process is there
			this.othersSeenAt = this.clock.now();
			if (seen === 'dead') {
				await this.store.remove();
				continue;
			}
			const waited = this.clock.now() - start;
			if (waited >= this.waitMs) return refuse(`${Math.round(waited / 1000)} s`);
			await this.clock.sleep(backoffMs(attempt, this.clock.random));
		}
	}

	/**
	 * Creating the row fails when another process created it first: a lost race, not a failure,
	 * even when the winner has already given the lock back. Failures with no row there, several in
	 * a row, are the store's own: the last is thrown.
	 */
	private async tryCreate(failures: unknown[]): Promise<boolean> {
		const attempt = await this.store.create(lockValues(this.clock.random)).then(
			(created) => ({ created, failure: undefined }),
			(failure: unknown) => ({ created: false, failure }),
		);
		if (attempt.failure === undefined) return attempt.created;
		if ((await this.store.count()) > 0) failures.length = 0;
		else failures.push(attempt.failure);
		if (failures.length >= MAX_CREATE_FAILURES) throw attempt.failure;
		return false;
	}

	/**
	 * Runs the task holding the lock, or refuses (task not run) when the lock stayed taken until
	 * `waitMs` after `start`. Gives the lock back after the task, unless the lease ran out.
	 */
	async hold<T>(task: (lease: Lease) => Promise<T>, start?: number): Promise<Result<T>> {
		const taken = await this.take(start);
		if (!taken.ok) return taken;
		const since = taken.value;
		const lease: Lease = {
			heldMs: () => this.clock.now() - since,
			inTime: () => this.clock.now() - since < this.leaseMs / 2,
			outlasted: () => this.clock.now() - since >= this.leaseMs,
		};
		try {
			return ok(await task(lease));
		} finally {
			// Past its lease the row may be another holder's by now: leave it to expire.
			if (!lease.outlasted()) await this.store.remove();
		}
	}
}
