const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// Icons and the node's codex file sit beside the compiled classes, where n8n looks for them.
const copy = (folder, patterns) => () =>
	src(
		patterns.map((pattern) => `${folder}/**/${pattern}`),
		{ encoding: false },
	).pipe(dest(path.resolve('dist', folder)));

task(
	'build:icons',
	parallel(copy('nodes', ['*.svg', '*.node.json']), copy('credentials', ['*.svg'])),
);
