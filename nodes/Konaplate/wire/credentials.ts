import { isTimeZoneCode } from './clock';
import type { TimeZoneCode } from './clock';

/** The credential type's name: the node, the credential and n8n's HTTP helpers name it so. */
export const CREDENTIAL_TYPE = 'konaCredentials';

export const SANDBOX_BASE_URL = 'https://sandbox.konaplate.com/open-api';

/** Lengths Konaplate documents for the values that travel in headers. */
export const CREDENTIAL_LENGTHS = { aspId: 15, accessKey: 40, cryptoKeyId: 32 } as const;

/**
 * Where transfers with a Reference are recorded: the workflow's own ledger in n8n's
 * deduplication store, or the account's table in PostgreSQL, shared by every workflow, node and
 * worker that uses the credential.
 */
export type LedgerChoice = { kind: 'workflow' } | { kind: 'postgres'; url: string };

/** The credential's Ledger options (saved credentials name these values). */
export const LEDGER_KINDS = ['workflow', 'postgres'] as const;

/** A credential's values, checked: what signing, encryption and the ledger read. */
export interface KonaplateCredential {
	baseUrl: string;
	aspId: string;
	accessKey: string;
	secretKey: string;
	timeZone: TimeZoneCode;
	/** Set only when the project exchanges encrypted messages. */
	encryption?: { cryptoKeyId: string; serverPublicKey: string; clientPrivateKey: string };
	ledger: LedgerChoice;
}

/** A problem with the credential itself; its message names the field and never holds a secret. */
export class KonaCredentialError extends Error {}

function text(data: Record<string, unknown>, key: string): string {
	const value = data[key];
	return typeof value === 'string' ? value : '';
}

/** A key copied with a space or line break in it is the commonest paste mistake: say so. */
function exactToken(
	data: Record<string, unknown>,
	key: string,
	label: string,
	length?: number,
): string {
	const value = text(data, key);
	if (value === '') {
		throw new KonaCredentialError(
			`${label} is empty: copy it from your Konaplate project's Credentials page`,
		);
	}
	if (/\s/.test(value)) {
		throw new KonaCredentialError(
			`${label} contains a space or line break: paste it again without spaces before or after it`,
		);
	}
	// Keys are issued in printable ASCII; anything else (a full-width letter, an invisible control
	// or zero-width character) is a paste accident, and most of them cannot travel in an HTTP header
	if (!/^[\x21-\x7e]+$/.test(value)) {
		throw new KonaCredentialError(
			`${label} contains a character that is not a printable ASCII letter, digit or symbol (such as a full-width or invisible character): type or paste it again`,
		);
	}
	if (length !== undefined && value.length !== length) {
		throw new KonaCredentialError(
			`${label} has ${value.length} characters; Konaplate issues it with exactly ${length}: check it was copied whole`,
		);
	}
	return value;
}

function baseUrl(data: Record<string, unknown>): string {
	if (text(data, 'environment') !== 'custom') return SANDBOX_BASE_URL;
	const raw = text(data, 'baseUrl').trim();
	if (!URL.canParse(raw)) {
		throw new KonaCredentialError(
			'Base URL is not a URL: give the address Konaplate gave you, e.g. https://…/open-api',
		);
	}
	const url = new URL(raw);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new KonaCredentialError(
			'Base URL must start with https:// (or http:// for a local emulator)',
		);
	}
	return raw.replace(/\/+$/, '');
}

const LEDGER_URL_FORM =
	'postgres://user:password@host:5432/database (add ?sslmode=require for TLS)';

/**
 * The Ledger choice; a PostgreSQL URL is checked for its form only (the database is the
 * ledger's to reach). Its messages never quote the URL: it holds a password.
 */
function ledgerChoice(data: Record<string, unknown>): LedgerChoice {
	const kind = data.ledger ?? 'workflow';
	if (kind === 'workflow') return { kind };
	if (kind !== 'postgres') throw new KonaCredentialError('Ledger must be workflow or postgres');
	const url = text(data, 'ledgerPostgresUrl').trim();
	if (url === '')
		throw new KonaCredentialError(`Ledger PostgreSQL URL is empty: give ${LEDGER_URL_FORM}`);
	if (!URL.canParse(url))
		throw new KonaCredentialError(`Ledger PostgreSQL URL is not a URL: give ${LEDGER_URL_FORM}`);
	const parsed = new URL(url);
	if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
		throw new KonaCredentialError(
			`Ledger PostgreSQL URL must start with postgres:// (or postgresql://): ${LEDGER_URL_FORM}`,
		);
	if (parsed.hostname === '' || parsed.pathname.replace(/^\//, '') === '')
		throw new KonaCredentialError(
			`Ledger PostgreSQL URL must name a host and a database: ${LEDGER_URL_FORM}`,
		);
	return { kind: 'postgres', url };
}

/** Checks a decrypted KonaCredentials record before anything is signed or sent. */
export function readCredential(data: Record<string, unknown>): KonaplateCredential {
	const timeZone = data.timeZone ?? 'KST';
	if (!isTimeZoneCode(timeZone)) {
		throw new KonaCredentialError('Time Zone must be KST or UTC');
	}
	const credential: KonaplateCredential = {
		baseUrl: baseUrl(data),
		aspId: exactToken(data, 'aspId', 'ASP ID', CREDENTIAL_LENGTHS.aspId),
		accessKey: exactToken(data, 'accessKey', 'Access Key', CREDENTIAL_LENGTHS.accessKey),
		secretKey: exactToken(data, 'secretKey', 'Secret Key'),
		timeZone,
		ledger: ledgerChoice(data),
	};
	if (text(data, 'cryptoKeyId').trim() !== '') {
		credential.encryption = {
			cryptoKeyId: exactToken(data, 'cryptoKeyId', 'Crypto Key ID', CREDENTIAL_LENGTHS.cryptoKeyId),
			serverPublicKey: text(data, 'serverPublicKey'),
			clientPrivateKey: text(data, 'clientPrivateKey'),
		};
		if (credential.encryption.serverPublicKey.trim() === '') {
			throw new KonaCredentialError(
				'Server Public Key is empty: with a Crypto Key ID set, paste the server key (or certificate) downloaded for that key ID',
			);
		}
	}
	return credential;
}
