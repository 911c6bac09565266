'use strict';
/**
 * The release's verdict on n8n's scanner run against the published version
 * (`npx @n8n/scan-community-package n8n-nodes-konaplate@<version>`). The scanner prints its
 * findings and exits 0 even when the package fails, so this reads what it printed: it passes
 * only when every finding is a documented exception (scripts/lint/exceptions.cjs: the
 * KonaCredentials name, and the pg dependency of the shared ledger), and fails
 * when the scanner failed without findings (provenance, source not reachable) or never finished.
 *
 * `node scripts/lint/scan-verdict.cjs scan.log`
 */
const { readFileSync } = require('node:fs');

const { EXCEPTION_FILES, allowed } = require('./exceptions.cjs');

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
// ESLint's stylish format: a file's path on its own line, then "  line:col  severity  message  rule"
const FINDING = /^\s+(\d+):\d+\s+(error|warning)\s+(.*?)\s{2,}(\S+)\s*$/;

/**
 * The scanner names files by absolute paths in its temporary copies of the source and the
 * tarball; a finding counts as an exception's only when the path ends in one of its files.
 */
function packagePath(file) {
	return EXCEPTION_FILES.find((known) => file.endsWith(`/${known}`)) ?? file;
}

function scanVerdict(output) {
	const text = output.replace(ANSI, '');
	if (/has passed all security checks/.test(text))
		return { ok: true, lines: ['the scanner passed the published package'] };
	if (!/has failed security checks/.test(text))
		return { ok: false, lines: ['the scanner did not finish: no verdict in its output'] };
	const lines = [];
	let refused = 0;
	let file = '';
	for (const line of text.split('\n')) {
		const finding = FINDING.exec(line);
		if (finding === null) {
			if (line.startsWith('/')) file = packagePath(line.trim());
			continue;
		}
		const ok = allowed(file, finding[4]);
		if (!ok) refused++;
		lines.push(`${ok ? 'allowed' : 'FAIL   '} ${file}:${finding[1]} ${finding[4]}: ${finding[3]}`);
	}
	if (lines.length === 0) {
		const reason = /^Reason: (.*)$/m.exec(text)?.[1] ?? 'no reason given';
		return { ok: false, lines: [`the scanner failed the package without findings: ${reason}`] };
	}
	return { ok: refused === 0, lines };
}

module.exports = { scanVerdict };

if (require.main === module) {
	const { ok, lines } = scanVerdict(readFileSync(process.argv[2], 'utf8'));
	for (const line of lines) console.log(line);
	if (!ok) {
		console.error(
			'::error title=n8n scanner::the published package has findings beyond the documented exceptions (above): the KonaCredentials name and the pg dependency',
		);
		process.exit(1);
	}
	console.log(
		'scanner verdict accepted: only the documented exceptions (the KonaCredentials name, the pg dependency)',
	);
}
