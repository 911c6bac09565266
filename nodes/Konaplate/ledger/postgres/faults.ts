import { LEDGER_TIMEOUTS } from './connection';

/**
 * Why the shared ledger's database could not be used, in words for the person who set up the
 * credential. Every text that leaves here has the URL and its password masked: a driver's
 * message may quote either.
 */
export type LedgerFault =
	| 'unreachable'
	| 'timeout'
	| 'tls'
	| 'wrongPassword'
	| 'notAllowed'
	| 'noDatabase'
	| 'privileges'
	| 'serverNotReady'
	| 'other';

export interface FaultReading {
	fault: LedgerFault;
	/** One sentence: what failed and what to check. */
	words: string;
}

/** postgres://user:****@host:port/database?…: what an error may say of the ledger's URL. */
export function maskedUrl(url: string): string {
	if (!URL.canParse(url)) return '(the Ledger PostgreSQL URL)';
	const parsed = new URL(url);
	if (parsed.password !== '') parsed.password = '****';
	return parsed.href;
}

/** `text` with the URL, its password (as written and decoded) and its user's password hidden. */
export function scrub(text: string, url: string): string {
	let clean = text.split(url).join(maskedUrl(url));
	if (URL.canParse(url)) {
		const { password } = new URL(url);
		for (const secret of new Set([password, safeDecode(password)])) {
			if (secret.length > 0) clean = clean.split(secret).join('****');
		}
	}
	return clean;
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

interface ConnectionTarget {
	host: string;
	port: string;
	user: string;
	database: string;
}

function target(url: string): ConnectionTarget {
	const parsed = new URL(url);
	return {
		host: parsed.hostname,
		port: parsed.port || '5432',
		user: safeDecode(parsed.username),
		database: safeDecode(parsed.pathname.replace(/^\//, '')),
	};
}

/**
 * Network failures in words: n8n replaces a node error's whole message when it contains one of
 * these codes (ECONNREFUSED → "The service refused the connection"), which would lose the host.
 */
const NETWORK_WORDS: Readonly<Record<string, string>> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ECONNRESET: 'connection reset',
	ECONNABORTED: 'connection aborted',
	ETIMEDOUT: 'connection timed out',
	EPIPE: 'connection closed',
};

/** What a driver or server error says, as a fault with words (SQLSTATE codes from PostgreSQL's appendix A). */
export function readFault(error: unknown, url: string): FaultReading {
	const { code, message } = error as { code?: unknown; message?: unknown };
	const text = Object.entries(NETWORK_WORDS).reduce(
		(clean, [networkCode, words]) => clean.split(networkCode).join(words),
		scrub(typeof message === 'string' ? message : String(error), url),
	);
	const at = URL.canParse(url) ? target(url) : undefined;
	const where = at === undefined ? 'the ledger database' : `${at.host}:${at.port}`;
	const read = (fault: LedgerFault, words: string): FaultReading => ({ fault, words });
	switch (code) {
		case '28P01':
			return read(
				'wrongPassword',
				`PostgreSQL at ${where} refused the password for user "${at?.user}": check the password in the Ledger PostgreSQL URL`,
			);
		case '28000':
			return read(
				'notAllowed',
				`PostgreSQL at ${where} does not let user "${at?.user}" connect to database "${at?.database}" (no such user, or no pg_hba.conf entry for this host): ${text}`,
			);
		case '3D000':
			return read('noDatabase', `database "${at?.database}" does not exist at ${where}`);
		case '42501':
			return read(
				'privileges',
				`user "${at?.user}" lacks a privilege the ledger needs (${text}): see docs/shared-ledger.md for the grants`,
			);
		case '57P01':
		case '57P02':
		case '57P03':
			return read(
				'serverNotReady',
				`PostgreSQL at ${where} is starting up or shutting down (${text}): try again in a moment`,
			);
		case '57014':
			return read(
				'timeout',
				`PostgreSQL at ${where} cancelled a ledger statement after ${LEDGER_TIMEOUTS.statementMs / 1000} s (${text})`,
			);
	}
	if (typeof code === 'string' && NETWORK_WORDS[code] !== undefined)
		return read('unreachable', `no PostgreSQL answers at ${where} (${NETWORK_WORDS[code]})`);
	if (typeof code === 'string' && /CERT|TLS|SSL/i.test(code))
		return read('tls', `the TLS connection to ${where} failed (${code}): check the URL's sslmode`);
	if (/timeout/i.test(text))
		return read('timeout', `PostgreSQL at ${where} did not answer in time (${text})`);
	if (/SSL|TLS/.test(text))
		return read('tls', `the TLS connection to ${where} failed (${text}): check the URL's sslmode`);
	if (/Connection terminated/i.test(text))
		return read('unreachable', `the connection to PostgreSQL at ${where} broke (${text})`);
	return read('other', `PostgreSQL at ${where} said: ${text}`);
}
