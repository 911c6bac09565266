import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { errorDetails } from '../errors';
import type { NodeError } from '../errors';
import type { Sent } from './operation';

/** An item's output: one n8n item per output object, each paired with the input item. */
export function outputItems(sent: Sent, itemIndex: number): INodeExecutionData[] {
	return (Array.isArray(sent) ? sent : [sent]).map((json: IDataObject) => ({
		json,
		pairedItem: { item: itemIndex },
	}));
}

/**
 * A failed item for Continue On Fail: one key, `error`, holding the message and the details.
 * n8n routes an item to the error output by its json keys: before 2.36 only `{ error }` or
 * `{ error, message }` count (a `details` key sent the failure down the success branch), from
 * 2.36 any of `error`, `message`, `details`. A lone `error` key routes on every version.
 * Setting `item.error` instead would make n8n replace the json with the bare message.
 */
export function errorItem(error: NodeError, itemIndex: number): INodeExecutionData {
	const details = errorDetails(error);
	return {
		json: {
			error: {
				message: error.message,
				...(details.konaplateCode !== undefined && {
					code: details.konaplateCode,
				}),
				...(details.konaplateMeaningKo !== undefined && {
					konaplateMeaningKo: details.konaplateMeaningKo,
				}),
				...(details.httpCode !== undefined && { httpCode: details.httpCode }),
				...(details.correlationId !== undefined && {
					correlationId: details.correlationId,
				}),
				...(details.refusal !== undefined && { code: details.refusal }),
				...(details.reference !== undefined && {
					reference: details.reference,
					outcome: details.requestOutcome,
				}),
				...(error.description && { description: error.description }),
				itemIndex,
			},
		},
		pairedItem: { item: itemIndex },
	};
}
