/**
 * What the credential's Test says of the shared ledger's database (ledger/postgres/check.ts),
 * on a real PostgreSQL: each fault named, the URL's password never in the message.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { closeLedgerPools } from '../nodes/Konaplate/ledger/postgres/connection';
import { checkLedgerDatabase } from '../nodes/Konaplate/ledger/postgres/check';
import { LEDGER_TABLE, LEDGER_TABLE_SQL } from '../nodes/Konaplate/ledger/postgres/schema';
import { freePort } from '../scripts/lib/free-port';
import { useTestPostgres } from './helpers/postgres';
import type { TestPostgres } from './helpers/postgres';

const PASSWORD = 'Clerk-pw-4711';
const clerk = { user: 'clerk', password: PASSWORD };

const database = useTestPostgres();
let db: TestPostgres;

beforeAll(async () => {
	db = database();
	await db.loginWithoutPrivileges(clerk);
});

const failure = async (url: string) => {
	const result = await checkLedgerDatabase(url);
	if (result.ok) throw new Error('the check passed');
	expect(result.message).not.toContain(PASSWORD);
	expect(result.message).not.toContain(encodeURIComponent(PASSWORD));
	return result.message;
};

it('passes for the owner, creating the table', async () => {
	expect(await checkLedgerDatabase(db.url())).toEqual({ ok: true });
	const [table] = await db.admin<{ found: boolean }>(
		'SELECT to_regclass($1) IS NOT NULL AS found',
		[LEDGER_TABLE],
	);
	expect(table.found).toBe(true);
});

it('says the password is wrong', async () => {
	expect(await failure(db.url({ user: 'clerk', password: `${PASSWORD}x` }))).toBe(
		`The shared ledger's database cannot be used: PostgreSQL at 127.0.0.1:${db.server.port} refused the password for user "clerk": check the password in the Ledger PostgreSQL URL`,
	);
});

it('says the database does not exist', async () => {
	expect(await failure(db.url(clerk, 'nowhere'))).toContain(
		`database "nowhere" does not exist at 127.0.0.1:${db.server.port}`,
	);
});

it('says nothing answers at the address', async () => {
	const port = await freePort();
	expect(await failure(`postgres://clerk:${PASSWORD}@127.0.0.1:${port}/ledger`)).toContain(
		`no PostgreSQL answers at 127.0.0.1:${port} (connection refused)`,
	);
});

it('says the user may not create the missing table, and what to do', async () => {
	expect(await failure(db.url(clerk))).toMatch(
		/^The shared ledger's table konaplate_transfer_ledger does not exist and user "clerk" may not create it \(user "clerk" lacks a privilege the ledger needs \(permission denied for schema public\).*docs\/shared-ledger\.md/,
	);
});

it('says which privileges the user lacks on a table a DBA created, and passes once granted', async () => {
	expect(await checkLedgerDatabase(db.url())).toEqual({ ok: true });
	await db.admin(`GRANT SELECT, INSERT ON ${LEDGER_TABLE} TO clerk`);
	expect(await failure(db.url(clerk))).toBe(
		`User "clerk" lacks UPDATE, DELETE on ${LEDGER_TABLE}; the shared ledger needs SELECT, INSERT, UPDATE, DELETE: GRANT SELECT, INSERT, UPDATE, DELETE ON ${LEDGER_TABLE} TO "clerk"`,
	);
	await db.admin(`GRANT UPDATE, DELETE ON ${LEDGER_TABLE} TO clerk`);
	await closeLedgerPools();
	expect(await checkLedgerDatabase(db.url(clerk))).toEqual({ ok: true });
});

it('says a table an earlier version made needs its owner to bring it up to date, and passes once done', async () => {
	await db.admin(LEDGER_TABLE_SQL);
	await db.admin(`ALTER TABLE ${LEDGER_TABLE} DROP COLUMN transfer_key`);
	await db.admin(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${LEDGER_TABLE} TO clerk`);
	expect(await failure(db.url(clerk))).toMatch(
		/^The shared ledger's table konaplate_transfer_ledger was made by an earlier version and user "clerk" may not bring it up to date \(user "clerk" lacks a privilege the ledger needs \(permission denied for schema public\).*\)\. Ask a database administrator, or the table's owner, to run the SQL in docs\/shared-ledger\.md/,
	);
	expect(await checkLedgerDatabase(db.url())).toEqual({ ok: true });
	await closeLedgerPools();
	expect(await checkLedgerDatabase(db.url(clerk))).toEqual({ ok: true });
});

it('docs/shared-ledger.md gives a DBA the very SQL the node runs', () => {
	const docs = readFileSync(join(__dirname, '..', 'docs', 'shared-ledger.md'), 'utf8');
	expect(docs).toContain(`\`\`\`sql\n${LEDGER_TABLE_SQL}\n\`\`\``);
});
