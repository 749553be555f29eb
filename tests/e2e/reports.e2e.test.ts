import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_ADMIN } from '../../src/demo/seed';
import {
  pluginAdminApi,
  describeWithBrowser,
  dismissBanners,
  reportIfDown,
  screenshot,
  startDemoSession,
  type StrapiProcess,
} from '../helpers/browser';
import { APP_DIR } from '../helpers/strapi';

const DATABASE = `.tmp/e2e-reports-${process.pid}.db`;
const REPORTS_PATH = '/admin/plugins/api-tokens/reports';
const MODEL_NAME = 'E2E report sales';
const EMPTY_MODEL_NAME = 'E2E never refreshed';
const REPORT_NAME = 'E2E sales by region';

/** Totals by region, rounded to the cent. */
type Totals = Record<string, number>;

/** The screen's table as region → total (the table shows "12,345.67"). */
const totalsOfTable = async (table: Locator): Promise<Totals> => {
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td as HTMLElement).innerText.trim()))
    );
  return Object.fromEntries(
    rows.map(([region, total]) => [region, Math.round(Number(total.replace(/,/g, '')) * 100) / 100])
  );
};

const rounded = (totals: Record<string, number | string>): Totals =>
  Object.fromEntries(Object.entries(totals).map(([region, total]) => [region, Math.round(Number(total) * 100) / 100]));

/** Retries `read` until it equals `expected` (the screens update after a debounce and a request). */
const waitForEqual = async <Value>(read: () => Promise<Value>, expected: Value, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  let last: Value | undefined;
  while (Date.now() < deadline) {
    try {
      last = await read();
      expect(last).toEqual(expected);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  expect(last).toEqual(expected);
};

describeWithBrowser()('Report screens (browser)', () => {
  let strapi: StrapiProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let modelId = '';
  let reportId = '';

  const shot = (name: string) => screenshot(page, name);

  const adminApi = pluginAdminApi(() => strapi!.url, DEMO_ADMIN);

  const createModel = async (name: string) => {
    const res = await adminApi('/semantic-models', {
      method: 'POST',
      body: {
        name,
        source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'channel', 'amount', 'soldAt'] },
        refresh: { mode: 'manual' },
      },
    });
    if (res.status !== 201) throw new Error(`creating the model answered ${res.status}: ${await res.text()}`);
    return (await res.json()).data.documentId as string;
  };

  /** Refreshes a model through the API and waits for its run to succeed (its new snapshot then serves). */
  const refreshModel = async (documentId: string) => {
    const res = await adminApi(`/semantic-models/${documentId}/refresh`, { method: 'POST' });
    if (res.status !== 202) throw new Error(`refresh answered ${res.status}: ${await res.text()}`);
    const runId = (await res.json()).data.id;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const run = (await (await adminApi(`/runs/${runId}`)).json()).data;
      if (run.status === 'succeeded') return;
      if (run.status === 'failed' || run.status === 'cancelled')
        throw new Error(`the refresh ${run.status}: ${run.error}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('the refresh did not finish within 60 s');
  };

  /** sum(amount) by region straight from the app's sales table, optionally for one channel. */
  const totalsInDatabase = (channel?: string): Totals => {
    const db = new Database(path.join(APP_DIR, DATABASE), { readonly: true });
    try {
      db.pragma('busy_timeout = 5000');
      const rows = db
        .prepare(`SELECT region, SUM(amount) AS total FROM sales ${channel ? 'WHERE channel = ?' : ''} GROUP BY region`)
        .all(...(channel ? [channel] : [])) as { region: string; total: number }[];
      return rounded(Object.fromEntries(rows.map((row) => [row.region, row.total])));
    } finally {
      db.close();
    }
  };

  /** The saved report's totals as its data route answers them for these inputs. */
  const totalsFromApi = async (query = ''): Promise<Totals> => {
    const res = await adminApi(`/reports/${reportId}/data${query}`);
    expect(res.status).toBe(200);
    const { data } = await res.json();
    return rounded(
      Object.fromEntries(data.rows.map((row: { region: string; total: number }) => [row.region, row.total]))
    );
  };

  /** Picks an option of a design-system select (the options open in a portal). */
  const pick = async (select: Locator, option: string) => {
    await select.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  beforeAll(async () => {
    ({ strapi, browser, page } = await startDemoSession(DATABASE, DEMO_ADMIN));
    modelId = await createModel(MODEL_NAME);
    await refreshModel(modelId);
  }, 300_000);

  afterEach(() => reportIfDown(strapi));

  afterAll(async () => {
    await browser?.close();
    await strapi?.stop();
  }, 60_000);

  it('builds a report in the editor with a live preview, saves it and reads it with its input', async () => {
    const all = totalsInDatabase();
    const online = totalsInDatabase('online');
    const retail = totalsInDatabase('retail');
    expect(Object.keys(all).sort()).toEqual(['East', 'North', 'South', 'West']);
    expect(online).not.toEqual(all);
    expect(retail).not.toEqual(online);

    // The sub-navigation leads to the reports.
    await page.goto('/admin/plugins/api-tokens');
    await page
      .getByRole('navigation', { name: 'Reporting hub' })
      .getByRole('link', { name: 'Reports', exact: true })
      .click();
    await page.waitForURL(`**${REPORTS_PATH}`);
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page.getByTestId('reports-table').or(page.getByText('No reports yet')).first().waitFor();
    await dismissBanners(page);
    await shot('20-reports-list');

    await page.getByRole('link', { name: 'Create report' }).first().click();
    await page.waitForURL(`**${REPORTS_PATH}/new`);
    await page.getByRole('heading', { name: 'Create a report' }).waitFor();
    await page.getByText('Pick a model to see a preview.').waitFor();

    await page.getByRole('textbox', { name: /^Name/ }).fill(REPORT_NAME);
    await pick(page.getByRole('combobox', { name: /^Semantic model/ }), MODEL_NAME);

    // Group by region, sum(amount) as total.
    await page.getByRole('button', { name: 'Add a grouping' }).click();
    await pick(page.getByTestId('group-by-0').getByRole('combobox', { name: /^Column/ }), 'region');
    await page.getByRole('button', { name: 'Add an aggregate' }).click();
    const aggregate = page.getByTestId('aggregate-0');
    await pick(aggregate.getByRole('combobox', { name: /^Of/ }), 'amount');
    const alias = aggregate.getByRole('textbox', { name: /^Alias/ });
    await expect(alias.inputValue()).resolves.toBe('sum_amount');

    // A bad alias comes back from the preview as a 400 and shows under its field.
    await alias.fill('1total');
    await aggregate.getByText(/must be a plain identifier/).waitFor();
    await expect(alias.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByTestId('preview-invalid').waitFor();
    await alias.fill('total');
    await page.getByTestId('preview-invalid').waitFor({ state: 'detached' });

    // The preview shows the totals of every channel.
    const preview = page.getByTestId('preview-table');
    await waitForEqual(() => totalsOfTable(preview), all);

    // A bar chart of total by region.
    await pick(page.getByRole('combobox', { name: /^Chart type/ }), 'Bar chart');
    await pick(page.getByRole('combobox', { name: /^X axis/ }), 'region');
    await pick(page.getByRole('combobox', { name: /^Y axis/ }), 'total');
    await page.keyboard.press('Escape');
    await page.getByTestId('report-preview').locator('[data-testid="chart"] svg').first().waitFor();

    // Adding a filter changes the preview: only the online channel. The operators offered suit a text column.
    await page.getByRole('button', { name: 'Add a filter' }).click();
    const filter = page.getByTestId('filter-0');
    await pick(filter.getByRole('combobox', { name: /^Column/ }), 'channel');
    await filter.getByRole('combobox', { name: /^Operator/ }).click();
    await expect(page.getByRole('option').allInnerTexts()).resolves.toEqual([
      'is one of',
      'is not one of',
      'equals',
      'does not equal',
    ]);
    await page.getByRole('option', { name: 'equals', exact: true }).click();
    // The column is an enumeration: its values are offered.
    await pick(filter.getByRole('combobox', { name: /^Value/ }), 'online');
    await waitForEqual(() => totalsOfTable(preview), online);

    // A number column gets the comparisons too.
    await page.getByRole('button', { name: 'Add a filter' }).click();
    const amountFilter = page.getByTestId('filter-1');
    await pick(amountFilter.getByRole('combobox', { name: /^Column/ }), 'amount');
    await amountFilter.getByRole('combobox', { name: /^Operator/ }).click();
    await page.getByRole('option', { name: 'is between', exact: true }).waitFor();
    await page.getByRole('option', { name: 'is greater than', exact: true }).click();
    await expect(amountFilter.getByRole('textbox').count()).resolves.toBe(1);
    await page.setViewportSize({ width: 1440, height: 2600 });
    await shot('21-report-editor');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('button', { name: 'Remove filter 2' }).click();

    // The report's readers pick the channel instead: a single-select input, and no fixed filter.
    await page.getByRole('button', { name: 'Remove filter 1' }).click();
    await waitForEqual(() => totalsOfTable(preview), all);
    await page.getByRole('button', { name: 'Add a data input' }).click();
    const input = page.getByTestId('input-0');
    await pick(input.getByRole('combobox', { name: /^Column/ }), 'channel');
    await expect(input.getByRole('textbox', { name: /^Name/ }).inputValue()).resolves.toBe('channel');

    await page.getByRole('button', { name: 'Create report' }).click();
    await page.waitForURL(new RegExp(`${REPORTS_PATH}/(?!new$)[A-Za-z0-9]+$`));
    reportId = page.url().split('/').pop()!;

    // The report page: every channel until an input is picked.
    await page.getByRole('heading', { name: REPORT_NAME }).waitFor();
    const table = page.getByTestId('report-table');
    await waitForEqual(() => totalsOfTable(table), all);
    await expect(totalsFromApi()).resolves.toEqual(all);
    const chart = page.getByTestId('report-chart').getByTestId('chart');
    await chart.locator('svg, canvas').first().waitFor();
    await expect(chart.getAttribute('data-chart-type')).resolves.toBe('bar');
    await page.getByText(`Created “${REPORT_NAME}”`).waitFor({ state: 'detached', timeout: 10_000 });
    await shot('22-report-page');

    // The channel input's options come from the model; picking one refetches the data.
    const channel = page.getByTestId('input-channel').getByRole('combobox');
    await channel.click();
    await expect(page.getByRole('option').allInnerTexts()).resolves.toEqual(['online', 'partner', 'retail']);
    await page.getByRole('option', { name: 'retail', exact: true }).click();
    await waitForEqual(() => totalsOfTable(table), retail);
    await expect(totalsFromApi('?inputs[channel]=retail')).resolves.toEqual(retail);
    // The admin scrolls inside its layout: a full-page shot needs a tall viewport to show the table too.
    await page.setViewportSize({ width: 1440, height: 1500 });
    await shot('23-report-page-input');
    await page.setViewportSize({ width: 1440, height: 900 });

    // The saved report is what was built.
    const saved = (await (await adminApi(`/reports/${reportId}`)).json()).data;
    expect(saved).toMatchObject({
      name: REPORT_NAME,
      semanticModel: modelId,
      query: { groupBy: ['region'], aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }] },
      chart: { type: 'bar', x: 'region', y: ['total'] },
      inputs: [{ name: 'channel', column: 'channel', type: 'single-select' }],
    });
    expect(saved.query.filters ?? []).toEqual([]);
  });

  it('edits the report: the editor starts from what is saved', async () => {
    await page.goto(`${REPORTS_PATH}/${reportId}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.waitForURL(`**${REPORTS_PATH}/${reportId}/edit`);
    await page.getByRole('heading', { name: `Edit “${REPORT_NAME}”` }).waitFor();
    await expect(
      page
        .getByTestId('aggregate-0')
        .getByRole('textbox', { name: /^Alias/ })
        .inputValue()
    ).resolves.toBe('total');
    await waitForEqual(() => totalsOfTable(page.getByTestId('preview-table')), totalsInDatabase());

    // Sorting by the total, descending, orders the preview.
    await page.getByRole('button', { name: 'Add a sort' }).click();
    await pick(page.getByTestId('sort-0').getByRole('combobox', { name: /^Sort by/ }), 'total');
    await pick(page.getByTestId('sort-0').getByRole('combobox', { name: /^Direction/ }), 'Descending');
    const expected = Object.entries(totalsInDatabase())
      .sort(([, a], [, b]) => b - a)
      .map(([region]) => region);
    await waitForEqual(
      () => page.getByTestId('preview-table').locator('tbody tr td:first-child').allInnerTexts(),
      expected
    );
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`**${REPORTS_PATH}/${reportId}`);
    await waitForEqual(
      () => page.getByTestId('report-table').locator('tbody tr td:first-child').allInnerTexts(),
      expected
    );
    const saved = (await (await adminApi(`/reports/${reportId}`)).json()).data;
    expect(saved.query.sort).toEqual([{ field: 'total', dir: 'desc' }]);
  });

  it('tells to refresh a model that has no snapshot yet', async () => {
    const emptyModel = await createModel(EMPTY_MODEL_NAME);
    const res = await adminApi('/reports', {
      method: 'POST',
      body: {
        name: 'E2E waiting report',
        semanticModel: emptyModel,
        query: { columns: ['region'] },
        chart: { type: 'table' },
      },
    });
    // A model without a snapshot has no columns to check the report against yet: the server may refuse it.
    if (res.status === 201) {
      const waiting = (await res.json()).data.documentId;
      await page.goto(`${REPORTS_PATH}/${waiting}`);
      await page.getByTestId('model-not-ready').waitFor();
      await page.getByText(`the model “${EMPTY_MODEL_NAME}” has not been refreshed`, { exact: false }).waitFor();
    } else {
      expect(res.status).toBe(409);
    }

    // The editor says the same when that model is picked, with a link to it.
    await page.goto(`${REPORTS_PATH}/new`);
    await pick(page.getByRole('combobox', { name: /^Semantic model/ }), EMPTY_MODEL_NAME);
    const notReady = page.getByTestId('model-not-ready');
    await notReady.waitFor();
    await shot('24-report-model-not-ready');
    await notReady.getByRole('link', { name: 'Open the model' }).click();
    await page.waitForURL(`**/admin/plugins/api-tokens/semantic-models/${emptyModel}`);
  });

  it('shows a report whose column has left its model as needing an edit', async () => {
    const shrinking = await createModel('E2E shrinking sales');
    await refreshModel(shrinking);
    const created = await adminApi('/reports', {
      method: 'POST',
      body: {
        name: 'E2E by channel',
        semanticModel: shrinking,
        query: { groupBy: ['channel'], aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }] },
        chart: { type: 'table' },
      },
    });
    expect(created.status).toBe(201);
    const broken = (await created.json()).data.documentId;

    // The model drops the channel column, and its next snapshot no longer has it.
    const updated = await adminApi(`/semantic-models/${shrinking}`, {
      method: 'PUT',
      body: { source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'amount', 'soldAt'] } },
    });
    expect(updated.status).toBe(200);
    await refreshModel(shrinking);
    const data = await adminApi(`/reports/${broken}/data`);
    expect(data.status).toBe(400);
    expect((await data.json()).error.details).toMatchObject({ code: 'REPORT_COLUMN_MISSING', column: 'channel' });

    await page.goto(`${REPORTS_PATH}/${broken}`);
    const alert = page.getByTestId('column-missing');
    await alert.getByText('Its model no longer has the column “channel”', { exact: false }).waitFor();
    await shot('25-report-column-missing');
    await alert.getByRole('link', { name: 'Edit the report' }).click();
    await page.waitForURL(`**${REPORTS_PATH}/${broken}/edit`);
    // The editor says so too, above the form, and still shows the saved grouping by the missing column.
    await page
      .getByTestId('column-missing')
      .getByText('Its model no longer has the column “channel”', { exact: false })
      .waitFor();
    await expect(
      page
        .getByTestId('group-by-0')
        .getByRole('combobox', { name: /^Column/ })
        .innerText()
    ).resolves.toContain('channel');
  });

  it('deletes the report from the list after confirming; one a dashboard shows is refused, naming it', async () => {
    await page.goto(REPORTS_PATH);
    const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));

    // The demo's "Sales by region" is on its "Sales overview" dashboard.
    const used = page
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: 'Sales by region', exact: true }) });
    const usedId = await used.getAttribute('data-report');
    await used.getByRole('button', { name: 'Delete Sales by region' }).click();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('“Sales by region” is shown on Sales overview. Remove it from them first.').waitFor();
    await dialog.waitFor({ state: 'detached' });
    expect((await adminApi(`/reports/${usedId}`)).status).toBe(200);

    const row = page.getByRole('row').filter({ hasText: REPORT_NAME });
    await row.waitFor();
    await row.getByText(MODEL_NAME).waitFor();
    await row.getByText('Bar chart').waitFor();
    await row.getByRole('button', { name: `Delete ${REPORT_NAME}` }).click();
    await dialog.getByText(`Delete “${REPORT_NAME}”?`).waitFor();
    await shot('26-report-delete-dialog');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    expect((await adminApi(`/reports/${reportId}`)).status).toBe(404);
  });
});
