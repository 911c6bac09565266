// The local Konaplate emulator's HTTP server: it receives, checks (checks.ts) and answers (endpoints.ts).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { encryptJwe } from '../nodes/Konaplate/wire/jwe';
import { checkHeaders, readBody } from './checks';
import { control, CONTROL_PREFIX } from './control';
import { CARDS, EMULATOR_CREDENTIAL, initialCards, initialMembers } from './data';
import { ENDPOINTS } from './endpoints';
import { ExactNumber } from './exact-json';
import { failure, Refusal, withExactIntegers } from './replies';
import { SecondHost } from './second-host';
import type {
	Card,
	ControlledEmulator,
	EmulatorOptions,
	Member,
	RawReply,
	EmulatorTransaction,
	ReceivedRequest,
	RedirectTarget,
	Reply,
} from './types';

/** The address this machine reaches a server on: a wildcard is reached on loopback. */
export function reachableHost(host: string): string {
	if (host === '0.0.0.0' || host === '') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}

/**
 * The local Konaplate emulator: a real HTTP server (on 127.0.0.1 unless asked) that checks headers,
 * Tran-Token and body the way the service does (checks.ts) and answers the documented codes
 * (endpoints.ts). Tests drive it directly; another process drives it over control.ts.
 */

export class KonaplateEmulator implements ControlledEmulator {
	readonly requests: ReceivedRequest[] = [];
	members: Map<string, Member> = initialMembers();
	cards: Map<string, Card> = initialCards();
	transactions: EmulatorTransaction[] = [];
	/** See ControlledEmulator (types.ts): a scripted answer in place of the normal one. */
	script?: (request: ReceivedRequest) => RawReply | undefined;
	/** See ControlledEmulator (types.ts): how long to hold each normal answer. */
	latency?: (request: ReceivedRequest) => number;
	/** The most requests the emulator was answering at the same time. */
	maxInFlight = 0;
	private inFlight = 0;
	private second?: Promise<SecondHost>;
	private secondStarted?: SecondHost;

	private constructor(
		private readonly server: Server,
		readonly baseUrl: string,
		private readonly options: Required<Omit<EmulatorOptions, 'encryption'>> &
			Pick<EmulatorOptions, 'encryption'>,
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
			host: options.host ?? '127.0.0.1',
			keepRequests: options.keepRequests ?? true,
		};
		const holder: { emulator?: KonaplateEmulator } = {};
		const server = createServer((req, res) => {
			void holder.emulator?.handle(req, res);
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(settings.port, settings.host, resolve);
		});
		const { port } = server.address() as AddressInfo;
		holder.emulator = new KonaplateEmulator(
			server,
			`http://${reachableHost(settings.host)}:${port}/open-api`,
			settings,
		);
		return holder.emulator;
	}

	now(): Date {
		return this.options.now();
	}

	/** Requests the emulator accepted for a path: what actually reached "Konaplate". */
	accepted(path?: string): ReceivedRequest[] {
		return this.requests.filter(
			(r) => r.verdict === 'accepted' && (path === undefined || r.path === path),
		);
	}

	async secondHost(): Promise<SecondHost> {
		this.second ??= SecondHost.start().then((host) => (this.secondStarted = host));
		return await this.second;
	}

	async redirect(status: number, to: RedirectTarget, count: number): Promise<void> {
		const origin = to === 'self' ? new URL(this.baseUrl).origin : (await this.secondHost()).origin;
		let left = count;
		this.script = (request) => {
			if (left <= 0) return undefined;
			left--;
			// A query that no message may show: only the Location's host is ever named
			const location = `${origin}/open-api${request.path}?session=redirect-secret-${left}`;
			return { status, headers: { Location: location }, body: '' };
		};
	}

	reset(): void {
		this.requests.length = 0;
		if (this.secondStarted) this.secondStarted.received.length = 0;
		this.members = initialMembers();
		this.cards = initialCards();
		this.transactions = [];
		this.script = undefined;
		this.latency = undefined;
		this.maxInFlight = 0;
	}

	async close(): Promise<void> {
		await (await this.second)?.close();
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
			await control(this, req.method ?? '', req.url ?? '', res, raw.toString('utf8'));
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
			const refusal =
				error instanceof Refusal
					? error
					: new Refusal({ status: 500, body: `emulator fault: ${String(error)}` });
			if (record.verdict !== 'accepted') record.verdict = refusal.message;
			reply = refusal.reply;
		}
		if (typeof reply.body === 'object')
			record.code = (reply.body.response as { code: string }).code;
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
			if (
				encryption?.encryptResponses &&
				ENDPOINTS[record.path]?.encryptedAnswer &&
				record.encrypted
			) {
				text = JSON.stringify({
					encData: encryptJwe(text, encryption.clientPublicKey, randomBytes),
				});
				responseHeaders['X-KM-Crypto-Key-Id'] = encryption.cryptoKeyId;
			}
		}
		res.writeHead(reply.status, responseHeaders);
		res.end(text);
	}

	private async sendRaw(
		res: ServerResponse,
		requestHeaders: Record<string, string>,
		reply: RawReply,
	): Promise<void> {
		if (reply.delayMs) await sleep(reply.delayMs);
		if (reply.drop) {
			res.socket?.destroy();
			return;
		}
		const headers = { ...reply.headers };
		const correlationId = requestHeaders['x-km-correlation-id'];
		if (correlationId !== undefined && !('X-KM-Correlation-Id' in headers))
			headers['X-KM-Correlation-Id'] = correlationId;
		res.writeHead(reply.status ?? 200, headers);
		for (const chunk of reply.chunks ?? []) {
			await sleep(chunk.delayMs);
			if (res.destroyed) return;
			res.write(chunk.data);
		}
		res.end(reply.body ?? '');
	}

	private answer(record: ReceivedRequest, raw: Buffer): Reply {
		if (record.method !== 'POST')
			throw new Refusal({ status: 405, body: '<html><body>405 Method Not Allowed</body></html>' });
		const endpoint = ENDPOINTS[record.path];
		if (endpoint === undefined)
			throw new Refusal({ status: 404, body: '<html><body>404 Not Found</body></html>' });
		checkHeaders(record.headers, raw, this.options);
		const body = readBody(record, raw, this.options.encryption, endpoint.request);
		if (
			typeof body !== 'object' ||
			body === null ||
			Array.isArray(body) ||
			body instanceof ExactNumber
		) {
			throw new Refusal(failure('000_002', 'Invalid input parameter.'));
		}
		record.body = body;
		record.verdict = 'accepted';
		return endpoint.answer(this, body);
	}
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

export { CARDS };
export { UNDOCUMENTED_CODES } from './replies';
export type { EmulatorEncryption, EmulatorOptions, RawReply, ReceivedRequest } from './types';
