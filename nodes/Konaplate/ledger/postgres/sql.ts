/**
 * The shared ledger's statements. Atomicity comes from the table's primary key and conditional
 * updates, never from a lock of the package's own: a claim is an insert the key lets succeed
 * once; every later change names the state it expects (and the claim it expects, by its token).
 * Statements that change several rows lock them in key order, so two of them never deadlock.
 */

/** What a claim records of its transfer, after its reference key: one array each, in this order. */
const TRANSFER_COLUMNS = [
	'member_digest',
	'from_card_digest',
	'to_card_digest',
	'amount_digest',
	'amount',
	'from_card_no',
	'to_card_no',
	'transfer_key',
] as const;

/** The columns a claim window sends, one array each, in this order. */
export const CLAIM_COLUMNS = ['reference_key', 'reference', ...TRANSFER_COLUMNS] as const;

const DIGESTS = ['member_digest', 'from_card_digest', 'to_card_digest', 'amount_digest'] as const;

/** Parameters $from, $from+1, … as SQL text, one per name. */
function parameters<N extends string>(from: number, names: readonly N[]): Record<N, string> {
	return Object.fromEntries(names.map((name, index) => [name, `$${from + index}`])) as Record<
		N,
		string
	>;
}

/** An attempt's parameters, in this order (Postgres store's attemptValues). */
const ATTEMPT = ['at', 'until', 'day', 'token', 'workflow', 'execution', 'node'] as const;

const CLAIMING = parameters(CLAIM_COLUMNS.length + 1, ['baseUrl', 'aspId', ...ATTEMPT]);

/**
 * One window: inserts every reference the table does not hold (ON CONFLICT DO NOTHING), and
 * reads, for each item in order, whether this statement inserted it and the row it conflicted
 * with, as this statement's snapshot shows it. A row another transaction committed after the
 * snapshot conflicts but is not shown: the caller reads it again in a statement of its own.
 * After the columns' arrays: the base URL, the ASP ID, then the attempt (claimed at and in
 * flight until in ms, day, claim token, workflow, execution, node).
 */
export const CLAIM_SQL = `WITH input AS (
  SELECT * FROM unnest(${CLAIM_COLUMNS.map((_, index) => `$${index + 1}::text[]`).join(', ')})
    WITH ORDINALITY AS i(${CLAIM_COLUMNS.join(', ')}, ord)
), inserted AS (
  INSERT INTO konaplate_transfer_ledger (${CLAIM_COLUMNS.join(', ')}, base_url, asp_id, state,
    claimed_at, in_flight_until, claimed_on, claim_token, workflow_id, execution_id, node_name)
  SELECT ${CLAIM_COLUMNS.join(', ')}, ${CLAIMING.baseUrl}, ${CLAIMING.aspId}, 'claimed',
    to_timestamp(${CLAIMING.at}::float8 / 1000), to_timestamp(${CLAIMING.until}::float8 / 1000),
    ${CLAIMING.day}::date, ${CLAIMING.token}::uuid, ${CLAIMING.workflow}, ${CLAIMING.execution},
    ${CLAIMING.node}
  FROM input ORDER BY reference_key
  ON CONFLICT (reference_key) DO NOTHING
  RETURNING reference_key
)
SELECT i.ord::int AS ord, (n.reference_key IS NOT NULL) AS claimed, t.state,
  ${DIGESTS.map((column) => `t.${column}`).join(', ')}
FROM input i
LEFT JOIN inserted n ON n.reference_key = i.reference_key
LEFT JOIN konaplate_transfer_ledger t ON t.reference_key = i.reference_key
ORDER BY i.ord`;

/** The rows of some references as they are now (a statement of its own: a new snapshot). */
export const READ_SQL = `SELECT reference_key, state, ${DIGESTS.join(', ')}
FROM konaplate_transfer_ledger WHERE reference_key = ANY($1::text[])`;

/** The columns a reclaim sends, one array each, in this order. */
const RECLAIM_COLUMNS = ['reference_key', ...TRANSFER_COLUMNS] as const;

const RECLAIMING = parameters(RECLAIM_COLUMNS.length + 1, ATTEMPT);

/**
 * Claims again references resolved as not transferred (state free), for this window's attempt:
 * only while still free, and only where the fields recorded match the item's (or either side
 * has none). Answers the keys it claimed. After the columns' arrays, the attempt (as CLAIM_SQL).
 */
export const RECLAIM_SQL = `WITH input AS (
  SELECT * FROM unnest(${RECLAIM_COLUMNS.map((_, index) => `$${index + 1}::text[]`).join(', ')})
    AS i(${RECLAIM_COLUMNS.join(', ')})
), locked AS (
  SELECT t.reference_key FROM konaplate_transfer_ledger t JOIN input i USING (reference_key)
  WHERE t.state = 'free'
    AND (t.member_digest IS NULL OR i.member_digest IS NULL OR
      (${DIGESTS.map((column) => `t.${column}`).join(', ')}) =
      (${DIGESTS.map((column) => `i.${column}`).join(', ')}))
  ORDER BY t.reference_key FOR UPDATE OF t
)
UPDATE konaplate_transfer_ledger t SET state = 'claimed',
  ${DIGESTS.map((column) => `${column} = COALESCE(i.${column}, t.${column})`).join(',\n  ')},
  claimed_at = to_timestamp(${RECLAIMING.at}::float8 / 1000),
  in_flight_until = to_timestamp(${RECLAIMING.until}::float8 / 1000),
  claimed_on = ${RECLAIMING.day}::date, claim_token = ${RECLAIMING.token}::uuid,
  workflow_id = ${RECLAIMING.workflow}, execution_id = ${RECLAIMING.execution},
  node_name = ${RECLAIMING.node}, settled_at = NULL, correlation_id = NULL,
  amount = i.amount, from_card_no = i.from_card_no, to_card_no = i.to_card_no,
  transfer_key = i.transfer_key
FROM locked JOIN input i USING (reference_key)
WHERE t.reference_key = locked.reference_key AND t.state = 'free'
RETURNING t.reference_key`;

/**
 * Transferred: this run's claims (its token), and rows a person resolved as not transferred
 * while the money had moved (free): the answer is the fact. $1 keys, $2 correlation ids, $3 token.
 */
export const SETTLE_TRANSFERRED_SQL = `WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[]) AS i(reference_key, correlation_id)
), locked AS (
  SELECT t.reference_key FROM konaplate_transfer_ledger t JOIN input i USING (reference_key)
  WHERE (t.state = 'claimed' AND t.claim_token = $3::uuid) OR t.state = 'free'
  ORDER BY t.reference_key FOR UPDATE OF t
)
UPDATE konaplate_transfer_ledger t SET state = 'transferred', settled_at = now(),
  correlation_id = COALESCE(i.correlation_id, t.correlation_id)
FROM locked JOIN input i USING (reference_key)
WHERE t.reference_key = locked.reference_key
  AND ((t.state = 'claimed' AND t.claim_token = $3::uuid) OR t.state = 'free')`;

/** Released (refused for sure, or never sent): this run's claims are deleted, free to claim again. */
export const RELEASE_SQL = `WITH locked AS (
  SELECT reference_key FROM konaplate_transfer_ledger
  WHERE reference_key = ANY($1::text[]) AND state = 'claimed' AND claim_token = $2::uuid
  ORDER BY reference_key FOR UPDATE
)
DELETE FROM konaplate_transfer_ledger t USING locked
WHERE t.reference_key = locked.reference_key AND t.state = 'claimed' AND t.claim_token = $2::uuid`;

/**
 * Attempts of this run that ended with an unknown outcome (an unclear answer, a timeout): their
 * requests are over, so they are no longer in flight. They stay claimed.
 */
export const ATTEMPT_OVER_SQL = `UPDATE konaplate_transfer_ledger SET in_flight_until = now()
WHERE reference_key = ANY($1::text[]) AND state = 'claimed' AND claim_token = $2::uuid
  AND in_flight_until > now()`;

const INSPECTED = `state, claimed_on::text AS claimed_on,
  (extract(epoch FROM claimed_at) * 1000)::float8 AS claimed_at,
  (extract(epoch FROM in_flight_until) * 1000)::float8 AS in_flight_until`;

export const INSPECT_SQL = `SELECT ${INSPECTED} FROM konaplate_transfer_ledger WHERE reference_key = $1`;

/**
 * A person's decision, in one statement: the row is locked and read as it was, then changed
 * only when claimed and, for not transferred ($2 'free'), no longer in flight at $3 (ms).
 * Not transferred keeps the row (free) with its field digests: the same transfer may be sent
 * again, another one under the reference is refused as a mismatch.
 */
export const RESOLVE_SQL = `WITH before AS (
  SELECT reference_key, ${INSPECTED}, in_flight_until AS until
  FROM konaplate_transfer_ledger WHERE reference_key = $1 FOR UPDATE
), changed AS (
  UPDATE konaplate_transfer_ledger t SET state = $2, settled_at = to_timestamp($3::float8 / 1000)
  FROM before
  WHERE t.reference_key = before.reference_key AND before.state = 'claimed'
    AND ($2 = 'transferred' OR before.until <= to_timestamp($3::float8 / 1000))
  RETURNING t.reference_key
)
SELECT state, claimed_on, claimed_at, in_flight_until, (SELECT count(*) FROM changed)::int AS changed
FROM before`;

const LISTED = `SELECT reference, state, claimed_at, claimed_on::text AS claimed_on, settled_at, workflow_id, execution_id, node_name,
  correlation_id, amount, from_card_no, to_card_no
FROM konaplate_transfer_ledger WHERE base_url = $1 AND asp_id = $2`;

/** An account's rows, newest first: $3 the limit. The unknown ones come from their own index. */
export const LIST_SQL = {
	outcomeUnknown: `${LISTED} AND state = 'claimed' ORDER BY claimed_at DESC, reference_key LIMIT $3`,
	transferred: `${LISTED} AND state = 'transferred' ORDER BY claimed_at DESC, reference_key LIMIT $3`,
	all: `${LISTED} ORDER BY claimed_at DESC, reference_key LIMIT $3`,
} as const;

/**
 * The same transfers claimed and not settled (outcome unknown, or in flight), newest first,
 * under a reference not among the window's own. $1 transfer keys, $2 the window's reference keys.
 */
export const UNKNOWN_TRANSFERS_SQL = `SELECT transfer_key, reference FROM konaplate_transfer_ledger
WHERE transfer_key = ANY($1::text[]) AND state = 'claimed' AND reference_key <> ALL($2::text[])
ORDER BY claimed_at DESC, reference_key`;
