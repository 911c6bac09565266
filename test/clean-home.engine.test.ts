/**
 * The engine of `npm start` and the tests writes nothing outside the project and the temp dir:
 * with HOME an empty folder, a transfer, a read and the credential test leave it empty. (n8n-core
 * keeps an encryption key in <user folder>/.n8n/config, where a person's own n8n keeps its key:
 * the engine points N8N_USER_FOLDER at a temp folder of its own.)
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { useKonaplate, WORKFLOWS } from './helpers/konaplate';
import { CARDS, MAIN_TO_SECOND } from '../emulator/data';
import { CREDENTIAL_TYPE } from '../nodes/Konaplate/wire/credentials';

const home = mkdtempSync(join(tmpdir(), 'konaplate-empty-home-'));
// Before the engine starts (n8n-core reads the user folder when it first needs it); jest gives
// this file a process.env of its own
process.env.HOME = home;
process.env.USERPROFILE = home;
delete process.env.N8N_USER_FOLDER;

const kona = useKonaplate();
afterAll(() => rmSync(home, { recursive: true, force: true }));

it('runs a transfer, a read and the credential test, and writes nothing into HOME', async () => {
	const transfer = await kona.output(WORKFLOWS.transfer, [
		{ ...MAIN_TO_SECOND, transferEntireBalance: false, amount: 10 },
	]);
	expect(transfer.success[0].json).toMatchObject({ transferred: true });
	const read = await kona.output(WORKFLOWS.cardGet, [{ cardNo: CARDS.main }]);
	expect(read.success[0].json).toMatchObject({ cardStatus: 'ACTIVE' });
	const tested = await kona.engine.testCredential(CREDENTIAL_TYPE, kona.credential());
	expect(tested.status).toBe('OK');
	expect(readdirSync(home)).toEqual([]);
	expect(process.env.N8N_USER_FOLDER).toContain(tmpdir());
});
