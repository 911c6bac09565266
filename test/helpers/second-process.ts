import { cpSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

import { Engine, PACKAGE_ROOT } from '../../scripts/engine/engine';

/**
 * The package as another n8n process loads it (a queue-mode worker): its own copy of dist/, so
 * its own module state (the per-process queue of ledger calls), beside the test file's engine,
 * with the same n8n-core and so the same deduplication store. Build first.
 */
export function useSecondProcess(): { engine: Engine } {
	const context = {} as { engine: Engine };
	const root = path.join(PACKAGE_ROOT, '.build', `engine-second-process-${process.pid}`);
	beforeAll(async () => {
		rmSync(root, { recursive: true, force: true });
		mkdirSync(root, { recursive: true });
		cpSync(path.join(PACKAGE_ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
		cpSync(path.join(PACKAGE_ROOT, 'package.json'), path.join(root, 'package.json'));
		context.engine = await Engine.load(root);
	});
	afterAll(() => rmSync(root, { recursive: true, force: true }));
	return context;
}
