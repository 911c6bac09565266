import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { signRequest } from '../nodes/Konaplate/auth/sign';
import {
	CREDENTIAL_LENGTHS,
	CREDENTIAL_TYPE,
	SANDBOX_BASE_URL,
} from '../nodes/Konaplate/wire/credentials';
import { ENDPOINT } from '../nodes/Konaplate/wire/endpoints';

const CHECK_KEYS = 'check the ASP ID, Access Key, Secret Key and Time Zone';

/**
 * Statuses the test request fails on, each with its message. 400 is Konaplate answering a
 * business error (member 1 does not exist), so the keys passed. 401 is left out on purpose:
 * n8n resends a request that failed with 401 once (every version), and nothing that
 * Konaplate refused is sent twice; a 401 fails through the body rule below instead.
 */
const FAILING_STATUSES = Array.from({ length: 198 }, (_, offset) => 402 + offset);

function statusMessage(status: number): string {
	if (status === 403) return `Konaplate refused these keys (HTTP 403): ${CHECK_KEYS}`;
	if (status === 404) return 'No Konaplate Open API at this address (HTTP 404): check the Base URL';
	if (status >= 500)
		return `Konaplate could not answer (HTTP ${status}): try again later; the keys were not checked`;
	return `Konaplate answered HTTP ${status}: check the Base URL`;
}

/**
 * Two kinds of rule, because n8n versions read the test request differently:
 * - n8n 2.11 and newer throw on the statuses in `except`; their tester then fails with the
 *   matching `responseCode` rule (or the HTTP status text).
 * - Older n8n (1.x up to 2.10) read any `ignoreHttpStatusErrors` object as "ignore every
 *   status": every answer arrives as a success, and only `responseSuccessBody` rules run.
 *   Every Konaplate answer that proves the keys carries `response.code`; an answer without it
 *   (a 401 page, a 404 page, a 500 page, another server) fails the test on every version.
 * n8n types `rules` as one kind per array, but both testers check each rule's own `type`.
 */
const TEST_RULES: Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> = [
	...FAILING_STATUSES.map(
		(status): IAuthenticateRuleResponseCode => ({
			type: 'responseCode',
			properties: { value: status, message: statusMessage(status) },
		}),
	),
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'response.code',
			value: undefined,
			message: `Konaplate refused these keys, or no Konaplate Open API answers at this address (no Konaplate response came back): ${CHECK_KEYS}, and the Base URL`,
		},
	},
];

export class KonaCredentials implements ICredentialType {
	name = CREDENTIAL_TYPE;

	displayName = 'Konaplate API';

	icon: Icon = { light: 'file:konaplate.svg', dark: 'file:konaplate.dark.svg' };

	documentationUrl = 'https://www.konaplate.com/en/developers/guidelines/credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Sandbox', value: 'sandbox', description: SANDBOX_BASE_URL },
				{
					name: 'Custom',
					value: 'custom',
					description:
						'UAT or production address from your Konaplate contract, or a local emulator',
				},
			],
			default: 'sandbox',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.konaplate.host/open-api',
			description: 'The Open API address up to and including /open-api, without a trailing slash',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'ASP ID',
			name: 'aspId',
			type: 'string',
			default: '',
			required: true,
			description: `Your affiliate ID (${CREDENTIAL_LENGTHS.aspId} characters), from the project's Credentials page`,
		},
		{
			displayName: 'Access Key',
			name: 'accessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: `The project's access key (${CREDENTIAL_LENGTHS.accessKey} characters)`,
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Issued with the access key. It signs every request and is never sent.',
		},
		{
			displayName: 'Time Zone',
			name: 'timeZone',
			type: 'options',
			options: [
				{ name: 'KST (UTC+9)', value: 'KST' },
				{ name: 'UTC', value: 'UTC' },
			],
			default: 'KST',
			description: 'The zone in which request times are written (X-KM-Time-Zone)',
		},
		{
			displayName: 'Crypto Key ID',
			name: 'cryptoKeyId',
			type: 'string',
			default: '',
			description: `Only for projects with data encryption on: the ${CREDENTIAL_LENGTHS.cryptoKeyId}-character crypto key ID. Leave empty to send plain JSON.`,
		},
		{
			displayName: 'Server Public Key',
			name: 'serverPublicKey',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			description:
				'The server key (PEM public key or certificate) downloaded for the crypto key ID; requests are encrypted with it',
			displayOptions: { hide: { cryptoKeyId: [''] } },
		},
		{
			displayName: 'Client Private Key',
			name: 'clientPrivateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			description:
				'The client private key (PEM) of the crypto key ID; encrypted responses are decrypted with it',
			displayOptions: { hide: { cryptoKeyId: [''] } },
		},
		{
			displayName: 'Ledger',
			name: 'ledger',
			type: 'options',
			options: [
				{
					name: "This Workflow (n8n's Store)",
					value: 'workflow',
					description:
						"Each workflow remembers its own References in n8n's deduplication store: no setup, for one n8n process. A copy of the workflow starts with an empty ledger.",
				},
				{
					name: 'Shared (PostgreSQL)',
					value: 'postgres',
					description:
						'One ledger for this Konaplate account, in the table konaplate_transfer_ledger: every workflow, copy, node and queue-mode worker using this credential sends a Reference at most once',
				},
			],
			default: 'workflow',
			description: 'Where transfers with a Reference are recorded so that none is sent twice',
		},
		{
			displayName: 'Ledger PostgreSQL URL',
			name: 'ledgerPostgresUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'postgres://user:password@host:5432/database?sslmode=require',
			description:
				'The database of the shared ledger, TLS as its sslmode says (disable, require, verify-ca, verify-full; none: no TLS). The user needs SELECT, INSERT, UPDATE and DELETE on konaplate_transfer_ledger, and CREATE on the schema if the table does not exist yet. The Test button checks the Konaplate keys only: the database is checked when a run first uses the ledger, and refused (LEDGER_UNAVAILABLE) naming what fails.',
			displayOptions: { show: { ledger: ['postgres'] } },
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return await signRequest(credentials, requestOptions);
	}

	// A read: looks up the auto-recharge account of member 1. Any Konaplate answer, even
	// "member not found" (HTTP 400), proves the keys. Which answers fail: see TEST_RULES.
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: ENDPOINT.accountInquiry,
			body: { userId: 1 },
			ignoreHttpStatusErrors: { ignore: true, except: FAILING_STATUSES },
			// Signed like every request: never sent on to wherever a redirect points
			disableFollowRedirect: true,
		},
		rules: TEST_RULES as ICredentialTestRequest['rules'],
	};
}
