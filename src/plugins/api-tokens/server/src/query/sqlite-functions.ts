import type { Knex } from 'knex';
import { dateBucket } from './date-buckets';
import type { Bucket } from './types';

/** `api_tokens_date_bucket(value, bucket, timezone)`: date-buckets.ts's dateBucket() inside SQLite. */
export const DATE_BUCKET_FUNCTION = 'api_tokens_date_bucket';

interface SqliteConnection {
  function(name: string, options: { deterministic: boolean }, fn: (...args: any[]) => unknown): unknown;
}
interface Pool {
  on(event: 'createSuccess', listener: (eventId: number, connection: SqliteConnection) => void): void;
  free: { resource: SqliteConnection }[];
  used: { resource: SqliteConnection }[];
}

const define = (connection: SqliteConnection) =>
  connection.function(DATE_BUCKET_FUNCTION, { deterministic: true }, (value, bucket, timezone) =>
    dateBucket(value, bucket as Bucket, (timezone as string | null) ?? null)
  );

const registered = new WeakSet<object>();

/**
 * Registers the query layer's SQL functions on a better-sqlite3 knex: SQLite knows no time zones, so date buckets
 * call into JS. A function lives on one connection, and the pool creates connections on its own (again after one
 * breaks), and the app's config owns the pool's afterCreate: so the function goes on every connection the pool
 * creates from now on (tarn's createSuccess) and on those it holds now. Idempotent per pool.
 */
export const registerSqliteFunctions = (knex: Knex) => {
  const pool = (knex.client as { pool?: Pool }).pool;
  if (!pool || registered.has(pool)) return;
  registered.add(pool);
  pool.on('createSuccess', (_eventId, connection) => define(connection));
  for (const { resource } of [...pool.free, ...pool.used]) define(resource);
};
