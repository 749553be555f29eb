import { startStrapi, type TestApp } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';

const RUN_UID = 'plugin::api-tokens.job-run';
const AUDIT_UID = 'plugin::api-tokens.audit-event';

describe('the request path of token-guarded routes', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startStrapi({ env: { API_TOKENS_RATE_LIMIT_PER_MINUTE: '3', API_TOKENS_CACHE_SECONDS: '1' } });
  });
  afterAll(async () => {
    await app?.stop();
    delete process.env.API_TOKENS_RATE_LIMIT_PER_MINUTE;
    delete process.env.API_TOKENS_CACHE_SECONDS;
  });

  it('reuses a lookup for tokenCacheSeconds: a revoke the bus did not announce applies within it, a local one at once', async () => {
    const remote = await issueToken(app);
    await app.bearer(remote.accessKey).get('/api/api-tokens/self').expect(200);
    // Only the database changes (as when another instance's message is lost; tests/cluster/ covers the bus).
    await app.strapi.db
      .query('plugin::api-tokens.api-token')
      .update({ where: { documentId: remote.documentId }, data: { revokedAt: new Date() } });
    await app.bearer(remote.accessKey).get('/api/api-tokens/self').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await app.bearer(remote.accessKey).get('/api/api-tokens/self').expect(401);

    const local = await issueToken(app);
    await app.bearer(local.accessKey).get('/api/api-tokens/self').expect(200);
    await app.admin.post(`/api-tokens/tokens/${local.documentId}/revoke`).expect(200);
    await app.bearer(local.accessKey).get('/api/api-tokens/self').expect(401);
  });

  it('does not cache a lookup whose database read was in flight when the token was revoked', async () => {
    const token = await issueToken(app);
    const db = app.strapi.db;
    const query = db.query.bind(db);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reading!: () => void;
    const readStarted = new Promise<void>((resolve) => (reading = resolve));
    let held = false;
    const spy = jest.spyOn(db, 'query').mockImplementation(((uid: string) => {
      const repository = query(uid as any);
      if (uid !== 'plugin::api-tokens.api-token' || held) return repository;
      // The authentication's read of the token row (by digest) returns its row only after the revoke.
      return new Proxy(repository, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver);
          if (key !== 'findOne') return value;
          return async (params: any) => {
            if (held || !params?.where?.digest) return value.call(target, params);
            held = true;
            const row = await value.call(target, params);
            reading();
            await gate;
            return row;
          };
        },
      });
    }) as any);
    try {
      const inFlight = app.bearer(token.accessKey).get('/api/api-tokens/self');
      const answered = inFlight.then((res) => res.status);
      await readStarted;
      await app.admin.post(`/api-tokens/tokens/${token.documentId}/revoke`).expect(200);
      release();
      // The request that read the row before the revoke may pass; what it read must not be kept.
      expect(await answered).toBe(200);
    } finally {
      spy.mockRestore();
    }
    await app.bearer(token.accessKey).get('/api/api-tokens/self').expect(401);
  });

  it('answers 429 with Retry-After past the limit, per token', async () => {
    const busy = await issueToken(app);
    const quiet = await issueToken(app);
    for (let i = 0; i < 3; i += 1) {
      const res = await app.bearer(busy.accessKey).get('/api/api-tokens/self').expect(200);
      expect(res.headers['ratelimit-limit']).toBe('3');
      expect(res.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await app.bearer(busy.accessKey).get('/api/api-tokens/self');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ data: null, error: { status: 429, name: 'RateLimitError' } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await app.bearer(quiet.accessKey).get('/api/api-tokens/self').expect(200);
  });

  describe('run routes: the scope of the run kind, through the policy', () => {
    const refreshRun = async () =>
      (
        await app.strapi.db.query(RUN_UID).create({
          data: {
            kind: 'refresh',
            targetId: `model-${Math.random()}`,
            status: 'queued',
            trigger: 'api',
            attempt: 1,
            retried: false,
            notBefore: new Date(Date.now() + 3_600_000),
          },
        })
      ).documentId as string;

    it('authenticates before it looks the run up: 401 without a token, 404 only for a valid one', async () => {
      await app.anonymous().get('/api/api-tokens/runs/no-such-run').expect(401);
      await app.anonymous().delete('/api/api-tokens/runs/no-such-run').expect(401);
      const { accessKey } = await issueToken(app, { scopes: ['sales:read'] });
      const missing = await app.bearer(accessKey).get('/api/api-tokens/runs/no-such-run').expect(404);
      expect(missing.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
    });

    it("audits a refusal for the run kind's scope as the policy's sampled token.denied", async () => {
      const runId = await refreshRun();
      const other = await issueToken(app, { scopes: ['sales:read'] });
      const denied = await app.bearer(other.accessKey).get(`/api/api-tokens/runs/${runId}`).expect(403);
      expect(denied.body.error).toMatchObject({
        name: 'PolicyError',
        message: 'This API token lacks the required scope(s): semantic-models:refresh',
        details: { requiredScopes: ['semantic-models:refresh'] },
      });
      await app.bearer(other.accessKey).delete(`/api/api-tokens/runs/${runId}`).expect(403);
      await app.strapi.plugin('api-tokens').service('audit').flush();
      const events = await app.strapi.db
        .query(AUDIT_UID)
        .findMany({ where: { action: 'token.denied', subjectId: other.documentId } });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        subjectType: 'api-token',
        actor: `token:${other.documentId}`,
        details: {
          reason: 'scope',
          method: 'GET',
          path: `/api/api-tokens/runs/${runId}`,
          requiredScopes: ['semantic-models:refresh'],
        },
      });

      const refresher = await issueToken(app, { scopes: ['semantic-models:refresh'] });
      const shown = await app.bearer(refresher.accessKey).get(`/api/api-tokens/runs/${runId}`).expect(200);
      expect(shown.body.data).toMatchObject({ id: runId, kind: 'refresh', status: 'queued' });
      const cancelled = await app.bearer(refresher.accessKey).delete(`/api/api-tokens/runs/${runId}`).expect(200);
      expect(cancelled.body.data).toMatchObject({ id: runId, status: 'cancelled' });
      // A cancel through the API is audited as the admin route's is, with the token as the actor.
      const audited = await app.strapi.db
        .query('plugin::api-tokens.audit-event')
        .findMany({ where: { action: 'run.cancelled', subjectId: runId } });
      expect(audited).toEqual([
        expect.objectContaining({ subjectType: 'run', actor: `token:${refresher.documentId}` }),
      ]);
    });
  });
});
