import {
	backoffMs,
	pauseMs,
	LeaseWatch,
	LedgerLock,
	LOCK_LEASE_MS,
	LOCK_WAIT_MS,
	lockValues,
} from '../nodes/Konaplate/ledger/lock';
import type { LockClock, LockStore } from '../nodes/Konaplate/ledger/lock';
import { takeTurn } from '../nodes/Konaplate/ledger/turns';

/** A clock whose sleep moves time on at once; `random` is fixed unless a test sets it. */
function fakeClock(random = () => 0.5): LockClock & { t: number; slept: number[] } {
	const clock = {
		t: 1_000_000,
		slept: [] as number[],
		now: () => clock.t,
		sleep: async (ms: number) => {
			clock.slept.push(ms);
			clock.t += ms;
		},
		random,
	};
	return clock;
}

/** The lock row: its entry count (0: no row), with n8n's semantics for a first insert. */
function fakeStore(): LockStore & { rowCount: number; log: string[] } {
	const store = {
		rowCount: 0,
		log: [] as string[],
		count: async () => {
			store.log.push('count');
			return store.rowCount;
		},
		create: async (values: string[]) => {
			store.log.push(`create ${values.length}`);
			if (store.rowCount > 0) return false;
			store.rowCount = values.length;
			return true;
		},
		remove: async () => {
			store.log.push('remove');
			store.rowCount = 0;
		},
	};
	return store;
}

describe('the lock row', () => {
	it('a holder creates it with 1 to 64 distinct values, so that its count tells one holder from the next', () => {
		expect(lockValues(() => 0)).toEqual(['konaplate:v1:lock:0']);
		const most = lockValues(() => 0.999);
		expect(most).toHaveLength(64);
		expect(new Set(most).size).toBe(64);
	});

	it('a waiter backs off by half again each time, jittered, and never more than 0.225 s', () => {
		const middle = [0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffMs(attempt, () => 0.5));
		expect(middle).toEqual([10, 15, 23, 34, 51, 76, 114]);
		expect(backoffMs(0, () => 0)).toBe(5);
		expect(backoffMs(40, () => 0.999)).toBeLessThanOrEqual(225);
	});

	it('a process with more to do pauses after giving the lock back longer than any waiter’s back-off', () => {
		const longestBackoff = backoffMs(40, () => 0.999999);
		expect(pauseMs(() => 0)).toBeGreaterThan(longestBackoff);
		expect(pauseMs(() => 0.999)).toBeLessThanOrEqual(390);
	});

	it('a row seen with one count for a whole lease is a dead holder’s; a new count or no row starts over', () => {
		const watch = new LeaseWatch(1000);
		expect(watch.see(3, 0)).toBe('held');
		expect(watch.see(3, 999)).toBe('held');
		expect(watch.see(3, 1000)).toBe('dead');
		expect(watch.see(5, 1500)).toBe('held');
		expect(watch.see(0, 1600)).toBe('free');
		expect(watch.see(5, 1700)).toBe('held');
		expect(watch.see(5, 2699)).toBe('held');
	});
});

describe('LedgerLock', () => {
	it('a free lock is taken by creating the row, and given back by deleting it after the task', async () => {
		const store = fakeStore();
		const lock = new LedgerLock(store, fakeClock());
		const held = await lock.hold(async () => {
			expect(store.rowCount).toBe(33);
			return 'done';
		});
		expect(held).toEqual({ ok: true, value: 'done' });
		expect(store.log).toEqual(['count', 'create 33', 'remove']);
		expect(store.rowCount).toBe(0);
	});

	it('a task that throws still gives the lock back', async () => {
		const store = fakeStore();
		const lock = new LedgerLock(store, fakeClock());
		await expect(
			lock.hold(async () => {
				throw new Error('store down');
			}),
		).rejects.toThrow('store down');
		expect(store.rowCount).toBe(0);
	});

	it('a waiter waits while the holder works, then takes it', async () => {
		const store = fakeStore();
		const clock = fakeClock();
		store.rowCount = 4;
		const release = clock.t + 200;
		const realSleep = clock.sleep;
		clock.sleep = async (ms) => {
			await realSleep(ms);
			if (clock.t >= release) store.rowCount = 0;
		};
		const held = await new LedgerLock(store, clock).hold(async () => 'mine');
		expect(held.ok).toBe(true);
		expect(clock.t - 1_000_000).toBeGreaterThanOrEqual(200);
		expect(clock.t - 1_000_000).toBeLessThan(400);
		expect(store.log.filter((call) => call === 'remove')).toHaveLength(1);
	});

	it('a live holder that keeps the lock makes a waiter give up after the wait, with the task not run', async () => {
		const store = fakeStore();
		const clock = fakeClock();
		let holder = 0;
		const realSleep = clock.sleep;
		clock.sleep = async (ms) => {
			await realSleep(ms);
			store.rowCount = 1 + (holder++ % 2); // a new holder each time: never unchanged for a lease
		};
		store.rowCount = 1;
		let ran = false;
		const held = await new LedgerLock(store, clock).hold(async () => (ran = true));
		expect(held).toEqual({ ok: false, reason: `${LOCK_WAIT_MS / 1000} s` });
		expect(ran).toBe(false);
		expect(store.log).not.toContain('remove');
	});

	it('a dead holder’s row (unchanged for a lease) is deleted and the lock taken', async () => {
		const store = fakeStore();
		const clock = fakeClock();
		store.rowCount = 9;
		const held = await new LedgerLock(store, clock).hold(async () => 'after the lease');
		expect(held.ok && held.value).toBe('after the lease');
		expect(clock.t - 1_000_000).toBeGreaterThanOrEqual(LOCK_LEASE_MS);
		expect(clock.t - 1_000_000).toBeLessThan(LOCK_LEASE_MS + 1000);
	});

	it('a create that loses to another process’s (a unique violation) is a busy lock, not a failure', async () => {
		const store = fakeStore();
		const clock = fakeClock();
		let first = true;
		const create = store.create;
		store.create = async (values) => {
			if (first) {
				first = false;
				store.rowCount = 2; // the other process's row
				throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
			}
			return await create(values);
		};
		const realSleep = clock.sleep;
		clock.sleep = async (ms) => {
			await realSleep(ms);
			store.rowCount = 0;
		};
		const held = await new LedgerLock(store, clock).hold(async () => 'second try');
		expect(held.ok && held.value).toBe('second try');
	});

	it('a create that loses to a holder that has already given the lock back is a lost race too', async () => {
		const store = fakeStore();
		let first = true;
		const create = store.create;
		store.create = async (values) => {
			if (first) {
				first = false; // the other process created the row, worked, and deleted it meanwhile
				throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
			}
			return await create(values);
		};
		const held = await new LedgerLock(store, fakeClock()).hold(async () => 'next try');
		expect(held.ok && held.value).toBe('next try');
	});

	it('creates that keep failing with no row there are the store failing: the fifth is thrown', async () => {
		const store = fakeStore();
		let creates = 0;
		store.create = async () => {
			creates++;
			throw new Error('connection refused');
		};
		await expect(new LedgerLock(store, fakeClock()).hold(async () => 1)).rejects.toThrow(
			'connection refused',
		);
		expect(creates).toBe(5);
	});

	it('a task past its lease says so, and leaves the row (it may be another holder’s by now)', async () => {
		const store = fakeStore();
		const clock = fakeClock();
		const held = await new LedgerLock(store, clock).hold(async (lease) => {
			expect([lease.inTime(), lease.outlasted()]).toEqual([true, false]);
			clock.t += LOCK_LEASE_MS / 2;
			expect(lease.heldMs()).toBe(LOCK_LEASE_MS / 2);
			expect([lease.inTime(), lease.outlasted()]).toEqual([false, false]);
			clock.t += LOCK_LEASE_MS / 2;
			expect(lease.outlasted()).toBe(true);
			return 'slow';
		});
		expect(held).toEqual({ ok: true, value: 'slow' });
		expect(store.log).not.toContain('remove');
		expect(store.rowCount).toBeGreaterThan(0);
	});
});

describe('turns within one process', () => {
	/** Three turns of one workflow queued at once, on a store that `other` says another process holds at first. */
	async function threeTurns(workflowId: string, other: boolean) {
		const store = fakeStore();
		if (other) store.rowCount = 3; // another process's row, given back after its first look
		const clock = fakeClock();
		const count = store.count;
		store.count = async () => {
			const seen = await count();
			if (other && seen === 3 && store.log.filter((line) => line === 'count').length > 1)
				store.rowCount = 0;
			return seen;
		};
		const lock = new LedgerLock(store, clock);
		const ran: number[] = [];
		// Turns of three nodes: each needs a hold of its own
		await Promise.all(
			[1, 2, 3].map(
				async (n) => await takeTurn(workflowId, `node-${n}`, lock, async () => ran.push(n)),
			),
		);
		return { ran, paused: clock.slept.filter((ms) => ms >= pauseMs(() => 0)) };
	}

	it('a process alone takes its turns one after the other without the pause meant for others', async () => {
		const { ran, paused } = await threeTurns('alone', false);
		expect(ran).toEqual([1, 2, 3]);
		expect(paused).toEqual([]);
	});

	it('once another process was seen holding the lock, a process pauses between its holds so that process gets a turn', async () => {
		const { ran, paused } = await threeTurns('shared', true);
		expect(ran).toEqual([1, 2, 3]);
		expect(paused).toHaveLength(2);
	});
});
