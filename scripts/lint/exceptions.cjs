'use strict';
/**
 * The findings the lint (scripts/lint.mjs) and the release's scan of the published package
 * (scripts/lint/scan-verdict.cjs) allow: the product names its credential type KonaCredentials,
 * while n8n's naming rules want an "Api" suffix. These are the documented naming findings,
 * allowed on that one file only (in the source, and its compiled form in the tarball).
 */
const CREDENTIAL_FILE = 'credentials/KonaCredentials.credentials.ts';
const NAMING_RULES = [
	'n8n-nodes-base/cred-class-name-unsuffixed',
	'n8n-nodes-base/cred-class-field-name-unsuffixed',
	'n8n-nodes-base/cred-filename-against-convention',
];
// The public contract makes the access key a password field (it authenticates
// every request); the heuristic rule reads the name "accessKey" as not sensitive.
const CONTRACT_WARNINGS = ['@n8n/community-nodes/credential-unnecessary-password'];

const CREDENTIAL_FILES = [
	CREDENTIAL_FILE,
	'dist/credentials/KonaCredentials.credentials.js',
	'dist/credentials/KonaCredentials.credentials.d.ts',
];

/** `file` relative to the package root, `ruleId` as ESLint names it. */
function allowed(file, ruleId) {
	return (
		CREDENTIAL_FILES.includes(file) &&
		(NAMING_RULES.includes(ruleId) || CONTRACT_WARNINGS.includes(ruleId))
	);
}

module.exports = { CREDENTIAL_FILE, CREDENTIAL_FILES, NAMING_RULES, CONTRACT_WARNINGS, allowed };
