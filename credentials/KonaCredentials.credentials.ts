import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { signRequest } from '../nodes/Konaplate/transport/sign';
import { CREDENTIAL_LENGTHS, SANDBOX_BASE_URL } from '../nodes/Konaplate/wire/credentials';

/** Every HTTP status above 400 fails the test; 400 is Konaplate answering a business error, so the keys passed. */
const REFUSED_STATUSES = Array.from({ length: 199 }, (_, offset) => 401 + offset);

export class KonaCredentials implements ICredentialType {
	name = 'konaCredentials';

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
					description: 'UAT or production address from your Konaplate contract, or a local emulator',
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
			description: 'The server key (PEM public key or certificate) downloaded for the crypto key ID; requests are encrypted with it',
			displayOptions: { hide: { cryptoKeyId: [''] } },
		},
		{
			displayName: 'Client Private Key',
			name: 'clientPrivateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			description: 'The client private key (PEM) of the crypto key ID; encrypted responses are decrypted with it',
			displayOptions: { hide: { cryptoKeyId: [''] } },
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return await signRequest(credentials, requestOptions);
	}

	// A read: looks up the auto-recharge account of member 1. Any Konaplate answer, even
	// "member not found" (HTTP 400), proves the keys; 401/403 means they were refused.
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '/api/v1/bankaccounts/inquiry',
			body: { userId: 1 },
			ignoreHttpStatusErrors: { ignore: true, except: REFUSED_STATUSES },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Konaplate refused these keys (HTTP 401): check the ASP ID, Access Key, Secret Key and Time Zone',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'Konaplate refused these keys (HTTP 403): check the ASP ID, Access Key, Secret Key and Time Zone',
				},
			},
			{
				type: 'responseCode',
				properties: { value: 404, message: 'No Konaplate Open API at this address (HTTP 404): check the Base URL' },
			},
		],
	};
}
