/**
 * The burst of the queue-mode stage: a Webhook → Transfer Balance workflow with the Reference
 * from the body, on the shared ledger (its table in the cluster's own Postgres: on a worker the
 * workflow ledger refuses a transfer with a Reference), every reference submitted twice, all
 * calls in flight at once, so that the two workers (and the executions of each) meet on one
 * reference and on the ledger's rows. Then a re-run of every reference, to find the entries the
 * burst lost.
 *
 * Each reference has an amount of its own: the emulator does not see references, so a transfer
 * that reached it is matched to its reference by its amount.
 *
 * The workflow has a second trigger: a Manual Trigger whose Code node lists the first references of
 * the first burst, into the same Konaplate node. Run from the editor's API during that burst, it
 * executes on the main process (manual executions do, unless offloaded), a third process at the
 * ledger beside the two workers.
 */
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { CARDS, MEMBER } from '../../../../emulator/data';
import type { Emulator, ReceivedRequest } from '../../emulator-process';
import { CREDENTIAL_TYPE, NODE_TYPE } from '../../instance';
import type { Workflow } from '../../n8n/home';
import type { N8nClient, WebhookAnswer } from '../../n8n/client';
import { WEBHOOK_KEY_HEADER } from '../../webhook-key';

export const QUEUE_WEBHOOK_PATH = 'konaplate-queue-burst';
export const BURST_WORKFLOW_ID = 'kpE2eQueueBurst01';
export const MANUAL_TRIGGER = 'Manual run';
/** The first burst's references the manual execution sends too. */
const MANUAL_REFERENCES = 8;
const FIRST_AMOUNT = 1000;
const REFUSED_EVERY = 8;

interface Submission {
	reference: string;
	amount: number;
	/** Konaplate refuses it (an empty card): the reference must stay free. */
	refused: boolean;
}

function submissions(tag: string, references: number): Submission[] {
	return Array.from({ length: references }, (_, i) => ({
		reference: `queue-${tag}-${String(i).padStart(3, '0')}`,
		amount: FIRST_AMOUNT + i,
		refused: i % REFUSED_EVERY === REFUSED_EVERY - 1,
	}));
}

/** The webhook's body for a submission (the manual run's items carry it as `body` too). */
const bodyOf = (s: Submission) => ({
	userId: MEMBER,
	fromCardNo: s.refused ? CARDS.empty : CARDS.benchFrom,
	toCardNo: s.refused ? CARDS.second : CARDS.benchTo,
	amount: s.amount,
	reference: s.reference,
});

/** The first burst's tag: the manual execution's references are its first ones. */
export const FIRST_TAG = 'r1';

/** The Konaplate credential a copy of the webhook example uses: id and name. */
type CredentialRef = { id: string; name: string };

/**
 * A copy of the webhook example (its Reference from the body) under its own id, name and path,
 * its Konaplate node on `credential`; returns the copy and its Konaplate node's name.
 */
export function webhookExampleCopy(
	example: Workflow,
	copy: { id: string; name: string; path: string; webhookId: string; credential: CredentialRef },
): { wf: Workflow; konaplate: string } {
	const wf = JSON.parse(JSON.stringify(example)) as Workflow;
	Object.assign(wf, { id: copy.id, name: copy.name });
	let konaplate = '';
	for (const node of wf.nodes) {
		if (node.type === 'n8n-nodes-base.webhook') {
			node.parameters.path = copy.path;
			node.webhookId = copy.webhookId;
		}
		if (node.type === NODE_TYPE) {
			node.parameters.reference = '={{ $json.body.reference }}';
			node.credentials = { [CREDENTIAL_TYPE]: copy.credential };
			konaplate = node.name;
		}
	}
	return { wf, konaplate };
}

/**
 * The webhook example with its own id and path on `credential` (the shared ledger's), and the
 * manual trigger.
 */
export function burstWorkflow(example: Workflow, credential: CredentialRef): Workflow {
	const { wf, konaplate } = webhookExampleCopy(example, {
		id: BURST_WORKFLOW_ID,
		name: 'e2e: queue mode, a burst of references on the shared ledger',
		path: QUEUE_WEBHOOK_PATH,
		webhookId: '3d0c6b7e-1f5a-4c2e-9a8b-0c5a7e00be01',
		credential,
	});
	const list = submissions(FIRST_TAG, MANUAL_REFERENCES).map(bodyOf);
	wf.nodes.push(
		{
			id: '0c5a7e00-be02-4c2e-9a8b-3d0c6b7e0001',
			name: MANUAL_TRIGGER,
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 200],
			parameters: {},
		},
		{
			id: '0c5a7e00-be02-4c2e-9a8b-3d0c6b7e0002',
			name: 'References of the manual run',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [120, 200],
			parameters: {
				jsCode: `return ${JSON.stringify(list)}.map((body) => ({ json: { body } }));`,
			},
		},
	);
	const to = (node: string) => ({ main: [[{ node, type: 'main' as const, index: 0 }]] });
	wf.connections[MANUAL_TRIGGER] = to('References of the manual run');
	wf.connections['References of the manual run'] = to(konaplate);
	return wf;
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
		latencyMs = 200,
	}: { tag: string; references?: number; copies?: number; latencyMs?: number },
): Promise<BurstFigures> {
	const list = submissions(tag, references);
	const call = (s: Submission) =>
		main.callWebhook('POST', QUEUE_WEBHOOK_PATH, bodyOf(s), { headers: WEBHOOK_KEY_HEADER });
	await emulator.reset();
	await emulator.script([], { latencyMs });
	let t0 = Date.now();
	const calls = list.flatMap((s) => Array.from({ length: copies }, () => s));
	const manual =
		tag === FIRST_TAG
			? main.runManually(BURST_WORKFLOW_ID, { triggerName: MANUAL_TRIGGER })
			: undefined;
	const answers = await Promise.all(calls.map(call));
	const manualRun = await manual;
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
	if (manualRun) {
		const [sent = [], refused = []] = Object.values(manualRun.nodes).find(
			(node) => node.outputs.length === 2,
		)?.outputs ?? [[], []];
		tally['manual run on main: transferred'] = sent.filter((i) => i.transferred).length;
		tally['manual run on main: alreadyTransferred'] = sent.filter(
			(i) => i.alreadyTransferred,
		).length;
		tally['manual run on main: refused'] = refused.length;
		if (manualRun.status !== 'success')
			findings.push(`the manual run ended ${manualRun.status}: ${JSON.stringify(manualRun.error)}`);
	}
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
