/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test tool: it drives a browser and writes screenshots */
// The functions handed to page.evaluate() run in the browser.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * npm run test:editor: the n8n editor of a dev instance (as `npm run dev`), in a real browser.
 * Debian's Chromium (apt-get install -y chromium; KONAPLATE_E2E_CHROMIUM overrides the path)
 * driven by playwright-core from the cache (install-n8n.sh; no browser download).
 * Opens a new workflow, the nodes panel, searches "Konaplate", checks every action, adds
 * "Transfer KRW between two ACTIVE cards of a member" and checks its fields; checks the node and credential icons are
 * served as SVG and none is broken. Screenshots go to test-artifacts/. Exit 1 on any failure.
 *
 * Headless Chromium facts (n8n 2.41.1, 2 cores): first page ~5 s, a canvas 7-10 s after goto;
 * the owner exists from env, so log in with a POST on the browser context's cookie jar.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

import { PACKAGE_ROOT } from '../lib/package-root';
import { assert, Checks, FatalCheck } from './checks';
import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	PACKAGE_NAME,
	startDevInstance,
	stopOnInterrupt,
} from './instance';
import type { DevInstance } from './instance';
import { OWNER } from './n8n/client';
import { ensureN8n } from './n8n/install';

/** What /types/nodes.json and /types/credentials.json say of a type's icons. */
interface TypeIcons {
	name: string;
	iconUrl: { light: string; dark: string };
}

const CHROMIUM = process.env.KONAPLATE_E2E_CHROMIUM || '/usr/bin/chromium';
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
const ACTIONS = [
	'Delete a bank account',
	'Transfer KRW between two ACTIVE cards of a member',
	'Get a bank account',
	'Get a card with its balance and status',
	'Get many cards of a member',
];
const TRANSFER_FIELDS = [
	'User ID',
	'Card Number to Transfer From',
	'Card Number to Transfer To',
	'Transfer Entire Balance',
	'Amount (KRW)',
];
const byTestId = (id: string) => `[data-test-id="${id}"]`;

/** Every <img> of this package's icons on the page, each loaded and decoded (not broken). */
async function packageImagesOk(
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
async function fullyInView(page: Page, locator: Locator): Promise<void> {
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

async function main() {
	const checks = new Checks('npm run test:editor');
	const extra: string[] = [];
	const screenshots: string[] = [];
	let instance: DevInstance | undefined;
	let browser: Browser | undefined;
	const stopAll = async () => {
		if (browser) await browser.close().catch(() => undefined);
		browser = undefined;
		if (instance) await instance.stop();
		instance = undefined;
	};
	stopOnInterrupt(stopAll);
	try {
		const info = await checks.must('n8n + playwright-core installed (cache)', () => {
			const installed = ensureN8n({ quiet: false });
			assert.ok(installed.PLAYWRIGHT_CORE, 'install-n8n.sh printed no PLAYWRIGHT_CORE');
			return installed;
		});
		await checks.must(`Chromium at ${CHROMIUM}`, () => {
			assert.ok(
				existsSync(CHROMIUM),
				`${CHROMIUM} is missing: sudo apt-get update && sudo apt-get install -y chromium`,
			);
		});
		instance = await checks.must(
			'dev instance: package (loads), emulator, credential, examples, n8n start',
			() => startDevInstance(),
		);
		const { srv } = instance;
		const credentialName = instance.credential.name;
		extra.push(
			`n8n ${info.N8N_VERSION} at ${srv.baseUrl}; prepare + boot: ${Object.entries(instance.timings)
				.map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
				.join(', ')}`,
		);

		// playwright-core from the cache (install-n8n.sh), the one its Chromium flags were checked with
		const { chromium } = createRequire(__filename)(
			info.PLAYWRIGHT_CORE as string,
		) as typeof import('playwright-core');
		browser = await checks.must('headless Chromium launched by playwright-core', () =>
			chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
		);
		extra.push(`Chromium ${browser.version()}`);
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
		const iconResponses: Array<{ url: string; status: number }> = [];
		page.on('response', (r) => {
			if (new URL(r.url()).pathname.startsWith('/icons/'))
				iconResponses.push({ url: r.url(), status: r.status() });
		});
		const shoot = async (name: string) => {
			mkdirSync(ARTIFACTS, { recursive: true });
			const file = path.join(ARTIFACTS, name);
			await page.screenshot({ path: file });
			screenshots.push(file);
		};

		await checks.must('log in and open a new workflow (empty canvas)', async () => {
			const login = await context.request.post(`${srv.baseUrl}/rest/login`, {
				data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
			});
			assert.ok(login.ok(), `login: HTTP ${login.status()}`);
			await page.goto(`${srv.baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
			await page.waitForSelector(byTestId('canvas-add-button'), { timeout: 90000 });
		});

		await checks.must('nodes panel: search "Konaplate" lists the node with its icon', async () => {
			await page.locator(byTestId('node-creator-plus-button')).click();
			await page.locator(byTestId('node-creator-search-bar')).waitFor({ timeout: 20000 });
			await page.keyboard.type('Konaplate');
			const item = page.locator(byTestId('node-creator-item-name'), { hasText: /^Konaplate$/ });
			await item.first().waitFor({ timeout: 20000 });
			await page.waitForFunction(
				(pkg) =>
					[...document.querySelectorAll<HTMLImageElement>(`img[src*="/icons/${pkg}/"]`)].some(
						(img) => img.complete && img.naturalWidth > 0,
					),
				PACKAGE_NAME,
				{ timeout: 20000 },
			);
			await packageImagesOk(page);
		});

		await checks.check(`node panel lists every action: ${ACTIONS.join(', ')}`, async () => {
			await page
				.locator(byTestId('node-creator-item-name'), { hasText: /^Konaplate$/ })
				.first()
				.click();
			await page
				.locator(byTestId('node-creator-item-name'), { hasText: ACTIONS[1] })
				.first()
				.waitFor({ timeout: 20000 });
			const names = await page.$$eval(byTestId('node-creator-item-name'), (els) =>
				els.map((e) => (e.textContent ?? '').trim()),
			);
			for (const action of ACTIONS)
				assert.ok(names.includes(action), `"${action}" not in ${JSON.stringify(names)}`);
			await packageImagesOk(page);
			await fullyInView(
				page,
				page.locator(byTestId('node-creator-item-name'), { hasText: ACTIONS[1] }).first(),
			);
			await shoot('editor-nodes-panel-konaplate.png');
		});

		await checks.check(
			`"${ACTIONS[1]}" added: its fields and the credential "Konaplate emulator" shown`,
			async () => {
				await page
					.locator(byTestId('node-creator-item-name'), { hasText: ACTIONS[1] })
					.first()
					.click();
				const ndv = page.locator(byTestId('ndv'));
				await ndv.waitFor({ timeout: 30000 });
				for (const field of TRANSFER_FIELDS) {
					await ndv.getByText(field, { exact: true }).first().waitFor({ timeout: 10000 });
				}
				const credentialShown = await ndv
					.locator('input')
					.evaluateAll(
						(inputs, name) => (inputs as HTMLInputElement[]).some((input) => input.value === name),
						credentialName,
					);
				assert.ok(credentialShown, `credential "${credentialName}" not selected in the node`);
				await packageImagesOk(page);
				await page.waitForTimeout(300);
				await shoot('editor-konaplate-node.png');
				await page.keyboard.press('Escape');
				await page
					.locator(byTestId('canvas-node'), { hasText: ACTIONS[1] })
					.first()
					.waitFor({ timeout: 10000 });
				await page.waitForTimeout(300);
				await shoot('editor-canvas.png');
			},
		);

		await checks.check(
			'node and credential icons (light + dark): HTTP 200, SVG, non-empty, decoded by the browser',
			async () => {
				const types = async (p: string): Promise<TypeIcons[]> => {
					const res = await context.request.get(`${srv.baseUrl}${p}`);
					assert.equal(res.status(), 200, p);
					return (await res.json()) as TypeIcons[];
				};
				const node = (await types('/types/nodes.json')).find((t) => t.name === NODE_TYPE);
				const credential = (await types('/types/credentials.json')).find(
					(t) => t.name === CREDENTIAL_TYPE,
				);
				assert.ok(node && credential, 'type missing from /types/*.json');
				const urls = [
					node.iconUrl.light,
					node.iconUrl.dark,
					credential.iconUrl.light,
					credential.iconUrl.dark,
				].map((u) => `${srv.baseUrl}/${u}`);
				for (const url of urls) {
					const res = await context.request.get(url);
					const body = await res.body();
					assert.equal(res.status(), 200, url);
					assert.match(res.headers()['content-type'] || '', /^image\/svg\+xml/, url);
					assert.ok(
						body.length > 100 && /<svg[\s>]/.test(body.toString('utf8')),
						`${url}: not an SVG (${body.length} bytes)`,
					);
					const width = await page.evaluate(
						(src) =>
							new Promise<number>((resolve) => {
								const img = new Image();
								img.onload = () => resolve(img.naturalWidth);
								img.onerror = () => resolve(0);
								img.src = src;
							}),
						url,
					);
					assert.ok(width > 0, `${url}: the browser cannot draw it`);
				}
				extra.push(`icons: ${urls.map((u) => new URL(u).pathname).join(', ')}`);
			},
		);

		await checks.check('every icon the editor asked for was served (HTTP 200)', () => {
			const bad = iconResponses.filter((r) => r.status !== 200);
			assert.deepEqual(bad, [], 'icon requests that failed');
			assert.ok(
				iconResponses.some((r) => r.url.includes(`/icons/${PACKAGE_NAME}/`)),
				'the editor never asked for a Konaplate icon',
			);
		});
		if (blocked.size > 0)
			extra.push(`blocked requests off 127.0.0.1 (not needed): ${[...blocked].join(', ')}`);
	} catch (err) {
		if (!(err instanceof FatalCheck)) checks.record('unexpected error', false, 0, err);
		if (browser && !screenshots.some((f) => f.endsWith('failure.png'))) {
			const [page] = browser.contexts().flatMap((c) => c.pages());
			if (page) {
				mkdirSync(ARTIFACTS, { recursive: true });
				const file = path.join(ARTIFACTS, 'editor-failure.png');
				await page.screenshot({ path: file }).catch(() => undefined);
				screenshots.push(file);
			}
		}
	} finally {
		await stopAll();
	}
	for (const file of screenshots) extra.push(`screenshot: ${path.relative(process.cwd(), file)}`);
	process.exitCode = checks.summary(extra);
}

void main();
