/**
 * No example moves money from a webhook nobody authenticated: every Webhook node of examples/
 * authenticates its caller, and a transfer it feeds has a Reference, limits and Require Reference,
 * and answers an error status on its error output when nothing was sent. npm run dev and the
 * e2e checks refuse to activate a webhook without authentication (scripts/e2e/webhook-key.ts).
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
				const [answer] = downstream(example, transfer.name, 1).map((name) =>
					example.nodes.find((node) => node.name === name),
				);
				expect(answer?.type).toBe('n8n-nodes-base.respondToWebhook');
				const { responseCode } = answer?.parameters.options as { responseCode: number };
				expect(responseCode).toBeGreaterThanOrEqual(400);
			}
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
