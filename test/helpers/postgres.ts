/**
 * A real, throwaway PostgreSQL for the shared ledger's tests: Debian's binaries, initdb into a
 * temp folder, bound to 127.0.0.1 on a free port, its superuser behind a password, stopped by
 * its PID at the end (scripts/e2e/groups/queue/services.ts, shared with the queue-mode run).
 * No PostgreSQL installed: the tests fail, naming the apt command. Nothing is mocked.
 *
 *   const database = useTestPostgres();        // in a test file: hooks start it once (~3 s)
 *   const db = database();                     // inside a test
 *   const store = await PostgresLedgerStore.open(node, db.url(), account);
 *   await db.admin('CREATE ROLE …');             // as the superuser
 *   await db.stop();
 */
import { Client } from 'pg';

import { closeLedgerPools } from '../../nodes/Konaplate/ledger/postgres/connection';
import { LEDGER_TABLE } from '../../nodes/Konaplate/ledger/postgres/schema';
import { startPostgres } from '../../scripts/e2e/groups/queue/services';
import type { Postgres } from '../../scripts/e2e/groups/queue/services';

export const SUPERUSER_PASSWORD = 'ledger-tests-superuser-pw';

export interface TestPostgres {
	server: Postgres;
	/** postgres://user:password@127.0.0.1:port/database (the superuser by default). */
	url: (login?: { user: string; password: string }, database?: string) => string;
	/** Runs SQL as the superuser on the test database; returns the rows. */
	admin: <R extends object = Record<string, unknown>>(
		sql: string,
		values?: unknown[],
	) => Promise<R[]>;
	/**
	 * A login role with no privilege on the ledger's table and, as on PostgreSQL 15, no CREATE in
	 * schema public (only the owner creates there unless granted): the user a DBA hands the node.
	 */
	loginWithoutPrivileges: (login: { user: string; password: string }) => Promise<void>;
	/** Stops the server, runs `whileDown`, starts it again (same port, same data). */
	restart: Postgres['restart'];
	stop: () => Promise<void>;
}

/**
 * A database for one test file: started before its tests, the ledger's table dropped and the
 * process's pools closed before each (each test starts from a first use), all stopped after.
 */
export function useTestPostgres(): () => TestPostgres {
	let db: TestPostgres | undefined;
	beforeAll(async () => {
		db = await startTestPostgres();
	}, 60_000);
	afterAll(async () => {
		await closeLedgerPools();
		await db?.stop();
	});
	beforeEach(async () => {
		await db?.admin(`DROP TABLE IF EXISTS ${LEDGER_TABLE}`);
		await closeLedgerPools();
	});
	return () => {
		if (db === undefined) throw new Error('the test PostgreSQL did not start (see beforeAll)');
		return db;
	};
}

export async function startTestPostgres(): Promise<TestPostgres> {
	const server = await startPostgres({
		database: 'ledger',
		password: SUPERUSER_PASSWORD,
		install: false,
	});
	const url = (
		login = { user: server.user, password: SUPERUSER_PASSWORD },
		database = server.database,
	) =>
		`postgres://${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}@${server.host}:${server.port}/${database}`;
	const admin = async <R extends object>(sql: string, values: unknown[] = []) => {
		const client = new Client({ connectionString: url() });
		await client.connect();
		try {
			return (await client.query<R>(sql, values)).rows;
		} finally {
			await client.end();
		}
	};
	const loginWithoutPrivileges = async ({ user, password }: { user: string; password: string }) => {
		await admin(`CREATE ROLE "${user}" LOGIN PASSWORD '${password}'`);
		await admin('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
	};
	return {
		server,
		url,
		admin,
		loginWithoutPrivileges,
		restart: server.restart,
		stop: server.stop,
	};
}
