import { defineResource } from '../resource';
import * as getReference from './get.operation';
import * as resolveReference from './resolve.operation';

/** Transfer Reference: the workflow's transfer ledger, read and resolved by a person. Sends nothing to Konaplate. */
export const transferReference = defineResource({
	name: 'Transfer Reference',
	value: 'transferReference',
	defaultOperation: 'get',
	operations: [getReference, resolveReference],
});
