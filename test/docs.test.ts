/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DOCUMENTED_CODES } from '../nodes/Konaplate/errors';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
	it('opens with the two commands a newcomer needs', () => {
		const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
		expect(firstBlock).toMatch(/^npm start\b/m);
		expect(firstBlock).toMatch(/^npm test\b/m);
	});

	it('has the error code table the node uses, row for row', () => {
		const rows = [...readme.matchAll(/^\| (\d{3}_\d{3}) \| (.*?) \| (.*?) \|$/gm)].map(([, code, message, meaning]) => [code, message, meaning]);
		expect(rows).toEqual(Object.entries(DOCUMENTED_CODES).map(([code, entry]) => [code, entry.message, entry.meaning]));
	});
});
