import { TIME_ZONES } from '../nodes/Konaplate/wire/clock';
import { userIdOf } from './checks';
import { ExactNumber } from './exact-json';
import type { ExactJson } from './exact-json';
import { digest, parOf } from './ids';
import { envelope, failure, Refusal } from './replies';
import type { Card, EmulatorState, Reply } from './types';

/* "Checking Transaction History" (/api/v1/transaction/card): the rows the emulator's transfers
 * recorded, by PAR token, approval day, type and page. Times are written in KST, the zone of
 * the emulator's credential. */

/** Every transfer writes two rows of type 03: the card it came from, and the card it went to. */
export function recordTransfer(state: EmulatorState, from: Card, to: Card, moved: number): void {
	const approvedAt = state.now();
	const nrNumber = `NR${digest(`${approvedAt.toISOString()}:${state.transactions.length}`).slice(0, 18).toUpperCase()}`;
	for (const [card, change] of [
		[from, -moved],
		[to, moved],
	] as const) {
		state.transactions.push({
			cardNo: card.cardNo,
			trType: '03',
			trAmount: moved,
			balanceBefore: card.balance,
			balanceAfter: card.balance + change,
			approvedAt,
			nrNumber,
		});
		card.balance += change;
	}
}

const invalid = (field: string) =>
	new Refusal(failure('000_002', `Invalid input parameter. ${field}`));

/** yyyyMMddHHmmss in KST. */
function kst(instant: Date): string {
	return new Date(instant.getTime() + TIME_ZONES.KST * 60_000)
		.toISOString()
		.replace(/[-:T]/g, '')
		.slice(0, 14);
}

function day(body: Record<string, ExactJson>, field: 'startDate' | 'endDate'): string {
	const value = body[field];
	if (value === undefined || value === null)
		throw new Refusal(failure('000_003', `Missing required values. ${field}`));
	if (typeof value !== 'string' || !/^\d{8}$/.test(value)) throw invalid(field);
	return value;
}

function pageRequest(body: Record<string, ExactJson>): { page: number; pageSize: number } {
	const request = body.pageRequest;
	if (request === undefined || request === null) return { page: 0, pageSize: 10 };
	const number = (value: unknown, fallback: number) =>
		value instanceof ExactNumber && /^\d{1,4}$/.test(value.literal)
			? Number(value.literal)
			: fallback;
	if (typeof request !== 'object' || Array.isArray(request) || request instanceof ExactNumber)
		throw invalid('pageRequest');
	return { page: number(request.page, 0), pageSize: Math.max(1, number(request.pageSize, 10)) };
}

export function transactionHistory(state: EmulatorState, body: Record<string, ExactJson>): Reply {
	const userId = body.userId === undefined ? undefined : userIdOf(body);
	const { par } = body;
	if (par === undefined || par === null)
		throw new Refusal(failure('000_003', 'Missing required values. par'));
	if (typeof par !== 'string' || par.length !== 27) throw invalid('par');
	const card = [...state.cards.values()].find((entry) => parOf(entry.cardNo) === par);
	if (card === undefined) throw new Refusal(failure('003_021', 'Cannot find par.'));
	if (userId !== undefined && card.userId !== userId)
		throw new Refusal(failure('003_001', 'Invalid card info.'));
	const [startDate, endDate] = [day(body, 'startDate'), day(body, 'endDate')];
	const { trType } = body;
	if (
		trType !== undefined &&
		trType !== null &&
		(typeof trType !== 'string' || !/^0[0-3]$/.test(trType))
	)
		throw invalid('trType');
	const rows = state.transactions
		.filter((row) => row.cardNo === card.cardNo)
		.filter((row) => typeof trType !== 'string' || row.trType === trType)
		.map((row) => ({ row, approvalDateTime: kst(row.approvedAt) }))
		.filter(({ approvalDateTime }) => {
			const rowDay = approvalDateTime.slice(0, 8);
			return rowDay >= startDate && rowDay <= endDate;
		})
		.reverse();
	const { page, pageSize } = pageRequest(body);
	const shown = rows.slice(page * pageSize, (page + 1) * pageSize);
	return {
		status: 200,
		body: envelope('000_000', 'Success', {
			pageResponse: {
				page,
				totalPages: Math.ceil(rows.length / pageSize),
				numberOfElements: shown.length,
			},
			transactionInfo: shown.map(({ row, approvalDateTime }) => ({
				trType: row.trType,
				rcgType: null,
				nrNumber: row.nrNumber,
				trAmount: row.trAmount,
				orgAmount: row.trAmount,
				approvalCode: row.nrNumber.slice(-8),
				balanceBefore: row.balanceBefore,
				balanceAfter: row.balanceAfter,
				merchantName: 'Balance transfer',
				bizLicenseNo: null,
				authCancelType: 'AUTH',
				approvalDateTime,
				discountAmount: 0,
				usedPointAmount: 0,
				savedPointAmount: 0,
				cashReciptInfo: null,
				rechargeCancelable: 0,
			})),
		}),
	};
}
