/**
 * The burst of the queue-mode stage: a Webhook → Transfer Balance workflow with the Reference
 * from the body, every reference submitted twice, all calls in flight at once, so that the two
 * workers (and the executions of each) meet on one reference and on the ledger's row. Then a
 * re-run of every reference, to find the entries the burst lost.
 *
 * Each reference has an amount of its own: the emulator does not see references, so a transfer
 * that reached it is matched to its reference by its amount.
 */
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { CARDS, MEMBER } from '../../../../emulator/data';
import type { Emulator, ReceivedRequest } from '../../emulator-process';
import { NODE_TYPE } from '../../instance';
import type { Workflow } from '../../n8n/home';
import type { N8nClient, WebhookAnswer } from '../../n8n/client';

export const QUEUE_WEBHOOK_PATH = 'konaplate-queue-burst';
const FIRST_AMOUNT = 1000;

/** The webhook example with its own id, path, and the Reference from the body. */
export function burstWorkflow(example: Workflow): Workflow {
	const wf = JSON.parse(JSON.stringify(example)) as Workflow;
	Object.assign(wf, { id: 'kpE2eQueueBurst01', name: 'e2e: queue mode, a burst of references' });
	for (const node of wf.nodes) {
		if (node.type === 'n8n-nodes-base.webhook') {
			node.parameters.path = QUEUE_WEBHOOK_PATH;
			node.webhookId = '3d0c6b7e-1f5a-4c2e-9a8b-0c5a7e00be01';
		}
		if (node.type === NODE_TYPE) node.parameters.reference = '={{ $json.body.reference }}';
	}
	return wf;
}

interface Submission {
	reference: string;
	amount: number;
	/** Konaplate refuses it (an empty card): the reference must stay free. */
	refused: boolean;
}

/** What one burst and its re-run came to. */
export interface BurstFigures {
	references: number;
	calls: number;
	/** references Konaplate moved money for more than once */
	doubleTransfers: number;
	/** references meant to transfer that no call transferred (both gave up) */
	neverSent: number;
	/** re-run answers that contradict what Konaplate saw: a transferred reference not read as transferred, a refused or unsent one not read as free */
	lostEntries: number;
	/** webhook answers of the burst, by kind */
	answers: Record<string, number>;
	burstMs: number;
	rerunMs: number;
	/** what is wrong, per reference, and answers of no known kind */
	findings: string[];
}

function kind(answer: WebhookAnswer): string {
	if (answer.status === 200 && answer.json?.alreadyTransferred) return 'alreadyTransferred';
	if (answer.status === 200 && answer.json?.transferred) return 'transferred';
	if (answer.status === 422) return String(answer.json?.code ?? 'refused');
	return `HTTP ${answer.status}`;
}

/** Accepted transfer requests per amount, by Konaplate's answer: moved (000_000) or refused. */
function byAmount(requests: ReceivedRequest[]): Map<number, { moved: number; refused: number }> {
	const counts = new Map<number, { moved: number; refused: number }>();
	for (const r of requests) {
		if (r.path !== ENDPOINT.transfer || r.verdict !== 'accepted') continue;
		const { amount } = JSON.parse(r.rawBody) as { amount: number };
		const count = counts.get(amount) ?? { moved: 0, refused: 0 };
		if (r.code === '000_000') count.moved++;
		else count.refused++;
		counts.set(amount, count);
	}
	return counts;
}

/**
 * `references` references (one in `refusedEvery` on an empty card, which Konaplate refuses),
 * each submitted `copies` times, all at once; then each once more, all at once. tag makes the
 * references of this burst new to the workflow's ledger.
 */
export async function runBurst(
	main: N8nClient,
	emulator: Emulator,
	{
		tag,
		references = 40,
		copies = 2,
		refusedEvery = 8,
		latencyMs = 200,
	}: {
		tag: string;
		references?: number;
		copies?: number;
		refusedEvery?: number;
		latencyMs?: number;
	},
): Promise<BurstFigures> {
	const list: Submission[] = Array.from({ length: references }, (_, i) => ({
		reference: `queue-${tag}-${String(i).padStart(3, '0')}`,
		amount: FIRST_AMOUNT + i,
		refused: i % refusedEvery === refusedEvery - 1,
	}));
	const call = (s: Submission) =>
		main.callWebhook('POST', QUEUE_WEBHOOK_PATH, {
			userId: MEMBER,
			fromCardNo: s.refused ? CARDS.empty : CARDS.benchFrom,
			toCardNo: s.refused ? CARDS.second : CARDS.benchTo,
			amount: s.amount,
			reference: s.reference,
		});
	await emulator.reset();
	await emulator.script([], { latencyMs });
	let t0 = Date.now();
	const calls = list.flatMap((s) => Array.from({ length: copies }, () => s));
	const answers = await Promise.all(calls.map(call));
	const burstMs = Date.now() - t0;
	const sent = byAmount(await emulator.requests());

	await emulator.reset();
	t0 = Date.now();
	const rerun = await Promise.all(list.map(call));
	const rerunMs = Date.now() - t0;
	const resent = byAmount(await emulator.requests());

	let doubleTransfers = 0;
	let neverSent = 0;
	let lostEntries = 0;
	const findings: string[] = [];
	answers.forEach((answer, i) => {
		if (kind(answer).startsWith('HTTP'))
			findings.push(`${calls[i].reference}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
	});
	list.forEach((s, i) => {
		const moved = sent.get(s.amount)?.moved ?? 0;
		if (moved > 1) doubleTransfers++;
		if (!s.refused && moved === 0) neverSent++;
		const again = resent.get(s.amount) ?? { moved: 0, refused: 0 };
		const read = kind(rerun[i]);
		const faithful =
			moved > 0
				? read === 'alreadyTransferred' && again.moved + again.refused === 0
				: again.moved + again.refused === 1;
		if (!faithful) {
			lostEntries++;
			findings.push(
				`${s.reference}: moved ${moved} in the burst; the re-run read ${read} and sent ${again.moved + again.refused}`,
			);
		}
	});
	const tally: Record<string, number> = {};
	for (const answer of answers) tally[kind(answer)] = (tally[kind(answer)] ?? 0) + 1;
	return {
		references,
		calls: calls.length,
		doubleTransfers,
		neverSent,
		lostEntries,
		answers: tally,
		burstMs,
		rerunMs,
		findings,
	};
}
