// The card list of npm run test:editor (editor-smoke.ts). The functions handed to
// locator.evaluateAll() run in the browser.
/// <reference lib="dom" />
/**
 * The card list in the editor: with User ID set to a member of the emulator, From Card's list
 * (n8n's resource locator, its list filled by the node's listSearch method through the
 * credential "Konaplate emulator") shows that member's ACTIVE cards, each masked with its status
 * and balance, and no full card number. Returns the entries as the editor showed them.
 */
import type { Locator, Page } from 'playwright-core';

import { CARDS, MERGE_MEMBER } from '../../emulator/data';
import { maskCardNo } from '../../nodes/Konaplate/wire/redact';
import { assert } from './checks';
import { byTestId } from './editor-browser';

/** The member's ACTIVE cards in the emulator's order (emulator/data.ts), as the list masks them. */
const ACTIVE_CARDS = [
	CARDS.mergeMain,
	CARDS.mergeGift,
	CARDS.mergePlastic,
	CARDS.mergeEmpty,
	CARDS.mergeDebit,
];

export async function cardListInEditor(
	page: Page,
	ndv: Locator,
	shoot: (name: string) => Promise<void>,
): Promise<string[]> {
	const userId = ndv.locator(`${byTestId('parameter-input-userId')} input`).first();
	await userId.click();
	await userId.fill(MERGE_MEMBER);
	await page.keyboard.press('Tab');
	// n8n 2.41 draws the list inside the field's own container
	const field = ndv.locator(byTestId('resource-locator-fromCardNo')).first();
	const items = page.locator(byTestId('rlc-item')).filter({ visible: true });
	await field.locator(byTestId('rlc-input')).first().click();
	const error = page.locator(byTestId('rlc-error-message')).filter({ visible: true });
	try {
		await Promise.race([
			items.first().waitFor({ timeout: 30000 }),
			error.first().waitFor({ timeout: 30000 }),
		]);
	} catch (err) {
		await shoot('editor-card-list-failure.png');
		throw new Error(
			`no list: the field shows ${JSON.stringify(await field.innerText())}: ${String(err)}`,
		);
	}
	assert.equal(await error.count(), 0, `the list failed: ${await error.allTextContents()}`);
	await page.waitForTimeout(300);
	const entries = (await items.allTextContents()).map((text) => text.trim());
	await shoot('editor-card-list.png');
	assert.equal(entries.length, ACTIVE_CARDS.length, JSON.stringify(entries));
	ACTIVE_CARDS.forEach((cardNo, index) => {
		assert.ok(
			entries[index].startsWith(`${maskCardNo(cardNo)} · ACTIVE · `),
			`entry ${index}: ${entries[index]}`,
		);
		assert.match(entries[index], / KRW/);
	});
	for (const entry of entries) assert.doesNotMatch(entry, /\d{10,}/, 'a full card number');
	await page.keyboard.press('Escape');
	return entries;
}
