import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { signRequest } from '../auth/sign';
import { checkLedgerDatabase } from '../ledger/postgres/check';
import { ENDPOINT } from '../wire/endpoints';
import { toJsonBody } from '../wire/json';
import { readKeyCheck } from '../wire/key-check';
import type { KonaplateCredential } from '../wire/credentials';
import { redirectHost } from './failures';
import { describeNoResponse } from './request';
import { credentialProblem, readSessionCredential } from './session';
import type { MessageCodec } from './session';

/** The name the node's `testedBy` gives this function (Konaplate.node.ts). */
export const CREDENTIAL_TEST = 'konaplateCredentialTest';

export const CONNECTED = 'Connection successful!';
export const LEDGER_READY = `${CONNECTED} The shared ledger's table konaplate_transfer_ledger is ready.`;

/** As long as the Test waits for Konaplate's answer. */
const TEST_TIMEOUT_MS = 20_000;

/** The member the look-up asks for: any answer of Konaplate's, even "member not found", proves the keys. */
const TEST_BODY = { userId: 1 };

interface LegacyAnswer {
	statusCode: number;
	body: unknown;
	headers: Record<string, unknown>;
}

const failed = (message: string): INodeCredentialTestResult => ({ status: 'Error', message });

/**
 * Sends the look-up signed as every request is, once: no redirect followed, no resend on 401, any
 * status read as an answer. Its endpoint's page marks the request plain (emulator/endpoints.ts),
 * so it goes plain with encryption keys too; an encrypted answer is opened with them.
 */
async function checkKeys(
	helpers: ICredentialTestFunctions['helpers'],
	credential: KonaplateCredential,
	codec: MessageCodec,
	data: ICredentialsDecrypted['data'],
): Promise<INodeCredentialTestResult | undefined> {
	const signed = await signRequest(data ?? {}, {
		method: 'POST',
		url: ENDPOINT.accountInquiry,
		body: toJsonBody(TEST_BODY),
	});
	const uri = `${credential.baseUrl}${ENDPOINT.accountInquiry}`;
	let answer: LegacyAnswer;
	try {
		answer = (await helpers.request({
			method: 'POST',
			uri,
			headers: signed.headers,
			body: signed.body,
			json: false,
			simple: false,
			resolveWithFullResponse: true,
			followRedirect: false,
			followAllRedirects: false,
			timeout: TEST_TIMEOUT_MS,
		})) as LegacyAnswer;
	} catch (error) {
		const failure = describeNoResponse(error, TEST_TIMEOUT_MS);
		return failed(
			failure.kind === 'none'
				? `${failure.message}: check the Base URL; the keys were not checked`
				: `Konaplate answered HTTP ${failure.status} with ${failure.received}; the keys were not checked`,
		);
	}
	const location = answer.headers.location;
	const verdict = readKeyCheck(
		{
			status: answer.statusCode,
			text: typeof answer.body === 'string' ? answer.body : '',
			redirectTarget: redirectHost(typeof location === 'string' ? location : undefined, uri),
		},
		(value) => codec.open(value),
	);
	return verdict.ok ? undefined : failed(verdict.message);
}

/**
 * The credential's Test button (the node's `testedBy`): the keys with one signed read, then, when
 * the Ledger is Shared (PostgreSQL), the database: connected, the table there or created, and the
 * user's privileges on it. n8n runs a credential's declarative `test` in preference to a node's
 * function, and a declarative test cannot open a database, so the credential has none.
 */
export async function konaplateCredentialTest(
	this: ICredentialTestFunctions,
	decrypted: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let read: ReturnType<typeof readSessionCredential>;
	try {
		read = readSessionCredential(decrypted.data ?? {});
	} catch (error) {
		return failed(
			credentialProblem(error) ??
				`The credential could not be read: ${error instanceof Error ? error.name : 'an error'}`,
		);
	}
	const { credential, codec } = read;
	const keys = await checkKeys(this.helpers, credential, codec, decrypted.data);
	if (keys !== undefined) return keys;
	if (credential.ledger.kind !== 'postgres') return { status: 'OK', message: CONNECTED };
	const ledger = await checkLedgerDatabase(credential.ledger.url);
	return ledger.ok
		? { status: 'OK', message: LEDGER_READY }
		: failed(`The Konaplate keys work. ${ledger.message}`);
}
