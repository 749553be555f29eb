import { bootInChildProcess, startStrapi, type TestApp } from '../helpers/strapi';

describe('on SQLite, one instance', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startStrapi({ env: { REDIS_URL: undefined, API_TOKENS_RATE_LIMIT_STORE: undefined } });
  });
  afterAll(() => app?.stop());

  it('counts rate limits in memory and keeps cache invalidation in the process', () => {
    expect(app.strapi.plugin('api-tokens').service('cluster').describe()).toEqual({
      store: 'memory',
      bus: 'in-process',
    });
  });

  it('refuses to boot with the database store, or the redis store without REDIS_URL, naming the setting', () => {
    const env = { ...process.env, REDIS_URL: '' };
    const database = bootInChildProcess({ ...env, API_TOKENS_RATE_LIMIT_STORE: 'database' });
    expect(database.status).toBe(1);
    expect(database.output).toContain('rateLimit.store "database" needs PostgreSQL');
    const redis = bootInChildProcess({ ...env, API_TOKENS_RATE_LIMIT_STORE: 'redis' });
    expect(redis.status).toBe(1);
    expect(redis.output).toContain('rateLimit.store "redis" needs redis.url (REDIS_URL)');
  });
});
