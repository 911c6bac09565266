/**
 * The examples and the workflows made here, in a real n8n started by run-e2e: each output, the
 * documented errors, the webhook, and n8n's HTTP Request node with the Konaplate credential,
 * with what the emulator received and the balances it holds after each.
 */
import type { INode } from 'n8n-workflow';

import { CARDS, MEMBER } from '../../emulator/data';
import { CORRELATION_ID_PATTERN as CORRELATION_ID } from '../../nodes/Konaplate/wire/clock';
import { ENDPOINT } from '../../nodes/Konaplate/wire/endpoints';
import { maskCardNo as masked } from '../../nodes/Konaplate/wire/fields';
import { httpRequestWorkflow } from '../lib/http-request-workflow';
import { assert } from './checks';
import type { SuiteContext } from './context';
import { assertSucceeded, balancesAre, CORRELATION_ID_IN_TEXT, emulatorReceived } from './expect';
import { NODE_TYPE } from './instance';
import type { EmulatorCredential } from './instance';
import type { Workflow } from './n8n/home';
import type { OutputItem } from './n8n/run-data';

const WEBHOOK_PATH = 'konaplate-transfer';

const konaplateNode = (wf: Workflow): INode => {
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

/** Manual trigger -> HTTP Request nodes with "Predefined Credential Type -> konaCredentials": a JSON and a raw body. */
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

function assertTransferOutput(
	item: OutputItem,
	{ from, to, amount, entire }: { from: string; to: string; amount: number; entire: boolean },
): void {
	assert.deepEqual(Object.keys(item).sort(), [
		'amount',
		'correlationId',
		'fromCardNo',
		'toCardNo',
		'transferEntireBalance',
		'transferred',
		'userId',
	]);
	assert.equal(item.transferred, true);
	assert.equal(item.userId, MEMBER);
	assert.equal(item.fromCardNo, masked(from));
	assert.equal(item.toCardNo, masked(to));
	assert.equal(item.transferEntireBalance, entire);
	assert.equal(item.amount, amount);
	assert.match(item.correlationId, CORRELATION_ID);
}

/** Copies of the examples with other parameters: a documented error, On Error = Continue, a refused amount. */
export function madeHere(ex: (file: string) => Workflow): [Workflow, Workflow, Workflow] {
	return [
		derive(ex('transfer-amount.json'), {
			id: 'kpE2eNotEnough01',
			name: 'e2e: 005_018 stops the run',
			parameters: { amount: 1000000 },
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

export interface ExamplesContext extends SuiteContext {
	/** the closing check's list of outputs to search for secrets */
	outputs: OutputItem[];
}

export async function runExampleChecks({
	checks,
	srv,
	emulator,
	credential,
	ex,
	runExample,
	outputs,
}: ExamplesContext): Promise<void> {
	const made = madeHere(ex);
	await checks.check(
		'transfer-amount: 5,000 KRW, masked cards, correlation id, 1 signed request, balances moved',
		async () => {
			const wf = ex('transfer-amount.json');
			const e = await runExample(wf);
			assertSucceeded(e);
			const items = e.nodes[konaplateNode(wf).name].items;
			assert.equal(items.length, 1);
			outputs.push(...items);
			assertTransferOutput(items[0], {
				from: CARDS.main,
				to: CARDS.second,
				amount: 5000,
				entire: false,
			});
			await emulatorReceived(emulator, credential, [
				{
					path: ENDPOINT.transfer,
					code: '000_000',
					correlationId: items[0].correlationId,
					body: {
						userId: Number(MEMBER),
						fromCardNo: CARDS.main,
						toCardNo: CARDS.second,
						amount: 5000,
					},
				},
			]);
			await balancesAre(emulator, { [CARDS.main]: 45000, [CARDS.second]: 15000 });
		},
	);

	await checks.check(
		'transfer-entire-balance: amount 0 sent, 10,000 KRW moved and reported',
		async () => {
			const wf = ex('transfer-entire-balance.json');
			const e = await runExample(wf);
			assertSucceeded(e);
			const items = e.nodes[konaplateNode(wf).name].items;
			outputs.push(...items);
			assertTransferOutput(items[0], {
				from: CARDS.second,
				to: CARDS.main,
				amount: 10000,
				entire: true,
			});
			await emulatorReceived(emulator, credential, [
				{
					path: ENDPOINT.transfer,
					code: '000_000',
					correlationId: items[0].correlationId,
					body: {
						userId: Number(MEMBER),
						fromCardNo: CARDS.second,
						toCardNo: CARDS.main,
						amount: 0,
					},
				},
			]);
			await balancesAre(emulator, { [CARDS.main]: 60000, [CARDS.second]: 0 });
		},
	);

	await checks.check(
		'error-output-report: 005_017 to the error output, reported by the Set node with its code',
		async () => {
			const wf = ex('error-output-report.json');
			const e = await runExample(wf);
			assertSucceeded(e);
			const transfer = e.nodes[konaplateNode(wf).name];
			assert.deepEqual(transfer.outputs[0], [], 'success output should be empty');
			const [failed] = transfer.outputs[1];
			outputs.push(failed);
			assert.equal(failed.error.message, '005_017: Possible collection balance is zero.');
			assert.equal(failed.error.code, '005_017');
			assert.equal(failed.error.httpCode, 400);
			assert.equal(failed.error.itemIndex, 0);
			assert.match(failed.error.correlationId, CORRELATION_ID);
			assert.match(
				failed.error.description,
				new RegExp(
					`balance of 0.*\\(HTTP 400, item 0, correlation id ${CORRELATION_ID_IN_TEXT}\\)`,
				),
			);
			assert.equal(e.nodes.Transferred, undefined, 'the success branch ran');
			const [report] = e.nodes['Report the Konaplate code'].items;
			assert.deepEqual(report, {
				failed: true,
				konaplateCode: '005_017',
				message: failed.error.message,
				correlationId: failed.error.correlationId,
			});
			await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.transfer, code: '005_017', correlationId: failed.error.correlationId },
			]);
			await balancesAre(emulator, {});
		},
	);

	await checks.check(
		'documented error: 005_018 stops the run as NodeApiError with code, meaning, correlation id',
		async () => {
			const e = await runExample(made[0]);
			assert.equal(e.status, 'error');
			assert.equal(e.error?.name, 'NodeApiError');
			assert.equal(e.error?.message, '005_018: There is not enough balance to transfer.');
			assert.equal(String(e.error?.httpCode), '400');
			const m = new RegExp(
				`more than the balance.*\\(HTTP 400, item 0, correlation id (${CORRELATION_ID_IN_TEXT})\\)`,
			).exec(e.error?.description ?? '');
			assert.ok(m, `description: ${e.error?.description}`);
			await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.transfer, code: '005_018', correlationId: m[1] },
			]);
			await balancesAre(emulator, {});
		},
	);

	await checks.check(
		'documented error: 001_006 with On Error -> Continue becomes { error: { message, code, ... } }',
		async () => {
			const e = await runExample(made[1]);
			assertSucceeded(e);
			const [item] = e.nodes[konaplateNode(made[1]).name].items;
			outputs.push(item);
			assert.deepEqual(Object.keys(item), ['error']);
			assert.equal(item.error.message, '001_006: Wallet user not found.');
			assert.deepEqual(Object.keys(item.error).sort(), [
				'code',
				'correlationId',
				'description',
				'httpCode',
				'itemIndex',
				'message',
			]);
			assert.equal(item.error.code, '001_006');
			assert.equal(item.error.httpCode, 400);
			await emulatorReceived(emulator, credential, [
				{
					path: ENDPOINT.delete,
					code: '001_006',
					correlationId: item.error.correlationId,
					body: { userId: 1 },
				},
			]);
		},
	);

	await checks.check(
		'refused before sending: amount 0 (NodeOperationError naming the field, 0 requests)',
		async () => {
			const e = await runExample(made[2]);
			assert.equal(e.status, 'error');
			assert.equal(e.error?.name, 'NodeOperationError');
			assert.match(`${e.error?.message} ${e.error?.description || ''}`, /Amount/);
			await emulatorReceived(emulator, credential, []);
		},
	);

	await checks.check(
		'webhook-transfer: POST -> 200 with the transfer; refused -> 422 with the code; 2 signed requests',
		async () => {
			const wf = ex('webhook-transfer.json');
			await emulator.reset();
			await srv.activate(wf.id, { webhookPaths: [WEBHOOK_PATH] });
			const ok = await srv.callWebhook('POST', WEBHOOK_PATH, {
				userId: MEMBER,
				fromCardNo: CARDS.main,
				toCardNo: CARDS.second,
				amount: 1200,
			});
			assert.equal(ok.status, 200, ok.text);
			outputs.push(ok.json);
			assertTransferOutput(ok.json, {
				from: CARDS.main,
				to: CARDS.second,
				amount: 1200,
				entire: false,
			});
			const refused = await srv.callWebhook('POST', WEBHOOK_PATH, {
				userId: MEMBER,
				fromCardNo: CARDS.empty,
				toCardNo: CARDS.main,
				amount: 100,
			});
			assert.equal(refused.status, 422, refused.text);
			outputs.push(refused.json);
			assert.equal(refused.json.code, '005_017');
			assert.equal(refused.json.error, '005_017: Possible collection balance is zero.');
			assert.match(refused.json.correlationId, CORRELATION_ID);
			await emulatorReceived(emulator, credential, [
				{
					path: ENDPOINT.transfer,
					code: '000_000',
					correlationId: ok.json.correlationId,
					body: {
						userId: Number(MEMBER),
						fromCardNo: CARDS.main,
						toCardNo: CARDS.second,
						amount: 1200,
					},
				},
				{ path: ENDPOINT.transfer, code: '005_017', correlationId: refused.json.correlationId },
			]);
			await balancesAre(emulator, { [CARDS.main]: 48800, [CARDS.second]: 11200 });
		},
	);

	await checks.check(
		"n8n's HTTP Request node, Predefined Credential Type konaCredentials: JSON and raw bodies signed, accepted",
		async () => {
			const wf = httpRequestE2e(emulator.baseUrl, credential);
			const e = await runExample(wf);
			assertSucceeded(e);
			const [inquiry] = e.nodes['Inquiry (JSON body)'].items;
			assert.equal(inquiry.response.code, '000_000', JSON.stringify(inquiry));
			assert.equal(String(inquiry.userId), MEMBER);
			const [transfer] = e.nodes['Transfer (raw body)'].items;
			assert.equal(transfer.response.code, '000_000', JSON.stringify(transfer));
			await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.accountInquiry, code: '000_000', body: { userId: Number(MEMBER) } },
				{
					path: ENDPOINT.transfer,
					code: '000_000',
					body: {
						userId: Number(MEMBER),
						fromCardNo: CARDS.main,
						toCardNo: CARDS.second,
						amount: 700,
					},
				},
			]);
			await balancesAre(emulator, { [CARDS.main]: 49300, [CARDS.second]: 10700 });
		},
	);
}
