// The browser of npm run test:editor: Debian's Chromium driven by playwright-core.
// The functions handed to page.$$eval() run in the browser.
/// <reference lib="dom" />
/**
 * The browser of `npm run test:editor` (editor-smoke.ts): Debian's Chromium driven by the
 * playwright-core of the n8n cache, one page kept off the network, its screenshots, and what the
 * checks read on a page (this package's icons, an element by its test id, a panel at rest).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import { PACKAGE_ROOT } from '../lib/package-root';
import { assert } from './checks';
import { PACKAGE_NAME } from './instance';

export const CHROMIUM = process.env.KONAPLATE_E2E_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const ARTIFACTS = path.join(PACKAGE_ROOT, 'test-artifacts');

export const byTestId = (id: string) => `[data-test-id="${id}"]`;

export function assertChromium(): void {
	assert.ok(
		existsSync(CHROMIUM),
		`${CHROMIUM} is missing: sudo apt-get update && sudo apt-get install -y chromium`,
	);
}

/** Headless Chromium by the playwright-core at this path, the one its flags were checked with. */
export async function launchChromium(playwrightCore: string): Promise<Browser> {
	const { chromium } = createRequire(__filename)(
		playwrightCore,
	) as typeof import('playwright-core');
	return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** The editor's page, with what it asked of the network and the screenshots taken of it. */
export interface EditorPage {
	context: BrowserContext;
	page: Page;
	/** requests off 127.0.0.1, answered with an error */
	blocked: Set<string>;
	iconResponses: Array<{ url: string; status: number }>;
	/** a screenshot into test-artifacts/, its path added to `screenshots` */
	shoot: (name: string) => Promise<void>;
}

export async function openEditorPage(browser: Browser, screenshots: string[]): Promise<EditorPage> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const page = await context.newPage();
	// Hermetic: the editor may ask the npm registry about a community package (the nodes
	// panel's "Node details"); such requests are answered with an error and listed.
	const blocked = new Set<string>();
	await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => {
		const u = new URL(route.request().url());
		blocked.add(`${u.origin}${u.pathname}`);
		return route.abort('blockedbyclient');
	});
	const iconResponses: EditorPage['iconResponses'] = [];
	page.on('response', (r) => {
		if (new URL(r.url()).pathname.startsWith('/icons/'))
			iconResponses.push({ url: r.url(), status: r.status() });
	});
	const shoot = async (name: string) => screenshot(page, name, screenshots);
	return { context, page, blocked, iconResponses, shoot };
}

export async function screenshot(page: Page, name: string, screenshots: string[]): Promise<void> {
	mkdirSync(ARTIFACTS, { recursive: true });
	const file = path.join(ARTIFACTS, name);
	await page.screenshot({ path: file });
	screenshots.push(file);
}

/** After a failure: the page as it was, unless a failure screenshot was already taken. */
export async function shootFailure(browser: Browser, screenshots: string[]): Promise<void> {
	if (screenshots.some((f) => f.endsWith('failure.png'))) return;
	const [page] = browser.contexts().flatMap((c) => c.pages());
	if (page) await screenshot(page, 'editor-failure.png', screenshots).catch(() => undefined);
}

/** Every <img> of this package's icons on the page, each loaded and decoded (not broken). */
export async function packageImagesOk(
	page: Page,
): Promise<Array<{ src: string | null; complete: boolean; width: number }>> {
	const images = await page.$$eval(`img[src*="/icons/${PACKAGE_NAME}/"]`, (els) =>
		(els as HTMLImageElement[]).map((img) => ({
			src: img.getAttribute('src'),
			complete: img.complete,
			width: img.naturalWidth,
		})),
	);
	assert.ok(images.length > 0, 'no Konaplate icon <img> on the page');
	for (const img of images) assert.ok(img.complete && img.width > 0, `broken icon: ${img.src}`);
	return images;
}

/** Waits until the panel sliding in has stopped with the element inside the window. */
export async function fullyInView(page: Page, locator: Locator): Promise<void> {
	const { width } = page.viewportSize() ?? { width: 0 };
	for (let i = 0; i < 50; i++) {
		const box = await locator.boundingBox();
		if (box && box.x + box.width <= width) {
			await page.waitForTimeout(200);
			return;
		}
		await page.waitForTimeout(100);
	}
	throw new Error('the nodes panel did not come fully into view');
}
