// npm run test:editor: the n8n editor of a dev instance (as npm run dev), in a real browser.
// The functions handed to page.evaluate() run in the browser.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * npm run test:editor: the n8n editor of a dev instance (as `npm run dev`), in a real browser.
 * Debian's Chromium (apt-get install -y chromium; KONAPLATE_E2E_CHROMIUM overrides the path)
 * driven by playwright-core from the cache (install-n8n.sh; no browser download).
 * Opens a new workflow, the nodes panel, searches "Konaplate", checks every action, adds
 * "Transfer KRW between two ACTIVE cards of a member" and checks its fields and From Card's list of
 * a member's cards (editor-card-list.ts); checks the node and credential icons are
 * served as SVG and none is broken. Screenshots go to test-artifacts/. Exit 1 on any failure.
 *
 * Headless Chromium facts (n8n 2.41.1, 2 cores): first page ~5 s, a canvas 7-10 s after goto;
 * the owner exists from env, so log in with a POST on the browser context's cookie jar.
 */
import * as path from 'node:path';
import type { Browser } from 'playwright-core';

import { assert, Checks, FatalCheck } from './checks';
import { cardListInEditor } from './editor-card-list';
import { credentialTestInEditor, TESTED } from './editor-credential';
import { defaultsInEditor } from './editor-defaults';
import {
	assertChromium,
	byTestId,
	CHROMIUM,
	fullyInView,
	launchChromium,
	openEditorPage,
	packageImagesOk,
	screenshot,
	shootFailure,
} from './editor-browser';
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

const ACTIONS = [
	'Delete a bank account',
	'Transfer KRW between two ACTIVE cards of a member',
	'Get a bank account',
	'Get a card with its balance and status',
	'Get many cards of a member',
	"Get many transactions of a member's card",
	'Get the ledger state of a transfer reference',
	'Resolve a transfer reference whose outcome is unknown',
	'Suspend a card of a member',
	'Resume a suspended card of a member',
];
const TRANSFER_FIELDS = [
	'User ID',
	'Card Number to Transfer From',
	'Card Number to Transfer To',
	'Transfer Entire Balance',
	'Amount (KRW)',
];

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
		await checks.must(`Chromium at ${CHROMIUM}`, assertChromium);
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

		browser = await checks.must('headless Chromium launched by playwright-core', () =>
			launchChromium(info.PLAYWRIGHT_CORE as string),
		);
		extra.push(`Chromium ${browser.version()}`);
		const { context, page, blocked, iconResponses, shoot } = await openEditorPage(
			browser,
			screenshots,
		);

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
			},
		);

		await checks.check(
			"From Card's list: with User ID set, the member's ACTIVE cards, masked, with status and balance",
			async () => {
				const entries = await cardListInEditor(page, page.locator(byTestId('ndv')), shoot);
				extra.push(`card list: ${entries.join(' | ')}`);
			},
		);

		await checks.check(
			"defaults: Amount 1, the empty-Reference notice, Bank Account → Get, Card → Get Many with Simplify on; Suspend and Resume fields; Transaction → Get Many's card list",
			async () => {
				const seen = await defaultsInEditor(page, page.locator(byTestId('ndv')), shoot);
				extra.push(`defaults: ${seen.join(' | ')}`);
			},
		);

		await checks.check('the node on the canvas once its panel is closed', async () => {
			await page.keyboard.press('Escape');
			await page
				.locator(byTestId('canvas-node'), { hasText: ACTIONS[1] })
				.first()
				.waitFor({ timeout: 10000 });
			await page.waitForTimeout(300);
			await shoot('editor-canvas.png');
		});

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

		await checks.check(
			`the credential "${credentialName}" opened from the credentials page: the editor runs its Test (the node's testedBy) and shows "${TESTED}"`,
			async () => {
				// a page of its own: the workflow page keeps its unsaved canvas
				const credentialPage = await context.newPage();
				try {
					const shown = await credentialTestInEditor(
						credentialPage,
						srv.baseUrl,
						instance!.credential.id,
						async (name) => await screenshot(credentialPage, name, screenshots),
					);
					extra.push(`credential Test in the editor: ${shown}`);
				} finally {
					await credentialPage.close();
				}
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
		if (browser) await shootFailure(browser, screenshots);
	} finally {
		await stopAll();
	}
	for (const file of screenshots) extra.push(`screenshot: ${path.relative(process.cwd(), file)}`);
	process.exitCode = checks.summary(extra);
}

void main();
