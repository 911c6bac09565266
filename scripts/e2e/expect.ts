/**
 * Assertions several end-to-end check files make: what the emulator received, the balances it
 * holds, and a successful execution.
 */
import { CORRELATION_ID_PATTERN } from '../../nodes/Konaplate/wire/clock';
import { maskCardNo } from '../../nodes/Konaplate/wire/redact';
import { HEADER } from '../../nodes/Konaplate/wire/signing';
import { CARDS, initialCards, MEMBER } from '../../emulator/data';
import { assert } from './checks';
import type { Emulator, ReceivedRequest } from './emulator-process';
import type { EmulatorCredential } from './instance';
import type { ErrorSummary, ExecutionSummary } from './n8n/run-data';

/** The correlation id pattern without its anchors, to find one inside a message. */
export const CORRELATION_ID_IN_TEXT = CORRELATION_ID_PATTERN.source.replace(/^\^|\$$/g, '');

// "KMV1:" + 17-digit stamp + ":" + base64(HMAC-SHA256)
const TRAN_TOKEN = /^KMV1:\d{17}:[A-Za-z0-9+/]+=*$/;

/** The emulator's headers come in lower case. */
const header = (request: ReceivedRequest, name: string): string =>
	request.headers[name.toLowerCase()];

/** The balances of the three cards most checks move money between, before any transfer. */
export const INITIAL: Record<string, number> = Object.fromEntries(
	[CARDS.main, CARDS.second, CARDS.empty].map((cardNo) => {
		const card = initialCards().get(cardNo);
		if (!card) throw new Error(`the emulator has no card ${maskCardNo(cardNo)}`);
		return [cardNo, card.balance];
	}),
);

/** A transfer between two cards of MEMBER's, as the checks describe it. */
export interface Transfer {
	from: string;
	to: string;
	amount: number;
}

/** The body the emulator must receive for a transfer of MEMBER's: the member id as a JSON number. */
export function transferBody({ from, to, amount }: Transfer) {
	return { userId: Number(MEMBER), fromCardNo: from, toCardNo: to, amount };
}

export interface ExpectedRequest {
	path: string;
	code: string;
	correlationId?: string;
	body?: unknown;
}

/**
 * What the emulator received since its last reset: exactly the expected requests, in order,
 * each POST, signed (Tran-Token, access key) and accepted, answered with the expected code,
 * each correlation id once. Returns the requests.
 */
export async function emulatorReceived(
	emulator: Emulator,
	credential: EmulatorCredential,
	expected: ExpectedRequest[],
): Promise<ReceivedRequest[]> {
	const requests = await emulator.requests();
	const seen = requests.map((r) => `${r.method} ${r.path} ${r.verdict} ${r.code || ''}`).join('; ');
	assert.equal(
		requests.length,
		expected.length,
		`emulator received ${requests.length} request(s), expected ${expected.length}: ${seen}`,
	);
	expected.forEach((want, i) => {
		const got = requests[i];
		const where = `request ${i + 1} (${seen})`;
		assert.equal(got.method, 'POST', where);
		assert.equal(got.path, want.path, where);
		assert.equal(got.verdict, 'accepted', where);
		assert.equal(got.code, want.code, where);
		assert.match(header(got, HEADER.tranToken), TRAN_TOKEN, where);
		assert.equal(header(got, HEADER.accessKey), credential.data.accessKey, where);
		assert.equal(header(got, HEADER.aspId), credential.data.aspId, where);
		assert.match(header(got, HEADER.correlationId), CORRELATION_ID_PATTERN, where);
		if (want.correlationId !== undefined)
			assert.equal(header(got, HEADER.correlationId), want.correlationId, where);
		if (want.body) assert.deepEqual(JSON.parse(got.rawBody), want.body, where);
	});
	const ids = requests.map((r) => header(r, HEADER.correlationId));
	assert.equal(new Set(ids).size, ids.length, `a correlation id came twice: ${ids.join(', ')}`);
	return requests;
}

/** The three cards of INITIAL hold their initial balances, but for `changes`. */
export async function balancesAre(
	emulator: Emulator,
	changes: Record<string, number>,
): Promise<void> {
	const { cards } = await emulator.state();
	const want = { ...INITIAL, ...changes };
	for (const [cardNo, balance] of Object.entries(want))
		assert.equal(cards[cardNo], balance, `balance of ${maskCardNo(cardNo)}`);
}

export function assertSucceeded(execution: ExecutionSummary): void {
	assert.equal(
		execution.status,
		'success',
		`execution ${execution.status}: ${JSON.stringify(execution.error)}`,
	);
}

/** An execution that stopped with an error of this class (NodeApiError, NodeOperationError): the error. */
export function failedWith(execution: ExecutionSummary, name: string): ErrorSummary {
	assert.equal(execution.status, 'error', `execution ${execution.status}`);
	assert.ok(execution.error, 'the execution failed without an error');
	assert.equal(execution.error.name, name);
	return execution.error;
}
