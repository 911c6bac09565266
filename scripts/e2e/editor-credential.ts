// The credential's Test in the editor, for npm run test:editor (editor-smoke.ts).
/**
 * The editor decides whether a credential can be tested from its declarative `test` or, without
 * one, from a node that names it with `testedBy` (n8n-editor-ui's credentials store); this package
 * has only the second. Opened from the credentials page, the saved credential "Konaplate
 * emulator" is tested by the editor, which then shows n8n's success banner: proof that the editor
 * still finds the Test once the credential has no `test` of its own.
 */
import type { Page } from 'playwright-core';

/** n8n's banner text once a credential's test passed (credentialEdit.credentialConfig.connectionTestedSuccessfully). */
export const TESTED = 'Connection tested successfully';

export async function credentialTestInEditor(
	page: Page,
	baseUrl: string,
	credentialId: string,
	shoot: (name: string) => Promise<void>,
): Promise<string> {
	await page.goto(`${baseUrl}/home/credentials/${credentialId}`, {
		waitUntil: 'domcontentloaded',
	});
	const banner = page.getByText(TESTED).filter({ visible: true });
	const retry = page.getByRole('button', { name: /^(Retry|Test)$/ }).filter({ visible: true });
	try {
		await banner.first().waitFor({ timeout: 45000 });
	} catch (err) {
		await shoot('editor-credential-failure.png');
		throw new Error(
			`no "${TESTED}" banner in the credential's modal (${await retry.count()} Retry/Test button(s) shown): ${String(err)}`,
		);
	}
	await page.waitForTimeout(300);
	await shoot('editor-credential-tested.png');
	return (await banner.first().innerText()).trim();
}
