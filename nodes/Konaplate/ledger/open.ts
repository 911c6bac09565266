import type { IExecuteFunctions } from 'n8n-workflow';

import type { Session } from '../transport/session';
import type { LedgerStore } from './seam';
import { WorkflowLedgerStore } from './store';

/** The ledger store of the session's credential, opened for one run or look-up. */
export function openLedgerStore(ctx: IExecuteFunctions, session: Session): LedgerStore {
	return WorkflowLedgerStore.open(ctx, session.credential, () => session.clock.now().getTime());
}
