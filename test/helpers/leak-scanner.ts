// The leak scanner: secrets (card numbers, keys, Tran-Tokens) in any text a run produced.
import { inspect } from 'node:util';

/* The leak scanner: finds secrets (card numbers, keys, tokens) in any text a run produced. */

export interface Secret {
	/** What the secret is, for the report; never the secret itself. */
	label: string;
	value: string;
}

export interface Leak {
	secret: string;
	where: string;
}

/** A card number, the forms that would show more than its first 6 and last 4 digits. */
export function cardSecrets(cardNo: string): Secret[] {
	const masked = `${cardNo.slice(0, 6)}…${cardNo.slice(-4)}`;
	return [
		{ label: `card ${masked}`, value: cardNo },
		{ label: `card ${masked} (first 12 digits)`, value: cardNo.slice(0, 12) },
		{ label: `card ${masked} (last 10 digits)`, value: cardNo.slice(-10) },
	];
}

/** Every line of a PEM body that is long enough to be the key's own material. */
export function pemSecrets(label: string, pem: string): Secret[] {
	return pem
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line.length >= 16 && !line.startsWith('-----'))
		.map((line, index) => ({ label: `${label} line ${index + 1}`, value: line }));
}

/** An X-KM-Tran-Token as sent, and its HMAC part on its own. */
export function tranTokenSecrets(token: string): Secret[] {
	const mac = token.split(':')[2] ?? '';
	return [
		{ label: 'X-KM-Tran-Token', value: token },
		...(mac.length >= 16 ? [{ label: 'X-KM-Tran-Token HMAC', value: mac }] : []),
	];
}

/**
 * Everything reachable from a value, as text: JSON for the plain parts, and a full inspection
 * that also shows non-enumerable properties (an error's `cause`, `stack`) and nested request
 * options, where an HTTP layer keeps its headers.
 */
export function everything(value: unknown): string {
	let json = '';
	try {
		json = JSON.stringify(value) ?? '';
	} catch (error) {
		json = `(JSON.stringify failed: ${(error as Error).message})`;
	}
	const inspected = inspect(value, {
		depth: 40,
		showHidden: true,
		maxArrayLength: Number.POSITIVE_INFINITY,
		maxStringLength: Number.POSITIVE_INFINITY,
		breakLength: Number.POSITIVE_INFINITY,
		getters: false,
	});
	return `${json}\n${inspected}`;
}

/** Finds each secret in a text, as written and with spaces, dashes and line breaks taken out. */
export function findLeaks(text: string, secrets: Secret[], where: string): Leak[] {
	const squeezed = text.replace(/[\s-]+/g, '');
	// inspect() escapes quotes and backslashes inside strings; JSON escapes slashes only when asked
	const unescaped = text.replace(/\\(["'\\/])/g, '$1');
	return secrets
		.filter(
			({ value }) =>
				value !== '' &&
				(text.includes(value) ||
					squeezed.includes(value.replace(/[\s-]+/g, '')) ||
					unescaped.includes(value)),
		)
		.map(({ label }) => ({ secret: label, where }));
}
