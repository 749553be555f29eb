import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  pluginAdminApi,
  describeWithBrowser,
  launchBrowser,
  logInThroughScreen,
  screenshot,
  startStrapiProcess,
  type StrapiProcess,
} from '../helpers/browser';
import { ADMIN } from '../helpers/strapi';

const DATABASE = `.tmp/e2e-${process.pid}.db`;
const TOKEN_PATTERN = /^rht_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$/;
const TOKEN_NAME = 'E2E sales dashboard';

describeWithBrowser()('API token screens (browser)', () => {
  let strapi: StrapiProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const visitedUrls: string[] = [];

  const shot = (name: string) => screenshot(page, name);

  const salesSummary = (token: string) =>
    fetch(`${strapi!.url}/api/sales/summary`, { headers: { Authorization: `Bearer ${token}` } });

  const tokenRow = (name = TOKEN_NAME) => page.getByRole('row').filter({ hasText: name });

  const adminApi = pluginAdminApi(() => strapi!.url, ADMIN);

  /** Creates a token through the admin API and returns it with its secret. */
  const createTokenWithApi = async (name: string, scopes: string[]) => {
    const res = await adminApi('/tokens', { method: 'POST', body: { name, scopes, expiresInDays: 90 } });
    expect(res.status).toBe(201);
    return (await res.json()).data as { documentId: string; accessKey: string };
  };

  const createTokenByApi = async (name: string, scopes: string[]) => (await createTokenWithApi(name, scopes)).accessKey;

  const tokenNames = async (): Promise<string[]> =>
    (await (await adminApi('/tokens')).json()).data.map((token: { name: string }) => token.name);

  /** Types a date into a date picker as a user would, and confirms it with Enter. */
  const typeDate = async (scope: Page | Locator, text: string) => {
    const input = scope.getByRole('combobox', { name: /Expiry date/ });
    await input.click();
    await input.pressSequentially(text);
    await input.press('Enter');
  };

  beforeAll(async () => {
    strapi = await startStrapiProcess({ databaseFilename: DATABASE });

    const res = await fetch(`${strapi.url}/admin/register-admin`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    if (res.status !== 200) throw new Error(`register-admin failed: ${res.status} ${await res.text()}`);

    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: strapi.url, viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: strapi.url });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visitedUrls.push(frame.url());
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await strapi?.stop();
  }, 60_000);

  it('creates a token, reveals it once, and revokes it', async () => {
    await logInThroughScreen(page, ADMIN, () => shot('01-login'));

    // Open the plugin from the main menu.
    const menuLink = page.getByRole('link', { name: 'Reporting hub' });
    if (await menuLink.count()) await menuLink.first().click();
    else await page.goto('/admin/plugins/api-tokens');
    await page.waitForURL('**/admin/plugins/api-tokens');
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByText('No API tokens yet').waitFor();
    await shot('02-list-empty');

    // Create a token.
    await page.getByRole('link', { name: 'Create token' }).first().click();
    await page.waitForURL('**/admin/plugins/api-tokens/new');
    await page.getByRole('textbox', { name: /^Name/ }).fill(TOKEN_NAME);
    await page.getByRole('textbox', { name: /^Description/ }).fill('Read-only token for the e2e test');
    await page.getByRole('radio', { name: '30 days' }).click();
    await page.getByRole('checkbox', { name: 'Read sales' }).click();
    await page.getByRole('checkbox', { name: 'Execute a subscription job' }).click();
    await shot('03-create-form');
    await page.getByRole('button', { name: 'Create token' }).click();

    // The reveal modal: read the token from the clipboard after Copy.
    const modal = page.getByRole('dialog').filter({ hasText: 'Copy your new token' });
    await modal.waitFor();
    const shown = (await modal.getByTestId('revealed-token').textContent())?.trim() ?? '';
    await modal.getByRole('button', { name: 'Copy', exact: true }).click();
    await modal.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    const token = await page.evaluate(() => navigator.clipboard.readText());
    expect(token).toMatch(TOKEN_PATTERN);
    expect(shown).toBe(token);
    expect(page.url()).not.toContain(token);
    await shot('04-reveal-modal');
    await modal.getByRole('button', { name: 'I have copied it' }).click();
    await modal.waitFor({ state: 'detached' });

    // Back on the list: the row shows the hint, never the secret.
    await page.waitForURL('**/admin/plugins/api-tokens');
    const row = tokenRow();
    await row.waitFor();
    await expect(row.getByTestId('token-hint').textContent()).resolves.toBe(`rht_…${token.slice(-4)}`);
    await row.getByText('Active', { exact: true }).waitFor();
    await row.getByText('Read sales').waitFor();
    await row.getByText('Never', { exact: true }).waitFor();
    expect(await page.content()).not.toContain(token);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toContain(token);
    await shot('05-list');

    // The token works against the app's scoped route.
    expect((await salesSummary(token)).status).toBe(200);

    // A second token with the same name: the server's 400 shows under the Name field, and nothing is created.
    await page.getByRole('link', { name: 'Create token' }).first().click();
    await page.waitForURL('**/admin/plugins/api-tokens/new');
    const nameInput = page.getByRole('textbox', { name: /^Name/ });
    await nameInput.fill(TOKEN_NAME.toUpperCase());
    await page.getByRole('checkbox', { name: 'Read sales' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText(`An API token named "${TOKEN_NAME.toUpperCase()}" already exists`).waitFor();
    await page.getByText('Check the highlighted fields').first().waitFor();
    await expect(nameInput.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.goBack();
    await page.waitForURL('**/admin/plugins/api-tokens');
    await tokenRow().waitFor();
    await expect(tokenRow().count()).resolves.toBe(1);

    // Revoke it through the confirm dialog.
    await row.getByRole('button', { name: `Revoke ${TOKEN_NAME}` }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(`Revoke “${TOKEN_NAME}”?`).waitFor();
    await shot('06-revoke-dialog');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText('Revoked', { exact: true }).waitFor();
    await expect(row.getByRole('button', { name: `Revoke ${TOKEN_NAME}` }).count()).resolves.toBe(0);
    await expect(row.getByRole('button', { name: `Regenerate ${TOKEN_NAME}` }).count()).resolves.toBe(0);
    await shot('07-list-revoked');

    expect((await salesSummary(token)).status).toBe(401);
    expect(await page.content()).not.toContain(token);
    expect(visitedUrls.length).toBeGreaterThan(0);
    for (const url of [...visitedUrls, page.url()]) expect(url).not.toContain(token);
  });

  it('regenerates a token with a new expiry and reveals the new secret once', async () => {
    const name = 'E2E nightly export';
    const original = await createTokenByApi(name, ['sales:read']);
    await page.goto('/admin/plugins/api-tokens');
    const row = tokenRow(name);
    await row.waitFor();

    await row.getByRole('button', { name: `Regenerate ${name}` }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(`Regenerate “${name}”?`).waitFor();
    await dialog.getByRole('radio', { name: '60 days' }).click();
    await shot('08-regenerate-dialog');
    await dialog.getByRole('button', { name: 'Regenerate' }).click();

    const modal = page.getByRole('dialog').filter({ hasText: 'Copy your new token' });
    await modal.waitFor();
    const regenerated = (await modal.getByTestId('revealed-token').textContent())?.trim() ?? '';
    expect(regenerated).toMatch(TOKEN_PATTERN);
    expect(regenerated).not.toBe(original);
    await modal.getByRole('button', { name: 'I have copied it' }).click();
    await modal.waitFor({ state: 'detached' });

    await expect(row.getByTestId('token-hint').textContent()).resolves.toBe(`rht_…${regenerated.slice(-4)}`);
    expect(await page.content()).not.toContain(regenerated);
    expect(page.url()).not.toContain(regenerated);
    expect((await salesSummary(original)).status).toBe(401);
    expect((await salesSummary(regenerated)).status).toBe(200);
  });

  it('refuses a past custom expiry date, creates nothing, and drops the warning after a successful create', async () => {
    const name = 'E2E past expiry';
    await page.goto('/admin/plugins/api-tokens/new');
    await page.getByRole('textbox', { name: /^Name/ }).fill(name);
    await page.getByRole('checkbox', { name: 'Read sales' }).click();
    // Each scope says what it allows.
    await page.getByText('Trigger subscription runs and poll or cancel them', { exact: true }).waitFor();
    await page.getByText('Issue signed embed tokens for cards and dashboards', { exact: true }).waitFor();

    await page.getByRole('radio', { name: 'Custom date' }).click();
    await typeDate(page, '01/01/2020');
    const dateInput = page.getByRole('combobox', { name: /Expiry date/ });
    // The typed date stays as typed (the picker used to clamp it to tomorrow) and is refused under the field.
    await expect(dateInput.inputValue()).resolves.toBe('01/01/2020');
    await page.getByText('Choose a date after today').waitFor();

    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Check the highlighted fields').waitFor();
    await page.getByText('Choose a date after today').waitFor();
    // Under the field: the input is described by the error.
    const describedBy = await dateInput.getAttribute('aria-describedby');
    await expect(page.locator(`[id="${describedBy}"]`).textContent()).resolves.toBe('Choose a date after today');
    await shot('09-create-past-date');

    const nextYearAndMore = new Date();
    nextYearAndMore.setFullYear(nextYearAndMore.getFullYear() + 2);
    await dateInput.fill('');
    await typeDate(page, `01/01/${nextYearAndMore.getFullYear()}`);
    await page.getByText(/^Choose a date at most one year from today/).waitFor();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Check the highlighted fields').waitFor();
    // Any request would have landed by now.
    await page.waitForTimeout(500);
    await expect(page.getByRole('dialog').filter({ hasText: 'Copy your new token' }).count()).resolves.toBe(0);
    expect(await tokenNames()).not.toContain(name);

    // A valid choice: the token is created, and the warning of the failed submits is gone beside the reveal dialog.
    await page.getByRole('radio', { name: '30 days' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    const modal = page.getByRole('dialog').filter({ hasText: 'Copy your new token' });
    await modal.waitFor();
    await expect(page.getByText('Check the highlighted fields').count()).resolves.toBe(0);
    await modal.getByRole('button', { name: 'I have copied it' }).click();
    await page.waitForURL('**/admin/plugins/api-tokens');
    expect((await tokenNames()).filter((tokenName) => tokenName === name)).toHaveLength(1);
  });

  it('edits a token on its page and shows its last use and audit trail', async () => {
    const name = 'E2E page token';
    const token = await createTokenWithApi(name, ['sales:read']);
    expect((await salesSummary(token.accessKey)).status).toBe(200);
    // lastUsedAt is written off the request path.
    for (let i = 0; i < 40; i += 1) {
      const { data } = await (await adminApi(`/tokens/${token.documentId}`)).json();
      if (data.lastUsedAt) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    await page.goto('/admin/plugins/api-tokens');
    await tokenRow(name).getByText(name, { exact: true }).click();
    await page.waitForURL(`**/admin/plugins/api-tokens/tokens/${token.documentId}`);
    await page.getByRole('heading', { name }).waitFor();
    await expect(page.getByTestId('token-last-used-ip').textContent()).resolves.toMatch(/127\.0\.0\.1/);
    await expect(page.getByTestId('token-last-used').textContent()).resolves.not.toBe('Never');
    await page.locator('[data-scope="sales:read"]').getByText('Read sales').waitFor();

    // A taken name: the server's 400 under the field.
    const nameInput = page.getByRole('textbox', { name: /^Name/ });
    await nameInput.fill(TOKEN_NAME);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`An API token named "${TOKEN_NAME}" already exists`).waitFor();
    await expect(nameInput.getAttribute('aria-invalid')).resolves.toBe('true');

    await nameInput.fill('E2E page token renamed');
    await page.getByRole('textbox', { name: /^Description/ }).fill('Edited on its page');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'E2E page token renamed' }).waitFor();
    const { data: saved } = await (await adminApi(`/tokens/${token.documentId}`)).json();
    expect(saved).toMatchObject({ name: 'E2E page token renamed', description: 'Edited on its page' });

    // The token's own audit trail, newest first, with the admin's name.
    const trail = page.locator('tr[data-audit-event]');
    await page.locator('tr[data-audit-event="token.updated"]').waitFor();
    expect(await trail.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-audit-event')))).toEqual([
      'token.updated',
      'token.created',
    ]);
    await page.locator('tr[data-audit-event="token.updated"]').getByText('Test Admin').waitFor();
    await page.locator('tr[data-audit-event="token.created"]').scrollIntoViewIfNeeded();
    await shot('10-token-page-trail');

    // The regenerate dialog refuses a past date too, and regenerates nothing.
    await page.getByRole('button', { name: 'Regenerate', exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('radio', { name: 'Custom date' }).click();
    await typeDate(dialog, '01/01/2020');
    await dialog.getByText('Choose a date after today').waitFor();
    await dialog.getByRole('button', { name: 'Regenerate' }).click();
    await dialog.getByText('Choose a date after today').waitFor();
    await shot('11-regenerate-past-date');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await salesSummary(token.accessKey)).status).toBe(200);
  });

  it('lists audit events and filters them by action', async () => {
    await page.goto('/admin/plugins/api-tokens');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL('**/admin/plugins/api-tokens/audit');
    const actions = () =>
      page
        .locator('tr[data-audit-event]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-audit-event')));
    await page.locator('tr[data-audit-event="token.revoked"]').first().waitFor();
    expect(await actions()).toEqual(
      expect.arrayContaining(['token.created', 'token.updated', 'token.regenerated', 'token.revoked'])
    );

    await page.getByRole('textbox', { name: 'Action' }).fill('token.revoked');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('action') === 'token.revoked');
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('tr[data-audit-event]')).every(
        (row) => row.getAttribute('data-audit-event') === 'token.revoked'
      )
    );
    const revoked = page.locator('tr[data-audit-event="token.revoked"]');
    await expect(revoked.count()).resolves.toBe(1);
    await revoked.getByRole('link', { name: TOKEN_NAME }).waitFor();
    await shot('12-audit-log');

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL('**/admin/plugins/api-tokens/audit');
    await page.locator('tr[data-audit-event="token.created"]').first().waitFor();
  });

  it('restricts a new token to one picked semantic model and an IP range, and lists them on its page', async () => {
    const createModel = async (name: string) => {
      const res = await adminApi('/semantic-models', {
        method: 'POST',
        body: {
          name,
          source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region'] },
          refresh: { mode: 'manual' },
        },
      });
      expect(res.status).toBe(201);
      return (await res.json()).data as { documentId: string };
    };
    const picked = await createModel('E2E picked model');
    const other = await createModel('E2E other model');
    const name = 'E2E restricted token';

    await page.goto('/admin/plugins/api-tokens/new');
    await page.getByRole('textbox', { name: /^Name/ }).fill(name);
    await page.getByRole('checkbox', { name: 'Refresh a semantic model' }).click();
    const models = page.getByRole('combobox', { name: 'Semantic models' });
    await models.click();
    await models.pressSequentially('picked');
    // Searching narrows the list to the matching model.
    await expect(page.getByRole('option', { name: 'E2E other model' }).count()).resolves.toBe(0);
    await page.getByRole('option', { name: 'E2E picked model' }).click();
    await page.getByTestId('resources-models').getByText('E2E picked model').waitFor();
    await page.getByRole('textbox', { name: /^Allowed IP ranges/ }).fill('127.0.0.0/8\n::1/128');
    await shot('13-create-restricted');
    await page.getByRole('button', { name: 'Create token' }).click();

    const modal = page.getByRole('dialog').filter({ hasText: 'Copy your new token' });
    await modal.waitFor();
    const secret = (await modal.getByTestId('revealed-token').textContent())?.trim() ?? '';
    await modal.getByRole('button', { name: 'I have copied it' }).click();
    await page.waitForURL('**/admin/plugins/api-tokens');

    const { data: tokens } = await (await adminApi('/tokens')).json();
    const saved = tokens.find((token: { name: string }) => token.name === name);
    expect(saved).toMatchObject({ resources: { models: [picked.documentId] }, allowedIps: ['127.0.0.0/8', '::1/128'] });

    const refresh = (documentId: string) =>
      fetch(`${strapi!.url}/api/api-tokens/semantic-models/${documentId}/refreshes`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}` },
      });
    expect((await refresh(picked.documentId)).status).toBe(202);
    const refused = await refresh(other.documentId);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toContain(other.documentId);

    await tokenRow(name).getByText(name, { exact: true }).click();
    await page.waitForURL(`**/admin/plugins/api-tokens/tokens/${saved.documentId}`);
    const restrictions = page.getByTestId('token-restrictions');
    await restrictions.locator(`[data-resource="${picked.documentId}"]`).getByText('E2E picked model').waitFor();
    await restrictions.getByTestId('token-allowed-ips').getByText('127.0.0.0/8').waitFor();
    await shot('14-token-page-restrictions');
  });
});
