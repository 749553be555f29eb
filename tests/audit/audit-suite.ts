import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';

const AUDIT_READ = 'plugin::api-tokens.audit.read';
const TOKENS_READ = 'plugin::api-tokens.tokens.read';

const expectBadRequest = (res: any, param: string) => {
  expect(res.status).toBe(400);
  expect(res.body.data).toBeNull();
  expect(res.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
  expect(res.body.error.message).toContain(param);
};

export const auditSuite = (database: Database) =>
  describeOnDatabase(database)(`Audit admin API on ${database}`, () => {
    let app: TestApp;
    let adminActor: string;
    const secrets: string[] = [];

    /** An admin agent whose only role holds exactly these plugin actions. */
    const adminWithActions = async (name: string, actions: string[]) => {
      const role = await app.strapi.service('admin::role').create({ name, description: 'audit test' });
      await app.strapi.service('admin::role').assignPermissions(
        role.id,
        actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] }))
      );
      return app.adminWithRole(role.code);
    };

    const record = (entry: Record<string, unknown>) => app.strapi.plugin('api-tokens').service('audit').record(entry);

    const list = (query: Record<string, string | number> = {}) =>
      app.admin.get('/api-tokens/audit-events').query(query);

    beforeAll(async () => {
      app = await startStrapi({ database });
      const admin = await app.strapi.db.query('admin::user').findOne({ where: { email: 'admin@test.local' } });
      adminActor = `admin:${admin.id}`;
    });

    afterAll(async () => {
      await app?.stop();
    });

    it('lists events newest first, with the actor named and no secret', async () => {
      const token = await issueToken(app, { name: 'Audit reader sync', scopes: ['sales:read'] });
      secrets.push(token.accessKey);
      const regenerated = await app.admin
        .post(`/api-tokens/tokens/${token.documentId}/regenerate`)
        .send({ expiresInDays: 60 })
        .expect(201);
      secrets.push(regenerated.body.data.accessKey);
      await app.admin.put(`/api-tokens/tokens/${token.documentId}`).send({ description: 'renamed' }).expect(200);
      await app.admin.post(`/api-tokens/tokens/${token.documentId}/revoke`).expect(200);
      await app.bearer(regenerated.body.data.accessKey).get('/api/sales/summary').expect(401);
      // The denial is recorded off the request path, in the next batch.
      await app.strapi.plugin('api-tokens').service('audit').flush();

      const res = await list({ subjectType: 'api-token', subjectId: token.documentId }).expect(200);
      expect(res.body.data.map((event: any) => event.action)).toEqual([
        'token.denied',
        'token.revoked',
        'token.updated',
        'token.regenerated',
        'token.created',
      ]);
      expect(res.body.data[4]).toEqual({
        id: expect.any(Number),
        action: 'token.created',
        subjectType: 'api-token',
        subjectId: token.documentId,
        actor: adminActor,
        actorName: 'Test Admin',
        ip: expect.any(String),
        details: expect.objectContaining({ name: 'Audit reader sync', scopes: ['sales:read'] }),
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
      expect(res.body.meta.pagination).toEqual({ page: 1, pageSize: 25, pageCount: 1, total: 5 });
      expect(res.body.data[2].details).toEqual({ name: 'Audit reader sync', changed: ['description'] });

      const text = JSON.stringify((await list({ pageSize: 100 }).expect(200)).body);
      for (const secret of secrets) expect(text).not.toContain(secret);
    });

    it('names token actors by the token, and leaves unknown actors unnamed', async () => {
      const token = await issueToken(app, { name: 'Named by token' });
      await record({
        action: 'test.token-acted',
        subjectType: 'test',
        subjectId: 'x',
        actor: `token:${token.documentId}`,
      });
      await record({ action: 'test.token-acted', subjectType: 'test', subjectId: 'y', actor: 'admin:999999' });
      await record({ action: 'test.token-acted', subjectType: 'test', subjectId: 'z', actor: null });

      const res = await list({ action: 'test.token-acted' }).expect(200);
      expect(res.body.data.map((event: any) => [event.subjectId, event.actorName])).toEqual([
        ['z', null],
        ['y', null],
        ['x', 'Named by token'],
      ]);
    });

    it('filters by action, subject and actor, together or alone', async () => {
      await record({ action: 'test.filtered', subjectType: 'report', subjectId: 'r1', actor: 'admin:1' });
      await record({ action: 'test.filtered', subjectType: 'report', subjectId: 'r2', actor: 'token:abc' });
      await record({ action: 'test.other', subjectType: 'report', subjectId: 'r1', actor: 'token:abc' });
      await record({ action: 'test.other', subjectType: 'embed', subjectId: 'r1', actor: 'admin:1' });

      const pick = async (query: Record<string, string>) =>
        (await list(query).expect(200)).body.data.map(
          (event: any) => `${event.action} ${event.subjectType}/${event.subjectId} ${event.actor}`
        );

      expect(await pick({ action: 'test.filtered' })).toEqual([
        'test.filtered report/r2 token:abc',
        'test.filtered report/r1 admin:1',
      ]);
      expect(await pick({ subjectType: 'report', subjectId: 'r1' })).toEqual([
        'test.other report/r1 token:abc',
        'test.filtered report/r1 admin:1',
      ]);
      expect(await pick({ subjectType: 'report', actor: 'token:abc' })).toEqual([
        'test.other report/r1 token:abc',
        'test.filtered report/r2 token:abc',
      ]);
      expect(await pick({ action: 'test.other', subjectId: 'r1', actor: 'admin:1' })).toEqual([
        'test.other embed/r1 admin:1',
      ]);
      expect(await pick({ action: 'test.nothing' })).toEqual([]);
    });

    it('pages through the events', async () => {
      for (let i = 1; i <= 5; i += 1) await record({ action: 'test.paged', subjectType: 'test', subjectId: `p${i}` });

      const pageOf = async (page: number) => {
        const res = await list({ action: 'test.paged', page, pageSize: 2 }).expect(200);
        return { ids: res.body.data.map((event: any) => event.subjectId), pagination: res.body.meta.pagination };
      };
      expect(await pageOf(1)).toEqual({
        ids: ['p5', 'p4'],
        pagination: { page: 1, pageSize: 2, pageCount: 3, total: 5 },
      });
      expect((await pageOf(2)).ids).toEqual(['p3', 'p2']);
      expect((await pageOf(3)).ids).toEqual(['p1']);
      expect((await pageOf(4)).ids).toEqual([]);
    });

    it('answers 400 naming the parameter for bad paging, unknown or repeated parameters', async () => {
      expectBadRequest(await list({ page: 0 }), 'page must be a positive integer');
      expectBadRequest(await list({ page: 'two' }), 'page must be a positive integer');
      expectBadRequest(await list({ pageSize: 101 }), 'pageSize must be at most 100');
      expectBadRequest(await list({ pageSize: -1 }), 'pageSize must be a positive integer');
      expectBadRequest(await list({ action: 'x'.repeat(256) }), 'action must be at most 255 characters');
      expectBadRequest(await list({ sort: 'createdAt' }), 'Unknown query parameter(s): sort');
      expectBadRequest(await app.admin.get('/api-tokens/audit-events?actor=a&actor=b'), 'actor must be a string');
      expectBadRequest(await app.admin.get('/api-tokens/audit-events?subjectId[$ne]=x'), 'subjectId must be a string');

      const res = await list({ pageSize: 500 });
      expect(res.body.error.details.errors).toEqual([
        expect.objectContaining({ path: ['pageSize'], message: 'pageSize must be at most 100' }),
      ]);
    });

    it('requires plugin::api-tokens.audit.read', async () => {
      expect((await app.anonymous().get('/api-tokens/audit-events')).status).toBe(401);

      const editor = await app.adminWithRole('strapi-editor');
      expect((await editor.get('/api-tokens/audit-events')).status).toBe(403);

      const tokenReader = await adminWithActions('Token reader', [TOKENS_READ]);
      await tokenReader.get('/api-tokens/tokens').expect(200);
      const denied = await tokenReader.get('/api-tokens/audit-events');
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({ data: null, error: { status: 403, name: 'PolicyError' } });

      const auditor = await adminWithActions('Auditor', [AUDIT_READ]);
      const allowed = await auditor.get('/api-tokens/audit-events').query({ action: 'test.paged' }).expect(200);
      expect(allowed.body.data).toHaveLength(5);
    });

    it('registers audit.read as an RBAC action under the plugin', async () => {
      const action = app.strapi.service('admin::permission').actionProvider.get(AUDIT_READ);
      expect(action).toMatchObject({ section: 'plugins', pluginName: 'api-tokens', subCategory: 'Audit log' });
    });
  });
