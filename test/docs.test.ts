// The README, its documents in docs/ and CONTRIBUTING.md checked against the code: the commands it
// names, the reads, the documented codes and fields, how an operation is registered, and every link
// between them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Konaplate } from '../nodes/Konaplate/Konaplate.node';
import { RESOURCES } from '../nodes/Konaplate/actions/resources';
import { DOCUMENTED_CODES } from '../nodes/Konaplate/errors';
import {
	BANK_ACCOUNT_INFO,
	CARD_INFO,
	CARD_LIST_CARD,
	TRANSACTION,
} from '../nodes/Konaplate/wire/redact';
import type { Schema } from '../nodes/Konaplate/wire/redact';

const read = (file: string) => readFileSync(join(__dirname, '..', file), 'utf8');
const readme = read('README.md');
const contributing = read('CONTRIBUTING.md');

describe('README', () => {
	it('opens with the two commands a newcomer needs', () => {
		const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
		expect(firstBlock).toMatch(/^npm start\b/m);
		expect(firstBlock).toMatch(/^npm test\b/m);
	});
});

describe("README: the community-node template's order, for operators", () => {
	it("has its sections in the order of n8n's template, and no contributor material", () => {
		const sections = [...readme.matchAll(/^## (.+)$/gm)].map(([, title]) => title);
		const order = [
			/^Install/,
			/^Credentials/,
			/^Operations/,
			/^A first workflow/,
			/^Transfer references/,
			/^Errors/,
			/^Safety/,
			/AI agent/,
			/^Compatibility/,
			/^Resources/,
			/^Version history/,
		].map((title) => sections.findIndex((section) => title.test(section)));
		expect(order).not.toContain(-1);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		expect(sections).not.toContain('Benchmark');
		expect(readme).not.toMatch(/µs|profiler|[Tt]he issue/);
		expect(contributing).toMatch(/^## Benchmark$/m);
		expect(contributing).toContain('Per item (medians of the first run)');
	});

	it('CHANGELOG.md states what a breaking change is, and lists them under Breaking', () => {
		const changelog = read('CHANGELOG.md');
		const statement = changelog.slice(0, changelog.indexOf('## Unreleased'));
		for (const term of ['name', 'operation', 'output', 'default', '`version`'])
			expect(statement).toContain(term);
		expect(changelog).toMatch(/^### Breaking/m);
	});
});

describe('docs/errors.md', () => {
	const errors = read('docs/errors.md');

	it('has the error code table the node uses, row for row', () => {
		const rows = [...errors.matchAll(/^\| (\d{3}_\d{3}) \| (.*?) \| (.*?) \|$/gm)].map(
			([, code, message, meaning]) => [code, message, meaning],
		);
		expect(rows).toEqual(
			Object.entries(DOCUMENTED_CODES).map(([code, entry]) => [code, entry.message, entry.meaning]),
		);
	});
});

describe('docs/sensitive-values.md: the reads', () => {
	const section = read('docs/sensitive-values.md');

	/** Every field a schema names, as the README may write it: `field` or `parent.field`; a container as `parent.…`, `parent[]`. */
	function fields(schema: Schema, parent = ''): Array<[string, string]> {
		return Object.entries(schema).flatMap(([key, rule]): Array<[string, string]> => {
			const path = parent === '' ? key : `${parent}.${key}`;
			if (typeof rule === 'object')
				return [[`${key}`, path], ...fields('object' in rule ? rule.object : rule.list, key)];
			return [[`${key}\``, path]];
		});
	}

	it.each([
		['card/list', CARD_LIST_CARD],
		['card/info', CARD_INFO],
		['bankaccounts/info', BANK_ACCOUNT_INFO],
		['transaction/card', TRANSACTION],
	] as Array<[string, Schema]>)(
		'the field table names every field of %s the node knows',
		(endpoint, schema) => {
			const rows = section
				.split('\n')
				.filter((line) => line.startsWith(`| ${endpoint} |`))
				.join('\n');
			for (const [key, path] of fields(schema)) {
				expect(
					rows.includes(`\`${key}`) || rows.includes(`\`${path}\``) ? path : `${path} missing`,
				).toBe(path);
			}
		},
	);
});

describe('CONTRIBUTING.md: how to add an operation', () => {
	const section = /### How to add an operation\n([\s\S]*?)\n### /.exec(contributing)?.[1] ?? '';
	const actions = join(__dirname, '..', 'nodes', 'Konaplate', 'actions');

	it("registers an operation in one place, its resource's index.ts, and names no other list", () => {
		expect(section).toContain('nodes/Konaplate/actions/<resource>/<operation>.operation.ts');
		expect(section).toContain('nodes/Konaplate/actions/<resource>/index.ts');
		expect(section).not.toMatch(/router\.ts|Konaplate\.node\.ts|options\.ts/);
	});

	it.each(RESOURCES.map((resource) => [resource.value, resource] as const))(
		'every *.operation.ts of %s is in its index, and the node shows exactly those',
		(value, resource) => {
			const files = readdirSync(join(actions, value))
				.filter((file) => file.endsWith('.operation.ts'))
				.map((file) => file.replace(/\.operation\.ts$/, ''));
			expect(readdirSync(join(actions, value))).toContain('index.ts');
			expect(Object.keys(resource.operations).sort()).toEqual(files.sort());
			const selector = new Konaplate().description.properties.find(
				(property) =>
					property.name === 'operation' &&
					property.displayOptions?.show?.resource?.includes(value) === true,
			);
			expect(selector?.options?.map((option) => ('value' in option ? option.value : ''))).toEqual(
				Object.keys(resource.operations),
			);
		},
	);
});

describe('the documents: for operators in the README, for contributors in CONTRIBUTING.md', () => {
	const documents = [
		'README.md',
		'README.ko.md',
		'CONTRIBUTING.md',
		'RELEASING.md',
		...readdirSync(join(__dirname, '..', 'docs')).map((file) => `docs/${file}`),
	];

	/** A heading's anchor as GitHub writes it. */
	const anchor = (heading: string) =>
		heading
			.trim()
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, '')
			.replace(/\s/g, '-');
	const anchors = (file: string) =>
		[...read(file).matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => anchor(heading));

	it.each(documents)(
		'every link of %s to a file of the repository finds it, and its heading',
		(file) => {
			const links = [...read(file).matchAll(/\]\(([^)\s]+)\)/g)]
				.map(([, target]) => target)
				.filter((target) => !/^[a-z]+:/.test(target));
			for (const target of links) {
				const [path, hash] = target.split('#');
				const resolved = path === '' ? file : join(file, '..', path).replace(/\\/g, '/');
				expect(readdirSync(join(__dirname, '..', resolved, '..'))).toContain(
					resolved.split('/').pop(),
				);
				if (hash !== undefined)
					expect(anchors(resolved).includes(hash) ? hash : `${target} in ${file}`).toBe(hash);
			}
		},
	);

	it('the README links CONTRIBUTING.md and names none of the contributors’ commands', () => {
		expect(readme).toContain('[CONTRIBUTING.md](CONTRIBUTING.md)');
		for (const command of [
			'npm run dev',
			'npm run bench',
			'npm run build',
			'npm run lint',
			'npm run test:editor',
		]) {
			expect(readme.includes(command) ? `${command} in README.md` : command).toBe(command);
			expect(contributing).toContain(command);
		}
	});
});
