import type supertest from 'supertest';
import { seedProducts, seedSales } from '../../src/demo/seed';
import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';

const READ = 'plugin::content-manager.explorer.read';
const MODEL_ACTIONS = ['read', 'create', 'update', 'delete', 'refresh'].map((verb) => ({
  action: `plugin::api-tokens.semantic-models.${verb}`,
  subject: null,
  properties: {},
  conditions: [],
}));
const USERS = 'plugin::users-permissions.user';
const ALLOW_USERS = ['api::*', USERS];

const model = (name: string, uid: string, fields: string[], extra: object = {}) => ({
  name,
  source: { type: 'content-type', uid, fields, ...extra },
  refresh: { mode: 'manual' },
});

const expectDenied = (res: supertest.Response, details: Record<string, unknown>) => {
  expect(res.status).toBe(403);
  expect(res.body).toMatchObject({ data: null, error: { status: 403, name: 'PolicyError', details } });
};

export const sourceAccessSuite = (database: Database) =>
  describeOnDatabase(database)(
    `semantic-model sources follow the content manager's read permissions on ${database}`,
    () => {
      let app: TestApp;
      const allowUsers = (allowed: boolean) =>
        app.strapi.config.set('plugin::api-tokens.sources.contentTypes', allowed ? ALLOW_USERS : null);

      /** An admin with every semantic-model action and these content-manager permissions. */
      const analyst = async (code: string, permissions: object[]) => {
        const roles = app.strapi.service('admin::role') as any;
        const role = await roles.create({ name: code, code, description: 'test' });
        await roles.assignPermissions(role.id, [...MODEL_ACTIONS, ...permissions]);
        return app.adminWithRole(code);
      };
      const read = (subject: string, fields: string[] | null, extra: object = {}) => ({
        action: READ,
        subject,
        properties: { fields, ...extra },
        conditions: [],
      });

      /** A ready model over the users, made by the super admin while users are allowlisted. */
      let usersModel: string;

      beforeAll(async () => {
        app = await startStrapi({ database, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
        await seedSales(app.strapi, 50);
        await seedProducts(app.strapi);
        await app.strapi.plugin('users-permissions').service('user').add({
          username: 'ada',
          email: 'ada@example.com',
          password: 'Secret-password-1',
          provider: 'local',
          confirmed: true,
        });
      });
      afterAll(async () => {
        await app?.stop();
      });
      afterEach(() => allowUsers(false));

      it('lets a super admin model the users only once the option lists them (400 naming source.uid before)', async () => {
        const body = model('People', USERS, ['username', 'email']);
        const refused = await app.admin.post('/api-tokens/semantic-models').send(body);
        expect(refused.status).toBe(400);
        expect(refused.body.error.details.errors[0].path).toEqual(['source', 'uid']);

        allowUsers(true);
        const created = await app.admin.post('/api-tokens/semantic-models').send(body).expect(201);
        usersModel = created.body.data.documentId;
        // The refresh runs the model as saved, with no admin to check.
        await app.strapi.plugin('api-tokens').service('semantic-models').refresh(usersModel);
        const values = await app.admin.get(`/api-tokens/semantic-models/${usersModel}/values?column=email`).expect(200);
        expect(values.body.data).toEqual(['ada@example.com']);
      });

      it('refuses an admin without read on the users: create, update, preview and values (403 naming the type)', async () => {
        allowUsers(true);
        const agent = await analyst('no-users', [read('api::sale.sale', null)]);
        const denied = { code: 'SOURCE_FORBIDDEN', uid: USERS };
        expectDenied(await agent.post('/api-tokens/semantic-models').send(model('Mine', USERS, ['email'])), denied);
        expectDenied(await agent.get(`/api-tokens/semantic-models/${usersModel}/values?column=email`), denied);
        expectDenied(await agent.get(`/api-tokens/semantic-models/${usersModel}/preview`), denied);
        expectDenied(await agent.put(`/api-tokens/semantic-models/${usersModel}`).send({ name: 'Renamed' }), denied);
        // The model's metadata stays visible; its rows do not.
        await agent.get(`/api-tokens/semantic-models/${usersModel}`).expect(200);

        const picker = (await agent.get('/api-tokens/semantic-model-sources').expect(200)).body.data;
        expect(picker.contentTypes.map((contentType: any) => contentType.uid)).toEqual(['api::sale.sale']);
      });

      it('refreshes a model through the external route as saved: the check is on admins, not on API tokens', async () => {
        allowUsers(true);
        const token = await issueToken(app, { scopes: ['semantic-models:refresh'] });
        const res = await app
          .bearer(token.accessKey)
          .post(`/api/api-tokens/semantic-models/${usersModel}/refreshes`)
          .expect(202);
        const run = await app.strapi.plugin('api-tokens').service('runs').waitFor(res.body.data.id);
        expect(run).toMatchObject({ status: 'succeeded', stats: { rows: 1 } });
      });

      it('refuses a field the admin may not read, naming it, and offers only the readable fields', async () => {
        const agent = await analyst('some-fields', [read('api::sale.sale', ['region', 'amount'])]);
        expectDenied(
          await agent
            .post('/api-tokens/semantic-models')
            .send(model('Quantities', 'api::sale.sale', ['region', 'quantity'])),
          { code: 'SOURCE_FIELD_FORBIDDEN', uid: 'api::sale.sale', field: 'quantity' }
        );
        const created = await agent
          .post('/api-tokens/semantic-models')
          .send(model('Amounts', 'api::sale.sale', ['region', 'amount']))
          .expect(201);
        // A change of fields is checked like a create.
        expectDenied(
          await agent
            .put(`/api-tokens/semantic-models/${created.body.data.documentId}`)
            .send({ source: { type: 'content-type', uid: 'api::sale.sale', fields: ['quantity'] } }),
          { code: 'SOURCE_FIELD_FORBIDDEN', field: 'quantity' }
        );
        const picker = (await agent.get('/api-tokens/semantic-model-sources').expect(200)).body.data;
        const sale = picker.contentTypes.find((contentType: any) => contentType.uid === 'api::sale.sale');
        expect(sale.fields.map((field: any) => field.name)).toEqual(['region', 'amount']);
      });

      it('does not let a conditional read permission ("is creator") snapshot the whole table', async () => {
        const agent = await analyst('own-sales', [
          { ...read('api::sale.sale', null), conditions: ['admin::is-creator'] },
        ]);
        const res = await agent
          .post('/api-tokens/semantic-models')
          .send(model('Own sales', 'api::sale.sale', ['region']));
        expectDenied(res, { code: 'SOURCE_CONDITIONAL', uid: 'api::sale.sale', conditions: ['Is creator'] });
        expect(res.body.error.message).toContain('Is creator');
        const picker = (await agent.get('/api-tokens/semantic-model-sources').expect(200)).body.data;
        expect(picker.contentTypes).toEqual([]);
      });

      it('checks the locale a model reads against the locales the permission covers', async () => {
        const agent = await analyst('english-products', [read('api::product.product', null, { locales: ['en'] })]);
        const fields = ['name', 'price'];
        await agent
          .post('/api-tokens/semantic-models')
          .send(model('English', 'api::product.product', fields))
          .expect(201);
        expectDenied(
          await agent
            .post('/api-tokens/semantic-models')
            .send(model('French', 'api::product.product', fields, { locale: 'fr' })),
          { code: 'SOURCE_LOCALE_FORBIDDEN', uid: 'api::product.product', locale: 'fr' }
        );
        const picker = (await agent.get('/api-tokens/semantic-model-sources').expect(200)).body.data;
        expect(picker.contentTypes).toEqual([
          expect.objectContaining({ uid: 'api::product.product', locales: ['en'] }),
        ]);
      });

      it('stops serving a model whose type left the allowlist (403 SOURCE_NOT_ALLOWED)', async () => {
        expectDenied(await app.admin.get(`/api-tokens/semantic-models/${usersModel}/preview`), {
          code: 'SOURCE_NOT_ALLOWED',
          uid: USERS,
        });
      });
    }
  );
