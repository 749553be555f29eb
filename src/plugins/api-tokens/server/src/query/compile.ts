import type { Knex } from 'knex';
import type { ColumnType } from '../semantic-models/sources';
import { DATE_BUCKET_FUNCTION } from './sqlite-functions';
import type { Aggregate, AggregateFn, Filter, FilterValue, GroupBy, ParsedQuery } from './types';

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

  /** Values in the form each database stores them (snapshot-store.ts): SQLite holds datetimes as epoch ms. */
  const bind = (value: FilterValue, type: ColumnType): unknown => {
    if (type === 'datetime') return pg ? (value as Date).toISOString() : (value as Date).getTime();
    if (type === 'biginteger' && !pg) return BigInt(value as string);
    if (type === 'boolean' && !pg) return value ? 1 : 0;
    return value;
  };

  const bucket = (group: Extract<GroupBy, { kind: 'bucket' }>): Sql => {
    const timezone = group.type === 'date' ? null : (query.timezone ?? 'UTC');
    if (!pg) return [`${DATE_BUCKET_FUNCTION}(??, ?, ?)`, [ref(group.field), group.bucket, timezone]];
    return group.type === 'date'
      ? [`to_char(date_trunc(?, CAST(?? AS timestamp)), 'YYYY-MM-DD')`, [group.bucket, ref(group.field)]]
      : [`to_char(date_trunc(?, ?? AT TIME ZONE ?), 'YYYY-MM-DD')`, [group.bucket, ref(group.field), timezone]];
  };
  const raw = ([sql, bindings]: Sql) => knex.raw(sql, bindings as Knex.RawBinding[]);

  // Plain columns and aggregates through knex's own builders (cheaper than raw SQL, which a query pays per request);
  // raw SQL only where they cannot say it.
  const builder = knex(table);
  const aggregating = builder as unknown as Record<AggregateFn, (columns: Record<string, string>) => unknown>;
  const aggregates = new Map(query.aggregates.map((aggregate) => [aggregate.as, aggregate]));
  const buckets = new Map(query.groupBy.flatMap((group) => (group.kind === 'bucket' ? [[group.as, group]] : [])));
  /** An aggregate as SQL: a biginteger one is selected as text (exact) but sorted as a number. */
  const aggregateSql = ({ fn, field }: Aggregate, type: ColumnType | undefined): Sql => {
    if (!field) return ['count(*)', []];
    const collate = pg && (fn === 'min' || fn === 'max') && type === 'string' ? ' COLLATE "C"' : '';
    return [`${fn}(??${collate})`, [ref(field)]];
  };
  // One select() call: knex's cost grows with the calls. Rows are keyed by name, so the SQL's column order is free.
  const plain: Record<string, string> = {};
  const raws: Knex.Raw[] = [];
  for (const { name, type } of query.result) {
    const group = buckets.get(name);
    const aggregate = aggregates.get(name);
    if (group) {
      const [sql, bindings] = bucket(group);
      raws.push(raw([`${sql} AS ??`, [...bindings, name]]));
    } else if (aggregate) {
      const [sql, bindings] = aggregateSql(aggregate, type);
      if (type === 'biginteger' || sql.includes('COLLATE')) {
        raws.push(raw([`${type === 'biginteger' ? `CAST(${sql} AS TEXT)` : sql} AS ??`, [...bindings, name]]));
      } else aggregating[aggregate.fn]({ [name]: aggregate.field ? ref(aggregate.field) : '*' });
    } else if (!pg && type === 'biginteger') {
      raws.push(raw(['CAST(?? AS TEXT) AS ??', [ref(name), name]])); // SQLite's driver reads a bigint as a double
    } else plain[name] = ref(name);
  }
  const selects = Object.keys(plain).length > 0 ? [plain, ...raws] : raws;
  if (selects.length > 0) builder.select(selects);

  for (const filter of query.filters)
    applyFilter(builder, ref(filter.column), filter, (value) => bind(value, filter.type));

  if (query.groupBy.length > 0) {
    builder.groupBy(query.groupBy.map((group) => (group.kind === 'bucket' ? group.as : ref(group.field))));
  }

  if (ordered) {
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
    if (!grouped && rowIdentity) orderBy(ref(ROW_IDENTITY), 'asc');
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
