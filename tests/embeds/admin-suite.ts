import { seedSales } from '../../src/demo/seed';
import { expectFieldError } from '../helpers/field-errors';
import { ADMIN, describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';

const SALES = 50;
const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;

const byRegion = {
  query: {
    columns: ['region'],
    groupBy: ['region'],
    aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }],
    sort: [{ field: 'region', dir: 'asc' }],
  },
  chart: { type: 'bar', x: 'region', y: ['total'] },
};

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const embedAdminSuite = (database: Database) =>
  describeOnDatabase(database)(`embed admin routes on ${database}`, () => {
    let app: TestApp;
    let model: string;
    let adminId: number;
    let names = 0;

    const post = async (path: string, body: object) => {
      const res = await app.admin.post(path).send(body);
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data;
    };
    const createReport = (embed = { enabled: true }) =>
      post('/api-tokens/reports', { ...byRegion, semanticModel: model, name: `Embedded ${(names += 1)}`, embed });
    const mint = (body: object, agent = app.admin) => agent.post('/api-tokens/embed-playground').send(body);
    const embeds = () => app.strapi.plugin('api-tokens').service('embeds');
    /** A role with these plugin actions, and the sales' content-manager read (the model's source access). */
    const withRole = async (code: string, actions: string[]) => {
      const roles = app.strapi.service('admin::role') as any;
      const role = await roles.create({ name: code, code, description: 'test' });
      await roles.assignPermissions(role.id, [
        ...actions.map((action) => ({
          action: `plugin::api-tokens.${action}`,
          subject: null,
          properties: {},
          conditions: [],
        })),
        {
          action: 'plugin::content-manager.explorer.read',
          subject: 'api::sale.sale',
          properties: { fields: ['region', 'channel', 'amount'] },
          conditions: [],
        },
      ]);
      return app.adminWithRole(code);
    };

    beforeAll(async () => {
      app = await startStrapi({ database, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
      await seedSales(app.strapi, SALES);
      model = (
        await post('/api-tokens/semantic-models', {
          name: 'Sales',
          source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'channel', 'amount'] },
          refresh: { mode: 'manual' },
        })
      ).documentId;
      await app.strapi.plugin('api-tokens').service('semantic-models').refresh(model);
      adminId = (await app.strapi.db.query('admin::user').findOne({ where: { email: ADMIN.email } })).id;
    });
    afterAll(async () => {
      await app?.stop();
    });

    describe('revoke every token issued before now', () => {
      it('sets the cutoff: an older token is refused with 401 TOKEN_INVALID, one minted a second later passes', async () => {
        const report = await createReport();
        const { embedId } = report.embed;
        const old = (await mint({ type: 'card', embedId, permissions: ['READ'] }).expect(201)).body.data;
        await embeds().verify(old.authentication, 'card', embedId);

        const before = Date.now();
        const res = await app.admin.post(`/api-tokens/reports/${report.documentId}/embed/revoke-tokens`).expect(200);
        expect(res.body.data).toMatchObject({ enabled: true, embedId, allowedOrigins: [] });
        const cutoff = Date.parse(res.body.data.revokedBefore);
        expect(cutoff).toBeGreaterThanOrEqual(before - 1000);
        expect(cutoff).toBeLessThanOrEqual(Date.now());
        const saved = (await app.admin.get(`/api-tokens/reports/${report.documentId}`).expect(200)).body.data;
        expect(saved.embed.revokedBefore).toBe(res.body.data.revokedBefore);

        await expect(embeds().verify(old.authentication, 'card', embedId)).rejects.toMatchObject({
          name: 'UnauthorizedError',
          details: { code: 'TOKEN_INVALID' },
        });
        // iat has a one-second granularity: a token of the cutoff's own second would be refused too.
        await sleep(1100);
        const fresh = (await mint({ type: 'card', embedId, permissions: ['READ'] }).expect(201)).body.data;
        const verified = await embeds().verify(fresh.authentication, 'card', embedId);
        expect(verified.claims.jti).toBe(claimsOf(fresh.authentication).jti);
      });

      it('revokes a dashboard’s tokens, audited; needs the update permission; 404 for an unknown document', async () => {
        const report = await createReport({ enabled: false });
        const dashboard = await post('/api-tokens/dashboards', {
          name: `Board ${(names += 1)}`,
          items: [{ report: report.documentId, width: 6 }],
          embed: { enabled: true },
        });
        const res = await app.admin
          .post(`/api-tokens/dashboards/${dashboard.documentId}/embed/revoke-tokens`)
          .expect(200);
        expect(res.body.data.revokedBefore).toEqual(expect.any(String));
        const events = (
          await app.admin.get(
            `/api-tokens/audit-events?action=embed-token.revoked-before&subjectId=${dashboard.documentId}`
          )
        ).body.data;
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ actor: `admin:${adminId}`, subjectType: 'story' });

        const reader = await withRole('embed-readers', ['reports.read', 'dashboards.read']);
        expect((await reader.post(`/api-tokens/reports/${report.documentId}/embed/revoke-tokens`)).status).toBe(403);
        expect((await reader.post(`/api-tokens/dashboards/${dashboard.documentId}/embed/revoke-tokens`)).status).toBe(
          403
        );
        expect(
          (await app.anonymous().post(`/api-tokens/reports/${report.documentId}/embed/revoke-tokens`)).status
        ).toBe(401);
        expect((await app.admin.post('/api-tokens/reports/nope/embed/revoke-tokens')).status).toBe(404);
      });
    });

    describe('the playground', () => {
      it('mints with the admin as subject, capped at 15 minutes whatever sessionLength asks, audited by jti', async () => {
        const report = await createReport();
        const { embedId } = report.embed;
        const before = Date.now();
        const res = await mint({
          type: 'card',
          embedId,
          permissions: ['READ', 'FILTER'],
          filters: [{ column: 'region', operator: 'IN', values: ['North', 'East'] }],
          sessionLength: 600,
        }).expect(201);
        const { authentication, expiration } = res.body.data;
        expect(expiration).toBeLessThanOrEqual(Date.now() + FIFTEEN_MINUTES_MS);
        expect(expiration).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + FIFTEEN_MINUTES_MS);
        const claims = claimsOf(authentication);
        expect(claims).toMatchObject({
          sub: `admin:${adminId}`,
          exp: expiration / 1000,
          emb: [
            {
              token: embedId,
              type: 'card',
              permissions: ['READ', 'FILTER'],
              filters: [{ column: 'region', operator: 'IN', values: ['North', 'East'] }],
            },
          ],
        });
        const short = (await mint({ type: 'card', embedId, permissions: ['READ'], sessionLength: 2 }).expect(201)).body
          .data;
        expect(claimsOf(short.authentication).exp - claimsOf(short.authentication).iat).toBe(120);

        await app.strapi.plugin('api-tokens').service('audit').flush();
        const events = (await app.admin.get('/api-tokens/audit-events?action=embed-token.issued')).body.data;
        const event = events.find((candidate: any) => candidate.details?.jti === claims.jti);
        expect(event).toMatchObject({ actor: `admin:${adminId}`, subjectType: 'card', subjectId: report.documentId });
        expect(JSON.stringify(events)).not.toContain(authentication);
      });

      it('answers the embed’s name and columns for the filter rows', async () => {
        const report = await createReport();
        const res = await app.admin.get(`/api-tokens/embed-playground/card/${report.embed.embedId}`).expect(200);
        expect(res.body.data).toMatchObject({ embedId: report.embed.embedId, name: report.name, enabled: true });
        expect(res.body.data.columns.map((column: any) => column.name).sort()).toEqual(['amount', 'channel', 'region']);
        expect((await app.admin.get(`/api-tokens/embed-playground/story/${report.embed.embedId}`)).status).toBe(404);
        expectFieldError(await app.admin.get(`/api-tokens/embed-playground/page/${report.embed.embedId}`), 'type');
      });

      it('mints a story token for a dashboard, whose filters may use the columns every card has', async () => {
        const first = await createReport({ enabled: false });
        const second = await createReport({ enabled: false });
        const dashboard = await post('/api-tokens/dashboards', {
          name: `Board ${(names += 1)}`,
          items: [
            { report: first.documentId, width: 6 },
            { report: second.documentId, width: 6 },
          ],
          embed: { enabled: true },
        });
        const { embedId } = dashboard.embed;
        const target = (await app.admin.get(`/api-tokens/embed-playground/story/${embedId}`).expect(200)).body.data;
        expect(target).toMatchObject({ type: 'story', documentId: dashboard.documentId, name: dashboard.name });
        expect(target.columns.map((column: any) => column.name).sort()).toEqual(['amount', 'channel', 'region']);
        const body = {
          type: 'story',
          embedId,
          permissions: ['READ'],
          filters: [{ column: 'channel', operator: 'EQUALS', values: ['online'] }],
        };
        const { authentication } = (await mint(body).expect(201)).body.data;
        expect(claimsOf(authentication).emb).toEqual([
          { token: embedId, type: 'story', permissions: ['READ'], filters: body.filters },
        ]);
        await embeds().verify(authentication, 'story', embedId);
        expectFieldError(await mint({ ...body, type: 'card' }), 'embedId');
      });

      it('403 without embeds.playground, and without the read permission of the report', async () => {
        const report = await createReport();
        const body = { type: 'card', embedId: report.embed.embedId, permissions: ['READ'] };
        const reader = await withRole('report-reader', ['reports.read']);
        expect((await mint(body, reader)).status).toBe(403);
        const player = await withRole('playground-only', ['embeds.playground', 'dashboards.read']);
        const res = await mint(body, player);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(/Reading this report is not allowed/);
        expect((await player.get(`/api-tokens/embed-playground/card/${report.embed.embedId}`)).status).toBe(403);
        const allowed = await withRole('playground-reports', ['embeds.playground', 'reports.read']);
        const ok = await mint(body, allowed);
        expect(ok.status).toBe(201);
      });

      it('400 naming the playground’s fields', async () => {
        const report = await createReport();
        const disabled = await createReport({ enabled: false });
        const embedId = report.embed.embedId;
        expectFieldError(await mint({ type: 'page', embedId, permissions: ['READ'] }), 'type');
        expectFieldError(await mint({ type: 'card', permissions: ['READ'] }), 'embedId');
        expectFieldError(await mint({ type: 'card', embedId: 'nope1234', permissions: ['READ'] }), 'embedId');
        expectFieldError(await mint({ type: 'story', embedId, permissions: ['READ'] }), 'embedId');
        const unknown = await mint({ type: 'card', embedId, permissions: ['READ'], extra: 1 });
        expect(unknown.status).toBe(400);
        expect(unknown.body.error.message).toContain('extra');
        expectFieldError(await mint({ type: 'card', embedId, permissions: ['FILTER'] }), 'permissions');
        expectFieldError(
          await mint({ type: 'card', embedId, permissions: ['READ'], sessionLength: 0 }),
          'sessionLength'
        );
        const column = await mint({
          type: 'card',
          embedId,
          permissions: ['READ'],
          filters: [{ column: 'nope', operator: 'IN', values: ['x'] }],
        });
        expectFieldError(column, 'filters[0].column');
        expect(column.body.error.message).toMatch(/^filters\[0\]\.column/);
        expectFieldError(
          await mint({
            type: 'card',
            embedId,
            permissions: ['READ'],
            filters: [{ column: 'amount', operator: 'GREATER_THAN', values: ['lots'] }],
          }),
          'filters[0].values[0]'
        );
        const off = await mint({ type: 'card', embedId: disabled.embed.embedId ?? 'none0000', permissions: ['READ'] });
        expectFieldError(off, 'embedId');
      });
    });

    describe('embed activity', () => {
      it('lists embed-token events only, newest first, paged; audit.read only', async () => {
        const report = await createReport();
        const { embedId } = report.embed;
        const issued = (await mint({ type: 'card', embedId, permissions: ['READ'] }).expect(201)).body.data;
        await app.strapi.plugin('api-tokens').service('audit').flush();
        await app.strapi.plugin('api-tokens').service('audit').record({ action: 'token.created', actor: 'admin:1' });
        await app.admin.post(`/api-tokens/reports/${report.documentId}/embed/revoke-tokens`).expect(200);

        const res = await app.admin.get('/api-tokens/embed-activity?pageSize=2').expect(200);
        expect(res.body.meta.pagination).toMatchObject({ page: 1, pageSize: 2 });
        expect(res.body.meta.pagination.total).toBeGreaterThanOrEqual(2);
        const [latest, previous] = res.body.data;
        expect(latest).toMatchObject({ action: 'embed-token.revoked-before', actorName: 'Test Admin' });
        expect(previous).toMatchObject({
          action: 'embed-token.issued',
          details: { jti: claimsOf(issued.authentication).jti, embedIds: [embedId] },
        });
        const all = (await app.admin.get('/api-tokens/embed-activity?pageSize=100').expect(200)).body.data;
        expect(all.every((event: any) => event.action.startsWith('embed-token.'))).toBe(true);
        const times = all.map((event: any) => Date.parse(event.createdAt));
        expect([...times].sort((a, b) => b - a)).toEqual(times);

        expectFieldError(await app.admin.get('/api-tokens/embed-activity?pageSize=1000'), 'pageSize');
        const unknown = await app.admin.get('/api-tokens/embed-activity?action=x');
        expect(unknown.status).toBe(400);
        expect(unknown.body.error.message).toContain('action');
        const reader = await withRole('activity-none', ['reports.read']);
        expect((await reader.get('/api-tokens/embed-activity')).status).toBe(403);
      });
    });
  });
