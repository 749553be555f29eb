import type { Knex } from 'knex';
import type { ColumnType } from '../semantic-models/sources';
import { DATE_BUCKET_FUNCTION } from './sqlite-functions';
import { Slot, type Statement, type WindowedQuery } from './statements';
import type { Aggregate, Filter, GroupBy, ParsedQuery } from './types';

export type Dialect = 'sqlite' | 'postgres';

/** Snapshot tables number their rows in this column (snapshot-store.ts); it is never a result column. */
export const ROW_IDENTITY = '__row';

export interface CompileOptions {
  /** Whether the table has ROW_IDENTITY (default true; snapshots built before it existed do not). */
  rowIdentity?: boolean;
  /**
   * rows (default): the result's rows in their total order. count: how many rows the query gives, within its
   * window. keyset: the rows with ROW_IDENTITY too, for keyset pages.
   */
  output?: 'rows' | 'count' | 'keyset';
  /** Keyset pages after the first: only rows past `after` (the query's offset is then 0). */
  after?: boolean;
}

/** A piece of SQL and its bindings: identifiers (`??`), values (`?`), never user text in the SQL. */
type Sql = [sql: string, bindings: unknown[]];

const COMPARISONS = {
  EQUALS: '=',
  GREATER_THAN: '>',
  GREAT_THAN_EQUALS_TO: '>=',
  LESS_THAN: '<',
  LESS_THAN_EQUALS_TO: '<=',
} as const;

/**
 * A parsed query over a snapshot table as one statement: filters as bound values, grouping and aggregation in the
 * database, date buckets in SQL, and a total order so pages never overlap. Values (filter values, the time zone,
 * the window) are Slots, read from the query each time the statement runs (statements.ts caches it per shape).
 *
 * Both dialects give the same rows: date buckets are `YYYY-MM-DD` text (PostgreSQL's date_trunc in the zone; on
 * SQLite the JS function sqlite-functions.ts registers), strings sort byte-wise (`COLLATE "C"` on PostgreSQL, as
 * SQLite's BINARY), NULL sorts as the smallest value (SQLite's way; spelled out on PostgreSQL), and ties are broken by
 * the group keys (grouped) or the row identity (ungrouped). Columns are selected in the result's order.
 */
export const compile = (
  knex: Knex,
  table: string,
  query: ParsedQuery,
  dialect: Dialect,
  { rowIdentity = true, output = 'rows', after = false }: CompileOptions = {}
): Statement => {
  const pg = dialect === 'postgres';
  const grouped = query.groupBy.length > 0 || query.aggregates.length > 0;
  const slot = (read: (query: WindowedQuery) => unknown) => new Slot(read);

  /** Values in the form each database stores them (snapshot-store.ts): SQLite holds datetimes as epoch ms. */
  const binder = (type: ColumnType): ((value: unknown) => unknown) => {
    if (type === 'datetime')
      return pg ? (value) => (value as Date).toISOString() : (value) => (value as Date).getTime();
    if (type === 'biginteger' && !pg) return (value) => BigInt(value as string);
    if (type === 'boolean' && !pg) return (value) => (value ? 1 : 0);
    return (value) => value;
  };

  const bucket = (group: Extract<GroupBy, { kind: 'bucket' }>): Sql => {
    const timezone = group.type === 'date' ? null : slot((q) => q.timezone ?? 'UTC');
    if (!pg) return [`${DATE_BUCKET_FUNCTION}(??, ?, ?)`, [group.field, group.bucket, timezone]];
    return group.type === 'date'
      ? [`to_char(date_trunc(?, CAST(?? AS timestamp)), 'YYYY-MM-DD')`, [group.bucket, group.field]]
      : [`to_char(date_trunc(?, ?? AT TIME ZONE ?), 'YYYY-MM-DD')`, [group.bucket, group.field, timezone]];
  };
  const raw = ([sql, bindings]: Sql) => knex.raw(sql, bindings as Knex.RawBinding[]);

  const aggregates = new Map(query.aggregates.map((aggregate) => [aggregate.as, aggregate]));
  const buckets = new Map(query.groupBy.flatMap((group) => (group.kind === 'bucket' ? [[group.as, group]] : [])));
  /** An aggregate as SQL: a biginteger one is selected as text (exact) but sorted as a number. */
  const aggregateSql = ({ fn, field }: Aggregate, type: ColumnType | undefined): Sql => {
    if (!field) return ['count(*)', []];
    const collate = pg && (fn === 'min' || fn === 'max') && type === 'string' ? ' COLLATE "C"' : '';
    return [`${fn}(??${collate})`, [field]];
  };

  const builder = knex(table);
  // Ungrouped, a count needs only that rows match; grouped, it counts the groups.
  const counting = output === 'count';
  const selects: (string | Knex.Raw)[] = [];
  if (counting && !grouped && query.limit === null) builder.count({ n: '*' });
  else if (counting && !grouped) selects.push(knex.raw('1'));
  else {
    for (const { name, type } of query.result) {
      const group = buckets.get(name);
      const aggregate = aggregates.get(name);
      if (group) {
        const [sql, bindings] = bucket(group);
        selects.push(raw([`${sql} AS ??`, [...bindings, name]]));
      } else if (aggregate) {
        const [sql, bindings] = aggregateSql(aggregate, type);
        selects.push(raw([`${type === 'biginteger' ? `CAST(${sql} AS TEXT)` : sql} AS ??`, [...bindings, name]]));
      } else if (!pg && type === 'biginteger') {
        selects.push(raw(['CAST(?? AS TEXT) AS ??', [name, name]])); // SQLite's driver reads a bigint as a double
      } else selects.push(name);
    }
    if (output === 'keyset') selects.push(ROW_IDENTITY);
  }
  if (selects.length > 0) builder.select(selects);

  query.filters.forEach((filter, index) => applyFilter(builder, filter, index, binder(filter.type)));
  if (after)
    builder.where(
      ROW_IDENTITY,
      '>',
      slot((q) => q.after)
    );

  if (query.groupBy.length > 0) {
    builder.groupBy(query.groupBy.map((group) => (group.kind === 'bucket' ? group.as : group.field)));
  }

  if (!counting) {
    // Model columns by table.column: a bare name here would be the result column of that name (a biginteger's text).
    const ref = (name: string) => `${table}.${name}`;
    const orderBy = (column: string, dir: 'asc' | 'desc', type?: ColumnType) => {
      if (!pg) builder.orderBy(column, dir);
      else if (type === 'string')
        builder.orderByRaw(`?? COLLATE "C" ${dir} NULLS ${dir === 'asc' ? 'FIRST' : 'LAST'}`, [column]);
      else builder.orderBy(column, dir, dir === 'asc' ? 'first' : 'last');
    };
    const sorted = new Set(query.sort.map((entry) => entry.field));
    for (const { field, dir, type } of query.sort) {
      const aggregate = aggregates.get(field);
      if (aggregate && type === 'biginteger') {
        const [sql, bindings] = aggregateSql(aggregate, type);
        builder.orderByRaw(
          `${sql} ${dir}${pg ? ` NULLS ${dir === 'asc' ? 'FIRST' : 'LAST'}` : ''}`,
          bindings as Knex.RawBinding[]
        );
      } else if (aggregate || buckets.has(field)) orderBy(field, dir);
      else orderBy(ref(field), dir, type);
    }
    // Ties: by the group keys (grouped), else by the row identity.
    for (const group of query.groupBy) {
      if (group.kind === 'bucket' && !sorted.has(group.as)) orderBy(group.as, 'asc');
      if (group.kind === 'column' && !sorted.has(group.field)) orderBy(ref(group.field), 'asc', group.type);
    }
    if (!grouped && (rowIdentity || output === 'keyset')) orderBy(ref(ROW_IDENTITY), 'asc');
  }

  const { sql, bindings } = builder.toSQL();
  let text = sql;
  const all = [...bindings];
  // The window, by hand: knex's limit() and offset() take numbers only, not Slots.
  const offset = query.offset > 0;
  if (query.limit !== null) {
    text += ' limit ?';
    all.push(slot((q) => q.limit));
  } else if (offset && !pg) text += ' limit -1'; // SQLite takes no OFFSET without LIMIT
  if (offset) {
    text += ' offset ?';
    all.push(slot((q) => q.offset));
  }
  // Rows past the window are not counted: its limit bounds the scan.
  if (counting && (grouped || query.limit !== null)) text = `select count(*) as n from (${text}) as q`;
  return { sql: text, bindings: all };
};

/** One filter as a WHERE condition. NOT_EQUALS and NOT_IN keep NULLs: a missing value is not the excluded one. */
const applyFilter = (
  builder: Knex.QueryBuilder,
  { column, operator, values }: Filter,
  index: number,
  bind: (value: unknown) => unknown
) => {
  const bound = values.map(
    (_value, at) => new Slot((q) => bind(q.filters[index].values[at]))
  ) as unknown as Knex.Value[];
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
