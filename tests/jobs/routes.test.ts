import { startStrapi, type TestApp } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';
import { createFakeKind, gate, RUN_UID, runsService } from './fake-kind';

const expectErrorBody = (res: any, status: number, name?: string) => {
  expect(res.status).toBe(status);
  expect(res.body.data).toBeNull();
  expect(res.body.error).toMatchObject({ status, ...(name ? { name } : {}) });
};

describe('run routes (SQLite)', () => {
  let app: TestApp;
  let runs: any;
  const fake = createFakeKind('fake-delivery');
  let subscriptionToken: string;
  let refreshToken: string;
  let otherToken: string;
  let subscriptionRunId: string;

  /** A refresh run straight in the ledger (the refresh kind belongs to semantic models). */
  const refreshRun = async (status: string) =>
    (
      await app.strapi.db.query(RUN_UID).create({
        data: {
          kind: 'refresh',
          targetId: `model-${Math.random()}`,
          status,
          trigger: 'api',
          attempt: 1,
          stats: { rows: 5 },
          retried: false,
          ...(status === 'queued' ? { notBefore: new Date(Date.now() + 3_600_000) } : { finishedAt: new Date() }),
        },
      })
    ).documentId as string;

  beforeAll(async () => {
    app = await startStrapi({ database: 'sqlite', env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
    runs = runsService(app.strapi);
    runs.registerKind(fake.jobKind);
    subscriptionToken = (await issueToken(app, { scopes: ['subscriptions:execute'] })).accessKey;
    refreshToken = (await issueToken(app, { scopes: ['semantic-models:refresh'] })).accessKey;
    otherToken = (await issueToken(app, { scopes: ['sales:read'] })).accessKey;
    const target = await fake.addTarget();
    const run = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
    subscriptionRunId = (await runs.waitFor(run.id)).id;
  });

  afterAll(async () => {
    await app?.stop();
  });

  describe('GET /api/api-tokens/runs/:runId', () => {
    it('refuses a missing or bad token with 401', async () => {
      expectErrorBody(await app.anonymous().get(`/api/api-tokens/runs/${subscriptionRunId}`), 401);
      expectErrorBody(await app.bearer('rht_nope').get(`/api/api-tokens/runs/${subscriptionRunId}`), 401);
    });

    it('requires the scope of the run kind', async () => {
      const refreshRunId = await refreshRun('succeeded');
      const get = (token: string, id: string) => app.bearer(token).get(`/api/api-tokens/runs/${id}`);

      const own = await get(subscriptionToken, subscriptionRunId).expect(200);
      expect(own.body.data).toMatchObject({ id: subscriptionRunId, kind: 'fake-delivery', status: 'succeeded' });
      expect(own.body.data).not.toHaveProperty('leaseOwner');
      expect((await get(refreshToken, refreshRunId).expect(200)).body.data).toMatchObject({ kind: 'refresh' });

      const denied = await get(subscriptionToken, refreshRunId);
      expectErrorBody(denied, 403, 'PolicyError');
      expect(denied.body.error.message).toMatch(/semantic-models:refresh/);
      expectErrorBody(await get(refreshToken, subscriptionRunId), 403, 'PolicyError');
      expectErrorBody(await get(otherToken, subscriptionRunId), 403, 'PolicyError');
    });

    it('answers an unknown run with 404', async () => {
      expectErrorBody(await app.bearer(subscriptionToken).get('/api/api-tokens/runs/nope'), 404, 'NotFoundError');
    });
  });

  describe('DELETE /api/api-tokens/runs/:runId', () => {
    it('cancels only with the scope of the run kind', async () => {
      const queued = await refreshRun('queued');
      expectErrorBody(await app.anonymous().delete(`/api/api-tokens/runs/${queued}`), 401);
      expectErrorBody(await app.bearer(subscriptionToken).delete(`/api/api-tokens/runs/${queued}`), 403, 'PolicyError');
      expect((await runs.get(queued)).status).toBe('queued');

      const res = await app.bearer(refreshToken).delete(`/api/api-tokens/runs/${queued}`).expect(200);
      expect(res.body.data).toMatchObject({ id: queued, status: 'cancelled' });
      expectErrorBody(await app.bearer(refreshToken).delete(`/api/api-tokens/runs/${queued}`), 409, 'ConflictError');
      expectErrorBody(await app.bearer(refreshToken).delete('/api/api-tokens/runs/nope'), 404);
    });
  });

  describe('admin routes', () => {
    it('lists runs with filters and pagination', async () => {
      const res = await app.admin.get('/api-tokens/runs?kind=fake-delivery&pageSize=1').expect(200);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.data[0].kind).toBe('fake-delivery');
      expect(res.body.meta.pagination).toMatchObject({ page: 1, pageSize: 1 });
      const refreshes = await app.admin.get('/api-tokens/runs?kind=refresh&status=succeeded').expect(200);
      expect(refreshes.body.data.every((run: any) => run.kind === 'refresh' && run.status === 'succeeded')).toBe(true);
      const all = (await app.admin.get('/api-tokens/runs?pageSize=100').expect(200)).body.data;
      const viaApi = (await app.admin.get('/api-tokens/runs?trigger=api&pageSize=100').expect(200)).body.data;
      expect(viaApi.length).toBeGreaterThan(0);
      expect(viaApi.map((run: any) => run.id)).toEqual(
        all.filter((run: any) => run.trigger === 'api').map((run: any) => run.id)
      );
      const one = await app.admin.get(`/api-tokens/runs/${subscriptionRunId}`).expect(200);
      expect(one.body.data.id).toBe(subscriptionRunId);
      expectErrorBody(await app.admin.get('/api-tokens/runs/nope'), 404);
    });

    it.each([
      ['kind=nope', /kind must be one of/],
      ['trigger=cron', /trigger must be one of/],
      ['page=0', /page must be a positive integer/],
      ['pageSize=1000', /pageSize must be at most 100/],
      ['foo=1', /Unknown query parameter/],
    ])('rejects ?%s with 400', async (query, message) => {
      const res = await app.admin.get(`/api-tokens/runs?${query}`);
      expectErrorBody(res, 400, 'ValidationError');
      expect(res.body.error.message).toMatch(message);
    });

    it('refuses anonymous callers and admins without runs.read', async () => {
      expectErrorBody(await app.anonymous().get('/api-tokens/runs'), 401);
      const editor = await app.adminWithRole('strapi-editor');
      expectErrorBody(await editor.get('/api-tokens/runs'), 403);
      expectErrorBody(await editor.get(`/api-tokens/runs/${subscriptionRunId}`), 403);
    });
  });

  it('sends a trigger conflict as a 409 in Strapi error body with the active run id', async () => {
    const target = await fake.addTarget();
    const release = gate();
    fake.behave(async () => {
      await release.promise;
      return {};
    });
    // A throwaway route standing in for the kind-specific trigger routes, through Strapi's error middleware.
    (app.strapi.server.router as any).post('/__jobs-test/trigger', async (ctx: any) => {
      ctx.body = { data: await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' }) };
    });
    const first = await app.anonymous().post('/__jobs-test/trigger').expect(200);
    const second = await app.anonymous().post('/__jobs-test/trigger');
    expect(second.status).toBe(409);
    expect(second.body).toEqual({
      data: null,
      error: {
        status: 409,
        name: 'ConflictError',
        message: 'This subscription already has a run queued or running',
        details: { code: 'RUN_ACTIVE', runId: first.body.data.id },
      },
    });
    release.open();
    await runs.waitFor(first.body.data.id);
  });
});
