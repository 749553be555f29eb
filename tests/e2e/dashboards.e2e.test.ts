import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_ADMIN } from '../../src/demo/seed';
import {
  adminJwt,
  describeWithBrowser,
  dismissBanners,
  reportIfDown,
  screenshot,
  startDemoSession,
  type StrapiProcess,
} from '../helpers/browser';

const DATABASE = `.tmp/e2e-dashboards-${process.pid}.db`;
const DASHBOARDS_PATH = '/admin/plugins/api-tokens/dashboards';
const DASHBOARD_NAME = 'E2E overview';
const REGIONS = 'E2E sales by region';
const CHANNELS = 'E2E orders by channel';

/** The tiles of a dashboard grid, in grid order. */
const tiles = (page: Page) => page.getByTestId('dashboard-grid').getByTestId('dashboard-tile');
const tileOf = (page: Page, name: string) => tiles(page).filter({ has: page.getByRole('heading', { name }) });
const tileSelector = (reportId: string) => `[data-testid="dashboard-tile"][data-report="${reportId}"]`;
/** What a chart draws: its SVG, as ECharts renders it. */
const chartSvg = (tile: Locator) => tile.getByTestId('chart').locator('svg').first();

describeWithBrowser()('Dashboard screens (browser)', () => {
  let strapi: StrapiProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let reportIds: Record<string, string> = {};
  let dashboardId = '';

  const shot = (name: string) => screenshot(page, name);

  let jwt = '';
  /** The admin API with one login (the admin login is rate-limited). */
  const adminFetch = async (route: string, init: RequestInit = {}) => {
    jwt ||= await adminJwt(strapi!.url, DEMO_ADMIN);
    return fetch(`${strapi!.url}${route}`, {
      ...init,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${jwt}`, ...(init.headers ?? {}) },
    });
  };

  const createReport = async (body: Record<string, unknown>) => {
    const res = await adminFetch('/api-tokens/reports', { method: 'POST', body: JSON.stringify(body) });
    if (res.status !== 201 && res.status !== 200) throw new Error(`POST /reports: ${res.status} ${await res.text()}`);
    return (await res.json()).data.documentId as string;
  };

  beforeAll(async () => {
    // DEMO=true: 5,000 sales, the demo admin and the refreshed "Sales" model.
    ({ strapi, browser, page } = await startDemoSession(DATABASE, DEMO_ADMIN));

    const models = await (await adminFetch('/api-tokens/semantic-models')).json();
    const sales = models.data.find((model: { name: string }) => model.name === 'Sales');
    if (!sales?.lastRefreshedAt) throw new Error(`the demo "Sales" model has no snapshot: ${JSON.stringify(sales)}`);
    // Two reports sharing a `channel` input: a single-select on one, a multi-select on the other.
    reportIds = {
      [REGIONS]: await createReport({
        name: REGIONS,
        semanticModel: sales.documentId,
        query: {
          columns: ['region'],
          groupBy: ['region'],
          aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }],
          sort: [{ field: 'region', dir: 'asc' }],
        },
        chart: { type: 'bar', x: 'region', y: ['total'] },
        inputs: [{ name: 'channel', column: 'channel', type: 'single-select' }],
      }),
      [CHANNELS]: await createReport({
        name: CHANNELS,
        semanticModel: sales.documentId,
        query: {
          columns: ['channel'],
          groupBy: ['channel'],
          aggregates: [{ fn: 'count', as: 'orders' }],
          sort: [{ field: 'channel', dir: 'asc' }],
        },
        chart: { type: 'table' },
        inputs: [{ name: 'channel', column: 'channel', type: 'multi-select' }],
      }),
    };
  }, 300_000);

  afterEach(() => reportIfDown(strapi));

  afterAll(async () => {
    await browser?.close();
    await strapi?.stop();
  }, 60_000);

  it('builds a dashboard in the editor with live previews and shared inputs, saves it and opens it', async () => {
    // The list, from the plugin's navigation (the demo's "Sales overview" is in it).
    await page.goto('/admin/plugins/api-tokens');
    await page.getByRole('navigation', { name: 'Reporting hub' }).getByRole('link', { name: 'Dashboards' }).click();
    await page.waitForURL(`**${DASHBOARDS_PATH}`);
    await page.getByRole('heading', { name: 'Dashboards', level: 1 }).waitFor();
    const overview = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Sales overview' }) });
    await expect(overview.getByTestId('dashboard-report-count').textContent()).resolves.toBe('3');
    await dismissBanners(page);
    await shot('30-dashboards');

    // The editor: a name and two reports from the picker.
    await page.getByRole('link', { name: 'Create dashboard' }).first().click();
    await page.waitForURL(`**${DASHBOARDS_PATH}/new`);
    await page.getByRole('heading', { name: 'Create a dashboard' }).waitFor();
    await page.getByRole('textbox', { name: /^Name/ }).fill(DASHBOARD_NAME);
    for (const name of [REGIONS, CHANNELS]) {
      await page.getByRole('combobox', { name: 'Add a report' }).click();
      await page.getByRole('option', { name, exact: true }).click();
    }
    const itemNames = () => page.getByTestId('dashboard-item-name').allTextContents();
    await expect(itemNames()).resolves.toEqual([REGIONS, CHANNELS]);

    // Reorder: the channels first; the first item cannot move up, the last cannot move down.
    await page.getByRole('button', { name: `Move ${CHANNELS} up` }).click();
    await expect(itemNames()).resolves.toEqual([CHANNELS, REGIONS]);
    await expect(page.getByRole('button', { name: `Move ${CHANNELS} up` }).isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: `Move ${REGIONS} down` }).isDisabled()).resolves.toBe(true);

    // Widths: 4 and 8 of 12, so both share one row.
    for (const [name, width] of [
      [CHANNELS, 4],
      [REGIONS, 8],
    ] as const) {
      await page.getByRole('combobox', { name: `Width of ${name}` }).click();
      await page.getByRole('option', { name: `${width} of 12`, exact: true }).click();
    }

    // The live grid: the tiles in item order at their widths, a table and a drawn chart.
    await tiles(page).first().waitFor();
    const headings = await tiles(page).getByRole('heading').allTextContents();
    expect(headings).toEqual([CHANNELS, REGIONS]);
    const channels = tileOf(page, CHANNELS);
    const regions = tileOf(page, REGIONS);
    await expect(channels.getAttribute('data-width')).resolves.toBe('4');
    await expect(regions.getAttribute('data-width')).resolves.toBe('8');
    await channels.getByTestId('result-table').locator('tbody tr').nth(2).waitFor();
    await expect(channels.getByTestId('result-table').locator('tbody tr').count()).resolves.toBe(3);
    await expect(regions.getByTestId('chart').getAttribute('data-chart-type')).resolves.toBe('bar');
    await chartSvg(regions).waitFor();
    await regions.getByTestId('chart').getByText('North').first().waitFor();
    const [channelsBox, regionsBox] = [await channels.boundingBox(), await regions.boundingBox()];
    // One row, the regions tile twice as wide (give or take the gap).
    expect(Math.abs(channelsBox!.y - regionsBox!.y)).toBeLessThan(2);
    expect(regionsBox!.width / channelsBox!.width).toBeGreaterThan(1.8);
    expect(regionsBox!.width / channelsBox!.width).toBeLessThan(2.3);
    const allChannelsSvg = await chartSvg(regions).innerHTML();
    await page.setViewportSize({ width: 1440, height: 1800 });
    await shot('31-dashboard-editor');

    // The shared `channel` input is a single-select (one report's is) and filters both previews.
    const input = page.locator('[data-input="channel"]');
    await expect(input.getAttribute('data-input-type')).resolves.toBe('single-select');
    await page.getByRole('combobox', { name: /^channel/ }).click();
    await page.getByRole('option', { name: 'online', exact: true }).click();
    await channels.getByTestId('result-table').locator('tbody tr').nth(1).waitFor({ state: 'detached' });
    await expect(channels.getByTestId('result-table').locator('tbody tr').innerText()).resolves.toMatch(/^online/);
    // The bars are redrawn from the online sales only.
    await page.waitForFunction(([selector, before]) => document.querySelector(selector)?.innerHTML !== before, [
      `${tileSelector(reportIds[REGIONS])} [data-testid="chart"] svg`,
      allChannelsSvg,
    ] as const);
    await shot('32-dashboard-editor-input');
    await page.setViewportSize({ width: 1440, height: 900 });

    // Save: the dashboard's page opens.
    await page.getByRole('button', { name: 'Create dashboard' }).click();
    await page.waitForURL(new RegExp(`${DASHBOARDS_PATH}/(?!new$)[a-z0-9]+$`));
    dashboardId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: DASHBOARD_NAME, level: 1 }).waitFor();
    const saved = await (await adminFetch(`/api-tokens/dashboards/${dashboardId}`)).json();
    expect(saved.data).toMatchObject({
      name: DASHBOARD_NAME,
      items: [
        { report: reportIds[CHANNELS], width: 4 },
        { report: reportIds[REGIONS], width: 8 },
      ],
      embed: { enabled: false },
    });

    // The page: the same grid, read-only, from the dashboard's data, with its shared input.
    await chartSvg(tileOf(page, REGIONS)).waitFor();
    await expect(tiles(page).getByRole('heading').allTextContents()).resolves.toEqual([CHANNELS, REGIONS]);
    await tileOf(page, CHANNELS).getByTestId('result-table').locator('tbody tr').nth(2).waitFor();
    await expect(tileOf(page, CHANNELS).getByTestId('result-table').locator('tbody tr').count()).resolves.toBe(3);
    expect(await page.getByRole('combobox', { name: /Width of/ }).count()).toBe(0);
    await page.getByRole('combobox', { name: /^channel/ }).click();
    await page.getByRole('option', { name: 'retail', exact: true }).click();
    const pageRows = tileOf(page, CHANNELS).getByTestId('result-table').locator('tbody tr');
    await pageRows.nth(1).waitFor({ state: 'detached' });
    await expect(pageRows.innerText()).resolves.toMatch(/^retail/);
    await page.getByText(`Created “${DASHBOARD_NAME}”`).waitFor({ state: 'detached', timeout: 10_000 });
    await page.setViewportSize({ width: 1440, height: 1400 });
    await shot('33-dashboard-page');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('shows the demo dashboard: a bar chart, a KPI and a monthly line', async () => {
    await page.goto(DASHBOARDS_PATH);
    await page.getByRole('link', { name: 'Sales overview' }).click();
    await page.getByRole('heading', { name: 'Sales overview', level: 1 }).waitFor();
    const types = page.getByTestId('dashboard-grid').getByTestId('chart');
    await types.nth(2).locator('svg').waitFor();
    await expect(
      types.evaluateAll((charts) => charts.map((chart) => chart.getAttribute('data-chart-type')))
    ).resolves.toEqual(['bar', 'kpi', 'line']);
    // The KPI is one formatted number: the total of the 5,000 demo sales.
    await expect(types.nth(1).getAttribute('aria-label')).resolves.toBe('Total sales: Key figure: total');
    await expect(types.nth(1).locator('svg text').first().textContent()).resolves.toMatch(/^\d{1,3}(,\d{3})+(\.\d+)?$/);
    // Ten months of sales (January to October 2026) on the line's axis.
    await types.nth(2).getByText('2026-10-01').waitFor();
    await page.setViewportSize({ width: 1440, height: 1400 });
    await shot('36-demo-dashboard');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('edits a dashboard: removing a report and embed settings, with the server’s errors under their fields', async () => {
    await page.goto(`${DASHBOARDS_PATH}/${dashboardId}/edit`);
    await page.getByRole('heading', { name: `Edit “${DASHBOARD_NAME}”` }).waitFor();
    await expect(page.getByTestId('dashboard-item-name').allTextContents()).resolves.toEqual([CHANNELS, REGIONS]);
    await page.getByRole('button', { name: `Remove ${CHANNELS}` }).click();
    await expect(page.getByTestId('dashboard-item-name').allTextContents()).resolves.toEqual([REGIONS]);
    await expect(tiles(page).getByRole('heading').allTextContents()).resolves.toEqual([REGIONS]);

    // An origin with a path is refused by the server, and the message shows under the field.
    await page.getByRole('checkbox', { name: 'Embedding' }).click();
    const origins = page.getByRole('textbox', { name: /^Allowed origins/ });
    await origins.fill('https://example.com/app');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByText(/must be an origin/)
      .first()
      .waitFor();
    await expect(origins.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.setViewportSize({ width: 1440, height: 1600 });
    await shot('34-dashboard-editor-error');
    await page.setViewportSize({ width: 1440, height: 900 });

    await origins.fill('https://example.com');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(new RegExp(`${DASHBOARDS_PATH}/${dashboardId}$`));
    const saved = await (await adminFetch(`/api-tokens/dashboards/${dashboardId}`)).json();
    expect(saved.data.items).toEqual([{ report: reportIds[REGIONS], width: 8 }]);
    expect(saved.data.embed).toMatchObject({ enabled: true, allowedOrigins: ['https://example.com'] });
    expect(saved.data.embed.embedId).toMatch(/^[0-9A-Za-z]{8}$/);
  });

  it('deletes a dashboard from the list after confirming', async () => {
    await page.goto(DASHBOARDS_PATH);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: DASHBOARD_NAME }) });
    await expect(row.getByTestId('dashboard-report-count').textContent()).resolves.toBe('1');
    await row.getByRole('button', { name: `Delete ${DASHBOARD_NAME}` }).click();
    const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));
    await dialog.getByText(`Delete “${DASHBOARD_NAME}”?`).waitFor();
    await shot('35-dashboard-delete');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    expect((await adminFetch(`/api-tokens/dashboards/${dashboardId}`)).status).toBe(404);
  });
});
