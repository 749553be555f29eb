import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import type { Column, Row } from './sources';

/**
 * Rows per multi-row INSERT on SQLite: the best of 50/100/200/500 in the refresh bench's search (bench/refresh.ts);
 * 6 columns × 500 rows stays far below SQLite's 32,766 bound parameters.
 */
export const SQLITE_ROWS_PER_STATEMENT = 500;
const SQLITE_MAX_PARAMETERS = 30_000;

/** Writes pages of a snapshot's rows straight through the database driver; `end()` after the last page. */
export interface SnapshotWriter {
  write(page: Row[]): Promise<void>;
  end(): Promise<void>;
  /** Gives the connection back after a failure; the partial table is the caller's to drop. */
  abort(error: unknown): Promise<void>;
}

interface SqliteStatement {
  run(...values: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  transaction(fn: () => void): () => void;
}

/** What better-sqlite3 binds (it refuses booleans and Dates): what knex's own bindings formatter makes of them. */
const sqliteValue = (value: unknown) =>
  value === undefined
    ? null
    : typeof value === 'boolean'
      ? value
        ? 1
        : 0
      : value instanceof Date
        ? value.getTime()
        : value;

/**
 * SQLite: each page in one transaction of prepared multi-row INSERTs on the driver's connection, taken from knex's pool
 * for the page only (the pool has one connection: the run's heartbeat and the source's next page need it between pages).
 */
const sqliteWriter = (knex: Knex, table: string, columns: Column[]): SnapshotWriter => {
  const names = columns.map(({ name }) => name);
  const quoted = names.map((name) => `"${name.replace(/"/g, '""')}"`).join(', ');
  const tuple = `(${names.map(() => '?').join(', ')})`;
  const perStatement = Math.max(
    1,
    Math.min(SQLITE_ROWS_PER_STATEMENT, Math.floor(SQLITE_MAX_PARAMETERS / Math.max(names.length, 1)))
  );
  // Prepared statements belong to a connection; a pool may hand out another one after a reconnect.
  const statements = new WeakMap<SqliteConnection, Map<number, SqliteStatement>>();
  const statementFor = (connection: SqliteConnection, rows: number) => {
    let byRows = statements.get(connection);
    if (!byRows) statements.set(connection, (byRows = new Map()));
    let statement = byRows.get(rows);
    if (!statement) {
      statement = connection.prepare(
        `INSERT INTO "${table}" (${quoted}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`
      );
      byRows.set(rows, statement);
    }
    return statement;
  };
  const values = new Array<unknown>(perStatement * names.length);

  const insert = (connection: SqliteConnection, page: Row[]) => {
    for (let start = 0; start < page.length; start += perStatement) {
      const rows = Math.min(perStatement, page.length - start);
      const bound = rows === perStatement ? values : new Array<unknown>(rows * names.length);
      let k = 0;
      for (let r = start; r < start + rows; r += 1) {
        const row = page[r];
        for (let c = 0; c < names.length; c += 1) bound[k++] = sqliteValue(row[names[c]]);
      }
      statementFor(connection, rows).run(bound);
    }
  };

  return {
    async write(page) {
      if (page.length === 0) return;
      const connection = (await (knex.client as any).acquireConnection()) as SqliteConnection;
      try {
        connection.transaction(() => insert(connection, page))();
      } finally {
        await (knex.client as any).releaseConnection(connection);
      }
    },
    async end() {},
    async abort() {},
  };
};

/** PostgreSQL COPY's text format: `\N` for null, backslash escapes for the separators. */
const copyText = (value: unknown): string => {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'string' ? value : String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : text;
};

/**
 * PostgreSQL: one `COPY … FROM STDIN` for the whole build, on a connection taken from knex's pool until the end; a
 * page waits for the stream to drain, so at most a page or two of text is buffered.
 */
const postgresWriter = (knex: Knex, table: string, columns: Column[]): SnapshotWriter => {
  const names = columns.map(({ name }) => name);
  const quoted = names.map((name) => `"${name.replace(/"/g, '""')}"`).join(', ');
  let connection: any = null;
  let stream: Writable | null = null;
  let failure: unknown = null;

  const open = async () => {
    connection = await (knex.client as any).acquireConnection();
    stream = connection.query(copyFrom(`COPY "${table}" (${quoted}) FROM STDIN`)) as Writable;
    stream.on('error', (error) => {
      failure ??= error;
    });
    return stream;
  };
  const release = async () => {
    const held = connection;
    connection = null;
    stream = null;
    if (held) await (knex.client as any).releaseConnection(held);
  };

  return {
    async write(page) {
      if (failure) throw failure;
      const copy = stream ?? (await open());
      let text = '';
      for (const row of page) {
        let line = '';
        for (let c = 0; c < names.length; c += 1) line += (c === 0 ? '' : '\t') + copyText(row[names[c]]);
        text += `${line}\n`;
      }
      if (!copy.write(text)) await Promise.race([once(copy, 'drain'), once(copy, 'error')]);
      if (failure) throw failure;
    },
    async end() {
      if (!stream) return;
      const copy = stream;
      try {
        copy.end();
        await once(copy, 'finish');
      } finally {
        await release();
      }
      if (failure) throw failure;
    },
    async abort(error) {
      if (!stream) return;
      const copy = stream;
      // pg-copy-streams answers a destroyed stream with CopyFail, which ends the COPY and frees the connection.
      const settled = once(copy, 'close').catch(() => {});
      copy.destroy(error instanceof Error ? error : new Error(String(error)));
      await settled;
      await release();
    },
  };
};

/** The snapshot store's bulk writer for `table` (its columns in this order; the row identity fills itself). */
export const snapshotWriter = (knex: Knex, sqlite: boolean, table: string, columns: Column[]): SnapshotWriter =>
  sqlite ? sqliteWriter(knex, table, columns) : postgresWriter(knex, table, columns);
