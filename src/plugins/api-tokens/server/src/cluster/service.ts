import type { Core } from '@strapi/strapi';
import { Redis } from 'ioredis';
import { getConfig } from '../config';
import { createBus } from './bus';
import { createLimitsTable, createStoreLimiter, type LimiterOptions, type StoreBackend } from './limiter-store';
import { pgTransport } from './pg-transport';
import { redisTransport } from './redis-transport';

/** LISTEN/NOTIFY channel and Redis channel suffix. */
const CHANNEL = 'api_tokens_cluster';

/**
 * What the instances of one deployment share: the rate limiters' store (`rateLimit.store`) and a message bus for cache
 * invalidation (Redis pub/sub when `redis.url` is set, else PostgreSQL LISTEN/NOTIFY, else in-process on SQLite).
 * Subscriptions may be made before start(); broadcasts reach other instances once it has run.
 */
const cluster = ({ strapi }: { strapi: Core.Strapi }) => {
  const bus = createBus(strapi.log);
  let redis: Redis | null = null;
  let backend: StoreBackend = { store: 'memory' };

  const isPostgres = () => strapi.db.dialect.client === 'postgres';

  const connectRedis = async (url: string) => {
    // No offline queue and a short timeout: a request never waits for Redis; the limiter falls back to memory.
    const client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
      connectionName: 'api-tokens',
    });
    let down = false;
    client.on('error', (error: Error) => {
      if (!down) strapi.log.warn(`api-tokens: Redis unavailable (${error.message}); rate limits count per instance`);
      down = true;
    });
    client.on('ready', () => (down = false));
    await client.connect().catch(() => {});
    return client;
  };

  return {
    subscribe: bus.subscribe,
    broadcast: bus.broadcast,

    /** Which store the limiters use and which transport the bus has (after start()). */
    describe() {
      return { store: backend.store, bus: bus.transport };
    },

    async start() {
      const { rateLimit, redis: redisConfig } = getConfig();
      const store = rateLimit.store ?? (redisConfig.url ? 'redis' : isPostgres() ? 'database' : 'memory');
      if (store === 'database' && !isPostgres()) {
        throw new Error('api-tokens: rateLimit.store "database" needs PostgreSQL (DATABASE_CLIENT=postgres)');
      }
      if (store === 'redis' && !redisConfig.url) {
        throw new Error('api-tokens: rateLimit.store "redis" needs redis.url (REDIS_URL)');
      }
      if (redisConfig.url) redis = await connectRedis(redisConfig.url);

      const schema = isPostgres()
        ? strapi.config.get<string | undefined>('database.connection.connection.schema')
        : undefined;
      if (store === 'database') {
        await createLimitsTable(strapi.db.connection, schema);
        backend = { store, knex: strapi.db.connection, schema };
      } else if (store === 'redis') {
        backend = { store, redis: redis!, prefix: redisConfig.keyPrefix };
      }

      if (redis) {
        await bus.attach(redisTransport({ redis, channel: `${redisConfig.keyPrefix}${CHANNEL}`, log: strapi.log }));
      } else if (isPostgres()) {
        await bus.attach(
          pgTransport({
            connection: strapi.config.get('database.connection.connection'),
            channel: CHANNEL,
            notify: (channel, message) => strapi.db.connection.raw('select pg_notify(?, ?)', [channel, message]),
            log: strapi.log,
          })
        );
      }
    },

    /** A rate-limiter-flexible limiter on the configured store (memory until start() has run). */
    createLimiter(options: LimiterOptions) {
      return createStoreLimiter(backend, options);
    },

    async destroy() {
      await bus.close();
      redis?.disconnect();
      redis = null;
    },
  };
};

export type ClusterService = ReturnType<typeof cluster>;
export default cluster;
