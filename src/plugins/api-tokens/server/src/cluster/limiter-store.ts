import type { Core } from '@strapi/strapi';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

type Knex = Core.Strapi['db']['connection'];

export type RateLimitStore = 'memory' | 'database' | 'redis';

/** The PostgreSQL store's table: unlogged (counters need no crash safety, and skip the WAL). */
export const LIMITS_TABLE = 'api_tokens_rate_limits';

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
}

export type StoreBackend =
  | { store: 'memory' }
  | { store: 'database'; knex: Knex; schema?: string }
  | { store: 'redis'; redis: Redis; prefix: string };

/** Creates the database store's table, if missing (several instances may boot at once). */
export const createLimitsTable = async (knex: Knex, schema?: string) => {
  const table = schema ? `"${schema}"."${LIMITS_TABLE}"` : `"${LIMITS_TABLE}"`;
  try {
    await knex.raw(
      `CREATE UNLOGGED TABLE IF NOT EXISTS ${table} (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`
    );
  } catch (error) {
    // Two instances creating the table at once: the other one won.
    if ((error as { code?: string }).code !== '23505') throw error;
  }
};

/**
 * A rate-limiter-flexible limiter on the backend's store. A shared store that fails (down, timed out) falls back to
 * an in-memory limiter of the same budget (`insuranceLimiter`): each instance then counts on its own until the store
 * answers again. Failing open this way never locks every client out when Redis or the database has a problem.
 */
export const createStoreLimiter = (backend: StoreBackend, options: LimiterOptions): RateLimiterAbstract => {
  if (backend.store === 'memory') return new RateLimiterMemory(options);
  const insuranceLimiter = new RateLimiterMemory(options);
  if (backend.store === 'redis') {
    return new RateLimiterRedis({
      ...options,
      keyPrefix: `${backend.prefix}${options.keyPrefix}`,
      storeClient: backend.redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter,
    });
  }
  return new RateLimiterPostgres({
    ...options,
    storeClient: backend.knex,
    storeType: 'knex',
    tableName: LIMITS_TABLE,
    schemaName: backend.schema,
    tableCreated: true,
    insuranceLimiter,
  });
};
