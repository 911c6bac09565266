/**
 * Issue 29, item 1, in a real n8n: no request to Konaplate follows a redirect. The emulator
 * processes each request, then answers 307, 308 or 302 with a Location back to itself or to its
 * second host (another loopback address, which records what it receives and must receive nothing).
 */
import type { INode } from 'n8n-workflow';

import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { CARDS, MEMBER } from '../../../../emulator/data';
import { assert } from '../../checks';
import type { Emulator } from '../../emulator-process';
import type { E2eGroup, GroupContext } from '../../group';
import { CREDENTIAL_TYPE, NODE_TYPE } from '../../instance';
import type { Workflow } from '../../n8n/home';

const REFERENCE = 'e2e-redirect-307';

/** Manual trigger -> one Konaplate node with these parameters (an error stops the execution). */
function workflow(id: string, name: string, parameters: INode['parameters'], n: number): Workflow {
	const uuid = (part: string) => `7e0d1a2b-${part}-4c00-8000-${String(n).padStart(12, '0')}`;
	return {
		id,
		name,
		nodes: [
			{
				parameters: {},
				id: uuid('0000'),
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
			},
			{
				parameters: { options: {}, ...parameters },
				id: uuid('0001'),
				name: 'Konaplate',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				credentials: { [CREDENTIAL_TYPE]: { id: 'konaplateEmulator', name: 'Konaplate emulator' } },
			},
		],
		connections: { Start: { main: [[{ node: 'Konaplate', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const transfer = (reference: string): INode['parameters'] => ({
	resource: 'card',
	operation: 'transferBalance',
	userId: MEMBER,
	fromCardNo: CARDS.main,
	toCardNo: CARDS.second,
	transferEntireBalance: false,
	amount: 100,
	reference,
});

const WORKFLOWS = {
	transfer307: workflow(
		'kpE2eRedirect307001',
		'e2e: redirects, a transfer answered 307',
		transfer(REFERENCE),
		1,
	),
	transfer308: workflow(
		'kpE2eRedirect308001',
		'e2e: redirects, a transfer answered 308 to another host',
		transfer('e2e-redirect-308'),
		2,
	),
	cardGet: workflow(
		'kpE2eRedirect302001',
		'e2e: redirects, Card > Get answered 302',
		{ resource: 'card', operation: 'get', cardNo: CARDS.main },
		3,
	),
	delete: workflow(
		'kpE2eRedirect302002',
		'e2e: redirects, Delete Bank Account answered 308 to another host',
		{ resource: 'bankAccount', operation: 'delete', userId: MEMBER },
		4,
	),
};

/** What reached the emulator since its reset, as "METHOD path". */
const received = async (emulator: Emulator) =>
	(await emulator.requests()).map((r) => `${r.method} ${r.path}`);

const REDIRECT = (status: number, host: string) =>
	`Konaplate's address answered with a redirect (HTTP ${status}, to ${host}), which the node never follows`;

async function run({ checks, srv, emulator, notes }: GroupContext): Promise<void> {
	const self = new URL(emulator.baseUrl).host;
	const second = await emulator.secondHost();
	const secondHost = new URL(second.origin).host;
	const secondReceived: string[] = [];
	/** The second host's log, read after each check that pointed a redirect at it. */
	const secondHostGotNothing = async (check: string) => {
		const { received: got } = await emulator.secondHost();
		secondReceived.push(`${check}: ${got.length}`);
		assert.deepEqual(
			got.map((r) => `${r.method} ${r.path}`),
			[],
			'the second host received a request',
		);
	};

	await checks.check(
		'redirects: a transfer answered 307: sent once, not resent, outcome unknown; the re-run with its Reference sends nothing',
		async () => {
			await emulator.reset();
			await emulator.redirect(307, 'self');
			const first = await srv.runManually(WORKFLOWS.transfer307.id);
			assert.equal(first.status, 'error');
			assert.equal(first.error?.message, REDIRECT(307, self));
			assert.match(first.error?.description ?? '', /The transfer may or may not have happened/);
			assert.match(
				first.error?.description ?? '',
				new RegExp(`Its Reference "${REFERENCE}" stays marked as outcome unknown`),
			);
			assert.doesNotMatch(JSON.stringify(first.error), /redirect-secret/);
			assert.deepEqual(await received(emulator), [`POST ${ENDPOINT.transfer}`]);
			await emulator.reset();
			const again = await srv.runManually(WORKFLOWS.transfer307.id);
			assert.equal(again.status, 'error');
			assert.match(
				again.error?.message ?? '',
				new RegExp(`^Item 0 \\(Reference "${REFERENCE}"\\) was not sent: an earlier transfer`),
			);
			assert.deepEqual(await received(emulator), []);
		},
	);

	await checks.check(
		'redirects: a transfer answered 308 to a second host: outcome unknown, the second host receives nothing',
		async () => {
			await emulator.reset();
			await emulator.redirect(308, 'second-host');
			const e = await srv.runManually(WORKFLOWS.transfer308.id);
			assert.equal(e.status, 'error');
			assert.equal(e.error?.message, REDIRECT(308, secondHost));
			assert.match(e.error?.description ?? '', /The transfer may or may not have happened/);
			assert.deepEqual(await received(emulator), [`POST ${ENDPOINT.transfer}`]);
			await secondHostGotNothing('transfer 308');
		},
	);

	await checks.check(
		'redirects: Card > Get answered 302, Delete Bank Account answered 308 to a second host: refused, nothing followed',
		async () => {
			await emulator.reset();
			await emulator.redirect(302, 'self');
			const read = await srv.runManually(WORKFLOWS.cardGet.id);
			assert.equal(read.status, 'error');
			assert.equal(read.error?.message, REDIRECT(302, self));
			assert.match(read.error?.description ?? '', /Nothing was sent on: the node never follows/);
			assert.deepEqual(await received(emulator), [`POST ${ENDPOINT.cardInfo}`]);
			await emulator.reset();
			await emulator.redirect(308, 'second-host');
			const del = await srv.runManually(WORKFLOWS.delete.id);
			assert.equal(del.status, 'error');
			assert.equal(del.error?.message, REDIRECT(308, secondHost));
			assert.deepEqual(await received(emulator), [`POST ${ENDPOINT.delete}`]);
			await secondHostGotNothing('delete 308');
		},
	);
	notes.push(
		`redirects: the second host ${second.origin} received ${secondReceived.join(', ')} requests`,
	);
}

export const group: E2eGroup = {
	name: 'redirects',
	workflows: () => Object.values(WORKFLOWS),
	run,
};
