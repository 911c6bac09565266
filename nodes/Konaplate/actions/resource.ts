import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { batchingOption, timeoutOption } from './options';
import { planner } from './operation';
import type { Operation, Planner } from './operation';

/** A resource as the node and the router use it: built once, from its operations, by defineResource. */
export interface Resource {
	/** Its entry in the Resource selector. */
	name: string;
	value: string;
	/** Its Operation selector, shown for this resource. */
	selector: INodeProperties;
	/** The fields of its operations, each shown for its own operation. */
	fields: INodeProperties[];
	/** Its Options collections. */
	options: INodeProperties[];
	operations: Readonly<Record<string, Planner>>;
}

/**
 * One Options collection per group of operations, each shown by resource and operation, so no
 * option inside a collection carries a condition of its own: n8n before 2.36 warns against such
 * conditions when it cannot resolve a node's parameters ("Could not resolve parameter
 * dependencies"), and each option is shown exactly where it applies.
 */
function optionsFor(show: IDisplayOptions['show'], only: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [timeoutOption, batchingOption, ...only],
	};
}

/**
 * A field as the editor shows it: for its own resource and operation, and under the conditions
 * of its own (another field's value); operations write only those.
 */
function shownFor(field: INodeProperties, resource: string, operation: string): INodeProperties {
	const show = { resource: [resource], operation: [operation], ...field.displayOptions?.show };
	return { ...field, displayOptions: { ...field.displayOptions, show } };
}

const sameOptions = (a: INodeProperties[], b: INodeProperties[]) =>
	a.length === b.length && a.every((option, index) => option === b[index]);

/**
 * Operations with the same options share one collection; when every operation of the resource
 * has the same, the collection is shown for the whole resource.
 */
function optionsCollections(resource: string, operations: Array<Operation<never>>) {
	const groups: Array<{ only: INodeProperties[]; operations: string[] }> = [];
	for (const operation of operations) {
		const only = operation.options ?? [];
		const group = groups.find((candidate) => sameOptions(candidate.only, only));
		if (group) group.operations.push(operation.operation.value);
		else groups.push({ only, operations: [operation.operation.value] });
	}
	if (groups.length === 1) return [optionsFor({ resource: [resource] }, groups[0].only)];
	return groups.map((group) =>
		optionsFor({ resource: [resource], operation: group.operations }, group.only),
	);
}

/**
 * A resource from its operations, listed in the order of their names (the order the Operation
 * selector shows). Each operation module is registered once, here, by its resource's index.ts.
 */
export function defineResource<Inputs extends unknown[]>(resource: {
	name: string;
	value: string;
	defaultOperation: string;
	operations: [...{ [K in keyof Inputs]: Operation<Inputs[K]> }];
}): Resource {
	const operations = resource.operations as Array<Operation<never>>;
	const { defaultOperation } = resource;
	return {
		name: resource.name,
		value: resource.value,
		selector: {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: operations.map((operation) => operation.operation),
			default: defaultOperation,
		},
		fields: operations.flatMap((operation) =>
			operation.description.map((field) =>
				shownFor(field, resource.value, operation.operation.value),
			),
		),
		options: optionsCollections(resource.value, operations),
		operations: Object.fromEntries(
			operations.map((operation) => [operation.operation.value, planner(operation)]),
		),
	};
}
