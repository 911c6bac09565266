import type { IDataObject } from 'n8n-workflow';

import { MAX_PAGES, MAX_RANGE_DAYS, PAGE_SIZE } from '../nodes/Konaplate/wire/history';
import { parOf } from '../emulator/ids';
import { CARDS } from '../emulator/server';
import { MAIN_TO_SECOND, MEMBER, MERGE_MEMBER } from '../emulator/data';
import { useKonaplate, withNode, WORKFLOWS } from './helpers/konaplate';

/** Transaction → Get Many: a card's history, over Konaplate's paging, against the emulator. */
const HISTORY = '/api/v1/transaction/card';
const CARD_LIST = '/api/v1/user/card/list';
const kona = useKonaplate();

/** Today's date in KST (the emulator credential's zone), as a date picker gives it. */
const today = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
const history = (fields: IDataObject = {}): IDataObject => ({
	userId: MEMBER,
	cardNo: CARDS.main,
	startDate: today(),
	endDate: today(),
	transactionType: '03',
	...fields,
});
const transfer = async (amount: number) =>
	await kona.output(WORKFLOWS.transfer, [{ ...MAIN_TO_SECOND, amount }]);
const read = async (fields: IDataObject = {}, credential?: IDataObject) =>
	await kona.output(WORKFLOWS.transactionGetMany, [history(fields)], credential);
const bodies = () =>
	kona.emulator.accepted(HISTORY).map((request) => request.body as Record<string, unknown>);

describe('Transaction → Get Many', () => {
	it('outputs one item per transfer, newest first, with the balances Card → Get shows', async () => {
		await transfer(1000);
		await transfer(2500);
		const { success, error } = await read();
		expect(error).toBeUndefined();
		expect(success).toHaveLength(2);
		const [newest, oldest] = success.map(({ json }) => json);
		expect(newest).toMatchObject({
			trType: '03',
			trAmount: 2500,
			balanceBefore: 49_000,
			balanceAfter: 46_500,
			par: parOf(CARDS.main),
			cardNo: '949133******0765',
		});
		expect(oldest).toMatchObject({ trAmount: 1000, balanceBefore: 50_000, balanceAfter: 49_000 });
		expect(newest.approvalDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
		expect(success.map(({ pairedItem }) => pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		const card = await kona.output(WORKFLOWS.cardGet, [{ cardNo: CARDS.main }]);
		expect(card.success[0].json.balance).toBe(newest.balanceAfter);
	});

	it('sends the PAR, never the card number, with the days as yyyyMMdd and the paging', async () => {
		await read({ includePreviousCard: true });
		expect(kona.emulator.accepted(CARD_LIST)).toHaveLength(1);
		const [body] = kona.emulator.accepted(HISTORY);
		expect(body.rawBody).not.toContain(CARDS.main);
		const day = today().replace(/-/g, '');
		expect(bodies()[0]).toMatchObject({
			par: parOf(CARDS.main),
			startDate: day,
			endDate: day,
			trType: '03',
			includePreviousCard: true,
		});
		expect(body.rawBody).toContain(
			`"pageRequest":{"page":0,"pageSize":${PAGE_SIZE},"sort":"approvalDateTime","orderByDirection":"DESC"}`,
		);
		expect(body.rawBody).toContain(`"userId":${MEMBER}`);
	});

	it('All sends no trType; a PAR given directly skips the card list', async () => {
		await read({ par: parOf(CARDS.main), cardNo: '', transactionType: 'all' });
		expect(kona.emulator.accepted(CARD_LIST)).toHaveLength(0);
		expect(bodies()[0]).not.toHaveProperty('trType');
	});

	it('Return All reads every page; Limit stops as soon as it has enough', async () => {
		for (let count = 0; count < PAGE_SIZE + 5; count++) await transfer(10);
		kona.emulator.requests.length = 0;
		const all = await read({ returnAll: true });
		expect(all.success).toHaveLength(PAGE_SIZE + 5);
		expect(kona.emulator.accepted(HISTORY)).toHaveLength(2);
		kona.emulator.requests.length = 0;
		const some = await read({ returnAll: false, limit: 5 });
		expect(some.success).toHaveLength(5);
		expect(kona.emulator.accepted(HISTORY)).toHaveLength(1);
	});

	it('a day range in a UTC credential is sent as written and times carry +00:00', async () => {
		await transfer(1000);
		const utcToday = new Date().toISOString().slice(0, 10);
		const { success } = await read({ startDate: utcToday, endDate: utcToday }, { timeZone: 'UTC' });
		expect(bodies()[0].startDate).toBe(utcToday.replace(/-/g, ''));
		// The emulator writes its times in KST: the node reads them in the credential's zone
		for (const { json } of success) expect(json.approvalDateTime).toMatch(/\+00:00$/);
	});

	it('a date with a zone is that instant’s day in the credential’s zone', async () => {
		await read({ startDate: '2026-11-30T20:00:00Z', endDate: '2026-12-01T01:00:00+09:00' });
		expect(bodies()[0]).toMatchObject({ startDate: '20261201', endDate: '20261201' });
	});

	it.each([
		[
			'a range the wrong way round',
			{ startDate: '2026-12-02', endDate: '2026-12-01' },
			'End Date (endDate) of item 0 ends (20261201) before it starts (20261202): swap the two dates',
		],
		[
			'a range too long',
			{ startDate: '2026-01-01', endDate: '2026-12-31' },
			`End Date (endDate) of item 0 spans 365 days; at most ${MAX_RANGE_DAYS} are read in one go: split the period into shorter ranges`,
		],
		[
			'a date that is none',
			{ startDate: '2026-02-30' },
			'Start Date (startDate) of item 0 is not a date of the calendar: "2026-02-30"',
		],
		[
			'no date',
			{ startDate: '' },
			'Start Date (startDate) of item 0 must be a date such as 2026-12-01, got an empty text',
		],
		[
			'a PAR that is none',
			{ par: 'not-a-par' },
			'PAR Token (par) of item 0 must be a PAR token of 27 letters and digits, got a text',
		],
		[
			'a card number that is none',
			{ cardNo: '1234' },
			'Card Number (cardNo) of item 0 must be exactly 16 digits (0-9 only, no spaces or dashes)',
		],
		[
			'a member that is none',
			{ userId: 'abc' },
			'User ID (userId) of item 0 must be 1 to 19 digits (0-9 only, no spaces, signs or decimals)',
		],
		[
			'a type that is none',
			{ transactionType: '04' },
			'Transaction Type (transactionType) of item 0 must be one of all, 00, 01, 02, 03',
		],
		[
			'a limit that is none',
			{ returnAll: false, limit: 0 },
			'Limit (limit) of item 0 must be a whole number of at least 1',
		],
	])('refuses %s before anything is sent', async (_what, fields, message) => {
		const { error } = await read(fields);
		expect(error?.message).toBe(message);
		expect(kona.emulator.requests).toHaveLength(0);
	});

	it('refuses a card that is not the member’s, its number masked, before reading any history', async () => {
		const { error } = await read({ userId: MERGE_MEMBER });
		expect(error?.message).toBe(
			`Card 949133******0765 of item 0 is not a card of member ${MERGE_MEMBER}`,
		);
		expect(JSON.stringify(error)).not.toContain(CARDS.main);
		expect(kona.emulator.accepted(HISTORY)).toHaveLength(0);
	});

	it('a documented code is an error with its meaning: 003_021 for an unknown PAR', async () => {
		const { error } = await read({ par: 'Q1J000000000000000000000000' });
		expect(error?.message).toBe('003_021: Cannot find par.');
	});

	it('a paging that never ends stops with an error after the last page it allows', async () => {
		const page = JSON.stringify({
			response: { code: '000_000', description: 'Success' },
			transactionInfo: Array.from({ length: PAGE_SIZE }, () => ({ trType: '03', trAmount: 1 })),
		});
		kona.emulator.script = () => ({ status: 200, body: page });
		const { error, success } = await read({ par: parOf(CARDS.main), returnAll: true });
		expect(success).toHaveLength(0);
		expect(error?.message).toBe(
			`Konaplate's transaction history of item 0 did not end after ${MAX_PAGES} pages of ${PAGE_SIZE}`,
		);
		expect(kona.emulator.accepted(HISTORY)).toHaveLength(MAX_PAGES);
	});

	it('an answer for another page than the one asked for is unreadable, not a repeat', async () => {
		kona.emulator.script = () => ({
			status: 200,
			body: JSON.stringify({
				response: { code: '000_000' },
				pageResponse: { page: 3, totalPages: 9 },
				transactionInfo: [],
			}),
		});
		const { error } = await read({ par: parOf(CARDS.main) });
		expect(error?.message).toBe("Konaplate's answer could not be read (HTTP 200)");
		expect(error?.description).toMatch(/page 3 where page 0 was asked for/);
	});

	it('a hostile answer comes out masked, its numbers exact or hidden, never a card number', async () => {
		kona.emulator.script = () => ({
			status: 200,
			body:
				'{"response":{"code":"000_000"},"pageResponse":{"page":0,"totalPages":1},"transactionInfo":[' +
				'{"trType":"03","trAmount":1500,"balanceBefore":9491339401250765,"balanceAfter":12,' +
				'"memo":"card ９４９１ ３３９４ ０１２５ ０７６５","counterpart":"9491.3394.0125.0765",' +
				'"payeeName":"Hong Gildong","extra":"김코나","merchantName":["9491339401250765"],' +
				'"approvalDateTime":"20261301000000","nrNumber":"NR1"}]}',
		});
		const { success, error } = await read({ par: parOf(CARDS.main) });
		expect(error).toBeUndefined();
		const text = JSON.stringify(success[0].json);
		expect(text).not.toMatch(/9491339401250765|０１２５|3394/);
		expect(success[0].json).toMatchObject({
			trAmount: 1500,
			balanceBefore: '************0765',
			balanceAfter: 12,
			payeeName: 'H**********g',
			extra: '김*나',
			counterpart: '************0765',
			approvalDateTime: '**********0000',
		});
	});

	it('as an item list: the pairing follows the input item of each transaction', async () => {
		await transfer(1000);
		const { success } = await kona.output(withNode(WORKFLOWS.transactionGetMany, {}), [
			history({ cardNo: CARDS.second }),
			history(),
		]);
		expect(success.map(({ pairedItem, json }) => [pairedItem, json.balanceAfter])).toEqual([
			[{ item: 0 }, 11_000],
			[{ item: 1 }, 49_000],
		]);
	});
});
