import { randomBytes } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { encryptJwe } from '../nodes/Konaplate/wire/jwe';
import { duplicateKey } from '../nodes/Konaplate/wire/quick-json';
import type { WorkflowFile } from '../scripts/engine/engine';
import { READ_OUTCOME_UNKNOWN } from '../nodes/Konaplate/actions/read';
import { DOCUMENTED_CODES } from '../nodes/Konaplate/errors';
import { CRASH_WORDS, printSummary, VALID_ITEM, VALID_READ_ITEM } from './helpers/hostile';
import type { Operation, ReadOperation } from './helpers/hostile';
import { slow, slowAnswersDone } from './helpers/slow-answers';
import { useKonaplate, useEncryptedEmulator, withNode, WORKFLOWS } from './helpers/konaplate';
import type { KonaplateOutput } from './helpers/konaplate';
import { CARDS, KonaplateEmulator } from '../emulator/server';
import type { RawReply } from '../emulator/server';
import { MERGE_MEMBER_ACCOUNT } from '../emulator/data';
import { emulatorEncryption } from '../emulator/keys';

const { clientPublicKey } = emulatorEncryption();
/** What Konaplate would send in encData for this plaintext. */
const jwe = (plaintext: string) => encryptJwe(plaintext, clientPublicKey, randomBytes);

const kona = useKonaplate();
const encrypted = useEncryptedEmulator(kona);

const ADVICE: Record<Operation, string> = {
	transfer:
		'The transfer may or may not have happened: check both card balances before running this item again',
	delete:
		"It is unknown whether the bank account was deleted: look up the member's registered account before running this item again.",
};
const UNREADABLE_200 = "Konaplate's answer could not be read (HTTP 200)";
const JSON_TYPE = { 'Content-Type': 'application/json;charset=UTF-8' };
const json = (body: string, status = 200): RawReply => ({ status, headers: JSON_TYPE, body });
const SUCCESS = '{"response":{"code":"000_000","description":"Success."},"amount":100}';

interface ResponseCase {
	label: string;
	reply: RawReply;
	/** The error's message, exactly (a string) or by pattern. */
	message: string | RegExp;
	/** What the description must say was received. */
	received: string | RegExp;
	operation?: Operation;
	encrypted?: boolean;
	timeoutMs?: number;
	/** Whether the description tells the operator the outcome is unknown (a refusal by code does not). */
	outcomeUnknown?: boolean;
}

const CASES: ResponseCase[] = [
	// Not JSON at all
	{
		label: 'an HTML page under 200',
		reply: {
			status: 200,
			headers: { 'Content-Type': 'text/html' },
			body: '<html><body><h1>Maintenance</h1></body></html>',
		},
		message: UNREADABLE_200,
		received: 'an HTML/XML page (46 characters: "Maintenance")',
	},
	{
		label: 'an HTML 502 from a proxy',
		reply: {
			status: 502,
			headers: { 'Content-Type': 'text/html' },
			body: '<html><body>Bad Gateway</body></html>',
		},
		message: 'Konaplate had a server error (HTTP 502)',
		received: '"Bad Gateway"',
	},
	{
		label: 'an empty body under 200',
		reply: { status: 200 },
		message: UNREADABLE_200,
		received: 'an empty body',
	},
	{
		label: 'an empty body under 500',
		reply: { status: 500 },
		message: 'Konaplate had a server error (HTTP 500)',
		received: 'an empty body',
	},
	{
		label: 'only blanks',
		reply: json(' \r\n\t '),
		message: UNREADABLE_200,
		received: 'an empty body',
	},
	{
		label: '204 No Content',
		reply: { status: 204, body: SUCCESS },
		message: "Konaplate's answer could not be read (HTTP 204)",
		received: 'an empty body',
	},
	{
		label: 'truncated JSON',
		reply: json('{"response":{"code":"000_0'),
		message: UNREADABLE_200,
		received: 'a body that is not JSON (26 characters',
	},
	{
		label: 'JSON cut off in the amount',
		reply: json('{"response":{"code":"000_000"},"amount":10'),
		message: UNREADABLE_200,
		received: 'a body that is not JSON',
	},
	{
		label: 'plain text OK',
		reply: { status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'OK' },
		message: UNREADABLE_200,
		received: 'a body that is not JSON (2 characters: "OK")',
	},
	{
		label: 'bytes that are not UTF-8',
		reply: { status: 200, headers: JSON_TYPE, body: Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3]) },
		message: UNREADABLE_200,
		received: 'a body that is not JSON',
	},
	{
		label: 'a BOM before garbage',
		reply: json('\ufeffnot json'),
		message: UNREADABLE_200,
		received: 'a body that is not JSON',
	},
	{
		label: 'JSON with a trailing comma',
		reply: json('{"response":{"code":"000_000",},"amount":100}'),
		message: UNREADABLE_200,
		received: 'a body that is not JSON',
	},
	{
		label: 'JSON with NaN',
		reply: json('{"response":{"code":"000_000"},"amount":NaN}'),
		message: UNREADABLE_200,
		received: 'a body that is not JSON',
	},
	// JSON of the wrong shape
	{
		label: 'a JSON text',
		reply: json('"000_000"'),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object: "000_000"`,
	},
	{
		label: 'a JSON list',
		reply: json(`[${SUCCESS}]`),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object: [{"response"`,
	},
	{
		label: 'a JSON number',
		reply: json('42'),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object: 42`,
	},
	{
		label: 'JSON null',
		reply: json('null'),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object: null`,
	},
	{
		label: 'JSON true',
		reply: json('true'),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object: true`,
	},
	{
		label: 'response as a text',
		reply: json('{"response":"000_000","amount":100}'),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object`,
	},
	{
		label: 'response as a list',
		reply: json('{"response":[{"code":"000_000"}],"amount":100}'),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object`,
	},
	{
		label: 'response as a number',
		reply: json('{"response":0,"amount":100}'),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object`,
	},
	{
		label: 'response null',
		reply: json('{"response":null,"amount":100}'),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object`,
	},
	{
		label: 'code as a number',
		reply: json('{"response":{"code":0},"amount":100}'),
		message: UNREADABLE_200,
		received: 'a result object without a result code: {"code":0}',
	},
	{
		label: 'code null',
		reply: json('{"response":{"code":null},"amount":100}'),
		message: UNREADABLE_200,
		received: 'a result object without a result code: {"code":null}',
	},
	{
		label: 'code empty',
		reply: json('{"response":{"code":""},"amount":100}'),
		message: UNREADABLE_200,
		received: 'a result object without a result code',
	},
	{
		label: 'code missing',
		reply: json('{"response":{"description":"Success."},"amount":100}'),
		message: UNREADABLE_200,
		received: 'a result object without a result code: {"description":"Success."}',
	},
	{
		label: 'code as an object',
		reply: json('{"response":{"code":{"value":"000_000"}},"amount":100}'),
		message: UNREADABLE_200,
		received: 'a result object without a result code',
	},
	{
		label: 'code in HTML',
		reply: json('{"response":{"code":"<b>000_000</b>"},"amount":100}'),
		message: UNREADABLE_200,
		received: 'a result code that is not a Konaplate code',
	},
	{
		label: 'code with a NUL',
		reply: json('{"response":{"code":"000_000\\u0000"},"amount":100}'),
		message: UNREADABLE_200,
		received: 'a result code that is not a Konaplate code',
	},
	{
		label: 'a 100 000-character code',
		reply: json(`{"response":{"code":"${'9'.repeat(100_000)}"}}`),
		message: UNREADABLE_200,
		received: 'a result code that is not a Konaplate code',
	},
	{
		label: 'the code only inherited through __proto__',
		reply: json('{"response":{"__proto__":{"code":"000_000"}},"amount":100}'),
		message: UNREADABLE_200,
		received: 'a result object without a result code',
	},
	// Codes and statuses that disagree
	{
		label: 'an unknown code under 200',
		reply: json('{"response":{"code":"123_456","description":"Strange things."}}'),
		message: '123_456: Strange things.',
		received: /Konaplate did not document this code for this endpoint\. \(HTTP 200,/,
		outcomeUnknown: false,
	},
	{
		label: 'an error code under 200',
		reply: json(
			'{"response":{"code":"005_018","description":"There is not enough balance to transfer."}}',
		),
		message: '005_018: There is not enough balance to transfer.',
		received: 'The amount asked for is more than the balance',
		outcomeUnknown: false,
	},
	{
		label: 'an error code with a 100 000-character message',
		reply: json(`{"response":{"code":"017_002","description":"${'x'.repeat(100_000)}"}}`, 400),
		message: /^017_002: x{200}…$/,
		received: 'Konaplate could not complete the balance transfer.',
		outcomeUnknown: false,
	},
	{
		label: 'an error code with an HTML message',
		reply: json(
			'{"response":{"code":"017_002","description":"<script>alert(1)</script>Failed"}}',
			400,
		),
		message: '017_002: alert(1) Failed',
		received: 'Konaplate could not complete the balance transfer.',
		outcomeUnknown: false,
	},
	{
		label: 'an error code under 500',
		reply: json('{"response":{"code":"017_002","description":"Failed to balance transfer."}}', 500),
		message: '017_002: Failed to balance transfer.',
		received: 'Konaplate could not complete the balance transfer.',
	},
	{
		label: 'the success code under 500',
		reply: json(SUCCESS, 500),
		message: 'Konaplate answered HTTP 500 with the success code 000_000: the outcome is unclear',
		received: '(HTTP 500, item 0',
	},
	{
		label: 'the success code under 401',
		reply: json(SUCCESS, 401),
		message: 'Konaplate answered HTTP 401 with the success code 000_000: the outcome is unclear',
		received: '(HTTP 401, item 0',
	},
	// Issue 29: any 3xx is a redirect, whatever its body says (it came from whatever redirected)
	{
		label: 'the success code under 302 without a Location',
		reply: json(SUCCESS, 302),
		message:
			"Konaplate's address answered with a redirect (HTTP 302, to no Location), which the node never follows",
		received: '(HTTP 302, item 0',
	},
	{
		label: 'the success code under 429',
		reply: json(SUCCESS, 429),
		message: 'Konaplate answered HTTP 429 with the success code 000_000: the outcome is unclear',
		received: '(HTTP 429, item 0',
	},
	// Success with the amount missing or of the wrong type: never a plain success
	{
		label: 'success without an amount',
		reply: json('{"response":{"code":"000_000","description":"Success."}}'),
		message: UNREADABLE_200,
		received: 'the success code 000_000 with no amount, where a whole number of won was expected',
	},
	{
		label: 'success with the amount as text',
		reply: json('{"response":{"code":"000_000"},"amount":"100"}'),
		message: UNREADABLE_200,
		received: 'the success code 000_000 with the amount "100"',
	},
	{
		label: 'success with the amount null',
		reply: json('{"response":{"code":"000_000"},"amount":null}'),
		message: UNREADABLE_200,
		received: 'the success code 000_000 with the amount null',
	},
	{
		label: 'success with a negative amount',
		reply: json('{"response":{"code":"000_000"},"amount":-100}'),
		message: UNREADABLE_200,
		received: 'the success code 000_000 with the amount -100',
	},
	{
		label: 'success with a fractional amount',
		reply: json('{"response":{"code":"000_000"},"amount":100.5}'),
		message: UNREADABLE_200,
		received: 'the success code 000_000 with the amount 100.5',
	},
	{
		label: 'success with the amount as an object',
		reply: json('{"response":{"code":"000_000"},"amount":{"value":100}}'),
		message: UNREADABLE_200,
		received: 'the success code 000_000 with the amount {"value":100}',
	},
	{
		label: 'success with an amount beyond 2^53',
		reply: json('{"response":{"code":"000_000"},"amount":12345678901234567890}'),
		message: UNREADABLE_200,
		received: 'the success code 000_000 with the amount "****************7890"',
	},
	// Ambiguous JSON
	{
		label: 'two response keys, failure then success',
		reply: json('{"response":{"code":"005_018"},"response":{"code":"000_000"},"amount":100}'),
		message: UNREADABLE_200,
		received: 'JSON with the key "response" twice in one object',
	},
	{
		label: 'two codes in one response',
		reply: json('{"response":{"code":"005_018","code":"000_000"},"amount":100}'),
		message: UNREADABLE_200,
		received: 'JSON with the key "code" twice in one object',
	},
	{
		label: 'two amounts',
		reply: json('{"response":{"code":"000_000"},"amount":100,"amount":50000}'),
		message: UNREADABLE_200,
		received: 'JSON with the key "amount" twice in one object',
	},
	{
		label: 'a key repeated through an escape',
		reply: json('{"response":{"code":"005_018"},"\\u0072esponse":{"code":"000_000"},"amount":100}'),
		message: UNREADABLE_200,
		received: 'JSON with the key "response" twice in one object',
	},
	// Sizes and speeds
	{
		label: 'a 5 MB HTML page',
		reply: {
			status: 200,
			headers: { 'Content-Type': 'text/html' },
			body: `<html><body>${'<p>lorem ipsum</p>'.repeat(280_000)}</body></html>`,
		},
		message: UNREADABLE_200,
		received: /an HTML\/XML page \(5040026 characters: "lorem ipsum lorem ipsum .*…"\)/,
	},
	{
		label: 'a 5 MB JSON failure',
		reply: json(
			`{"response":{"code":"017_002","description":"Failed to balance transfer."},"pad":"${'x'.repeat(5_000_000)}"}`,
			400,
		),
		message: '017_002: Failed to balance transfer.',
		received: 'Konaplate could not complete the balance transfer.',
		outcomeUnknown: false,
	},
	{
		label: 'JSON nested 100 000 deep',
		reply: json(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object`,
	},
	{
		label: 'garbage trickling in within the timeout',
		timeoutMs: 3000,
		reply: {
			status: 200,
			headers: { 'Content-Type': 'text/html' },
			chunks: ['<html>', '<body>', 'Please wait', '</body>'].map((data) => ({
				data,
				delayMs: 150,
			})),
			body: '</html>',
		},
		message: UNREADABLE_200,
		received: 'an HTML/XML page (37 characters: "Please wait")',
	},
	{
		label: 'a success trickling in past the timeout',
		timeoutMs: 1000,
		reply: {
			status: 200,
			headers: JSON_TYPE,
			chunks: Array.from({ length: 7 }, () => ({ data: ' ', delayMs: 300 })),
			body: SUCCESS,
		},
		message: 'No answer from Konaplate within 1 s',
		received: /^The transfer may or may not have happened/,
	},
	{
		label: 'a body cut off before its Content-Length',
		reply: { status: 200, headers: { ...JSON_TYPE, 'Content-Length': '500' }, body: SUCCESS },
		message: UNREADABLE_200,
		received: 'a body that could not be read or decoded (ERR_BAD_RESPONSE)',
	},
	// Headers that lie
	{
		label: 'JSON content type on an HTML page',
		reply: {
			status: 200,
			headers: JSON_TYPE,
			body: '<!DOCTYPE html><html><body>Login</body></html>',
		},
		message: UNREADABLE_200,
		received: 'an HTML/XML page',
	},
	{
		label: 'an HTML content type on a failure',
		reply: {
			status: 400,
			headers: { 'Content-Type': 'text/html' },
			body: '{"response":{"code":"017_002","description":"Failed to balance transfer."}}',
		},
		message: '017_002: Failed to balance transfer.',
		received: 'Konaplate could not complete the balance transfer.',
		outcomeUnknown: false,
	},
	{
		label: 'gzip declared, plain sent',
		reply: { status: 200, headers: { ...JSON_TYPE, 'Content-Encoding': 'gzip' }, body: SUCCESS },
		message: UNREADABLE_200,
		received: 'a body that could not be read or decoded (Z_DATA_ERROR)',
	},
	{
		label: 'deflate declared, plain sent',
		reply: { status: 200, headers: { ...JSON_TYPE, 'Content-Encoding': 'deflate' }, body: SUCCESS },
		message: UNREADABLE_200,
		received: /a body that could not be read or decoded \(Z_\w+\)/,
	},
	{
		label: 'brotli declared, plain sent',
		reply: { status: 200, headers: { ...JSON_TYPE, 'Content-Encoding': 'br' }, body: SUCCESS },
		message: UNREADABLE_200,
		received: /a body that could not be read or decoded \(\w+\)/,
	},
	// encData that is not what it claims, in plain and in encrypted mode
	{
		label: 'encData garbage in plain mode',
		reply: json('{"encData":"not-a-jwe"}'),
		message: UNREADABLE_200,
		received: 'an encrypted response, but the credential has no Client Private Key to read it',
	},
	{
		label: 'encData a number in plain mode',
		reply: json('{"encData":42}'),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object: {"encData":42}`,
	},
	{
		label: 'encData of three parts',
		encrypted: true,
		reply: json('{"encData":"a.b.c"}'),
		message: UNREADABLE_200,
		received: "the response's encData is not a compact JWE (expected 5 dot-separated parts, got 3)",
	},
	{
		label: 'encData of five garbage parts',
		encrypted: true,
		reply: json('{"encData":"!!.@@.##.$$.%%"}'),
		message: UNREADABLE_200,
		received: "the response's encData has a protected header that is not valid base64url",
	},
	{
		label: 'encData with a header that is not JSON',
		encrypted: true,
		reply: json(`{"encData":"${Buffer.from('hello').toString('base64url')}.AAAA.AAAA.AAAA.AAAA"}`),
		message: UNREADABLE_200,
		received: "the response's encData has a protected header that is not a JSON object",
	},
	{
		label: 'encData whose tag was altered',
		encrypted: true,
		reply: json(
			`{"encData":"${jwe(SUCCESS).replace(/\.[\w-]+$/, `.${Buffer.alloc(16, 7).toString('base64url')}`)}"}`,
		),
		message: UNREADABLE_200,
		received: 'failed its integrity check (AES-GCM tag mismatch)',
	},
	{
		label: 'encData that decrypts to text',
		encrypted: true,
		reply: json(`{"encData":"${jwe('Success')}"}`),
		message: UNREADABLE_200,
		received: 'an encrypted response that decrypts to a body that is not JSON',
	},
	{
		label: 'encData that decrypts to a success and a failure under one key',
		encrypted: true,
		reply: json(
			`{"encData":"${jwe('{"response":{"code":"005_018"},"response":{"code":"000_000"},"amount":100}')}"}`,
		),
		message: UNREADABLE_200,
		received: 'JSON with the key "response" twice in one object',
	},
	{
		label: 'encData that decrypts to a list',
		encrypted: true,
		reply: json(`{"encData":"${jwe(`[${SUCCESS}]`)}"}`),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object`,
	},
	{
		label: 'encData that decrypts to success without an amount',
		encrypted: true,
		reply: json(`{"encData":"${jwe('{"response":{"code":"000_000"}}')}"}`),
		message: UNREADABLE_200,
		received: 'the success code 000_000 with no amount',
	},
	{
		label: 'encData of a success under 503',
		encrypted: true,
		reply: json(`{"encData":"${jwe(SUCCESS)}"}`, 503),
		message: 'Konaplate answered HTTP 503 with the success code 000_000: the outcome is unclear',
		received: '(HTTP 503, item 0',
	},
	{
		label: 'encData as a list in encrypted mode',
		encrypted: true,
		reply: json('{"encData":["a"]}'),
		message: UNREADABLE_200,
		received: `JSON without Konaplate's "response" result object`,
	},
	// The delete operation
	{
		label: 'delete: an HTML page',
		operation: 'delete',
		reply: { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>Oops</html>' },
		message: UNREADABLE_200,
		received: 'an HTML/XML page',
	},
	{
		label: 'delete: the success code under 500',
		operation: 'delete',
		reply: json('{"response":{"code":"000_000"}}', 500),
		message: 'Konaplate answered HTTP 500 with the success code 000_000: the outcome is unclear',
		received: '(HTTP 500, item 0',
	},
	{
		label: 'delete: two codes',
		operation: 'delete',
		reply: json('{"response":{"code":"001_006","code":"000_000"}}'),
		message: UNREADABLE_200,
		received: 'JSON with the key "code" twice in one object',
	},
	{
		label: 'delete: code as a number',
		operation: 'delete',
		reply: json('{"response":{"code":0}}'),
		message: UNREADABLE_200,
		received: 'a result object without a result code',
	},
	{
		label: 'delete: gzip declared, plain sent',
		operation: 'delete',
		reply: {
			status: 200,
			headers: { ...JSON_TYPE, 'Content-Encoding': 'gzip' },
			body: '{"response":{"code":"000_000"}}',
		},
		message: UNREADABLE_200,
		received: 'a body that could not be read or decoded (Z_DATA_ERROR)',
	},
	{
		label: 'delete: encData garbage, encrypted',
		operation: 'delete',
		encrypted: true,
		reply: json('{"encData":"x.y"}'),
		message: UNREADABLE_200,
		received: 'is not a compact JWE',
	},
];

/** Answers the server would give with a small difference nobody should fail over; each must be read correctly. */
const TOLERATED: Array<{ label: string; reply: RawReply; encrypted?: boolean }> = [
	{ label: 'a BOM before the JSON', reply: json(`\ufeff${SUCCESS}`) },
	{
		label: 'a text/plain content type',
		reply: { status: 200, headers: { 'Content-Type': 'text/plain' }, body: SUCCESS },
	},
	{ label: 'no content type', reply: { status: 200, body: SUCCESS } },
	{ label: 'blank lines around the JSON', reply: json(`\r\n\r\n${SUCCESS}\r\n`) },
	{
		label: 'extra unknown fields',
		reply: json(
			'{"response":{"code":"000_000","description":"Success.","extra":[1,2]},"amount":100,"traceId":"x"}',
		),
	},
	{
		label: 'the success trickling in within the timeout',
		reply: {
			status: 200,
			headers: JSON_TYPE,
			chunks: [' ', ' ', ' '].map((data) => ({ data, delayMs: 150 })),
			body: SUCCESS,
		},
	},
	{ label: 'a plain answer in encrypted mode', encrypted: true, reply: json(SUCCESS) },
];

const tally = { tried: 0, refused: 0, crashes: 0, falseSuccesses: 0, tolerated: 0 };

afterAll(async () => {
	await slowAnswersDone();
	printSummary(
		`hostile responses: ${tally.tried} tried, ${tally.refused} gave a NodeApiError saying what was received, ${tally.crashes} crashes, ${tally.falseSuccesses} successes reported for a failure; ${tally.tolerated} harmless variants read correctly`,
	);
});

type Expected = Pick<ResponseCase, 'message' | 'received' | 'outcomeUnknown'>;

/** One hostile answer, one request, one NodeApiError that says what arrived: counted in the tally. */
function expectClearRefusal(
	{ error, success }: Pick<KonaplateOutput, 'error' | 'success'>,
	c: Expected,
	emulator: KonaplateEmulator,
	advice: string,
): string {
	tally.tried++;
	if (success.length > 0) tally.falseSuccesses++;
	if (
		error === undefined ||
		CRASH_WORDS.test(`${error.message} ${String(error.description)}`) ||
		error.name !== 'NodeApiError'
	)
		tally.crashes++;

	expect(success).toHaveLength(0);
	expect(error?.name).toBe('NodeApiError');
	const message = error?.message ?? '';
	const description = String(error?.description);
	if (typeof c.message === 'string') expect(message).toBe(c.message);
	else expect(message).toMatch(c.message);
	if (typeof c.received === 'string') expect(description).toContain(c.received);
	else expect(description).toMatch(c.received);
	expect(`${message} ${description}`).not.toMatch(CRASH_WORDS);
	expect(message.length).toBeLessThanOrEqual(300);
	expect(description.length).toBeLessThanOrEqual(1200);
	const [request] = emulator.requests;
	expect(description).toContain(
		`item 0, correlation id ${request.headers['x-km-correlation-id']})`,
	);
	expect(error?.context).toMatchObject({
		itemIndex: 0,
		correlationId: request.headers['x-km-correlation-id'],
	});
	if (c.outcomeUnknown ?? true) expect(description).toContain(advice);
	else expect(description).not.toContain(advice);
	expect(emulator.requests).toHaveLength(1);
	tally.refused++;
	return `${message} ${description} ${JSON.stringify(error?.context ?? {})}`;
}

function workflowFor(operation: Operation, timeoutMs?: number): WorkflowFile {
	const base = operation === 'transfer' ? WORKFLOWS.transfer : WORKFLOWS.delete;
	return timeoutMs === undefined
		? base
		: withNode(base, { parameters: { options: { timeout: timeoutMs } } });
}

describe('hostile responses from the emulator: a clear NodeApiError each, never a crash, never a false success', () => {
	it('has at least 30 of them', () => {
		expect(CASES.length).toBeGreaterThanOrEqual(30);
		expect(new Set(CASES.map((c) => c.label)).size).toBe(CASES.length);
	});

	it.each(CASES.map((c): [string, ResponseCase] => [c.label, c]))('%s', async (_label, c) => {
		const operation = c.operation ?? 'transfer';
		const { emulator, output } = c.encrypted ? encrypted : kona;
		emulator.script = () => slow(c.reply);
		const started = Date.now();
		const { error, success } = await output(workflowFor(operation, c.timeoutMs), [
			VALID_ITEM[operation],
		]);
		const elapsed = Date.now() - started;
		expectClearRefusal({ error, success }, c, emulator, ADVICE[operation]);
		if (c.timeoutMs !== undefined && c.message === 'No answer from Konaplate within 1 s') {
			// The whole exchange is bounded by the timeout, even while bytes keep trickling in
			expect(elapsed).toBeLessThan(c.timeoutMs + 900);
		}
	});

	it.each(
		TOLERATED.map((t): [string, RawReply, boolean] => [t.label, t.reply, t.encrypted ?? false]),
	)('reads a harmless variant correctly: %s', async (_label, reply, isEncrypted) => {
		const { emulator, output } = isEncrypted ? encrypted : kona;
		emulator.script = () => slow(reply);
		const { error, success } = await output(workflowFor('transfer', 3000), [VALID_ITEM.transfer]);
		expect(error).toBeUndefined();
		expect(success.map((item) => item.json.amount)).toEqual([100]);
		expect(emulator.requests).toHaveLength(1);
		tally.tolerated++;
	});

	it('with Continue On Fail, hostile answers become error items with the correlation id, one request each', async () => {
		const replies = [
			json('null'),
			{ status: 200 },
			json('{"response":{"code":"000_000"}}'),
			json(SUCCESS),
		];
		let next = 0;
		kona.emulator.script = () => replies[next++];
		const workflow = withNode(WORKFLOWS.transfer, { onError: 'continueErrorOutput' });
		const { success, errors } = await kona.output(
			workflow,
			replies.map(() => VALID_ITEM.transfer),
		);
		const sent = kona.emulator.requests.map((request) => request.headers['x-km-correlation-id']);
		expect(sent).toHaveLength(4);
		expect(
			errors.map((item) => [
				item.pairedItem,
				(item.json.error as IDataObject).correlationId,
				(item.json.error as IDataObject).httpCode,
			]),
		).toEqual([
			[{ item: 0 }, sent[0], 200],
			[{ item: 1 }, sent[1], 200],
			[{ item: 2 }, sent[2], 200],
		]);
		for (const item of errors)
			expect(String((item.json.error as IDataObject).description)).toContain(ADVICE.transfer);
		expect(success.map((item) => [item.pairedItem, item.json.amount])).toEqual([
			[{ item: 3 }, 100],
		]);
	});
});

describe('the duplicate-key scan', () => {
	it.each([
		['{"a":1,"a":2}', 'a'],
		['{"response":{"code":"1","code":"2"}}', 'code'],
		['{"a":"\\"a\\"","a":1}', 'a'],
		['{"\\u0061":1,"a":2}', 'a'],
		['[{"x":[{"k":1,"k":2}]}]', 'k'],
		['{"a":{"x":1},"b":{"x":1}}', undefined],
		['[{"a":1},{"a":1}]', undefined],
		['{"a":["a","a"],"b":"a,a"}', undefined],
		['{"a":"{\\"a\\":1,\\"a\\":2}"}', undefined],
		['{}', undefined],
		['"a"', undefined],
	])('%s: %s', (text, expected) => {
		expect(() => JSON.parse(text) as unknown).not.toThrow();
		expect(duplicateKey(text)).toBe(expected);
	});
});

describe('hostile answers to the reads: a clear NodeApiError each, no false success, no card or account data in the error', () => {
	const READ_WORKFLOW: Record<ReadOperation, WorkflowFile> = {
		cardGetMany: WORKFLOWS.cardGetMany,
		cardGet: WORKFLOWS.cardGet,
		bankAccountGet: WORKFLOWS.bankAccountGet,
	};
	/** A success each read accepts, for the cases that only change the status or the envelope. */
	const READ_SUCCESS: Record<ReadOperation, string> = {
		cardGetMany: `{"response":{"code":"000_000"},"cardDataInfo":[{"mobileCardNo":"${CARDS.mergeGift}","balance":1}]}`,
		cardGet:
			'{"response":{"code":"000_000"},"userId":50000104652,"balance":1,"cashReceiptInfo":{"idNo":"01012345678"}}',
		bankAccountGet: `{"response":{"code":"000_000"},"userId":50000200001,"accountInfo":{"userName":"김코나","bankAccount":"${MERGE_MEMBER_ACCOUNT}"}}`,
	};
	/** What no error may show: the card numbers and account in the answers above, the identifier, the name. */
	const SECRETS = [
		CARDS.main,
		CARDS.mergeGift,
		CARDS.mergeGift.slice(0, 12),
		MERGE_MEMBER_ACCOUNT,
		MERGE_MEMBER_ACCOUNT.slice(0, 10),
		'01012345678',
		'김코나',
	];

	interface ReadCase {
		label: string;
		operation: ReadOperation;
		reply: RawReply;
		message: string | RegExp;
		received: string | RegExp;
		encrypted?: boolean;
		outcomeUnknown?: boolean;
	}

	const generic = (operation: ReadOperation): ReadCase[] => [
		{
			label: 'an HTML page under 200',
			operation,
			reply: {
				status: 200,
				headers: { 'Content-Type': 'text/html' },
				body: '<html><body>Maintenance</body></html>',
			},
			message: UNREADABLE_200,
			received: 'an HTML/XML page',
		},
		{
			label: 'an empty body',
			operation,
			reply: { status: 200 },
			message: UNREADABLE_200,
			received: 'an empty body',
		},
		{
			label: 'an HTML 502',
			operation,
			reply: {
				status: 502,
				headers: { 'Content-Type': 'text/html' },
				body: '<html>Bad Gateway</html>',
			},
			message: 'Konaplate had a server error (HTTP 502)',
			received: '"Bad Gateway"',
		},
		{
			label: 'the answer cut off',
			operation,
			reply: json(READ_SUCCESS[operation].slice(0, -3)),
			message: UNREADABLE_200,
			received: 'a body that is not JSON',
		},
		{
			label: 'two response keys, failure then success',
			operation,
			reply: json(`{"response":{"code":"001_006"},${READ_SUCCESS[operation].slice(1)}`),
			message: UNREADABLE_200,
			received: 'JSON with the key "response" twice in one object',
		},
		{
			label: 'its success under HTTP 503',
			operation,
			reply: json(READ_SUCCESS[operation], 503),
			message: 'Konaplate answered HTTP 503 with the success code 000_000: the outcome is unclear',
			received: '(HTTP 503, item 0',
		},
		{
			label: 'its fields without the response envelope',
			operation,
			reply: json(READ_SUCCESS[operation].replace('"response":{"code":"000_000"},', '')),
			message: UNREADABLE_200,
			received: `JSON without Konaplate's "response" result object`,
		},
		{
			label: 'an error code under 200, the card number in the message',
			operation,
			reply: json(`{"response":{"code":"003_021","description":"Cannot find par. ${CARDS.main}"}}`),
			message: '003_021: Cannot find par. ************0765',
			received: DOCUMENTED_CODES['003_021'].meaning,
			outcomeUnknown: false,
		},
		{
			label: 'JSON nested 100 000 deep',
			operation,
			reply: json(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
			message: UNREADABLE_200,
			received: `JSON without Konaplate's "response" result object`,
		},
		{
			label: 'encData garbage, encrypted',
			operation,
			encrypted: true,
			reply: json('{"encData":"a.b.c"}'),
			message: UNREADABLE_200,
			received: 'is not a compact JWE',
		},
		{
			label: 'encData that decrypts to two codes',
			operation,
			encrypted: true,
			reply: json(`{"encData":"${jwe('{"response":{"code":"001_006","code":"000_000"}}')}"}`),
			message: UNREADABLE_200,
			received: 'JSON with the key "code" twice in one object',
		},
	];

	const READ_CASES: ReadCase[] = [
		...generic('cardGetMany'),
		...generic('cardGet'),
		...generic('bankAccountGet'),
		{
			label: 'cardDataInfo as an object holding a card',
			operation: 'cardGetMany',
			reply: json(
				`{"response":{"code":"000_000"},"cardDataInfo":{"mobileCardNo":"${CARDS.main}"}}`,
			),
			message: UNREADABLE_200,
			received:
				'the success code 000_000 with cardDataInfo as an object, where a list of cards was expected',
		},
		{
			label: 'a card that is a text',
			operation: 'cardGetMany',
			reply: json(`{"response":{"code":"000_000"},"cardDataInfo":[{"balance":1},"${CARDS.main}"]}`),
			message: UNREADABLE_200,
			received: 'card 1 of cardDataInfo as a string',
		},
		{
			label: 'a success without accountInfo',
			operation: 'bankAccountGet',
			reply: json('{"response":{"code":"000_000"},"userId":50000200001}'),
			message: UNREADABLE_200,
			received: 'the success code 000_000 with accountInfo as nothing',
		},
		{
			label: 'accountInfo as the account number',
			operation: 'bankAccountGet',
			reply: json(`{"response":{"code":"000_000"},"accountInfo":"${MERGE_MEMBER_ACCOUNT}"}`),
			message: UNREADABLE_200,
			received: 'accountInfo as a string',
		},
	];

	it.each(READ_CASES.map((c): [string, string, ReadCase] => [c.operation, c.label, c]))(
		'%s: %s',
		async (_operation, _label, c) => {
			const { emulator, output } = c.encrypted ? encrypted : kona;
			emulator.script = () => slow(c.reply);
			const { error, success } = await output(READ_WORKFLOW[c.operation], [
				VALID_READ_ITEM[c.operation],
			]);
			const shown = expectClearRefusal({ error, success }, c, emulator, READ_OUTCOME_UNKNOWN);
			for (const secret of SECRETS) expect(shown).not.toContain(secret);
		},
	);

	const READ_TOLERATED: Array<{
		label: string;
		operation: ReadOperation;
		reply: RawReply;
		encrypted?: boolean;
		check: (items: IDataObject[]) => void;
	}> = [
		{
			label: 'an unknown field holding a card number is masked',
			operation: 'cardGetMany',
			reply: json(
				`{"response":{"code":"000_000"},"cardDataInfo":[{"mobileCardNo":"${CARDS.main}","virtualCardNo":"${CARDS.second}","balance":5}]}`,
			),
			check: ([card]) =>
				expect([card.mobileCardNo, card.virtualCardNo, card.balance]).toEqual([
					'949133******0765',
					'************0773',
					5,
				]),
		},
		{
			label: 'an unknown field nested 100 000 deep is dropped, not walked',
			operation: 'cardGetMany',
			reply: json(
				`{"response":{"code":"000_000"},"cardDataInfo":[{"balance":5,"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`,
			),
			check: ([card]) => {
				expect(card.balance).toBe(5);
				expect(JSON.stringify(card.deep)).toContain('dropped: nested more than');
			},
		},
		{
			label: 'an empty list and extra fields beside it',
			operation: 'cardGetMany',
			reply: json(
				'{"response":{"code":"000_000","description":"Success"},"cardDataInfo":[],"total":0}',
			),
			check: (items) => expect(items).toEqual([]),
		},
		{
			label: 'a 19-digit userId in the answer stays exact',
			operation: 'cardGet',
			reply: json('{"response":{"code":"000_000"},"userId":1234567890123456789,"balance":7}'),
			check: ([card]) => expect([card.userId, card.balance]).toEqual(['1234567890123456789', 7]),
		},
		{
			label: 'an encrypted answer where the page marks none',
			operation: 'bankAccountGet',
			encrypted: true,
			reply: json(
				`{"encData":"${jwe(`{"response":{"code":"000_000"},"userId":50000200001,"accountInfo":{"userName":"김코나","bankAccount":"${MERGE_MEMBER_ACCOUNT}"}}`)}"}`,
			),
			check: ([account]) =>
				expect(account.accountInfo).toEqual({ userName: '김*나', bankAccount: '**********5566' }),
		},
		{
			label: 'a __proto__ key in a card stays a key',
			operation: 'cardGetMany',
			reply: json(
				`{"response":{"code":"000_000"},"cardDataInfo":[{"__proto__":{"mobileCardNo":"${CARDS.main}"},"balance":1}]}`,
			),
			check: ([card]) => {
				expect(Object.getPrototypeOf(card)).toBe(Object.prototype);
				expect(JSON.stringify(card)).not.toContain(CARDS.main);
			},
		},
	];

	it.each(
		READ_TOLERATED.map((t): [string, string, (typeof READ_TOLERATED)[number]] => [
			t.operation,
			t.label,
			t,
		]),
	)('%s reads correctly: %s', async (_operation, _label, t) => {
		const { emulator, output } = t.encrypted ? encrypted : kona;
		emulator.script = () => t.reply;
		const { error, success } = await output(READ_WORKFLOW[t.operation], [
			VALID_READ_ITEM[t.operation],
		]);
		expect(error).toBeUndefined();
		t.check(success.map((item) => item.json));
		expect(emulator.requests).toHaveLength(1);
		tally.tolerated++;
	});
});
