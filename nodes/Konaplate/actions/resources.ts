import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { bankAccount } from './bankAccount';
import { card } from './card';
import type { Planner } from './operation';
import { transaction } from './transaction';
import { transferReference } from './transferReference';

/** The node's resources, in the order of their names (the order the Resource selector shows). */
export const RESOURCES = [bankAccount, card, transaction, transferReference];

/**
 * The node's parameters built from the resources: the Resource selector, each resource's
 * Operation selector, every operation's fields, then the Options collections.
 */
export const resourceProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: RESOURCES.map(({ name, value }) => ({ name, value })),
		default: 'card',
	},
	...RESOURCES.map((resource) => resource.selector),
	...RESOURCES.flatMap((resource) => resource.fields),
	...RESOURCES.flatMap((resource) => resource.options),
];

/** The operation the node is set to, or an error naming what it has instead. */
export function findOperation(ctx: IExecuteFunctions): Planner {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const byOperation = RESOURCES.find(({ value }) => value === resource)?.operations ?? {};
	if (!Object.prototype.hasOwnProperty.call(byOperation, operation)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The Konaplate node has no operation "${operation}" for resource "${resource}"`,
			{
				description:
					'Choose one of the operations of Bank Account, Card, Transaction or Transfer Reference. For other Konaplate endpoints (such as a Custom API Call), use the HTTP Request node with the Konaplate API credential.',
			},
		);
	}
	return byOperation[operation];
}
