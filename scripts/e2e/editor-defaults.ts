// The defaults and the card status operations in npm run test:editor (editor-smoke.ts).
/**
 * In the open panel of a new "Transfer KRW between two ACTIVE cards of a member" node: Amount
 * opens at 1, the notice of an empty Reference shows and goes once Reference holds a value;
 * choosing Bank Account lands on Get, choosing Card on Get Many with Simplify on; Suspend and
 * Resume show User ID and Card Number; Transaction → Get Many's Card Number is the member's card
 * list or a number. The node is set back to Card → Transfer Balance at the end. Returns what it saw.
 */
import type { Locator, Page } from 'playwright-core';

import { assert } from './checks';
import { byTestId } from './editor-browser';

const NOTICE = /pays it twice/;

/** The label a select parameter shows: its input's value, or the chosen item's text. */
async function shown(ndv: Locator, name: string): Promise<string> {
	const field = ndv.locator(byTestId(`parameter-input-${name}`)).first();
	const input = field.locator('input').first();
	const value = (await input.count()) > 0 ? (await input.inputValue()).trim() : '';
	return value !== '' ? value : (await field.innerText()).trim();
}

async function choose(page: Page, ndv: Locator, name: string, option: string): Promise<void> {
	await ndv
		.locator(byTestId(`parameter-input-${name}`))
		.first()
		.click();
	await page
		// an operation's item shows its description after its name
		.locator('.el-select-dropdown__item', { hasText: new RegExp(`^${option}`) })
		.filter({ visible: true })
		.first()
		.click();
	await page.waitForTimeout(300);
}

export async function defaultsInEditor(
	page: Page,
	ndv: Locator,
	shoot: (name: string) => Promise<void>,
): Promise<string[]> {
	const seen: string[] = [];
	const amount = ndv.locator(`${byTestId('parameter-input-amount')} input`).first();
	assert.equal(await amount.inputValue(), '1', 'Amount (KRW) opens at');
	seen.push(`Amount (KRW) opens at ${await amount.inputValue()}`);
	const notice = ndv.getByText(NOTICE).first();
	await notice.waitFor({ timeout: 10000 });
	seen.push(`empty Reference: notice "${(await notice.innerText()).trim()}"`);
	await shoot('editor-reference-notice.png');
	const reference = ndv.locator(`${byTestId('parameter-input-reference')} input`).first();
	await reference.fill('payout-2026-11-0571');
	await page.keyboard.press('Tab');
	await notice.waitFor({ state: 'detached', timeout: 10000 });
	seen.push('Reference set: the notice is gone');
	await reference.fill('');
	await page.keyboard.press('Tab');

	await choose(page, ndv, 'resource', 'Bank Account');
	const bank = await shown(ndv, 'operation');
	assert.equal(bank, 'Get', `Bank Account lands on "${bank}"`);
	seen.push(`Bank Account → ${bank}`);
	await choose(page, ndv, 'resource', 'Card');
	const card = await shown(ndv, 'operation');
	assert.equal(card, 'Get Many', `Card lands on "${card}"`);
	seen.push(`Card → ${card}`);
	const simplify = ndv.locator(byTestId('parameter-input-simplify')).first();
	await simplify.waitFor({ timeout: 10000 });
	await ndv.getByText('Simplify', { exact: true }).first().waitFor({ timeout: 10000 });
	const on = await simplify.locator('.el-switch.is-checked').count();
	assert.equal(on, 1, 'Card → Get Many: Simplify is on');
	seen.push('Card → Get Many: Simplify shown, on');
	await shoot('editor-card-get-many-simplify.png');

	for (const operation of ['Suspend', 'Resume']) {
		await choose(page, ndv, 'operation', operation);
		for (const field of ['User ID', 'Card Number'])
			await ndv.getByText(field, { exact: true }).first().waitFor({ timeout: 10000 });
		await ndv.locator(byTestId('resource-locator-cardNo')).first().waitFor({ timeout: 10000 });
		seen.push(`Card → ${operation}: User ID, Card Number (from the member's cards or by number)`);
		await shoot(`editor-card-${operation.toLowerCase()}.png`);
	}
	await choose(page, ndv, 'resource', 'Transaction');
	await ndv.locator(byTestId('resource-locator-cardNo')).first().waitFor({ timeout: 10000 });
	seen.push(
		`Transaction → ${await shown(ndv, 'operation')}: Card Number from the member's cards or by number`,
	);
	await choose(page, ndv, 'resource', 'Card');
	await choose(page, ndv, 'operation', 'Transfer Balance');
	return seen;
}
