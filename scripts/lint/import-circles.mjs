// Import circles among the TypeScript files of some folders (relative imports only, `import type`
// included): each circle is a list of files that import one another round. npm run lint fails on
// any in emulator/ and scripts/, and on an import from emulator/ into scripts/ or test/;
// `node scripts/lint/import-circles.mjs [folder...]` prints the circles.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ts = createRequire(join(root, 'package.json'))('typescript');

function tsFiles(dir) {
	return readdirSync(dir).flatMap((name) => {
		const file = join(dir, name);
		if (statSync(file).isDirectory()) return name === 'node_modules' ? [] : tsFiles(file);
		return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [file] : [];
	});
}

function resolveImport(from, spec) {
	const base = resolve(dirname(from), spec);
	return [`${base}.ts`, join(base, 'index.ts')].find(existsSync);
}

/** The files a file imports by a relative path. */
function relativeImports(file) {
	return ts
		.preProcessFile(readFileSync(file, 'utf8'), true, true)
		.importedFiles.map((i) => i.fileName)
		.filter((spec) => spec.startsWith('.'))
		.map((spec) => resolveImport(file, spec))
		.filter((target) => target !== undefined);
}

/** Imports from the files of `folder` into `forbidden` (folders), as "file -> imported file". */
export function importsInto(folder, forbidden) {
	return tsFiles(join(root, folder)).flatMap((file) =>
		relativeImports(file)
			.map((target) => relative(root, target))
			.filter((target) => forbidden.some((f) => target.startsWith(`${f}/`)))
			.map((target) => `${relative(root, file)} -> ${target}`),
	);
}

/** The circles (strongly connected groups of two or more files, or a file importing itself). */
export function importCircles(folders) {
	const files = folders.flatMap((folder) => tsFiles(join(root, folder)));
	const edges = new Map(
		files.map((file) => [file, relativeImports(file).filter((target) => files.includes(target))]),
	);
	// Tarjan's strongly connected components
	const index = new Map();
	const low = new Map();
	const stack = [];
	const circles = [];
	const visit = (file) => {
		index.set(file, index.size);
		low.set(file, index.get(file));
		stack.push(file);
		for (const next of edges.get(file)) {
			if (!index.has(next)) {
				visit(next);
				low.set(file, Math.min(low.get(file), low.get(next)));
			} else if (stack.includes(next)) low.set(file, Math.min(low.get(file), index.get(next)));
		}
		if (low.get(file) !== index.get(file)) return;
		const group = [];
		let member;
		do {
			member = stack.pop();
			group.push(relative(root, member));
		} while (member !== file);
		if (group.length > 1 || edges.get(file).includes(file)) circles.push(group.sort());
	};
	for (const file of files) if (!index.has(file)) visit(file);
	return circles;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const folders = process.argv.length > 2 ? process.argv.slice(2) : ['emulator', 'scripts'];
	const circles = importCircles(folders);
	for (const circle of circles) console.log(`circle: ${circle.join(' <-> ')}`);
	console.log(`${circles.length} import circle(s) in ${folders.join(', ')}`);
}
