// The operations through n8n's engine with message encryption on (JWE both ways), against the encrypting emulator.
import { createPrivateKey } from 'node:crypto';
import { join } from 'node:path';

import {
	emulatorKeyFile,
	EMULATOR_CRYPTO_KEY_ID,
	encryptionCredentialFields,
} from '../emulator/keys';
import { PACKAGE_ROOT } from '../scripts/engine/engine';
import {
	emulatorCredential,
	NO_ENCRYPTION,
	useEncryptedEmulator,
	useKonaplate,
	withNode,
	WORKFLOWS,
} from './helpers/konaplate';
import { CARDS } from '../emulator/server';
import { MAIN_TO_SECOND, MEMBER } from '../emulator/data';
import { CREDENTIAL_TYPE } from '../nodes/Konaplate/wire/credentials';

const keyFile = emulatorKeyFile;
const CRYPTO_KEY_ID = EMULATOR_CRYPTO_KEY_ID;
const ENCRYPTION = encryptionCredentialFields();
const TRANSFER_ITEM = {
	...MAIN_TO_SECOND,
	amount: 700,
};

const plain = useKonaplate();
const encrypted = useEncryptedEmulator(plain);

describe('both operations with message encryption on', () => {
	it('transfers: the body goes as a JWE envelope signed as sent, and the encrypted answer is read', async () => {
		const { success, error } = await encrypted.output(WORKFLOWS.transfer, [TRANSFER_ITEM]);
		expect(error).toBeUndefined();
		expect(success[0].json).toMatchObject({
			transferred: true,
			amount: 700,
			fromCardNo: '949133******0765',
		});
		const [request] = encrypted.emulator.accepted('/api/v1/transfer/balance');
		expect(request.encrypted).toBe(true);
		expect(request.headers['x-km-crypto-key-id']).toBe(CRYPTO_KEY_ID);
		expect(request.rawBody).toMatch(
			/^\{"encData":"eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMTI4R0NNIn0\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+"\}$/,
		);
		expect(request.rawBody).not.toContain(CARDS.main);
	});

	it('deletes a bank account encrypted, with a fresh content key per request', async () => {
		const { success } = await encrypted.output(WORKFLOWS.delete, [
			{ userId: MEMBER },
			{ userId: '1234567890123456789' },
		]);
		expect(success.map((item) => item.json.deleted)).toEqual([true, true]);
		const [first, second] = encrypted.emulator.accepted('/api/v1/bankaccounts/delete');
		expect(first.encrypted && second.encrypted).toBe(true);
		expect(first.rawBody.split('.')[1]).not.toBe(second.rawBody.split('.')[1]);
		expect(encrypted.emulator.members.get('1234567890123456789')?.bankAccount).toBeNull();
	});

	it('reads an encrypted error answer into a NodeApiError with its code', async () => {
		const { error } = await encrypted.output(WORKFLOWS.transfer, [
			{ ...TRANSFER_ITEM, fromCardNo: CARDS.empty },
		]);
		expect(error?.message).toBe('005_017: Possible collection balance is zero.');
		expect(encrypted.emulator.requests[0].code).toBe('005_017');
	});

	it('accepts a plain answer in encrypted mode', async () => {
		encrypted.emulator.script = () => ({
			status: 200,
			body: '{"response":{"code":"000_000","description":"Success."},"amount":700}',
		});
		const { success } = await encrypted.output(WORKFLOWS.transfer, [TRANSFER_ITEM]);
		expect(success[0].json.amount).toBe(700);
	});

	it('refuses plain requests when the project requires encryption (the emulator answers 000_002 encData)', async () => {
		const { error } = await encrypted.output(WORKFLOWS.transfer, [TRANSFER_ITEM], NO_ENCRYPTION);
		expect(error?.message).toBe('000_002: Invalid input parameter. encData');
	});

	it.each([
		['without a Client Private Key', '', 'the credential has no Client Private Key to read it'],
		[
			'with a private key that does not fit',
			keyFile('server.key.pem'),
			'could not be decrypted with the Client Private Key',
		],
	])(
		'an encrypted answer read %s: a clear error, never a success',
		async (_label, clientPrivateKey, reason) => {
			const { error, success } = await encrypted.output(WORKFLOWS.transfer, [TRANSFER_ITEM], {
				clientPrivateKey,
			});
			expect(success).toHaveLength(0);
			expect(error?.message).toBe("Konaplate's answer could not be read (HTTP 200)");
			expect(error?.description).toContain(reason);
			expect(error?.description).toContain('The transfer may or may not have happened');
		},
	);

	it('keys pasted with literal \\n and a PKCS#1 private key work the same', async () => {
		const pkcs1 = createPrivateKey(keyFile('client.key.pem')).export({
			type: 'pkcs1',
			format: 'pem',
		}) as string;
		const credential = {
			...ENCRYPTION,
			serverPublicKey: ENCRYPTION.serverPublicKey.replace(/\n/g, '\\n'),
			clientPrivateKey: pkcs1.replace(/\n/g, '\\n'),
		};
		const { success } = await encrypted.output(WORKFLOWS.transfer, [TRANSFER_ITEM], credential);
		expect(success).toHaveLength(1);
	});

	it('a malformed key stops the node before any request, naming the field', async () => {
		const { error } = await encrypted.output(WORKFLOWS.transfer, [TRANSFER_ITEM], {
			serverPublicKey: 'not a key',
		});
		expect(error?.message).toMatch(
			/^Konaplate credential: Server Public Key is not a PEM public key or certificate/,
		);
		expect(encrypted.emulator.requests).toHaveLength(0);
	});

	it('the credential test reports a malformed key before any request', async () => {
		const result = await plain.engine.testCredential(
			CREDENTIAL_TYPE,
			emulatorCredential(encrypted.emulator, {
				...ENCRYPTION,
				clientPrivateKey: keyFile('client.pub.pem'),
			}),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Client Private Key is a public key/);
		expect(encrypted.emulator.requests).toHaveLength(0);
	});

	it('the credential test with encryption keys: its look-up plain, as its page marks it, the keys accepted', async () => {
		const result = await plain.engine.testCredential(
			CREDENTIAL_TYPE,
			emulatorCredential(encrypted.emulator, ENCRYPTION),
		);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(encrypted.emulator.requests).toHaveLength(1);
		expect(encrypted.emulator.requests[0]).toMatchObject({
			encrypted: false,
			code: '001_006',
			rawBody: '{"userId":1}',
		});
	});

	it('plain JSON when the Crypto Key ID is empty, as before', async () => {
		const { success } = await plain.output(WORKFLOWS.transfer, [TRANSFER_ITEM]);
		expect(success).toHaveLength(1);
		expect(plain.emulator.requests[0].rawBody).toBe(
			`{"userId":${MEMBER},"fromCardNo":"${CARDS.main}","toCardNo":"${CARDS.second}","amount":700}`,
		);
		expect(plain.emulator.requests[0].headers['x-km-crypto-key-id']).toBeUndefined();
	});

	it('parses the key material once per execution, not once per item', async () => {
		// The engine runs dist/, so spy on the compiled module the node itself calls into.
		const keys = (await import(
			join(PACKAGE_ROOT, 'dist', 'nodes', 'Konaplate', 'wire', 'keys.js')
		)) as typeof import('../nodes/Konaplate/wire/keys');
		// parseKeyPair parses both PEM keys; every caller goes through it.
		const parse = jest.spyOn(keys, 'parseKeyPair');
		try {
			const items = Array.from({ length: 5 }, () => ({ ...TRANSFER_ITEM, amount: 10 }));
			const { success } = await encrypted.output(WORKFLOWS.transfer, items);
			expect(success).toHaveLength(5);
			expect(parse).toHaveBeenCalledTimes(1);
			expect(parse.mock.results[0].value).toMatchObject({
				serverKey: expect.anything(),
				clientKey: expect.anything(),
			});
		} finally {
			parse.mockRestore();
		}
	});

	it('continue-on-fail with encryption keeps the code in the error item', async () => {
		const workflow = withNode(WORKFLOWS.transfer, { onError: 'continueErrorOutput' });
		const { success, errors } = await encrypted.output(workflow, [
			TRANSFER_ITEM,
			{ ...TRANSFER_ITEM, amount: 90_000 },
		]);
		expect(success).toHaveLength(1);
		expect((errors[0].json.error as { code: string }).code).toBe('005_018');
	});
});
