// npm run bench's floor: the node's signed requests sent by a bare keep-alive client.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

import type { IDataObject } from 'n8n-workflow';

import { EMULATOR_CREDENTIAL_FILE } from '../../emulator/data';
import { encryptionCredentialFields } from '../../emulator/keys';
import { correlationId, requestStamp } from '../../nodes/Konaplate/wire/clock';
import { decryptJwe, encryptJwe } from '../../nodes/Konaplate/wire/jwe';
import { JsonInteger, toJsonBody } from '../../nodes/Konaplate/wire/json';
import { parseKeyPair } from '../../nodes/Konaplate/wire/keys';
import { HEADER, signedHeaders } from '../../nodes/Konaplate/wire/signing';

/** The floor: the same signed requests from a bare keep-alive client, one after the other. */
export async function floor(url: URL, items: IDataObject[], encrypted: boolean): Promise<void> {
	const { aspId, accessKey, secretKey } = EMULATOR_CREDENTIAL_FILE[0].data;
	const keys = encrypted ? encryptionCredentialFields() : undefined;
	const { serverKey, clientKey } = keys
		? parseKeyPair(keys)
		: { serverKey: undefined, clientKey: undefined };
	const agent = new Agent({ keepAlive: true, maxSockets: 1 });
	for (const item of items) {
		const plain = toJsonBody({ ...item, userId: new JsonInteger(String(item.userId)) } as never);
		const body = serverKey
			? toJsonBody({ encData: encryptJwe(plain, serverKey, randomBytes) })
			: plain;
		const stamp = requestStamp(new Date(), 'KST');
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			Accept: 'application/json',
			...signedHeaders({
				aspId,
				accessKey,
				secretKey,
				timeZone: 'KST',
				stamp,
				correlationId: correlationId(stamp, randomBytes(4).toString('hex').slice(0, 7)),
				body,
			}),
		};
		if (keys) headers[HEADER.cryptoKeyId] = keys.cryptoKeyId;
		const text = await new Promise<string>((resolve, reject) => {
			const req = request(url, { method: 'POST', agent, headers }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
			});
			req.on('error', reject);
			req.end(body);
		});
		let answer = JSON.parse(text) as { encData?: string; response?: { code?: string } };
		if (answer.encData !== undefined && clientKey)
			answer = JSON.parse(decryptJwe(answer.encData, clientKey));
		if (answer.response?.code !== '000_000') throw new Error(`floor: ${text.slice(0, 200)}`);
	}
	agent.destroy();
}
