/**
 * What both halves of the `subscriptions` case set up: the loopback SMTP sink (bench/smtp-sink.ts, forked), a
 * semantic model whose snapshot holds N demo sales, a plain-columns report over it, one subscription per format with
 * one recipient, an API token holding `subscriptions:execute`, the app listening on loopback, and the API trigger.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Core } from '@strapi/strapi';
import { demoSaleRows } from '../src/demo/seed';
import type { SinkMail, SinkReady } from './smtp-sink';

type Row = Record<string, unknown>;

export type Format = 'csv' | 'xlsx';
export const FIELDS = ['region', 'product', 'channel', 'amount', 'quantity', 'soldAt'];
const SOURCE = { type: 'content-type', uid: 'api::sale.sale', fields: FIELDS };
const MODEL_UID = 'plugin::api-tokens.semantic-model';
const BUILD_PAGE = 5000;

/** The recipient of a subscription: the sink tells mails apart by it. */
export const recipientOf = (label: string) => `${label}@bench.test`;

/* ------------------------------------------------------------------ the sink */

export interface Sink {
  port: number;
  /** `SMTP_*` for a boot that mails through the sink. */
  env: Record<string, string>;
  /** The next mail to `to` (one already received and not yet taken, or the next to arrive). */
  next(to: string, timeoutMs?: number): Promise<SinkMail>;
  stop(): Promise<void>;
}

export const startSink = async (): Promise<Sink> => {
  const child: ChildProcess = fork(path.join(__dirname, 'smtp-sink.ts'), [], {
    execArgv: process.execArgv.filter((flag) => flag !== '--expose-gc'),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const received: SinkMail[] = [];
  const waiting: { to: string; resolve: (mail: SinkMail) => void }[] = [];
  child.on('message', (message: SinkMail | SinkReady) => {
    if (message.type !== 'mail') return;
    const index = waiting.findIndex((wait) => message.to.includes(wait.to));
    if (index >= 0) waiting.splice(index, 1)[0].resolve(message);
    else received.push(message);
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited (${code}) before listening`)));
    child.on('message', (message: SinkMail | SinkReady) => {
      if (message.type === 'ready') resolve(message.port);
    });
  });
  child.removeAllListeners('exit');
  return {
    port,
    env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_SECURE: 'false' },
    next(to, timeoutMs = 120_000) {
      const address = to.toLowerCase();
      const index = received.findIndex((mail) => mail.to.includes(address));
      if (index >= 0) return Promise.resolve(received.splice(index, 1)[0]);
      return new Promise<SinkMail>((resolve, reject) => {
        const timer = setTimeout(() => {
          const at = waiting.findIndex((wait) => wait.resolve === done);
          if (at >= 0) waiting.splice(at, 1);
          reject(new Error(`no mail to ${address} at the sink within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (mail: SinkMail) => {
          clearTimeout(timer);
          resolve(mail);
        };
        waiting.push({ to: address, resolve: done });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await exited;
    },
  };
};

/* ------------------------------------------------------------------ the app */

/** demoSaleRows() in pages, generated as they are written: the seeding holds one page, whatever the row count. */
async function* salePages(total: number) {
  let page: Row[] = [];
  for (const sale of demoSaleRows(total)) {
    page.push(sale);
    if (page.length === BUILD_PAGE) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

export interface Fixture {
  /** The snapshot table the report reads. */
  table: string;
  /** The report's result columns (the model's six: region, product, channel, amount, quantity, soldAt). */
  columns: { name: string; type: string }[];
  reportId: string;
  reportName: string;
  /** Subscription documentId per format, each with one recipient: recipientOf(`${label}-${format}`). */
  subscriptions: Record<Format, string>;
  /** A plugin API token holding `subscriptions:execute`. */
  token: string;
}

/**
 * A model whose snapshot holds `rows` demo sales (written by the snapshots service's own build(), as reports.ts
 * does, then served as a refresh leaves it), a report of its six columns (no sort, no chart: a plain table), a
 * subscription per format (one recipient, no schedule, one attempt) and a token. Not timed.
 */
export const createFixture = async (
  strapi: Core.Strapi,
  { rows, formats, label }: { rows: number; formats: Format[]; label: string }
): Promise<Fixture> => {
  const plugin = strapi.plugin('api-tokens');
  const columns = await plugin.service('sources').get('content-type').columns(SOURCE);
  const model = await plugin.service('semantic-models').create({
    name: `bench ${label}`,
    source: SOURCE,
    refresh: { mode: 'manual' },
  });
  const modelRow = await plugin.service('semantic-models').findRow(model.documentId);
  const built = await plugin.service('snapshots').build(modelRow.id, columns, salePages(rows));
  if (built.rows !== rows) throw new Error(`snapshot: ${built.rows} rows written, ${rows} expected`);
  await strapi.db.query(MODEL_UID).update({
    where: { id: modelRow.id },
    data: { snapshotTable: built.table, columns, rowCount: rows, status: 'ready', lastRefreshedAt: new Date() },
  });

  const reportName = `Sales ${label}`;
  const report = await plugin.service('reports').create({
    name: reportName,
    semanticModel: model.documentId,
    query: { columns: FIELDS },
    chart: { type: 'table' },
  });
  const subscriptions = {} as Record<Format, string>;
  for (const format of formats) {
    const created = await plugin.service('subscriptions').create({
      name: `bench ${label} ${format}`,
      target: { type: 'report', id: report.documentId },
      recipients: [{ email: recipientOf(`${label}-${format}`) }],
      format,
      schedule: null,
      maxAttempts: 1,
      subject: `${reportName} (${format})`,
    });
    subscriptions[format] = created.documentId;
  }
  const token = await plugin
    .service('tokens')
    .create(
      { name: `bench ${label}`, scopes: ['subscriptions:execute'], expiresInDays: 1 },
      { type: 'token', id: 'bench' }
    );
  return {
    table: built.table,
    columns: columns.map(({ name, type }: { name: string; type: string }) => ({ name, type })),
    reportId: report.documentId,
    reportName,
    subscriptions,
    token: token.accessKey,
  };
};

/** Mounts the app's HTTP server on a free loopback port; returns its base URL. */
export const listen = async (strapi: Core.Strapi) => {
  strapi.server.mount();
  const httpServer = strapi.server.httpServer;
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
};

/** `POST /api/api-tokens/subscriptions/:id/runs` with the token, as an external app triggers it; the run's id. */
export const trigger = async (base: string, subscription: string, token: string): Promise<string> => {
  const res = await fetch(`${base}/api/api-tokens/subscriptions/${subscription}/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const body = (await res.json()) as { data?: { id?: string } };
  if (res.status !== 202 || !body.data?.id) throw new Error(`trigger: ${res.status} ${JSON.stringify(body)}`);
  return body.data.id;
};
