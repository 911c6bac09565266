import type { KeyObject } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { CORRELATION_ID_PATTERN, correlationId, requestStamp, systemClock } from '../wire/clock';
import type { Clock } from '../wire/clock';
import { readCredential } from '../wire/credentials';
import type { KonaplateCredential } from '../wire/credentials';
import { checkKeyPair } from '../wire/keys';
import { HEADER, hmacKey, signedHeaders } from '../wire/signing';

/** The HTTP Request node hands over legacy options (`uri`, objects as bodies); the node, `url` + a string body. */
type AnyRequestOptions = IHttpRequestOptions & { uri?: string; json?: boolean };

/** Serialises the body once if it is still an object; the returned string is what is signed and sent. */
function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (
		typeof body === 'object' &&
		(Array.isArray(body) || Object.getPrototypeOf(body) === Object.prototype)
	) {
		return JSON.stringify(body);
	}
	throw new Error('Konaplate requests carry a JSON body: send the body as JSON (or raw JSON text)');
}

function withoutHeaders(headers: IDataObject, names: string[]): IDataObject {
	const drop = new Set(names.map((name) => name.toLowerCase()));
	return Object.fromEntries(
		Object.entries(headers).filter(([name]) => !drop.has(name.toLowerCase())),
	);
}

function findHeader(headers: IDataObject, name: string): string | undefined {
	const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase());
	return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

const checked = new WeakMap<
	ICredentialDataDecryptedObject,
	{ fields: Array<[string, unknown]>; credential: KonaplateCredential; key: KeyObject }
>();

/**
 * The credential, checked once per decrypted record: n8n hands the node's run the same record for
 * every request, and checking it (the Base URL's normal form above all) cost more than signing. A
 * record whose fields changed since (any of them) is checked again.
 */
function credentialOf(data: ICredentialDataDecryptedObject): {
	credential: KonaplateCredential;
	key: KeyObject;
} {
	const fields = Object.entries(data);
	const known = checked.get(data);
	if (
		known?.fields.length === fields.length &&
		known.fields.every(([key, value], at) => fields[at][0] === key && fields[at][1] === value)
	)
		return known;
	const credential = readCredential(data);
	const entry = { fields, credential, key: hmacKey(credential.secretKey) };
	checked.set(data, entry);
	return entry;
}

/**
 * The credential's authenticate step: sets every X-KM-* header over the exact body that is
 * sent. A correlation id already set by the caller is kept, so the node can quote it even
 * when no answer comes back.
 */
export async function signRequest(
	data: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
	clock: Clock = systemClock,
): Promise<IHttpRequestOptions> {
	const { credential, key } = credentialOf(data);
	const request = options as AnyRequestOptions;
	const body = bodyText(request.body);
	const given: IDataObject = request.headers ?? {};
	// Every caller (the node, the credential test, the HTTP Request node) learns of a malformed
	// key before anything is sent; keys already read are not parsed again.
	if (credential.encryption !== undefined) checkKeyPair(credential.encryption);
	const stamp = requestStamp(clock.now(), credential.timeZone);
	const keptCorrelationId = findHeader(given, HEADER.correlationId);

	const headers = withoutHeaders(given, [
		HEADER.aspId,
		HEADER.accessKey,
		HEADER.correlationId,
		HEADER.tranTime,
		HEADER.timeZone,
		HEADER.tranToken,
	]);
	if (findHeader(headers, 'content-type') === undefined)
		headers['Content-Type'] = 'application/json';
	if (findHeader(headers, 'accept') === undefined) headers.Accept = 'application/json';

	const signed: AnyRequestOptions = {
		...request,
		body,
		headers: {
			...headers,
			...signedHeaders({
				aspId: credential.aspId,
				accessKey: credential.accessKey,
				secretKey: key,
				timeZone: credential.timeZone,
				stamp,
				correlationId:
					keptCorrelationId !== undefined && CORRELATION_ID_PATTERN.test(keptCorrelationId)
						? keptCorrelationId
						: correlationId(stamp, clock.randomHex7()),
				body,
			}),
		},
	};
	const relative =
		request.uri === undefined &&
		request.baseURL === undefined &&
		!/^https?:\/\//i.test(request.url ?? '');
	if (relative) signed.baseURL = credential.baseUrl;
	return signed;
}
