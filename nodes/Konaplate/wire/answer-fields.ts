/*
 * The fields of Konaplate's answers the node knows, and the rule for each (redact.ts applies
 * them). The field table of docs/sensitive-values.md lists the same rules; a test checks that it names every field.
 */

export type FieldRule =
	/**
	 * Shown as it came, but through the digit-run defence of redact.ts: a kept field's text is
	 * text from outside (a nested object or list in it gets the unknown-field defence).
	 */
	| 'keep'
	/**
	 * A PAR token: whole when it has a PAR's form (27 letters and digits, no 13 digits in a row),
	 * since the transaction history takes it back; otherwise the digit-run defence.
	 */
	| 'par'
	/** A full card number: first 6 and last 4 digits, unless Show Full Card Numbers is on. */
	| 'cardNo'
	/** A bank account number: last 4 characters only. */
	| 'accountNo'
	/** A personal identifier (a phone or registration number): last 4 characters only. */
	| 'identifier'
	/** A person's name: first and last character only (홍*동, J********h). */
	| 'name'
	/** A member id: its exact digits, as text. */
	| 'exactId'
	/** Meaning undocumented: the unknown-field defence. */
	| 'unknown'
	| { object: Schema }
	| { list: Schema };

export type Schema = Readonly<Record<string, FieldRule>>;

/** One card of `cardDataInfo` in /api/v1/user/card/list. */
export const CARD_LIST_CARD: Schema = {
	par: 'par',
	mobileCardNo: 'cardNo',
	physicalCardNo: 'cardNo',
	cardNo: 'cardNo',
	mobileCardStatus: 'keep',
	physicalCardStatus: 'keep',
	balance: 'keep',
	pendingAmount: 'keep',
	isNamed: 'keep',
	limits: { object: { day: 'keep', once: 'keep', month: 'keep' } },
	serviceId: 'keep',
	serviceName: 'keep',
	expiryDate: 'keep',
	cardApplyNo: 'keep',
	rechargeable: 'keep',
	remittable: 'keep',
	refundable: 'keep',
	bankInfo: { object: { bankName: 'keep', bankCode: 'keep', accountNo: 'accountNo' } },
	cardPointInfo: { list: { pointName: 'keep', remainingPoint: 'keep' } },
};

/** The answer of /api/v1/user/card/info, below its `response`. */
export const CARD_INFO: Schema = {
	userId: 'exactId',
	cardNo: 'cardNo',
	balance: 'keep',
	cardStatus: 'keep',
	serviceId: 'keep',
	serviceName: 'keep',
	ownerKa: 'unknown',
	cashReceiptInfo: { object: { idNo: 'identifier', manYn: 'keep', approvalDiv: 'keep' } },
	isAutoRechargeBeforePayment: 'keep',
};

/** The answer of /api/v1/bankaccounts/info, below its `response`. */
export const BANK_ACCOUNT_INFO: Schema = {
	userId: 'exactId',
	accountInfo: {
		object: {
			accountId: 'keep',
			userName: 'name',
			bankCode: 'keep',
			bankName: 'keep',
			bankAccount: 'accountNo',
			accountNo: 'accountNo',
		},
	},
};

/** One entry of `transactionInfo` in /api/v1/transaction/card (typed by a public client only). */
export const TRANSACTION: Schema = {
	trType: 'keep',
	rcgType: 'keep',
	nrNumber: 'keep',
	trAmount: 'keep',
	orgAmount: 'keep',
	approvalCode: 'keep',
	balanceBefore: 'keep',
	balanceAfter: 'keep',
	merchantName: 'keep',
	bizLicenseNo: 'keep',
	authCancelType: 'keep',
	approvalDateTime: 'unknown',
	discountAmount: 'keep',
	usedPointAmount: 'keep',
	savedPointAmount: 'keep',
	cashReciptInfo: {
		object: { isuStCd: 'keep', approvalNo: 'keep', approvalDate: 'keep' },
	},
	rechargeCancelable: 'keep',
};
