import { demoReports, demoSales, seedSales } from '../../src/demo/seed';
import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';
import { expectFieldError } from '../helpers/field-errors';

const SALES = 400;
const FIELDS = ['region', 'channel', 'product', 'amount', 'quantity', 'soldAt'];
const CHANNELS = ['online', 'partner', 'retail'];
const REGIONS = ['East', 'North', 'South', 'West'];

const salesModel = (name: string, fields = FIELDS) => ({
  name,
  source: { type: 'content-type', uid: 'api::sale.sale', fields },
  refresh: { mode: 'manual' },
});

type Sale = ReturnType<typeof demoSales>[number];

/** Sums of the seeded sales, computed in JS: what the database must answer. */
const sumBy = (key: (sale: Sale) => string | null, sales = demoSales(SALES)) => {
  const sums = new Map<string, number>();
  for (const sale of sales) {
    const group = key(sale);
    if (group !== null) sums.set(group, (sums.get(group) ?? 0) + sale.amount);
  }
  return sums;
};

/** The total amount of the seeded sales that `keep` keeps. */
const totalOf = (keep: (sale: Sale) => boolean = () => true) =>
  demoSales(SALES)
    .filter(keep)
    .reduce((sum, sale) => sum + sale.amount, 0);

/** The `channel` single-select as the inputs routes answer it. */
const channelOptions = (extra: object = {}) => ({
  name: 'channel',
  column: 'channel',
  type: 'single-select',
  default: null,
  required: false,
  options: CHANNELS,
  ...extra,
});

const byRegion = (extra: object = {}) => ({
  name: 'By region',
  query: {
    columns: ['region'],
    groupBy: ['region'],
    aggregates: [
      { fn: 'sum', field: 'amount', as: 'total' },
      { fn: 'count', as: 'sales' },
    ],
    sort: [{ field: 'region', dir: 'asc' }],
  },
  chart: { type: 'bar', x: 'region', y: ['total'] },
  inputs: [{ name: 'channel', column: 'channel', type: 'single-select' }],
  ...extra,
});

const kpi = (extra: object = {}) => ({
  name: 'Total',
  query: { aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }] },
  chart: { type: 'kpi', y: ['total'] },
  ...extra,
});

export const reportSuite = (database: Database) =>
  describeOnDatabase(database)(`reports and dashboards on ${database}`, () => {
    let app: TestApp;
    /** The "Sales" model, refreshed once. */
    let model: string;
    let names = 0;
    const unique = (name: string) => `${name} ${(names += 1)}`;

    const post = async (path: string, body: object, agent = app.admin) => {
      const res = await agent.post(path).send(body);
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data;
    };
    const createReport = (body: object, agent = app.admin) =>
      post(
        '/api-tokens/reports',
        { semanticModel: model, ...body, name: unique((body as any).name ?? 'Report') },
        agent
      );
    const createModel = (body: object) => post('/api-tokens/semantic-models', body);
    const refresh = (documentId: string) =>
      app.strapi.plugin('api-tokens').service('semantic-models').refresh(documentId);
    const data = (id: string, query = '') => app.admin.get(`/api-tokens/reports/${id}/data${query}`);
    const totals = (rows: { region: string; total: number }[]) =>
      Object.fromEntries(rows.map((row) => [row.region, row.total]));
    const expectTotals = (rows: { region: string; total: number }[], expected: Map<string, number>) => {
      expect(rows.map((row) => row.region)).toEqual([...expected.keys()].sort());
      for (const [region, total] of Object.entries(totals(rows))) expect(total).toBeCloseTo(expected.get(region)!, 2);
    };

    beforeAll(async () => {
      app = await startStrapi({ database, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
      await seedSales(app.strapi, SALES);
      model = (await createModel(salesModel('Sales'))).documentId;
      await refresh(model);
    });
    afterAll(async () => {
      await app?.stop();
    });

    describe('access', () => {
      it('refuses anonymous callers, and admins without the actions (403 without reports.read)', async () => {
        const report = await createReport(kpi());
        expect((await app.anonymous().get('/api-tokens/reports')).status).toBe(401);
        const editor = await app.adminWithRole('strapi-editor');
        expect((await editor.get('/api-tokens/reports')).status).toBe(403);
        expect((await editor.get(`/api-tokens/reports/${report.documentId}/data`)).status).toBe(403);
        expect((await editor.post('/api-tokens/report-preview').send(kpi({ semanticModel: model }))).status).toBe(403);
        expect((await editor.get('/api-tokens/dashboards')).status).toBe(403);

        // A role that reads dashboards but not reports.
        const roles = app.strapi.service('admin::role') as any;
        const role = await roles.create({ name: 'dashboard-viewer', code: 'dashboard-viewer', description: 'test' });
        await roles.assignPermissions(role.id, [
          { action: 'plugin::api-tokens.dashboards.read', subject: null, properties: {}, conditions: [] },
        ]);
        const viewer = await app.adminWithRole('dashboard-viewer');
        await viewer.get('/api-tokens/dashboards').expect(200);
        expect((await viewer.get('/api-tokens/reports')).status).toBe(403);
        expect((await viewer.get(`/api-tokens/reports/${report.documentId}`)).status).toBe(403);
        expect((await viewer.get(`/api-tokens/reports/${report.documentId}/inputs`)).status).toBe(403);
        expect((await viewer.post('/api-tokens/reports').send(kpi({ semanticModel: model }))).status).toBe(403);
      });

      it("refuses, with the model's 403, an admin who may not read the source's fields", async () => {
        const report = await createReport(byRegion());
        const roles = app.strapi.service('admin::role') as any;
        const role = await roles.create({ name: 'regions-only', code: 'regions-only', description: 'test' });
        await roles.assignPermissions(role.id, [
          ...['read', 'create', 'update', 'delete'].map((verb) => ({
            action: `plugin::api-tokens.reports.${verb}`,
            subject: null,
            properties: {},
            conditions: [],
          })),
          {
            action: 'plugin::content-manager.explorer.read',
            subject: 'api::sale.sale',
            properties: { fields: ['region'] },
            conditions: [],
          },
        ]);
        const agent = await app.adminWithRole('regions-only');
        const denied = { status: 403, name: 'PolicyError', details: { code: 'SOURCE_FIELD_FORBIDDEN' } };
        const id = report.documentId;
        expect((await agent.get(`/api-tokens/reports/${id}/data`)).body.error).toMatchObject(denied);
        expect((await agent.get(`/api-tokens/reports/${id}/inputs`)).body.error).toMatchObject(denied);
        expect((await agent.put(`/api-tokens/reports/${id}`).send({ name: 'Mine' })).body.error).toMatchObject(denied);
        const body = { ...byRegion(), name: 'Denied', semanticModel: model };
        expect((await agent.post('/api-tokens/reports').send(body)).body.error).toMatchObject(denied);
        expect((await agent.post('/api-tokens/report-preview').send(body)).body.error).toMatchObject(denied);
        // The report's definition stays visible; its rows do not.
        await agent.get(`/api-tokens/reports/${id}`).expect(200);
      });
    });

    describe('reports', () => {
      it('creates, reads, lists, renames and deletes a report; names are unique regardless of case', async () => {
        const report = await createReport(byRegion({ name: 'Crud' }));
        expect(report).toMatchObject({
          semanticModel: model,
          chart: { type: 'bar', x: 'region', y: ['total'] },
          inputs: [{ name: 'channel', column: 'channel', type: 'single-select' }],
          timezone: null,
          embed: { enabled: false, allowedOrigins: [], embedId: null },
        });
        expect(report.query.aggregates).toHaveLength(2);
        expectFieldError(
          await app.admin
            .post('/api-tokens/reports')
            .send({ ...byRegion(), name: report.name.toUpperCase(), semanticModel: model }),
          'name'
        );
        const found = await app.admin.get(`/api-tokens/reports/${report.documentId}`).expect(200);
        expect(found.body.data).toEqual(report);
        const renamed = await app.admin
          .put(`/api-tokens/reports/${report.documentId}`)
          .send({ name: 'Crud renamed', chart: { type: 'table' } })
          .expect(200);
        expect(renamed.body.data).toMatchObject({
          name: 'Crud renamed',
          chart: { type: 'table' },
          query: report.query,
        });
        const list = await app.admin.get('/api-tokens/reports').expect(200);
        expect(list.body.data.map((r: any) => r.name)).toContain('Crud renamed');
        await app.admin.delete(`/api-tokens/reports/${report.documentId}`).expect(200);
        expect((await app.admin.get(`/api-tokens/reports/${report.documentId}`)).status).toBe(404);
        expect((await data(report.documentId)).status).toBe(404);
      });

      it('answers its data by page: columns, rows and pagination (pageSize at most 1000)', async () => {
        const report = await createReport({
          query: {
            columns: ['region', 'channel'],
            groupBy: ['region', 'channel'],
            aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }],
            sort: [
              { field: 'region', dir: 'asc' },
              { field: 'channel', dir: 'asc' },
            ],
          },
          chart: { type: 'table' },
        });
        const first = await data(report.documentId, '?pageSize=5').expect(200);
        expect(first.body.data.columns).toEqual([
          { name: 'region', type: 'string' },
          { name: 'channel', type: 'string' },
          { name: 'total', type: 'float' },
        ]);
        expect(first.body.meta.pagination).toEqual({ page: 1, pageSize: 5, pageCount: 3, total: 12 });
        expect(first.body.data.rows).toHaveLength(5);
        const last = await data(report.documentId, '?page=3&pageSize=5').expect(200);
        expect(last.body.data.rows.map((row: any) => `${row.region}/${row.channel}`)).toEqual([
          'West/partner',
          'West/retail',
        ]);
        const expected = sumBy((sale) => `${sale.region}/${sale.channel}`);
        const all = (await data(report.documentId).expect(200)).body;
        expect(all.meta.pagination).toEqual({ page: 1, pageSize: 100, pageCount: 1, total: 12 });
        for (const row of all.data.rows)
          expect(row.total).toBeCloseTo(expected.get(`${row.region}/${row.channel}`)!, 2);

        expectFieldError(await data(report.documentId, '?pageSize=1001'), 'pageSize');
        expectFieldError(await data(report.documentId, '?page=0'), 'page');
        expect((await data(report.documentId, '?sort=region')).status).toBe(400);
      });

      it("offers each input's options from the snapshot and filters by its value", async () => {
        const report = await createReport(
          byRegion({
            inputs: [
              { name: 'channel', column: 'channel', type: 'single-select' },
              { name: 'regions', column: 'region', type: 'multi-select', default: ['North', 'South'] },
            ],
          })
        );
        const inputs = await app.admin.get(`/api-tokens/reports/${report.documentId}/inputs`).expect(200);
        expect(inputs.body.data).toEqual([
          channelOptions(),
          {
            name: 'regions',
            column: 'region',
            type: 'multi-select',
            default: ['North', 'South'],
            required: false,
            options: REGIONS,
          },
        ]);

        // The default applies until a value replaces it; an empty value asks for none.
        const north = (sale: { region: string }) => ['North', 'South'].includes(sale.region);
        expectTotals(
          (await data(report.documentId).expect(200)).body.data.rows,
          sumBy((sale) => (north(sale) ? sale.region : null))
        );
        const online = await data(report.documentId, '?inputs[channel]=online').expect(200);
        expectTotals(
          online.body.data.rows,
          sumBy((sale) => (north(sale) && sale.channel === 'online' ? sale.region : null))
        );
        const repeated = await data(report.documentId, '?inputs[regions]=East&inputs[regions]=West').expect(200);
        expectTotals(
          repeated.body.data.rows,
          sumBy((sale) => (['East', 'West'].includes(sale.region) ? sale.region : null))
        );
        const bracketed = await data(report.documentId, '?inputs[regions][]=East&inputs[channel]=retail').expect(200);
        expectTotals(
          bracketed.body.data.rows,
          sumBy((sale) => (sale.region === 'East' && sale.channel === 'retail' ? sale.region : null))
        );
        const none = await data(report.documentId, '?inputs[regions]=').expect(200);
        expectTotals(
          none.body.data.rows,
          sumBy((sale) => sale.region)
        );
      });

      it('answers 400 naming the input for a bad input value', async () => {
        const report = await createReport(
          byRegion({
            inputs: [
              { name: 'channel', column: 'channel', type: 'single-select' },
              { name: 'quantity', column: 'quantity', type: 'multi-select' },
              { name: 'product', column: 'product', type: 'single-select', required: true, default: 'Widget' },
              { name: 'region', column: 'region', type: 'single-select', required: true },
            ],
          })
        );
        const id = report.documentId;
        expectFieldError(await data(id), 'inputs.region');
        const q = (extra: string) => `?inputs[region]=North&${extra}`;
        await data(id, q('')).expect(200);
        expectFieldError(await data(id, q('inputs[nope]=1')), 'inputs.nope');
        expectFieldError(await data(id, q('inputs[channel]=mail')), 'inputs.channel');
        expectFieldError(await data(id, q('inputs[channel]=online&inputs[channel]=retail')), 'inputs.channel');
        expectFieldError(await data(id, q('inputs[quantity]=abc')), 'inputs.quantity');
        expectFieldError(await data(id, q('inputs[quantity]=1&inputs[quantity]=999')), 'inputs.quantity');
        expectFieldError(await data(id, q('inputs[product]=')), 'inputs.product');
        expectFieldError(await data(id, q('inputs[channel][a]=online')), 'inputs.channel');
        expectFieldError(await data(id, `?inputs[region]=${encodeURIComponent("North' OR 1=1 --")}`), 'inputs.region');
        const small = Array.from({ length: 10 }, (_, i) => `inputs[quantity][]=${i + 1}`).join('&');
        const ok = await data(id, q(small)).expect(200);
        const expected = sumBy((sale) =>
          sale.region === 'North' && sale.product === 'Widget' && sale.quantity <= 10 ? sale.region : null
        );
        expect(expected.size).toBe(1);
        expectTotals(ok.body.data.rows, expected);
      });

      const bad = (query: object, extra: object = {}) => ({ ...byRegion(), query, ...extra });
      const query = byRegion().query;
      it.each([
        ['an unknown column', bad({ ...query, columns: ['colour'], groupBy: ['colour'] }), 'query.columns[0]'],
        ['a column named like SQL', bad({ columns: ['region; DROP TABLE x'] }), 'query.columns[0]'],
        ['a quoted column', bad({ columns: ['"a" or 1=1'] }), 'query.columns[0]'],
        [
          'an unknown filter column',
          bad({ ...query, filters: [{ column: 'region; DROP TABLE sales', operator: 'EQUALS', values: ['x'] }] }),
          'query.filters[0].column',
        ],
        [
          'an unknown operator',
          bad({ ...query, filters: [{ column: 'region', operator: 'LIKE', values: ['N%'] }] }),
          'query.filters[0]',
        ],
        [
          'a value that does not coerce',
          bad({ ...query, filters: [{ column: 'amount', operator: 'GREATER_THAN', values: ['abc'] }] }),
          'query.filters[0].values[0]',
        ],
        [
          'a wrong value count',
          bad({ ...query, filters: [{ column: 'amount', operator: 'EQUALS', values: ['1', '2'] }] }),
          'query.filters[0].values',
        ],
        [
          'a BETWEEN whose low is above its high',
          bad({ ...query, filters: [{ column: 'quantity', operator: 'BETWEEN', values: ['9', '2'] }] }),
          'query.filters[0].values',
        ],
        [
          'an unknown key in a filter',
          bad({ ...query, filters: [{ column: 'region', operator: 'EQUALS', values: ['North'], not: true }] }),
          'query.filters[0]',
        ],
        [
          'an unknown aggregate fn',
          bad({ ...query, aggregates: [{ fn: 'median', field: 'amount', as: 'total' }] }),
          'query.aggregates[0].fn',
        ],
        [
          'an alias that clashes with a column',
          bad({ ...query, aggregates: [{ fn: 'sum', field: 'amount', as: 'region' }] }, { chart: { type: 'table' } }),
          'query.aggregates[0].as',
        ],
        [
          'an alias that is not a plain identifier',
          bad(
            { ...query, aggregates: [{ fn: 'sum', field: 'amount', as: 'total; --' }] },
            { chart: { type: 'table' } }
          ),
          'query.aggregates[0].as',
        ],
        ['a sort on an unknown field', bad({ ...query, sort: [{ field: 'nope', dir: 'asc' }] }), 'query.sort[0].field'],
        ['a limit of 0', bad({ ...query, limit: 0 }), 'query.limit'],
        ['a limit above the maximum', bad({ ...query, limit: 10_000_000 }), 'query.limit'],
        ['an unknown key in the query', bad({ ...query, having: 'total > 1' }), 'query.having'],
        ['an unknown model', { ...byRegion(), semanticModel: 'nope' }, 'semanticModel'],
        [
          'an x axis not in the result',
          { ...byRegion(), chart: { type: 'bar', x: 'channel', y: ['total'] } },
          'chart.x',
        ],
        [
          'a y axis not in the result',
          { ...byRegion(), chart: { type: 'bar', x: 'region', y: ['amount'] } },
          'chart.y[0]',
        ],
        ['a bar chart without x', { ...byRegion(), chart: { type: 'bar', y: ['total'] } }, 'chart.x'],
        [
          'a pie with two values',
          { ...byRegion(), chart: { type: 'pie', x: 'region', y: ['total', 'sales'] } },
          'chart.y',
        ],
        ['a kpi with an x axis', { ...byRegion(), chart: { type: 'kpi', x: 'region', y: ['total'] } }, 'chart.x'],
        ['a non-numeric y', { ...byRegion(), chart: { type: 'line', x: 'total', y: ['region'] } }, 'chart.y[0]'],
        ['an unknown chart type', { ...byRegion(), chart: { type: 'radar' } }, 'chart.type'],
        [
          'an input naming an unknown column',
          { ...byRegion(), inputs: [{ name: 'colour', column: 'colour', type: 'single-select' }] },
          'inputs[0].column',
        ],
        [
          'an input name that is not an identifier',
          { ...byRegion(), inputs: [{ name: 'my channel', column: 'channel', type: 'single-select' }] },
          'inputs[0].name',
        ],
        [
          'two inputs of one name',
          {
            ...byRegion(),
            inputs: [
              { name: 'c', column: 'channel', type: 'single-select' },
              { name: 'c', column: 'region', type: 'single-select' },
            ],
          },
          'inputs[1].name',
        ],
        [
          'an unknown input type',
          { ...byRegion(), inputs: [{ name: 'c', column: 'channel', type: 'radio' }] },
          'inputs[0].type',
        ],
        [
          'a default that does not coerce',
          { ...byRegion(), inputs: [{ name: 'q', column: 'quantity', type: 'single-select', default: 'many' }] },
          'inputs[0].default',
        ],
        [
          'a multi-select default that is not an array',
          { ...byRegion(), inputs: [{ name: 'c', column: 'channel', type: 'multi-select', default: 'online' }] },
          'inputs[0].default',
        ],
        ['an unknown time zone', { ...byRegion(), timezone: 'Mars/Olympus' }, 'timezone'],
        [
          'an origin with a path',
          { ...byRegion(), embed: { enabled: true, allowedOrigins: ['https://example.com/app'] } },
          'embed.allowedOrigins[0]',
        ],
      ])('answers 400 naming the field for %s, and runs nothing', async (_label, body, field) => {
        const before = await app.strapi.db.query('plugin::api-tokens.report').count();
        expectFieldError(
          await app.admin.post('/api-tokens/reports').send({ semanticModel: model, ...body, name: unique('Bad') }),
          field
        );
        expectFieldError(
          await app.admin.post('/api-tokens/report-preview').send({ semanticModel: model, ...body }),
          field
        );
        expect(await app.strapi.db.query('plugin::api-tokens.report').count()).toBe(before);
        expect(await app.strapi.db.query('api::sale.sale').count()).toBeGreaterThanOrEqual(SALES);
      });

      it.each([
        ['the body', { owner: 'me' }, 'owner'],
        ['the chart', { chart: { type: 'bar', x: 'region', y: ['total'], colour: 'red' } }, 'colour'],
        ['an input', { inputs: [{ name: 'c', column: 'channel', type: 'single-select', label: 'C' }] }, 'label'],
        ['the embed settings', { embed: { enabled: true, theme: 'dark' } }, 'theme'],
      ])('answers 400 for an unknown key in %s', async (_label, extra, key) => {
        const res = await app.admin
          .post('/api-tokens/reports')
          .send({ ...byRegion(), semanticModel: model, ...extra, name: unique('Unknown key') });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(key);
      });

      it('previews an unsaved body: the first pageSize rows with the input defaults, and the inputs with options', async () => {
        const body = byRegion({
          inputs: [{ name: 'channel', column: 'channel', type: 'single-select', default: 'online' }],
        });
        const { name: _name, ...unnamed } = body;
        const res = await app.admin
          .post('/api-tokens/report-preview?pageSize=2')
          .send({ ...unnamed, semanticModel: model })
          .expect(200);
        expect(res.body.data.columns.map((c: any) => c.name)).toEqual(['region', 'total', 'sales']);
        expect(res.body.data.rows).toHaveLength(2);
        const online = sumBy((sale) => (sale.channel === 'online' ? sale.region : null));
        expect(res.body.data.rows[0].total).toBeCloseTo(online.get('East')!, 2);
        expect(res.body.data.inputs).toEqual([channelOptions({ default: 'online' })]);
        // A name another report has is fine in a preview.
        const saved = await createReport(byRegion({ name: 'Previewed' }));
        await app.admin
          .post('/api-tokens/report-preview')
          .send({ ...body, name: saved.name, semanticModel: model })
          .expect(200);
        expectFieldError(
          await app.admin.post('/api-tokens/report-preview?pageSize=5000').send({ ...unnamed, semanticModel: model }),
          'pageSize'
        );
      });

      it('draws a random 8-character base62 embed id the first time embedding is enabled, and keeps it', async () => {
        const embedded = await createReport(
          kpi({ embed: { enabled: true, allowedOrigins: ['http://localhost:3000', 'https://example.com:8443'] } })
        );
        expect(embedded.embed).toMatchObject({
          enabled: true,
          allowedOrigins: ['http://localhost:3000', 'https://example.com:8443'],
        });
        const embedId = embedded.embed.embedId;
        expect(embedId).toMatch(/^[0-9A-Za-z]{8}$/);
        const path = `/api-tokens/reports/${embedded.documentId}`;
        const off = await app.admin
          .put(path)
          .send({ embed: { enabled: false } })
          .expect(200);
        expect(off.body.data.embed).toEqual({
          enabled: false,
          allowedOrigins: ['http://localhost:3000', 'https://example.com:8443'],
          embedId,
          revokedBefore: null,
        });
        const on = await app.admin
          .put(path)
          .send({ embed: { enabled: true, allowedOrigins: [] } })
          .expect(200);
        expect(on.body.data.embed).toEqual({ enabled: true, allowedOrigins: [], embedId, revokedBefore: null });

        const plain = await createReport(kpi());
        expect(plain.embed.embedId).toBeNull();
        const enabled = await app.admin
          .put(`/api-tokens/reports/${plain.documentId}`)
          .send({ embed: { enabled: true } })
          .expect(200);
        expect(enabled.body.data.embed.embedId).toMatch(/^[0-9A-Za-z]{8}$/);
        expect(enabled.body.data.embed.embedId).not.toBe(embedId);
      });

      it('answers 409 MODEL_NOT_READY for a model without a snapshot, and works once it is refreshed', async () => {
        const fresh = await createModel(salesModel('Not refreshed'));
        // A report is checked against the source's columns before the first refresh.
        const report = await createReport(byRegion({ semanticModel: fresh.documentId }));
        const notReady = { status: 409, name: 'ConflictError', details: { code: 'MODEL_NOT_READY' } };
        expect((await data(report.documentId)).body.error).toMatchObject(notReady);
        expect((await app.admin.get(`/api-tokens/reports/${report.documentId}/inputs`)).body.error).toMatchObject(
          notReady
        );
        const preview = await app.admin
          .post('/api-tokens/report-preview')
          .send({ ...byRegion(), semanticModel: fresh.documentId });
        expect(preview.body.error).toMatchObject(notReady);
        await refresh(fresh.documentId);
        expect((await data(report.documentId).expect(200)).body.data.rows).toHaveLength(4);
      });

      it('answers 400 REPORT_COLUMN_MISSING, naming the report and the column, once the model drops a column', async () => {
        const shrinking = await createModel(salesModel('Shrinking'));
        await refresh(shrinking.documentId);
        const report = await createReport(byRegion({ name: 'Uses channel', semanticModel: shrinking.documentId }));
        await data(report.documentId).expect(200);
        await app.admin
          .put(`/api-tokens/semantic-models/${shrinking.documentId}`)
          .send({ source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'amount'] } })
          .expect(200);
        // The served snapshot still has the column until the next refresh.
        await data(report.documentId).expect(200);
        await refresh(shrinking.documentId);
        const missing = { code: 'REPORT_COLUMN_MISSING', report: { documentId: report.documentId, name: report.name } };
        for (const res of [
          await data(report.documentId),
          await app.admin.get(`/api-tokens/reports/${report.documentId}/inputs`),
        ]) {
          expect(res.status).toBe(400);
          expect(res.body.error.details).toEqual({ ...missing, column: 'channel' });
          expect(res.body.error.message).toContain(report.name);
          expect(res.body.error.message).toContain('"channel"');
        }
        // Editing the report away from the column makes it work again.
        await app.admin.put(`/api-tokens/reports/${report.documentId}`).send({ inputs: [] }).expect(200);
        await data(report.documentId).expect(200);
      });

      it('refuses to delete a model that reports use (409 MODEL_IN_USE naming them)', async () => {
        const doomed = await createModel(salesModel('Used'));
        const first = await createReport(kpi({ name: 'Uses the model', semanticModel: doomed.documentId }));
        const second = await createReport(kpi({ name: 'Also uses it', semanticModel: doomed.documentId }));
        const res = await app.admin.delete(`/api-tokens/semantic-models/${doomed.documentId}`);
        expect(res.status).toBe(409);
        expect(res.body.error.details).toEqual({
          code: 'MODEL_IN_USE',
          reports: [
            { documentId: second.documentId, name: second.name },
            { documentId: first.documentId, name: first.name },
          ],
        });
        expect(res.body.error.message).toContain(first.name);
        await app.admin.delete(`/api-tokens/reports/${first.documentId}`).expect(200);
        await app.admin.delete(`/api-tokens/reports/${second.documentId}`).expect(200);
        await app.admin.delete(`/api-tokens/semantic-models/${doomed.documentId}`).expect(200);
      });

      it('accepts the demo reports: a bar by region, a KPI and a monthly line chart', async () => {
        const [region, total, monthly] = demoReports(model);
        const bars = await createReport(region);
        const rows = (await data(bars.documentId, '?inputs[channel]=partner').expect(200)).body.data.rows;
        const partner = sumBy((sale) => (sale.channel === 'partner' ? sale.region : null));
        expect(rows.map((row: any) => row.region)).toEqual(
          [...partner.entries()].sort(([, a], [, b]) => b - a).map(([name]) => name)
        );
        const kpiRows = (await data((await createReport(total)).documentId).expect(200)).body.data.rows;
        const all = totalOf();
        expect(kpiRows).toHaveLength(1);
        expect(kpiRows[0].total).toBeCloseTo(all, 2);
        const months = (await data((await createReport(monthly)).documentId).expect(200)).body.data.rows;
        // 300 days of sales from 1 January 2026, in Berlin months.
        expect(months.map((row: any) => row.month)).toEqual(
          Array.from({ length: 10 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-01`)
        );
      });
    });

    describe('dashboards', () => {
      let regionReport: any;
      let totalReport: any;
      let filteredTotal: any;
      let dashboard: any;

      beforeAll(async () => {
        regionReport = await createReport(
          byRegion({
            name: 'Dashboard regions',
            inputs: [{ name: 'channel', column: 'channel', type: 'single-select', default: 'online' }],
          })
        );
        totalReport = await createReport(kpi({ name: 'Dashboard total' }));
        filteredTotal = await createReport(
          kpi({
            name: 'Dashboard filtered total',
            inputs: [
              { name: 'channel', column: 'channel', type: 'multi-select' },
              { name: 'product', column: 'product', type: 'single-select' },
            ],
          })
        );
        dashboard = await post('/api-tokens/dashboards', {
          name: unique('Overview'),
          items: [
            { report: totalReport.documentId, width: 4 },
            { report: regionReport.documentId, width: 8 },
            { report: filteredTotal.documentId, width: 12 },
          ],
        });
      });

      it('creates, reads, updates, lists and deletes dashboards', async () => {
        expect(dashboard).toMatchObject({
          items: [
            { report: totalReport.documentId, width: 4 },
            { report: regionReport.documentId, width: 8 },
            { report: filteredTotal.documentId, width: 12 },
          ],
          embed: { enabled: false, allowedOrigins: [], embedId: null },
        });
        const other = await post('/api-tokens/dashboards', {
          name: unique('Other'),
          items: [],
          embed: { enabled: true, allowedOrigins: ['https://intranet.example.com'] },
        });
        expect(other.embed.embedId).toMatch(/^[0-9A-Za-z]{8}$/);
        expectFieldError(
          await app.admin.post('/api-tokens/dashboards').send({ name: other.name.toLowerCase(), items: [] }),
          'name'
        );
        const path = `/api-tokens/dashboards/${other.documentId}`;
        const updated = await app.admin
          .put(path)
          .send({ items: [{ report: totalReport.documentId, width: 6 }], embed: { enabled: false } })
          .expect(200);
        expect(updated.body.data).toMatchObject({
          items: [{ report: totalReport.documentId, width: 6 }],
          embed: { enabled: false, allowedOrigins: ['https://intranet.example.com'], embedId: other.embed.embedId },
        });
        expect((await app.admin.get(path).expect(200)).body.data).toEqual(updated.body.data);
        const list = await app.admin.get('/api-tokens/dashboards').expect(200);
        expect(list.body.data.map((d: any) => d.documentId)).toEqual(
          expect.arrayContaining([dashboard.documentId, other.documentId])
        );
        await app.admin.delete(path).expect(200);
        expect((await app.admin.get(path)).status).toBe(404);
      });

      it.each([
        [
          'an unknown report',
          (ids: string[]) => ({
            items: [
              { report: ids[0], width: 4 },
              { report: 'nope', width: 4 },
            ],
          }),
          'items[1].report',
        ],
        ['a width of 13', (ids: string[]) => ({ items: [{ report: ids[0], width: 13 }] }), 'items[0].width'],
        ['a width of 0', (ids: string[]) => ({ items: [{ report: ids[0], width: 0 }] }), 'items[0].width'],
        ['a fractional width', (ids: string[]) => ({ items: [{ report: ids[0], width: 2.5 }] }), 'items[0].width'],
        [
          '25 items',
          (ids: string[]) => ({ items: Array.from({ length: 25 }, () => ({ report: ids[0], width: 1 })) }),
          'items',
        ],
        ['a missing name', (ids: string[]) => ({ name: undefined, items: [{ report: ids[0], width: 1 }] }), 'name'],
        [
          'a bad origin',
          () => ({ embed: { enabled: true, allowedOrigins: ['ftp://example.com'] } }),
          'embed.allowedOrigins[0]',
        ],
      ])('answers 400 naming the field for %s', async (_label, body, field) => {
        const res = await app.admin
          .post('/api-tokens/dashboards')
          .send({ name: unique('Bad dashboard'), items: [], ...body([totalReport.documentId]) });
        expectFieldError(res, field);
      });

      it('answers 400 for an unknown key in an item', async () => {
        const res = await app.admin
          .post('/api-tokens/dashboards')
          .send({ name: unique('Bad'), items: [{ report: totalReport.documentId, width: 3, height: 2 }] });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('height');
      });

      it("answers every item's data in item order, each with its own input defaults", async () => {
        const res = await app.admin.get(`/api-tokens/dashboards/${dashboard.documentId}/data`).expect(200);
        expect(res.body.data.map((item: any) => item.report)).toEqual([
          totalReport.documentId,
          regionReport.documentId,
          filteredTotal.documentId,
        ]);
        // Each item carries what its tile draws.
        expect(res.body.data.map((item: any) => [item.name, item.chart])).toEqual(
          [totalReport, regionReport, filteredTotal].map((report) => [report.name, report.chart])
        );
        const all = totalOf();
        expect(res.body.data[0].columns).toEqual([{ name: 'total', type: 'float' }]);
        expect(res.body.data[0].rows[0].total).toBeCloseTo(all, 2);
        expectTotals(
          res.body.data[1].rows,
          sumBy((sale) => (sale.channel === 'online' ? sale.region : null))
        );
        expect(res.body.data[2].rows[0].total).toBeCloseTo(all, 2);
      });

      it('applies a shared input to every report with an input of that name', async () => {
        const res = await app.admin
          .get(`/api-tokens/dashboards/${dashboard.documentId}/data?inputs[channel]=retail`)
          .expect(200);
        const all = totalOf();
        const retail = totalOf((sale) => sale.channel === 'retail');
        expect(res.body.data[0].rows[0].total).toBeCloseTo(all, 2);
        expectTotals(
          res.body.data[1].rows,
          sumBy((sale) => (sale.channel === 'retail' ? sale.region : null))
        );
        expect(res.body.data[2].rows[0].total).toBeCloseTo(retail, 2);

        const widgets = await app.admin
          .get(`/api-tokens/dashboards/${dashboard.documentId}/data?inputs[product]=Widget`)
          .expect(200);
        const widgetTotal = totalOf((sale) => sale.product === 'Widget');
        expect(widgets.body.data[2].rows[0].total).toBeCloseTo(widgetTotal, 2);

        const path = `/api-tokens/dashboards/${dashboard.documentId}/data`;
        expectFieldError(await app.admin.get(`${path}?inputs[channel]=mail`), 'inputs.channel');
        expectFieldError(await app.admin.get(`${path}?inputs[nope]=1`), 'inputs.nope');
        expectFieldError(
          await app.admin.get(`${path}?inputs[channel]=online&inputs[channel]=retail`),
          'inputs.channel'
        );
        expect((await app.admin.get(`${path}?page=2`)).status).toBe(400);
      });

      it("merges its reports' inputs by name", async () => {
        const res = await app.admin.get(`/api-tokens/dashboards/${dashboard.documentId}/inputs`).expect(200);
        const products = [...new Set(demoSales(SALES).map((sale) => sale.product))].sort();
        expect(res.body.data).toEqual([
          channelOptions({ default: 'online' }),
          {
            name: 'product',
            column: 'product',
            type: 'single-select',
            default: null,
            required: false,
            options: products,
          },
        ]);
      });

      it('refuses to delete a report a dashboard shows (409 REPORT_IN_USE naming it)', async () => {
        const res = await app.admin.delete(`/api-tokens/reports/${regionReport.documentId}`);
        expect(res.status).toBe(409);
        expect(res.body.error.details).toEqual({
          code: 'REPORT_IN_USE',
          dashboards: [{ documentId: dashboard.documentId, name: dashboard.name }],
        });
        expect(res.body.error.message).toContain(dashboard.name);
        await app.admin.get(`/api-tokens/reports/${regionReport.documentId}`).expect(200);
      });
    });

    it('shows new data after a refresh: new rows and new input options (the seed story)', async () => {
      const report = await createReport({
        query: {
          columns: ['product'],
          groupBy: ['product'],
          aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }],
          sort: [{ field: 'product', dir: 'asc' }],
        },
        chart: { type: 'bar', x: 'product', y: ['total'] },
        inputs: [{ name: 'product', column: 'product', type: 'single-select' }],
      });
      const id = report.documentId;
      const options = async () =>
        (await app.admin.get(`/api-tokens/reports/${id}/inputs`).expect(200)).body.data[0].options as string[];
      const before = await options();
      expect(before).not.toContain('Zeppelin');
      expectFieldError(await data(id, '?inputs[product]=Zeppelin'), 'inputs.product');

      await app.strapi.db.query('api::sale.sale').create({
        data: {
          region: 'North',
          product: 'Zeppelin',
          channel: 'online',
          amount: 1234.5,
          quantity: 1,
          soldAt: new Date(),
        },
      });
      // Nothing changes until the model is refreshed.
      expect(await options()).toEqual(before);
      const run = await app.admin.post(`/api-tokens/semantic-models/${model}/refresh`).expect(202);
      const finished = await app.strapi.plugin('api-tokens').service('runs').waitFor(run.body.data.id);
      expect(finished.status).toBe('succeeded');

      expect(await options()).toEqual([...before, 'Zeppelin'].sort());
      const rows = (await data(id).expect(200)).body.data.rows;
      expect(rows.find((row: any) => row.product === 'Zeppelin')).toEqual({ product: 'Zeppelin', total: 1234.5 });
      const only = await data(id, '?inputs[product]=Zeppelin').expect(200);
      expect(only.body.data.rows).toEqual([{ product: 'Zeppelin', total: 1234.5 }]);
      expect(only.body.meta.pagination.total).toBe(1);
    });
  });
