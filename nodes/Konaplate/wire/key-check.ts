import { classify, parseJson } from './response';
import type { Result } from './result';

/**
 * What the credential's Test makes of the answer to its one read (the auto-recharge account of
 * member 1): `ok` when Konaplate itself answered, which proves the keys whatever the member's
 * result; otherwise a message a person can act on. Pure: status, Location and body text in.
 */
export type KeyCheck = { ok: true } | { ok: false; message: string };

export const CHECK_KEYS = 'check the ASP ID, Access Key, Secret Key and Time Zone';

export const KEY_CHECK_MESSAGE = {
	/** A 200 or 400 that is not Konaplate's (another server, a login page, a proxy's page). */
	notKonaplate: `Konaplate refused these keys, or no Konaplate Open API answers at this address (no Konaplate response came back): ${CHECK_KEYS}, and the Base URL`,
	notFound: 'No Konaplate Open API at this address (HTTP 404): check the Base URL',
	refused: (status: number) => `Konaplate refused these keys (HTTP ${status}): ${CHECK_KEYS}`,
	serverError: (status: number) =>
		`Konaplate could not answer (HTTP ${status}): try again later; the keys were not checked`,
	otherStatus: (status: number) => `Konaplate answered HTTP ${status}: check the Base URL`,
	/** The answer came encrypted and this credential's keys cannot open it. */
	unopened: (reason: string) =>
		`Konaplate's answer could not be read (${reason}): check the encryption fields`,
	redirect: (status: number, target: string) =>
		`The Base URL answered HTTP ${status}, a redirect (to ${target}), which is not followed: nothing signed is sent to another address. Check the Base URL (https:// and the path /open-api)`,
} as const;

/**
 * The verdict on the Test's answer. Konaplate answers a look-up of a member that does not exist
 * with HTTP 400 and a result code: any result code under 200 or 400 proves the keys. Konaplate
 * refuses keys with HTTP 401 (an HTML page, not a result code). `open` is the credential's
 * message decryption (an encrypted answer is opened before it is read).
 */
export function readKeyCheck(
	answer: { status: number; text: string; redirectTarget?: string },
	open: (value: unknown) => Result<unknown>,
): KeyCheck {
	const { status } = answer;
	const fail = (message: string): KeyCheck => ({ ok: false, message });
	if (status >= 300 && status <= 399)
		return fail(KEY_CHECK_MESSAGE.redirect(status, answer.redirectTarget ?? 'no Location'));
	if (status === 401 || status === 403) return fail(KEY_CHECK_MESSAGE.refused(status));
	if (status === 404) return fail(KEY_CHECK_MESSAGE.notFound);
	if (status >= 500) return fail(KEY_CHECK_MESSAGE.serverError(status));
	if (status !== 400 && (status < 200 || status > 299))
		return fail(KEY_CHECK_MESSAGE.otherStatus(status));
	const parsed = parseJson(answer.text);
	if (!parsed.ok) return fail(KEY_CHECK_MESSAGE.notKonaplate);
	const opened = open(parsed.value);
	if (!opened.ok) return fail(KEY_CHECK_MESSAGE.unopened(opened.reason));
	return classify(opened.value).ok ? { ok: true } : fail(KEY_CHECK_MESSAGE.notKonaplate);
}
