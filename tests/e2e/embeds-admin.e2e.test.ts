import type { Browser, Frame, Page } from 'playwright-core';
import { DEMO_ADMIN } from '../../src/demo/seed';
import {
  describeWithBrowser,
  dismissBanners,
  pluginAdminApi,
  reportIfDown,
  screenshot,
  startDemoSession,
  type StrapiProcess,
} from '../helpers/browser';

const DATABASE = `.tmp/e2e-embeds-admin-${process.pid}.db`;
const REPORT_NAME = 'E2E embedded sales';

describeWithBrowser()('Embed panel, playground and activity (browser)', () => {
  let strapi: StrapiProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let reportId = '';

  const adminApi = pluginAdminApi(() => strapi!.url, DEMO_ADMIN);
  const json = async (res: Response, status: number) => {
    if (res.status !== status) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  const pick = async (select: ReturnType<Page['getByRole']>, option: string) => {
    await select.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  beforeAll(async () => {
    ({ strapi, browser, page } = await startDemoSession(DATABASE, DEMO_ADMIN));
    const model = await json(
      await adminApi('/semantic-models', {
        method: 'POST',
        body: {
          name: 'E2E embed sales',
          source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'channel', 'amount'] },
          refresh: { mode: 'manual' },
        },
      }),
      201
    );
    const run = await json(
      await adminApi(`/semantic-models/${model.data.documentId}/refresh`, { method: 'POST' }),
      202
    );
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { data } = await json(await adminApi(`/runs/${run.data.id}`), 200);
      if (data.status === 'succeeded') break;
      if (Date.now() > deadline || ['failed', 'cancelled'].includes(data.status)) {
        throw new Error(`the refresh did not succeed: ${data.status} ${data.error}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const report = await json(
      await adminApi('/reports', {
        method: 'POST',
        body: {
          name: REPORT_NAME,
          semanticModel: model.data.documentId,
          query: {
            columns: ['region'],
            groupBy: ['region'],
            aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }],
            sort: [{ field: 'region', dir: 'asc' }],
          },
          chart: { type: 'bar', x: 'region', y: ['total'] },
        },
      }),
      201
    );
    reportId = report.data.documentId;
  }, 300_000);

  afterEach(() => reportIfDown(strapi));

  afterAll(async () => {
    await browser?.close();
    await strapi?.stop();
  }, 60_000);

  it('enables embedding, mints a playground token into the viewer frame, revokes all tokens, lists the activity', async () => {
    await page.goto(`/admin/plugins/api-tokens/reports/${reportId}`);
    await page.getByRole('heading', { name: REPORT_NAME }).waitFor();
    await dismissBanners(page);
    const panel = page.getByTestId('embed-panel');
    await panel.scrollIntoViewIfNeeded();
    await expect(panel.getByTestId('embed-status').textContent()).resolves.toBe('Disabled');

    // Enable embedding from the panel: the embed id is drawn and the viewer URLs appear.
    await panel.getByRole('checkbox', { name: 'Embedding' }).click({ force: true });
    await panel.getByTestId('embed-status').getByText('Enabled').waitFor();
    const embedId = (await panel.getByTestId('embed-panel-id').textContent())!;
    expect(embedId).toMatch(/^[0-9A-Za-z]{8}$/);
    const saved = (await json(await adminApi(`/reports/${reportId}`), 200)).data;
    expect(saved.embed).toMatchObject({ enabled: true, embedId, revokedBefore: null });
    await expect(panel.getByTestId('embed-urls').textContent()).resolves.toContain(`/embed/cards/${embedId}`);
    await expect(panel.getByTestId('embed-origins').textContent()).resolves.toMatch(/only this app/);
    await page.setViewportSize({ width: 1440, height: 2000 });
    await screenshot(page, 'embed-admin-panel');

    // The playground: READ always on, FILTER added, a row filter region = North.
    await panel.getByRole('button', { name: 'Open the playground' }).click();
    const playground = page.getByTestId('embed-playground');
    await expect(playground.getByRole('checkbox', { name: 'READ' }).isDisabled()).resolves.toBe(true);
    await playground.getByRole('checkbox', { name: 'FILTER' }).click();
    await playground.getByRole('button', { name: 'Add a filter' }).click();
    const filter = playground.getByTestId('filter-0');
    await pick(filter.getByRole('combobox', { name: /^Column/ }), 'region');
    await pick(filter.getByRole('combobox', { name: /^Operator/ }), 'equals');
    await pick(filter.getByRole('combobox', { name: /^Value/ }), 'North');
    await playground.getByRole('textbox', { name: /^Session length/ }).fill('600');

    // Minting POSTs the token into the frame in the body of a form, never in a URL.
    const viewerRequest = page.waitForRequest(
      (request) => request.method() === 'POST' && new URL(request.url()).pathname === `/embed/cards/${embedId}`
    );
    const viewerResponse = page.waitForResponse(
      (response) => new URL(response.url()).pathname === `/embed/cards/${embedId}`
    );
    await playground.getByRole('button', { name: 'Mint a test token and open the viewer' }).click();
    const request = await viewerRequest;
    expect(request.url()).toBe(`${strapi!.url}/embed/cards/${embedId}`);
    const token = new URLSearchParams(request.postData() ?? '').get('embedToken');
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(request.frame().name()).toBe(`embed-playground-card-${embedId}`);
    expect((await viewerResponse).status()).toBe(200);

    // The claims shown are the token's; the session is capped at 15 minutes although 600 were asked.
    const claims = JSON.parse((await playground.getByTestId('embed-claims').textContent())!);
    const payload = JSON.parse(Buffer.from(token!.split('.')[1], 'base64url').toString('utf8'));
    expect(claims).toEqual(payload);
    expect(claims.sub).toMatch(/^admin:\d+$/);
    expect(claims.exp - claims.iat).toBe(15 * 60);
    expect(claims.emb).toEqual([
      {
        token: embedId,
        type: 'card',
        permissions: ['READ', 'FILTER'],
        filters: [{ column: 'region', operator: 'EQUALS', values: ['North'] }],
      },
    ]);
    await playground.getByTestId('embed-expiration').waitFor();

    // The viewer in the frame shows only the token's rows.
    const frame: Frame = page.frame({ name: `embed-playground-card-${embedId}` })!;
    await frame.locator('.embed-table tbody tr').first().waitFor();
    const regions = await frame
      .locator('.embed-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent ?? ''));
    expect(regions).toEqual(['North']);
    await page.setViewportSize({ width: 1440, height: 3000 });
    await screenshot(page, 'embed-admin-playground');

    // Revoke every token issued before now: the cutoff shows, and the playground's token is refused.
    await panel.getByRole('button', { name: 'Revoke all tokens issued before now' }).click();
    const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));
    await dialog.getByText(/stops working at once/).waitFor();
    await screenshot(page, 'embed-admin-revoke-dialog');
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await panel.getByTestId('embed-cutoff').locator('time').waitFor();
    const revokedBefore = (await json(await adminApi(`/reports/${reportId}`), 200)).data.embed.revokedBefore;
    expect(Date.parse(revokedBefore)).toBeGreaterThanOrEqual(claims.iat * 1000);
    await expect(panel.getByTestId('embed-cutoff').locator('time').getAttribute('datetime')).resolves.toBe(
      revokedBefore
    );
    const refused = await fetch(`${strapi!.url}/embed/cards/${embedId}/data`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.details.code).toBe('TOKEN_INVALID');
    await screenshot(page, 'embed-admin-revoked');

    // The activity page lists the issue (with its jti) and the revocation, newest first.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page
      .getByRole('navigation', { name: 'Reporting hub' })
      .getByRole('link', { name: 'Embed activity', exact: true })
      .click();
    await page.waitForURL('**/admin/plugins/api-tokens/embed-activity');
    await page.getByRole('heading', { name: 'Embed activity', level: 1 }).waitFor();
    const rows = page.locator('tr[data-audit-event]');
    await rows.first().waitFor();
    const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-audit-event')));
    // The viewer's own uses of the token (sampled) sit between them.
    expect(actions[0]).toBe('embed-token.revoked-before');
    expect(actions.indexOf('embed-token.issued')).toBeGreaterThan(0);
    const issued = page.locator('tr[data-audit-event="embed-token.issued"]').filter({ hasText: claims.jti });
    await expect(issued.count()).resolves.toBe(1);
    await expect(issued.textContent()).resolves.toContain('Demo Admin');
    // Its subject, the report, links to the report's page.
    await expect(issued.getByRole('link', { name: reportId }).getAttribute('href')).resolves.toBe(
      `/admin/plugins/api-tokens/reports/${reportId}`
    );
    await screenshot(page, 'embed-admin-activity');
  }, 180_000);

  it('shows a dashboard’s Embed panel and opens its story in the playground’s frame', async () => {
    const dashboard = (
      await json(
        await adminApi('/dashboards', {
          method: 'POST',
          body: {
            name: 'E2E embedded board',
            items: [{ report: reportId, width: 12 }],
            embed: { enabled: true, allowedOrigins: ['https://intranet.example.com'] },
          },
        }),
        201
      )
    ).data;
    const { embedId } = dashboard.embed;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`/admin/plugins/api-tokens/dashboards/${dashboard.documentId}`);
    await page.getByRole('heading', { name: 'E2E embedded board' }).waitFor();
    const panel = page.getByTestId('embed-panel');
    await panel.scrollIntoViewIfNeeded();
    await panel.getByTestId('embed-status').getByText('Enabled').waitFor();
    await expect(panel.getByTestId('embed-panel-id').textContent()).resolves.toBe(embedId);
    const urls = (await panel.getByTestId('embed-urls').textContent())!;
    expect(urls).toContain(`/embed/stories/${embedId}`);
    expect(urls).toContain(`/embed/pages/${embedId}`);
    await expect(panel.getByTestId('embed-origins').textContent()).resolves.toBe('https://intranet.example.com');

    await panel.getByRole('button', { name: 'Open the playground' }).click();
    const playground = page.getByTestId('embed-playground');
    const viewerResponse = page.waitForResponse(
      (response) => new URL(response.url()).pathname === `/embed/stories/${embedId}`
    );
    await playground.getByRole('button', { name: 'Mint a test token and open the viewer' }).click();
    expect((await viewerResponse).status()).toBe(200);
    const frame: Frame = page.frame({ name: `embed-playground-story-${embedId}` })!;
    await frame.locator('.embed-grid .embed-table tbody tr').first().waitFor();
    await expect(frame.locator('.embed-title').textContent()).resolves.toBe('E2E embedded board');
    const claims = JSON.parse((await playground.getByTestId('embed-claims').textContent())!);
    expect(claims.emb).toEqual([{ token: embedId, type: 'story', permissions: ['READ'], filters: [] }]);
    await page.setViewportSize({ width: 1440, height: 2600 });
    await screenshot(page, 'embed-admin-dashboard-playground');
  }, 120_000);
});
