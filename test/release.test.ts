/**
 * The release's own checks, run here with fake inputs: package.json's repository, bugs,
 * homepage and author (the lint's part and the release workflow's first step, as a script with
 * a fake $GITHUB_REPOSITORY), and the verdict on n8n's scanner output for the published version.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Fields {
	problems: string[];
	placeholders: string[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fields = require('../scripts/lint/package-fields.cjs') as {
	PLACEHOLDER: string;
	repositorySlug(manifest: object): string | undefined;
	checkPackageFields(
		manifest: object,
		options?: { strict?: boolean; githubRepository?: string },
	): Fields;
	releaseCheck(file: string, env: NodeJS.ProcessEnv): { status: number; lines: string[] };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { scanVerdict } = require('../scripts/lint/scan-verdict.cjs') as {
	scanVerdict(output: string): { ok: boolean; lines: string[] };
};

const root = join(__dirname, '..');
const ownManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
	string,
	unknown
>;

/** package.json as the publisher fills it in for github.com/acme/n8n-nodes-konaplate. */
function filledIn(): Record<string, unknown> {
	const manifest = JSON.parse(
		JSON.stringify(ownManifest).replaceAll(/FILL-IN-GITHUB-OWNER/g, 'acme'),
	) as Record<string, unknown>;
	manifest.author = { name: 'Acme Payments', email: 'dev@acme.co.kr' };
	return manifest;
}

describe('package.json: repository, bugs, homepage, author', () => {
	it('holds a placeholder the publisher fills in: noted by the lint, refused on a release', () => {
		expect(fields.repositorySlug(ownManifest)).toBe(
			`${fields.PLACEHOLDER}-GITHUB-OWNER/n8n-nodes-konaplate`,
		);
		const lint = fields.checkPackageFields(ownManifest);
		expect(lint.problems).toEqual([]);
		expect(lint.placeholders).toHaveLength(2);
		const release = fields.checkPackageFields(ownManifest, { strict: true });
		expect(release.problems.join('\n')).toMatch(/"repository", "bugs" and "homepage" name/);
		expect(release.problems.join('\n')).toMatch(/"author" is .*RELEASING\.md, step 1/);
	});

	it('accepts the fields filled in, for the repository the workflow runs in', () => {
		expect(
			fields.checkPackageFields(filledIn(), {
				strict: true,
				githubRepository: 'Acme/n8n-nodes-konaplate',
			}),
		).toEqual({ problems: [], placeholders: [] });
	});

	it.each([
		['no repository', (m: Record<string, unknown>) => delete m.repository, /"repository" must be/],
		[
			'a repository that is not on GitHub',
			(m: Record<string, unknown>) =>
				(m.repository = { type: 'git', url: 'git+https://gitlab.com/acme/x.git' }),
			/"repository" must be/,
		],
		['no bugs', (m: Record<string, unknown>) => delete m.bugs, /"bugs" must be/],
		[
			'a homepage elsewhere',
			(m: Record<string, unknown>) => (m.homepage = 'https://www.npmjs.com/package/x'),
			/"homepage" must be "https:\/\/github\.com\/acme\/n8n-nodes-konaplate#readme"/,
		],
		['no author', (m: Record<string, unknown>) => delete m.author, /"author" must be/],
		[
			'an author without an email',
			(m: Record<string, unknown>) => (m.author = { name: 'Acme' }),
			/"author" must be/,
		],
	])('fails with %s, release or not', (_, change, message) => {
		const manifest = filledIn();
		change(manifest);
		expect(fields.checkPackageFields(manifest).problems.join('\n')).toMatch(message);
	});

	it('counts an email at a reserved domain as a placeholder', () => {
		const manifest = filledIn();
		manifest.author = { name: 'Acme', email: 'dev@acme.example' };
		expect(fields.checkPackageFields(manifest).placeholders).toEqual([
			'"author" is Acme <dev@acme.example>',
		]);
	});
});

describe("the release workflow's first step (node scripts/lint/package-fields.cjs)", () => {
	const dir = mkdtempSync(join(tmpdir(), 'konaplate-release-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	/** The step as the workflow runs it, on `manifest`, with a fake $GITHUB_REPOSITORY. */
	function step(manifest: object, githubRepository?: string) {
		const file = join(dir, 'package.json');
		writeFileSync(file, JSON.stringify(manifest));
		const env: NodeJS.ProcessEnv = githubRepository ? { GITHUB_REPOSITORY: githubRepository } : {};
		const run = fields.releaseCheck(file, env);
		return { status: run.status, out: run.lines.join('\n') + '\n' };
	}

	it('goes on when repository names the repository it runs in', () => {
		const run = step(filledIn(), 'acme/n8n-nodes-konaplate');
		expect(run).toEqual({
			status: 0,
			out: 'package.json names acme/n8n-nodes-konaplate, the repository this workflow runs in\n',
		});
	});

	it('stops, saying what to set, when it runs in another repository (a fork)', () => {
		const run = step(filledIn(), 'someone/n8n-nodes-konaplate');
		expect(run.status).toBe(1);
		expect(run.out).toContain(
			'::error title=Release stopped::package.json: "repository" names acme/n8n-nodes-konaplate, but this workflow runs in someone/n8n-nodes-konaplate',
		);
		expect(run.out).toContain('https://github.com/someone/n8n-nodes-konaplate (RELEASING.md');
	});

	it('stops on the placeholder this repository ships with', () => {
		const run = step(ownManifest, 'acme/n8n-nodes-konaplate');
		expect(run.status).toBe(1);
		expect(run.out).toMatch(/placeholder: the publisher fills it in/);
	});

	it('stops without $GITHUB_REPOSITORY', () => {
		const run = step(filledIn());
		expect(run.status).toBe(1);
		expect(run.out).toContain('GITHUB_REPOSITORY is not set');
	});
});

describe("the verdict on n8n's scanner for the published version", () => {
	const source = '/tmp/tmp-123/source-0123abc';
	const tarball = '/tmp/tmp-123/n8n-nodes-konaplate-0.2.0';
	const row = (line: string, severity: string, message: string, rule: string) =>
		`  ${line}  ${severity}  ${message}  ${rule}`;
	const failed = (details: string[]) =>
		[
			'✅ Provenance check passed for n8n-nodes-konaplate@0.2.0 ',
			'❌ Package n8n-nodes-konaplate@0.2.0 has failed security checks',
			'Reason: ESLint violations found',
			'',
			'Details:',
			'',
			...details,
		].join('\n');
	const runtimeDependency = row(
		'82:3',
		'error',
		'The "dependencies" field must be empty or absent in community node packages',
		'@n8n/community-nodes/no-runtime-dependencies',
	);
	// What the scanner finds in this package today (its analyzePackage on the source tree).
	const documented = [
		`${source}/credentials/KonaCredentials.credentials.ts`,
		row(
			'61:14',
			'error',
			"Suffix with '-Api' [autofixable]",
			'n8n-nodes-base/cred-class-name-unsuffixed',
		),
		row(
			'62:2',
			'error',
			"Suffix with '-Api' [autofixable]",
			'n8n-nodes-base/cred-class-field-name-unsuffixed',
		),
		row(
			'104:3',
			'warning',
			"Field 'accessKey' does not appear to be sensitive",
			'@n8n/community-nodes/credential-unnecessary-password',
		),
		'',
		`${source}/nodes/Konaplate/ledger/postgres/connection.ts`,
		row(
			'1:1',
			'error',
			"Import of 'pg' is not allowed. n8n Cloud does not allow community nodes with dependencies",
			'@n8n/community-nodes/no-restricted-imports',
		),
		'',
		`${source}/package.json`,
		runtimeDependency,
		'',
		`${tarball}/dist/nodes/Konaplate/ledger/postgres/connection.js`,
		row(
			'57:50',
			'error',
			"Require of 'pg' is not allowed. n8n Cloud does not allow community nodes with dependencies",
			'@n8n/community-nodes/no-restricted-imports',
		),
		'',
		`${tarball}/package.json`,
		runtimeDependency,
		'',
		'✖ 7 problems (6 errors, 1 warning)',
	];

	it('accepts the documented findings (KonaCredentials name, pg dependency), and only those', () => {
		const dependencyAllowed =
			'allowed package.json:82 @n8n/community-nodes/no-runtime-dependencies: The "dependencies" field must be empty or absent in community node packages';
		const verdict = scanVerdict(failed(documented));
		expect(verdict.ok).toBe(true);
		expect(verdict.lines).toEqual([
			"allowed credentials/KonaCredentials.credentials.ts:61 n8n-nodes-base/cred-class-name-unsuffixed: Suffix with '-Api' [autofixable]",
			"allowed credentials/KonaCredentials.credentials.ts:62 n8n-nodes-base/cred-class-field-name-unsuffixed: Suffix with '-Api' [autofixable]",
			"allowed credentials/KonaCredentials.credentials.ts:104 @n8n/community-nodes/credential-unnecessary-password: Field 'accessKey' does not appear to be sensitive",
			"allowed nodes/Konaplate/ledger/postgres/connection.ts:1 @n8n/community-nodes/no-restricted-imports: Import of 'pg' is not allowed. n8n Cloud does not allow community nodes with dependencies",
			dependencyAllowed,
			"allowed dist/nodes/Konaplate/ledger/postgres/connection.js:57 @n8n/community-nodes/no-restricted-imports: Require of 'pg' is not allowed. n8n Cloud does not allow community nodes with dependencies",
			dependencyAllowed,
		]);
	});

	it.each([
		[
			'another rule on the credential',
			`${source}/credentials/KonaCredentials.credentials.ts`,
			'n8n-nodes-base/cred-class-field-documentation-url-missing',
		],
		[
			'a naming rule on another file',
			`${source}/nodes/Konaplate/Konaplate.node.ts`,
			'n8n-nodes-base/cred-class-name-unsuffixed',
		],
		[
			'a finding in the tarball',
			`${tarball}/dist/nodes/Konaplate/Konaplate.node.js`,
			'@n8n/community-nodes/no-restricted-globals',
		],
		[
			'an import of pg outside the module that loads it',
			`${tarball}/dist/nodes/Konaplate/ledger/postgres/store.js`,
			'@n8n/community-nodes/no-restricted-imports',
		],
		[
			'another rule on the module that loads pg',
			`${source}/nodes/Konaplate/ledger/postgres/connection.ts`,
			'@n8n/community-nodes/no-restricted-globals',
		],
		[
			'another rule on package.json',
			`${source}/package.json`,
			'@n8n/community-nodes/no-lifecycle-scripts',
		],
	])('fails on %s', (_, file, rule) => {
		const verdict = scanVerdict(failed([...documented, '', file, row('3:1', 'error', 'x', rule)]));
		expect(verdict.ok).toBe(false);
		expect(verdict.lines.filter((line) => line.startsWith('FAIL'))).toHaveLength(1);
	});

	it('fails when the scanner fails the package without findings (provenance)', () => {
		const output = [
			'❌ Provenance check failed for n8n-nodes-konaplate@0.2.0 ',
			'❌ Package n8n-nodes-konaplate@0.2.0 has failed security checks',
			'Reason: Package was not published with provenance',
		].join('\n');
		expect(scanVerdict(output)).toEqual({
			ok: false,
			lines: [
				'the scanner failed the package without findings: Package was not published with provenance',
			],
		});
	});

	it('passes a clean scan and fails an unfinished one', () => {
		expect(
			scanVerdict('✅ Package n8n-nodes-konaplate@0.2.0 has passed all security checks\n').ok,
		).toBe(true);
		expect(scanVerdict('Checking provenance for n8n-nodes-konaplate@0.2.0...').ok).toBe(false);
	});
});

describe('.github/workflows/release.yml', () => {
	const release = readFileSync(join(root, '.github/workflows/release.yml'), 'utf8');
	const at = (needle: string) => {
		expect(release).toContain(needle);
		return release.indexOf(needle);
	};

	it('checks the repository first, and scans the published version after publishing', () => {
		const check = at('node scripts/lint/package-fields.cjs');
		expect(check).toBeLessThan(at('npm install --global npm@'));
		expect(check).toBeLessThan(at('npm ci --ignore-scripts'));
		const publish = at('npm publish --ignore-scripts=false --provenance --access public');
		expect(publish).toBeLessThan(at('npx --yes @n8n/scan-community-package "$name@$version"'));
		expect(publish).toBeLessThan(at('node scripts/lint/scan-verdict.cjs'));
	});
});
