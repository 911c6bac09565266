/**
 * Lines n8n prints when a community package does not load: `Failed to load package "x"` (a
 * require() throws: missing runtime dependency, syntax error, a path in package.json's `n8n`
 * that does not exist), `Skipping package directory "x"` (bad package.json), `Skipping package
 * "x": it requires node API version N` (n8nNodesApiVersion). n8n carries on after logging
 * one, and one bad file makes the whole package fail: every run must check them.
 */
const PACKAGE_LOAD_ERROR_RE =
	/^(Failed to load package "|Skipping package "|Skipping package directory "|Unrecognized node type: |Unrecognized credential type)/;
// eslint-disable-next-line no-control-regex -- n8n colours its log lines
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * Each load error line with the line after it, which names the cause (e.g. Cannot find module).
 * n8n 1.x logs only the error's own message when a community package fails to load: a
 * `Cannot find module` whose require stack starts in a community package counts too.
 */
export function packageLoadErrors(log: string): string[] {
	const lines = log.split('\n').map((l) => l.replace(ANSI, '').trim());
	return lines.flatMap((l, i) => {
		if (PACKAGE_LOAD_ERROR_RE.test(l)) return [lines[i + 1] ? `${l}: ${lines[i + 1]}` : l];
		const stack = /^(- )?(\S*\/\.n8n\/nodes\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(
			lines[i + 2] || '',
		);
		if (/^Cannot find module '/.test(l) && lines[i + 1] === 'Require stack:' && stack)
			return [`${l} (required by ${stack[2]})`];
		return [];
	});
}
