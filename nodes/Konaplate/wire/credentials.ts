import { isTimeZoneCode } from './clock';
import type { TimeZoneCode } from './clock';

/** The credential type's name: the node, the credential and n8n's HTTP helpers name it so. */
export const CREDENTIAL_TYPE = 'konaCredentials';

export const SANDBOX_BASE_URL = 'https://sandbox.konaplate.com/open-api';

/** Lengths Konaplate documents for the values that travel in headers. */
export const CREDENTIAL_LENGTHS = { aspId: 15, accessKey: 40, cryptoKeyId: 32 } as const;

/** A credential's values, checked: what signing and encryption read. */
export interface KonaplateCredential {
	baseUrl: string;
	aspId: string;
	accessKey: string;
	secretKey: string;
	timeZone: TimeZoneCode;
	/** Set only when the project exchanges encrypted messages. */
	encryption?: { cryptoKeyId: string; serverPublicKey: string; clientPrivateKey: string };
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
