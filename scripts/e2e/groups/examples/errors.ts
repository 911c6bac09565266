/**
 * The documented errors on copies of the examples (made here): one stops the run, one continues
 * as an output item, and a refused amount is never sent.
 */
import { ENDPOINT } from '../../../../nodes/Konaplate/wire/endpoints';
import { assert } from '../../checks';
import type { GroupContext } from '../../group';
import {
	assertSucceeded,
	balancesAre,
	CORRELATION_ID_IN_TEXT,
	emulatorReceived,
	failedWith,
} from '../../expect';
import type { Workflow } from '../../n8n/home';
import { konaplateNode } from './workflows';
import { KOREAN_MEANINGS } from '../../../../nodes/Konaplate/wire/codes-ko';

export async function documentedErrorChecks(
	context: GroupContext,
	/** madeHere(): 005_018 stops, 001_006 continues, amount 0 */
	made: [Workflow, Workflow, Workflow],
): Promise<void> {
	const { checks, emulator, credential, runExample, outputs } = context;
	await checks.check(
		'documented error: 005_018 stops the run as NodeApiError with code, meaning, correlation id',
		async () => {
			const error = failedWith(await runExample(made[0]), 'NodeApiError');
			assert.equal(error.message, '005_018: There is not enough balance to transfer.');
			assert.equal(String(error.httpCode), '400');
			const m = new RegExp(
				`more than the balance.*\\(HTTP 400, item 0, correlation id (${CORRELATION_ID_IN_TEXT})\\)`,
			).exec(error.description ?? '');
			assert.ok(m, `description: ${error.description}`);
			await emulatorReceived(emulator, credential, [
				{ path: ENDPOINT.transfer, code: '005_018', correlationId: m[1] },
			]);
			await balancesAre(emulator, {});
		},
	);

	await checks.check(
		'documented error: 001_006 with On Error -> Continue becomes { error: { message, code, konaplateMeaningKo, ... } }',
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
				'konaplateMeaningKo',
				'message',
			]);
			assert.equal(item.error.code, '001_006');
			assert.equal(item.error.konaplateMeaningKo, KOREAN_MEANINGS['001_006']);
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
			const error = failedWith(await runExample(made[2]), 'NodeOperationError');
			assert.match(`${error.message} ${error.description || ''}`, /Amount/);
			await emulatorReceived(emulator, credential, []);
		},
	);
}
