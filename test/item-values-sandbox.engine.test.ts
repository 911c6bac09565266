// Issue 29, item 3: the fast path of actions/item-values.ts reads only what n8n's own evaluation
// reads. Each case runs twice through n8n's engine: in the form the fast path takes, and in a
// form that only n8n evaluates (one expression field; a path in parentheses); both must give the
// same value or the same error, and send the same.
import { readFileSync } from 'node:fs';

import { isSafeObjectProperty } from 'n8n-workflow';

import { jsonPath, SANDBOX_REFUSED_KEYS } from '../nodes/Konaplate/actions/item-values';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';
import { MAIN_TO_SECOND } from '../emulator/data';

const TRANSFER = '/api/v1/transfer/balance';
const kona = useKonaplate();

/** The keys n8n's sandbox refuses, read from the installed n8n-workflow's own source. */
function n8nRefusedKeys(): string[] {
	const utils = readFileSync(require.resolve('n8n-workflow/dist/cjs/utils.js'), 'utf8');
	const list = /unsafeObjectProperties = new Set\(\[([^\]]*)\]\)/.exec(utils)?.[1] ?? '';
	return [...list.matchAll(/'([^']+)'/g)].map((match) => match[1]);
}
const REFUSED = n8nRefusedKeys();

const workflow = (parameters: Record<string, unknown>) =>
	withNode(WORKFLOWS.transfer, {
		parameters: {
			userId: MAIN_TO_SECOND.userId,
			fromCardNo: { __rl: true, mode: 'id', value: MAIN_TO_SECOND.fromCardNo },
			toCardNo: { __rl: true, mode: 'id', value: MAIN_TO_SECOND.toCardNo },
			transferEntireBalance: false,
			...parameters,
		},
	});

/** One item's run: the node's output or its error, and what reached Konaplate. */
async function outcome(parameters: Record<string, unknown>, item: Record<string, unknown>) {
	kona.emulator.reset();
	const { success, error } = await kona.output(workflow(parameters), [item]);
	return {
		output: success.map(({ json }) => ({ ...json, correlationId: undefined })),
		error: error && { message: error.message, description: error.description },
		sent: kona.emulator.accepted(TRANSFER).length,
	};
}

describe("a key n8n's expression sandbox refuses", () => {
	it("the node's list is n8n's (2.41.0 here; 1.120.31 has the same 25)", () => {
		expect(REFUSED.length).toBeGreaterThanOrEqual(25);
		expect([...SANDBOX_REFUSED_KEYS].sort()).toEqual([...REFUSED].sort());
		for (const key of REFUSED) expect(isSafeObjectProperty(key)).toBe(false);
	});

	it('is never a path the fast path reads', () => {
		for (const key of REFUSED) {
			expect(jsonPath(`$json["${key}"]`)).toBeUndefined();
			expect(jsonPath(`$json.a.${key}`)).toBeUndefined();
		}
		expect(jsonPath('$json.constructorName')).toEqual(['constructorName']);
	});

	it.each(REFUSED)(
		'%s, an own key of the item (as a webhook body makes it): fails as n8n fails it, nothing sent',
		async (key) => {
			// JSON.parse makes every key its own, __proto__ too
			const item = JSON.parse(`{"${key}": 100, "pay": {"${key}": 100}}`) as Record<string, unknown>;
			for (const [fast, n8n] of [
				[`={{ $json["${key}"] }}`, `={{ ($json["${key}"]) }}`],
				[`={{ $json.pay["${key}"] }}`, `={{ ($json.pay["${key}"]) }}`],
			]) {
				const read = await outcome({ amount: fast }, item);
				const evaluated = await outcome({ amount: n8n }, item);
				expect(read).toEqual(evaluated);
				expect(read.sent).toBe(0);
				expect(read.error?.message).toBeDefined();
			}
		},
	);

	it('a dotted path with such a key (`$json.caller`) fails as n8n fails it too', async () => {
		const item = JSON.parse('{"caller": 100}') as Record<string, unknown>;
		const read = await outcome({ amount: '={{ $json.caller }}' }, item);
		const evaluated = await outcome({ amount: '={{ ($json.caller) }}' }, item);
		expect(read).toEqual(evaluated);
		expect(read.sent).toBe(0);
	});
});

describe('a field n8n refuses on its own', () => {
	const item = { ...MAIN_TO_SECOND, hundreds: 3 };
	it.each([
		['parentheses that close early', '={{ 1) + (2 }}'],
		['a bracket that closes early', '={{ 100] [0 }}'],
		['a comma list broken open', '={{ 100), (200 }}'],
	])(
		'%s: not evaluated with the others into a value; the error n8n gives it alone',
		async (_label, broken) => {
			const together = await outcome(
				{ amount: broken, userId: `={{ String(${MAIN_TO_SECOND.userId}) }}` },
				item,
			);
			const alone = await outcome({ amount: broken }, item);
			expect(together.sent).toBe(0);
			expect(together.error).toEqual(alone.error);
			expect(together.error?.message).toBeDefined();
		},
	);

	it('fields valid alone are still read together, with the values n8n gives each', async () => {
		const together = await outcome(
			{ amount: '={{ $json.hundreds * 100 }}', userId: `={{ String(${MAIN_TO_SECOND.userId}) }}` },
			item,
		);
		expect(together.error).toBeUndefined();
		expect(together.output[0]?.amount).toBe(300);
	});
});
