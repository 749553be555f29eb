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
import { startSmtpServer, type ReceivedMail, type SmtpTestServer } from '../helpers/smtp';

const DATABASE = `.tmp/e2e-subscriptions-${process.pid}.db`;
const SUBSCRIPTIONS_PATH = '/admin/plugins/api-tokens/subscriptions';
const RUNS_PATH = '/admin/plugins/api-tokens/runs';
const MODEL_NAME = 'E2E subscription sales';
const REPORT_NAME = 'E2E totals by region';
const SUBSCRIPTION_NAME = 'E2E weekly totals';
const SUBJECT = 'Weekly totals by region';
const EVERYONE = 'ops@example.com';
const NORTH = 'north.manager@example.com';

/** The data rows of a mailed CSV (its BOM and header dropped), as `region,total` lines. */
const csvRowsOf = (mail: ReceivedMail): string[][] => {
  const attachment = mail.parsed.attachments.find((candidate) => candidate.filename?.endsWith('.csv'));
  if (!attachment) throw new Error(`no CSV attachment in the mail to ${mail.recipients.join(', ')}`);
  const [header, ...rows] = attachment.content
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean);
  expect(header.split(',')).toEqual(['region', 'total']);
  return rows.map((row) => row.split(','));
};

describeWithBrowser()('Subscription screens (browser)', () => {
  let strapi: StrapiProcess | undefined;
  let browser: Browser | undefined;
  let smtp: SmtpTestServer | undefined;
  let page: Page;
  let modelId = '';
  let subscriptionId = '';

  const shot = (name: string) => screenshot(page, name);

  const adminApi = pluginAdminApi(() => strapi!.url, DEMO_ADMIN);

  const created = async (route: string, body: unknown): Promise<string> => {
    const res = await adminApi(route, { method: 'POST', body });
    if (res.status !== 201) throw new Error(`POST ${route} answered ${res.status}: ${await res.text()}`);
    return (await res.json()).data.documentId;
  };

  /** Refreshes the model and waits for its run to succeed, so the report has data and its input has options. */
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

  /** Picks an option of a design-system select (the options open in a portal). */
  const pick = async (select: Locator, option: string) => {
    await select.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ({ strapi, browser, page } = await startDemoSession(DATABASE, DEMO_ADMIN, smtp.env));
    modelId = await created('/semantic-models', {
      name: MODEL_NAME,
      source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'channel', 'amount'] },
      refresh: { mode: 'manual' },
    });
    await refreshModel(modelId);
    await created('/reports', {
      name: REPORT_NAME,
      semanticModel: modelId,
      query: {
        groupBy: ['region'],
        aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }],
        sort: [{ field: 'region', dir: 'asc' }],
      },
      chart: { type: 'bar', x: 'region', y: ['total'] },
      inputs: [{ name: 'region', column: 'region', type: 'single-select' }],
    });
  }, 300_000);

  afterEach(() => reportIfDown(strapi));

  afterAll(async () => {
    await browser?.close();
    await strapi?.stop();
    await smtp?.close();
  }, 60_000);

  it('creates a subscription with two recipients, one with their own input, and shows the server’s field errors', async () => {
    await page.goto('/admin/plugins/api-tokens');
    await page
      .getByRole('navigation', { name: 'Reporting hub' })
      .getByRole('link', { name: 'Subscriptions', exact: true })
      .click();
    await page.waitForURL(`**${SUBSCRIPTIONS_PATH}`);
    await page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
    await dismissBanners(page);

    await page.getByRole('link', { name: 'Create subscription' }).first().click();
    await page.waitForURL(`**${SUBSCRIPTIONS_PATH}/new`);
    await page.getByRole('heading', { name: 'Create a subscription' }).waitFor();

    await page.getByRole('textbox', { name: /^Name/ }).fill(SUBSCRIPTION_NAME);
    await pick(page.getByRole('combobox', { name: /^Report/ }), REPORT_NAME);
    await pick(page.getByRole('combobox', { name: /^Format/ }), 'CSV');
    await page.getByRole('textbox', { name: /^Subject/ }).fill(SUBJECT);
    // One channel (email) is registered: there is nothing to choose.
    expect(await page.getByRole('combobox', { name: /^Channel/ }).count()).toBe(0);

    // The report's input gets a control for the whole subscription, its options from the model.
    await page.getByTestId('input-region').first().waitFor();

    await page
      .getByTestId('recipient-0')
      .getByRole('textbox', { name: /^Email/ })
      .fill(EVERYONE);
    await page.getByRole('button', { name: 'Add a recipient' }).click();
    const second = page.getByTestId('recipient-1');
    // The same address in other case: the server refuses it and names the row.
    await second.getByRole('textbox', { name: /^Email/ }).fill(EVERYONE.toUpperCase());
    await second.getByRole('checkbox', { name: /Own input values/ }).click();
    await second.getByRole('combobox', { name: /^region/ }).click();
    await expect(page.getByRole('option').allInnerTexts()).resolves.toEqual(['East', 'North', 'South', 'West']);
    await page.getByRole('option', { name: 'North', exact: true }).click();

    // A weekly schedule, with the next runs the server computes.
    await page.getByRole('checkbox', { name: /Send on a schedule/ }).click();
    await expect(page.getByRole('textbox', { name: /^Cron expression/ }).inputValue()).resolves.toBe('0 8 * * 1');
    await page.getByTestId('schedule-preview-list').locator('li').nth(4).waitFor();
    await expect(page.getByTestId('cron-description').textContent()).resolves.toBe('At 08:00, only on Monday (UTC)');

    await page.getByRole('button', { name: 'Create subscription' }).click();
    const duplicate = second.getByText(/recipients\[1\]\.email repeats recipients\[0\]\.email/);
    await duplicate.waitFor();
    await expect(second.getByRole('textbox', { name: /^Email/ }).getAttribute('aria-invalid')).resolves.toBe('true');
    await page.setViewportSize({ width: 1440, height: 2200 });
    await shot('40-subscription-editor-error');
    await page.setViewportSize({ width: 1440, height: 900 });

    await second.getByRole('textbox', { name: /^Email/ }).fill(NORTH);
    await duplicate.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Create subscription' }).click();
    await page.waitForURL(new RegExp(`${SUBSCRIPTIONS_PATH}/(?!new$)[A-Za-z0-9]+$`));
    subscriptionId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: SUBSCRIPTION_NAME }).waitFor();

    const saved = (await (await adminApi(`/subscriptions/${subscriptionId}`)).json()).data;
    expect(saved).toMatchObject({
      name: SUBSCRIPTION_NAME,
      target: { type: 'report' },
      targetName: REPORT_NAME,
      format: 'csv',
      channel: 'email',
      subject: SUBJECT,
      recipients: [{ email: EVERYONE }, { email: NORTH, inputs: { region: 'North' } }],
      schedule: { cron: '0 8 * * 1', timezone: 'UTC' },
      enabled: true,
    });
    expect(saved.recipients[0].inputs ?? {}).toEqual({});
    expect(saved.nextRunAt).toEqual(expect.any(String));
  });

  it('sends it now and shows the run succeed with each recipient’s outcome', async () => {
    await page.goto(`${SUBSCRIPTIONS_PATH}/${subscriptionId}`);
    await page.getByRole('heading', { name: SUBSCRIPTION_NAME }).waitFor();
    const outcomes = page.getByTestId('outcomes');
    await outcomes.getByText('Not sent yet.', { exact: false }).waitFor();
    await page.getByTestId('subscription-recipients').getByText(NORTH).waitFor();
    expect(smtp!.messages).toHaveLength(0);

    await page.getByRole('button', { name: 'Send now' }).click();
    await page.locator('[data-testid="outcomes"][data-run-status="succeeded"]').waitFor({ timeout: 60_000 });
    const deliveries = page.getByTestId('deliveries-table');
    for (const email of [EVERYONE, NORTH]) {
      const row = deliveries.locator(`tr[data-delivery="${email}"]`);
      await row.getByText('Sent', { exact: true }).waitFor();
      await expect(row.getAttribute('data-status')).resolves.toBe('sent');
      // Attempts, then the SMTP server's answer.
      await expect(row.locator('td').nth(2).innerText()).resolves.toBe('1');
      await expect(row.locator('td').nth(3).innerText()).resolves.toMatch(/^250\b/);
    }
    await expect(deliveries.locator('tbody tr').count()).resolves.toBe(2);
    const historyRow = page.getByTestId('run-history').getByRole('row').filter({ hasText: 'Succeeded' });
    await historyRow.getByText('2 sent · 0 failed', { exact: true }).waitFor();
    await expect(historyRow.getAttribute('aria-selected')).resolves.toBe('true');
    await page.setViewportSize({ width: 1440, height: 1800 });
    await shot('41-subscription-sent');
    await page.setViewportSize({ width: 1440, height: 900 });

    // Each recipient got one mail: the whole report, and the North manager only the North row.
    await smtp!.waitForMessages(2);
    const [everyone] = smtp!.messagesTo(EVERYONE);
    const [north] = smtp!.messagesTo(NORTH);
    expect(smtp!.messagesTo(EVERYONE)).toHaveLength(1);
    expect(smtp!.messagesTo(NORTH)).toHaveLength(1);
    expect(everyone.parsed.subject).toBe(SUBJECT);
    expect(csvRowsOf(everyone).map(([region]) => region)).toEqual(['East', 'North', 'South', 'West']);
    expect(csvRowsOf(north).map(([region]) => region)).toEqual(['North']);

    const recorded = (await (await adminApi(`/subscriptions/${subscriptionId}/deliveries`)).json()).data;
    expect(
      recorded.map((delivery: { email: string; status: string }) => [delivery.email, delivery.status]).sort()
    ).toEqual(
      [
        [NORTH, 'sent'],
        [EVERYONE, 'sent'],
      ].sort()
    );

    // The list shows its last run, its schedule in words and when it runs next.
    await page.goto(SUBSCRIPTIONS_PATH);
    const row = page.locator(`tr[data-subscription="${subscriptionId}"]`);
    await row.getByText('Succeeded', { exact: true }).waitFor();
    await row.getByText('CSV', { exact: true }).waitFor();
    await row.getByText('Enabled', { exact: true }).waitFor();
    await expect(row.getByTestId('cron-description').textContent()).resolves.toBe('At 08:00, only on Monday (UTC)');
    await expect(row.getByTestId('next-run').textContent()).resolves.toMatch(
      /^in \d+ (days?|hours?|minutes?)$|^tomorrow$|^next week$/
    );
    await shot('42-subscriptions-list');
  });

  it('lists every kind of run on the Runs page, filtered by kind, with links to their targets', async () => {
    await page.goto('/admin/plugins/api-tokens');
    await page
      .getByRole('navigation', { name: 'Reporting hub' })
      .getByRole('link', { name: 'Runs', exact: true })
      .click();
    await page.waitForURL(`**${RUNS_PATH}`);
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
    const list = page.getByTestId('runs-list');
    const kinds = () =>
      list.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')));
    await list.locator('tbody tr').first().waitFor();
    await expect(kinds()).resolves.toEqual(expect.arrayContaining(['refresh', 'subscription']));

    await pick(page.getByRole('combobox', { name: /^Kind/ }), 'Subscription');
    await page.waitForURL(/[?&]kind=subscription\b/);
    const subscriptionRuns = (await (await adminApi('/runs?kind=subscription')).json()).meta.pagination.total;
    await list.getByText(`${subscriptionRuns} run${subscriptionRuns === 1 ? '' : 's'}`, { exact: true }).waitFor();
    await expect(kinds()).resolves.toEqual(Array(subscriptionRuns).fill('subscription'));
    await list.getByRole('link', { name: SUBSCRIPTION_NAME }).waitFor();
    await shot('43-runs-subscriptions');

    await pick(page.getByRole('combobox', { name: /^Kind/ }), 'Model refresh');
    await page.waitForURL(/[?&]kind=refresh\b/);
    await list.getByRole('link', { name: MODEL_NAME }).first().waitFor();
    const refreshKinds = await kinds();
    expect(refreshKinds.length).toBeGreaterThan(0);
    expect(new Set(refreshKinds)).toEqual(new Set(['refresh']));

    // Status narrows it further: no refresh failed here.
    await pick(page.getByRole('combobox', { name: /^Status/ }), 'Failed');
    await list.getByText('No runs match these filters.').waitFor();

    // Back to the subscription's runs: its link opens the subscription.
    await page.goto(`${RUNS_PATH}?kind=subscription`);
    await list.getByRole('link', { name: SUBSCRIPTION_NAME }).first().click();
    await page.waitForURL(`**${SUBSCRIPTIONS_PATH}/${subscriptionId}`);
    await page.getByRole('heading', { name: SUBSCRIPTION_NAME }).waitFor();
  });
});
