/**
 * The shared ledger's store (nodes/Konaplate/ledger/postgres) on a real PostgreSQL started for
 * this file (test/helpers/postgres.ts): claims racing from many pools, settlements racing with
 * resolutions, Resolve while in flight, the listing, and what a row may hold.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Server } from 'node:net';

import type { INode } from 'n8n-workflow';

import { errorDetails } from '../nodes/Konaplate/errors';
import { LEDGER_TIMEOUTS } from '../nodes/Konaplate/ledger/postgres/connection';
import { LEDGER_TABLE, LEDGER_TABLE_SQL } from '../nodes/Konaplate/ledger/postgres/schema';
import { PostgresLedgerStore } from '../nodes/Konaplate/ledger/postgres/store';
import type { Attempt, LedgerItem } from '../nodes/Konaplate/ledger/seam';
import { NOTHING_LEARNT } from '../nodes/Konaplate/ledger/seam';
import type { LedgerAccount, TransferFields } from '../nodes/Konaplate/wire/ledger';
import { freePort } from '../scripts/lib/free-port';
import { useTestPostgres } from './helpers/postgres';
import type { TestPostgres } from './helpers/postgres';

const node: INode = {
	id: 'node-1',
	name: 'Pay out',
	type: 'n8n-nodes-konaplate.konaplate',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const account: LedgerAccount = {
	baseUrl: 'https://Sandbox.Konaplate.com/open-api/',
	aspId: 'ASP000000000001',
};
const FROM_CARD = '9491330000000765';
const TO_CARD = '9491331111111234';
const fields = (amount = '10000'): TransferFields => ({
	member: '1000001',
	fromCard: FROM_CARD,
	toCard: TO_CARD,
	amount,
});
const item = (itemIndex: number, reference: string, amount?: string): LedgerItem => ({
	itemIndex,
	reference,
	fields: fields(amount),
});
const attempt = (at: number, execution = 'exec-1'): Attempt => ({
	at,
	inFlightUntil: at + 60_000,
	day: '2026-12-01',
	workflowId: 'wf-1',
	executionId: execution,
	nodeName: 'Pay out',
});
const NOW = Date.UTC(2026, 11, 1, 3, 0, 0);

const database = useTestPostgres();
let db: TestPostgres;

beforeAll(() => {
	db = database();
});

/** A URL of its own per pool: the store keeps one pool per URL, as per credential. */
const poolUrl = (index: number) => `${db.url()}?application_name=claimer${index}`;

describe('the table', () => {
	it('is created on first use, once, when 8 processes open the ledger at the same moment', async () => {
		const stores = await Promise.all(
			Array.from(
				{ length: 8 },
				async (_, index) => await PostgresLedgerStore.open(node, poolUrl(index), account),
			),
		);
		expect(stores).toHaveLength(8);
		const tables = await db.admin<{ n: number }>(
			'SELECT count(*)::int AS n FROM pg_tables WHERE tablename = $1',
			[LEDGER_TABLE],
		);
		expect(tables[0].n).toBe(1);
	});
});

describe('claims', () => {
	it('of the same 40 references by 16 executions at once, each on its own pool: exactly one wins each', async () => {
		const references = Array.from({ length: 40 }, (_, index) => `payout-${index}`);
		const stores = await Promise.all(
			Array.from(
				{ length: 16 },
				async (_, index) => await PostgresLedgerStore.open(node, poolUrl(index), account),
			),
		);
		const answers = await Promise.all(
			stores.map(
				async (store, index) =>
					await store.claim(
						// each execution in its own order, so the windows overlap every way
						references.map((_, i) => item(i, references[(i + index * 7) % references.length])),
						attempt(NOW, `exec-${index}`),
						NOTHING_LEARNT,
					),
			),
		);
		const winners = new Map<string, number>();
		answers.forEach((list, index) =>
			list.forEach(({ before, differs }, i) => {
				expect(differs).toEqual([]);
				const reference = references[(i + index * 7) % references.length];
				if (before === 'free') winners.set(reference, (winners.get(reference) ?? 0) + 1);
				else expect(before).toBe('claimed');
			}),
		);
		expect([...winners.values()]).toEqual(references.map(() => 1));
		expect(winners.size).toBe(40);
		const rows = await db.admin<{ n: number }>(`SELECT count(*)::int AS n FROM ${LEDGER_TABLE}`);
		expect(rows[0].n).toBe(40);
	});

	it('of the same references by 24 clients of one pool at once: one winner each', async () => {
		const stores = await Promise.all(
			Array.from(
				{ length: 24 },
				async () => await PostgresLedgerStore.open(node, db.url(), account),
			),
		);
		const answers = await Promise.all(
			stores.map(
				async (store, index) =>
					await store.claim(
						[item(0, 'A'), item(1, 'B'), item(2, `own-${index}`)],
						attempt(NOW),
						NOTHING_LEARNT,
					),
			),
		);
		const wins = (position: number) =>
			answers.filter((list) => list[position].before === 'free').length;
		expect([wins(0), wins(1), wins(2)]).toEqual([1, 1, 24]);
	});

	it('answers a reference given twice for its first item; the second reads it claimed', async () => {
		const store = await PostgresLedgerStore.open(node, db.url(), account);
		const answers = await store.claim(
			[item(0, 'twice'), item(1, 'twice'), { itemIndex: 2, reference: '' }],
			attempt(NOW),
			NOTHING_LEARNT,
		);
		expect(answers.map(({ before }) => before)).toEqual(['free', 'claimed', 'free']);
		const rows = await db.admin(`SELECT reference FROM ${LEDGER_TABLE}`);
		expect(rows).toEqual([{ reference: 'twice' }]);
	});

	it('names the fields that differ from an earlier transfer under the reference, never their values', async () => {
		const store = await PostgresLedgerStore.open(node, db.url(), account);
		await store.claim([item(0, 'R1')], attempt(NOW), NOTHING_LEARNT);
		await store.settle({
			transferred: [{ reference: 'R1', correlationId: 'c-1' }],
			released: [],
			unknown: [],
		});
		const other = await PostgresLedgerStore.open(node, db.url(), account);
		const [again] = await other.claim([item(0, 'R1')], attempt(NOW + 1000), NOTHING_LEARNT);
		const [changed] = await other.claim(
			[item(1, 'R1', '20000')],
			attempt(NOW + 2000),
			NOTHING_LEARNT,
		);
		expect(again).toEqual({ before: 'transferred', differs: [] });
		expect(changed).toEqual({ before: 'transferred', differs: ['amount'] });
	});

	it('lets a released reference be claimed again; a reference under another account is another row', async () => {
		const store = await PostgresLedgerStore.open(node, db.url(), account);
		await store.claim([item(0, 'refused')], attempt(NOW), NOTHING_LEARNT);
		const [next] = await store.claim([item(1, 'other')], attempt(NOW + 1000), {
			transferred: [],
			released: [item(0, 'refused')],
			unknown: [],
		});
		expect(next.before).toBe('free');
		const again = await PostgresLedgerStore.open(node, db.url(), account);
		expect(
			await again.claim([item(0, 'refused', '5')], attempt(NOW + 2000), NOTHING_LEARNT),
		).toEqual([{ before: 'free', differs: [] }]);
		const elsewhere = await PostgresLedgerStore.open(node, db.url(), {
			...account,
			aspId: 'ASP000000000002',
		});
		expect(
			(await elsewhere.claim([item(0, 'other')], attempt(NOW), NOTHING_LEARNT))[0].before,
		).toBe('free');
		// The same account spelt another way (case, trailing slash) is the same ledger
		const spelt = await PostgresLedgerStore.open(node, db.url(), {
			...account,
			baseUrl: 'https://sandbox.konaplate.com/open-api',
		});
		expect((await spelt.claim([item(0, 'other')], attempt(NOW), NOTHING_LEARNT))[0].before).toBe(
			'claimed',
		);
	});
});

describe('settling and resolving', () => {
	it('settles only its own claims: a late settlement of another run changes nothing', async () => {
		const [a, b] = await Promise.all(
			[0, 1].map(async () => await PostgresLedgerStore.open(node, db.url(), account)),
		);
		expect((await a.claim([item(0, 'R')], attempt(NOW), NOTHING_LEARNT))[0].before).toBe('free');
		expect((await b.claim([item(0, 'R')], attempt(NOW), NOTHING_LEARNT))[0].before).toBe('claimed');
		await b.settle({ transferred: [], released: [item(0, 'R')], unknown: [] });
		expect((await a.inspect('R')).stage).toBe('claimed');
		await Promise.all([
			a.settle({
				transferred: [{ reference: 'R', correlationId: 'corr-a' }],
				released: [],
				unknown: [],
			}),
			b.settle({ transferred: [], released: [item(0, 'R')], unknown: [] }),
		]);
		expect((await b.inspect('R')).stage).toBe('transferred');
		const [row] = await db.admin<{ correlation_id: string }>(
			`SELECT correlation_id FROM ${LEDGER_TABLE}`,
		);
		expect(row.correlation_id).toBe('corr-a');
	});

	it('races 20 settlements, releases and resolutions of one claim: one outcome, never lost', async () => {
		const owner = await PostgresLedgerStore.open(node, db.url(), account);
		await owner.claim([item(0, 'race')], attempt(NOW - 120_000), NOTHING_LEARNT);
		const others = await Promise.all(
			Array.from(
				{ length: 20 },
				async (_, index) => await PostgresLedgerStore.open(node, poolUrl(index), account),
			),
		);
		await Promise.all([
			owner.settle({
				transferred: [{ reference: 'race', correlationId: 'c' }],
				released: [],
				unknown: [],
			}),
			...others.map(async (other, index) =>
				index % 2 === 0
					? await other.settle({ transferred: [], released: [item(0, 'race')], unknown: [] })
					: await other.resolve('race', 'markNotTransferred', NOW).catch(() => undefined),
			),
		]);
		// Transferred by its owner, or resolved free by a person first and then transferred by the
		// owner's answer: either way the money moved and the row says so
		expect((await owner.inspect('race')).stage).toBe('transferred');
	});

	it('refuses Mark as Not Transferred while the request may be in flight, naming until when; Mark as Transferred is allowed', async () => {
		const store = await PostgresLedgerStore.open(node, db.url(), account);
		await store.claim([item(0, 'flying'), item(1, 'landed')], attempt(NOW), NOTHING_LEARNT);
		// Still in flight: nothing changes, and what the store knew says until when (the operation
		// refuses with RESOLVE_IN_FLIGHT)
		const early = await store.resolve('flying', 'markNotTransferred', NOW + 59_000);
		expect(early).toMatchObject({ stage: 'claimed', inFlightUntil: NOW + 60_000 });
		expect((await store.inspect('flying')).stage).toBe('claimed');
		const before = await store.resolve('flying', 'markNotTransferred', NOW + 60_000);
		expect(before).toEqual({
			stage: 'claimed',
			claimedOn: '2026-12-01',
			claimedAt: NOW,
			inFlightUntil: NOW + 60_000,
		});
		expect((await store.inspect('flying')).stage).toBe('free');
		expect((await store.resolve('landed', 'markTransferred', NOW + 1)).stage).toBe('claimed');
		expect((await store.inspect('landed')).stage).toBe('transferred');
		// Resolving a reference nobody sent, or one already settled, changes nothing
		expect(await store.resolve('never', 'markTransferred', NOW)).toEqual({ stage: 'free' });
		expect((await store.resolve('landed', 'markNotTransferred', NOW + 120_000)).stage).toBe(
			'transferred',
		);
		expect((await store.inspect('landed')).stage).toBe('transferred');
	});

	it('claims a reference resolved as not transferred again for the same transfer, refuses another transfer under it', async () => {
		const store = await PostgresLedgerStore.open(node, db.url(), account);
		await store.claim([item(0, 'retry')], attempt(NOW), NOTHING_LEARNT);
		await store.resolve('retry', 'markNotTransferred', NOW + 60_000);
		const next = await PostgresLedgerStore.open(node, db.url(), account);
		expect(
			await next.claim([item(0, 'retry', '999')], attempt(NOW + 61_000), NOTHING_LEARNT),
		).toEqual([{ before: 'free', differs: ['amount'] }]);
		expect((await next.inspect('retry')).stage).toBe('free');
		expect(
			await next.claim([item(0, 'retry')], attempt(NOW + 62_000, 'exec-2'), NOTHING_LEARNT),
		).toEqual([{ before: 'free', differs: [] }]);
		expect(await next.inspect('retry')).toMatchObject({
			stage: 'claimed',
			claimedAt: NOW + 62_000,
		});
		// The first run's late answers no longer touch the new claim
		await store.settle({ transferred: [], released: [item(0, 'retry')], unknown: [] });
		expect((await next.inspect('retry')).stage).toBe('claimed');
	});
});

describe('the same transfer under another Reference (an agent may not settle an unknown outcome)', () => {
	it('finds a claimed row of the same transfer, newest first, never a settled, freed or own one, nor another account’s', async () => {
		const store = await PostgresLedgerStore.open(node, db.url(), account);
		const other = await PostgresLedgerStore.open(node, db.url(), {
			...account,
			aspId: 'ASP000000000002',
		});
		await store.claim([item(0, 'old')], attempt(NOW), NOTHING_LEARNT);
		await store.claim([item(0, 'newer')], attempt(NOW + 1000), NOTHING_LEARNT);
		await store.claim([item(0, 'paid'), item(1, 'dropped')], attempt(NOW + 2000), NOTHING_LEARNT);
		await store.settle({
			transferred: [{ reference: 'paid' }],
			released: [item(1, 'dropped')],
			unknown: ['old', 'newer'],
		});
		await other.claim([item(0, 'elsewhere')], attempt(NOW + 3000), NOTHING_LEARNT);
		const asked = [item(0, 'agent-1'), item(1, 'agent-2', '20000'), item(2, '')];
		expect(await store.unknownTransfers(asked, new Set(['agent-1']))).toEqual([
			{ reference: 'newer' },
			undefined,
			{ reference: 'newer' },
		]);
		// The window's own References are not named; resolved ones are not either
		expect(await store.unknownTransfers([item(0, 'newer')], new Set(['newer']))).toEqual([
			{ reference: 'old' },
		]);
		await store.resolve('newer', 'markNotTransferred', Date.now() + 120_000);
		await store.resolve('old', 'markTransferred', Date.now());
		expect(await store.unknownTransfers(asked, new Set())).toEqual([
			undefined,
			undefined,
			undefined,
		]);
		// Another account's row is its own: found only there
		expect(await other.unknownTransfers([item(0, 'x')], new Set())).toEqual([
			{ reference: 'elsewhere' },
		]);
	});

	it('ignores rows an earlier version wrote (no transfer key), and upgrades their table on first use', async () => {
		await db.admin(LEDGER_TABLE_SQL);
		await db.admin(`ALTER TABLE ${LEDGER_TABLE} DROP COLUMN transfer_key`);
		await db.admin(
			`INSERT INTO ${LEDGER_TABLE} (reference_key, base_url, asp_id, reference, state, claimed_at, in_flight_until, claimed_on, claim_token, workflow_id, execution_id, node_name)
			VALUES ('k-old', $1, $2, 'before-upgrade', 'claimed', now(), now(), current_date, gen_random_uuid(), 'wf', 'e', 'n')`,
			['https://sandbox.konaplate.com/open-api', account.aspId],
		);
		const store = await PostgresLedgerStore.open(node, db.url(), account);
		expect(await store.unknownTransfers([item(0, 'new')], new Set())).toEqual([undefined]);
		await store.claim([item(0, 'after-upgrade')], attempt(NOW), NOTHING_LEARNT);
		expect(await store.unknownTransfers([item(0, 'new')], new Set())).toEqual([
			{ reference: 'after-upgrade' },
		]);
		const indexes = await db.admin<{ indexname: string }>(
			'SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY indexname',
			[LEDGER_TABLE],
		);
		expect(indexes.map(({ indexname }) => indexname)).toContain(
			'konaplate_transfer_ledger_transfer',
		);
	});
});

describe('the listing and the rows', () => {
	it('lists the account by state, newest first, with a limit; rows hold masked cards only', async () => {
		const store = await PostgresLedgerStore.open(node, db.url(), account);
		for (let index = 0; index < 5; index++)
			await store.claim(
				[item(index, `list-${index}`)],
				attempt(NOW + index * 1000),
				NOTHING_LEARNT,
			);
		await store.settle({
			transferred: [{ reference: 'list-1', correlationId: 'c1' }, { reference: 'list-3' }],
			released: [],
			unknown: [],
		});
		const unknown = await store.list({ state: 'outcomeUnknown' });
		expect(unknown.map(({ reference }) => reference)).toEqual(['list-4', 'list-2', 'list-0']);
		expect(unknown[0]).toEqual({
			reference: 'list-4',
			state: 'outcomeUnknown',
			claimedAt: new Date(NOW + 4000).toISOString(),
			claimedOn: '2026-12-01',
			workflowId: 'wf-1',
			executionId: 'exec-1',
			nodeName: 'Pay out',
			amount: '10000',
			fromCardNo: '949133******0765',
			toCardNo: '949133******1234',
		});
		const transferred = await store.list({ state: 'transferred', limit: 1 });
		expect(transferred).toMatchObject([{ reference: 'list-3', state: 'transferred' }]);
		expect(transferred[0].settledAt).toEqual(expect.any(String));
		expect(
			(await store.list({ state: 'all', limit: 10 })).map(({ reference }) => reference),
		).toEqual(['list-4', 'list-3', 'list-2', 'list-1', 'list-0']);
		const other = await PostgresLedgerStore.open(node, db.url(), {
			...account,
			aspId: 'ASP000000000009',
		});
		expect(await other.list({ state: 'all' })).toEqual([]);
		const text = JSON.stringify(await db.admin(`SELECT * FROM ${LEDGER_TABLE}`));
		expect(text).not.toContain(FROM_CARD);
		expect(text).not.toContain(TO_CARD);
		expect(text).not.toContain('1000001');
	});
});

describe('a database that cannot be used', () => {
	it('refuses with LEDGER_UNAVAILABLE when nothing listens, naming where, with no password in the text', async () => {
		const port = await freePort();
		const url = `postgres://ledger:s3cret-pw@127.0.0.1:${port}/ledger`;
		const error = (await PostgresLedgerStore.open(node, url, account).catch(
			(e: Error) => e,
		)) as Error;
		expect(errorDetails(error as never).refusal).toBe('LEDGER_UNAVAILABLE');
		expect(error.message).toContain(
			`no PostgreSQL answers at 127.0.0.1:${port} (connection refused)`,
		);
		expect(JSON.stringify(error)).not.toContain('s3cret-pw');
	});

	it('refuses within the connect timeout when a server accepts and never answers', async () => {
		const sockets: Array<{ destroy: () => void }> = [];
		const silent: Server = createServer((socket) => sockets.push(socket));
		const port = await new Promise<number>((resolve) =>
			silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)),
		);
		try {
			const started = Date.now();
			const error = (await PostgresLedgerStore.open(
				node,
				`postgres://u:p@127.0.0.1:${port}/d`,
				account,
			).catch((e: Error) => e)) as Error;
			const waited = Date.now() - started;
			expect(errorDetails(error as never).refusal).toBe('LEDGER_UNAVAILABLE');
			expect(error.message).toMatch(/did not answer in time/);
			expect(waited).toBeGreaterThanOrEqual(LEDGER_TIMEOUTS.connectMs - 100);
			expect(waited).toBeLessThan(LEDGER_TIMEOUTS.connectMs + 3000);
		} finally {
			sockets.forEach((socket) => socket.destroy());
			silent.close();
		}
	}, 20_000);

	it('refuses a claim while the server is down, and claims again once it is back: nothing lost', async () => {
		const store = await PostgresLedgerStore.open(node, db.url(), account);
		await store.claim([item(0, 'before-restart')], attempt(NOW), NOTHING_LEARNT);
		await db.restart(async () => {
			const error = (await store
				.claim([item(1, 'during')], attempt(NOW), NOTHING_LEARNT)
				.catch((e: Error) => e)) as Error;
			expect(errorDetails(error as never).refusal).toBe('LEDGER_UNAVAILABLE');
		});
		expect(
			await store.claim(
				[item(0, 'before-restart'), item(1, 'during')],
				attempt(NOW + 1),
				NOTHING_LEARNT,
			),
		).toEqual([
			{ before: 'claimed', differs: [] },
			{ before: 'free', differs: [] },
		]);
	}, 60_000);
});

describe('loading', () => {
	it('loads node-postgres only when a shared ledger is opened, not with the node or the store module', () => {
		const script = [
			"require('./dist/nodes/Konaplate/Konaplate.node.js');",
			"require('./dist/credentials/KonaCredentials.credentials.js');",
			"require('./dist/nodes/Konaplate/ledger/postgres/store.js');",
			'const loaded = () => Object.keys(require.cache).some((file) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(file));',
			'const before = loaded();',
			"require('./dist/nodes/Konaplate/ledger/postgres/connection.js').ledgerPool('postgres://u:p@127.0.0.1:1/d')",
			'  .then(() => console.log(JSON.stringify({ before, after: loaded() })));',
		].join('\n');
		const run = spawnSync(process.execPath, ['-e', script], {
			cwd: join(__dirname, '..'),
			encoding: 'utf8',
		});
		expect(run.stderr).toBe('');
		expect(JSON.parse(run.stdout)).toEqual({ before: false, after: true });
	});
});
