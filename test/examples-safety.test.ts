/**
 * No example moves money from a webhook nobody authenticated: every Webhook node of examples/
 * authenticates its caller, and a transfer it feeds has a Reference, limits and Require Reference,
 * and answers an error status on its error output when nothing was sent. npm run dev and the
 * e2e checks refuse to activate a webhook without authentication (scripts/e2e/webhook-key.ts).
 * No example turns on full card numbers: a chain from the card list into transfers names the cards
 * By PAR Token. A transfer of the entire balance sets no limit, which would refuse it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IConnections, INode } from 'n8n-workflow';

import { assertAuthenticatedWebhooks, WEBHOOK_KEY } from '../scripts/e2e/webhook-key';

interface Example {
	name: string;
	nodes: INode[];
	connections: IConnections;
}

const dir = join(__dirname, '..', 'examples');
const examples = readdirSync(dir)
	.filter((file) => file.endsWith('.json'))
	.map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as Example] as const);
const KONAPLATE = 'n8n-nodes-konaplate.konaplate';

/** The names of the nodes reachable from `from` on its main output `output` (all outputs if undefined). */
function downstream(example: Example, from: string, output?: number): string[] {
	const outputs = example.connections[from]?.main ?? [];
	const next = (output === undefined ? outputs : [outputs[output] ?? []])
		.flatMap((targets) => targets ?? [])
		.map((target) => target.node);
	return [...next, ...next.flatMap((name) => downstream(example, name))];
}

describe('examples/: every example teaches the safe way', () => {
	const transfers = examples.flatMap(([file, example]) =>
		example.nodes
			.filter(
				(node) =>
					[KONAPLATE, `${KONAPLATE}Tool`].includes(node.type) &&
					node.parameters.operation === 'transferBalance',
			)
			.map((node) => [`${file}: ${node.name}`, node] as const),
	);

	it('there are transfers to check', () => {
		expect(transfers.length).toBeGreaterThanOrEqual(8);
	});

	it.each(transfers)('%s has a Reference, required', (_name, node) => {
		expect(String(node.parameters.reference ?? '')).not.toBe('');
		expect(node.parameters.options).toMatchObject({ requireReference: true });
	});

	it.each(transfers.filter(([, node]) => node.parameters.transferEntireBalance !== true))(
		'%s, a known amount, has both spending limits',
		(_name, node) => {
			expect(node.parameters.options).toMatchObject({
				maxAmountPerTransfer: expect.any(Number),
				maxTotalPerRun: expect.any(Number),
			});
		},
	);

	it.each(transfers.filter(([, node]) => node.parameters.transferEntireBalance === true))(
		'%s, the entire balance, sets no spending limit (a limit refuses it: LIMIT_ENTIRE_BALANCE)',
		(_name, node) => {
			expect(node.parameters.options).not.toHaveProperty('maxAmountPerTransfer');
			expect(node.parameters.options).not.toHaveProperty('maxTotalPerRun');
		},
	);

	it.each(examples)('%s explains itself with a sticky note on the canvas', (_file, example) => {
		const notes = example.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
		expect(notes.length).toBeGreaterThanOrEqual(1);
		expect(String(notes[0].parameters.content)).toMatch(/^## \S/);
	});
});

describe('examples/: full card numbers', () => {
	/** Whether a Konaplate node's option is set to anything but off (true, an expression). */
	const showsFull = (node: INode) => {
		const options = (node.parameters.options ?? {}) as { showFullCardNumbers?: unknown };
		return ![undefined, false].includes(options.showFullCardNumbers as undefined);
	};
	const turnsOn = (example: Example) =>
		example.nodes.some(
			(node) => [KONAPLATE, `${KONAPLATE}Tool`].includes(node.type) && showsFull(node),
		);

	it('no example turns Show Full Card Numbers on', () => {
		expect(examples.filter(([, example]) => turnsOn(example)).map(([file]) => file)).toEqual([]);
	});

	/** Each transfer fed by Card → Get Many, with its card fields that read the input. */
	const fedByCardList = examples.flatMap(([file, example]) =>
		example.nodes
			.filter((node) => node.type === KONAPLATE && node.parameters.operation === 'getMany')
			.flatMap((list) => downstream(example, list.name))
			.map((name) => example.nodes.find((node) => node.name === name))
			.filter((node) => node?.parameters.operation === 'transferBalance')
			.map((node) => [`${file}: ${node?.name}`, node as INode] as const),
	);

	it.each(fedByCardList)('%s names the listed cards By PAR Token', (_name, node) => {
		const fromInput = ['fromCardNo', 'toCardNo']
			.map((name) => node.parameters[name] as { mode?: string; value?: unknown } | string)
			.filter((field) => JSON.stringify(field).includes('$json'));
		expect(fromInput.length).toBeGreaterThan(0);
		for (const field of fromInput) expect(field).toMatchObject({ mode: 'par' });
	});
});

describe('examples/: webhooks that move money', () => {
	const withWebhooks = examples.filter(([, example]) =>
		example.nodes.some((node) => node.type === 'n8n-nodes-base.webhook'),
	);

	it('there is one, the first workflow of the README', () => {
		expect(withWebhooks.map(([file]) => file)).toEqual(['webhook-transfer.json']);
	});

	it.each(withWebhooks)('%s: every Webhook node authenticates its caller', (_file, example) => {
		expect(() => assertAuthenticatedWebhooks(example)).not.toThrow();
		const hook = example.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
		expect(hook?.parameters.authentication).toBe('headerAuth');
		expect(hook?.credentials?.httpHeaderAuth?.id).toBe(WEBHOOK_KEY.id);
	});

	it.each(withWebhooks)(
		'%s: each transfer it feeds has a Reference, both limits and Require Reference, and an error status on its error output',
		(_file, example) => {
			const hook = example.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
			const reached = downstream(example, hook?.name ?? '');
			const transfers = example.nodes.filter(
				(node) =>
					node.type === KONAPLATE &&
					node.parameters.operation === 'transferBalance' &&
					reached.includes(node.name),
			);
			expect(transfers).not.toHaveLength(0);
			for (const transfer of transfers) {
				expect(transfer.parameters.reference).toMatch(/^=\{\{ \$json\.body\.\w+ \}\}$/);
				expect(transfer.parameters.transferEntireBalance).toBe(false);
				expect(transfer.parameters.options).toMatchObject({
					maxAmountPerTransfer: expect.any(Number),
					maxTotalPerRun: expect.any(Number),
					requireReference: true,
				});
				expect(transfer.onError).toBe('continueErrorOutput');
				const answers = downstream(example, transfer.name, 1)
					.map((name) => example.nodes.find((node) => node.name === name))
					.filter((node) => node?.type === 'n8n-nodes-base.respondToWebhook');
				const codes = answers.map(
					(answer) => (answer?.parameters.options as { responseCode: number }).responseCode,
				);
				expect(codes.length).toBeGreaterThanOrEqual(2);
				for (const code of codes) expect(code).toBeGreaterThanOrEqual(400);
			}
		},
	);

	it.each(withWebhooks)(
		'%s: success, refused (nothing sent) and unknown outcome answer three distinct statuses; unknown is never the status of "nothing sent"',
		(_file, example) => {
			const transfer = example.nodes.find(
				(node) => node.type === KONAPLATE && node.parameters.operation === 'transferBalance',
			) as INode;
			const respond = (name: string) => {
				const node = example.nodes.find((candidate) => candidate.name === name) as INode;
				expect(node.type).toBe('n8n-nodes-base.respondToWebhook');
				return node;
			};
			const codeOf = (node: INode) =>
				(node.parameters.options as { responseCode: number }).responseCode;
			const [success] = downstream(example, transfer.name, 0);
			const [branch] = downstream(example, transfer.name, 1);
			const split = example.nodes.find((node) => node.name === branch) as INode;
			expect(split.type).toBe('n8n-nodes-base.if');
			expect(JSON.stringify(split.parameters)).toContain('$json.error.outcome');
			expect(JSON.stringify(split.parameters)).toContain('"rightValue":"unknown"');
			const [unknown] = downstream(example, branch, 0);
			const [refused] = downstream(example, branch, 1);
			const codes = [success, refused, unknown].map((name) => codeOf(respond(name)));
			expect(codes).toEqual([200, 422, 409]);
			expect(String(respond(unknown).parameters.responseBody)).toMatch(
				/Do not send this payout again/,
			);
			expect(String(respond(refused).parameters.responseBody)).toContain('$json.error.code');
		},
	);

	it("the README's first workflow is this one, with its Header Auth credential and header", () => {
		const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
		const first =
			/## A first workflow in five minutes[^\n]*\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
		expect(first).toContain('(examples/webhook-transfer.json)');
		expect(first).toContain(`**${WEBHOOK_KEY.name}**`);
		expect(first).toContain(`\`${WEBHOOK_KEY.data.name}\``);
		expect(first).toContain(`-H '${WEBHOOK_KEY.data.name}: <your secret>'`);
	});

	it('an unauthenticated Webhook node is refused before activation', () => {
		const [, example] = withWebhooks[0];
		const open = JSON.parse(JSON.stringify(example)) as Example;
		for (const node of open.nodes) delete node.parameters.authentication;
		expect(() => assertAuthenticatedWebhooks(open)).toThrow(/has no authentication/);
	});
});
