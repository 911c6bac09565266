import { defineResource } from '../resource';
import * as getCard from './get.operation';
import * as getManyCards from './getMany.operation';
import * as resumeCard from './resume.operation';
import * as suspendCard from './suspend.operation';
import * as transferBalance from './transferBalance.operation';

/** Card: a member's prepaid cards, their balances and status, and transfers between them. One line per operation. */
export const card = defineResource({
	name: 'Card',
	value: 'card',
	defaultOperation: 'getMany',
	operations: [getCard, getManyCards, resumeCard, suspendCard, transferBalance],
});
