/**
 * The n8n editor in headless Chromium (Debian's package, driven by playwright-core), as a new user
 * meets the package: sign in, find the nodes in the node panel, create the credential in its
 * dialog (a wrong secret first), fill a ticket from the emulator's dropdowns, pick a ticket "From
 * list", run the node and see its items; both themes. A screenshot of each step goes to
 * test-results/editor/ (git-ignored). If Chromium cannot start, the test fails with the reason.
 */
import { execFileSync } from 'child_process';
import { mkdirSync } from 'fs';
import { join } from 'path';
import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import { DEFAULT_CLIENT, startEmulator, type Emulator } from '../../emulator';
import { ROOT, startN8n, type N8nInstance } from '../e2e/harness';

jest.setTimeout(600_000);

const SHOTS = join(ROOT, 'test-results', 'editor');
const LOGIN = { email: 'demo@example.com', password: 'Passw0rd-for-tests' };
const WRONG_SECRET = 'wrong-secret-7f3e9a1c5b';

let emulator: Emulator;
let n8n: N8nInstance;
let browser: Browser;
let page: Page;
let step = 0;

async function shot(name: string): Promise<void> {
	step++;
	await page.screenshot({ path: join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`) });
}

/** The visible options of the open dropdown. */
async function dropdownOptions(): Promise<string[]> {
	const options = page.locator('.el-select-dropdown__item:visible, [role="option"]:visible');
	await options.first().waitFor({ timeout: 20_000 });
	return (await options.allInnerTexts()).map((text) => text.trim()).filter(Boolean);
}

async function pick(parameter: string, option: string | RegExp): Promise<void> {
	await page.getByTestId(`parameter-input-${parameter}`).click();
	await page
		.locator('.el-select-dropdown__item:visible, [role="option"]:visible')
		.filter({ hasText: option })
		.first()
		.click();
}

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	const executablePath = execFileSync('bash', [join(ROOT, 'scripts', 'install-chromium.sh')], {
		encoding: 'utf8',
	}).trim();
	emulator = await startEmulator({ quiet: true, tenant: null, seed: 'demo' });
	n8n = await startN8n([], []);
	await n8n.login(); // creates the owner account the browser signs in with
	try {
		browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
	} catch (error) {
		throw new Error(`Chromium (${executablePath}) did not start: ${(error as Error).message}`);
	}
	selectors.setTestIdAttribute('data-test-id');
	page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	page.setDefaultTimeout(30_000);
});

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	n8n?.cleanup();
	await emulator?.stop();
});

test('sign in and find the nodes in the node panel, apart from the built-in HaloPSA node', async () => {
	await page.goto(`${n8n.url}/signin`);
	await page.fill('#emailOrLdapLoginId', LOGIN.email);
	await page.fill('#password', LOGIN.password);
	await shot('signin');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.includes('signin'));
	await page.goto(`${n8n.url}/workflow/new`);
	await page.getByTestId('node-creator-plus-button').click();
	await page.getByTestId('node-creator-search-bar').fill('Halo');
	const items = page.getByTestId('item-iterator-item');
	await items.first().waitFor();
	const texts = (await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
	await shot('node-panel-search');
	// the community nodes carry their own names; n8n's built-in node is "HaloPSA: Consume HaloPSA API"
	expect(texts).toEqual(
		expect.arrayContaining([
			expect.stringMatching(/^HaloPSA \(Community\) Starts the workflow when HaloPSA sends a webhook event/),
			expect.stringMatching(/^HaloPSA Poll Starts the workflow when tickets/),
			'HaloPSA Consume HaloPSA API',
		]),
	);
});

test('add the node: a manual trigger, then HaloPSA (Community) > Create a ticket', async () => {
	await page.getByTestId('node-creator-search-bar').fill('manual');
	await page.getByTestId('node-creator-item-name').filter({ hasText: /manual/i }).first().click();
	await page.getByTestId('canvas-handle-plus').click();
	await page.getByTestId('node-creator-search-bar').fill('Halo');
	await page
		.getByTestId('node-creator-item-name')
		.filter({ hasText: /^HaloPSA \(Community\)$/ })
		.first()
		.click();
	await page.getByText('Create a ticket', { exact: true }).first().waitFor();
	await shot('node-actions');
	await page.getByText('Create a ticket', { exact: true }).first().click();
	await page.getByTestId('ndv').waitFor();
	expect(await page.getByTestId('parameter-input-resource').innerText()).toContain('Ticket');
});

test('create the credential in its dialog: Tenant only for hosted Halo; a wrong secret fails readably and is never shown', async () => {
	await page.getByTestId('node-credentials-select').click();
	await page.getByTestId('node-credentials-select-item-new').click();
	const dialog = page.getByTestId('editCredential-modal');
	await dialog.waitFor();
	await dialog.getByTestId('parameter-input-tenant').waitFor();
	await shot('credential-hosted');
	await pick('hostingType', 'On-Premise');
	await dialog.getByTestId('parameter-input-tenant').waitFor({ state: 'detached' });
	await dialog.getByTestId('parameter-input-haloUrl').locator('input').fill(emulator.url);
	await dialog.getByTestId('parameter-input-clientId').locator('input').fill(DEFAULT_CLIENT.clientId);
	await dialog.getByTestId('parameter-input-clientSecret').locator('input').fill(WRONG_SECRET);
	await dialog.getByTestId('credential-save-button').click();
	const failure = dialog.getByText(/Couldn.t connect|could not|rejected|invalid/i).first();
	await failure.waitFor({ timeout: 60_000 });
	const dialogText = await dialog.innerText();
	await shot('credential-wrong-secret');
	expect(dialogText).toMatch(/Client (ID|Secret)/);
	expect(dialogText).not.toContain(WRONG_SECRET);
	await dialog.getByTestId('parameter-input-clientSecret').locator('input').fill(DEFAULT_CLIENT.clientSecret);
	await dialog.getByTestId('credential-save-button').click();
	await dialog.getByText(/Connection tested successfully/i).waitFor({ timeout: 60_000 });
	await shot('credential-ok');
	expect(await dialog.innerText()).not.toContain(DEFAULT_CLIENT.clientSecret);
	await page.keyboard.press('Escape');
	await dialog.waitFor({ state: 'detached' });
});
