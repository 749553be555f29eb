import jwt from 'jsonwebtoken';
import { demoEmbedRequest, demoReports, seedSales } from '../../src/demo/seed';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { issueToken, type IssuedToken } from '../helpers/tokens';

const SECRET_A = 'embed-secret-a-0123456789-0123456789-0123456789';
const SECRET_B = 'embed-secret-b-0123456789-0123456789-0123456789';
const SECRET_C = 'embed-secret-c-0123456789-0123456789-0123456789';

const basic = (token: IssuedToken) =>
  `Basic ${Buffer.from(`${token.documentId}:${token.accessKey}`).toString('base64')}`;

/** Each boot names every variable it depends on: startStrapi keeps what an earlier boot set. */
const boot = (secret: string, previous: string | undefined, extra: Record<string, string | undefined> = {}) => ({
  EMBED_JWT_SECRET: secret,
  EMBED_JWT_PREVIOUS_SECRETS: previous,
  API_TOKENS_SCHEDULER_ENABLED: 'false',
  API_TOKENS_FAILED_AUTH_LIMIT: undefined,
  ...extra,
});

describe('embed secret rotation', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });
  afterAll(() => {
    for (const key of Object.keys(boot('', ''))) delete process.env[key];
  });

  it('keeps verifying tokens of a previous secret, refuses unknown kids, and counts bad OAuth clients', async () => {
    app = await startStrapi({ env: boot(SECRET_A, undefined) });
    await seedSales(app.strapi, 50);
    const create = async (path: string, body: object) => {
      const res = await app!.admin.post(path).send(body);
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data;
    };
    const model = await create('/api-tokens/semantic-models', {
      name: 'Sales',
      source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'channel', 'amount'] },
      refresh: { mode: 'manual' },
    });
    await app.strapi.plugin('api-tokens').service('semantic-models').refresh(model.documentId);
    const report = await create('/api-tokens/reports', {
      ...demoReports(model.documentId)[1],
      embed: { enabled: true },
    });
    const embedId: string = report.embed.embedId;
    const issuer = await issueToken(app, { scopes: ['embed-tokens:create'] });
    const mint = async (target: TestApp) => {
      const res = await target.bearer(issuer.accessKey).post('/v1/cards/embed/auth').send(demoEmbedRequest(embedId));
      expect(res.status).toBe(201);
      return res.body.authentication as string;
    };
    const accessToken = async (target: TestApp) => {
      const res = await target
        .anonymous()
        .post('/oauth/token')
        .set('Authorization', basic(issuer))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expect(res.status).toBe(200);
      return res.body.access_token as string;
    };
    const verify = (target: TestApp, token: string) =>
      target.strapi.plugin('api-tokens').service('embeds').verify(token, 'card', embedId);
    const refused = { name: 'UnauthorizedError', details: { code: 'TOKEN_INVALID' } };
    const kidOf = (token: string) => (jwt.decode(token, { complete: true }) as any).header.kid;

    const underA = await mint(app);
    const accessUnderA = await accessToken(app);
    await verify(app, underA);
    const databaseName = app.databaseName;
    await app.stop({ keepDatabase: true });

    // Rotated: B signs, A still verifies.
    app = await startStrapi({ databaseName, env: boot(SECRET_B, SECRET_A) });
    await verify(app, underA);
    await app.bearer(accessUnderA).get('/api/api-tokens/self').expect(200);
    const underB = await mint(app);
    expect(kidOf(underB)).not.toBe(kidOf(underA));
    await verify(app, underB);
    // A kid no secret has, and a known kid with a signature of another secret.
    const claims = jwt.decode(underB) as Record<string, unknown>;
    const unknownKid = jwt.sign(claims, SECRET_C, {
      algorithm: 'HS256',
      header: { alg: 'HS256', kid: 'ffffffffffff' },
    });
    await expect(verify(app, unknownKid)).rejects.toMatchObject(refused);
    const forged = jwt.sign(claims, SECRET_C, { algorithm: 'HS256', header: { alg: 'HS256', kid: kidOf(underB) } });
    await expect(verify(app, forged)).rejects.toMatchObject(refused);
    await app.stop({ keepDatabase: true });

    // A retired: its tokens are refused, B's still verify. The failed-auth budget is 3 for this boot.
    app = await startStrapi({ databaseName, env: boot(SECRET_B, undefined, { API_TOKENS_FAILED_AUTH_LIMIT: '3' }) });
    await expect(verify(app, underA)).rejects.toMatchObject(refused);
    await verify(app, underB);
    expect((await app.bearer(accessUnderA).get('/api/api-tokens/self')).status).toBe(401);

    // Two bad OAuth clients and the refused access token above spend the budget: even a good client is throttled.
    for (let i = 0; i < 2; i += 1) {
      const bad = await app
        .anonymous()
        .get('/oauth/token?grant_type=client_credentials')
        .set('Authorization', `Basic ${Buffer.from(`${issuer.documentId}:wrong`).toString('base64')}`);
      expect(bad.status).toBe(401);
      expect(bad.body.error).toBe('invalid_client');
    }
    const throttled = await app
      .anonymous()
      .get('/oauth/token?grant_type=client_credentials')
      .set('Authorization', basic(issuer));
    expect(throttled.status).toBe(429);
    expect(throttled.body.error).toBe('temporarily_unavailable');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await app.bearer(issuer.accessKey).get('/api/api-tokens/self')).status).toBe(429);
  });
});
