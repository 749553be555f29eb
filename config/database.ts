import path from 'node:path';

export default ({ env }) => {
  const client = env('DATABASE_CLIENT', 'sqlite');

  const connections = {
    postgres: {
      connection: {
        connectionString: env('DATABASE_URL'),
        host: env('DATABASE_HOST', '127.0.0.1'),
        port: env.int('DATABASE_PORT', 5432),
        database: env('DATABASE_NAME', 'strapi'),
        user: env('DATABASE_USERNAME', 'postgres'),
        password: env('DATABASE_PASSWORD', ''),
        ssl: env.bool('DATABASE_SSL', false) && {
          rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true),
        },
        schema: env('DATABASE_SCHEMA', 'public'),
      },
      pool: { min: env.int('DATABASE_POOL_MIN', 2), max: env.int('DATABASE_POOL_MAX', 10) },
    },
    sqlite: {
      connection: {
        filename: path.join(__dirname, '..', '..', env('DATABASE_FILENAME', '.tmp/data.db')),
      },
      useNullAsDefault: true,
      // Write-ahead log: readers never wait for a writer (a snapshot load, a batch of claims), and a commit appends
      // to the log instead of rewriting a rollback journal.
      pool: {
        afterCreate: (
          connection: { pragma(sql: string): unknown },
          done: (error: Error | null, connection: unknown) => void
        ) => {
          connection.pragma('journal_mode = WAL');
          connection.pragma('synchronous = NORMAL');
          // Up to 10,000 pages (≈ 40 MB) of log before SQLite checkpoints inside some commit: the plugin's scheduler
          // checkpoints after every tick, so a batch of claims does not pay for it.
          connection.pragma('wal_autocheckpoint = 10000');
          // A 16 MB page cache (SQLite's default is 2 MB): at 100,000 schedules and 200,000 runs, a tick's claims touch
          // index pages all over the ledger, and with the default most of them are read again from the OS cache.
          connection.pragma('cache_size = -16000');
          done(null, connection);
        },
      },
    },
  };

  if (!connections[client]) {
    throw new Error(`DATABASE_CLIENT must be "sqlite" or "postgres", got "${client}"`);
  }

  return {
    connection: {
      client,
      ...connections[client],
      acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 60000),
    },
  };
};
