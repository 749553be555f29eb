import type { Knex } from 'knex';
import type { ParsedQuery } from './types';

/** A parsed query with its window applied, and where a keyset page starts. */
export type WindowedQuery = ParsedQuery & { after?: number | null };

/** A value bound each time a statement runs, read from the query: a filter value, the time zone, the window. */
export class Slot {
  constructor(readonly read: (query: WindowedQuery) => unknown) {}
}

/** SQL text with `?` placeholders, as knex.raw() takes it; a binding is a constant or a Slot. */
export interface Statement {
  sql: string;
  bindings: unknown[];
}

/** Statements kept: a report, dashboard or embed asks the same few shapes over and over. */
const MAX_STATEMENTS = 500;
/** Statements with more filter values than this are not kept: each IN list length is another shape. */
const MAX_CACHED_VALUES = 64;

const cache = new Map<string, Statement>();

/**
 * What a query's statements depend on besides the table and the window: its shape and operators, never its values
 * (filter values, the time zone, the window's numbers are Slots), so one statement serves every value and no value
 * reaches the key. Null when its statements are not kept.
 */
export const shapeOf = (query: ParsedQuery): string | null =>
  query.filters.reduce((sum, filter) => sum + filter.values.length, 0) > MAX_CACHED_VALUES
    ? null
    : JSON.stringify([
        query.result,
        query.filters.map((filter) => [filter.column, filter.type, filter.operator, filter.values.length]),
        query.groupBy,
        query.aggregates,
        query.sort,
      ]);

/**
 * The statement of `window` (a query of shape `shape`, shapeOf()) over `table`, `variant` naming the compile options:
 * compiled once and kept, least recently used first out. A table is never altered once built and a refresh serves a
 * new one, so a key holds the table; snapshot-store.ts forgets a table's statements when it drops it.
 */
export const statementOf = (
  table: string,
  shape: string | null,
  window: WindowedQuery,
  variant: string,
  compile: () => Statement
): Statement => {
  if (shape === null) return compile();
  const key = `${table}\u0000${variant}:${window.limit !== null}:${window.offset > 0}\u0000${shape}`;
  let statement = cache.get(key);
  if (statement) cache.delete(key);
  else {
    statement = compile();
    if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, statement);
  return statement;
};

/** The bindings to run a statement with for this query. */
export const bindingsOf = (statement: Statement, query: WindowedQuery): unknown[] =>
  statement.bindings.map((binding) => (binding instanceof Slot ? binding.read(query) : binding));

/** Drops the statements over a table (dropped, or no longer served). */
export const forgetStatements = (table: string) => {
  for (const key of cache.keys()) if (key.startsWith(`${table}\u0000`)) cache.delete(key);
};

/** How many statements are kept (tests). */
export const cachedStatements = () => cache.size;

interface SqliteStatement {
  all(bindings: unknown[]): unknown[];
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}
/** better-sqlite3 statements prepared per kept statement and connection: a repeat query skips SQLite's prepare. */
const prepared = new WeakMap<Statement, WeakMap<object, SqliteStatement>>();

/**
 * Runs a statement of `query`'s shape with its values; its rows. On SQLite, on a connection of knex's pool, with the
 * statement prepared once per connection (dropped with the kept statement); on PostgreSQL through knex.raw().
 */
export const runStatement = async (
  knex: Knex,
  statement: Statement,
  query: WindowedQuery,
  dialect: 'sqlite' | 'postgres'
): Promise<Record<string, unknown>[]> => {
  const bindings = bindingsOf(statement, query);
  if (dialect === 'postgres') return (await knex.raw(statement.sql, bindings as Knex.RawBinding[])).rows;
  const connection = (await knex.client.acquireConnection()) as SqliteConnection;
  try {
    let byConnection = prepared.get(statement);
    if (!byConnection) prepared.set(statement, (byConnection = new WeakMap()));
    let sqlite = byConnection.get(connection);
    if (!sqlite) byConnection.set(connection, (sqlite = connection.prepare(statement.sql)));
    return sqlite.all(bindings) as Record<string, unknown>[];
  } finally {
    await knex.client.releaseConnection(connection);
  }
};
