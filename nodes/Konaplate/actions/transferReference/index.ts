import { defineResource } from '../resource';
import * as getReference from './get.operation';
import * as getManyReferences from './getMany.operation';
import * as resolveReference from './resolve.operation';

/**
 * Transfer Reference: the credential's transfer ledger (the workflow's own, or the account's
 * shared one), read, listed and resolved by a person. Sends nothing to Konaplate.
 */
export const transferReference = defineResource({
	name: 'Transfer Reference',
	value: 'transferReference',
	defaultOperation: 'get',
	operations: [getReference, getManyReferences, resolveReference],
});
