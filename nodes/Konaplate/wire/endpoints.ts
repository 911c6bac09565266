/**
 * The Open API paths the node calls, below the credential's base URL (the sandbox's ends in
 * /open-api). The node's one home of these paths: the operations, the credential test and the
 * end-to-end checks read them here. The emulator, which plays Konaplate's side, keeps its own
 * table of the paths it answers (emulator/endpoints.ts).
 */
export const ENDPOINT = {
	delete: '/api/v1/bankaccounts/delete',
	transfer: '/api/v1/transfer/balance',
	cardList: '/api/v1/user/card/list',
	cardInfo: '/api/v1/user/card/info',
	accountInfo: '/api/v1/bankaccounts/info',
	/** "Modification of the Card's State": SUSPEND (중지) or RESUME (중지 해지) one card of a member. */
	cardStatus: '/api/v1/card/status',
	/** "Checking Transaction History": one card's transactions, by PAR token and approval date. */
	transactions: '/api/v1/transaction/card',
	/** The credential test's read: the auto-recharge account of a member. */
	accountInquiry: '/api/v1/bankaccounts/inquiry',
} as const;

export type EndpointPath = (typeof ENDPOINT)[keyof typeof ENDPOINT];

/**
 * The paths that move money. A redirect answer to one of them means something between the node
 * and Konaplate received the signed request and may have passed it on: its outcome is unknown.
 * To any other path a redirect is a refusal (a read changes nothing, and deleting the bank
 * account again does no harm).
 */
export const MOVES_MONEY: ReadonlySet<EndpointPath> = new Set([ENDPOINT.transfer]);
