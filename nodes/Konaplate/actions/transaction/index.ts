import { defineResource } from '../resource';
import * as getManyTransactions from './getMany.operation';

/** Transaction: a card's history (Konaplate's Checking Transaction History). One line per operation. */
export const transaction = defineResource({
	name: 'Transaction',
	value: 'transaction',
	defaultOperation: 'getMany',
	operations: [getManyTransactions],
});
