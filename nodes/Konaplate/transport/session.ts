import { randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { NodeOperationError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteFunctions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { systemClock } from '../wire/clock';
import type { Clock } from '../wire/clock';
import { KonaCredentialError, readCredential } from '../wire/credentials';
import type { KonaplateCredential } from '../wire/credentials';
import { decryptJwe, encryptJwe, KonaJweError } from '../wire/jwe';
import { toJsonBody } from '../wire/json';
import { KonaKeyError, parseKeyPair } from '../wire/keys';
import { parseJson } from '../wire/response';
import { ok, refuse } from '../wire/result';
import type { Result } from '../wire/result';
import { HEADER } from '../wire/signing';

/** How a request body leaves and a response body arrives: plain JSON, or JWE both ways. */
export interface MessageCodec {
	seal(json: string): { body: string; headers: Record<string, string> };
	open(value: unknown): Result<unknown>;
}

/** What one execution reads once and every item reuses. */
export interface Session {
	credential: KonaplateCredential;
	/** The decrypted credential as n8n gave it, handed back to n8n's HTTP helper so it is not read again per request. */
	decrypted: ICredentialsDecrypted;
	codec: MessageCodec;
	clock: Clock;
	timeoutMs: number;
}

function encData(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const field = (value as Record<string, unknown>).encData;
	return typeof field === 'string' ? field : undefined;
}

function decrypted(compact: string, privateKey: KeyObject | undefined): Result<unknown> {
	if (privateKey === undefined) {
		return refuse(
			'an encrypted response, but the credential has no Client Private Key to read it: paste the client private key of the crypto key ID into the credential',
		);
	}
	let plain: string;
	try {
		plain = decryptJwe(compact, privateKey);
	} catch (error) {
		return refuse(
			error instanceof KonaJweError
				? error.message
				: 'an encrypted response that could not be decrypted',
		);
	}
	const parsed = parseJson(plain);
	return parsed.ok ? parsed : refuse(`an encrypted response that decrypts to ${parsed.reason}`);
}

export const plainCodec: MessageCodec = {
	seal: (json) => ({ body: json, headers: {} }),
	open: (value) => {
		const compact = encData(value);
		return compact === undefined ? ok(value) : decrypted(compact, undefined);
	},
};

/** JWE both ways; keys are read here, once per execution, never per item. */
export function jweCodec(
	encryption: NonNullable<KonaplateCredential['encryption']>,
	random: (bytes: number) => Buffer = randomBytes,
): MessageCodec {
	const { serverKey, clientKey } = parseKeyPair(encryption);
	return {
		seal: (json) => ({
			body: toJsonBody({ encData: encryptJwe(json, serverKey, random) }),
			headers: { [HEADER.cryptoKeyId]: encryption.cryptoKeyId },
		}),
		open: (value) => {
			const compact = encData(value);
			return compact === undefined ? ok(value) : decrypted(compact, clientKey);
		},
	};
}

/** What sends to Konaplate: a node's run, or the editor loading a list (actions/card/cardChoices.ts). */
export type KonaplateContext = IExecuteFunctions | ILoadOptionsFunctions;

/** Reads and checks the credential and keys once per execution; a problem stops the node before any request. */
export async function openSession(
	ctx: KonaplateContext,
	credentialType: string,
	timeoutMs: number,
	clock: Clock = systemClock,
): Promise<Session> {
	const data = await ctx.getCredentials(credentialType);
	const details = ctx.getNode().credentials?.[credentialType];
	const decrypted: ICredentialsDecrypted = {
		id: details?.id ?? '',
		name: details?.name ?? '',
		type: credentialType,
		data,
	};
	try {
		return { ...readSessionCredential(data), decrypted, clock, timeoutMs };
	} catch (error) {
		const problem = credentialProblem(error);
		throw new NodeOperationError(
			ctx.getNode(),
			problem === undefined ? (error as Error) : `Konaplate credential: ${problem}`,
			{ description: 'Fix the Konaplate API credential; nothing was sent.' },
		);
	}
}

/** The credential checked and its codec chosen; throws on a credential or key a person must fix. */
export function readSessionCredential(
	data: ICredentialDataDecryptedObject,
): Pick<Session, 'credential' | 'codec'> {
	const credential = readCredential(data);
	return {
		credential,
		codec: credential.encryption ? jweCodec(credential.encryption) : plainCodec,
	};
}

/** A credential's problem in words for a person, or undefined for an error of another kind. */
export function credentialProblem(error: unknown): string | undefined {
	return error instanceof KonaCredentialError || error instanceof KonaKeyError
		? error.message
		: undefined;
}
