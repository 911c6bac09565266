// The package's own folder, from the sources or from their compiled copy in .build/.
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The folder of this package's package.json, from the sources or from their compiled copy in .build/. */
function findPackageRoot(from: string): string {
	for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		if (
			existsSync(path.join(dir, 'package.json')) &&
			existsSync(path.join(dir, 'nodes', 'Konaplate'))
		)
			return dir;
	}
	throw new Error(`no package root above ${from}`);
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);
