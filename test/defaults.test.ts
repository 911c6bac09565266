import { NodeHelpers } from 'n8n-workflow';
import type { INode, INodeParameters, INodeProperties } from 'n8n-workflow';

import { Konaplate } from '../nodes/Konaplate/Konaplate.node';
import { LIMITS } from '../nodes/Konaplate/wire/fields';

/**
 * What a node opens with: choosing a resource lands on a read, Amount opens at a value Konaplate
 * accepts, and an empty Reference shows what a re-run then does. n8n saves only what differs from
 * these defaults, so the defaults are what a saved workflow without the parameter runs.
 */
const { properties } = new Konaplate().description;
const node = (parameters: INodeParameters): INode => ({
	id: 'defaults',
	name: 'Konaplate',
	type: 'n8n-nodes-konaplate.konaplate',
	typeVersion: 1,
	position: [0, 0],
	parameters,
});
/** The node's parameters as n8n fills them from the defaults for what a person set. */
const resolved = (set: INodeParameters) =>
	NodeHelpers.getNodeParameters(properties, set, true, false, node(set)) ?? {};
const shown = (property: INodeProperties, set: INodeParameters) =>
	NodeHelpers.displayParameter(resolved(set), property, node(set), { properties } as never);

describe('the defaults a new node opens with', () => {
	it.each([
		['card', 'getMany'],
		['bankAccount', 'get'],
		['transaction', 'getMany'],
		['transferReference', 'get'],
	])('choosing %s lands on %s, a read', (resource, operation) => {
		expect(resolved({ resource }).operation).toBe(operation);
	});

	it('a node with nothing set is Card → Get Many', () => {
		expect(resolved({})).toMatchObject({ resource: 'card', operation: 'getMany' });
	});

	it('Amount (KRW) opens at the smallest amount Konaplate moves, not at the refused 0', () => {
		const amount = properties.find((property) => property.name === 'amount');
		expect(amount?.default).toBe(LIMITS.amountMin);
		expect(resolved({ operation: 'transferBalance' }).amount).toBe(1);
	});

	it('the notice of an empty Reference shows while Reference is empty, and only then', () => {
		const notice = properties.find((property) => property.name === 'noReferenceNotice');
		expect(notice?.type).toBe('notice');
		expect(notice?.displayName).toMatch(/re-run.*pays it twice/);
		const transfer = { resource: 'card', operation: 'transferBalance' };
		expect(shown(notice as INodeProperties, transfer)).toBe(true);
		expect(shown(notice as INodeProperties, { ...transfer, reference: '={{ $json.id }}' })).toBe(
			false,
		);
		expect(shown(notice as INodeProperties, { resource: 'card', operation: 'getMany' })).toBe(
			false,
		);
	});
});
