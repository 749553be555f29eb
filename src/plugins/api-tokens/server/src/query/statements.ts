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
 * knex.raw() reads every `?` in the text as a placeholder, also inside a quoted identifier (a column named `a?`):
 * such an identifier becomes a `??` binding of its own name, which knex wraps again.
 */
const forRaw = (statement: Statement): Statement => {
  if (!/[`"][^`"]*\?/.test(statement.sql)) return statement;
  const bindings: unknown[] = [];
  let sql = '';
  let next = 0;
  for (let i = 0; i < statement.sql.length; i += 1) {
    const char = statement.sql[i];
    if (char === '?') {
      bindings.push(statement.bindings[next++]);
      sql += char;
    } else if (char === '`' || char === '"' || char === "'") {
      let end = i + 1;
      while (end < statement.sql.length && (statement.sql[end] !== char || statement.sql[end + 1] === char)) {
        end += statement.sql[end] === char ? 2 : 1;
      }
      const quoted = statement.sql.slice(i, end + 1);
      if (char !== "'" && quoted.includes('?')) {
        sql += '??';
        bindings.push(
          quoted
            .slice(1, -1)
            .split(char + char)
            .join(char)
        );
      } else sql += quoted;
      i = end;
    } else sql += char;
  }
  return { sql, bindings };
};

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
  if (shape === null) return forRaw(compile());
  const key = `${table}\u0000${variant}:${window.limit !== null}:${window.offset > 0}\u0000${shape}`;
  let statement = cache.get(key);
  if (statement) cache.delete(key);
  else {
    statement = forRaw(compile());
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
