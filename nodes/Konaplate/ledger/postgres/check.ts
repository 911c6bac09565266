import { ledgerPool } from './connection';
import type { LedgerPool } from './connection';
import { readFault, scrub } from './faults';
import {
	ensureLedgerTable,
	LEDGER_PRIVILEGES,
	LEDGER_TABLE,
	missingPrivileges,
	tableExists,
} from './schema';

/** What the credential's Test learns of the shared ledger's database. */
export type LedgerCheck = { ok: true } | { ok: false; message: string };

/**
 * Connects, creates the table when missing, and checks the user's privileges on it; the
 * message says which step failed (unreachable, wrong password, missing privileges, …), with
 * the URL and password masked.
 */
export async function checkLedgerDatabase(url: string): Promise<LedgerCheck> {
	const fail = (message: string): LedgerCheck => ({ ok: false, message: scrub(message, url) });
	const unusable = (error: unknown) =>
		fail(`The shared ledger's database cannot be used: ${readFault(error, url).words}`);
	let pool: LedgerPool;
	let user: string;
	try {
		pool = await ledgerPool(url);
		user = (await pool.query<{ user: string }>('SELECT current_user AS user')).rows[0].user;
	} catch (error) {
		return unusable(error);
	}
	const creation = await ensureLedgerTable(pool).then(
		() => undefined,
		(error: unknown) => error,
	);
	if (creation !== undefined) {
		const { fault, words } = readFault(creation, url);
		if (fault !== 'privileges') return unusable(creation);
		const exists = await tableExists(pool).catch(() => false);
		if (exists)
			return fail(
				`The shared ledger's table ${LEDGER_TABLE} was made by an earlier version and user "${user}" may not bring it up to date (${words}). Ask a database administrator, or the table's owner, to run the SQL in docs/shared-ledger.md: it adds what the table lacks and changes nothing else.`,
			);
		return fail(
			`The shared ledger's table ${LEDGER_TABLE} does not exist and user "${user}" may not create it (${words}). Ask a database administrator to create it with the SQL in docs/shared-ledger.md, or to grant CREATE on the connection's default schema.`,
		);
	}
	let missing: string[];
	try {
		missing = await missingPrivileges(pool);
	} catch (error) {
		return unusable(error);
	}
	if (missing.length > 0)
		return fail(
			`User "${user}" lacks ${missing.join(', ')} on ${LEDGER_TABLE}; the shared ledger needs ${LEDGER_PRIVILEGES.join(', ')}: GRANT ${LEDGER_PRIVILEGES.join(', ')} ON ${LEDGER_TABLE} TO "${user}"`,
		);
	return { ok: true };
}
