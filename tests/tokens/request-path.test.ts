import { createRateLimiter } from '../../src/plugins/api-tokens/server/src/tokens/rate-limit';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';

describe('the token bucket', () => {
  it('allows a burst of the limit, then one request per refill interval', () => {
    const take = createRateLimiter(60);
    const start = 1_000_000;
    for (let i = 0; i < 60; i += 1) expect(take('a', start).allowed).toBe(true);
    const refused = take('a', start);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    expect(take('b', start).allowed).toBe(true);
    expect(take('a', start + 1000).allowed).toBe(true);
    expect(take('a', start + 1000).allowed).toBe(false);
  });
});

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

  it('reuses a lookup for tokenCacheSeconds: a revoke by another instance applies within it, a local one at once', async () => {
    const remote = await issueToken(app);
    await app.bearer(remote.accessKey).get('/api/api-tokens/self').expect(200);
    // Another instance revokes: only the database changes.
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
});
