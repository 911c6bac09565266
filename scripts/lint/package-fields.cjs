'use strict';
/**
 * What npm and n8n need of package.json's links and author before a release: `repository`
 * naming the GitHub repository the package is built and published from (npm refuses a
 * provenance publish otherwise, E422), `bugs` and `homepage` in that repository, and an author
 * with a name and an email.
 *
 * Until the publisher fills them in, these fields hold PLACEHOLDER (RELEASING.md, step 1): the
 * lint notes it, and refuses it on a release (a tag build on GitHub) and in the release
 * workflow's first step, which runs this file (`node scripts/lint/package-fields.cjs`) and also
 * stops when `repository` is not the repository the workflow runs in ($GITHUB_REPOSITORY).
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const PLACEHOLDER = 'FILL-IN';
const GITHUB_URL = /^git\+https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)\.git$/;
// RFC 2606 / 6761 names that never deliver mail
const RESERVED_EMAIL =
	/@(?:[^@]*\.)?(?:example|invalid|test|localhost)$|@example\.(?:com|net|org)$/i;

/** `owner/name` from `repository` when it is `git+https://github.com/owner/name.git`. */
function repositorySlug(manifest) {
	const repository = manifest.repository;
	const url = typeof repository === 'object' && repository !== null ? repository.url : undefined;
	const match = GITHUB_URL.exec(typeof url === 'string' ? url : '');
	return match ? `${match[1]}/${match[2]}` : undefined;
}

/**
 * `problems` fail the check; `placeholders` are the fields still to fill in, which fail it only
 * when `strict` (a release). `githubRepository` (owner/name), when given, must be the one named.
 */
function checkPackageFields(manifest, { strict = false, githubRepository } = {}) {
	const problems = [];
	const placeholders = [];
	const slug = repositorySlug(manifest);
	if (manifest.repository?.type !== 'git' || slug === undefined) {
		problems.push(
			'package.json: "repository" must be { "type": "git", "url": "git+https://github.com/<owner>/<name>.git" }, the repository the package is published from (npm refuses a provenance publish without it)',
		);
	} else {
		const web = `https://github.com/${slug}`;
		if (manifest.bugs?.url !== `${web}/issues`)
			problems.push(`package.json: "bugs" must be { "url": "${web}/issues" }`);
		if (manifest.homepage !== `${web}#readme`)
			problems.push(`package.json: "homepage" must be "${web}#readme"`);
		if (slug.includes(PLACEHOLDER))
			placeholders.push(`"repository", "bugs" and "homepage" name ${slug}`);
		else if (githubRepository && slug.toLowerCase() !== githubRepository.toLowerCase())
			problems.push(
				`package.json: "repository" names ${slug}, but this workflow runs in ${githubRepository}: npm refuses to publish with provenance from another repository. Set repository, bugs and homepage to https://github.com/${githubRepository} (RELEASING.md, step 1).`,
			);
	}
	const author = manifest.author;
	const name = typeof author?.name === 'string' ? author.name.trim() : '';
	const email = typeof author?.email === 'string' ? author.email.trim() : '';
	if (name === '' || email === '')
		problems.push('package.json: "author" must be { "name": "...", "email": "..." }');
	else if (name.includes(PLACEHOLDER) || email.includes(PLACEHOLDER) || RESERVED_EMAIL.test(email))
		placeholders.push(`"author" is ${name} <${email}>`);
	if (strict)
		for (const what of placeholders)
			problems.push(
				`package.json: ${what}, a placeholder: the publisher fills it in before the first release (RELEASING.md, step 1)`,
			);
	return { problems, placeholders };
}

/** The lint's part (scripts/lint.mjs): strict on a tag build on GitHub, that is a release. */
function lintPackageFields(root, env) {
	const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	const { problems, placeholders } = checkPackageFields(manifest, {
		strict: env.GITHUB_REF_TYPE === 'tag',
	});
	console.log('package.json: repository, bugs, homepage, author:');
	for (const what of placeholders)
		console.log(`  note    ${what}: placeholder, refused on a release (RELEASING.md, step 1)`);
	return problems;
}

/**
 * The release workflow's first step on the package.json at `file`, with the workflow's
 * environment: the lines to print, and the exit status.
 */
function releaseCheck(file, env) {
	const githubRepository = env.GITHUB_REPOSITORY;
	const { problems } = checkPackageFields(JSON.parse(readFileSync(file, 'utf8')), {
		strict: true,
		githubRepository,
	});
	if (!githubRepository)
		problems.push('GITHUB_REPOSITORY is not set (owner/name of this repository)');
	if (problems.length > 0)
		return {
			status: 1,
			lines: problems.map((problem) => `::error title=Release stopped::${problem}`),
		};
	return {
		status: 0,
		lines: [`package.json names ${githubRepository}, the repository this workflow runs in`],
	};
}

module.exports = {
	PLACEHOLDER,
	repositorySlug,
	checkPackageFields,
	lintPackageFields,
	releaseCheck,
};

// The release workflow's first step: `node scripts/lint/package-fields.cjs [package.json]`.
if (require.main === module) {
	const file = process.argv[2] ?? join(__dirname, '..', '..', 'package.json');
	const { status, lines } = releaseCheck(file, process.env);
	for (const line of lines) (status === 0 ? console.log : console.error)(line);
	process.exitCode = status;
}
