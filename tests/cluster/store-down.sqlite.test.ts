import { startStrapi, type TestApp } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';

const PER_MINUTE = 3;

/** REDIS_URL names a port where nothing listens: the limiters fail open to their in-memory insurance. */
describe('with Redis unreachable', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startStrapi({
      env: {
        REDIS_URL: 'redis://127.0.0.1:1',
        API_TOKENS_RATE_LIMIT_STORE: undefined,
        API_TOKENS_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    delete process.env.REDIS_URL;
    delete process.env.API_TOKENS_RATE_LIMIT_PER_MINUTE;
  });

  it('boots on the redis store and bus, serves token requests, and limits each token per instance', async () => {
    expect(app.strapi.plugin('api-tokens').service('cluster').describe()).toEqual({ store: 'redis', bus: 'redis' });
    const token = await issueToken(app);
    const statuses: number[] = [];
    for (let i = 0; i <= PER_MINUTE; i += 1)
      statuses.push((await app.bearer(token.accessKey).get('/api/api-tokens/self')).status);
    expect(statuses).toEqual([...Array(PER_MINUTE).fill(200), 429]);
  });

  it('still applies a revoke on this instance at once', async () => {
    const token = await issueToken(app);
    await app.bearer(token.accessKey).get('/api/api-tokens/self').expect(200);
    await app.admin.post(`/api-tokens/tokens/${token.documentId}/revoke`).expect(200);
    await app.bearer(token.accessKey).get('/api/api-tokens/self').expect(401);
  });
});
