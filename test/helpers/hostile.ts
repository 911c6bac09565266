// Hostile parameter values, shared by the hostile-input, hostile-response, money-safety and leak suites.
import type { IDataObject } from 'n8n-workflow';

import { CARDS } from '../../emulator/server';
import { MAIN_TO_SECOND, MEMBER, MERGE_MEMBER } from '../../emulator/data';

/*
 * Generators of hostile parameter values, shared by the hostile-input, hostile-response,
 * money-safety and leak suites. The leak scanner, the log capture and the slow answers live
 * beside it (leak-scanner.ts, log-capture.ts, slow-answers.ts).
 */

export interface Hostile {
	label: string;
	value: unknown;
}

const h = (label: string, value: unknown): Hostile => ({ label, value });

/**
 * Values that no parameter of either operation accepts: not a member id, not a card number,
 * not an amount of won, not a boolean. (0, 1e3 or true are left out: some parameter takes them.)
 */
export function anywhereHostile(): Hostile[] {
	return [
		h('undefined', undefined),
		h('null', null),
		h('empty text', ''),
		h('a space', ' '),
		h('a tab', '\t'),
		h('a newline', '\n'),
		h('mixed blanks', ' \t\r\n\u00a0\u3000'),
		h('NaN', Number.NaN),
		h('Infinity', Number.POSITIVE_INFINITY),
		h('-Infinity', Number.NEGATIVE_INFINITY),
		h('-1', -1),
		h('0.5', 0.5),
		h('1.5', 1.5),
		h('-1.5', -1.5),
		h('2^53 + 2', 2 ** 53 + 2),
		h('1e21', 1e21),
		h('Number.MAX_VALUE', Number.MAX_VALUE),
		h('Number.MIN_VALUE', Number.MIN_VALUE),
		h('-(2^63)', -(2 ** 63)),
		h('empty object', {}),
		h('object', { value: 100 }),
		h('nested object', { a: { b: { c: [1] } } }),
		h('empty list', []),
		h('list of a text', ['50000104652']),
		h('list of a number', [100]),
		h('nested list', [[1]]),
		h('"abc"', 'abc'),
		h('"null"', 'null'),
		h('"undefined"', 'undefined'),
		h('"NaN"', 'NaN'),
		h('"Infinity"', 'Infinity'),
		h('"true"', 'true'),
		h('"false"', 'false'),
		h('hex text', '0x1F'),
		h('binary text', '0b101'),
		h('octal text', '0o17'),
		h('NUL', '\u0000'),
		h('control characters', '\u0001\u0007\b\u001b[31m'),
		h('zero-width space', '\u200b'),
		h('right-to-left override', '\u202e123'),
		h('BOM + digit', '\ufeff1'),
		h('100 000 letters', 'x'.repeat(100_000)),
		h('100 000 digits', '9'.repeat(100_000)),
		h('full-width digits', '１２３'),
		h('Arabic-Indic digits', '١٢٣'),
		h('Devanagari digits', '१२३'),
		h('superscript digits', '¹²³'),
		h('"-1"', '-1'),
		h('"+1"', '+1'),
		h('"1.5"', '1.5'),
		h('"1e5"', '1e5'),
		h('leading space', ' 1'),
		h('trailing space', '1 '),
		h('trailing newline', '1\n'),
		h('thousands separator', '1,000'),
		h('underscore separator', '1_000'),
		h('digit + NUL', '1\u0000'),
		h('script tag', '<script>alert(1)</script>'),
		h('SQL', '1; DROP TABLE cards;--'),
		h('expression text', '{{ 1 + 1 }}'),
		h('formula', '=1+1'),
		h('JSON object text', '{"a":1}'),
		h('JSON list text', '[1]'),
		h('emoji', '💳'),
		h('lone surrogate', '\ud800'),
		h('path', '../../etc/passwd'),
		h('"__proto__"', '__proto__'),
		h('object with __proto__ key', JSON.parse('{"__proto__":{"polluted":true}}') as unknown),
	];
}

const userIdHostile = (): Hostile[] => [
	h('"0"', '0'),
	h('"000000"', '000000'),
	h('-0', -0),
	h('0', 0),
	h('20 digits', '12345678901234567890'),
	h('20 nines', '99999999999999999999'),
	h('25 digits', '1'.repeat(25)),
	h('2^53 as a number', 2 ** 53),
	h('1e19 as a number', 1e19),
	h('19 digits as a number', Number('1234567890123456789')),
	h('digits + letters', '50000104652abc'),
	h('letters + digits', 'abc50000104652'),
	h('digits + space', '50000104652 '),
	h('space + digits', ' 50000104652'),
	h('tab + digits', '\t50000104652'),
	h('digits + newline', '50000104652\n'),
	h('digits + NUL', '50000104652\u0000'),
	h('one full-width digit', '5000010465２'),
	h('grouped with spaces', '50 000 104 652'),
	h('grouped with commas', '50,000,104,652'),
	h('".0"', '50000104652.0'),
	h('exponent text', '5.0000104652e10'),
	h('negative text', '-50000104652'),
	h('plus sign', '+50000104652'),
	h('hex of the id', '0xBA43B740C'),
	h('Arabic-Indic id', '٥٠٠٠٠١٠٤٦٥٢'),
	h('true', true),
	h('false', false),
	h('fraction', 50000104652.5),
	h('negative number', -50000104652),
	h('object holding the id', { userId: MEMBER }),
];

const cardNoHostile = (): Hostile[] => [
	h('-0', -0),
	h('0', 0),
	h('15 digits', '949133940125076'),
	h('17 digits', '94913394012507650'),
	h('32 digits', `${CARDS.main}${CARDS.second}`),
	h('dashes', '9491-3394-0125-0765'),
	h('spaces', '9491 3394 0125 0765'),
	h('trailing newline', `${CARDS.main}\n`),
	h('leading space', ` ${CARDS.main}`),
	h('trailing space', `${CARDS.main} `),
	h('one full-width digit', '949133940125076５'),
	h('letter O for zero', '949133940125076O'),
	h('digits + letters', `${CARDS.main}abc`),
	h('letter + digits', `x${CARDS.main}`),
	h('plus sign', `+${CARDS.main}`),
	h('minus sign', `-${CARDS.main}`),
	h('".0"', `${CARDS.main}.0`),
	h('exponent text', '9.491339401250765e15'),
	h('digits + NUL', `${CARDS.main}\u0000`),
	h('16 digits as a number beyond 2^53', Number(CARDS.main)),
	h('another beyond 2^53', 9.5e15),
	h('15 digits as a number', 949133940125076),
	h('Arabic-Indic card', '٩٤٩١٣٣٩٤٠١٢٥٠٧٦٥'),
	h('full-width card', '９４９１３３９４０１２５０７６５'),
	h('true', true),
	h('false', false),
	h('list of the card', [CARDS.main]),
];

const amountHostile = (): Hostile[] => [
	h('0', 0),
	h('-0', -0),
	h('"0"', '0'),
	h('"0000"', '0000'),
	h('-100', -100),
	h('"-1"', '-1'),
	h('100.01', 100.01),
	h('1e-7', 1e-7),
	h('max + 1', 1_000_000_000_000),
	h('1e15', 1e15),
	h('2^53', 2 ** 53),
	h('13 digits text', '1000000000000'),
	h('16 nines text', '9'.repeat(16)),
	h('"1e3"', '1e3'),
	h('"1,000"', '1,000'),
	h('"1000.0"', '1000.0'),
	h('"1000 "', '1000 '),
	h('" 1000"', ' 1000'),
	h('full-width', '１０００'),
	h('"+1000"', '+1000'),
	h('"0x10"', '0x10'),
	h('"100\\u0000"', '100\u0000'),
	h('words', 'one hundred'),
	h('won sign', '₩1000'),
	h('won suffix', '1000원'),
	h('currency code', '1000 KRW'),
	h('true', true),
	h('false', false),
	h('object with amount', { amount: 100 }),
];

const booleanHostile = (): Hostile[] => [
	h('"TRUE"', 'TRUE'),
	h('"yes"', 'yes'),
	h('"no"', 'no'),
	h('"on"', 'on'),
	h('"off"', 'off'),
	h('"1"', '1'),
	h('"0"', '0'),
	h('1', 1),
	h('0', 0),
	h('-0', -0),
	h('object with true', { value: true }),
	h('list of true', [true]),
	h('list of false', [false]),
];

export type Operation = 'transfer' | 'delete';

/** One parameter of one operation, with the hostile values it must refuse. */
export interface Slot<O extends string = Operation> {
	operation: O;
	parameter: string;
	/** The field's label, as the refusal must name it. */
	displayName: string;
	values: Hostile[];
}

export const DISPLAY_NAMES: Record<string, string> = {
	userId: 'User ID',
	fromCardNo: 'Card Number to Transfer From',
	toCardNo: 'Card Number to Transfer To',
	amount: 'Amount (KRW)',
	transferEntireBalance: 'Transfer Entire Balance',
	cardNo: 'Card Number',
};

/** A parameter's slot: every value none of the parameters takes, plus its own. */
function slot<O extends string>(operation: O, parameter: string, own: Hostile[]): Slot<O> {
	return {
		operation,
		parameter,
		displayName: DISPLAY_NAMES[parameter],
		values: [...anywhereHostile(), ...own],
	};
}

/** Every parameter of both operations, each with every value none of them takes plus its own. */
export function hostileSlots(): Slot[] {
	return [
		slot('delete', 'userId', userIdHostile()),
		slot('transfer', 'userId', userIdHostile()),
		slot('transfer', 'fromCardNo', cardNoHostile()),
		slot('transfer', 'toCardNo', [
			...cardNoHostile(),
			h('the same card as fromCardNo', CARDS.main),
		]),
		slot('transfer', 'amount', amountHostile()),
		slot('transfer', 'transferEntireBalance', booleanHostile()),
	];
}

/** Items every parameter of which is valid; a hostile item replaces exactly one of them. */
export const VALID_ITEM: Record<Operation, IDataObject> = {
	transfer: {
		...MAIN_TO_SECOND,
		transferEntireBalance: false,
		amount: 100,
	},
	delete: { userId: MEMBER },
};

/** The reads: nothing moves, but their answers carry card and account data. */
export type ReadOperation = 'cardGetMany' | 'cardGet' | 'bankAccountGet';

export const VALID_READ_ITEM: Record<ReadOperation, IDataObject> = {
	cardGetMany: { userId: MERGE_MEMBER },
	cardGet: { cardNo: CARDS.main },
	bankAccountGet: { userId: MERGE_MEMBER },
};

export type ReadSlot = Slot<ReadOperation>;

/** Every parameter of the reads, each with every value none of them takes plus its own. */
export function readHostileSlots(): ReadSlot[] {
	return [
		slot('cardGetMany', 'userId', userIdHostile()),
		slot('cardGet', 'cardNo', cardNoHostile()),
		slot('bankAccountGet', 'userId', userIdHostile()),
	];
}

export function hostileItem(operation: Operation, parameter: string, value: unknown): IDataObject {
	return { ...VALID_ITEM[operation], [parameter]: value } as IDataObject;
}

/** Words that only an unguarded JavaScript failure puts in a message. */
export const CRASH_WORDS =
	/TypeError|ReferenceError|RangeError|SyntaxError|Cannot read|is not a function|is not defined|undefined is not|Maximum call stack/;

/** One line for the suite's summary, printed without the console (which the lint forbids). */
export function printSummary(line: string): void {
	process.stdout.write(`${line}\n`);
}
