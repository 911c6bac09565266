import { classify, parseJson } from './response';
import type { KonaplateBody } from './response';
import type { Result } from './result';

/**
 * What an answer from Konaplate amounts to. Only `value` is a success: a 2xx status with the
 * code 000_000 and a body the operation could read.
 */
export type Verdict<T> =
	/** No Konaplate result in it (not JSON, not opened, no result code), or a success body the operation cannot read. */
	| { kind: 'unreadable'; received: string }
	/** A Konaplate result code other than 000_000, under any HTTP status. */
	| { kind: 'code'; code: string; message: string }
	/** The success code under an HTTP error status: never reported as a success. */
	| { kind: 'contradictory' }
	| { kind: 'value'; value: T };

/**
 * Reads one answer: its status and body text, opened with `open` (the credential's encryption,
 * or none) and read with the operation's `parse`. Pure: no request, no clock, no n8n.
 */
export function readAnswer<T>(
	answer: { status: number; text: string },
	open: (value: unknown) => Result<unknown>,
	parse: (body: KonaplateBody) => Result<T>,
): Verdict<T> {
	const parsed = parseJson(answer.text);
	if (!parsed.ok) return { kind: 'unreadable', received: parsed.reason };
	const opened = open(parsed.value);
	if (!opened.ok) return { kind: 'unreadable', received: opened.reason };
	const classified = classify(opened.value);
	if (!classified.ok) return { kind: 'unreadable', received: classified.reason };
	const result = classified.value;
	if (result.kind === 'failure')
		return { kind: 'code', code: result.code, message: result.message };
	if (answer.status < 200 || answer.status > 299) return { kind: 'contradictory' };
	const reported = parse(result.body);
	if (!reported.ok) return { kind: 'unreadable', received: reported.reason };
	return { kind: 'value', value: reported.value };
}
