/**
 * The last checks of npm run test:e2e, over everything the groups before collected: no key in
 * the n8n log or in an output, no full card number in a Konaplate output, and still no package
 * load error in the server log.
 */
import { assert } from '../../checks';
import type { E2eGroup, GroupContext } from '../../group';

async function closingChecks({ checks, srv, credential, outputs }: GroupContext): Promise<void> {
	await checks.check(
		'no keys in n8n logs or outputs, no full card number in Konaplate outputs',
		() => {
			const secrets = [credential.data.secretKey, credential.data.accessKey];
			const logs = srv.log;
			for (const s of secrets) assert.ok(!logs.includes(s), 'a key appears in the n8n server log');
			const text = JSON.stringify(outputs);
			for (const s of secrets) assert.ok(!text.includes(s), 'a key appears in an output');
			assert.doesNotMatch(text, /\d{16}/, 'a full card number appears in an output');
			assert.ok(outputs.length >= 7, `only ${outputs.length} outputs collected`);
		},
	);
	await checks.check('server log: still no package load errors', () => {
		assert.deepEqual(srv.packageLoadErrors, []);
	});
}

export const group: E2eGroup = { name: 'closing', run: closingChecks };
