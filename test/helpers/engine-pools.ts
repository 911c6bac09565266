/**
 * The engine runs dist/, whose ledger pools (and the tables they found ready) are not the source
 * module's that useTestPostgres closes. An engine test on the shared ledger closes them too,
 * before each test and after all, so each test starts from a first use.
 */
import { join } from 'node:path';

import { PACKAGE_ROOT } from '../../scripts/engine/engine';

async function closeEnginePools(): Promise<void> {
	const connection = (await import(
		join(PACKAGE_ROOT, 'dist', 'nodes', 'Konaplate', 'ledger', 'postgres', 'connection.js')
	)) as typeof import('../../nodes/Konaplate/ledger/postgres/connection');
	await connection.closeLedgerPools();
}

export function useFreshEnginePools(): void {
	beforeEach(closeEnginePools);
	afterAll(closeEnginePools);
}
