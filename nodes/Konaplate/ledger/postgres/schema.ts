import type { LedgerPool as Pool } from './connection';

/** The shared ledger's table, in the connection's default schema (its search_path). */
export const LEDGER_TABLE = 'konaplate_transfer_ledger';

/**
 * One row per (account, reference). The same text is in docs/shared-ledger.md for a DBA who
 * creates the table by hand (a test keeps the two equal). A row holds digests, masked card
 * numbers and the operator's own reference, never a full card number, key or secret. A table an
 * earlier version made is brought up to date by the same text: the ALTER adds what it lacks.
 */
export const LEDGER_TABLE_SQL = `CREATE TABLE IF NOT EXISTS konaplate_transfer_ledger (
  reference_key     text PRIMARY KEY,
  base_url          text NOT NULL,
  asp_id            text NOT NULL,
  reference         text NOT NULL,
  state             text NOT NULL CHECK (state IN ('claimed', 'transferred', 'free')),
  member_digest     text,
  from_card_digest  text,
  to_card_digest    text,
  amount_digest     text,
  claimed_at        timestamptz NOT NULL,
  in_flight_until   timestamptz NOT NULL,
  claimed_on        date NOT NULL,
  settled_at        timestamptz,
  claim_token       uuid NOT NULL,
  workflow_id       text NOT NULL,
  execution_id      text NOT NULL,
  node_name         text NOT NULL,
  correlation_id    text,
  amount            text,
  from_card_no      text,
  to_card_no        text,
  transfer_key      text
);
ALTER TABLE konaplate_transfer_ledger ADD COLUMN IF NOT EXISTS transfer_key text;
CREATE INDEX IF NOT EXISTS konaplate_transfer_ledger_account
  ON konaplate_transfer_ledger (base_url, asp_id, claimed_at DESC);
CREATE INDEX IF NOT EXISTS konaplate_transfer_ledger_unknown
  ON konaplate_transfer_ledger (base_url, asp_id, claimed_at DESC) WHERE state = 'claimed';
CREATE INDEX IF NOT EXISTS konaplate_transfer_ledger_transfer
  ON konaplate_transfer_ledger (transfer_key) WHERE state = 'claimed';`;

/** The column the newest version added: a table without it is brought up to date first. */
const NEWEST_COLUMN = 'transfer_key';

/** What a ledger needs on the table: reads, claims, settlements, releases. */
export const LEDGER_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;

/** SQLSTATE of a concurrent first use creating the same table or index: it exists now. */
const CREATED_MEANWHILE = new Set(['23505', '42P07', '42710']);

/** Pools whose table is known to exist: checked once per pool, again after a failure. */
const ready = new WeakMap<Pool, Promise<void>>();

/**
 * Creates the table on first use when it is missing, and brings one an earlier version made up
 * to date (its owner's right: a DBA runs the same SQL otherwise). A current table is left alone,
 * so a user with only the four privileges on a table a DBA made never needs CREATE. Two first
 * uses at once: one creates, the other's unique violation on the catalog means it exists; run
 * again.
 */
export async function ensureLedgerTable(pool: Pool): Promise<void> {
	const known = ready.get(pool);
	if (known !== undefined) return await known;
	const creating = createWhenMissing(pool);
	ready.set(pool, creating);
	await creating.catch(async (error: unknown) => {
		ready.delete(pool);
		return await Promise.reject(error);
	});
}

/** A concurrent creator's unique violation on the catalog reads as "exists now": look again. */
async function createWhenMissing(pool: Pool): Promise<void> {
	for (let attempt = 1; attempt <= 3; attempt++) {
		const { rows } = await pool.query<{ current: boolean }>(
			`SELECT EXISTS (SELECT 1 FROM pg_attribute
  WHERE attrelid = to_regclass($1) AND attname = $2 AND NOT attisdropped) AS current`,
			[LEDGER_TABLE, NEWEST_COLUMN],
		);
		if (rows[0].current) return;
		const failure = await pool.query(LEDGER_TABLE_SQL).then(
			() => undefined,
			(error: unknown) => error as { code?: string },
		);
		if (failure === undefined) return;
		if (!CREATED_MEANWHILE.has(failure.code ?? '') || attempt === 3)
			return await Promise.reject(failure);
	}
}

export async function tableExists(pool: Pool): Promise<boolean> {
	const { rows } = await pool.query<{ found: boolean }>(
		'SELECT to_regclass($1) IS NOT NULL AS found',
		[LEDGER_TABLE],
	);
	return rows[0].found;
}

/** The privileges of LEDGER_PRIVILEGES the connection's user lacks on the table. */
export async function missingPrivileges(pool: Pool): Promise<string[]> {
	const { rows } = await pool.query<{ privilege: string; granted: boolean }>(
		'SELECT p AS privilege, has_table_privilege($1, p) AS granted FROM unnest($2::text[]) AS p',
		[LEDGER_TABLE, [...LEDGER_PRIVILEGES]],
	);
	return rows.filter(({ granted }) => !granted).map(({ privilege }) => privilege);
}
