import { generateToken } from '../../src/plugins/api-tokens/server/src/tokens/format';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';

const TOKEN_UID = 'plugin::api-tokens.api-token';
const AUDIT_UID = 'plugin::api-tokens.audit-event';
const WINDOW_SECONDS = 8;

describe('failed authentication is throttled by client IP', () => {
  let app: TestApp;
  beforeAll(async () => {
    // The default limit (50 a window); a short window so the test can see it pass.
    app = await startStrapi({
      env: { API_TOKENS_FAILED_AUTH_LIMIT: undefined, API_TOKENS_FAILED_AUTH_WINDOW_SECONDS: String(WINDOW_SECONDS) },
    });
  });
  afterAll(async () => {
    await app?.stop();
    delete process.env.API_TOKENS_FAILED_AUTH_WINDOW_SECONDS;
  });

  it('answers the 51st failed attempt with 429 and Retry-After, before any token lookup, until the window passes', async () => {
    const valid = await issueToken(app);
    const { tableName } = app.strapi.db.metadata.get(TOKEN_UID);
    const lookups: string[] = [];
    app.strapi.db.connection.on('query', (query: { sql: string }) => {
      if (query.sql.includes(tableName)) lookups.push(query.sql);
    });
    const self = (token: string) => app.bearer(token).get('/api/api-tokens/self');

    const windowStart = Date.now();
    // Well-formed unknown tokens: each one is looked up in the database and refused.
    for (let i = 0; i < 50; i += 1) expect((await self(generateToken())).status).toBe(401);
    expect(lookups).toHaveLength(50);
    expect(Date.now() - windowStart).toBeLessThan(WINDOW_SECONDS * 1000);

    lookups.length = 0;
    const throttled = await self(generateToken());
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({
      data: null,
      error: { status: 429, name: 'RateLimitError', message: 'Too many failed authentications from this client' },
    });
    const retryAfter = Number(throttled.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    // The IP is blocked whatever it sends, a valid token included (checked before the database, as GitHub does).
    expect((await self(valid.accessKey)).status).toBe(429);
    expect((await app.anonymous().get('/api/api-tokens/self')).status).toBe(429);
    expect(lookups).toEqual([]);

    await app.strapi.plugin('api-tokens').service('audit').flush();
    const audited = await app.strapi.db.query(AUDIT_UID).findMany({ where: { action: 'token.denied' } });
    expect(audited.filter((event: any) => event.details.reason === 'throttled')).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, windowStart + WINDOW_SECONDS * 1000 + 200 - Date.now()));
    expect((await self(valid.accessKey)).status).toBe(200);
    expect((await self(generateToken())).status).toBe(401);
  });

  it('does not count a valid token without the scope as a failed authentication', async () => {
    const { accessKey } = await issueToken(app, { scopes: ['semantic-models:refresh'] });
    for (let i = 0; i < 55; i += 1) {
      expect((await app.bearer(accessKey).get('/api/sales/summary')).status).toBe(403);
    }
  });
});

describe('failed authentication with the throttle off (limit 0)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startStrapi({ env: { API_TOKENS_FAILED_AUTH_LIMIT: '0' } });
  });
  afterAll(async () => {
    await app?.stop();
    delete process.env.API_TOKENS_FAILED_AUTH_LIMIT;
  });

  it('answers every failed attempt with 401', async () => {
    for (let i = 0; i < 60; i += 1) {
      expect((await app.bearer(generateToken()).get('/api/api-tokens/self')).status).toBe(401);
    }
  });
});
