import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';

const TOKEN_UID = 'plugin::api-tokens.api-token';
const MODEL_UID = 'plugin::api-tokens.semantic-model';

const KINDS = [
  {
    label: 'tokens',
    uid: TOKEN_UID,
    table: 'api_tokens_tokens',
    path: '/api-tokens/tokens',
    body: (name: string) => ({ name, scopes: ['sales:read'], expiresInDays: 30 }),
  },
  {
    label: 'semantic models',
    uid: MODEL_UID,
    table: 'api_tokens_semantic_models',
    path: '/api-tokens/semantic-models',
    body: (name: string) => ({
      name,
      source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region'] },
      refresh: { mode: 'manual' },
    }),
  },
] as const;

const expectNameTaken = (res: any) => {
  expect(res.status).toBe(400);
  expect(res.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
  expect(res.body.error.details.errors).toEqual([expect.objectContaining({ path: ['name'] })]);
};

export const uniqueNameSuite = (database: Database) =>
  describeOnDatabase(database)(`case-insensitive unique names on ${database}`, () => {
    let app: TestApp;
    const boot = (databaseName?: string) =>
      startStrapi({ database, databaseName, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });

    beforeAll(async () => {
      app = await boot();
    });
    afterAll(async () => {
      await app?.stop();
    });

    describe.each(KINDS)('$label', ({ uid, path, body }) => {
      it('lets exactly one of two concurrent creates of "Sales" and "sales" through', async () => {
        for (const [a, b] of [
          ['Sales', 'sales'],
          ['Ｒｅｐｏｒｔ', 'REPORT'],
        ]) {
          const responses = await Promise.all([app.admin.post(path).send(body(a)), app.admin.post(path).send(body(b))]);
          expect(responses.map((res) => res.status).sort()).toEqual([201, 400]);
          expectNameTaken(responses.find((res) => res.status === 400));
        }
        const keys = (await app.strapi.db.query(uid).findMany({ select: ['nameKey'] })).map((row: any) => row.nameKey);
        expect(keys.sort()).toEqual(['report', 'sales']);
      });

      it('refuses a rename onto another name in a different case', async () => {
        const first = (await app.admin.post(path).send(body('Quarterly')).expect(201)).body.data;
        const second = (await app.admin.post(path).send(body('Monthly')).expect(201)).body.data;
        expectNameTaken(await app.admin.put(`${path}/${second.documentId}`).send({ name: 'QUARTERLY' }));
        // Its own name in another case is fine.
        await app.admin.put(`${path}/${first.documentId}`).send({ name: 'QUARTERLY' }).expect(200);
      });

      it('is held by the database: a second row with the same key is refused without any pre-check', async () => {
        await app.admin.post(path).send(body('Held')).expect(201);
        const row = await app.strapi.db.query(uid).findOne({ where: { nameKey: 'held' } });
        const { id, documentId, digest, ...copy } = row;
        await expect(app.strapi.db.query(uid).create({ data: { ...copy, name: 'HELD' } })).rejects.toThrow(/unique/i);
      });
    });

    it('fills the key of rows written before it existed, and leaves clashing legacy names to rename', async () => {
      // A database from before the key: the column is gone, and two names differ only in case.
      const knex = app.strapi.db.connection;
      const token = (await app.admin.post('/api-tokens/tokens').send(KINDS[0].body('Legacy')).expect(201)).body.data;
      await app.admin.post('/api-tokens/semantic-models').send(KINDS[1].body('Old model')).expect(201);
      const row = await knex('api_tokens_tokens').where({ document_id: token.documentId }).first();
      const { id, document_id, name_key, ...copy } = row;
      // Strapi's stored schema from before the key, so the next boot's schema sync adds the column back.
      const stored = await knex('strapi_database_schema').first();
      const schema = typeof stored.schema === 'string' ? JSON.parse(stored.schema) : stored.schema;
      for (const table of schema.tables.filter((t: any) => KINDS.some((kind) => kind.table === t.name))) {
        table.columns = table.columns.filter((column: any) => column.name !== 'name_key');
        table.indexes = table.indexes.filter((index: any) => !index.columns.includes('name_key'));
      }
      await knex('strapi_database_schema').update({ schema: JSON.stringify(schema), hash: 'before-name-keys' });
      for (const table of KINDS.map((kind) => kind.table)) {
        const indexes = await app.strapi.db.dialect.schemaInspector.getIndexes(table);
        const index = indexes.find((candidate: any) => candidate.columns.join() === 'name_key');
        expect(index).toMatchObject({ type: 'unique' });
        await knex.schema.alterTable(table, (t) => t.dropUnique(['name_key'], index!.name));
        await knex.schema.alterTable(table, (t) => t.dropColumn('name_key'));
      }
      await knex('api_tokens_tokens').insert({
        ...copy,
        document_id: 'legacycopy0000000000000',
        digest: 'legacy-digest',
        name: 'LEGACY',
      });

      const databaseName = app.databaseName;
      await app.stop({ keepDatabase: true });
      app = await boot(databaseName);

      const keyOf = (name: string) => name.normalize('NFKC').toLowerCase();
      const tokens = await app.strapi.db.query(TOKEN_UID).findMany({ select: ['name', 'nameKey'] });
      const legacy = tokens.filter((r: any) => keyOf(r.name) === 'legacy');
      // One of the two legacy rows got the key; the other keeps none until it is renamed.
      expect(legacy.map((r: any) => r.nameKey).sort()).toEqual(['legacy', null]);
      const models = await app.strapi.db.query(MODEL_UID).findMany({ select: ['name', 'nameKey'] });
      for (const r of [...tokens.filter((r: any) => !legacy.includes(r)), ...models]) {
        expect(r.nameKey).toBe(keyOf(r.name));
      }
      expect(models.map((r: any) => r.name)).toContain('Old model');
      expectNameTaken(await app.admin.post('/api-tokens/tokens').send(KINDS[0].body('legacy')));
      expectNameTaken(await app.admin.post('/api-tokens/semantic-models').send(KINDS[1].body('OLD MODEL')));
    });
  });
