/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { decryptJwe, encryptJwe } from '../nodes/Konaplate/wire/jwe';
import { ExactNumber, parseExactJson } from './exact-json';
import type { ExactJson } from './exact-json';
import { CARDS, EMULATOR_CREDENTIAL, initialCards, initialMembers, OUR_AFFILIATE, PRODUCTS } from './data';
import type { Card, Member } from './data';

/**
 * A local stand-in for the Konaplate emulator: a real HTTP server on 127.0.0.1 that checks
 * headers, Tran-Token and body the way the service does and answers the documented codes.
 */

export interface EmulatorEncryption {
	cryptoKeyId: string;
	/** Decrypts requests (the partner encrypts with the matching server public key). */
	serverPrivateKey: KeyObject;
	/** Encrypts responses (the partner decrypts with the matching client private key). */
	clientPublicKey: KeyObject;
	/** Refuse plain bodies on the endpoints marked Encrypted. */
	required: boolean;
	encryptResponses: boolean;
}

export interface EmulatorOptions {
	aspId?: string;
	accessKey?: string;
	secretKey?: string;
	/** How far X-KM-Tran-Time may be from the emulator's clock. */
	maxClockSkewMs?: number;
	encryption?: EmulatorEncryption;
	now?: () => Date;
	/** 0 (default): a port chosen by the OS. */
	port?: number;
	/** false: keep no request log, for long benchmark runs (default true). */
	keepRequests?: boolean;
}

export interface ReceivedRequest {
	method: string;
	path: string;
	headers: Record<string, string>;
	rawBody: string;
	/** The decoded (and, if encrypted, decrypted) body, with numbers as their literal text. */
	body?: ExactJson;
	encrypted: boolean;
	/** 'accepted' once headers, token and body passed the checks; otherwise why it was refused. */
	verdict: string;
	/** The result code the emulator answered with, when it answered with one. */
	code?: string;
	status?: number;
}

/** A scripted answer for hostile-response tests. */
export interface RawReply {
	status?: number;
	headers?: Record<string, string>;
	body?: string | Buffer;
	/** Wait this long before answering. */
	delayMs?: number;
	/** Send the body in pieces, each after its delay. */
	chunks?: Array<{ data: string; delayMs: number }>;
	/** Close the connection without answering. */
	drop?: boolean;
}

interface Reply {
	status: number;
	body: Record<string, unknown> | string;
	/** Why the request was refused, for the record. */
	reason?: string;
}

const CONTROL_PREFIX = '/__emulator/';
/** The endpoints whose pages mark their request parameters "Encrypted": refused plain when encryption is required. */
const ENCRYPTED_ENDPOINTS = new Set(['/api/v1/bankaccounts/delete', '/api/v1/transfer/balance', '/api/v1/user/card/info', '/api/v1/bankaccounts/info']);
/** Plain on its page but read encrypted too: the card list (an encrypted request names its key, so the answer can be encrypted). */
const OPTIONALLY_ENCRYPTED_REQUESTS = new Set(['/api/v1/user/card/list']);
/** The answers marked "Encrypted", sent encrypted to a request that came encrypted; bankaccounts/info is not marked and answers plain. */
const ENCRYPTED_RESPONSES = new Set(['/api/v1/bankaccounts/delete', '/api/v1/transfer/balance', '/api/v1/user/card/info', '/api/v1/user/card/list']);
const ZONE_OFFSET_MINUTES: Record<string, number> = { KST: 9 * 60, UTC: 0 };
const MAX_USER_ID = 9_999_999_999_999_999_999n;
const MAX_AMOUNT = 999_999_999_999;

/** Konaplate names these failures only by message; the emulator gives them codes of its own. */
export const UNDOCUMENTED_CODES = {
	usagePercentage: '017_901',
	cardStatus: '017_902',
} as const;

const envelope = (code: string, description: string, fields: Record<string, unknown> = {}) => ({
	response: { code, description },
	...fields,
});
const failure = (code: string, description: string): Reply => ({ status: 400, body: envelope(code, description) });
const unauthorized = (why: string): Reply => ({
	status: 401,
	reason: why,
	body: `<html><head><title>401 Unauthorized</title></head><body><h1>401 Unauthorized</h1><p>${why}</p></body></html>`,
});

class Refusal extends Error {
	constructor(readonly reply: Reply) {
		super(reply.reason ?? (typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)));
	}
}

function parseStampMs(stamp: string, zone: string): number {
	const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) => Number(stamp.slice(at, at + (i === 0 ? 4 : 2))));
	const ms = stamp.length === 17 ? Number(stamp.slice(14)) : 0;
	return Date.UTC(y, mo - 1, d, h, mi, s, ms) - ZONE_OFFSET_MINUTES[zone] * 60_000;
}

export class KonaplateEmulator {
	readonly requests: ReceivedRequest[] = [];
	members: Map<string, Member> = initialMembers();
	cards: Map<string, Card> = initialCards();
	/**
	 * Return a RawReply to answer a request your own way. The request is still checked,
	 * recorded and processed (balances move), like a service whose real answer is lost.
	 */
	script?: (request: ReceivedRequest) => RawReply | undefined;
	/** Milliseconds to hold each normal answer, e.g. to see how many requests overlap. */
	latency?: (request: ReceivedRequest) => number;
	/** The most requests the emulator was answering at the same time. */
	maxInFlight = 0;
	private inFlight = 0;

	private constructor(
		private readonly server: Server,
		readonly baseUrl: string,
		private readonly options: Required<Omit<EmulatorOptions, 'encryption'>> & Pick<EmulatorOptions, 'encryption'>,
	) {}

	static async start(options: EmulatorOptions = {}): Promise<KonaplateEmulator> {
		const settings = {
			aspId: options.aspId ?? EMULATOR_CREDENTIAL.aspId,
			accessKey: options.accessKey ?? EMULATOR_CREDENTIAL.accessKey,
			secretKey: options.secretKey ?? EMULATOR_CREDENTIAL.secretKey,
			maxClockSkewMs: options.maxClockSkewMs ?? 5 * 60_000,
			now: options.now ?? (() => new Date()),
			encryption: options.encryption,
			port: options.port ?? 0,
			keepRequests: options.keepRequests ?? true,
		};
		const holder: { emulator?: KonaplateEmulator } = {};
		const server = createServer((req, res) => {
			void holder.emulator?.handle(req, res);
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(settings.port, '127.0.0.1', resolve);
		});
		const { port } = server.address() as AddressInfo;
		holder.emulator = new KonaplateEmulator(server, `http://127.0.0.1:${port}/open-api`, settings);
		return holder.emulator;
	}

	/** Requests the emulator accepted for a path: what actually reached "Konaplate". */
	accepted(path?: string): ReceivedRequest[] {
		return this.requests.filter((r) => r.verdict === 'accepted' && (path === undefined || r.path === path));
	}

	reset(): void {
		this.requests.length = 0;
		this.members = initialMembers();
		this.cards = initialCards();
		this.script = undefined;
		this.latency = undefined;
		this.maxInFlight = 0;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks);
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(req.headers)) {
			if (typeof value === 'string') headers[name] = value;
		}
		if ((req.url ?? '').startsWith(CONTROL_PREFIX)) {
			this.control(req.method ?? '', req.url ?? '', res, raw.toString('utf8'));
			return;
		}
		const path = (req.url ?? '').replace(/^\/open-api/, '').replace(/\?.*$/, '');
		const record: ReceivedRequest = {
			method: req.method ?? '',
			path,
			headers,
			rawBody: raw.toString('utf8'),
			encrypted: false,
			verdict: 'pending',
		};
		if (this.options.keepRequests) this.requests.push(record);
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			await this.respond(res, record, raw, headers);
		} finally {
			this.inFlight--;
		}
	}

	/**
	 * Test control for an emulator in another process (a real n8n's end-to-end runs):
	 * GET /__emulator/requests lists what arrived, POST /__emulator/reset restores the test data,
	 * POST /__emulator/script {"replies": [RawReply...], "latencyMs": n} answers the next requests
	 * with those replies, one each, in order (a timeout, a dropped connection...), and holds every
	 * normal answer latencyMs; a reset ends both.
	 */
	private control(method: string, url: string, res: ServerResponse, body: string): void {
		const route = `${method} ${url.slice(CONTROL_PREFIX.length)}`;
		if (route === 'GET requests' || route === 'GET state') {
			const body =
				route === 'GET requests'
					? this.requests
					: { cards: Object.fromEntries([...this.cards].map(([cardNo, card]) => [cardNo, card.balance])), members: [...this.members.values()] };
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(body));
			return;
		}
		if (route === 'POST reset') {
			this.reset();
			res.writeHead(204);
			res.end();
			return;
		}
		if (route === 'POST script') {
			const { replies = [], latencyMs = 0 } = JSON.parse(body) as { replies?: RawReply[]; latencyMs?: number };
			const queue = [...replies];
			this.script = () => queue.shift();
			this.latency = () => latencyMs;
			res.writeHead(204);
			res.end();
			return;
		}
		res.writeHead(404);
		res.end();
	}

	private async respond(
		res: ServerResponse,
		record: ReceivedRequest,
		raw: Buffer,
		headers: Record<string, string>,
	): Promise<void> {
		let reply: Reply;
		try {
			reply = this.answer(record, raw);
		} catch (error) {
			// An emulator fault answers 500, which no test expecting success lets pass.
			const refusal = error instanceof Refusal ? error : new Refusal({ status: 500, body: `emulator fault: ${String(error)}` });
			if (record.verdict !== 'accepted') record.verdict = refusal.message;
			reply = refusal.reply;
		}
		if (typeof reply.body === 'object') record.code = (reply.body.response as { code: string }).code;
		const scripted = this.script?.(record);
		if (scripted !== undefined) {
			await this.sendRaw(res, headers, scripted);
			record.status = scripted.status;
			return;
		}
		record.status = reply.status;
		const hold = this.latency?.(record) ?? 0;
		if (hold > 0) await sleep(hold);
		this.send(res, record, reply);
	}

	private send(res: ServerResponse, record: ReceivedRequest, reply: Reply): void {
		const correlationId = record.headers['x-km-correlation-id'];
		const responseHeaders: Record<string, string> = {};
		if (correlationId !== undefined) responseHeaders['X-KM-Correlation-Id'] = correlationId;
		let text: string;
		if (typeof reply.body === 'string') {
			responseHeaders['Content-Type'] = 'text/html; charset=utf-8';
			text = reply.body;
		} else {
			responseHeaders['Content-Type'] = 'application/json;charset=UTF-8';
			text = withExactIntegers(JSON.stringify(reply.body));
			const encryption = this.options.encryption;
			if (encryption?.encryptResponses && ENCRYPTED_RESPONSES.has(record.path) && record.encrypted) {
				text = JSON.stringify({ encData: encryptJwe(text, encryption.clientPublicKey, randomBytes) });
				responseHeaders['X-KM-Crypto-Key-Id'] = encryption.cryptoKeyId;
			}
		}
		res.writeHead(reply.status, responseHeaders);
		res.end(text);
	}

	private async sendRaw(res: ServerResponse, requestHeaders: Record<string, string>, reply: RawReply): Promise<void> {
		if (reply.delayMs) await sleep(reply.delayMs);
		if (reply.drop) {
			res.socket?.destroy();
			return;
		}
		const headers = { ...reply.headers };
		const correlationId = requestHeaders['x-km-correlation-id'];
		if (correlationId !== undefined && !('X-KM-Correlation-Id' in headers)) headers['X-KM-Correlation-Id'] = correlationId;
		res.writeHead(reply.status ?? 200, headers);
		for (const chunk of reply.chunks ?? []) {
			await sleep(chunk.delayMs);
			if (res.destroyed) return;
			res.write(chunk.data);
		}
		res.end(reply.body ?? '');
	}

	private answer(record: ReceivedRequest, raw: Buffer): Reply {
		if (record.method !== 'POST') throw new Refusal({ status: 405, body: '<html><body>405 Method Not Allowed</body></html>' });
		const route = ROUTES[record.path];
		if (route === undefined) throw new Refusal({ status: 404, body: '<html><body>404 Not Found</body></html>' });
		this.checkHeaders(record.headers, raw);
		const body = this.readBody(record, raw);
		if (typeof body !== 'object' || body === null || Array.isArray(body) || body instanceof ExactNumber) {
			throw new Refusal(failure('000_002', 'Invalid input parameter.'));
		}
		record.body = body;
		record.verdict = 'accepted';
		return route.call(this, body);
	}

	private checkHeaders(headers: Record<string, string>, raw: Buffer): void {
		const { aspId, accessKey, secretKey } = this.options;
		if (headers['x-km-user-aspid'] !== aspId) throw new Refusal(unauthorized('unknown X-KM-User-AspId'));
		if (headers['x-km-access-key'] !== accessKey) throw new Refusal(unauthorized('unknown X-KM-Access-Key'));
		const invalid = (name: string) => new Refusal(failure('000_002', `Invalid input parameter. ${name}`));
		if (!/^application\/json\b/i.test(headers['content-type'] ?? '')) throw invalid('Content-Type');
		if (!/^\d{12}-[0-9a-f]{7}$/.test(headers['x-km-correlation-id'] ?? '')) throw invalid('X-KM-Correlation-Id');
		const zone = headers['x-km-time-zone'] ?? '';
		if (!(zone in ZONE_OFFSET_MINUTES)) throw invalid('X-KM-Time-Zone');
		const tranTime = headers['x-km-tran-time'] ?? '';
		if (!/^\d{14}$/.test(tranTime)) throw invalid('X-KM-Tran-Time');
		const token = /^KMV1:(\d{17}):([A-Za-z0-9+/]{43}=)$/.exec(headers['x-km-tran-token'] ?? '');
		if (!token) throw new Refusal(unauthorized('malformed X-KM-Tran-Token'));
		if (token[1].slice(0, 14) !== tranTime) throw new Refusal(unauthorized('X-KM-Tran-Time differs from the token time'));
		const skew = Math.abs(parseStampMs(token[1], zone) - this.options.now().getTime());
		if (skew > this.options.maxClockSkewMs) throw new Refusal(unauthorized(`request time is ${Math.round(skew / 1000)} s off`));
		const expected = createHmac('sha256', secretKey).update(raw).digest();
		const given = Buffer.from(token[2], 'base64');
		if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
			throw new Refusal(unauthorized('X-KM-Tran-Token does not match the body'));
		}
	}

	private readBody(record: ReceivedRequest, raw: Buffer): ExactJson {
		const outer = exactJsonOrUndefined(() => parseExactJson(raw.toString('utf8')));
		if (outer === undefined) throw new Refusal(failure('000_002', 'Invalid input parameter.'));
		const encryption = this.options.encryption;
		if (encryption === undefined || !(ENCRYPTED_ENDPOINTS.has(record.path) || OPTIONALLY_ENCRYPTED_REQUESTS.has(record.path))) return outer;
		const encData = typeof outer === 'object' && outer !== null && !Array.isArray(outer) && !(outer instanceof ExactNumber) ? outer.encData : undefined;
		if (typeof encData !== 'string') {
			if (encryption.required && ENCRYPTED_ENDPOINTS.has(record.path)) throw new Refusal(failure('000_002', 'Invalid input parameter. encData'));
			return outer;
		}
		if (record.headers['x-km-crypto-key-id'] !== encryption.cryptoKeyId) {
			throw new Refusal(failure('000_002', 'Invalid input parameter. X-KM-Crypto-Key-Id'));
		}
		record.encrypted = true;
		const inner = exactJsonOrUndefined(() => parseExactJson(decryptJwe(encData, encryption.serverPrivateKey)));
		if (inner === undefined) throw new Refusal(failure('000_002', 'Invalid input parameter. encData'));
		return inner;
	}

	member(userId: string): Member {
		const member = this.members.get(userId);
		if (member === undefined) throw new Refusal(failure('001_006', 'Wallet user not found.'));
		return member;
	}

	deleteBankAccount(body: Record<string, ExactJson>): Reply {
		const member = this.member(userIdOf(body));
		member.bankAccount = null;
		return { status: 200, body: envelope('000_000', 'Success') };
	}

	inquireBankAccount(body: Record<string, ExactJson>): Reply {
		const member = this.member(userIdOf(body));
		return {
			status: 200,
			body: envelope('000_000', 'Success', {
				userId: Number(member.userId),
				isAutoRcgAccRegAllowed: member.bankAccount !== null,
				accountInfo: member.bankAccount,
			}),
		};
	}

	/** POST /api/v1/user/card/list: the member's cards, optionally one by PAR or plastic card number. */
	listCards(body: Record<string, ExactJson>): Reply {
		const userId = userIdOf(body);
		this.member(userId);
		let cards = [...this.cards.values()].filter((card) => card.userId === userId);
		const { par, physicalCardNo } = body;
		if (typeof par === 'string') cards = cards.filter((card) => parOf(card.cardNo) === par);
		if (typeof physicalCardNo === 'string') cards = cards.filter((card) => card.physicalCardNo === physicalCardNo);
		if ((typeof par === 'string' || typeof physicalCardNo === 'string') && cards.length === 0) {
			throw new Refusal(failure('003_021', 'Cannot find par.'));
		}
		return { status: 200, body: envelope('000_000', 'Success', { cardDataInfo: cards.map(cardView) }) };
	}

	/** POST /api/v1/user/card/info: one card by its mobile or plastic number, and the member it is mapped to. */
	cardInfo(body: Record<string, ExactJson>): Reply {
		const cardNo = cardNoOf(body, 'cardNo');
		const card = [...this.cards.values()].find((entry) => entry.cardNo === cardNo || entry.physicalCardNo === cardNo);
		if (card === undefined) throw new Refusal(failure('003_021', 'Cannot find par.'));
		const member = card.userId === null ? undefined : this.members.get(card.userId);
		const product = PRODUCTS[card.product];
		return {
			status: 200,
			body: envelope('000_000', 'Success', {
				...(card.userId !== null && { userId: new ExactInteger(card.userId) }),
				balance: card.balance,
				cardStatus: card.status,
				serviceId: serviceIdOf(card.product),
				serviceName: `KONA ${card.product} card`,
				ownerKa: product.owner,
				cashReceiptInfo: member?.cashReceiptId === undefined ? null : { idNo: member.cashReceiptId, manYn: 'Y', approvalDiv: '0' },
				isAutoRechargeBeforePayment: false,
			}),
		};
	}

	/** POST /api/v1/bankaccounts/info: the member's registered account; 007_001 when there is none. */
	bankAccountInfo(body: Record<string, ExactJson>): Reply {
		const member = this.member(userIdOf(body));
		const account = member.bankAccount;
		if (account === null) throw new Refusal(failure('007_001', 'Bank account not found.'));
		return {
			status: 200,
			body: envelope('000_000', 'Success', {
				userId: new ExactInteger(member.userId),
				accountInfo: {
					accountId: digest(`account:${member.userId}`).slice(0, 5).toUpperCase(),
					userName: member.name ?? null,
					bankCode: account.bankCode,
					bankName: BANK_NAMES[account.bankCode] ?? null,
					bankAccount: account.accountNo,
				},
			}),
		};
	}

	transferBalance(body: Record<string, ExactJson>): Reply {
		const userId = userIdOf(body);
		const fromCardNo = cardNoOf(body, 'fromCardNo');
		const toCardNo = cardNoOf(body, 'toCardNo');
		const amount = amountOf(body);
		this.member(userId);
		if (fromCardNo === toCardNo) throw new Refusal(failure('017_003', 'Value transfer between same card.'));
		const [from, to] = [fromCardNo, toCardNo].map((cardNo) => {
			const card = this.cards.get(cardNo);
			if (card === undefined || card.userId !== userId) throw new Refusal(failure('003_001', 'Invalid card info.'));
			return card;
		});
		for (const card of [from, to]) {
			const product = PRODUCTS[card.product];
			if (product.owner === null) throw new Refusal(failure('017_006', 'Owner affiliate not found.'));
			if (product.owner !== OUR_AFFILIATE) {
				throw new Refusal(failure('017_004', 'Input affiliateId is not same as owner affiliateId.'));
			}
			if (!product.allowsCollection) throw new Refusal(failure('017_005', 'Product is not allowed collection.'));
			if (card.status === 'INACTIVE') throw new Refusal(failure('005_004', 'Gift card status is not active.'));
			if (card.status === 'EXPIRED') throw new Refusal(failure('005_005', 'Gift card is over expiration date.'));
			if (card.status !== 'ACTIVE') throw new Refusal(failure(UNDOCUMENTED_CODES.cardStatus, 'Card status not allowed.'));
			if (product.badUsagePercentage) {
				throw new Refusal(failure(UNDOCUMENTED_CODES.usagePercentage, 'Invalid balance usage percentage.'));
			}
		}
		if (from.balance === 0) throw new Refusal(failure('005_017', 'Possible collection balance is zero.'));
		const moved = amount === 0 ? from.balance : amount;
		if (moved > from.balance) throw new Refusal(failure('005_018', 'There is not enough balance to transfer.'));
		if (to.balance + moved > PRODUCTS[to.product].balanceLimit) throw new Refusal(failure('017_001', 'Balance is over the max.'));
		if (PRODUCTS[from.product].failsTransfer) throw new Refusal(failure('017_002', 'Failed to balance transfer.'));
		from.balance -= moved;
		to.balance += moved;
		return { status: 200, body: envelope('000_000', 'Success.', { amount: moved }) };
	}
}

const ROUTES: Record<string, (this: KonaplateEmulator, body: Record<string, ExactJson>) => Reply> = {
	'/api/v1/bankaccounts/delete': KonaplateEmulator.prototype.deleteBankAccount,
	'/api/v1/bankaccounts/inquiry': KonaplateEmulator.prototype.inquireBankAccount,
	'/api/v1/transfer/balance': KonaplateEmulator.prototype.transferBalance,
	'/api/v1/user/card/list': KonaplateEmulator.prototype.listCards,
	'/api/v1/user/card/info': KonaplateEmulator.prototype.cardInfo,
	'/api/v1/bankaccounts/info': KonaplateEmulator.prototype.bankAccountInfo,
};

const BANK_NAMES: Record<string, string> = { '004': 'KB Kookmin Bank', '088': 'Shinhan Bank' };

/** A whole number written into an answer digit for digit, as Konaplate writes a 19-digit userId. */
class ExactInteger {
	constructor(readonly digits: string) {}

	toJSON(): string {
		return `\u0000int:${this.digits}`;
	}
}

/** Puts the digits of every ExactInteger in place of the text JSON.stringify wrote for it. */
function withExactIntegers(text: string): string {
	return text.replace(/"\\u0000int:([0-9]+)"/g, '$1');
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** A card's PAR token: 27 characters that stand in for the card number and never contain it. */
function parOf(cardNo: string): string {
	return `Q1J${digest(`par:${cardNo}`).slice(0, 24).toUpperCase()}`;
}

function serviceIdOf(product: string): string {
	return `SVC${digest(`service:${product}`).slice(0, 12).toUpperCase()}`;
}

/** One card as the card list answers it (the fields of the page and of working client code). */
function cardView(card: Card): Record<string, unknown> {
	return {
		par: parOf(card.cardNo),
		mobileCardNo: card.cardNo,
		...(card.physicalCardNo !== undefined && { physicalCardNo: card.physicalCardNo, physicalCardStatus: card.status }),
		mobileCardStatus: card.status,
		balance: card.balance,
		pendingAmount: 0,
		isNamed: card.debit !== undefined,
		serviceId: serviceIdOf(card.product),
		serviceName: `KONA ${card.product} card`,
		expiryDate: '20301231',
		cardApplyNo: `CA${digest(`apply:${card.cardNo}`).slice(0, 20).toUpperCase()}`,
		rechargeable: true,
		remittable: true,
		refundable: card.debit === undefined,
		...(card.debit !== undefined && {
			limits: card.debit.limits,
			bankInfo: { bankName: card.debit.bankName, accountNo: card.debit.accountNo },
		}),
		cardPointInfo: [{ pointName: 'KONA Point', remainingPoint: 0 }],
	};
}

function userIdOf(body: Record<string, ExactJson>): string {
	const value = body.userId;
	if (value instanceof ExactNumber && /^[1-9][0-9]{0,18}$/.test(value.literal) && BigInt(value.literal) <= MAX_USER_ID) {
		return value.literal;
	}
	if (value === undefined || value === null) throw new Refusal(failure('000_003', 'Missing required values. userId'));
	throw new Refusal(failure('000_002', 'Invalid input parameter. userId'));
}

function cardNoOf(body: Record<string, ExactJson>, field: 'fromCardNo' | 'toCardNo' | 'cardNo'): string {
	const value = body[field];
	if (value === undefined || value === null) throw new Refusal(failure('000_003', `Missing required values. ${field}`));
	if (typeof value !== 'string' || !/^\d{16}$/.test(value)) throw new Refusal(failure('000_002', `Invalid input parameter. ${field}`));
	return value;
}

/** 0 or null moves the entire balance. */
function amountOf(body: Record<string, ExactJson>): number {
	const value = body.amount;
	if (value === undefined) throw new Refusal(failure('000_003', 'Missing required values. amount'));
	if (value === null) return 0;
	if (value instanceof ExactNumber && /^(0|[1-9][0-9]*)$/.test(value.literal) && Number(value.literal) <= MAX_AMOUNT) {
		return Number(value.literal);
	}
	throw new Refusal(failure('000_002', 'Invalid input parameter. amount'));
}

/** A body the service cannot read (bad JSON, a JWE that does not open) is an input error, not a fault. */
function exactJsonOrUndefined(read: () => ExactJson): ExactJson | undefined {
	try {
		return read();
	} catch {
		return undefined;
	}
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

export { CARDS };
