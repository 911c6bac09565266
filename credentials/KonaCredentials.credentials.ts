import type {
	ICredentialDataDecryptedObject,
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

/**
 * The Konaplate account: keys, environment, encryption keys and ledger. Its Test button is the
 * node's `testedBy` (nodes/Konaplate/transport/credential-test.ts): the keys with one signed read
 * and, for the shared ledger, the database. The class has no declarative `test` on purpose: n8n
 * would run it instead of the node's function, and one HTTP request cannot open a database.
 */
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
				'The database of the shared ledger, TLS as its sslmode says (disable, require, verify-ca, verify-full; none: no TLS). The user needs SELECT, INSERT, UPDATE and DELETE on konaplate_transfer_ledger, and CREATE on the schema if the table does not exist yet. The Test button checks the keys, then connects, creates the table when missing and checks these privileges, saying which step fails.',
			displayOptions: { show: { ledger: ['postgres'] } },
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return await signRequest(credentials, requestOptions);
	}
}
