'use strict';
/**
 * The findings the lint (scripts/lint.mjs) and the release's scan of the published package
 * (scripts/lint/scan-verdict.cjs) allow, each on the files named, in the source and in its
 * compiled form in the tarball:
 * - the product names its credential type KonaCredentials, while n8n's naming rules want an
 *   "Api" suffix;
 * - the shared ledger (issue 28) uses PostgreSQL through node-postgres (`pg`), the package's
 *   one runtime dependency: n8n's rule against runtime dependencies on package.json, and its
 *   rule against importing pg on the one module that loads it (on first use of a shared ledger).
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

/** The module that loads node-postgres, the only one that names it. */
const PG_FILE = 'nodes/Konaplate/ledger/postgres/connection.ts';
const DEPENDENCY_EXCEPTIONS = {
	'package.json': ['@n8n/community-nodes/no-runtime-dependencies'],
	[PG_FILE]: ['@n8n/community-nodes/no-restricted-imports'],
	'dist/nodes/Konaplate/ledger/postgres/connection.js': [
		'@n8n/community-nodes/no-restricted-imports',
	],
};

/** Every file a documented exception names: the scanner's absolute paths end in one of them. */
const EXCEPTION_FILES = [...CREDENTIAL_FILES, ...Object.keys(DEPENDENCY_EXCEPTIONS)];

/** `file` relative to the package root, `ruleId` as ESLint names it. */
function allowed(file, ruleId) {
	if (DEPENDENCY_EXCEPTIONS[file]?.includes(ruleId)) return true;
	return (
		CREDENTIAL_FILES.includes(file) &&
		(NAMING_RULES.includes(ruleId) || CONTRACT_WARNINGS.includes(ruleId))
	);
}

module.exports = {
	CREDENTIAL_FILE,
	CREDENTIAL_FILES,
	NAMING_RULES,
	CONTRACT_WARNINGS,
	PG_FILE,
	DEPENDENCY_EXCEPTIONS,
	EXCEPTION_FILES,
	allowed,
};
