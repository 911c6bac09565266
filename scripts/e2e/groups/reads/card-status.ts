/**
 * Card > Suspend and Card > Resume in a real n8n (npm run test:e2e): one workflow, Start ->
 * Suspend -> Card > Get -> Resume -> Card > Get, so the emulator's card state is read between the
 * changes; each change sends the card's PAR token, never its number.
 */
import type { INode } from 'n8n-workflow';

import { CARDS, MEMBER } from '../../../../emulator/data';
import { parOf } from '../../../../emulator/ids';
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { maskCardNo as masked } from '../../../../nodes/Konaplate/wire/redact';
import { assert } from '../../checks';
import type { GroupContext } from '../../group';
import { emulatorReceived } from '../../expect';
import { CREDENTIAL_TYPE, NODE_TYPE } from '../../instance';
import type { Workflow } from '../../n8n/home';
import type { OutputItem } from '../../n8n/run-data';
import { only } from './workflows';

const STEPS: Array<[string, INode['parameters']]> = [
	['Suspend', { resource: 'card', operation: 'suspend', userId: MEMBER, cardNo: CARDS.main }],
	['Suspended?', { resource: 'card', operation: 'get', cardNo: CARDS.main }],
	['Resume', { resource: 'card', operation: 'resume', userId: MEMBER, cardNo: CARDS.main }],
	['Resumed?', { resource: 'card', operation: 'get', cardNo: CARDS.main }],
];

export const CARD_STATUS_WORKFLOW: Workflow = {
	id: 'kpE2eCardStatus001',
	name: 'e2e: Card > Suspend, Get, Resume, Get',
	nodes: [
		{
			parameters: {},
			id: 'c2a0e1f4-0002-4b00-8000-000000000000',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
		},
		...STEPS.map(
			([name, parameters], index): INode => ({
				parameters: { ...parameters, options: {} },
				id: `c2a0e1f4-0002-4b00-8000-00000000000${index + 1}`,
				name,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220 * (index + 1), 0],
				credentials: {
					[CREDENTIAL_TYPE]: { id: 'konaplateEmulator', name: 'Konaplate emulator' },
				},
			}),
		),
	],
	connections: Object.fromEntries(
		['Start', ...STEPS.map(([name]) => name)]
			.slice(0, -1)
			.map((name, index) => [
				name,
				{ main: [[{ node: STEPS[index][0], type: 'main', index: 0 }]] },
			]),
	),
	settings: { executionOrder: 'v1' },
};

export async function cardStatusChecks(context: GroupContext, outputs: OutputItem[]) {
	const { checks, emulator, credential, runExample } = context;
	await checks.check(
		'Card > Suspend then Resume: PAR and status sent, the card SUSPENDED between, ACTIVE after',
		async () => {
			const e = await runExample(CARD_STATUS_WORKFLOW);
			const [suspended, between, resumed, after] = STEPS.map(([name]) => {
				const items = only(e, name);
				assert.equal(items.length, 1, name);
				return items[0];
			});
			outputs.push(suspended, between, resumed, after);
			assert.deepEqual(
				{ ...suspended, correlationId: undefined },
				{
					suspended: true,
					userId: MEMBER,
					cardNo: masked(CARDS.main),
					status: 'SUSPEND',
					correlationId: undefined,
				},
			);
			assert.equal(between.cardStatus, 'SUSPENDED');
			assert.equal(resumed.resumed, true);
			assert.equal(after.cardStatus, 'ACTIVE');
			const change = (status: string, correlationId: string) => ({
				path: ENDPOINT.cardStatus,
				code: '000_000',
				correlationId,
				body: { userId: Number(MEMBER), par: parOf(CARDS.main), status },
			});
			const list = { path: ENDPOINT.cardList, code: '000_000' };
			const get = { path: ENDPOINT.cardInfo, code: '000_000' };
			await emulatorReceived(emulator, credential, [
				list,
				change('SUSPEND', suspended.correlationId),
				get,
				list,
				change('RESUME', resumed.correlationId),
				get,
			]);
		},
	);
}
