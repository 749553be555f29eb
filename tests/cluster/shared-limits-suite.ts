import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { demoReports, seedSales } from '../../src/demo/seed';
import { generateToken } from '../../src/plugins/api-tokens/server/src/tokens/format';
import { startInstanceProcesses, type InstanceProcess } from '../helpers/instances';
import { REDIS_URL } from '../helpers/services';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { issueToken } from '../helpers/tokens';

export type Shared = 'postgres' | 'redis';

const PER_MINUTE = 10;
const FAILED_AUTH = 5;
const CACHE_SECONDS = 300;
const LIMITS_TABLE = 'api_tokens_rate_limits';

const ENV_KEYS = [
  'API_TOKENS_SCHEDULER_ENABLED',
  'API_TOKENS_RATE_LIMIT_PER_MINUTE',
  'API_TOKENS_FAILED_AUTH_LIMIT',
  'API_TOKENS_FAILED_AUTH_WINDOW_SECONDS',
  'API_TOKENS_CACHE_SECONDS',
  'API_TOKENS_RATE_LIMIT_STORE',
  'API_TOKENS_REDIS_PREFIX',
  'REDIS_URL',
];

const self = (url: string, token: string) =>
  fetch(`${url}/api/api-tokens/self`, { headers: { authorization: `Bearer ${token}` } });

/** Polls until `url` refuses the token with 401; the milliseconds it took (fails past `maxMs`). */
const msUntilRefused = async (url: string, token: string, maxMs = 5000) => {
  const start = Date.now();
  for (;;) {
    const res = await self(url, token);
    if (res.status === 401) return Date.now() - start;
    // Still accepted (429 once the polls have spent the token's budget).
    expect([200, 429]).toContain(res.status);
    if (Date.now() - start > maxMs) throw new Error(`${url} still accepts the token after ${maxMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** Calls `attempt` until it rejects with `message`; the milliseconds it took (fails past `maxMs`). */
const msUntilRejected = async (attempt: () => Promise<unknown>, message: string, maxMs = 5000) => {
  const start = Date.now();
  for (;;) {
    const error = await attempt().then(
      () => null,
      (reason: Error) => reason
    );
    if (error) {
      expect(error.message).toContain(message);
      return Date.now() - start;
    }
    if (Date.now() - start > maxMs) throw new Error(`still accepted after ${maxMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/**
 * Two Strapi instances on one PostgreSQL database, A in this process and B in its own, both on HTTP from 127.0.0.1
 * (one client IP): rate limits on the shared store (`database` by default on PostgreSQL, `redis` with REDIS_URL) and
 * revocations through the bus (LISTEN/NOTIFY, or Redis pub/sub).
 */
export const sharedLimitsSuite = (shared: Shared) => {
  let app: TestApp;
  let a: string;
  let b: InstanceProcess;
  let redis: Redis | undefined;
  const prefix = `api-tokens-test-${process.pid}-${Date.now()}:`;

  beforeAll(async () => {
    app = await startStrapi({
      database: 'postgres',
      env: {
        API_TOKENS_SCHEDULER_ENABLED: 'false',
        API_TOKENS_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
        API_TOKENS_FAILED_AUTH_LIMIT: String(FAILED_AUTH),
        API_TOKENS_FAILED_AUTH_WINDOW_SECONDS: '60',
        API_TOKENS_CACHE_SECONDS: String(CACHE_SECONDS),
        // The default store: database on PostgreSQL, redis when REDIS_URL is set.
        API_TOKENS_RATE_LIMIT_STORE: undefined,
        API_TOKENS_REDIS_PREFIX: prefix,
        REDIS_URL: shared === 'redis' ? REDIS_URL : undefined,
      },
    });
    const server = app.strapi.server.httpServer;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    a = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // B inherits the database and the settings above from this process's environment.
    [b] = await startInstanceProcesses(1);
    if (shared === 'redis') redis = new Redis(REDIS_URL);
  }, 180_000);

  afterAll(async () => {
    await b?.stop();
    await app?.stop();
    redis?.disconnect();
    for (const key of ENV_KEYS) delete process.env[key];
  }, 60_000);

  /** Whether the shared store holds the limiter key, e.g. `token:12`. */
  const storeHas = async (key: string) => {
    if (redis) return (await redis.exists(`${prefix}api-tokens:${key}`)) === 1;
    const rows = await app.strapi.db.connection(LIMITS_TABLE).where({ key: `api-tokens:${key}` });
    return rows.length === 1;
  };

  /** A fresh failed-authentication budget for 127.0.0.1 (the revoke tests spend some). */
  const resetFailedAuth = async () => {
    if (redis) await redis.del(`${prefix}api-tokens:failed-auth:127.0.0.1`);
    else await app.strapi.db.connection(LIMITS_TABLE).where({ key: 'api-tokens:failed-auth:127.0.0.1' }).delete();
  };

  beforeEach(() => resetFailedAuth());

  it('uses the shared store and bus on every instance', async () => {
    const expected = shared === 'redis' ? { store: 'redis', bus: 'redis' } : { store: 'database', bus: 'postgres' };
    expect(app.strapi.plugin('api-tokens').service('cluster').describe()).toEqual(expected);
    expect(await b.call('cluster', 'describe')).toEqual(expected);
  });

  it(`lets ${PER_MINUTE} requests a minute through across the instances, then answers 429 with Retry-After on each`, async () => {
    const token = await issueToken(app);
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < PER_MINUTE; i += 1) {
      const res = await self(i % 2 === 0 ? a : b.url, token.accessKey);
      statuses.push(res.status);
      remaining.push(res.headers.get('ratelimit-remaining')!);
    }
    expect(statuses).toEqual(Array(PER_MINUTE).fill(200));
    // One budget: each instance sees the other's requests.
    expect(remaining).toEqual(Array.from({ length: PER_MINUTE }, (_, i) => String(PER_MINUTE - 1 - i)));

    for (const url of [b.url, a]) {
      const res = await self(url, token.accessKey);
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await res.json()).error).toMatchObject({ status: 429, name: 'RateLimitError' });
    }
    const { id } = await app.strapi.db
      .query('plugin::api-tokens.api-token')
      .findOne({ where: { documentId: token.documentId } });
    expect(await storeHas(`token:${id}`)).toBe(true);
  });

  it('applies a revoke on one instance at once on the other, well within tokenCacheSeconds', async () => {
    const first = await issueToken(app);
    // Both instances cache the lookup (for CACHE_SECONDS).
    for (const url of [a, b.url]) expect((await self(url, first.accessKey)).status).toBe(200);
    await app.admin.post(`/api-tokens/tokens/${first.documentId}/revoke`).expect(200);
    expect((await self(a, first.accessKey)).status).toBe(401);
    expect(await msUntilRefused(b.url, first.accessKey)).toBeLessThan(2000);

    const second = await issueToken(app);
    for (const url of [a, b.url]) expect((await self(url, second.accessKey)).status).toBe(200);
    await b.call('tokens', 'revoke', second.documentId, { type: 'admin', id: 1 });
    expect((await self(b.url, second.accessKey)).status).toBe(401);
    expect(await msUntilRefused(a, second.accessKey)).toBeLessThan(2000);
  });

  it('applies an embed token revoke (by jti, and "revoke all issued before now") on the other instance at once', async () => {
    await seedSales(app.strapi, 20);
    const model = await app.admin
      .post('/api-tokens/semantic-models')
      .send({
        name: 'Sales',
        source: { type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'channel', 'amount'] },
        refresh: { mode: 'manual' },
      })
      .expect(201);
    await app.strapi.plugin('api-tokens').service('semantic-models').refresh(model.body.data.documentId);
    const [byRegion] = demoReports(model.body.data.documentId);
    const report = (
      await app.admin
        .post('/api-tokens/reports')
        .send({ ...byRegion, embed: { enabled: true } })
        .expect(201)
    ).body.data;
    const embedId: string = report.embed.embedId;
    const issuer = await issueToken(app, { scopes: ['embed-tokens:create'] });
    const issue = async (): Promise<{ jwt: string; jti: string }> => {
      const res = await app
        .bearer(issuer.accessKey)
        .post('/v1/cards/embed/auth')
        .send({ authorizations: [{ token: embedId, permissions: ['READ'] }] })
        .expect(201);
      const jwt = res.body.authentication;
      return { jwt, jti: JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).jti };
    };
    const embeds = app.strapi.plugin('api-tokens').service('embeds');
    const verifyOnB = (jwt: string) => b.call('embeds', 'verify', jwt, 'card', embedId);

    const first = await issue();
    // B caches the embed's row and the jti denylist (for CACHE_SECONDS).
    await verifyOnB(first.jwt);
    await embeds.revoke(first.jti, 'admin:1');
    expect(await msUntilRejected(() => verifyOnB(first.jwt), 'The token has been revoked')).toBeLessThan(2000);

    const second = await issue();
    await verifyOnB(second.jwt);
    await embeds.revokeBefore('card', report.documentId, 'admin:1');
    expect(await msUntilRejected(() => verifyOnB(second.jwt), 'The token has been revoked')).toBeLessThan(2000);
  });

  if (shared === 'postgres') {
    it('reconnects a lost LISTEN connection and drops the lookups it may have missed', async () => {
      const token = await issueToken(app);
      for (const url of [a, b.url]) expect((await self(url, token.accessKey)).status).toBe(200);
      const knex = app.strapi.db.connection;
      const listeners = `from pg_stat_activity where datname = current_database() and application_name = 'api-tokens-cluster'`;
      const before = (await knex.raw(`select pid ${listeners}`)).rows.map((row: { pid: number }) => row.pid);
      expect(before).toHaveLength(2);
      // Both instances lose their listener; the revoke's NOTIFY may reach B before it is back, or not.
      await knex.raw(`select pg_terminate_backend(pid) ${listeners}`);
      await app.admin.post(`/api-tokens/tokens/${token.documentId}/revoke`).expect(200);
      expect(await msUntilRefused(b.url, token.accessKey)).toBeLessThan(5000);
      // B is back (it heard the revoke, or dropped its lookups on reconnect); A reconnects on its own backoff.
      const listening = async () =>
        (await knex.raw(`select pid ${listeners}`)).rows.map((row: { pid: number }) => row.pid) as number[];
      let after = await listening();
      for (const deadline = Date.now() + 10_000; after.length < 2 && Date.now() < deadline; after = await listening()) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(after).toHaveLength(2);
      expect(after.filter((pid: number) => before.includes(pid))).toEqual([]);
    });
  }

  // Last: it leaves 127.0.0.1 blocked on both instances.
  it(`shares the client IP's budget of ${FAILED_AUTH} failed authentications across the instances`, async () => {
    const valid = await issueToken(app);
    for (let i = 0; i < FAILED_AUTH; i += 1) {
      expect((await self(i % 2 === 0 ? a : b.url, generateToken())).status).toBe(401);
    }
    for (const url of [b.url, a]) {
      const res = await self(url, generateToken());
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // The IP is blocked whatever it sends.
      expect((await self(url, valid.accessKey)).status).toBe(429);
    }
    expect(await storeHas('failed-auth:127.0.0.1')).toBe(true);
  });
};
