// The groups of end-to-end checks npm run test:e2e runs, in this order (each keeps the E2eGroup
// contract of ../group.ts). A new group: a folder here with an index.ts exporting `group`, and
// one line in this list; the closing checks stay last, as they read what the others collected.
import type { E2eGroup } from '../group';
import { group as closing } from './closing';
import { group as credentialTest } from './credential-test';
import { group as examples } from './examples';
import { group as history } from './history';
import { group as ledger } from './ledger';
import { group as mcp } from './mcp';
import { group as packageGroup } from './package';
import { group as queue } from './queue';
import { group as reads } from './reads';
import { group as redirects } from './redirects';
import { group as sharedLedger } from './shared-ledger';

export const GROUPS: E2eGroup[] = [
	packageGroup,
	examples,
	credentialTest,
	reads,
	redirects,
	mcp,
	ledger,
	queue,
	sharedLedger,
	history,
	closing,
];
