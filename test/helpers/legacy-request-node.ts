// This helper calls the credential exactly as n8n's HTTP Request node does, through the legacy
// request helper that node still uses; that deprecated path is what it tests.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IRequestOptions,
} from 'n8n-workflow';

import { probeNode } from './probe-node';
import { CREDENTIAL_TYPE } from '../../nodes/Konaplate/wire/credentials';

/**
 * A test node that calls the credential the way n8n's HTTP Request node (v3/v4) does with
 * "Predefined Credential Type": legacy request options (`uri`, an object or raw-text body,
 * `json: true`, full response) through requestWithAuthentication.
 */
export const legacyRequestNode = probeNode(
	'legacyRequest',
	'Sends one request per item the way the HTTP Request node does',
	async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const { uri, body } = items[itemIndex].json as { uri: string; body: IDataObject | string };
			const options: IRequestOptions = {
				method: 'POST',
				uri,
				body,
				headers: typeof body === 'string' ? { 'content-type': 'application/json' } : {},
				json: typeof body !== 'string',
				gzip: true,
				resolveWithFullResponse: true,
				simple: false,
				timeout: 300_000,
			};
			const response = (await this.helpers.requestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				options,
			)) as {
				statusCode: number;
				body: IDataObject | string;
			};
			out.push({
				json: { statusCode: response.statusCode, body: response.body },
				pairedItem: { item: itemIndex },
			});
		}
		return [out];
	},
);
