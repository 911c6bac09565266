import { CHECK_KEYS, KEY_CHECK_MESSAGE, readKeyCheck } from '../nodes/Konaplate/wire/key-check';
import { ok, refuse } from '../nodes/Konaplate/wire/result';

// The credential Test's verdict on its one answer, without n8n: status, Location and body in.
const plain = (value: unknown) => ok(value);
const KONAPLATE_400 = '{"response":{"code":"001_006","message":"Member not found."}}';
const NOT_KONAPLATE = `Konaplate refused these keys, or no Konaplate Open API answers at this address (no Konaplate response came back): ${CHECK_KEYS}, and the Base URL`;

describe('readKeyCheck', () => {
	it.each([
		[400, KONAPLATE_400],
		[200, '{"response":{"code":"000_000","message":"Success"},"data":{}}'],
		[200, '{"response":{"code":"005_017","message":"x"}}'],
	])('HTTP %i with a Konaplate result proves the keys: %s', (status, text) => {
		expect(readKeyCheck({ status, text }, plain)).toEqual({ ok: true });
	});

	it.each([
		[
			401,
			'<html>401 Unauthorized</html>',
			`Konaplate refused these keys (HTTP 401): ${CHECK_KEYS}`,
		],
		[403, KONAPLATE_400, `Konaplate refused these keys (HTTP 403): ${CHECK_KEYS}`],
		[404, KONAPLATE_400, 'No Konaplate Open API at this address (HTTP 404): check the Base URL'],
		[
			500,
			KONAPLATE_400,
			'Konaplate could not answer (HTTP 500): try again later; the keys were not checked',
		],
		[418, KONAPLATE_400, 'Konaplate answered HTTP 418: check the Base URL'],
		[101, '', 'Konaplate answered HTTP 101: check the Base URL'],
		[200, '{"ok":true}', NOT_KONAPLATE],
		[400, '<html>Bad Request</html>', NOT_KONAPLATE],
		[200, '', NOT_KONAPLATE],
		// a code that is not of Konaplate's form proves nothing
		[200, '{"response":{"code":"9491339401250765"}}', NOT_KONAPLATE],
	])('HTTP %i with %j fails: %s', (status, text, message) => {
		expect(readKeyCheck({ status, text }, plain)).toEqual({ ok: false, message });
	});

	it.each([301, 302, 303, 307, 308])(
		'a redirect (HTTP %i) fails naming where it pointed, even with a Konaplate body',
		(status) => {
			expect(
				readKeyCheck({ status, text: KONAPLATE_400, redirectTarget: 'evil.example:8443' }, plain),
			).toEqual({ ok: false, message: KEY_CHECK_MESSAGE.redirect(status, 'evil.example:8443') });
			expect(KEY_CHECK_MESSAGE.redirect(status, 'evil.example:8443')).toBe(
				`The Base URL answered HTTP ${status}, a redirect (to evil.example:8443), which is not followed: nothing signed is sent to another address. Check the Base URL (https:// and the path /open-api)`,
			);
		},
	);

	it('an answer the credential cannot open says why, not that the keys were refused', () => {
		const cannotOpen = () => refuse('an encrypted response that could not be decrypted');
		expect(readKeyCheck({ status: 200, text: '{"encData":"a.b.c.d.e"}' }, cannotOpen)).toEqual({
			ok: false,
			message:
				"Konaplate's answer could not be read (an encrypted response that could not be decrypted): check the encryption fields",
		});
	});
});
