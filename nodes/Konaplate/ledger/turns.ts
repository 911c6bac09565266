/**
 * Turns at a workflow's ledger within this n8n process. Every ledger call of a workflow waits for
 * the one before it here (two executions of one process never interleave on the row), and one
 * hold of the lock across processes serves every turn of the same node queued by then or while
 * it is held, for up to a second: under a burst, a process pays for the lock once per batch of
 * executions, not once per call. Between two holds a process pauses only when it has seen
 * another process hold the lock: alone, it never waits for itself.
 */
import type { Result } from '../wire/result';
import { ok, refuse } from '../wire/result';
import type { Lease, LedgerLock } from './lock';

export interface Turned<T> {
	value: T;
	/** The turn ended past the lock's lease: another process may have broken in and written too. */
	outlasted: boolean;
}

interface Turn {
	/** The node whose lock row this turn needs. */
	node: string;
	lock: LedgerLock;
	queuedAt: number;
	run(lease: Lease): Promise<void>;
	refuse(waited: string): void;
	fail(error: unknown): void;
}

const queues = new Map<string, Turn[]>();

/** When a turn of each workflow last found its lock held by another process. */
const othersSeenAt = new Map<string, number>();

/**
 * A hold takes on more turns for this long at most: short holds keep a waiter's view of the lock
 * fresh (a new holder, a new count), far from the lease after which it counts a holder as dead.
 */
const BATCH_MS = 1000;

/** Runs the task in its turn, holding the node's lock; refused when the lock stayed taken for the whole wait. */
export async function takeTurn<T>(
	workflowId: string,
	node: string,
	lock: LedgerLock,
	task: (lease: Lease) => Promise<T>,
): Promise<Result<Turned<T>>> {
	return await new Promise((resolve, reject) => {
		const turn: Turn = {
			node,
			lock,
			queuedAt: lock.now(),
			run: async (lease) => {
				try {
					const value = await task(lease);
					resolve(ok({ value, outlasted: lease.outlasted() }));
				} catch (error) {
					reject(error);
				}
			},
			refuse: (waited) => resolve(refuse(waited)),
			fail: reject,
		};
		const queue = queues.get(workflowId);
		if (queue) {
			queue.push(turn);
			return;
		}
		const started = [turn];
		queues.set(workflowId, started);
		void drain(workflowId, started);
	});
}

async function drain(workflowId: string, queue: Turn[]): Promise<void> {
	while (queue.length > 0) {
		const head = queue[0];
		try {
			const held = await head.lock.hold(async (lease) => {
				do await queue.shift()?.run(lease);
				while (queue[0]?.node === head.node && lease.heldMs() < BATCH_MS);
			}, head.queuedAt);
			if (!held.ok) {
				// The head waited its whole wait, and so did every turn of its node queued as early.
				const waitedOut = queue.filter(
					(turn) => turn.node === head.node && turn.queuedAt <= head.queuedAt,
				);
				for (const turn of waitedOut) {
					queue.splice(queue.indexOf(turn), 1);
					turn.refuse(held.reason);
				}
			}
		} catch (error) {
			// The store failed taking the lock: the head did not run, and fails. (When it failed giving
			// the lock back, every turn run has its answer; the row expires with its lease.)
			if (queue[0] === head) {
				queue.shift();
				head.fail(error);
			}
		}
		const seen = Math.max(othersSeenAt.get(workflowId) ?? -Infinity, head.lock.sawOthersAt());
		if (seen > -Infinity) othersSeenAt.set(workflowId, seen);
		// The pause lets another process's waiter take its turn: none when no other was seen
		// within the last lease
		if (queue.length > 0 && head.lock.recent(seen)) await head.lock.pause();
	}
	queues.delete(workflowId);
}
