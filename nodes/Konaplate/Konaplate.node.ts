import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import * as deleteBankAccount from './actions/bankAccount/delete.operation';
import * as getBankAccount from './actions/bankAccount/get.operation';
import * as getCard from './actions/card/get.operation';
import * as getManyCards from './actions/card/getMany.operation';
import * as transferBalance from './actions/card/transferBalance.operation';
import { optionsCollections } from './actions/options';
import { router } from './actions/router';
import { toolNotice, usableAsTool } from './actions/tool';
import { CREDENTIAL_TYPE } from './transport/request';

export class Konaplate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Konaplate',
		name: 'konaplate',
		icon: { light: 'file:konaplate.svg', dark: 'file:konaplate.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Look up a member's prepaid cards, a card's balance and status, and a member's registered bank account; move balance between cards and delete the bank account, on KONA I's Konaplate",
		defaults: { name: 'Konaplate' },
		usableAsTool,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			toolNotice,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Bank Account', value: 'bankAccount' },
					{ name: 'Card', value: 'card' },
				],
				default: 'card',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['bankAccount'] } },
				options: [
					{
						name: 'Delete',
						value: 'delete',
						action: 'Delete a bank account',
						description: 'Delete the charge bank account registered to a member',
					},
					{
						name: 'Get',
						value: 'get',
						action: 'Get a bank account',
						description:
							'Get the charge bank account registered to a member: its ID, bank, holder name (masked) and account number (last 4 digits only). Fails with 007_001 when none is registered.',
					},
				],
				default: 'delete',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['card'] } },
				options: [
					{
						name: 'Get',
						value: 'get',
						action: 'Get a card with its balance and status',
						description:
							'Get one card by its 16-digit number: its balance, status (only ACTIVE cards can transfer), product and the member ID it belongs to',
					},
					{
						name: 'Get Many',
						value: 'getMany',
						action: 'Get many cards of a member',
						description:
							"Get a member's cards, one item each: card number (masked unless Show Full Card Numbers), PAR, status, balance, product, limits and points",
					},
					{
						name: 'Transfer Balance',
						value: 'transferBalance',
						action: 'Transfer KRW between two ACTIVE cards of a member',
						description:
							'Move real money, in whole KRW, from one ACTIVE card of a member to another, different ACTIVE card of the same member',
					},
				],
				default: 'transferBalance',
			},
			...deleteBankAccount.description,
			...getBankAccount.description,
			...getCard.description,
			...getManyCards.description,
			...transferBalance.description,
			...optionsCollections,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
