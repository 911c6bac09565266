import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { listSearch } from './actions/card/cardChoices';
import { resourceProperties } from './actions/resources';
import { router } from './actions/router';
import { toolNotice, usableAsTool } from './tool/description';
import { CREDENTIAL_TEST, konaplateCredentialTest } from './transport/credential-test';
import { CREDENTIAL_TYPE } from './wire/credentials';

export class Konaplate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Konaplate',
		name: 'konaplate',
		icon: { light: 'file:konaplate.svg', dark: 'file:konaplate.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Look up a member's prepaid cards, a card's balance, status and transactions, and a member's registered bank account; move balance between cards, settle transfers whose outcome is unknown, and delete the bank account, on KONA I's Konaplate",
		defaults: { name: 'Konaplate' },
		usableAsTool,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true, testedBy: CREDENTIAL_TEST }],
		properties: [toolNotice, ...resourceProperties],
	};

	methods = {
		listSearch,
		credentialTest: { [CREDENTIAL_TEST]: konaplateCredentialTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
