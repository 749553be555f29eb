import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Frame, Page } from 'playwright-core';
import { DEMO_ADMIN } from '../../src/demo/seed';
import {
  adminJwt,
  describeWithBrowser,
  freePort,
  launchBrowser,
  pluginAdminApi,
  reportIfDown,
  screenshot,
  startStrapiProcess,
  type StrapiProcess,
} from '../helpers/browser';
import { APP_DIR } from '../helpers/strapi';

const DATABASE = `.tmp/e2e-embeds-${process.pid}.db`;
const REPORT_NAME = '<script>alert(1)</script>';
const EVIL_PRODUCT = '"><img src=x onerror=alert(2)>';
const ALLOWED_REGIONS = ['East', 'North'];

/** An app's host page: the SDK mounts the card, with tokens from the host's own server (counted in the page). */
const hostPage = (strapiUrl: string, embedId: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Host app</title></head>
<body>
<h1>Host app</h1>
<div id="embed"></div>
<script src="${strapiUrl}/embed/sdk.js"></script>
<script>
  window.fetchCount = 0;
  ReportingHubEmbed.mount(document.getElementById('embed'), {
    embedUrl: '${strapiUrl}/embed/cards/${embedId}',
    height: '760px',
    fetchToken: async () => {
      window.fetchCount += 1;
      const res = await fetch('/embed-token', { method: 'POST' });
      const { authentication } = await res.json();
      window.fetchedCount = (window.fetchedCount || 0) + 1;
      return authentication;
    },
  });
</script>
</body></html>`;

/** `read()` once it satisfies `done`, or its last value after `timeoutMs`. */
const eventually = async <Value>(
  read: () => Promise<Value> | Value,
  done: (value: Value) => boolean,
  timeoutMs: number
) => {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
};

describeWithBrowser()('Embedded card through the SDK (browser)', () => {
  let strapi: StrapiProcess | undefined;
  let browser: Browser | undefined;
  let hosts: Server[] = [];
  let embedId = '';
  let apiToken = '';
  /** Every token the host's server minted, oldest first. */
  const minted: string[] = [];

  const adminApi = pluginAdminApi(() => strapi!.url, DEMO_ADMIN);

  const json = async (res: Response, status: number) => {
    if (res.status !== status) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  /** A tiny host app on its own loopback port: its page, and an endpoint minting tokens server-side. */
  const startHost = async (): Promise<string> => {
    const port = await freePort();
    const server = createServer((req, res) => {
      if (req.method === 'POST' && req.url === '/embed-token') {
        fetch(`${strapi!.url}/v1/cards/embed/auth`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json; charset=utf-8' },
          body: JSON.stringify({
            authorizations: [
              {
                token: embedId,
                permissions: ['READ', 'FILTER', 'EXPORT'],
                filters: [{ column: 'region', operator: 'IN', values: ALLOWED_REGIONS }],
              },
            ],
          }),
        })
          .then(async (answer) => {
            const body = await answer.json();
            if (answer.status === 201) minted.push(body.authentication);
            res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
          })
          .catch((error) => res.writeHead(502).end(String(error)));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(hostPage(strapi!.url, embedId));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    hosts.push(server);
    return `http://127.0.0.1:${port}`;
  };

  /** The (region, product) groups the card must show: straight from the app's sales table. */
  const groupsInDatabase = (channel?: string) => {
    const db = new Database(path.join(APP_DIR, DATABASE), { readonly: true });
    try {
      db.pragma('busy_timeout = 5000');
      const rows = db
        .prepare(
          `SELECT DISTINCT region, product FROM sales WHERE region IN (?, ?) ${channel ? 'AND channel = ?' : ''}`
        )
        .all(...ALLOWED_REGIONS, ...(channel ? [channel] : [])) as { region: string; product: string }[];
      return rows.map((row) => `${row.region}|${row.product}`).sort();
    } finally {
      db.close();
    }
  };

  const viewerFrame = async (page: Page): Promise<Frame> => {
    const handle = await page.locator('#embed iframe').elementHandle();
    const frame = await handle!.contentFrame();
    if (!frame) throw new Error('no viewer frame');
    return frame;
  };

  const tableGroups = (frame: Frame) =>
    frame
      .locator('.embed-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => {
          const cells = Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '');
          return `${cells[0]}|${cells[1]}`;
        })
      )
      .then((groups) => groups.sort());

  beforeAll(async () => {
    strapi = await startStrapiProcess({
      databaseFilename: DATABASE,
      env: {
        DEMO: 'true',
        DEMO_ADMIN_EMAIL: DEMO_ADMIN.email,
        DEMO_ADMIN_PASSWORD: DEMO_ADMIN.password,
        // exp − iat = 60 s: the SDK refreshes within the test.
        EMBED_MAX_SESSION_MINUTES: '1',
      },
      timeoutMs: 180_000,
    });
    // A sale whose product is markup, before the model's snapshot is taken.
    const jwt = await adminJwt(strapi.url, DEMO_ADMIN);
    await json(
      await fetch(`${strapi.url}/content-manager/collection-types/api::sale.sale`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${jwt}` },
        body: JSON.stringify({
          region: 'North',
          product: EVIL_PRODUCT,
          channel: 'online',
          amount: 10,
          quantity: 1,
          soldAt: '2026-03-01T00:00:00.000Z',
        }),
      }),
      201
    );
    const model = await json(
      await adminApi('/semantic-models', {
        method: 'POST',
        body: {
          name: 'E2E embedded sales',
          source: {
            type: 'content-type',
            uid: 'api::sale.sale',
            fields: ['region', 'product', 'channel', 'amount'],
          },
          refresh: { mode: 'manual' },
        },
      }),
      201
    );
    const run = await json(
      await adminApi(`/semantic-models/${model.data.documentId}/refresh`, { method: 'POST' }),
      202
    );
    for (let status = ''; status !== 'succeeded'; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await json(await adminApi(`/runs/${run.data.id}`), 200)).data.status;
      if (status === 'failed' || status === 'cancelled') throw new Error(`the refresh ${status}`);
    }
    apiToken = (
      await json(
        await adminApi('/tokens', {
          method: 'POST',
          body: { name: 'E2E host app', scopes: ['embed-tokens:create'], expiresInDays: 30 },
        }),
        201
      )
    ).data.accessKey;
    browser = await launchBrowser();
  }, 300_000);

  afterEach(() => reportIfDown(strapi));

  afterAll(async () => {
    await Promise.all(hosts.map((server) => new Promise((resolve) => server.close(resolve))));
    await browser?.close();
    await strapi?.stop();
  }, 60_000);

  it('shows the card with only the allowed rows, escapes everything, and refreshes its token before expiry', async () => {
    const hostOrigin = await startHost();
    const report = await json(
      await adminApi('/reports', {
        method: 'POST',
        body: {
          name: REPORT_NAME,
          semanticModel: (await json(await adminApi('/semantic-models'), 200)).data.find(
            (model: { name: string }) => model.name === 'E2E embedded sales'
          ).documentId,
          query: {
            columns: ['region', 'product'],
            groupBy: ['region', 'product'],
            aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }],
            sort: [
              { field: 'region', dir: 'asc' },
              { field: 'product', dir: 'asc' },
            ],
          },
          chart: { type: 'bar', x: 'product', y: ['total'] },
          inputs: [{ name: 'channel', column: 'channel', type: 'single-select' }],
          embed: { enabled: true, allowedOrigins: [hostOrigin] },
        },
      }),
      201
    );
    embedId = report.data.embed.embedId;

    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const dialogs: string[] = [];
    const violations: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });

    await page.goto(hostOrigin);
    const frame = await viewerFrame(page);
    await frame.locator('.embed-table tbody tr').first().waitFor();
    // The chart is drawn (ECharts' canvas), and the table holds exactly the allowed groups.
    await frame.locator('.embed-chart canvas').first().waitFor();
    const allowed = groupsInDatabase();
    expect(allowed).toContain(`North|${EVIL_PRODUCT}`);
    expect(await tableGroups(frame)).toEqual(allowed);
    // Names and values are text: the title and the markup product show as written, nothing ran or was injected.
    expect(await frame.locator('h1').textContent()).toBe(REPORT_NAME);
    expect(await frame.getByText(EVIL_PRODUCT, { exact: true }).count()).toBeGreaterThan(0);
    expect(await frame.locator('img').count()).toBe(0);
    expect(await frame.locator('script:not([src])').evaluateAll((list) => list.map((s) => s.id))).toEqual([
      'embed-config',
    ]);
    // The token is gone from the page once read: not in the DOM, a cookie or storage.
    const leftovers = await frame.evaluate(() => ({
      token: document.getElementById('embed-token'),
      html: document.documentElement.outerHTML,
      cookie: document.cookie,
      storage: localStorage.length + sessionStorage.length,
      url: location.href,
    }));
    expect(leftovers.token).toBeNull();
    expect(leftovers.html).not.toContain(minted[0]);
    expect(leftovers.cookie).toBe('');
    expect(leftovers.storage).toBe(0);
    expect(leftovers.url).not.toContain(minted[0]);
    await screenshot(page, 'embed-viewer-card');

    // Export (the token grants EXPORT): a download of the same rows, by a form POST of the token.
    const downloading = page.waitForEvent('download');
    await frame.getByRole('button', { name: 'Export CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const lines = readFileSync((await download.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('region,product,total');
    expect(lines.length - 1).toBe(allowed.length);
    expect(new Set(lines.slice(1).map((line) => line.split(',')[0]))).toEqual(new Set(ALLOWED_REGIONS));

    // A viewer filter (FILTER is granted) narrows the table; asking for a region outside the token shows nothing.
    await frame.locator('select[name="filter-column"]').selectOption('region');
    await frame.locator('select[name="filter-operator"]').selectOption('EQUALS');
    await frame.locator('input[name="filter-values"]').fill('North');
    await frame.getByRole('button', { name: 'Filter', exact: true }).click();
    const north = allowed.filter((group) => group.startsWith('North|'));
    expect(
      await eventually(
        () => tableGroups(frame),
        (groups) => JSON.stringify(groups) === JSON.stringify(north),
        10_000
      )
    ).toEqual(north);
    await frame.getByRole('button', { name: 'Clear filters' }).click();
    await frame.locator('input[name="filter-values"]').fill('South');
    await frame.getByRole('button', { name: 'Filter', exact: true }).click();
    expect(
      await eventually(
        () => tableGroups(frame),
        (groups) => groups.length === 0,
        10_000
      )
    ).toEqual([]);
    await frame.getByRole('button', { name: 'Clear filters' }).click();
    expect(
      await eventually(
        () => tableGroups(frame),
        (groups) => JSON.stringify(groups) === JSON.stringify(allowed),
        10_000
      )
    ).toEqual(allowed);

    // exp − iat is 60 s: the SDK asks for a second token before the first expires and hands it over.
    await page.waitForFunction(() => (window as unknown as { fetchedCount: number }).fetchedCount >= 2, undefined, {
      timeout: 60_000,
      polling: 250,
    });
    // The SDK posts the new token to the frame once fetchToken() has answered; let the frame take it.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(minted.length).toBeGreaterThanOrEqual(2);
    // With the first token revoked, the viewer still loads data: it uses the new one.
    const [, payload] = minted[0].split('.');
    const { jti } = JSON.parse(Buffer.from(payload, 'base64url').toString());
    await json(
      await fetch(`${strapi!.url}/api/api-tokens/embed-tokens/revoke`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ jti }),
      }),
      200
    );
    const loaded = page.waitForResponse((res) => res.url().endsWith(`/embed/cards/${embedId}/data`));
    await frame.locator('select[name="channel"]').selectOption('retail');
    expect((await loaded).status()).toBe(200);
    const retail = groupsInDatabase('retail');
    expect(
      await eventually(
        () => tableGroups(frame),
        (groups) => JSON.stringify(groups) === JSON.stringify(retail),
        10_000
      )
    ).toEqual(retail);
    expect(retail).not.toEqual(allowed);
    await screenshot(page, 'embed-viewer-refreshed');

    expect(dialogs).toEqual([]);
    expect(await frame.locator('img').count()).toBe(0);
    expect(violations).toEqual([]);
    await context.close();
  }, 120_000);

  it('is refused framing by a page whose origin is not allowed', async () => {
    const otherOrigin = await startHost();
    const context = await browser!.newContext();
    const page = await context.newPage();
    const messages: string[] = [];
    page.on('console', (message) => messages.push(message.text()));
    const viewerAnswered = page.waitForResponse((res) => res.url().endsWith(`/embed/cards/${embedId}`));
    await page.goto(otherOrigin);
    // The server answers the viewer page (the token is good); the browser refuses to show it in this frame.
    expect((await viewerAnswered).status()).toBe(200);
    expect(
      await eventually(
        () => messages.some((text) => /frame-ancestors/.test(text)),
        (found) => found,
        15_000
      )
    ).toBe(true);
    const frame = await viewerFrame(page);
    expect(await frame.locator('.embed-table').count()).toBe(0);
    await screenshot(page, 'embed-viewer-refused');
    await context.close();
  }, 60_000);

  it("shows a story's cards in a grid, each drawn with its chart and table", async () => {
    const dashboards = (await json(await adminApi('/dashboards'), 200)).data as { documentId: string; name: string }[];
    const overview = dashboards.find((dashboard) => dashboard.name === 'Sales overview')!;
    const updated = await json(
      await adminApi(`/dashboards/${overview.documentId}`, { method: 'PUT', body: { embed: { enabled: true } } }),
      200
    );
    const storyId = updated.data.embed.embedId;
    const minted = await json(
      await fetch(`${strapi!.url}/v1/stories/embed/auth`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          authorizations: [
            {
              token: storyId,
              permissions: ['READ'],
              filters: [{ column: 'region', operator: 'IN', values: ['West'] }],
            },
          ],
        }),
      }),
      201
    );
    const context = await browser!.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    // Domo's flow: a form POST of embedToken to the story's page.
    await page.setContent(
      `<form method="POST" action="${strapi!.url}/embed/pages/${storyId}"><input type="hidden" name="embedToken"></form>`
    );
    await page.locator('input[name="embedToken"]').evaluate((input, token) => {
      (input as HTMLInputElement).value = token;
      (input as HTMLInputElement).form!.submit();
    }, minted.authentication);
    await page.waitForURL(`${strapi!.url}/embed/pages/${storyId}`);
    const cards = page.locator('.embed-card');
    await cards.nth(2).locator('.embed-table tbody tr').first().waitFor();
    expect(await cards.count()).toBe(updated.data.items.length);
    expect(await page.locator('.embed-chart canvas').count()).toBeGreaterThanOrEqual(2);
    // "Sales by region" holds West only; no FILTER, no EXPORT: neither control is offered.
    const regions = await cards
      .nth(0)
      .locator('tbody tr td:first-child')
      .evaluateAll((cells) => cells.map((cell) => cell.textContent));
    expect(regions).toEqual(['West']);
    expect(await page.getByRole('button', { name: 'Export CSV' }).count()).toBe(0);
    expect(await page.locator('select[name="filter-column"]').count()).toBe(0);
    await screenshot(page, 'embed-viewer-story');
    await context.close();
  }, 60_000);
});
