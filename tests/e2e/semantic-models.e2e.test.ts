import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_ADMIN, DEMO_SALES_COUNT } from '../../src/demo/seed';
import {
  adminJwt,
  describeWithBrowser,
  dismissBanners,
  reportIfDown,
  screenshot,
  startDemoSession,
  type StrapiProcess,
} from '../helpers/browser';
import { APP_DIR } from '../helpers/strapi';

const DATABASE = `.tmp/e2e-models-${process.pid}.db`;
const MODEL_NAME = 'E2E sales';
const MODELS_PATH = '/admin/plugins/api-tokens/semantic-models';
const ROWS = DEMO_SALES_COUNT.toLocaleString('en-US'); // "5,000", as the screens format it
/** "Dec 1, 2026, 10:32:07 AM": a time to the second. */
const TIME_TO_THE_SECOND = /\d{1,2}:\d{2}:\d{2}/;

/** What the screen shows (CSS text-transform applied), not the DOM text. */
const renderedText = (locator: Locator) => locator.evaluate((element) => (element as HTMLElement).innerText.trim());

/**
 * Puts a queued run for `targetId` straight into the app's SQLite ledger, copied from one of its finished runs and
 * not due for an hour (as a retry waiting out its backoff), so the screens have a run that stays queued.
 */
const insertQueuedRun = (targetId: string) => {
  const db = new Database(path.join(APP_DIR, DATABASE));
  try {
    db.pragma('busy_timeout = 5000');
    const template = db
      .prepare('SELECT * FROM api_tokens_job_runs WHERE target_id = ? LIMIT 1')
      .get(targetId) as Record<string, unknown>;
    const now = Date.now();
    const documentId = `e2equeued${now.toString(36)}`.padEnd(24, '0').slice(0, 24);
    const row: Record<string, unknown> = {
      ...template,
      document_id: documentId,
      status: 'queued',
      trigger: 'admin',
      not_before: now + 3_600_000,
      created_at: now,
      updated_at: now,
    };
    delete row.id;
    for (const column of [
      'started_at',
      'finished_at',
      'lease_owner',
      'lease_expires_at',
      'heartbeat_at',
      'error',
      'stats',
      'occurrence_key',
      'active_key',
      'idempotency_key',
      'cancel_requested_at',
      'delivery_key',
    ]) {
      if (column in row) row[column] = null;
    }
    const columns = Object.keys(row);
    db.prepare(
      `INSERT INTO api_tokens_job_runs (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
    ).run(...columns.map((column) => row[column]));
    return documentId;
  } finally {
    db.close();
  }
};

describeWithBrowser()('Semantic model screens (browser)', () => {
  let strapi: StrapiProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let modelId = '';

  const shot = (name: string) => screenshot(page, name);

  /** The admin API, as the logged-in screens call it (for diagnostics only). */
  const adminFetch = async (route: string, init: RequestInit = {}) => {
    const jwt = await adminJwt(strapi!.url, DEMO_ADMIN);
    return fetch(`${strapi!.url}${route}`, {
      ...init,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${jwt}`, ...(init.headers ?? {}) },
    });
  };

  beforeAll(async () => {
    // DEMO=true: the app's bootstrap seeds 5,000 deterministic sales and creates the demo admin.
    ({ strapi, browser, page } = await startDemoSession(DATABASE, DEMO_ADMIN));
  }, 240_000);

  afterEach(() => reportIfDown(strapi));

  afterAll(async () => {
    await browser?.close();
    await strapi?.stop();
  }, 60_000);

  it('creates a model, refreshes it and shows the run and the data', async () => {
    // The plugin's sub-navigation leads from the tokens to the semantic models.
    await page.goto('/admin/plugins/api-tokens');
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Reporting hub' });
    await nav.getByRole('link', { name: 'API tokens' }).waitFor();
    await nav.getByRole('link', { name: 'Semantic models' }).click();
    await page.waitForURL(`**${MODELS_PATH}`);
    await page.getByRole('heading', { name: 'Semantic models', level: 1 }).waitFor();
    // The demo seed may have created its own "Sales" model: then the list has a row, else the empty state shows.
    await page.locator('table').or(page.getByText('No semantic models yet')).first().waitFor();
    await dismissBanners(page);
    await shot('10-models');

    // Create a model on Sale with three fields, refreshed by hand.
    await page.getByRole('link', { name: 'Create model' }).first().click();
    await page.waitForURL(`**${MODELS_PATH}/new`);
    await page.getByRole('textbox', { name: /^Name/ }).fill(MODEL_NAME);
    await page.getByRole('combobox', { name: /^Source content type/ }).click();
    await page.getByRole('option', { name: 'Sale', exact: true }).click();
    for (const field of ['region', 'channel', 'amount']) {
      await page.getByRole('checkbox', { name: field, exact: true }).click();
    }
    // Column types read the same here as on the model page: "Decimal", not "DECIMAL" or "float".
    await expect(renderedText(page.locator('[data-column-type="float"]').first())).resolves.toBe('Decimal');
    await expect(renderedText(page.locator('[data-column-type="string"]').first())).resolves.toBe('Text');
    await expect(page.getByRole('radio', { name: 'Manual' }).getAttribute('aria-checked')).resolves.toBe('true');
    await shot('11-model-editor');
    await page.getByRole('button', { name: 'Create model' }).click();

    // Saving opens the model's page.
    await page.waitForURL(new RegExp(`${MODELS_PATH}/(?!new$)[a-z0-9]+$`));
    modelId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: MODEL_NAME }).waitFor();
    await page.getByText(`Created “${MODEL_NAME}”`).waitFor({ state: 'detached', timeout: 10_000 });

    // The list shows it, never refreshed.
    await page
      .getByRole('navigation', { name: 'Reporting hub' })
      .getByRole('link', { name: 'Semantic models' })
      .click();
    await page.waitForURL(`**${MODELS_PATH}`);
    const row = page.getByRole('row').filter({ hasText: MODEL_NAME });
    await row.waitFor();
    await row.getByText('Empty', { exact: true }).waitFor();
    await row.getByText('Never', { exact: true }).waitFor();
    await row.getByText('Manual', { exact: true }).waitFor();
    await expect(row.getByTestId('model-row-count').textContent()).resolves.toBe('0');
    expect(await row.getByTestId('next-refresh').count()).toBe(0);
    // The demo "Sales" model is scheduled nightly: the list says when it refreshes next.
    const sales = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Sales', exact: true }) });
    await expect(sales.getByTestId('next-refresh').textContent()).resolves.toMatch(/^Next: in \d+ (hours?|minutes?)$/);
    // Its cron in plain language, beside the expression.
    await expect(sales.getByTestId('cron-description').textContent()).resolves.toBe('At 02:30 (Europe/Berlin)');
    await shot('12-models-list');

    // Its page: no data yet.
    await row.getByRole('link', { name: MODEL_NAME }).click();
    await page.waitForURL(`**${MODELS_PATH}/${modelId}`);
    const details = page.getByTestId('model-details');
    await details.getByText('Sale', { exact: true }).waitFor();
    await details.getByText('api::sale.sale').waitFor();
    await expect(renderedText(details.locator('[data-field="amount"] [data-column-type]'))).resolves.toBe('Decimal');
    await expect(renderedText(details.locator('[data-field="region"] [data-column-type]'))).resolves.toBe('Text');
    await page.getByText('No data yet: this model has not been refreshed.').waitFor();

    // Refresh now: the live panel follows the run to the end.
    const refreshResponse = page.waitForResponse(
      (res) => res.url().endsWith(`/api-tokens/semantic-models/${modelId}/refresh`) && res.request().method() === 'POST'
    );
    await page.getByRole('button', { name: 'Refresh now' }).click();
    const refresh = await refreshResponse;
    if (![202, 409].includes(refresh.status())) {
      throw new Error(`POST .../refresh answered ${refresh.status()}: ${await refresh.text()}`);
    }
    const panel = page.getByTestId('run-panel');
    await panel.locator('[data-run-status="succeeded"]').first().waitFor({ timeout: 60_000 });
    await expect(panel.getByTestId('run-rows').textContent()).resolves.toBe(`${ROWS} rows`);
    await panel.getByText('Admin panel').waitFor();

    // Then the model, the preview and the history are reloaded (the model once the panel has seen the run finish).
    await details
      .getByTestId('model-row-count')
      .filter({ hasText: new RegExp(`^${ROWS}$`) })
      .waitFor({ timeout: 10_000 });
    await page.getByRole('heading', { name: MODEL_NAME }).waitFor();
    const preview = page.getByTestId('preview-table');
    await preview.waitFor();
    // Headers are the raw column names as they are, not upper-cased.
    for (const column of ['region', 'channel', 'amount']) {
      await expect(renderedText(preview.locator(`thead [data-column="${column}"]`))).resolves.toBe(column);
    }
    await expect(preview.locator('tbody tr').count()).resolves.toBe(50);
    // Numbers are right-aligned, in tabular figures, each with the same number of decimals.
    const amounts = preview.locator('tbody td:nth-child(3)');
    await expect(amounts.first().evaluate((cell) => getComputedStyle(cell).textAlign)).resolves.toBe('right');
    // The header of a number column lines up with its values, on the right.
    const headerBox = await preview.locator('thead [data-column="amount"]').boundingBox();
    const valueBox = await preview.locator('tbody [data-numeric]').first().boundingBox();
    expect(Math.abs(headerBox!.x + headerBox!.width - (valueBox!.x + valueBox!.width))).toBeLessThan(2);
    const amountTexts = await preview.locator('tbody [data-numeric]').allInnerTexts();
    expect(amountTexts).toHaveLength(50);
    const decimals = new Set(amountTexts.map((text) => text.split('.')[1]?.length ?? 0));
    expect(decimals.size).toBe(1);
    expect([...decimals][0]).toBeGreaterThan(0);
    const history = page.getByTestId('run-history');
    const historyRow = history.getByRole('row').filter({ hasText: 'Succeeded' });
    await historyRow.first().waitFor();
    await historyRow.first().getByText(ROWS, { exact: true }).waitFor();
    // Times to the second, so runs within one minute read apart.
    await expect(historyRow.first().locator('td').nth(2).innerText()).resolves.toMatch(TIME_TO_THE_SECOND);
    await expect(panel.locator('time').first().innerText()).resolves.toMatch(TIME_TO_THE_SECOND);
    await page.getByText('Ready', { exact: true }).first().waitFor();
    await page.getByText(`Refreshed: ${ROWS} rows`).waitFor({ state: 'detached', timeout: 10_000 });
    // The admin scrolls inside its layout, so a full-page shot needs a tall viewport to show the history too.
    await page.setViewportSize({ width: 1440, height: 2200 });
    await shot('14-model-page');
    await page.setViewportSize({ width: 1440, height: 900 });

    // The API agrees.
    const model = await (await adminFetch(`/api-tokens/semantic-models/${modelId}`)).json();
    expect(model.data).toMatchObject({ status: 'ready', rowCount: DEMO_SALES_COUNT });
  });

  it('previews the next runs of a schedule in the editor', async () => {
    await page.goto(`${MODELS_PATH}/new`);
    await page.getByRole('heading', { name: 'Create a semantic model' }).waitFor();
    await page.getByRole('radio', { name: 'On a schedule' }).click();
    await page.getByRole('textbox', { name: /^Cron expression/ }).fill('30 2 * * *');
    const timezone = page.getByRole('combobox', { name: /^Time zone/ });
    await timezone.click();
    await timezone.fill('Europe/Berl');
    await page.getByRole('option', { name: 'Europe/Berlin', exact: true }).click();
    await expect(timezone.inputValue()).resolves.toBe('Europe/Berlin');

    const preview = page.getByTestId('schedule-preview');
    const list = preview.getByTestId('schedule-preview-list');
    await list.waitFor();
    await expect(list.getByRole('listitem').count()).resolves.toBe(5);
    const dates = await list.getByRole('listitem').allTextContents();
    // 02:30 on the Berlin wall clock, on five consecutive days.
    for (const text of dates) expect(text).toMatch(/02:30/);
    await expect(preview.getByTestId('cron-description').textContent()).resolves.toBe('At 02:30 (Europe/Berlin)');
    await shot('13-model-editor-schedule');

    // Exactly five fields: a sixth (seconds) is refused before the server is asked.
    const cronInput = page.getByRole('textbox', { name: /^Cron expression/ });
    await cronInput.fill('0 30 2 * * *');
    await page.getByText('Use exactly five fields: minute, hour, day of month, month, day of week').first().waitFor();
    await expect(cronInput.getAttribute('aria-invalid')).resolves.toBe('true');

    // An invalid cron shows the server's message under the input.
    const cron = page.getByRole('textbox', { name: /^Cron expression/ });
    await cron.fill('61 2 * * *');
    await page
      .getByText(/not a valid cron expression/)
      .first()
      .waitFor();
    await expect(cron.getAttribute('aria-invalid')).resolves.toBe('true');
    await preview.getByText('Fix the schedule to see when it runs.').waitFor();
  });

  it('cancels a queued run from the model page after confirming', async () => {
    const runId = insertQueuedRun(modelId);
    await page.goto(`${MODELS_PATH}/${modelId}`);
    // The page follows the pending run: the panel shows it with a cancel button, as does its history row.
    const panel = page.getByTestId('run-panel');
    await page.locator(`[data-testid="run-panel"][data-run-id="${runId}"][data-run-status="queued"]`).waitFor();
    const historyRow = page.getByTestId('run-history').locator(`tr[data-run="${runId}"]`);
    await historyRow.getByText('Queued', { exact: true }).waitFor();
    await historyRow.getByRole('button', { name: 'Cancel run' }).waitFor();

    await panel.getByRole('button', { name: 'Cancel run' }).click();
    const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));
    await dialog.getByText('Cancel this run?').waitFor();
    await shot('16-run-cancel-dialog');
    await dialog.getByRole('button', { name: 'Cancel run' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.locator(`[data-testid="run-panel"][data-run-status="cancelled"]`).waitFor();
    await historyRow.getByText('Cancelled', { exact: true }).waitFor();
    expect(await historyRow.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    await page.setViewportSize({ width: 1440, height: 2200 });
    await shot('17-run-cancelled');
    await page.setViewportSize({ width: 1440, height: 900 });

    const run = await (await adminFetch(`/api-tokens/runs/${runId}`)).json();
    expect(run.data).toMatchObject({ id: runId, status: 'cancelled' });
  });

  it('deletes a model from the list after confirming', async () => {
    await page.goto(MODELS_PATH);
    const row = page.getByRole('row').filter({ hasText: MODEL_NAME });
    await row.first().waitFor();
    await row
      .first()
      .getByRole('button', { name: `Delete ${MODEL_NAME}` })
      .click();
    const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));
    await dialog.getByText(`Delete “${MODEL_NAME}”?`).waitFor();
    await shot('15-model-delete-dialog');

    // Cancel keeps it.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await adminFetch(`/api-tokens/semantic-models/${modelId}`)).status).toBe(200);

    await row
      .first()
      .getByRole('button', { name: `Delete ${MODEL_NAME}` })
      .click();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.first().waitFor({ state: 'detached' });
    expect((await adminFetch(`/api-tokens/semantic-models/${modelId}`)).status).toBe(404);
  });
});
