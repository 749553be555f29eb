import type { Core } from '@strapi/strapi';

export const DEMO_SALES_COUNT = 5000;
const REGIONS = ['North', 'South', 'East', 'West'];
const CHANNELS = ['online', 'retail', 'partner'];
const PRODUCTS = ['Widget', 'Gadget', 'Gizmo', 'Doohickey', 'Sprocket', 'Thingamajig'];
const START = Date.UTC(2026, 0, 1);
const DAY_MS = 24 * 60 * 60 * 1000;

/** mulberry32: a tiny seeded PRNG, so every demo database holds the same rows. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** The demo sales one at a time, the same rows as demoSales(): for callers that page through many without holding them. */
export function* demoSaleRows(count = DEMO_SALES_COUNT) {
  const next = random(42);
  const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)];
  for (let i = 0; i < count; i += 1) {
    const quantity = 1 + Math.floor(next() * 20);
    yield {
      region: pick(REGIONS),
      product: pick(PRODUCTS),
      channel: pick(CHANNELS),
      quantity,
      amount: Math.round(quantity * (5 + next() * 95) * 100) / 100,
      soldAt: new Date(START + Math.floor(next() * 300 * DAY_MS)),
    };
  }
}

export const demoSales = (count = DEMO_SALES_COUNT) => Array.from(demoSaleRows(count));

export const seedSales = async (strapi: Core.Strapi, count = DEMO_SALES_COUNT): Promise<number> => {
  const query = strapi.db.query('api::sale.sale');
  if ((await query.count()) > 0) return 0;
  const rows = demoSales(count);
  for (let i = 0; i < rows.length; i += 500) {
    await query.createMany({ data: rows.slice(i, i + 500) });
  }
  return rows.length;
};

/** Demo products in English (the default locale) and French; `unitsSold` is a biginteger past 2^53 for one. */
export const DEMO_PRODUCTS = [
  { en: 'Chair', fr: 'Chaise', price: 49.9, unitsSold: '9007199254740993' },
  { en: 'Table', fr: 'Table', price: 199, unitsSold: '1200' },
  { en: 'Lamp', fr: 'Lampe', price: 25.5, unitsSold: '310' },
];

export const seedProducts = async (strapi: Core.Strapi): Promise<number> => {
  const locales = strapi.plugin('i18n').service('locales');
  if (!(await locales.findByCode('fr'))) await locales.create({ code: 'fr', name: 'French (fr)' });
  const products = strapi.documents('api::product.product');
  if ((await products.count({ locale: 'en' })) > 0) return 0;
  for (const { en, fr, price, unitsSold } of DEMO_PRODUCTS) {
    const { documentId } = await products.create({ locale: 'en', data: { name: en, price, unitsSold } as any });
    await products.update({ documentId, locale: 'fr', data: { name: fr, price, unitsSold } as any });
  }
  return DEMO_PRODUCTS.length;
};

export const DEMO_ADMIN = {
  email: process.env.DEMO_ADMIN_EMAIL || 'admin@example.com',
  password: process.env.DEMO_ADMIN_PASSWORD || 'Demo-admin-1',
  firstname: 'Demo',
  lastname: 'Admin',
};

const ensureDemoAdmin = async (strapi: Core.Strapi): Promise<boolean> => {
  if ((await strapi.db.query('admin::user').count()) > 0) return false;
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  await strapi.service('admin::user').create({
    ...DEMO_ADMIN,
    isActive: true,
    registrationToken: null,
    roles: [superAdmin.id],
  });
  return true;
};

/** Creates what is missing, by name; answers each one's documentId in order. */
const ensureByName = async <Body extends { name: string }>(
  service: {
    list(): Promise<{ name: string; documentId: string }[]>;
    create(body: Body): Promise<{ documentId: string }>;
  },
  bodies: Body[]
) => {
  const existing = await service.list();
  const ids: string[] = [];
  for (const body of bodies) {
    const found = existing.find((item) => item.name === body.name);
    ids.push(found ? found.documentId : (await service.create(body)).documentId);
  }
  return ids;
};

/** The demo "Sales" semantic model over the sales, refreshed nightly (and on demand). */
const ensureDemoModel = async (strapi: Core.Strapi): Promise<string> => {
  const [modelId] = await ensureByName(strapi.plugin('api-tokens').service('semantic-models'), [
    {
      name: 'Sales',
      source: {
        type: 'content-type',
        uid: 'api::sale.sale',
        fields: ['region', 'product', 'channel', 'amount', 'quantity', 'soldAt'],
      },
      refresh: { mode: 'scheduled', cron: '30 2 * * *', timezone: 'Europe/Berlin' },
    },
  ]);
  return modelId;
};

/**
 * Gives the demo model a snapshot if it has none (a refresh run, as the admin's "Refresh now" starts), so the demo
 * reports show data at once. The scheduler's worker runs it; a failure is logged and the demo goes on.
 */
const ensureSnapshot = async (strapi: Core.Strapi, modelId: string) => {
  const model = await strapi.plugin('api-tokens').service('semantic-models').findRow(modelId);
  if (model.snapshotTable) return;
  const runs = strapi.plugin('api-tokens').service('runs');
  try {
    const run = await runs.trigger({ kind: 'refresh', targetId: modelId, trigger: 'admin' });
    await runs.waitFor(run.id, 60_000);
  } catch (error) {
    strapi.log.warn(`Demo: the first refresh of "Sales" did not finish: ${(error as Error).message}`);
  }
};

const channelInput = { name: 'channel', column: 'channel', type: 'single-select' };
const regionInput = { name: 'region', column: 'region', type: 'multi-select' };
const totalAmount = { fn: 'sum', field: 'amount', as: 'total' };
/** The README's embedding example serves its host page on this origin. */
export const DEMO_EMBED = { enabled: true, allowedOrigins: ['http://localhost:3000'] };

/** The demo reports over the "Sales" model, by name. */
export const demoReports = (modelId: string) => [
  {
    name: 'Sales by region',
    semanticModel: modelId,
    query: {
      columns: ['region'],
      groupBy: ['region'],
      aggregates: [totalAmount],
      sort: [{ field: 'total', dir: 'desc' }],
    },
    chart: { type: 'bar', x: 'region', y: ['total'] },
    inputs: [channelInput, regionInput],
    embed: DEMO_EMBED,
  },
  {
    name: 'Total sales',
    semanticModel: modelId,
    query: { aggregates: [totalAmount] },
    chart: { type: 'kpi', y: ['total'] },
    inputs: [channelInput, regionInput],
  },
  {
    name: 'Monthly sales',
    semanticModel: modelId,
    query: {
      groupBy: [{ field: 'soldAt', bucket: 'month', as: 'month' }],
      aggregates: [totalAmount],
      sort: [{ field: 'month', dir: 'asc' }],
    },
    chart: { type: 'line', x: 'month', y: ['total'] },
    inputs: [channelInput, regionInput],
    timezone: 'Europe/Berlin',
  },
];

/**
 * Domo's sample embed request, with `region` in place of `State`: the body an app sends to
 * `/v1/stories/embed/auth` (or `/v1/cards/embed/auth`) for the embed `embedId`.
 */
export const demoEmbedRequest = (embedId: string) => ({
  sessionLength: 1440,
  authorizations: [
    {
      token: embedId,
      permissions: ['READ', 'FILTER', 'EXPORT'],
      filters: [{ column: 'region', operator: 'IN', values: ['North', 'East'] }],
    },
  ],
});

/** The three demo reports and the "Sales overview" dashboard that shows them. */
const ensureDemoReports = async (strapi: Core.Strapi, modelId: string) => {
  const plugin = strapi.plugin('api-tokens');
  const reports = await ensureByName(plugin.service('reports'), demoReports(modelId));
  const [byRegion, total, monthly] = reports;
  const [dashboard] = await ensureByName(plugin.service('dashboards'), [
    {
      name: 'Sales overview',
      items: [
        { report: byRegion, width: 8 },
        { report: total, width: 4 },
        { report: monthly, width: 12 },
      ],
      embed: DEMO_EMBED,
    },
  ]);
  return { reports, dashboard };
};

/**
 * "Weekly sales": the dashboard as a PDF every Monday at 08:00 in Berlin, to two recipients; the North manager's copy
 * holds only North's sales.
 */
const ensureDemoSubscription = async (strapi: Core.Strapi, dashboard: string) => {
  const [subscription] = await ensureByName(strapi.plugin('api-tokens').service('subscriptions'), [
    {
      name: 'Weekly sales',
      target: { type: 'dashboard', id: dashboard },
      recipients: [{ email: 'ops@example.com' }, { email: 'north@example.com', inputs: { region: 'North' } }],
      format: 'pdf',
      schedule: { cron: '0 8 * * 1', timezone: 'Europe/Berlin' },
      subject: 'Weekly sales',
      message: 'The sales of the week, by region and month.',
    },
  ]);
  return subscription;
};

export const runDemo = async (strapi: Core.Strapi) => {
  const seeded = await seedSales(strapi);
  await seedProducts(strapi);
  const created = await ensureDemoAdmin(strapi);
  const modelId = await ensureDemoModel(strapi);
  await ensureSnapshot(strapi, modelId);
  const { reports, dashboard } = await ensureDemoReports(strapi, modelId);
  // Its North recipient's input is checked against the snapshot, which a failed first refresh leaves missing.
  const subscription = await ensureDemoSubscription(strapi, dashboard).catch((error: Error) => {
    strapi.log.warn(`Demo: the "Weekly sales" subscription was not created: ${error.message}`);
    return '(not created)';
  });
  const url = `http://localhost:${strapi.config.get('server.port')}`;
  const embedIdOf = async (service: string, documentId: string) =>
    (await strapi.plugin('api-tokens').service(service).findOne(documentId)).embed.embedId ?? '(not enabled)';
  const cardEmbedId = await embedIdOf('reports', reports[0]);
  const storyEmbedId = await embedIdOf('dashboards', dashboard);
  const message = [
    '',
    `Demo data: ${seeded ? `seeded ${seeded} sales` : 'sales already seeded'}.`,
    `Admin panel: ${url}/admin`,
    created
      ? `Admin login: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`
      : `Admin login: the admin that already exists (the demo one is ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password})`,
    'Create an API token: Admin panel → Reporting hub → Create token, or see README.md "API tokens" for curl.',
    `Demo semantic model "Sales": ${modelId} (refresh it: POST /api/api-tokens/semantic-models/${modelId}/refreshes).`,
    `Demo reports: "Sales by region" ${reports[0]}, "Total sales" ${reports[1]}, "Monthly sales" ${reports[2]}.`,
    `Demo dashboard "Sales overview": ${dashboard} (Admin panel → Reporting hub → Dashboards).`,
    `Embed ids: card "Sales by region" ${cardEmbedId}, story "Sales overview" ${storyEmbedId} (see README.md "Embed tokens").`,
    `Demo subscription "Weekly sales": ${subscription} (mails go to .tmp/outbox/ as .eml files unless SMTP_HOST is set).`,
    '',
  ].join('\n');
  // After Strapi's start-up banner, where it is seen.
  strapi.server.httpServer.once('listening', () => setTimeout(() => strapi.log.info(message), 0));
};
