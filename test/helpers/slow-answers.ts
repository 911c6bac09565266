import { sleep } from 'n8n-workflow';

import type { RawReply } from '../../emulator/server';

let delayedUntil = 0;

/**
 * A scripted answer that takes its time, noted so the suite can wait for the emulator to finish
 * it: the node gives up at its timeout, the emulator's own timer runs on.
 */
export function slow(reply: RawReply): RawReply {
	const total =
		(reply.delayMs ?? 0) + (reply.chunks ?? []).reduce((sum, chunk) => sum + chunk.delayMs, 0);
	delayedUntil = Math.max(delayedUntil, Date.now() + total);
	return reply;
}

/** Waits until every slow answer handed out has been sent, so no timer outlives the suite. */
export async function slowAnswersDone(): Promise<void> {
	const left = delayedUntil - Date.now();
	if (left > 0) await sleep(left + 50);
}
