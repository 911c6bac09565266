import type { Pool } from 'pg';

/**
 * Connections to the shared ledger's database: one pool per credential (its URL) and process.
 * node-postgres is loaded here, on the first use of a shared ledger, so an n8n that loads the
 * node without it never loads pg. The one module that names pg (the lint's documented
 * exception, scripts/lint/exceptions.cjs): the rest of the ledger sees its types through here.
 */
export type LedgerPool = Pool;

/**
 * Every wait is bounded, so a database that does not answer refuses a run before anything is
 * sent instead of holding it: connecting (TCP, TLS, log-in), one statement on the server, one
 * query as the client waits for it (the server's limit plus a margin for the network).
 */
export const LEDGER_TIMEOUTS = {
	connectMs: 5_000,
	statementMs: 10_000,
	queryMs: 12_000,
	/** An idle connection is closed after this; with none left the pool lets n8n's process exit. */
	idleMs: 10_000,
} as const;

/** Connections one pool opens at most: each execution's calls are short, one at a time. */
const POOL_SIZE = 10;

const pools = new Map<string, LedgerPool>();

/**
 * The URL as node-postgres reads it, with libpq's meaning of `sslmode` (require: TLS without
 * checking the certificate; verify-ca, verify-full: checked), the one a DBA's URL is written for.
 */
function libpqUrl(url: string): string {
	const parsed = new URL(url);
	if (!parsed.searchParams.has('uselibpqcompat')) parsed.searchParams.set('uselibpqcompat', 'true');
	return parsed.href;
}

/** The pool for a ledger URL, made on first use; it outlives the execution that made it. */
export async function ledgerPool(url: string): Promise<LedgerPool> {
	const known = pools.get(url);
	if (known !== undefined) return known;
	const { Pool: PgPool } = await import('pg');
	const raced = pools.get(url);
	if (raced !== undefined) return raced;
	const pool = new PgPool({
		connectionString: libpqUrl(url),
		application_name: 'n8n-nodes-konaplate',
		max: POOL_SIZE,
		connectionTimeoutMillis: LEDGER_TIMEOUTS.connectMs,
		statement_timeout: LEDGER_TIMEOUTS.statementMs,
		query_timeout: LEDGER_TIMEOUTS.queryMs,
		idle_in_transaction_session_timeout: LEDGER_TIMEOUTS.statementMs,
		idleTimeoutMillis: LEDGER_TIMEOUTS.idleMs,
		keepAlive: true,
		allowExitOnIdle: true,
	});
	// An idle connection that breaks (the server restarts) is dropped by the pool; without a
	// listener its error would end n8n's process. The next query reports the fault itself.
	pool.on('error', () => undefined);
	pools.set(url, pool);
	return pool;
}

/** Closes every ledger pool of this process (tests; n8n's process exits on idle pools alone). */
export async function closeLedgerPools(): Promise<void> {
	const open = [...pools.values()];
	pools.clear();
	await Promise.all(open.map(async (pool) => await pool.end()));
}
