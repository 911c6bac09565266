import { defineResource } from '../resource';
import * as deleteBankAccount from './delete.operation';
import * as getBankAccount from './get.operation';

/** Bank Account: the charge bank account registered to a member. One line per operation. */
export const bankAccount = defineResource({
	name: 'Bank Account',
	value: 'bankAccount',
	defaultOperation: 'get',
	operations: [deleteBankAccount, getBankAccount],
});
