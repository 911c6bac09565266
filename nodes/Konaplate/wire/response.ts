export const SUCCESS_CODE = '000_000';

/** Konaplate's result envelope; business fields sit beside `response` at the top level. */
export interface KonaplateBody {
	response: { code: string; description?: string; message?: string };
	[field: string]: unknown;
}

export type Outcome =
	| { kind: 'success'; body: KonaplateBody }
	| { kind: 'failure'; code: string; message: string; body: KonaplateBody }
	| { kind: 'unreadable'; reason: string };

const SNIPPET_LENGTH = 200;

/** A short, single-line, tag-free look at what arrived, for error messages. */
export function snippet(text: string): string {
	const flat = text
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a body as JSON, or says why it is not one. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
	if (text.trim() === '') return { ok: false, reason: 'an empty body' };
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		const looksHtml = /^\s*</.test(text);
		return {
			ok: false,
			reason: `${looksHtml ? 'an HTML/XML page' : 'a body that is not JSON'} (${text.length} characters: "${snippet(text)}")`,
		};
	}
}

/** Classifies a decoded JSON body by Konaplate's rule: success is code 000_000 and nothing else. */
export function classify(value: unknown): Outcome {
	if (!isRecord(value) || !isRecord(value.response)) {
		return {
			kind: 'unreadable',
			reason: `JSON without Konaplate's "response" result object: ${snippet(JSON.stringify(value) ?? String(value))}`,
		};
	}
	const { code, description, message } = value.response;
	if (typeof code !== 'string' || code === '') {
		return {
			kind: 'unreadable',
			reason: `a result object without a result code: ${snippet(JSON.stringify(value.response))}`,
		};
	}
	const body = value as KonaplateBody;
	if (code === SUCCESS_CODE) return { kind: 'success', body };
	const text = typeof description === 'string' ? description : typeof message === 'string' ? message : '';
	return { kind: 'failure', code, message: text, body };
}
