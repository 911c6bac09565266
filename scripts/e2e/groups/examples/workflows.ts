/**
 * The workflows the example checks make here: copies of the examples with other parameters on
 * their Konaplate node, and n8n's HTTP Request node with the Konaplate credential. run-e2e
 * imports them (the examples group, index.ts) with the examples.
 */
import type { INode } from 'n8n-workflow';

import { CARDS, MEMBER } from '../../../../emulator/data';
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { httpRequestWorkflow } from '../../../lib/http-request-workflow';
import { NODE_TYPE } from '../../instance';
import type { EmulatorCredential } from '../../instance';
import type { Workflow } from '../../n8n/home';

/** The Konaplate node of a workflow. */
export const konaplateNode = (wf: Workflow): INode => {
	const node = wf.nodes.find((n) => n.type === NODE_TYPE);
	if (!node) throw new Error(`${wf.name}: no Konaplate node`);
	return node;
};

/** A copy of an example with a new id and other parameters on its Konaplate node. */
function derive(
	example: Workflow,
	{
		id,
		name,
		parameters,
		onError,
	}: { id: string; name: string; parameters: Record<string, unknown>; onError?: INode['onError'] },
): Workflow {
	const wf = JSON.parse(JSON.stringify(example)) as Workflow;
	const node = konaplateNode(wf);
	Object.assign(wf, { id, name });
	Object.assign(node.parameters, parameters);
	if (onError) node.onError = onError;
	else delete node.onError;
	return wf;
}

/** Manual trigger -> HTTP Request nodes with "Predefined Credential Type -> the Konaplate credential": a JSON and a raw body. */
export function httpRequestE2e(baseUrl: string, credential: EmulatorCredential): Workflow {
	const workflow = httpRequestWorkflow({
		baseUrl,
		name: 'e2e: HTTP Request node with the Konaplate credential',
		credential: { id: credential.id, name: credential.name },
		trigger: true,
		calls: [
			{
				name: 'Inquiry (JSON body)',
				path: ENDPOINT.accountInquiry,
				body: { json: `{ "userId": ${MEMBER} }` },
			},
			// a bare 11-digit number, as Konaplate wants userId
			{
				name: 'Transfer (raw body)',
				path: ENDPOINT.transfer,
				body: {
					raw: `{"userId":${MEMBER},"fromCardNo":"${CARDS.main}","toCardNo":"${CARDS.second}","amount":700}`,
				},
			},
		],
	});
	return { ...workflow, id: 'kpE2eHttpRequest01' };
}

/** Copies of the examples with other parameters: a documented error, On Error = Continue, a refused amount. */
export function madeHere(ex: (file: string) => Workflow): [Workflow, Workflow, Workflow] {
	return [
		derive(ex('transfer-amount.json'), {
			id: 'kpE2eNotEnough01',
			name: 'e2e: 005_018 stops the run',
			// without the example's limits, which would refuse it before Konaplate is asked
			parameters: { amount: 1000000, options: { requireReference: true } },
		}),
		derive(ex('delete-bank-account.json'), {
			id: 'kpE2eUnknownMember1',
			name: 'e2e: 001_006 continues',
			parameters: { userId: '1' },
			onError: 'continueRegularOutput',
		}),
		derive(ex('transfer-amount.json'), {
			id: 'kpE2eAmountZero01',
			name: 'e2e: amount 0 refused',
			parameters: { amount: 0 },
		}),
	];
}
