/**
 * The credential's Ledger fields (public names: saved credentials depend on them) and how
 * wire/credentials.ts reads them: never quoting the URL, which holds a password.
 */
import { KonaCredentials } from '../credentials/KonaCredentials.credentials';
import { KonaCredentialError, readCredential } from '../nodes/Konaplate/wire/credentials';

const KEYS = {
	aspId: 'ASP000000000001',
	accessKey: 'a'.repeat(40),
	secretKey: 'secret',
	timeZone: 'KST',
};

describe('the Ledger fields', () => {
	const properties = new KonaCredentials().properties;
	const field = (name: string) => properties.find((property) => property.name === name);

	it('offer workflow (default) and postgres, and a password URL shown only for postgres', () => {
		expect(field('ledger')).toMatchObject({
			type: 'options',
			default: 'workflow',
			options: [
				{ name: "This Workflow (n8n's Store)", value: 'workflow' },
				{ name: 'Shared (PostgreSQL)', value: 'postgres' },
			],
		});
		expect(field('ledgerPostgresUrl')).toMatchObject({
			type: 'string',
			typeOptions: { password: true },
			displayOptions: { show: { ledger: ['postgres'] } },
		});
	});
});

describe('reading the Ledger', () => {
	it('is the workflow ledger when unset (credentials saved before) or workflow', () => {
		expect(readCredential(KEYS).ledger).toEqual({ kind: 'workflow' });
		expect(readCredential({ ...KEYS, ledger: 'workflow', ledgerPostgresUrl: 'x' }).ledger).toEqual({
			kind: 'workflow',
		});
	});

	it('is the shared ledger with its URL', () => {
		const url = 'postgresql://clerk:p%40ss@db.internal:6432/payouts?sslmode=verify-full';
		expect(
			readCredential({ ...KEYS, ledger: 'postgres', ledgerPostgresUrl: ` ${url} ` }).ledger,
		).toEqual({ kind: 'postgres', url });
	});

	it.each([
		['', 'Ledger PostgreSQL URL is empty'],
		['//clerk:Pw-123@db/payouts', 'Ledger PostgreSQL URL is not a URL'],
		['mysql://clerk:Pw-123@db/payouts', 'Ledger PostgreSQL URL must start with postgres://'],
		['postgres://clerk:Pw-123@db', 'Ledger PostgreSQL URL must name a host and a database'],
	])('refuses %j, naming the field and never the URL', (url, message) => {
		const read = () => readCredential({ ...KEYS, ledger: 'postgres', ledgerPostgresUrl: url });
		expect(read).toThrow(KonaCredentialError);
		expect(read).toThrow(message);
		const error = (() => {
			try {
				read();
			} catch (thrown) {
				return thrown as Error;
			}
		})();
		expect(error?.message).not.toContain('Pw-123');
	});

	it('refuses a Ledger it does not know', () => {
		expect(() => readCredential({ ...KEYS, ledger: 'redis' })).toThrow(
			'Ledger must be workflow or postgres',
		);
	});
});
