import { Redis } from 'ioredis';
import { Client } from 'pg';

export const POSTGRES = {
  host: process.env.DATABASE_HOST ?? '127.0.0.1',
  port: Number(process.env.DATABASE_PORT ?? 5432),
  user: process.env.DATABASE_USERNAME ?? 'postgres',
  password: process.env.DATABASE_PASSWORD ?? '',
  database: 'test',
};

/** Null when PostgreSQL answers, else why not. */
export const postgresProblem = async (): Promise<string | null> => {
  const client = new Client({ ...POSTGRES, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `PostgreSQL at ${POSTGRES.host}:${POSTGRES.port} is not reachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
};

/** Runs SQL on the maintenance database, e.g. to create or drop a per-test-file database. */
export const postgresAdmin = async (sql: string) => {
  const client = new Client(POSTGRES);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Null when Redis answers a PING, else why not. */
export const redisProblem = async (): Promise<string | null> => {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return `Redis at ${REDIS_URL} is not reachable (${(error as Error).message})`;
  } finally {
    client.disconnect();
  }
};

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
