import { readFileSync } from 'node:fs';
import path from 'node:path';
import Transport from 'winston-transport';
import { seedSales } from '../../src/demo/seed';
import { APP_DIR, describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';
import { DAY, flushTokenWrites, issueToken, TOKEN_PATTERN, tokenRow } from '../helpers/tokens';

const AUDIT_UID = 'plugin::api-tokens.audit-event';
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

/** Every log line Strapi writes, at every level, while the suite runs. */
class CaptureTransport extends Transport {
  lines: string[] = [];
  constructor() {
    super({ level: 'silly' });
  }
  log(info: unknown, callback: () => void) {
    this.lines.push(JSON.stringify(info));
    callback();
  }
}

const expectErrorBody = (res: any, status: number, name?: string) => {
  expect(res.status).toBe(status);
  expect(res.body.data).toBeNull();
  expect(res.body.error).toMatchObject({ status, ...(name ? { name } : {}) });
  expect(typeof res.body.error.message).toBe('string');
};

export const tokenSuite = (database: Database) =>
  describeOnDatabase(database)(`API tokens on ${database}`, () => {
    let app: TestApp;
    const logs = new CaptureTransport();
    const issuedSecrets: string[] = [];
    const issue = async (body: Record<string, unknown> = {}) => {
      const token = await issueToken(app, body);
      issuedSecrets.push(token.accessKey);
      return token;
    };

    beforeAll(async () => {
      app = await startStrapi({ database });
      app.strapi.log.add(logs);
      await seedSales(app.strapi, 200);
    });

    afterAll(async () => {
      await app?.stop();
    });

    describe('admin routes', () => {
      it('refuses anonymous callers and editors without the plugin actions', async () => {
        expectErrorBody(await app.anonymous().get('/api-tokens/tokens'), 401);
        const editor = await app.adminWithRole('strapi-editor');
        expectErrorBody(await editor.get('/api-tokens/tokens'), 403);
        expectErrorBody(
          await editor.post('/api-tokens/tokens').send({ name: 'x', scopes: ['sales:read'], expiresInDays: 30 }),
          403
        );
        expectErrorBody(await editor.get('/api-tokens/scopes'), 403);
      });

      it('lists the built-in scopes and the app-registered one', async () => {
        const res = await app.admin.get('/api-tokens/scopes').expect(200);
        expect(res.body.data.map((scope: any) => scope.uid)).toEqual([
          'subscriptions:execute',
          'semantic-models:refresh',
          'embed-tokens:create',
          'sales:read',
        ]);
      });

      it('creates a token and shows the secret exactly once', async () => {
        const before = Date.now();
        const res = await app.admin
          .post('/api-tokens/tokens')
          .send({
            name: 'Reporting app',
            description: 'Nightly sync',
            scopes: ['sales:read', 'subscriptions:execute'],
            expiresInDays: 30,
          })
          .expect(201);
        const data = res.body.data;
        issuedSecrets.push(data.accessKey);
        expect(data.accessKey).toMatch(TOKEN_PATTERN);
        expect(data).toMatchObject({
          name: 'Reporting app',
          description: 'Nightly sync',
          scopes: ['sales:read', 'subscriptions:execute'],
          hint: `rht_…${data.accessKey.slice(-4)}`,
          status: 'active',
          lastUsedAt: null,
          revokedAt: null,
          createdBy: { firstname: 'Test', lastname: 'Admin' },
        });
        expect(data.digest).toBeUndefined();
        const expiresAt = new Date(data.expiresAt).getTime();
        expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * DAY);
        expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30 * DAY);

        const one = await app.admin.get(`/api-tokens/tokens/${data.documentId}`).expect(200);
        const list = await app.admin.get('/api-tokens/tokens').expect(200);
        for (const body of [one.body, list.body]) {
          const text = JSON.stringify(body);
          expect(text).not.toContain(data.accessKey);
          expect(text).not.toContain('accessKey');
          expect(text).not.toContain('digest');
        }
        expect(list.body.data.find((token: any) => token.documentId === data.documentId)).toMatchObject({
          name: 'Reporting app',
          status: 'active',
        });
      });

      it('accepts the 60 and 90 day presets and a custom date up to a year ahead', async () => {
        const sixty = await issue({ expiresInDays: 60 });
        expect(new Date(sixty.expiresAt as string).getTime()).toBeGreaterThan(Date.now() + 59 * DAY);
        const ninety = await issue({ expiresInDays: 90 });
        expect(new Date(ninety.expiresAt as string).getTime()).toBeGreaterThan(Date.now() + 89 * DAY);
        const custom = await issue({ expiresInDays: undefined, expiresAt: isoDay(365) });
        expect(custom.expiresAt).toBe(`${isoDay(365)}T23:59:59.999Z`);
        const dateTime = new Date(Date.now() + 3 * DAY).toISOString();
        const exact = await issue({ expiresInDays: undefined, expiresAt: dateTime });
        expect(exact.expiresAt).toBe(dateTime);
        expect(exact.status).toBe('expiring-soon');
      });

      const valid = { name: 'valid', scopes: ['sales:read'], expiresInDays: 30 };
      it.each([
        ['a name of the wrong type', { ...valid, name: 123 }, 'name'],
        ['a blank name', { ...valid, name: '   ' }, 'name'],
        ['a missing name', { scopes: ['sales:read'], expiresInDays: 30 }, 'name'],
        ['a name that is too long', { ...valid, name: 'x'.repeat(101) }, 'name'],
        ['a description that is too long', { ...valid, description: 'x'.repeat(501) }, 'description'],
        ['scopes that are not an array', { ...valid, scopes: 'sales:read' }, 'scopes'],
        ['an empty scope list', { ...valid, scopes: [] }, 'scopes'],
        ['an unknown scope', { ...valid, scopes: ['sales:read', 'admin:everything'] }, 'scopes'],
        ['a scope of the wrong type', { ...valid, scopes: [42] }, 'scopes'],
        ['an expiry preset as a string', { ...valid, expiresInDays: '30' }, 'expiresInDays'],
        ['an expiry preset not offered', { ...valid, expiresInDays: 45 }, 'expiresInDays'],
        ['no expiry', { name: 'valid', scopes: ['sales:read'] }, 'expiresInDays'],
        ['both expiry fields', { ...valid, expiresAt: isoDay(10) }, 'expiresAt'],
        ['a past date', { name: 'valid', scopes: ['sales:read'], expiresAt: isoDay(-1) }, 'expiresAt'],
        [
          'a date more than a year ahead',
          { name: 'valid', scopes: ['sales:read'], expiresAt: isoDay(367) },
          'expiresAt',
        ],
        ['a date that does not exist', { name: 'valid', scopes: ['sales:read'], expiresAt: '2027-02-30' }, 'expiresAt'],
        [
          'a date-time without a zone',
          { name: 'valid', scopes: ['sales:read'], expiresAt: `${isoDay(10)}T10:00:00` },
          'expiresAt',
        ],
        ['an unknown key', { ...valid, isAdmin: true }, 'isAdmin'],
      ])('answers 400 naming the field for %s', async (_label, body, field) => {
        const res = await app.admin.post('/api-tokens/tokens').send(body);
        expectErrorBody(res, 400, 'ValidationError');
        expect(res.body.error.message).toContain(field);
        expect(res.body.error.details.errors.length).toBeGreaterThan(0);
      });

      it('answers 400 for a body that is not a JSON object, and for malformed JSON', async () => {
        expectErrorBody(await app.admin.post('/api-tokens/tokens').send([valid]), 400);
        expectErrorBody(
          await app.admin.post('/api-tokens/tokens').set('Content-Type', 'application/json').send('"text"'),
          400
        );
        expectErrorBody(
          await app.admin.post('/api-tokens/tokens').set('Content-Type', 'application/json').send('{"name": '),
          400
        );
        expectErrorBody(await app.admin.post('/api-tokens/tokens'), 400);
      });

      it('refuses a duplicate name, whatever its case, and keeps the first token', async () => {
        const first = await issue({ name: 'Duplicate me' });
        for (const name of ['Duplicate me', 'DUPLICATE ME']) {
          const res = await app.admin.post('/api-tokens/tokens').send({ ...valid, name });
          expectErrorBody(res, 400, 'ValidationError');
          expect(res.body.error.message).toMatch(/already exists/);
          expect(res.body.error.details.errors[0].path).toEqual(['name']);
        }
        const res = await app.bearer(first.accessKey).get('/api/api-tokens/self').expect(200);
        expect(res.body.data.name).toBe('Duplicate me');
      });

      it('renames a token and changes its description, and nothing else', async () => {
        const token = await issue();
        const res = await app.admin
          .put(`/api-tokens/tokens/${token.documentId}`)
          .send({ name: `${token.name} renamed`, description: 'new' })
          .expect(200);
        expect(res.body.data).toMatchObject({
          name: `${token.name} renamed`,
          description: 'new',
          scopes: ['sales:read'],
        });
        expectErrorBody(
          await app.admin.put(`/api-tokens/tokens/${token.documentId}`).send({ scopes: ['subscriptions:execute'] }),
          400
        );
        expectErrorBody(await app.admin.put(`/api-tokens/tokens/${token.documentId}`).send({ expiresInDays: 90 }), 400);
        expectErrorBody(await app.admin.put(`/api-tokens/tokens/${token.documentId}`).send({}), 400);
        expectErrorBody(
          await app.admin.put(`/api-tokens/tokens/${token.documentId}`).send({ name: 'Reporting app' }),
          400
        );
      });

      it('answers 404 for an unknown token id', async () => {
        expectErrorBody(await app.admin.get('/api-tokens/tokens/nope'), 404, 'NotFoundError');
        expectErrorBody(await app.admin.post('/api-tokens/tokens/nope/revoke'), 404, 'NotFoundError');
        expectErrorBody(
          await app.admin.post('/api-tokens/tokens/nope/regenerate').send({ expiresInDays: 30 }),
          404,
          'NotFoundError'
        );
      });

      it('regenerates: a new secret and a new expiry, and the old secret stops working', async () => {
        const token = await issue({ expiresInDays: 30 });
        await app.bearer(token.accessKey).get('/api/api-tokens/self').expect(200);
        const res = await app.admin
          .post(`/api-tokens/tokens/${token.documentId}/regenerate`)
          .send({ expiresInDays: 90 })
          .expect(201);
        const fresh = res.body.data;
        issuedSecrets.push(fresh.accessKey);
        expect(fresh.accessKey).toMatch(TOKEN_PATTERN);
        expect(fresh.accessKey).not.toBe(token.accessKey);
        expect(fresh.documentId).toBe(token.documentId);
        expect(new Date(fresh.expiresAt).getTime()).toBeGreaterThan(Date.now() + 89 * DAY);
        expectErrorBody(await app.bearer(token.accessKey).get('/api/api-tokens/self'), 401);
        await app.bearer(fresh.accessKey).get('/api/api-tokens/self').expect(200);
        expectErrorBody(await app.admin.post(`/api-tokens/tokens/${token.documentId}/regenerate`).send({}), 400);
      });

      it('regenerates an expired token into a working one', async () => {
        const token = await issue();
        await app.strapi.db
          .query('plugin::api-tokens.api-token')
          .update({ where: { documentId: token.documentId }, data: { expiresAt: new Date(Date.now() - DAY) } });
        const list = await app.admin.get('/api-tokens/tokens').expect(200);
        expect(list.body.data.find((t: any) => t.documentId === token.documentId).status).toBe('expired');
        const res = await app.admin
          .post(`/api-tokens/tokens/${token.documentId}/regenerate`)
          .send({ expiresAt: isoDay(20) })
          .expect(201);
        issuedSecrets.push(res.body.data.accessKey);
        expect(res.body.data.status).toBe('active');
        await app.bearer(res.body.data.accessKey).get('/api/api-tokens/self').expect(200);
      });

      it('revokes: the row stays, listed as revoked, and the token gets 401', async () => {
        const token = await issue();
        await app.bearer(token.accessKey).get('/api/sales/summary').expect(200);
        const res = await app.admin.post(`/api-tokens/tokens/${token.documentId}/revoke`).expect(200);
        expect(res.body.data.status).toBe('revoked');
        expect(res.body.data.revokedAt).not.toBeNull();
        expectErrorBody(await app.bearer(token.accessKey).get('/api/sales/summary'), 401);
        const again = await app.admin.post(`/api-tokens/tokens/${token.documentId}/revoke`).expect(200);
        expect(again.body.data.revokedAt).toBe(res.body.data.revokedAt);
        const one = await app.admin.get(`/api-tokens/tokens/${token.documentId}`).expect(200);
        expect(one.body.data.status).toBe('revoked');
        const regenerate = await app.admin
          .post(`/api-tokens/tokens/${token.documentId}/regenerate`)
          .send({ expiresInDays: 30 });
        expectErrorBody(regenerate, 400);
        expect(regenerate.body.error.message).toMatch(/revoked/);
      });
    });

    describe('the scope policy on content-API routes', () => {
      let salesToken: { accessKey: string; documentId: string };
      let otherToken: { accessKey: string; documentId: string };

      beforeAll(async () => {
        salesToken = await issue({ scopes: ['sales:read'] });
        otherToken = await issue({ scopes: ['subscriptions:execute'] });
      });

      it('introspects the bearer token at GET /api/api-tokens/self', async () => {
        const res = await app.bearer(otherToken.accessKey).get('/api/api-tokens/self').expect(200);
        expect(Object.keys(res.body.data).sort()).toEqual(['expiresAt', 'name', 'scopes']);
        expect(res.body.data.scopes).toEqual(['subscriptions:execute']);
      });

      it('serves the app route to a token holding the app-registered scope', async () => {
        const res = await app.bearer(salesToken.accessKey).get('/api/sales/summary').expect(200);
        expect(res.body.data.map((row: any) => row.region).sort()).toEqual(['East', 'North', 'South', 'West']);
        expect(res.body.data.reduce((sum: number, row: any) => sum + row.sales, 0)).toBe(200);
      });

      it('answers 403 with the missing scope for a valid token without it', async () => {
        const res = await app.bearer(otherToken.accessKey).get('/api/sales/summary');
        expectErrorBody(res, 403, 'PolicyError');
        expect(res.body.error.message).toContain('sales:read');
      });

      const denied = (secret: () => string | undefined, header?: () => string) => async () => {
        const request = app.anonymous().get('/api/sales/summary');
        if (header) request.set('Authorization', header());
        else if (secret()) request.set('Authorization', `Bearer ${secret()}`);
        const res = await request;
        expectErrorBody(res, 401, 'UnauthorizedError');
        expect(res.body.error.message).toBe('Unauthorized');
        expect(res.headers['www-authenticate']).toBe('Bearer realm="api-tokens"');
      };
      const tamper = (token: string) => `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;

      it(
        'answers 401 with no token',
        denied(() => undefined)
      );
      it(
        'answers 401 for another auth scheme',
        denied(
          () => undefined,
          () => `Basic ${Buffer.from('a:b').toString('base64')}`
        )
      );
      it(
        'answers 401 for a malformed token',
        denied(() => 'not-a-token')
      );
      it(
        'answers 401 for a token with a bad checksum',
        denied(() => tamper(salesToken.accessKey))
      );
      it(
        'answers 401 for a well-formed token that was never issued',
        denied(() => {
          const { generateToken } = require('../../src/plugins/api-tokens/server/src/tokens/format');
          return generateToken();
        })
      );

      it('answers 401 for a revoked token', async () => {
        const token = await issue();
        await app.admin.post(`/api-tokens/tokens/${token.documentId}/revoke`).expect(200);
        await denied(() => token.accessKey)();
      });

      it('answers 401 for an expired token', async () => {
        const token = await issue();
        await app.strapi.db
          .query('plugin::api-tokens.api-token')
          .update({ where: { documentId: token.documentId }, data: { expiresAt: new Date(Date.now() - 1000) } });
        await denied(() => token.accessKey)();
      });

      it("never lets Strapi's own API tokens or users-permissions JWTs through", async () => {
        const builtIn = await app.strapi.service('admin::api-token').create({
          name: 'strapi full access',
          type: 'full-access',
          lifespan: null,
        });
        await app.bearer(builtIn.accessKey).get('/api/sales').expect(200);
        expectErrorBody(await app.bearer(builtIn.accessKey).get('/api/api-tokens/self'), 401);
        expectErrorBody(await app.bearer(builtIn.accessKey).get('/api/sales/summary'), 401);

        const jwt = app.strapi.plugin('users-permissions').service('jwt').issue({ id: 1 });
        expectErrorBody(await app.bearer(jwt).get('/api/api-tokens/self'), 401);
      });

      it('writes lastUsedAt and lastUsedIp after authorization only, off the request path', async () => {
        const token = await issue({ scopes: ['subscriptions:execute'] });
        await app.bearer(token.accessKey).get('/api/sales/summary').expect(403);
        await flushTokenWrites();
        expect((await tokenRow(app, token.documentId)).lastUsedAt).toBeNull();

        await app.bearer(token.accessKey).get('/api/api-tokens/self').expect(200);
        await flushTokenWrites();
        const row = await tokenRow(app, token.documentId);
        expect(row.lastUsedAt).not.toBeNull();
        expect(row.lastUsedIp).toMatch(/127\.0\.0\.1/);

        await app.bearer(token.accessKey).get('/api/api-tokens/self').expect(200);
        await flushTokenWrites();
        expect((await tokenRow(app, token.documentId)).lastUsedAt).toEqual(row.lastUsedAt);
      });

      it('writes lastUsedAt once when concurrent requests race for it', async () => {
        const token = await issue();
        const { id } = await tokenRow(app, token.documentId);
        const service = app.strapi.plugin('api-tokens').service('tokens');
        const now = Date.now();
        const wrote = await Promise.all(Array.from({ length: 10 }, () => service.touchLastUsed(id, '10.0.0.1', now)));
        expect(wrote.filter(Boolean)).toHaveLength(1);
        expect(await service.touchLastUsed(id, '10.0.0.2', now + 60_000)).toBe(false);
        expect(await service.touchLastUsed(id, '10.0.0.3', now + 5 * 60_000 + 1)).toBe(true);
        expect((await tokenRow(app, token.documentId)).lastUsedIp).toBe('10.0.0.3');
      });
    });

    describe('audit and secrecy', () => {
      it('audits creation, regeneration, revocation and sampled denials, never with the secret', async () => {
        const token = await issue({ scopes: ['subscriptions:execute'] });
        await app.admin
          .post(`/api-tokens/tokens/${token.documentId}/regenerate`)
          .send({ expiresInDays: 60 })
          .expect(201);
        await app.admin.post(`/api-tokens/tokens/${token.documentId}/revoke`).expect(200);
        for (let i = 0; i < 5; i += 1) await app.bearer(token.accessKey).get('/api/sales/summary').expect(401);

        const events = await app.strapi.db
          .query(AUDIT_UID)
          .findMany({ where: { subjectType: 'api-token', subjectId: token.documentId }, orderBy: { id: 'asc' } });
        expect(events.map((event: any) => event.action)).toEqual([
          'token.created',
          'token.regenerated',
          'token.revoked',
        ]);
        expect(events[0]).toMatchObject({
          actor: expect.stringMatching(/^admin:\d+$/),
          details: { scopes: ['subscriptions:execute'] },
        });

        const fresh = await issue({ scopes: ['subscriptions:execute'] });
        for (let i = 0; i < 5; i += 1) await app.bearer(fresh.accessKey).get('/api/sales/summary').expect(403);
        await app.strapi.plugin('api-tokens').service('audit').flush();
        const denials = await app.strapi.db
          .query(AUDIT_UID)
          .findMany({ where: { action: 'token.denied', subjectId: fresh.documentId } });
        expect(denials).toHaveLength(1);
        expect(denials[0].details).toMatchObject({
          reason: 'scope',
          path: '/api/sales/summary',
          requiredScopes: ['sales:read'],
        });

        const all = JSON.stringify(await app.strapi.db.query(AUDIT_UID).findMany({}));
        for (const secret of issuedSecrets) expect(all).not.toContain(secret);
      });

      it('purges audit events older than audit.retentionDays', async () => {
        const audit = app.strapi.plugin('api-tokens').service('audit');
        const old = new Date(Date.now() - 91 * 24 * 60 * 60 * 1000);
        const stale = await app.strapi.db
          .query(AUDIT_UID)
          .create({ data: { action: 'test.old', subjectType: 'test', subjectId: 'old' } });
        await app.strapi.db.query(AUDIT_UID).update({ where: { id: stale.id }, data: { createdAt: old } });
        await app.strapi.db
          .query(AUDIT_UID)
          .create({ data: { action: 'test.recent', subjectType: 'test', subjectId: 'recent' } });

        expect(await audit.purge()).toBeGreaterThanOrEqual(1);
        const left = await app.strapi.db.query(AUDIT_UID).findMany({ where: { subjectType: 'test' } });
        expect(left.map((event: any) => event.action)).toEqual(['test.recent']);
      });

      it('never stores or logs a token in plain text', async () => {
        const token = await issue();
        await app.bearer(token.accessKey).get('/api/api-tokens/self').expect(200);
        await flushTokenWrites();
        const row = await tokenRow(app, token.documentId);
        expect(row.digest).toMatch(/^[0-9a-f]{64}$/);
        expect(Object.values(row).map(String)).not.toContain(token.accessKey);

        expect(issuedSecrets.length).toBeGreaterThan(10);
        const logged = logs.lines.join('\n');
        expect(logs.lines.length).toBeGreaterThan(0);
        for (const secret of issuedSecrets) expect(logged).not.toContain(secret);

        if (app.database === 'sqlite') {
          await app.strapi.db.connection.raw('PRAGMA wal_checkpoint(FULL)').catch(() => {});
          const bytes = readFileSync(path.join(APP_DIR, app.databaseName)).toString('latin1');
          expect(bytes).toContain(row.digest);
          for (const secret of issuedSecrets) {
            expect(bytes).not.toContain(secret);
            expect(bytes).not.toContain(secret.slice(4, 47));
          }
        } else {
          const dump = await app.strapi.db.connection.raw(
            'select row_to_json(t)::text as row from api_tokens_tokens t union all select row_to_json(a)::text from api_tokens_audit_events a'
          );
          const text = dump.rows.map((r: any) => r.row).join('\n');
          expect(text).toContain(row.digest);
          for (const secret of issuedSecrets) expect(text).not.toContain(secret.slice(4, 47));
        }
      });
    });
  });
