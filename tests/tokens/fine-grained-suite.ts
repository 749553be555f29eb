import { demoReports, seedSales } from '../../src/demo/seed';
import { expectFieldError } from '../helpers/field-errors';
import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';
import { issueToken, type IssuedToken } from '../helpers/tokens';

const REFRESH = 'semantic-models:refresh';
const EXECUTE = 'subscriptions:execute';
const EMBED = 'embed-tokens:create';
const AUDIT_UID = 'plugin::api-tokens.audit-event';
const MODEL_A = '<model A>';

const salesModel = (name: string) => ({
  name,
  source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'channel', 'amount'] },
  refresh: { mode: 'manual' },
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/**
 * Fine-grained tokens: resources (which models, subscriptions and embeds) and IP allowlists, across every external
 * route and OAuth access tokens. Strapi runs with `server.proxy` on (IS_PROXIED), so X-Forwarded-For sets the client
 * address; without the header it is the loopback socket address (`::ffff:127.0.0.1`).
 */
export const fineGrainedSuite = (database: Database) =>
  describeOnDatabase(database)(`fine-grained API tokens on ${database}`, () => {
    let app: TestApp;
    let modelA: string;
    let modelB: string;
    let card: { documentId: string; embedId: string };
    let otherCard: { documentId: string; embedId: string };
    let story: { documentId: string; embedId: string };
    let subscriptionA: string;
    let subscriptionB: string;
    /** The body of a 401 for an unknown token: every 401 must be this one. */
    let unknownTokenBody: unknown;
    let names = 0;
    const unique = (name: string) => `${name} ${(names += 1)}`;

    const post = async (path: string, body: object) => {
      const res = await app.admin.post(path).send(body);
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data;
    };
    const embedded = (data: any) => ({ documentId: data.documentId, embedId: data.embed.embedId as string });
    const issue = (body: Record<string, unknown>) => issueToken(app, body);
    /** The request of an agent, from `ip` when given (the proxy's X-Forwarded-For). */
    const from = (token: string, ip?: string) => {
      const agent = app.bearer(token);
      return {
        get: (path: string) => (ip ? agent.get(path).set('X-Forwarded-For', ip) : agent.get(path)),
        post: (path: string, body: object = {}) =>
          (ip ? agent.post(path).set('X-Forwarded-For', ip) : agent.post(path)).send(body),
        delete: (path: string) => (ip ? agent.delete(path).set('X-Forwarded-For', ip) : agent.delete(path)),
      };
    };
    const refresh = (token: string, model: string, ip?: string) =>
      from(token, ip).post(`/api/api-tokens/semantic-models/${model}/refreshes`);
    const trigger = (token: string, subscription: string, ip?: string) =>
      from(token, ip).post(`/api/api-tokens/subscriptions/${subscription}/runs`);
    const issueEmbed = (token: string, kind: 'cards' | 'stories', embedIds: string[], ip?: string) =>
      from(token, ip).post(`/v1/${kind}/embed/auth`, {
        authorizations: embedIds.map((embedId) => ({ token: embedId, permissions: ['READ'] })),
      });
    /** An admin-triggered run of a target (no token involved), for the runs routes. */
    const adminRun = async (path: string) => (await app.admin.post(path).send({}).expect(202)).body.data.id as string;
    const cancelAdminRun = (runId: string) => app.admin.post(`/api-tokens/runs/${runId}/cancel`).send({});
    const expectForbiddenTarget = (res: any, target: string) => {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ data: null, error: { status: 403, name: 'PolicyError' } });
      expect(res.body.error.message).toContain(target);
    };
    const expectGeneric401 = (res: any) => {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(unknownTokenBody);
    };
    const deniedEvents = async (tokenDocumentId: string, reason: string) => {
      await app.strapi.plugin('api-tokens').service('audit').flush();
      const rows = await app.strapi.db
        .query(AUDIT_UID)
        .findMany({ where: { action: 'token.denied', subjectId: tokenDocumentId } });
      return rows.filter((row: any) => row.details?.reason === reason);
    };
    const accessTokenOf = async (token: IssuedToken, ip?: string) => {
      let request = app
        .anonymous()
        .post('/oauth/token')
        .set('Authorization', basic(token.documentId, token.accessKey))
        .type('form');
      if (ip) request = request.set('X-Forwarded-For', ip);
      return request.send({ grant_type: 'client_credentials' });
    };

    beforeAll(async () => {
      app = await startStrapi({ database, env: { API_TOKENS_SCHEDULER_ENABLED: 'false', IS_PROXIED: 'true' } });
      // Read at boot; later suites of this worker boot without it.
      delete process.env.IS_PROXIED;
      await seedSales(app.strapi, 50);
      const models = app.strapi.plugin('api-tokens').service('semantic-models');
      modelA = (await post('/api-tokens/semantic-models', salesModel('Model A'))).documentId;
      modelB = (await post('/api-tokens/semantic-models', salesModel('Model B'))).documentId;
      await models.refresh(modelA);
      const [byRegion] = demoReports(modelA);
      card = embedded(await post('/api-tokens/reports', { ...byRegion, embed: { enabled: true } }));
      otherCard = embedded(
        await post('/api-tokens/reports', { ...byRegion, name: 'Other card', embed: { enabled: true } })
      );
      story = embedded(
        await post('/api-tokens/dashboards', {
          name: 'Story',
          items: [{ report: card.documentId, width: 12 }],
          embed: { enabled: true },
        })
      );
      const subscription = (name: string) => ({
        name,
        target: { type: 'report', id: card.documentId },
        recipients: [{ email: 'ops@example.com' }],
        format: 'csv',
        schedule: null,
      });
      subscriptionA = (await post('/api-tokens/subscriptions', subscription('Subscription A'))).documentId;
      subscriptionB = (await post('/api-tokens/subscriptions', subscription('Subscription B'))).documentId;
      unknownTokenBody = (await app.bearer(`rht_${'0'.repeat(43)}_000000`).get('/api/api-tokens/self')).body;
      expect(unknownTokenBody).toMatchObject({ error: { status: 401 } });
    });

    afterAll(async () => {
      await app?.stop();
    });

    describe('saving restrictions', () => {
      it('stores resources and canonical CIDR ranges, and shows them in the token and its list', async () => {
        const token = await issue({
          scopes: [REFRESH],
          resources: { models: [modelA, modelA], subscriptions: [] },
          allowedIps: ['10.0.0.0/8', '2001:DB8::/32', '192.0.2.7', '::ffff:172.16.0.0/108'],
        });
        expect(token).toMatchObject({
          resources: { models: [modelA] },
          allowedIps: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7/32', '172.16.0.0/12'],
        });
        const one = await app.admin.get(`/api-tokens/tokens/${token.documentId}`).expect(200);
        expect(one.body.data.resources).toEqual({ models: [modelA] });
        const [created] = await app.strapi.db
          .query(AUDIT_UID)
          .findMany({ where: { action: 'token.created', subjectId: token.documentId } });
        expect(created.details).toMatchObject({ resources: { models: [modelA] } });
      });

      it('keeps a token without restrictions unrestricted (null), as tokens made before', async () => {
        const token = await issue({ scopes: [REFRESH], resources: {}, allowedIps: [] });
        expect(token).toMatchObject({ resources: null, allowedIps: null });
        expect((await refresh(token.accessKey, modelB, '203.0.113.9')).status).toBe(202);
        await cancelPending(modelB);
      });

      it.each([
        ['an unknown model', { resources: { models: ['doesnotexist000000000000'] } }, 'resources.models[0]'],
        ['a model id among subscriptions', { resources: { subscriptions: [MODEL_A] } }, 'resources.subscriptions[0]'],
        ['an unknown kind', { resources: { reports: ['x'] } }, 'resources'],
        ['resources not an object', { resources: ['x'] }, 'resources'],
        ['a non-string id', { resources: { embeds: [42] } }, 'resources.embeds[0]'],
        ['a malformed range', { allowedIps: ['10.0.0.0/8', '10.0.0/8'] }, 'allowedIps[1]'],
        ['a prefix too long', { allowedIps: ['10.0.0.0/33'] }, 'allowedIps[0]'],
        ['a short IPv4 form', { allowedIps: ['10'] }, 'allowedIps[0]'],
        ['an IPv6 prefix too long', { allowedIps: ['2001:db8::/129'] }, 'allowedIps[0]'],
        ['a non-array allowlist', { allowedIps: '10.0.0.0/8' }, 'allowedIps'],
      ])('refuses %s on create with a 400 naming the field', async (_label, extra, field) => {
        const body = resolveLater(extra);
        const res = await app.admin
          .post('/api-tokens/tokens')
          .send({ name: unique('Bad'), scopes: [REFRESH], expiresInDays: 30, ...body });
        expectFieldError(res, field);
        if (field.startsWith('allowedIps[')) expect(res.body.error.message).toContain(field);
      });

      it('names an embed that is neither a report nor a dashboard', async () => {
        const res = await app.admin.post('/api-tokens/tokens').send({
          name: unique('Bad'),
          scopes: [EMBED],
          expiresInDays: 30,
          resources: { embeds: [card.documentId, modelA] },
        });
        expectFieldError(res, 'resources.embeds[1]');
        expect(res.body.error.message).toContain(modelA);
      });

      it('updates restrictions with PUT (400 naming the field), and null clears them', async () => {
        const token = await issue({ scopes: [REFRESH] });
        expectFieldError(
          await app.admin.put(`/api-tokens/tokens/${token.documentId}`).send({ allowedIps: ['nope'] }),
          'allowedIps[0]'
        );
        expectFieldError(
          await app.admin.put(`/api-tokens/tokens/${token.documentId}`).send({ resources: { models: ['nope'] } }),
          'resources.models[0]'
        );
        const put = await app.admin
          .put(`/api-tokens/tokens/${token.documentId}`)
          .send({ resources: { models: [modelA] }, allowedIps: ['10.0.0.0/8'] })
          .expect(200);
        expect(put.body.data).toMatchObject({ resources: { models: [modelA] }, allowedIps: ['10.0.0.0/8'] });
        const cleared = await app.admin
          .put(`/api-tokens/tokens/${token.documentId}`)
          .send({ resources: null, allowedIps: null })
          .expect(200);
        expect(cleared.body.data).toMatchObject({ resources: null, allowedIps: null });
      });
    });

    /** it.each's table is built before beforeAll: MODEL_A stands for model A's documentId there. */
    function resolveLater(body: object): object {
      return JSON.parse(JSON.stringify(body).replaceAll(JSON.stringify(MODEL_A), JSON.stringify(modelA)));
    }
    /** Cancels the active run of a target, so the next trigger is not a 409. */
    async function cancelPending(targetId: string) {
      const res = await app.admin.get(`/api-tokens/runs?targetId=${targetId}`).expect(200);
      for (const run of res.body.data) {
        if (run.status === 'queued' || run.status === 'running') await cancelAdminRun(run.id);
      }
    }

    describe('resources: 403 naming the target', () => {
      it('refreshes only the models the token names', async () => {
        const token = await issue({ scopes: [REFRESH], resources: { models: [modelA] } });
        const ok = await refresh(token.accessKey, modelA);
        expect(ok.status).toBe(202);
        await cancelPending(modelA);
        expectForbiddenTarget(await refresh(token.accessKey, modelB), modelB);
        // An id that exists nowhere is refused the same way: a restricted token learns nothing about other ids.
        expectForbiddenTarget(await refresh(token.accessKey, 'doesnotexist000000000000'), 'doesnotexist000000000000');
        const denied = await deniedEvents(token.documentId, 'resource');
        expect(denied[0].details).toMatchObject({ kind: 'models', target: modelB });
      });

      it('a model restriction leaves subscriptions unrestricted, and the other way round', async () => {
        const token = await issue({ scopes: [REFRESH, EXECUTE], resources: { subscriptions: [subscriptionA] } });
        expect((await refresh(token.accessKey, modelB)).status).toBe(202);
        await cancelPending(modelB);
        expect((await trigger(token.accessKey, subscriptionA)).status).toBe(202);
        await cancelPending(subscriptionA);
        expectForbiddenTarget(await trigger(token.accessKey, subscriptionB), subscriptionB);
      });

      it("reads and cancels only runs of the token's targets", async () => {
        const token = await issue({
          scopes: [REFRESH, EXECUTE],
          resources: { models: [modelA], subscriptions: [subscriptionA] },
        });
        const outsideRefresh = await adminRun(`/api-tokens/semantic-models/${modelB}/refresh`);
        const outsideSend = await adminRun(`/api-tokens/subscriptions/${subscriptionB}/send`);
        const insideRefresh = await adminRun(`/api-tokens/semantic-models/${modelA}/refresh`);
        for (const runId of [outsideRefresh, outsideSend]) {
          const target = runId === outsideRefresh ? modelB : subscriptionB;
          expectForbiddenTarget(await from(token.accessKey).get(`/api/api-tokens/runs/${runId}`), target);
          expectForbiddenTarget(await from(token.accessKey).delete(`/api/api-tokens/runs/${runId}`), target);
        }
        // Neither was cancelled (an admin-triggered run may have finished meanwhile).
        for (const runId of [outsideRefresh, outsideSend]) {
          const run = await app.admin.get(`/api-tokens/runs/${runId}`).expect(200);
          expect(run.body.data.status).not.toBe('cancelled');
          await cancelAdminRun(runId);
        }
        expect((await from(token.accessKey).get(`/api/api-tokens/runs/${insideRefresh}`)).status).toBe(200);
        // Past the policy: cancelled, or 409 when the run already finished.
        const cancelled = await from(token.accessKey).delete(`/api/api-tokens/runs/${insideRefresh}`);
        expect([200, 409]).toContain(cancelled.status);
      });

      it('issues embed tokens only for the embeds the token names, mapping embed ids to their reports', async () => {
        const token = await issue({ scopes: [EMBED], resources: { embeds: [card.documentId] } });
        expect((await issueEmbed(token.accessKey, 'cards', [card.embedId])).status).toBe(201);
        const refused = await issueEmbed(token.accessKey, 'cards', [card.embedId, otherCard.embedId]);
        expectForbiddenTarget(refused, otherCard.embedId);
        expect(refused.body.error.message).toContain(otherCard.documentId);
        expectForbiddenTarget(await issueEmbed(token.accessKey, 'stories', [story.embedId]), story.embedId);
        // A bad request is still a 400 first.
        const bad = await issueEmbed(token.accessKey, 'cards', ['nosuchid']);
        expect(bad.status).toBe(400);
      });

      it('an OAuth access token carries the restrictions of its API token', async () => {
        const token = await issue({
          scopes: [REFRESH, EMBED],
          resources: { models: [modelA], embeds: [story.documentId] },
        });
        const res = await accessTokenOf(token);
        expect(res.status).toBe(200);
        const access = res.body.access_token as string;
        expectForbiddenTarget(await refresh(access, modelB), modelB);
        expect((await refresh(access, modelA)).status).toBe(202);
        await cancelPending(modelA);
        expect((await issueEmbed(access, 'stories', [story.embedId])).status).toBe(201);
        expectForbiddenTarget(await issueEmbed(access, 'cards', [card.embedId]), card.embedId);
        const outside = await adminRun(`/api-tokens/semantic-models/${modelB}/refresh`);
        expectForbiddenTarget(await from(access).get(`/api/api-tokens/runs/${outside}`), modelB);
        await cancelAdminRun(outside);
      });

      it('an update of the resources applies at once, despite the lookup cache', async () => {
        const token = await issue({ scopes: [REFRESH], resources: { models: [modelA] } });
        expectForbiddenTarget(await refresh(token.accessKey, modelB), modelB);
        await app.admin
          .put(`/api-tokens/tokens/${token.documentId}`)
          .send({ resources: { models: [modelB] } })
          .expect(200);
        expect((await refresh(token.accessKey, modelB)).status).toBe(202);
        await cancelPending(modelB);
        expectForbiddenTarget(await refresh(token.accessKey, modelA), modelA);
      });
    });

    describe('IP allowlist: 401 with the generic body from outside', () => {
      it('accepts addresses inside the ranges (IPv4, IPv6, IPv4-mapped IPv6) and refuses others', async () => {
        const token = await issue({ scopes: [REFRESH], allowedIps: ['10.0.0.0/8', '2001:db8::/32'] });
        const self = (ip?: string) => from(token.accessKey, ip).get('/api/api-tokens/self');
        expect((await self('10.1.2.3')).status).toBe(200);
        expect((await self('::ffff:10.1.2.3')).status).toBe(200);
        expect((await self('2001:db8::7')).status).toBe(200);
        expectGeneric401(await self('11.0.0.1'));
        expectGeneric401(await self('2001:db9::1'));
        // The loopback socket address, with no X-Forwarded-For.
        expectGeneric401(await self());
        const denied = await deniedEvents(token.documentId, 'ip-not-allowed');
        expect(denied).toHaveLength(1);
        expect(denied[0]).toMatchObject({ ip: '11.0.0.1', actor: `token:${token.documentId}` });
      });

      it('matches the loopback socket address (::ffff:127.0.0.1) against an IPv4 range', async () => {
        const token = await issue({ scopes: [REFRESH], allowedIps: ['127.0.0.0/8'] });
        expect((await from(token.accessKey).get('/api/api-tokens/self')).status).toBe(200);
      });

      it('refuses every external route from outside, before looking at the target', async () => {
        const token = await issue({ scopes: [REFRESH, EXECUTE, EMBED], allowedIps: ['10.0.0.0/8'] });
        const run = await adminRun(`/api-tokens/semantic-models/${modelB}/refresh`);
        const outside = '198.51.100.1';
        const key = token.accessKey;
        expectGeneric401(await refresh(key, modelA, outside));
        expectGeneric401(await trigger(key, subscriptionA, outside));
        expectGeneric401(await from(key, outside).get(`/api/api-tokens/runs/${run}`));
        expectGeneric401(await from(key, outside).delete(`/api/api-tokens/runs/${run}`));
        expectGeneric401(await issueEmbed(key, 'cards', [card.embedId], outside));
        expect((await app.admin.get(`/api-tokens/runs/${run}`).expect(200)).body.data.status).not.toBe('cancelled');
        // From inside, the same token works.
        expect((await from(key, '10.0.0.1').get(`/api/api-tokens/runs/${run}`)).status).toBe(200);
        await cancelAdminRun(run);
      });

      it('applies to OAuth: no access token from outside, and an access token used from outside is refused', async () => {
        const token = await issue({ scopes: [EMBED], allowedIps: ['10.0.0.0/8'] });
        const refused = await accessTokenOf(token, '198.51.100.1');
        expect(refused.status).toBe(401);
        expect(refused.body.error).toBe('invalid_client');
        const granted = await accessTokenOf(token, '10.9.9.9');
        expect(granted.status).toBe(200);
        const access = granted.body.access_token as string;
        expect((await issueEmbed(access, 'cards', [card.embedId], '10.9.9.9')).status).toBe(201);
        expectGeneric401(await issueEmbed(access, 'cards', [card.embedId], '198.51.100.1'));
      });

      it('an update of the allowlist applies at once, despite the lookup cache', async () => {
        const token = await issue({ scopes: [REFRESH] });
        expect((await from(token.accessKey, '198.51.100.1').get('/api/api-tokens/self')).status).toBe(200);
        await app.admin
          .put(`/api-tokens/tokens/${token.documentId}`)
          .send({ allowedIps: ['10.0.0.0/8'] })
          .expect(200);
        expectGeneric401(await from(token.accessKey, '198.51.100.1').get('/api/api-tokens/self'));
      });

      it('reads X-Forwarded-For only when Strapi is behind a proxy (IS_PROXIED)', async () => {
        const token = await issue({ scopes: [REFRESH], allowedIps: ['10.0.0.0/8'] });
        const koa = (app.strapi.server as any).app;
        koa.proxy = false;
        try {
          expectGeneric401(await from(token.accessKey, '10.1.2.3').get('/api/api-tokens/self'));
        } finally {
          koa.proxy = true;
        }
        expect((await from(token.accessKey, '10.1.2.3').get('/api/api-tokens/self')).status).toBe(200);
      });
    });
  });
