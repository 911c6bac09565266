/**
 * `npm run emulator -- --host ADDRESS`: the emulator listens there instead of 127.0.0.1 (the
 * default stays 127.0.0.1), and its guide gives the credential values to paste and, for 0.0.0.0,
 * the address an n8n in Docker reaches it at. No Docker engine runs in the tests: the flag is
 * tested on another loopback address, 127.0.0.2, with the node connecting there.
 */
import { connect } from 'node:net';

import { guide, readCliOptions } from '../emulator/guide';
import { KonaplateEmulator } from '../emulator/server';
import { CARDS, EMULATOR_CREDENTIAL } from '../emulator/data';
import { useKonaplate, WORKFLOWS } from './helpers/konaplate';

const ELSEWHERE = '127.0.0.2';
const kona = useKonaplate({ host: ELSEWHERE });

/** Whether anything accepts a TCP connection at host:port. */
const listening = (host: string, port: number) =>
	new Promise<boolean>((resolve) => {
		const socket = connect({ host, port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});

describe('the emulator on another address', () => {
	it('reads --host, and listens on 127.0.0.1 without it', async () => {
		expect(readCliOptions(['--guide']).host).toBe('127.0.0.1');
		expect(readCliOptions(['--host', '0.0.0.0', '--port', '3111'])).toMatchObject({
			host: '0.0.0.0',
			port: 3111,
		});
		expect(() => readCliOptions(['--host'])).toThrow(/--host needs an address/);
		const local = await KonaplateEmulator.start();
		try {
			expect(new URL(local.baseUrl).hostname).toBe('127.0.0.1');
		} finally {
			await local.close();
		}
	});

	it(`listens on ${ELSEWHERE} only, and the node's requests reach it there`, async () => {
		const url = new URL(kona.emulator.baseUrl);
		expect(url.hostname).toBe(ELSEWHERE);
		expect(await listening(ELSEWHERE, Number(url.port))).toBe(true);
		expect(await listening('127.0.0.1', Number(url.port))).toBe(false);
		const { success } = await kona.output(WORKFLOWS.cardGet, [{ cardNo: CARDS.main }]);
		expect(success[0].json).toMatchObject({ cardStatus: 'ACTIVE' });
		expect(kona.emulator.accepted()).toHaveLength(1);
	});

	it('prints the credential values to paste, and for 0.0.0.0 the address from Docker', () => {
		const file = '/tmp/konaplate-emulator-credential-3111.json';
		const everywhere = guide(
			'http://127.0.0.1:3111/open-api',
			{ host: '0.0.0.0', encrypted: false },
			file,
		);
		for (const value of [
			'Base URL:    http://127.0.0.1:3111/open-api',
			'from an n8n in Docker: http://host.docker.internal:3111/open-api',
			'--add-host=host.docker.internal:host-gateway',
			`ASP ID:      ${EMULATOR_CREDENTIAL.aspId}`,
			`Access Key:  ${EMULATOR_CREDENTIAL.accessKey}`,
			`Secret Key:  ${EMULATOR_CREDENTIAL.secretKey}`,
			`n8n import:credentials --input=${file}`,
			'test keys and data only',
		])
			expect(everywhere).toContain(value);
		const local = guide(
			'http://127.0.0.1:3111/open-api',
			{ host: '127.0.0.1', encrypted: false },
			file,
		);
		expect(local).not.toContain('docker');
		expect(local).not.toContain('test keys and data only');
		expect(local).toContain(`Secret Key:  ${EMULATOR_CREDENTIAL.secretKey}`);
	});
});
