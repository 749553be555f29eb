import jwt from 'jsonwebtoken';
import { demoEmbedRequest, demoReports, seedSales } from '../../src/demo/seed';
import { expectFieldError, shownPath } from '../helpers/field-errors';
import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';
import { issueToken, type IssuedToken } from '../helpers/tokens';

const EMBED_SCOPE = 'embed-tokens:create';
const MAX_SESSION_MINUTES = 480;

const salesModel = (name: string, fields: string[]) => ({
  name,
  source: { type: 'content-type', uid: 'api::sale.sale', fields },
  refresh: { mode: 'manual' },
});

const kpi = (name: string, semanticModel: string) => ({
  name,
  semanticModel,
  query: { aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }] },
  chart: { type: 'kpi', y: ['total'] },
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Every path a 400 names, as `authorizations[0].filters[1].values[0]`. */
const errorPaths = (res: { body: any }): string[] =>
  (res.body.error?.details?.errors ?? []).map((error: { path: string[] }) => shownPath(error.path));

export const authSuite = (database: Database) =>
  describeOnDatabase(database)(`embed token API on ${database}`, () => {
    let app: TestApp;
    /** A card (report over "Sales") and a story (dashboard of Sales cards), both embeddable. */
    let card: { documentId: string; embedId: string };
    let story: { documentId: string; embedId: string };
    /** A story one of whose cards' model has no `region`. */
    let mixedStory: { documentId: string; embedId: string };
    /** A card whose embedding was enabled, then disabled. */
    let disabledCard: { documentId: string; embedId: string };
    let issuer: IssuedToken;
    let names = 0;
    const unique = (name: string) => `${name} ${(names += 1)}`;

    const post = async (path: string, body: object) => {
      const res = await app.admin.post(path).send(body);
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data;
    };
    const embedded = (data: any) => ({ documentId: data.documentId, embedId: data.embed.embedId as string });
    const embeds = () => app.strapi.plugin('api-tokens').service('embeds');
    const issueCard = (body: object, token = issuer.accessKey) =>
      app.bearer(token).post('/v1/cards/embed/auth').send(body);
    const issueStory = (body: object, token = issuer.accessKey) =>
      app.bearer(token).post('/v1/stories/embed/auth').send(body);
    const grant = (extra: object = {}, embedId = card.embedId) => ({
      authorizations: [{ token: embedId, permissions: ['READ'], ...extra }],
    });

    beforeAll(async () => {
      app = await startStrapi({ database, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
      await seedSales(app.strapi, 200);
      const models = app.strapi.plugin('api-tokens').service('semantic-models');
      const sales = (await post('/api-tokens/semantic-models', salesModel('Sales', ['region', 'channel', 'amount'])))
        .documentId;
      const noRegion = (await post('/api-tokens/semantic-models', salesModel('No region', ['channel', 'amount'])))
        .documentId;
      await models.refresh(sales);
      await models.refresh(noRegion);

      const [byRegion] = demoReports(sales);
      card = embedded(await post('/api-tokens/reports', { ...byRegion, embed: { enabled: true } }));
      const total = await post('/api-tokens/reports', { ...kpi('Total', sales), embed: { enabled: true } });
      const other = await post('/api-tokens/reports', kpi('Total without regions', noRegion));
      story = embedded(
        await post('/api-tokens/dashboards', {
          name: 'Sales overview',
          items: [
            { report: card.documentId, width: 6 },
            { report: total.documentId, width: 6 },
          ],
          embed: { enabled: true },
        })
      );
      mixedStory = embedded(
        await post('/api-tokens/dashboards', {
          name: 'Mixed',
          items: [
            { report: card.documentId, width: 6 },
            { report: other.documentId, width: 6 },
          ],
          embed: { enabled: true },
        })
      );
      const disabled = await post('/api-tokens/reports', { ...kpi('Disabled', sales), embed: { enabled: true } });
      const res = await app.admin
        .put(`/api-tokens/reports/${disabled.documentId}`)
        .send({ embed: { enabled: false } })
        .expect(200);
      disabledCard = embedded(res.body.data);
      expect(disabledCard.embedId).toEqual(expect.any(String));
      issuer = await issueToken(app, { scopes: [EMBED_SCOPE] });
    });
    afterAll(async () => {
      await app?.stop();
    });

    describe("Domo's sample request", () => {
      it('gives 201, an expiration clamped at now + 480 min, and a JWT with exactly the standard header and claims', async () => {
        const before = Date.now();
        const res = await issueStory(demoEmbedRequest(story.embedId));
        const after = Date.now();
        expect(res.status).toBe(201);
        expect(Object.keys(res.body).sort()).toEqual(['authentication', 'expiration']);
        const { authentication, expiration } = res.body;
        expect(expiration).toBeLessThanOrEqual(after + MAX_SESSION_MINUTES * 60_000);
        expect(expiration).toBeGreaterThan(before + MAX_SESSION_MINUTES * 60_000 - 2000);

        const { header, payload } = jwt.decode(authentication, { complete: true }) as any;
        expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: expect.stringMatching(/^[0-9a-f]{12}$/) });
        expect(Object.keys(payload).sort()).toEqual(
          ['aud', 'emb', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sub', 'typ'].sort()
        );
        expect(payload).toMatchObject({ sub: issuer.documentId, aud: 'embed', typ: 'embed' });
        expect(payload.iss).toEqual(expect.any(String));
        expect(payload.nbf).toBe(payload.iat - 10);
        expect(payload.exp - payload.iat).toBe(MAX_SESSION_MINUTES * 60);
        expect(payload.exp * 1000).toBe(expiration);
        expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
        expect(payload.emb).toEqual([
          {
            token: story.embedId,
            type: 'story',
            permissions: ['READ', 'FILTER', 'EXPORT'],
            filters: [{ column: 'region', operator: 'IN', values: ['North', 'East'] }],
          },
        ]);
        const verified = await embeds().verify(authentication, 'story', story.embedId);
        expect(verified.grant.filters).toEqual(payload.emb[0].filters);
      });

      it('works on the cards route for a card, with a shorter session when asked', async () => {
        const res = await issueCard({ ...demoEmbedRequest(card.embedId), sessionLength: 5 });
        expect(res.status).toBe(201);
        const payload = jwt.decode(res.body.authentication) as any;
        expect(payload.exp - payload.iat).toBe(5 * 60);
        expect(payload.emb[0]).toMatchObject({ token: card.embedId, type: 'card' });
        await embeds().verify(res.body.authentication, 'card', card.embedId);
      });

      it.each([
        'application/json',
        'application/json; charset=utf-8',
        'application/json;charset=UTF-8',
        'Application/JSON',
        'APPLICATION/JSON; CHARSET=UTF-8',
        'application/json; charset="utf-8"',
        'application/json; charset=utf-8; boundary=x',
        'application/json;charset=utf8',
        'application/json; charset=ISO-8859-1',
        'application/json; charset=unknown-charset',
      ])('parses the body sent as %s', async (contentType) => {
        const res = await app
          .bearer(issuer.accessKey)
          .post('/v1/stories/embed/auth')
          .set('Content-Type', contentType)
          .send(JSON.stringify(demoEmbedRequest(story.embedId)));
        expect(res.status).toBe(201);
        expect((jwt.decode(res.body.authentication) as any).emb[0].token).toBe(story.embedId);
      });

      it('refuses a body that is not JSON (the header is what the parser reads)', async () => {
        const res = await app
          .bearer(issuer.accessKey)
          .post('/v1/stories/embed/auth')
          .set('Content-Type', 'text/plain')
          .send(JSON.stringify(demoEmbedRequest(story.embedId)));
        expect(res.status).toBe(400);
      });
    });

    describe('access', () => {
      it('answers 401 without a token and 403 with a token lacking embed-tokens:create', async () => {
        const anonymous = await app.anonymous().post('/v1/cards/embed/auth').send(demoEmbedRequest(card.embedId));
        expect(anonymous.status).toBe(401);
        const bad = await issueCard(demoEmbedRequest(card.embedId), 'rht_not-a-token');
        expect(bad.status).toBe(401);
        const reader = await issueToken(app, { scopes: ['sales:read'] });
        const forbidden = await issueStory(demoEmbedRequest(story.embedId), reader.accessKey);
        expect(forbidden.status).toBe(403);
        expect(forbidden.body.error.message).toContain(EMBED_SCOPE);
        const revoke = await app
          .bearer(reader.accessKey)
          .post('/api/api-tokens/embed-tokens/revoke')
          .send({ jti: '00000000-0000-4000-8000-000000000000' });
        expect(revoke.status).toBe(403);
      });
    });

    describe('fails closed', () => {
      const cases: [string, 'card' | 'story', () => object, string[]][] = [
        ['an unknown embed id', 'card', () => grant({}, 'nope1234'), ['authorizations[0].token']],
        ['a disabled embed', 'card', () => grant({}, disabledCard.embedId), ['authorizations[0].token']],
        ['a story id on the cards route', 'card', () => grant({}, story.embedId), ['authorizations[0].token']],
        ['a card id on the stories route', 'story', () => grant({}, card.embedId), ['authorizations[0].token']],
        [
          'an unknown column',
          'card',
          () => grant({ filters: [{ column: 'state', operator: 'IN', values: ['North'] }] }),
          ['authorizations[0].filters[0].column'],
        ],
        [
          "a column one of the story's cards lacks",
          'story',
          () => grant({ filters: [{ column: 'region', operator: 'IN', values: ['North'] }] }, mixedStory.embedId),
          ['authorizations[0].filters[0].column'],
        ],
        [
          'a value that does not coerce',
          'card',
          () =>
            grant({
              filters: [
                { column: 'region', operator: 'IN', values: ['North'] },
                { column: 'amount', operator: 'GREATER_THAN', values: ['ten'] },
              ],
            }),
          ['authorizations[0].filters[1].values[0]'],
        ],
        [
          'a wrong value count',
          'card',
          () => grant({ filters: [{ column: 'amount', operator: 'BETWEEN', values: ['1'] }] }),
          ['authorizations[0].filters[0].values'],
        ],
        ['an unknown top-level key', 'card', () => ({ ...grant(), expires: 5 }), ['expires']],
        ['an unknown authorization key', 'card', () => grant({ dataset: 'x' }), ['authorizations[0].dataset']],
        [
          'an unknown filter key',
          'card',
          () => grant({ filters: [{ column: 'region', operator: 'IN', values: ['North'], not: true }] }),
          ['authorizations[0].filters[0].not'],
        ],
        [
          'permissions without READ',
          'card',
          () => grant({ permissions: ['FILTER', 'EXPORT'] }),
          ['authorizations[0].permissions'],
        ],
        [
          'repeated permissions without READ',
          'card',
          () => grant({ permissions: ['FILTER', 'FILTER'] }),
          ['authorizations[0].permissions'],
        ],
        ['empty permissions', 'card', () => grant({ permissions: [] }), ['authorizations[0].permissions']],
        [
          'an unknown permission',
          'card',
          () => grant({ permissions: ['READ', 'WRITE'] }),
          ['authorizations[0].permissions[1]'],
        ],
        ['no authorizations', 'card', () => ({ authorizations: [] }), ['authorizations']],
        [
          '21 authorizations',
          'card',
          () => ({ authorizations: Array.from({ length: 21 }, () => grant().authorizations[0]) }),
          ['authorizations'],
        ],
        ['a zero sessionLength', 'card', () => ({ ...grant(), sessionLength: 0 }), ['sessionLength']],
        ['a fractional sessionLength', 'card', () => ({ ...grant(), sessionLength: 1.5 }), ['sessionLength']],
        ['policies', 'card', () => grant({ policies: [{ name: 'p' }] }), ['authorizations[0].policies']],
        [
          'datasetRedirects',
          'card',
          () => grant({ datasetRedirects: { a: 'b' } }),
          ['authorizations[0].datasetRedirects'],
        ],
        ['sqlFilters', 'story', () => grant({ sqlFilters: ['1=1'] }, story.embedId), ['authorizations[0].sqlFilters']],
        [
          'a token over 8 KB',
          'card',
          () => ({
            authorizations: Array.from({ length: 20 }, () => ({
              token: card.embedId,
              permissions: ['READ'],
              filters: [{ column: 'region', operator: 'IN', values: Array.from({ length: 60 }, () => 'North') }],
            })),
          }),
          ['authorizations'],
        ],
      ];

      it.each(cases)('answers 400 for %s, naming its path', async (_name, type, body, paths) => {
        const res = await (type === 'card' ? issueCard : issueStory)(body());
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError' } });
        expect(errorPaths(res)).toEqual(paths);
      });

      it('says why a token over 8 KB is refused', async () => {
        const values = Array.from({ length: 60 }, () => 'North');
        const res = await issueCard({
          authorizations: Array.from({ length: 20 }, () => ({
            token: card.embedId,
            permissions: ['READ'],
            filters: [{ column: 'region', operator: 'IN', values }],
          })),
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/token of \d+ bytes, over the 8192-byte limit/);
        // Half as many values fit.
        const fits = await issueCard({
          authorizations: Array.from({ length: 20 }, () => ({
            token: card.embedId,
            permissions: ['READ'],
            filters: [{ column: 'region', operator: 'IN', values: values.slice(0, 5) }],
          })),
        });
        expect(fits.status).toBe(201);
        expect(Buffer.byteLength(fits.body.authentication)).toBeLessThanOrEqual(8192);
      });

      it('names the route to use for a card id sent to the stories route', async () => {
        const res = await issueStory(grant({}, card.embedId));
        expect(res.body.error.message).toContain('/v1/cards/embed/auth');
      });

      it('accepts the unsupported Domo keys when they ask for nothing (null or [])', async () => {
        for (const value of [null, []]) {
          const res = await issueCard(grant({ policies: value, datasetRedirects: value, sqlFilters: value }));
          expect(res.status).toBe(201);
        }
        await issueCard(grant({ filters: null })).expect(201);
        await issueCard(grant({ filters: [] })).expect(201);
      });

      it('accepts 20 authorizations, the operand alias and GREATER_THAN_EQUALS_TO, written canonically', async () => {
        const res = await issueCard({
          authorizations: Array.from({ length: 20 }, () => ({
            token: card.embedId,
            permissions: ['READ'],
            filters: [{ column: 'amount', operand: 'GREATER_THAN_EQUALS_TO', values: ['10.5'] }],
          })),
        });
        expect(res.status).toBe(201);
        const { emb, jti } = jwt.decode(res.body.authentication) as any;
        expect(emb).toHaveLength(20);
        // Audited once, with the one target (20 authorizations of one card), whatever the database's column sizes.
        await app.strapi.plugin('api-tokens').service('audit').flush();
        const audit = await app.strapi.db
          .query('plugin::api-tokens.audit-event')
          .findMany({ where: { action: 'embed-token.issued', subjectId: card.documentId } });
        expect(audit.filter((row: any) => row.details?.jti === jti)).toHaveLength(1);
        expect(emb[0].filters).toEqual([{ column: 'amount', operator: 'GREAT_THAN_EQUALS_TO', values: ['10.5'] }]);
      });

      it('names every problem of a request at once', async () => {
        const res = await issueCard({
          authorizations: [
            grant().authorizations[0],
            { token: card.embedId, permissions: ['EXPORT'], filters: [{ column: 'x', operator: 'IN', values: ['1'] }] },
          ],
          sessionLength: -1,
        });
        expectFieldError(res, 'sessionLength');
        expect(errorPaths(res).sort()).toEqual(
          ['sessionLength', 'authorizations[1].permissions', 'authorizations[1].filters[0].column'].sort()
        );
      });
    });

    describe('audit and revocation', () => {
      const auditOf = async (jti: string) => {
        await app.strapi.plugin('api-tokens').service('audit').flush();
        const rows = await app.strapi.db
          .query('plugin::api-tokens.audit-event')
          .findMany({ where: { action: 'embed-token.issued' }, orderBy: { id: 'desc' }, limit: 50 });
        return rows.find((row: any) => row.details?.jti === jti);
      };

      it('audits each issue with the jti and embed ids, never the JWT', async () => {
        const res = await issueStory(demoEmbedRequest(story.embedId)).expect(201);
        const { jti } = jwt.decode(res.body.authentication) as any;
        const entry = await auditOf(jti);
        expect(entry).toMatchObject({
          action: 'embed-token.issued',
          actor: `token:${issuer.documentId}`,
          subjectType: 'story',
          subjectId: story.documentId,
          details: { jti, embedIds: [story.embedId], documentIds: [story.documentId] },
        });
        const stored = JSON.stringify(entry);
        const [, , signature] = res.body.authentication.split('.');
        expect(stored).not.toContain(res.body.authentication);
        expect(stored).not.toContain(signature);
        expect(stored).not.toContain(issuer.accessKey);
      });

      it('revokes by jti (400 for a bad jti, idempotent), after which verify refuses the token', async () => {
        const res = await issueCard(demoEmbedRequest(card.embedId)).expect(201);
        const token = res.body.authentication;
        const { jti } = jwt.decode(token) as any;
        await embeds().verify(token, 'card', card.embedId);

        const revoke = (body: object) =>
          app.bearer(issuer.accessKey).post('/api/api-tokens/embed-tokens/revoke').send(body);
        for (const body of [{}, { jti: 'not-a-jti' }, { jti: 42 }]) expectFieldError(await revoke(body), 'jti');
        expectFieldError(await revoke({ jti, all: true }), 'all');
        expect((await app.anonymous().post('/api/api-tokens/embed-tokens/revoke').send({ jti })).status).toBe(401);

        const first = await revoke({ jti });
        expect(first.status).toBe(200);
        expect(first.body.data).toEqual({ jti, revoked: true });
        const again = await revoke({ jti });
        expect(again.status).toBe(200);
        expect(again.body.data).toEqual({ jti, revoked: true });

        await expect(embeds().verify(token, 'card', card.embedId)).rejects.toMatchObject({
          name: 'UnauthorizedError',
          details: { code: 'TOKEN_INVALID' },
        });
        const audit = await app.strapi.db
          .query('plugin::api-tokens.audit-event')
          .findMany({ where: { action: 'embed-token.revoked' } });
        expect(audit.some((row: any) => row.details?.jti === jti)).toBe(true);
      });

      it("purges expired denylist rows on the scheduler's tick", async () => {
        const revocations = app.strapi.db.query('plugin::api-tokens.embed-revocation');
        const expired = await revocations.create({
          data: { jti: '11111111-1111-4111-8111-111111111111', expiresAt: new Date(Date.now() - 1000), actor: 'test' },
        });
        const live = await revocations.create({
          data: {
            jti: '22222222-2222-4222-8222-222222222222',
            expiresAt: new Date(Date.now() + 3600_000),
            actor: 'test',
          },
        });
        await app.strapi.plugin('api-tokens').service('scheduler').tick();
        expect(await revocations.findOne({ where: { id: expired.id } })).toBeNull();
        expect(await revocations.findOne({ where: { id: live.id } })).not.toBeNull();
      });
    });

    describe('OAuth client credentials', () => {
      const tokenRequest = (query = '') => app.anonymous().get(`/oauth/token${query}`);
      const expectInvalidClient = (res: any) => {
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
        expect(res.headers['www-authenticate']).toMatch(/^Basic/);
        expect(res.headers['cache-control']).toBe('no-store');
      };
      const accessTokenOf = async (token: IssuedToken) => {
        const res = await app
          .anonymous()
          .post('/oauth/token')
          .set('Authorization', basic(token.documentId, token.accessKey))
          .type('form')
          .send({ grant_type: 'client_credentials' });
        expect(res.status).toBe(200);
        return res.body.access_token as string;
      };

      it("answers GET with Basic auth in Domo's shape, with a JWT that is not the API token", async () => {
        const token = await issueToken(app, { scopes: [EMBED_SCOPE, 'sales:read'] });
        const before = Math.floor(Date.now() / 1000);
        const res = await tokenRequest('?grant_type=client_credentials&scope=data%20audit%20user%20dashboard').set(
          'Authorization',
          basic(token.documentId, token.accessKey)
        );
        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toEqual({
          access_token: expect.any(String),
          token_type: 'bearer',
          expires_in: expect.any(Number),
          scope: `${EMBED_SCOPE} sales:read`,
          userId: token.documentId,
        });
        expect(res.body.expires_in).toBeLessThanOrEqual(3600);
        expect(res.body.expires_in).toBeGreaterThan(3590);
        expect(res.body.access_token).not.toContain(token.accessKey);
        const { header, payload } = jwt.decode(res.body.access_token, { complete: true }) as any;
        expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: expect.any(String) });
        expect(payload).toMatchObject({ sub: token.documentId, aud: 'oauth', typ: 'access', ver: 0 });
        expect(payload.exp - payload.iat).toBe(res.body.expires_in);
        expect(payload.iat).toBeGreaterThanOrEqual(before);
        expect(JSON.stringify(payload)).not.toContain(token.accessKey);
      });

      it('answers POST with form or query credentials too', async () => {
        const token = await issueToken(app, { scopes: [EMBED_SCOPE] });
        const form = await app.anonymous().post('/oauth/token').type('form').send({
          grant_type: 'client_credentials',
          client_id: token.documentId,
          client_secret: token.accessKey,
          scope: 'data',
        });
        expect(form.status).toBe(200);
        expect(form.body.scope).toBe(EMBED_SCOPE);
        const logged = jest.spyOn(app.strapi.log, 'http');
        try {
          const query = await tokenRequest(
            `?grant_type=client_credentials&client_id=${token.documentId}&client_secret=${token.accessKey}`
          );
          expect(query.status).toBe(200);
          // The request log keeps the URL, without the secret.
          const lines = logged.mock.calls.map((call) => String(call[0]));
          expect(lines.some((line) => line.includes('/oauth/token?') && line.includes('client_secret=REDACTED'))).toBe(
            true
          );
          expect(lines.join('\n')).not.toContain(token.accessKey);
        } finally {
          logged.mockRestore();
        }
        const json = await app.anonymous().post('/oauth/token').send({
          grant_type: 'client_credentials',
          client_id: token.documentId,
          client_secret: token.accessKey,
        });
        expect(json.status).toBe(200);
      });

      it('works as a bearer on the embed auth route and the scope-guarded API, acting as the API token', async () => {
        const token = await issueToken(app, { scopes: [EMBED_SCOPE] });
        const accessToken = await accessTokenOf(token);
        const minted = await issueStory(demoEmbedRequest(story.embedId), accessToken);
        expect(minted.status).toBe(201);
        expect((jwt.decode(minted.body.authentication) as any).sub).toBe(token.documentId);
        const self = await app.bearer(accessToken).get('/api/api-tokens/self');
        expect(self.status).toBe(200);
        expect(self.body.data).toMatchObject({ name: token.name, scopes: [EMBED_SCOPE] });

        // The API token's scopes govern, whatever scope was asked for.
        const reader = await issueToken(app, { scopes: ['sales:read'] });
        const readerAccess = await accessTokenOf(reader);
        expect((await issueCard(demoEmbedRequest(card.embedId), readerAccess)).status).toBe(403);

        // An embed token is no access token.
        expect((await app.bearer(minted.body.authentication).get('/api/api-tokens/self')).status).toBe(401);
        // Nor is a tampered one.
        const [head, body] = accessToken.split('.');
        expect((await app.bearer(`${head}.${body}.${'A'.repeat(43)}`).get('/api/api-tokens/self')).status).toBe(401);
      });

      it('dies when its API token is revoked', async () => {
        const token = await issueToken(app, { scopes: [EMBED_SCOPE] });
        const accessToken = await accessTokenOf(token);
        await app.bearer(accessToken).get('/api/api-tokens/self').expect(200);
        await app.admin.post(`/api-tokens/tokens/${token.documentId}/revoke`).expect(200);
        expect((await app.bearer(accessToken).get('/api/api-tokens/self')).status).toBe(401);
        expect((await issueCard(demoEmbedRequest(card.embedId), accessToken)).status).toBe(401);
        expectInvalidClient(
          await tokenRequest('?grant_type=client_credentials').set(
            'Authorization',
            basic(token.documentId, token.accessKey)
          )
        );
      });

      it('dies when its API token is regenerated; one for the new secret works', async () => {
        const token = await issueToken(app, { scopes: [EMBED_SCOPE] });
        const before = await accessTokenOf(token);
        await app.bearer(before).get('/api/api-tokens/self').expect(200);
        const res = await app.admin
          .post(`/api-tokens/tokens/${token.documentId}/regenerate`)
          .send({ expiresInDays: 30 })
          .expect(201);
        const regenerated = { ...token, accessKey: res.body.data.accessKey as string };
        expect((await app.bearer(before).get('/api/api-tokens/self')).status).toBe(401);
        expectInvalidClient(
          await tokenRequest('?grant_type=client_credentials').set(
            'Authorization',
            basic(token.documentId, token.accessKey)
          )
        );
        const after = await accessTokenOf(regenerated);
        await app.bearer(after).get('/api/api-tokens/self').expect(200);
        expect((await app.bearer(before).get('/api/api-tokens/self')).status).toBe(401);
      });

      it("lives no longer than its API token's remaining life, and is refused once expired", async () => {
        const token = await issueToken(app, { scopes: [EMBED_SCOPE] });
        const expiresAt = Date.now() + 10 * 60_000;
        await app.strapi.db
          .query('plugin::api-tokens.api-token')
          .update({ where: { documentId: token.documentId }, data: { expiresAt: new Date(expiresAt) } });
        const res = await tokenRequest('?grant_type=client_credentials').set(
          'Authorization',
          basic(token.documentId, token.accessKey)
        );
        expect(res.status).toBe(200);
        expect(res.body.expires_in).toBeLessThanOrEqual(600);
        expect(res.body.expires_in).toBeGreaterThan(590);
        const payload = jwt.decode(res.body.access_token) as any;
        expect(payload.exp * 1000).toBeLessThanOrEqual(expiresAt);

        const oauth = app.strapi.plugin('api-tokens').service('oauth');
        const old = await oauth.grant(
          { clientId: token.documentId, clientSecret: token.accessKey },
          '10.0.0.1',
          Date.now() - 2 * 3600_000
        );
        expect((await app.bearer(old.access_token).get('/api/api-tokens/self')).status).toBe(401);
      });

      it('refuses bad clients with 401 invalid_client, and bad requests in the OAuth shape', async () => {
        const token = await issueToken(app, { scopes: [EMBED_SCOPE] });
        const other = await issueToken(app, { scopes: [EMBED_SCOPE] });
        const grantType = '?grant_type=client_credentials';
        const withBasic = (user: string, password: string) =>
          tokenRequest(grantType).set('Authorization', basic(user, password));
        // Unknown client, a secret that is another client's, a wrong or malformed secret, no credentials.
        expectInvalidClient(await withBasic('unknown-client', token.accessKey));
        expectInvalidClient(await withBasic(other.documentId, token.accessKey));
        expectInvalidClient(await withBasic(token.documentId, `${token.accessKey.slice(0, -1)}x`));
        expectInvalidClient(await withBasic(token.documentId, 'secret'));
        expectInvalidClient(await tokenRequest(grantType));
        expectInvalidClient(await tokenRequest(`${grantType}&client_id=${token.documentId}`));
        // An access token is no client secret.
        const accessToken = await accessTokenOf(token);
        expectInvalidClient(await withBasic(token.documentId, accessToken));
        // An expired API token.
        const expired = await issueToken(app, { scopes: [EMBED_SCOPE] });
        await app.strapi.db
          .query('plugin::api-tokens.api-token')
          .update({ where: { documentId: expired.documentId }, data: { expiresAt: new Date(Date.now() - 1000) } });
        expectInvalidClient(await withBasic(expired.documentId, expired.accessKey));

        const missing = await tokenRequest('').set('Authorization', basic(token.documentId, token.accessKey));
        expect(missing.status).toBe(400);
        expect(missing.body).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
        const unsupported = await tokenRequest('?grant_type=password').set(
          'Authorization',
          basic(token.documentId, token.accessKey)
        );
        expect(unsupported.status).toBe(400);
        expect(unsupported.body).toEqual({ error: 'unsupported_grant_type', error_description: expect.any(String) });
        const twice = await tokenRequest(`${grantType}&client_id=${token.documentId}`).set(
          'Authorization',
          basic(token.documentId, token.accessKey)
        );
        expect(twice.status).toBe(400);
        expect(twice.body.error).toBe('invalid_request');
      });
    });
  });
