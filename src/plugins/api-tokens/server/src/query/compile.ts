import type { Knex } from 'knex';
import type { ColumnType } from '../semantic-models/sources';
import { DATE_BUCKET_FUNCTION } from './sqlite-functions';
import type { Aggregate, Filter, FilterValue, GroupBy, ParsedQuery } from './types';

export type Dialect = 'sqlite' | 'postgres';

/** Snapshot tables number their rows in this column (snapshot-store.ts); it is never a result column. */
export const ROW_IDENTITY = '__row';

export interface CompileOptions {
  /** Whether the table has ROW_IDENTITY (default true; snapshots built before it existed do not). */
  rowIdentity?: boolean;
  /** false: no ORDER BY, e.g. to count the rows (default true). */
  ordered?: boolean;
}

/** A piece of SQL and its bindings: identifiers (`??`) and values (`?`), never user text in the SQL. */
type Sql = [sql: string, bindings: unknown[]];

const COMPARISONS = {
  EQUALS: '=',
  GREATER_THAN: '>',
  GREAT_THAN_EQUALS_TO: '>=',
  LESS_THAN: '<',
  LESS_THAN_EQUALS_TO: '<=',
} as const;

/**
 * A parsed query over a snapshot table as one knex query: filters as bound values, grouping and aggregation in the
 * database, date buckets in SQL, and a total order so pages never overlap.
 *
 * Both dialects give the same rows: date buckets are `YYYY-MM-DD` text (PostgreSQL's date_trunc in the zone; on
 * SQLite the JS function sqlite-functions.ts registers), strings sort byte-wise (`COLLATE "C"` on PostgreSQL, as
 * SQLite's BINARY), NULL sorts as the smallest value (SQLite's way; spelled out on PostgreSQL), and ties are broken by
 * the group keys (grouped) or the row identity (ungrouped).
 */
export const compile = (
  knex: Knex,
  table: string,
  query: ParsedQuery,
  dialect: Dialect,
  { rowIdentity = true, ordered = true }: CompileOptions = {}
): Knex.QueryBuilder => {
  const pg = dialect === 'postgres';
  const ref = (name: string) => `${table}.${name}`;
  const grouped = query.groupBy.length > 0 || query.aggregates.length > 0;
  const typeOf = new Map(query.result.map((column) => [column.name, column.type]));

  /** Values in the form each database stores them (snapshot-store.ts): SQLite holds datetimes as epoch ms. */
  const bind = (value: FilterValue, type: ColumnType): unknown => {
    if (type === 'datetime') return pg ? (value as Date).toISOString() : (value as Date).getTime();
    if (type === 'biginteger' && !pg) return BigInt(value as string);
    if (type === 'boolean' && !pg) return value ? 1 : 0;
    return value;
  };

  const column = (name: string): Sql => [
    !pg && typeOf.get(name) === 'biginteger' ? 'CAST(?? AS TEXT)' : '??', // SQLite's driver reads a bigint as a double
    [ref(name)],
  ];

  const bucket = (group: Extract<GroupBy, { kind: 'bucket' }>): Sql => {
    const timezone = group.type === 'date' ? null : (query.timezone ?? 'UTC');
    if (!pg) return [`${DATE_BUCKET_FUNCTION}(??, ?, ?)`, [ref(group.field), group.bucket, timezone]];
    return group.type === 'date'
      ? [`to_char(date_trunc(?, CAST(?? AS timestamp)), 'YYYY-MM-DD')`, [group.bucket, ref(group.field)]]
      : [`to_char(date_trunc(?, ?? AT TIME ZONE ?), 'YYYY-MM-DD')`, [group.bucket, ref(group.field), timezone]];
  };

  // Each aggregate as selected and as sorted: a biginteger is selected as text (exact), and text would sort otherwise.
  const aggregates = query.aggregates.map(({ fn, field, as }) => {
    const type = typeOf.get(as);
    const collate = pg && (fn === 'min' || fn === 'max') && type === 'string' ? ' COLLATE "C"' : '';
    const order: Sql = field ? [`${fn}(??${collate})`, [ref(field)]] : ['count(*)', []];
    const select: Sql = type === 'biginteger' ? [`CAST(${order[0]} AS TEXT)`, order[1]] : order;
    return { as, select, order };
  });
  const buckets = query.groupBy.flatMap((group) => (group.kind === 'bucket' ? [group] : []));

  // SELECT: the listed columns, then the buckets not listed, then the aggregates (query.result's order).
  const selects: Sql[] = query.result.map(({ name }) => {
    const found = buckets.find((group) => group.as === name);
    const aggregated = aggregates.find((entry) => entry.as === name);
    const [sql, bindings] = found ? bucket(found) : aggregated ? aggregated.select : column(name);
    return [`${sql} AS ??`, [...bindings, name]];
  });
  const builder = knex(table).select(selects.map(([sql, bindings]) => knex.raw(sql, bindings as Knex.RawBinding[])));

  for (const filter of query.filters)
    applyFilter(builder, ref(filter.column), filter, (value) => bind(value, filter.type));

  if (query.groupBy.length > 0) {
    const keys = query.groupBy.map((group) => (group.kind === 'bucket' ? group.as : ref(group.field)));
    builder.groupByRaw(keys.map(() => '??').join(', '), keys);
  }

  if (ordered) {
    const terms: Sql[] = [];
    const term = ([sql, bindings]: Sql, dir: 'asc' | 'desc', text = false) => {
      const nulls = pg ? (dir === 'asc' ? ' NULLS FIRST' : ' NULLS LAST') : '';
      terms.push([`${sql}${pg && text ? ' COLLATE "C"' : ''} ${dir}${nulls}`, bindings]);
    };
    const sorted = new Set(query.sort.map((entry) => entry.field));
    for (const { field, dir, type } of query.sort) {
      const aggregated = aggregates.find((entry) => entry.as === field);
      if (aggregated) term(aggregated.order, dir);
      else if (buckets.some((group) => group.as === field)) term(['??', [field]], dir);
      else term(['??', [ref(field)]], dir, type === 'string');
    }
    // Ties: by the group keys (grouped), else by the row identity.
    for (const group of query.groupBy) {
      if (group.kind === 'bucket' && !sorted.has(group.as)) term(['??', [group.as]], 'asc');
      if (group.kind === 'column' && !sorted.has(group.field))
        term(['??', [ref(group.field)]], 'asc', group.type === 'string');
    }
    if (!grouped && rowIdentity) term(['??', [ref(ROW_IDENTITY)]], 'asc');
    if (terms.length > 0) {
      builder.orderByRaw(
        terms.map(([sql]) => sql).join(', '),
        terms.flatMap(([, bindings]) => bindings) as Knex.RawBinding[]
      );
    }
  }

  if (query.limit !== null) builder.limit(query.limit);
  if (query.offset > 0) builder.offset(query.offset);
  return builder;
};

/** One filter as a WHERE condition. NOT_EQUALS and NOT_IN keep NULLs: a missing value is not the excluded one. */
const applyFilter = (
  builder: Knex.QueryBuilder,
  column: string,
  { operator, values }: Filter,
  bind: (value: FilterValue) => unknown
) => {
  const bound = values.map(bind) as Knex.Value[];
  switch (operator) {
    case 'IN':
      builder.whereIn(column, bound);
      break;
    case 'NOT_IN':
      builder.where((inner) => inner.whereNotIn(column, bound).orWhereNull(column));
      break;
    case 'NOT_EQUALS':
      builder.where((inner) => inner.where(column, '<>', bound[0]).orWhereNull(column));
      break;
    case 'BETWEEN':
      builder.whereBetween(column, [bound[0], bound[1]]);
      break;
    default:
      builder.where(column, COMPARISONS[operator], bound[0]);
  }
};
