/**
 * README.ko.md, the operator part in Korean, kept on par with README.md both ways: every operation
 * of the node (by its editor name), every code (Konaplate's documented codes and the node's own
 * refusal codes, read from the sources), and every number one README gives is in the other. The
 * Korean error section lists each code with its English and Korean meaning; the code table is the
 * node's table of documented codes with the Korean meanings of nodes/Konaplate/wire/codes-ko.ts.
 * A new code or operation fails here until both READMEs have it, and needs nothing else.
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

/** The text of a `## ` section, up to the next one. */
const section = (text: string, title: RegExp) => {
	const start = text.search(new RegExp(`^## ${title.source}`, 'm'));
	if (start === -1) return '';
	const end = text.indexOf('\n## ', start + 1);
	return text.slice(start, end === -1 ? undefined : end);
};

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
/** Any operation's name, the longest first: "Card → Get Many" is not read as "Card → Get". */
const OPERATION = new RegExp(
	`(?:${OPERATION_NAMES.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.sort((a, b) => b.length - a.length)
		.join('|')})(?![A-Za-z])`,
	'g',
);
/** "→ Get / → Resolve" and "→ Get, → Resolve and → Get Many" name more operations of one resource. */
const expand = (text: string) => {
	let expanded = text;
	for (;;) {
		const next = expanded.replace(
			/((\w[\w ]*?) → \w[\w ]*?)(,| \/| and|,? and) → /g,
			(_match, before: string, resource: string, joint: string) =>
				`${before}${joint} ${resource} → `,
		);
		if (next === expanded) return expanded;
		expanded = next;
	}
};
const operationsIn = (text: string) => new Set(expand(text).match(OPERATION) ?? []);

/**
 * The node's own codes: the members of `RefusalCode` in errors.ts, read from its source, so that a
 * new code needs only the two READMEs.
 */
const REFUSAL_CODES = (() => {
	const union = /export type RefusalCode =([^;]*);/.exec(read('nodes/Konaplate/errors.ts'))?.[1];
	return [...(union ?? '').matchAll(/'([A-Z]+(?:_[A-Z]+)+)'/g)].map(([, code]) => code);
})();
const KONAPLATE_CODES = Object.keys(DOCUMENTED_CODES);
const ALL_CODES = [...KONAPLATE_CODES, ...REFUSAL_CODES];
const mentions = (text: string, code: string) =>
	new RegExp(`(?<![A-Z0-9_])${code}(?![A-Z0-9_])`).test(text);
/** What reads as a code: a result code, or an UPPER_SNAKE name in backticks (an env variable too). */
const codeLike = (text: string) =>
	new Set(
		[...text.matchAll(/(?<![\w])(\d{3}_\d{3})(?![\w])|`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g)].map(
			([, result, name]) => result ?? name,
		),
	);

/**
 * Every number written in digits, outside words (n8n, IPv4, A128GCM, 5xx, HMAC-SHA256 and the
 * result codes are not numbers), thousands separators dropped: `50,000`, `2.41.1`, `2.6`, `3111`.
 * Korean writes a counter straight after a number (50,000개, 30초): only Latin letters end one.
 */
const numbers = (text: string) =>
	[...text.matchAll(/(?<![A-Za-z0-9_])\d+(?:[.,]\d+)*(?![A-Za-z0-9_])/g)].map(([number]) =>
		/^\d{1,3}(?:,\d{3})+$/.test(number) ? number.replace(/,/g, '') : number,
	);
const times = (list: string[], number: string) => list.filter((each) => each === number).length;
/**
 * Numbers one README may give and the other not, each with its reason. Keep it short: a number
 * here is a fact the other language does not state.
 */
const ONLY_IN: Record<'english' | 'korean', Record<string, string>> = { english: {}, korean: {} };

describe('both READMEs, both ways', () => {
	it('read the codes of the node from errors.ts (a change of its form must not empty the list)', () => {
		expect(REFUSAL_CODES.length).toBeGreaterThanOrEqual(20);
		expect(new Set(REFUSAL_CODES).size).toBe(REFUSAL_CODES.length);
		for (const code of [
			'LEDGER_OUTCOME_UNKNOWN',
			'LEDGER_BUSY',
			'RESUME_AS_TOOL',
			'INVALID_OPTION',
		])
			expect(REFUSAL_CODES).toContain(code);
	});

	it.each(OPERATION_NAMES)('name the operation %s', (operation) => {
		expect(operationsIn(readme).has(operation) ? operation : `${operation} not in README.md`).toBe(
			operation,
		);
		expect(
			operationsIn(korean).has(operation) ? operation : `${operation} not in README.ko.md`,
		).toBe(operation);
	});

	it('list every operation of the node in their operation tables, once', () => {
		const table = (text: string, title: RegExp) =>
			[...section(text, title).matchAll(/^\| ([^|`]+?) \| `?(?:POST|nothing|보내는)/gm)]
				.flatMap(([, cell]) => [...operationsIn(cell)])
				.sort();
		expect(table(readme, /Operations$/)).toEqual([...OPERATION_NAMES].sort());
		expect(table(korean, /작업$/)).toEqual([...OPERATION_NAMES].sort());
	});

	it.each(ALL_CODES)('give the code %s', (code) => {
		expect(mentions(readme, code) ? code : `${code} not in README.md`).toBe(code);
		expect(mentions(korean, code) ? code : `${code} not in README.ko.md`).toBe(code);
	});

	it('give the same codes and names of the node, and no other', () => {
		const [english, inKorean] = [codeLike(readme), codeLike(korean)];
		for (const code of inKorean)
			expect(english.has(code) ? code : `${code} only in README.ko.md`).toBe(code);
		for (const code of english)
			expect(inKorean.has(code) ? code : `${code} only in README.md`).toBe(code);
	});

	it('give the same numbers: ledger capacity, limits, versions, ports, timeouts', () => {
		const [english, inKorean] = [numbers(readme), numbers(korean)];
		// the numbers that matter are among them, as the English README states them
		for (const number of ['50000', '100000', '92', '30', '20.15', '1.123', '2.41.1', '1.85'])
			expect(english.includes(number) ? number : `${number} not in README.md`).toBe(number);
		for (const number of new Set(english))
			if (!(number in ONLY_IN.english))
				expect(inKorean.includes(number) ? number : `${number} only in README.md`).toBe(number);
		for (const number of new Set(inKorean))
			if (!(number in ONLY_IN.korean))
				expect(english.includes(number) ? number : `${number} only in README.ko.md`).toBe(number);
	});

	it('give each number of two digits or more as often as the other', () => {
		// so that a fact is not dropped because its number stands elsewhere too (15 characters,
		// Postgres 15); single digits are list numbers and counts, which Korean words its own way
		const [english, inKorean] = [numbers(readme), numbers(korean)];
		for (const number of new Set([...english, ...inKorean].filter((each) => each.length > 1))) {
			const [inEnglish, inTheKorean] = [times(english, number), times(inKorean, number)];
			expect(`${number}: ${inTheKorean} times in README.ko.md`).toBe(
				`${number}: ${inEnglish} times in README.ko.md`,
			);
		}
	});

	it('give the ledger capacity, 50,000 references, and no other', () => {
		const capacity =
			/\b(\d{2},\d{3}) (?:transferred )?references|Reference를 적어도\s+(\d{2},\d{3})개/g;
		const found = (text: string) =>
			[...text.matchAll(capacity)].map(([, english, inKorean]) => english ?? inKorean);
		expect(korean).toMatch(/Reference를 적어도\s+50,000개/);
		expect([...new Set(found(korean))]).toEqual(['50,000']);
		expect(found(readme)).toContain('50,000');
		expect(korean).not.toMatch(/6만|60,000|5만/);
	});

	it('give the endpoints each other gives', () => {
		const endpoints = (text: string) =>
			[
				...new Set([...text.matchAll(/POST \/api\/v1\/[a-z/]+/g)].map(([endpoint]) => endpoint)),
			].sort();
		expect(endpoints(korean)).toEqual(endpoints(readme));
		expect(endpoints(readme)).toHaveLength(8);
	});

	it('have the same sections, in the same order', () => {
		const pairs: Array<[RegExp, RegExp]> = [
			[/^Install$/, /^설치$/],
			[/^Credentials$/, /^자격 증명$/],
			[/^Operations$/, /^작업$/],
			[/^A first workflow/, /^첫 워크플로/],
			[/^Transfer references/, /^이관 Reference/],
			[/^Errors$/, /^오류$/],
			[/^Safety$/, /^안전$/],
			[/AI agent/, /AI 에이전트/],
			[/^Compatibility$/, /^호환성$/],
			[/^Resources$/, /^참고 자료$/],
			[/^Version history$/, /^버전 기록$/],
		];
		const sections = (text: string) => [...text.matchAll(/^## (.+)$/gm)].map(([, title]) => title);
		const [english, inKorean] = [sections(readme), sections(korean)];
		expect(english).toHaveLength(pairs.length);
		expect(inKorean).toHaveLength(pairs.length);
		pairs.forEach(([englishTitle, koreanTitle], index) => {
			expect(english[index]).toMatch(englishTitle);
			expect(inKorean[index]).toMatch(koreanTitle);
		});
	});
});

describe('README.md', () => {
	it("lists Konaplate's documented codes in its Errors section", () => {
		const errors = section(readme, /Errors$/);
		for (const code of KONAPLATE_CODES)
			expect(mentions(errors, code) ? code : `${code} not in Errors`).toBe(code);
	});

	it('lists every code of the node in its table of error.code, with why', () => {
		const rows = [...readme.matchAll(/^\| (`[A-Z][A-Z_]+`(?:, `[A-Z][A-Z_]+`)*) \| (.+) \|$/gm)];
		const listed = rows.flatMap(([, cell]) => [...cell.matchAll(/`([A-Z_]+)`/g)].map(([, c]) => c));
		expect([...listed].sort()).toEqual([...REFUSAL_CODES].sort());
	});
});

describe('README.ko.md', () => {
	const errors = section(korean, /오류$/);

	it('links the English README, which links it back', () => {
		expect(korean).toContain('[English](README.md)');
		expect(readme).toContain('한국어: [README.ko.md](README.ko.md)');
	});

	it('has the code table of the node, row for row, with the English and Korean meaning and its source', () => {
		const rows = [
			...errors.matchAll(/^\| (\d{3}_\d{3}) \| (.*?) \| (.*?) \| (.*?) \| (.*?) \|$/gm),
		].map(([, code, message, meaning, meaningKo, source]) => [
			code,
			message,
			meaning,
			meaningKo,
			source,
		]);
		expect(rows).toEqual(
			Object.entries(DOCUMENTED_CODES).map(([code, entry]) => [
				code,
				entry.message,
				entry.meaning,
				KOREAN_MEANINGS[code],
				TRANSLATED_HERE.includes(code) ? '이 패키지 번역' : 'Konaplate 문서',
			]),
		);
	});

	it('has every code of the node in its error section, each once, in English and in Korean', () => {
		const rows = [...errors.matchAll(/^\| `([A-Z][A-Z_]+)` \| (.+?) \| (.+?) \|$/gm)];
		expect(rows.map(([, code]) => code).sort()).toEqual([...REFUSAL_CODES].sort());
		for (const [, code, english, inKorean] of rows) {
			expect(
				/[A-Za-z]{3}/.test(english) && !/\p{Script=Hangul}/u.test(english)
					? code
					: `${code}: English`,
			).toBe(code);
			expect(/\p{Script=Hangul}/u.test(inKorean) ? code : `${code}: Korean`).toBe(code);
		}
	});

	it("speaks Konaplate's terms: 이관 throughout, 원장 explained", () => {
		expect(korean).not.toMatch(/이체/);
		expect(korean).toContain('이관 기록 원장');
		expect(korean).toMatch(/원장은 같은 Reference가 두 번 이관되지 않도록/);
	});

	it('gives the Resolve procedure for an unknown outcome, never a new Reference', () => {
		const procedure = /### 결과를 알 수 없을 때\n([\s\S]*?)\n### /.exec(korean)?.[1] ?? '';
		const steps = [...procedure.matchAll(/^\d\. \*\*(.+?)\*\*/gm)].map(([, step]) => step);
		expect(steps).toEqual([
			'Transfer Reference → Get',
			'Transaction → Get Many',
			'비교',
			'Transfer Reference → Resolve',
		]);
		for (const decision of ['*Mark as Transferred*', '*Mark as Not Transferred*'])
			expect(procedure).toContain(decision);
		expect(procedure).toContain('**새 Reference로 다시 보내지 마십시오**');
		expect(korean).not.toMatch(/새 (?:Reference|참조값)(?:로|으로)[^.\n]*보내(?:십시오|세요)/);
	});

	it('gives only commands the English README gives', () => {
		const blocks = [...korean.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, block]) => block);
		const commands = blocks
			.flatMap((block) => block.split('\n'))
			.map((line) => line.replace(/#.*$/, '').trim())
			.filter(Boolean);
		expect(commands).toEqual([
			'npm start',
			'npm test',
			'npm run emulator',
			'npm run emulator -- --port 3111',
			'npm run emulator -- --encryption',
			'npm run emulator -- --host 0.0.0.0 --port 3111',
		]);
		for (const command of commands) expect(readme).toMatch(new RegExp(`^${command}\\s`, 'm'));
		const text = (text: string) =>
			[...text.matchAll(/```text\n([\s\S]*?)```/g)].map(([, block]) => block.trim());
		expect(text(korean)).toEqual(text(readme));
		for (const inline of [
			'npm install n8n-nodes-konaplate',
			'n8n import:credentials --input=<file>',
			'npm ci --ignore-scripts',
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
		const operations = [...operationsIn(korean)];
		expect(operations).toHaveLength(OPERATION_NAMES.length);
		const errorCodes = [...codeLike(korean)];
		expect(errorCodes).toEqual(expect.arrayContaining(ALL_CODES));
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
