import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import * as deleteBankAccount from './actions/bankAccount/delete.operation';
import * as transferBalance from './actions/card/transferBalance.operation';
import { optionsCollection } from './actions/options';
import { router } from './actions/router';
import { CREDENTIAL_TYPE } from './transport/request';

export class Konaplate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Konaplate',
		name: 'konaplate',
		icon: { light: 'file:konaplate.svg', dark: 'file:konaplate.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Delete members' bank accounts and move balance between prepaid cards on KONA I's Konaplate",
		defaults: { name: 'Konaplate' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
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
						description: "Delete the charge bank account registered to a member",
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
						name: 'Transfer Balance',
						value: 'transferBalance',
						action: 'Transfer card balance',
						description: 'Move balance from one ACTIVE card of a member to another',
					},
				],
				default: 'transferBalance',
			},
			...deleteBankAccount.description,
			...transferBalance.description,
			optionsCollection,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
