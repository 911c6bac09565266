/**
 * README.ko.md, the operator part in Korean: its code table is the node's table of documented
 * codes with the Korean meanings of nodes/Konaplate/wire/codes-ko.ts, and every fact it repeats
 * (commands, versions, field and operation names, error codes) is one the English README states.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { RESOURCES } from '../nodes/Konaplate/actions/resources';
import { DOCUMENTED_CODES } from '../nodes/Konaplate/errors';
import { Konaplate } from '../nodes/Konaplate/Konaplate.node';
import { KOREAN_MEANINGS, TRANSLATED_HERE } from '../nodes/Konaplate/wire/codes-ko';

const read = (file: string) => readFileSync(join(__dirname, '..', file), 'utf8');
const readme = read('README.md');
const korean = read('README.ko.md');

describe('the Korean meanings (nodes/Konaplate/wire/codes-ko.ts)', () => {
	it('has one for every documented code, and no other', () => {
		expect(Object.keys(KOREAN_MEANINGS)).toEqual(Object.keys(DOCUMENTED_CODES));
		for (const code of TRANSLATED_HERE) expect(Object.keys(DOCUMENTED_CODES)).toContain(code);
	});

	it("quotes Konaplate's Korean descriptions of the transfer and delete pages", () => {
		// as written on Konaplate's transfer and delete pages (000_003's example field name left out)
		expect(KOREAN_MEANINGS['005_017']).toBe('이관되는 카드 잔액이 0일 경우');
		expect(KOREAN_MEANINGS['017_002']).toBe('잔액 이관 실패');
		expect(KOREAN_MEANINGS['000_002']).toBe('입력 파라미터 오류');
	});
});

/** Every operation by its editor name, "<Resource> → <Operation>", as the node's selectors name them. */
const OPERATION_NAMES = new Konaplate().description.properties
	.filter((property) => property.name === 'operation')
	.flatMap((selector) => {
		const resource = (selector.displayOptions?.show?.resource ?? [])[0];
		const resourceName = RESOURCES.find(({ value }) => value === resource)?.name;
		return (selector.options ?? []).map(
			(option) => `${resourceName} → ${(option as { name: string }).name}`,
		);
	});
const OPERATION = new RegExp(
	`(?:${OPERATION_NAMES.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.sort((a, b) => b.length - a.length)
		.join('|')})(?![A-Za-z])`,
	'g',
);
/** "→ Get / → Resolve" names the second operation of the same resource. */
const expand = (text: string) =>
	text.replace(/(\w[\w ]*?) → (\w[\w ]*?) \/ → (\w[\w ]*)/g, '$1 → $2 / $1 → $3');

describe('both READMEs, both ways', () => {
	it.each(OPERATION_NAMES)('name %s', (operation) => {
		expect(expand(readme)).toContain(operation);
		expect(expand(korean)).toContain(operation);
	});

	it('give the ledger capacity, 50,000 references, and no other', () => {
		const capacity = /\b(\d{2},\d{3}) (?:transferred )?references|참조값을 적어도 (\d{2},\d{3})개/g;
		const numbers = (text: string) =>
			[...text.matchAll(capacity)].map(([, english, korean]) => english ?? korean);
		expect(numbers(korean)).toEqual(['50,000']);
		expect(numbers(readme)).toContain('50,000');
		expect(korean).not.toMatch(/6만|60,000/);
	});

	it('give the same codes of the node: refusal codes and documented Konaplate codes', () => {
		const codes = (text: string) =>
			new Set([...text.matchAll(/`([A-Z]+(?:_[A-Z]+)+|\d{3}_\d{3})`/g)].map(([, code]) => code));
		const [english, inKorean] = [codes(readme), codes(korean)];
		for (const code of inKorean)
			expect(english.has(code) ? code : `${code} only in Korean`).toBe(code);
	});
});

describe('README.ko.md', () => {
	it('links the English README, which links it back', () => {
		expect(korean).toContain('[English](README.md)');
		expect(readme).toContain('한국어: [README.ko.md](README.ko.md)');
	});

	it('has the code table of the node, row for row, with the Korean meaning and its source', () => {
		const rows = [...korean.matchAll(/^\| (\d{3}_\d{3}) \| (.*?) \| (.*?) \| (.*?) \|$/gm)].map(
			([, code, message, meaning, source]) => [code, message, meaning, source],
		);
		expect(rows).toEqual(
			Object.entries(DOCUMENTED_CODES).map(([code, entry]) => [
				code,
				entry.message,
				KOREAN_MEANINGS[code],
				TRANSLATED_HERE.includes(code) ? '이 패키지 번역' : 'Konaplate 문서',
			]),
		);
	});

	it('gives only commands the English README gives', () => {
		const blocks = [...korean.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, block]) => block);
		const commands = blocks
			.flatMap((block) => block.split('\n'))
			.map((line) => line.replace(/#.*$/, '').trim())
			.filter(Boolean);
		expect(commands).toEqual([
			'npm run emulator',
			'npm run emulator -- --port 3111',
			'npm run emulator -- --encryption',
			'npm run emulator -- --host 0.0.0.0 --port 3111',
		]);
		for (const command of commands) expect(readme).toMatch(new RegExp(`^${command}\\s`, 'm'));
		for (const inline of [
			'npm install n8n-nodes-konaplate',
			'n8n import:credentials --input=<file>',
		])
			expect(korean.includes(inline) && readme.includes(inline)).toBe(true);
	});

	it('names versions, operations, endpoints, fields and error codes as the English README does', () => {
		const facts = (pattern: RegExp) => [
			...new Set([...korean.matchAll(pattern)].map(([fact]) => fact)),
		];
		const versions = facts(/\b\d+\.\d+(?:\.\d+)?\b/g);
		expect(versions).toEqual(expect.arrayContaining(['2.41.1', '1.123.81', '24.21.0', '1.85']));
		const endpoints = facts(/POST \/api\/v1\/[a-z/]+/g);
		expect(endpoints).toHaveLength(8);
		const operations = facts(OPERATION);
		expect(operations).toHaveLength(OPERATION_NAMES.length);
		const errorCodes = facts(/\b(?:LEDGER|LIMIT|REFERENCE|RESUME)_[A-Z_]+\b/g);
		expect(errorCodes).toHaveLength(10);
		const credentialFields = [...korean.matchAll(/^\| ([A-Z][A-Za-z ,]+?) \| /gm)].map(
			([, f]) => f,
		);
		expect(credentialFields).toHaveLength(7);
		for (const fact of [
			...versions,
			...endpoints,
			...operations,
			...errorCodes,
			...credentialFields,
		])
			expect(readme.includes(fact) ? fact : `${fact} is not in README.md`).toBe(fact);
	});
});
