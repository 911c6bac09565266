/**
 * What the shared-ledger group does on one n8n (single process, or the main of a queue-mode
 * cluster), counted from what reached the emulator: every transfer request is matched to its
 * Reference by its amount (each Reference has one of its own).
 */
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import type { Emulator, ReceivedRequest } from '../../emulator-process';
import type { N8nClient, WebhookAnswer } from '../../n8n/client';
import { PATHS, payoutBody } from './workflows';

export interface Payout {
	reference: string;
	amount: number;
}

export interface SharedFigures {
	references: number;
	/** References Konaplate moved money for more than once (burst, copy, two nodes, re-run). */
	sentTwice: number;
	/** References no call moved money for. */
	lost: number;
	/** Transfer Reference → Get calls answered while the burst ran. */
	getCalls: number;
	/** Transfers the copy of the workflow sent for References the original had sent. */
	copyResent: number;
	/** The two-node workflow: References sent twice, and never sent. */
	twoNodes: { references: number; sentTwice: number; lost: number };
	/** Transfers the re-run of every Reference sent. */
	rerunSent: number;
	findings: string[];
}

/** Transfers Konaplate moved (000_000), by amount. */
function movedByAmount(requests: ReceivedRequest[]): Map<number, number> {
	const moved = new Map<number, number>();
	for (const r of requests) {
		if (r.path !== ENDPOINT.transfer || r.verdict !== 'accepted' || r.code !== '000_000') continue;
		const { amount } = JSON.parse(r.rawBody) as { amount: number };
		moved.set(amount, (moved.get(amount) ?? 0) + 1);
	}
	return moved;
}

const transfersIn = (requests: ReceivedRequest[]) =>
	requests.filter((r) => r.path === ENDPOINT.transfer).length;

const payouts = (tag: string, count: number, firstAmount: number): Payout[] =>
	Array.from({ length: count }, (_, i) => ({
		reference: `shared-${tag}-${String(i).padStart(3, '0')}`,
		amount: firstAmount + i,
	}));

export function caller(client: N8nClient) {
	return async (path: string, { reference, amount }: Payout): Promise<WebhookAnswer> =>
		await client.callWebhook('POST', path, payoutBody(reference, amount));
}

/**
 * (a) every Reference submitted twice at once while Get calls hit the same References; (c) the
 * two-node workflow, each of its References submitted twice at once; (b) the copy re-submitting
 * every Reference of (a); then a re-run of every Reference.
 */
export async function runSharedScenario(
	client: N8nClient,
	emulator: Emulator,
	{ tag, references = 30, firstAmount }: { tag: string; references?: number; firstAmount: number },
): Promise<SharedFigures> {
	const call = caller(client);
	const burst = payouts(tag, references, firstAmount);
	const two = payouts(`${tag}-two`, Math.ceil(references / 2), firstAmount + 500);
	const findings: string[] = [];
	await emulator.reset();
	await emulator.script([], { latencyMs: 150 });
	let burstOver = false;
	let getCalls = 0;
	const gets = (async () => {
		while (!burstOver) {
			const answers = await Promise.all(
				burst.slice(0, 10).map(async (payout) => await call(PATHS.get, payout)),
			);
			getCalls += answers.filter((a) => a.status === 200 && a.json?.state !== undefined).length;
		}
	})();
	const answers = await Promise.all(
		burst.flatMap((p) => [p, p]).map(async (payout) => await call(PATHS.payout, payout)),
	);
	burstOver = true;
	await gets;
	await Promise.all(
		two.flatMap((p) => [p, p]).map(async (payout) => await call(PATHS.twoNodes, payout)),
	);
	for (const answer of answers)
		if (answer.status !== 200)
			findings.push(`burst answer HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
	const moved = movedByAmount(await emulator.requests());
	const count = (list: Payout[], test: (n: number) => boolean) =>
		list.filter(({ amount }) => test(moved.get(amount) ?? 0)).length;

	await emulator.reset();
	await Promise.all(burst.map(async (payout) => await call(PATHS.copy, payout)));
	const copyResent = transfersIn(await emulator.requests());

	await emulator.reset();
	await Promise.all([...burst, ...two].map(async (payout) => await call(PATHS.payout, payout)));
	const rerunSent = transfersIn(await emulator.requests());
	return {
		references,
		sentTwice: count(burst, (n) => n > 1),
		lost: count(burst, (n) => n === 0),
		getCalls,
		copyResent,
		twoNodes: {
			references: two.length,
			sentTwice: count(two, (n) => n > 1),
			lost: count(two, (n) => n === 0),
		},
		rerunSent,
		findings,
	};
}

export function formatShared(mode: string, f: SharedFigures): string {
	return `shared ledger, ${mode}: ${f.references} references x2 at once: ${f.sentTwice} sent twice, ${f.lost} lost; ${f.getCalls} Get calls during the burst; the copy re-sent ${f.copyResent}; two nodes (${f.twoNodes.references} references x2): ${f.twoNodes.sentTwice} sent twice, ${f.twoNodes.lost} lost; the re-run sent ${f.rerunSent}`;
}

/** A payout on the credential whose database cannot be reached: refused, nothing sent. */
export async function unreachableDatabase(
	client: N8nClient,
	emulator: Emulator,
	firstAmount: number,
): Promise<{ answer: WebhookAnswer; sent: number }> {
	await emulator.reset();
	const answer = await caller(client)(PATHS.dead, payouts('dead', 1, firstAmount)[0]);
	return { answer, sent: transfersIn(await emulator.requests()) };
}

export const payoutsOf = payouts;
export const movedOf = movedByAmount;
