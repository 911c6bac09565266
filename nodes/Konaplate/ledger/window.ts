/**
 * How many of a run's items one claim call covers (a window). The References of a window are
 * claimed together, just before its items leave, so a run that dies leaves unclaimed everything
 * past its current window: about a second of sending.
 */

/** The first window, and every window until a request has left: the run's pace is not known yet. */
export const CLAIM_WINDOW = 100;

/** How much sending one window holds once the run's pace is known. */
export const WINDOW_MS = 1000;

/** The most items one window holds, whatever the pace: a very fast answer is no reason to claim thousands. */
export const MAX_WINDOW = 1000;

/**
 * The share of a paced window that the run's last items may add to it rather than wait for a
 * window of their own: such a window holds at most 1.25 s of sending, and a run of 1,000 items at
 * about a millisecond each makes two claim calls, not three.
 */
export const TAIL_SHARE = 0.25;

/** The run's pace so far: the requests that actually left, and the time spent sending them. */
export interface Pace {
	sent: number;
	/** Since the first window was asked for, the ledger's own calls left out. */
	sendingMs: number;
}

/**
 * The size of the window that starts with `remaining` items left: CLAIM_WINDOW until a request
 * has left (a re-run whose first items were all transferred before has no pace yet), then as
 * many as the run sent in WINDOW_MS at its pace (at least CLAIM_WINDOW, at most MAX_WINDOW), in
 * whole batches; a rest of at most TAIL_SHARE of a paced window joins it.
 */
export function windowSize(pace: Pace, batchSize: number, remaining: number): number {
	const paced =
		pace.sent === 0
			? CLAIM_WINDOW
			: Math.min(
					MAX_WINDOW,
					Math.max(CLAIM_WINDOW, Math.ceil((pace.sent * WINDOW_MS) / Math.max(1, pace.sendingMs))),
				);
	const size = batchSize * Math.ceil(paced / batchSize);
	const tail = pace.sent > 0 && remaining - size <= size * TAIL_SHARE;
	return tail ? remaining : Math.min(size, remaining);
}
