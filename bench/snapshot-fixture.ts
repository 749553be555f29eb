/** A large snapshot for the query benchmarks (`reports`, `embed`): demo sales built by the snapshots service itself. */
import type { Core } from '@strapi/strapi';
import { demoSales } from '../src/demo/seed';
import { fmt, ms, now } from './app';

export const FIELDS = ['region', 'product', 'channel', 'amount', 'quantity', 'soldAt'];
const SOURCE = { type: 'content-type', uid: 'api::sale.sale', fields: FIELDS };
const MODEL_UID = 'plugin::api-tokens.semantic-model';
const BUILD_PAGE = 5000;

type Row = Record<string, unknown>;

/** The snapshot: demoSales() rows in pages through snapshots.build(), served by a model as a refresh leaves it. */
export const buildSnapshot = async (
  strapi: Core.Strapi,
  { rows: ROWS, name, log }: { rows: number; name: string; log: (message: string) => void }
) => {
  const plugin = strapi.plugin('api-tokens');
  const columns = await plugin.service('sources').get('content-type').columns(SOURCE);
  const model = await plugin.service('semantic-models').create({
    name,
    source: SOURCE,
    refresh: { mode: 'manual' },
  });
  const row = await plugin.service('semantic-models').findRow(model.documentId);
  async function* pages() {
    let sales: ReturnType<typeof demoSales> | null = demoSales(ROWS);
    for (let i = 0; i < ROWS; i += BUILD_PAGE) yield sales.slice(i, i + BUILD_PAGE) as Row[];
    sales = null;
  }
  const start = now();
  const { table, rows } = await plugin.service('snapshots').build(row.id, columns, pages());
  await strapi.db.query(MODEL_UID).update({
    where: { id: row.id },
    data: { snapshotTable: table, columns, rowCount: rows, status: 'ready', lastRefreshedAt: new Date() },
  });
  log(`snapshot: ${rows.toLocaleString('en')} rows built in ${fmt(ms(start) / 1000)} s (${table})`);
  return plugin.service('semantic-models').findRow(model.documentId);
};
