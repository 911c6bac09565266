/**
 * Where the shared ledger's database is checked today: when a run first opens the store (the
 * credential's Test button checks the Konaplate keys only, credentials/KonaCredentials.credentials.ts).
 * Through the n8n engine, on a real PostgreSQL: each fault the issue names (wrong password,
 * missing privileges, unreachable) refuses the run with LEDGER_UNAVAILABLE, its message names the
 * fault and never the password, and nothing is sent to Konaplate.
 */
import type { IDataObject } from 'n8n-workflow';

import { MAIN_TO_SECOND } from '../emulator/data';
import { LEDGER_TABLE } from '../nodes/Konaplate/ledger/postgres/schema';
import { useProcessedDataStore } from '../scripts/engine/dedup-store';
import { freePort } from '../scripts/lib/free-port';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { useFreshEnginePools } from './helpers/engine-pools';
import { useTestPostgres } from './helpers/postgres';
import type { TestPostgres } from './helpers/postgres';

const TRANSFER = '/api/v1/transfer/balance';
const PASSWORD = 'Payout-clerk-pw-5512';
const clerk = { user: 'clerk', password: PASSWORD };
const kona = useKonaplate();
const database = useTestPostgres();
let db: TestPostgres;

beforeAll(async () => {
	await useProcessedDataStore();
	db = database();
	await db.loginWithoutPrivileges(clerk);
});
useFreshEnginePools();

const transferWorkflow = withNode(WORKFLOWS.transfer, {
	parameters: { reference: '={{ $json.reference }}' },
});
/** A transfer with a Reference on the shared ledger at `url`: the run's error. */
async function transferWith(url: string) {
	const out = await kona.output(
		transferWorkflow,
		[{ ...MAIN_TO_SECOND, amount: 700, reference: 'fault-1' }],
		{ ledger: 'postgres', ledgerPostgresUrl: url },
	);
	expect(out.success).toEqual([]);
	expect(kona.emulator.accepted(TRANSFER)).toHaveLength(0);
	const error = out.error as IDataObject & { message: string; context: IDataObject };
	expect(error.context.refusal).toBe('LEDGER_UNAVAILABLE');
	expect(error.message).not.toContain(PASSWORD);
	return error.message;
}

it('names a wrong password', async () => {
	expect(await transferWith(db.url({ user: 'clerk', password: `${PASSWORD}x` }))).toContain(
		`refused the password for user "clerk"`,
	);
});

it('names a table the user may not create', async () => {
	expect(await transferWith(db.url(clerk))).toContain(
		'user "clerk" lacks a privilege the ledger needs (permission denied for schema public)',
	);
});

it('names a table the user may not write', async () => {
	// The table as the node creates it, by its owner; the clerk may only read it
	await kona.output(withNode(WORKFLOWS.transferReferenceGet, {}), [{ reference: 'x' }], {
		ledger: 'postgres',
		ledgerPostgresUrl: db.url(),
	});
	await db.admin(`GRANT SELECT ON ${LEDGER_TABLE} TO clerk`);
	expect(await transferWith(db.url(clerk))).toMatch(
		/user "clerk" lacks a privilege the ledger needs \(permission denied for table konaplate_transfer_ledger\)/,
	);
});

it('names an address where no PostgreSQL answers', async () => {
	const port = await freePort();
	expect(await transferWith(`postgres://clerk:${PASSWORD}@127.0.0.1:${port}/ledger`)).toContain(
		`no PostgreSQL answers at 127.0.0.1:${port} (connection refused)`,
	);
});
