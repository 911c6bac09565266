// The emulator's shared types: what it is started with, receives, holds and answers, and the
// shape of an endpoint in its table (endpoints.ts). Types only: every emulator file may import it.
import type { KeyObject } from 'node:crypto';

import type { ExactJson } from './exact-json';
import type { SecondHost } from './second-host';

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
	/**
	 * The address to listen on: 127.0.0.1 (default), another local address, or 0.0.0.0 / :: for
	 * every interface (an n8n in Docker reaches it as host.docker.internal).
	 */
	host?: string;
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

export interface Reply {
	status: number;
	body: Record<string, unknown> | string;
	/** Why the request was refused, for the record. */
	reason?: string;
}

export interface Product {
	owner: string | null;
	allowsCollection: boolean;
	/** Konaplate lists "Invalid balance usage percentage." without a code. */
	badUsagePercentage?: boolean;
	/** The transfer itself fails on Konaplate's side (017_002). */
	failsTransfer?: boolean;
	balanceLimit: number;
}

export type CardStatus = 'ACTIVE' | 'INACTIVE' | 'EXPIRED' | 'SUSPENDED';

export interface Card {
	cardNo: string;
	/** null: a card mapped to no member. */
	userId: string | null;
	status: CardStatus;
	/** A key of PRODUCTS (data.ts). */
	product: string;
	balance: number;
	/** The plastic card's own number, when the member has one. */
	physicalCardNo?: string;
	/** A debit card's linked bank account and its limits. */
	debit?: {
		bankName: string;
		bankCode: string;
		accountNo: string;
		limits: { day: number; once: number; month: number };
	};
}

export interface Member {
	userId: string;
	bankAccount: { bankCode: string; accountNo: string } | null;
	/** The account holder's name, shown by the registered-account read. */
	name?: string;
	/** The cash-receipt identifier (a phone number), shown by the card read. */
	cashReceiptId?: string;
}

/** One row of a card's transaction history, as the emulator records it. */
export interface EmulatorTransaction {
	cardNo: string;
	/** 00 payment, 01 charge, 02 refund, 03 transfer. */
	trType: string;
	trAmount: number;
	balanceBefore: number;
	balanceAfter: number;
	approvedAt: Date;
	/** Konaplate's transaction reference. */
	nrNumber: string;
}

/** What the endpoints read and change: reset to the test data of data.ts (no transactions). */
export interface EmulatorState {
	members: Map<string, Member>;
	cards: Map<string, Card>;
	/** Every transfer the emulator performed, two rows each (one per card), oldest first. */
	transactions: EmulatorTransaction[];
	/** The emulator's clock: when a transfer is approved. */
	now(): Date;
}

/** What the test control (control.ts) reads and sets on a running emulator. */
export interface ControlledEmulator extends EmulatorState {
	readonly requests: ReceivedRequest[];
	/**
	 * Return a RawReply to answer a request your own way. The request is still checked,
	 * recorded and processed (balances move), like a service whose real answer is lost.
	 */
	script?: (request: ReceivedRequest) => RawReply | undefined;
	/** Milliseconds to hold each normal answer, e.g. to see how many requests overlap. */
	latency?: (request: ReceivedRequest) => number;
	/**
	 * The next `count` requests (checked and processed as usual) are answered with a redirect of
	 * this status, its Location the same path on this emulator or on the second host.
	 */
	redirect(status: number, to: RedirectTarget, count: number): Promise<void>;
	/** The second host, started on first use (second-host.ts). */
	secondHost(): Promise<SecondHost>;
	reset(): void;
}

/** Where a scripted redirect points: back here, or to the second host. */
export type RedirectTarget = 'self' | 'second-host';

/** One endpoint of the table in endpoints.ts: its answer and what its page marks "Encrypted". */
export interface Endpoint {
	/** What Konaplate answers to a request that passed the checks. */
	answer: (state: EmulatorState, body: Record<string, ExactJson>) => Reply;
	/**
	 * 'encrypted': its page marks the request Encrypted (refused plain when encryption is
	 * required); 'either': plain on its page but read encrypted too; 'plain': never encrypted.
	 */
	request: 'encrypted' | 'either' | 'plain';
	/** Its page marks the answer Encrypted: sent encrypted to a request that came encrypted. */
	encryptedAnswer: boolean;
}
