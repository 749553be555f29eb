import { seedProducts, seedSales } from '../../src/demo/seed';
import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';

const SALES = 1200;
const salesModel = (name: string, fields = ['region', 'channel', 'product', 'amount', 'quantity', 'soldAt']) => ({
  name,
  source: { type: 'content-type', uid: 'api::sale.sale', fields },
  refresh: { mode: 'manual' },
});

const expectFieldError = (res: any, field: string) => {
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError' } });
  expect(res.body.error.message).toContain(field);
};

export const semanticModelSuite = (database: Database) =>
  describeOnDatabase(database)(`semantic models on ${database}`, () => {
    let app: TestApp;
    const models = () => app.strapi.plugin('api-tokens').service('semantic-models');
    const snapshotTables = async () =>
      (await app.strapi.db.dialect.schemaInspector.getTables()).filter((t: string) =>
        t.startsWith('api_tokens_snapshot_')
      );
    /** Rows in the snapshot a model serves right now. */
    const servedRows = async (documentId: string) => {
      const row = await app.strapi.db.query('plugin::api-tokens.semantic-model').findOne({ where: { documentId } });
      const [{ n }] = await app.strapi.db.connection(row.snapshotTable).count({ n: '*' });
      return Number(n);
    };
    const create = async (body: object) => {
      const res = await app.admin.post('/api-tokens/semantic-models').send(body);
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data;
    };

    beforeAll(async () => {
      app = await startStrapi({ database, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
      await seedSales(app.strapi, SALES);
      await seedProducts(app.strapi);
    });
    afterAll(async () => {
      await app?.stop();
    });

    it('refuses anonymous callers and editors without the actions', async () => {
      expect((await app.anonymous().get('/api-tokens/semantic-models')).status).toBe(401);
      const editor = await app.adminWithRole('strapi-editor');
      expect((await editor.get('/api-tokens/semantic-models')).status).toBe(403);
      expect((await editor.post('/api-tokens/semantic-models').send(salesModel('x'))).status).toBe(403);
    });

    it('offers the readable content types and their scalar fields', async () => {
      const res = await app.admin.get('/api-tokens/semantic-model-sources').expect(200);
      expect(res.body.data.types).toEqual([{ type: 'content-type', displayName: 'Content type' }]);
      const sale = res.body.data.contentTypes.find((contentType: any) => contentType.uid === 'api::sale.sale');
      expect(sale.fields).toEqual(
        expect.arrayContaining([
          { name: 'region', type: 'string' },
          { name: 'amount', type: 'float' },
          { name: 'quantity', type: 'integer' },
          { name: 'soldAt', type: 'datetime' },
        ])
      );
      expect(res.body.data.contentTypes.map((c: any) => c.uid)).not.toContain('plugin::api-tokens.api-token');
      expect(res.body.data.contentTypes.map((c: any) => c.uid)).not.toContain('admin::user');
    });

    it.each([
      [
        'an unknown content type',
        { ...salesModel('bad'), source: { type: 'content-type', uid: 'api::nope.nope', fields: ['a'] } },
        'source.uid',
      ],
      [
        'an admin content type',
        { ...salesModel('bad'), source: { type: 'content-type', uid: 'admin::user', fields: ['email'] } },
        'source.uid',
      ],
      ['an unknown field', salesModel('bad', ['region', 'colour']), 'source.fields'],
      ['no fields', salesModel('bad', []), 'source.fields'],
      ['an unknown source type', { ...salesModel('bad'), source: { type: 'sql', query: 'select 1' } }, 'source.type'],
      [
        'an unknown key in the source',
        {
          ...salesModel('bad'),
          source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region'], where: 'x' },
        },
        'source',
      ],
      ['an unknown refresh mode', { ...salesModel('bad'), refresh: { mode: 'hourly' } }, 'refresh.mode'],
      [
        'a cron on a manual model',
        { ...salesModel('bad'), refresh: { mode: 'manual', cron: '0 * * * *' } },
        'refresh.cron',
      ],
      [
        'an invalid cron',
        { ...salesModel('bad'), refresh: { mode: 'scheduled', cron: 'every day', timezone: 'UTC' } },
        'cron',
      ],
      [
        'an unknown time zone',
        { ...salesModel('bad'), refresh: { mode: 'scheduled', cron: '0 2 * * *', timezone: 'Mars/Olympus' } },
        'timezone',
      ],
      [
        'a cron more frequent than a minute',
        { ...salesModel('bad'), refresh: { mode: 'scheduled', cron: '*/10 * * * * *', timezone: 'UTC' } },
        'cron',
      ],
      ['an unknown key', { ...salesModel('bad'), owner: 'me' }, 'owner'],
      ['a missing name', { source: salesModel('x').source, refresh: { mode: 'manual' } }, 'name'],
    ])('answers 400 naming the field for %s', async (_label, body, field) => {
      expectFieldError(await app.admin.post('/api-tokens/semantic-models').send(body), field);
    });

    it('creates, reads, renames and lists models, refusing duplicate names', async () => {
      const model = await create(salesModel('CRUD model'));
      expect(model).toMatchObject({ name: 'CRUD model', status: 'empty', rowCount: 0, lastRefreshedAt: null });
      expect(model.snapshotTable).toBeUndefined();
      expectFieldError(await app.admin.post('/api-tokens/semantic-models').send(salesModel('crud MODEL')), 'name');
      const renamed = await app.admin
        .put(`/api-tokens/semantic-models/${model.documentId}`)
        .send({ name: 'CRUD renamed' })
        .expect(200);
      expect(renamed.body.data.name).toBe('CRUD renamed');
      const list = await app.admin.get('/api-tokens/semantic-models').expect(200);
      expect(list.body.data.map((m: any) => m.name)).toContain('CRUD renamed');
      expect((await app.admin.get('/api-tokens/semantic-models/nope')).status).toBe(404);
    });

    it('materialises a typed, indexed snapshot and serves previews and distinct values', async () => {
      const model = await create(salesModel('Sales'));
      expect((await app.admin.get(`/api-tokens/semantic-models/${model.documentId}/preview`)).status).toBe(409);

      const result = await models().refresh(model.documentId);
      expect(result.rows).toBe(SALES);
      const refreshed = (await app.admin.get(`/api-tokens/semantic-models/${model.documentId}`).expect(200)).body.data;
      expect(refreshed).toMatchObject({ status: 'ready', rowCount: SALES, lastError: null });
      expect(refreshed.lastRefreshedAt).not.toBeNull();
      expect(refreshed.columns.map((c: any) => c.name)).toEqual([
        'region',
        'channel',
        'product',
        'amount',
        'quantity',
        'soldAt',
      ]);

      const preview = await app.admin
        .get(`/api-tokens/semantic-models/${model.documentId}/preview?limit=5`)
        .expect(200);
      expect(preview.body.data.rows).toHaveLength(5);
      const row = preview.body.data.rows[0];
      expect(typeof row.region).toBe('string');
      expect(typeof row.amount).toBe('number');
      expect(Number.isInteger(row.quantity)).toBe(true);
      expect(row.soldAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

      const values = await app.admin
        .get(`/api-tokens/semantic-models/${model.documentId}/values?column=region&order=desc`)
        .expect(200);
      expect(values.body.data).toEqual(['West', 'South', 'North', 'East']);
      expectFieldError(
        await app.admin.get(`/api-tokens/semantic-models/${model.documentId}/values?column=colour`),
        'column'
      );
      expectFieldError(
        await app.admin.get(`/api-tokens/semantic-models/${model.documentId}/preview?limit=5000`),
        'limit'
      );

      const row0 = await app.strapi.db
        .query('plugin::api-tokens.semantic-model')
        .findOne({ where: { documentId: model.documentId } });
      const table = row0.snapshotTable;
      const count = await app.strapi.db.connection(table).count({ n: '*' });
      expect(Number(count[0].n)).toBe(SALES);
      const indexes = await app.strapi.db.dialect.schemaInspector.getIndexes(table);
      // The row identity that orders unsorted queries is SQLite's rowid; PostgreSQL indexes it like the columns.
      expect(indexes.map((index: any) => index.columns[0]).sort()).toEqual([
        ...(database === 'postgres' ? ['__row'] : []),
        'amount',
        'channel',
        'product',
        'quantity',
        'region',
        'soldAt',
      ]);
    });

    it('swaps snapshots atomically: readers see the old rows until the new snapshot is complete', async () => {
      const model = await create(salesModel('Swap', ['region']));
      await models().refresh(model.documentId);
      await app.strapi.db.query('api::sale.sale').create({
        data: { region: 'North', product: 'New', channel: 'online', amount: 1, quantity: 1, soldAt: new Date() },
      });

      const seenDuringRefresh: number[] = [];
      await models().refresh(model.documentId, {
        onPage: async () => {
          seenDuringRefresh.push(await servedRows(model.documentId));
        },
      });
      expect(seenDuringRefresh.length).toBeGreaterThan(0);
      expect(new Set(seenDuringRefresh)).toEqual(new Set([SALES]));
      expect((await models().findOne(model.documentId)).rowCount).toBe(SALES + 1);
      expect(await servedRows(model.documentId)).toBe(SALES + 1);
      // The previous snapshot is kept for in-flight readers until the next refresh; nothing else accumulates.
      await models().refresh(model.documentId);
      const row = await app.strapi.db
        .query('plugin::api-tokens.semantic-model')
        .findOne({ where: { documentId: model.documentId } });
      const prefix = `api_tokens_snapshot_${row.id}_`;
      expect((await snapshotTables()).filter((t: string) => t.startsWith(prefix))).toHaveLength(2);
    });

    it('writes every column type and awkward text through the bulk writer, page after page', async () => {
      const snapshots = app.strapi.plugin('api-tokens').service('snapshots');
      const columns = [
        { name: 'label', type: 'string' },
        { name: 'n', type: 'integer' },
        { name: 'big', type: 'biginteger' },
        { name: 'ratio', type: 'float' },
        { name: 'flag', type: 'boolean' },
        { name: 'day', type: 'date' },
        { name: 'at', type: 'datetime' },
      ];
      const awkward = ['tab\there', 'line\nbreak\r\n', 'back\\slash', '\\N', '', 'quote "\' é ✓'];
      const rowOf = (i: number) => ({
        label: i < awkward.length ? awkward[i] : i % 7 === 0 ? null : `row ${i}`,
        n: i % 5 === 0 ? null : i - 600,
        big: '12345678901',
        ratio: i / 8,
        flag: i % 3 === 0 ? null : i % 2 === 0,
        day: '2026-03-02',
        at: new Date(Date.UTC(2026, 2, 2, 8, 0, 0, i)),
      });
      async function* pages() {
        for (let page = 0; page < 3; page += 1) {
          // Pages of 501 rows: a full multi-row statement and a remainder on SQLite.
          yield Array.from({ length: 501 }, (_, k) => rowOf(page * 501 + k));
        }
      }
      const { table, rows } = await snapshots.build(999_999, columns, pages());
      try {
        expect(rows).toBe(1503);
        const stored = await app.strapi.db.connection(table).select('*').orderBy('__row');
        expect(stored).toHaveLength(1503);
        const normalized = stored.map((row: Record<string, unknown>) => snapshots.normalize(columns, row));
        normalized.forEach((row: Record<string, unknown>, i: number) => {
          const expected = rowOf(i);
          expect(row).toEqual({
            ...expected,
            at: expected.at.toISOString(),
            flag: expected.flag,
          });
        });
      } finally {
        await snapshots.drop(table);
      }
    });

    it('lets the event loop turn between pages, so a refresh does not hold up other requests', async () => {
      const model = await create(salesModel('Yielding', ['region']));
      let turns = 0;
      let probe: NodeJS.Immediate;
      const count = () => {
        turns += 1;
        probe = setImmediate(count);
      };
      probe = setImmediate(count);
      const seen: number[] = [];
      try {
        await models().refresh(model.documentId, {
          onPage: async () => {
            seen.push(turns);
          },
        });
      } finally {
        clearImmediate(probe!);
      }
      expect(seen).toHaveLength(Math.ceil((SALES + 1) / 1000));
      expect(seen[seen.length - 1]).toBeGreaterThan(seen[0]);
      expect(seen[0]).toBeGreaterThan(0);
    });

    it('keeps serving the last good snapshot when the source fails mid-refresh', async () => {
      const model = await create(salesModel('Fragile', ['region', 'amount']));
      await models().refresh(model.documentId);
      const before = await models().preview(model.documentId, 1000);
      const tables = await snapshotTables();

      await expect(
        models().refresh(model.documentId, {
          onPage: async () => {
            throw new Error('source exploded');
          },
        })
      ).rejects.toThrow('source exploded');

      const after = await models().findOne(model.documentId);
      expect(after).toMatchObject({ status: 'failed', lastError: 'source exploded', rowCount: SALES + 1 });
      expect(await models().preview(model.documentId, 1000)).toEqual(before);
      expect(await snapshotTables()).toEqual(tables);
    });

    it('drops the snapshots of a deleted model', async () => {
      const model = await create(salesModel('Doomed', ['channel']));
      await models().refresh(model.documentId);
      await models().refresh(model.documentId);
      const row = await app.strapi.db
        .query('plugin::api-tokens.semantic-model')
        .findOne({ where: { documentId: model.documentId } });
      const prefix = `api_tokens_snapshot_${row.id}_`;
      expect((await snapshotTables()).filter((t: string) => t.startsWith(prefix))).toHaveLength(2);
      await app.admin.delete(`/api-tokens/semantic-models/${model.documentId}`).expect(200);
      expect((await snapshotTables()).filter((t: string) => t.startsWith(prefix))).toHaveLength(0);
      expect((await app.admin.get(`/api-tokens/semantic-models/${model.documentId}`)).status).toBe(404);
    });

    describe('a localized type with a biginteger', () => {
      const productModel = (name: string, extra: object = {}) => ({
        name,
        source: { type: 'content-type', uid: 'api::product.product', fields: ['name', 'price', 'unitsSold'], ...extra },
        refresh: { mode: 'manual' },
      });

      it('reads the default locale only, or the locale the source names', async () => {
        const en = await create(productModel('Products'));
        expect((await models().refresh(en.documentId)).rows).toBe(3);
        const enRows = (await app.admin.get(`/api-tokens/semantic-models/${en.documentId}/preview`).expect(200)).body
          .data.rows;
        expect(enRows.map((row: any) => row.name).sort()).toEqual(['Chair', 'Lamp', 'Table']);

        const fr = await create(productModel('Produits', { locale: 'fr' }));
        expect((await models().refresh(fr.documentId)).rows).toBe(3);
        const values = await app.admin
          .get(`/api-tokens/semantic-models/${fr.documentId}/values?column=name`)
          .expect(200);
        expect(values.body.data).toEqual(['Chaise', 'Lampe', 'Table']);
      });

      it.each([
        ['a locale i18n does not have', productModel('bad', { locale: 'de' })],
        ['a locale that is not a string', productModel('bad', { locale: 7 })],
        [
          'a locale on a type that is not localized',
          { ...salesModel('bad', ['region']), source: { ...salesModel('bad').source, locale: 'en' } },
        ],
      ])('answers 400 naming source.locale for %s', async (_label, body) => {
        const res = await app.admin.post('/api-tokens/semantic-models').send(body);
        expectFieldError(res, 'source.locale');
        expect(res.body.error.details.errors[0].path).toEqual(['source', 'locale']);
      });

      it('keeps every digit of a biginteger in snapshots, previews and values', async () => {
        const sources = (await app.admin.get('/api-tokens/semantic-model-sources').expect(200)).body.data;
        const product = sources.contentTypes.find((contentType: any) => contentType.uid === 'api::product.product');
        expect(product.fields).toContainEqual({ name: 'unitsSold', type: 'biginteger' });
        expect(product.locales).toEqual(['en', 'fr']);

        const model = await create(productModel('Units', { fields: ['name', 'unitsSold'] }));
        await models().refresh(model.documentId);
        const preview = await app.admin.get(`/api-tokens/semantic-models/${model.documentId}/preview`).expect(200);
        expect(preview.body.data.columns).toContainEqual({ name: 'unitsSold', type: 'biginteger' });
        expect(preview.body.data.rows).toContainEqual({ name: 'Chair', unitsSold: '9007199254740993' });
        const values = await app.admin
          .get(`/api-tokens/semantic-models/${model.documentId}/values?column=unitsSold&order=desc`)
          .expect(200);
        // Ordered as numbers, not as text.
        expect(values.body.data).toEqual(['9007199254740993', '1200', '310']);
      });
    });

    it('keeps snapshots across a restart and Strapi schema sync', async () => {
      const model = await create(salesModel('Durable', ['region', 'quantity']));
      await models().refresh(model.documentId);
      const before = await models().preview(model.documentId, 1000);
      const databaseName = app.databaseName;
      await app.stop({ keepDatabase: true });
      app = await startStrapi({ database, databaseName, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
      expect(await models().preview(model.documentId, 1000)).toEqual(before);
      expect((await models().findOne(model.documentId)).status).toBe('ready');
    });
  });
