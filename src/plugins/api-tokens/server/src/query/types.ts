import type { ColumnType } from '../semantic-models/sources';

/** Domo's operator names. `GREATER_THAN_EQUALS_TO` is accepted on input and normalised to Domo's spelling. */
export const OPERATORS = [
  'IN',
  'NOT_IN',
  'EQUALS',
  'NOT_EQUALS',
  'GREATER_THAN',
  'GREAT_THAN_EQUALS_TO',
  'LESS_THAN',
  'LESS_THAN_EQUALS_TO',
  'BETWEEN',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** One filter as clients write it (report filters, embed-token filters, viewer filters). `operand` aliases `operator`. */
export interface FilterInput {
  column: string;
  operator?: string;
  operand?: string;
  values: string[];
}

/** A value coerced by its column's type: a date is `YYYY-MM-DD`, a datetime a `Date`, a biginteger a string. */
export type FilterValue = string | number | boolean | Date;

/** A parsed, validated filter: the column exists, the operator suits its type, the values are coerced and counted. */
export interface Filter {
  column: string;
  type: ColumnType;
  operator: Operator;
  values: FilterValue[];
}

export const BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** A plain column, or a date bucket of a date/datetime column (`week` starts on Monday), named `as`. */
export type GroupByInput = string | { field: string; bucket: Bucket; as: string };

export const AGGREGATE_FNS = ['count', 'sum', 'avg', 'min', 'max'] as const;
export type AggregateFn = (typeof AGGREGATE_FNS)[number];

/** `count` without `field` counts rows; sum/avg need a numeric field. */
export interface Aggregate {
  fn: AggregateFn;
  field?: string;
  as: string;
}

export interface Sort {
  field: string;
  dir: 'asc' | 'desc';
}

/** A query over one semantic model's snapshot, as a report stores it. */
export interface QuerySpec {
  columns?: string[];
  filters?: FilterInput[];
  groupBy?: GroupByInput[];
  aggregates?: Aggregate[];
  sort?: Sort[];
  limit?: number;
  offset?: number;
}

/** A column of a query's result: a model column, a date bucket (`date`) or an aggregate. */
export interface ResultColumn {
  name: string;
  type: ColumnType;
}

/** A parsed group-by entry: a plain column or a date bucket, with the type of the column it reads. */
export type GroupBy =
  | { kind: 'column'; field: string; type: ColumnType }
  | { kind: 'bucket'; field: string; type: ColumnType; bucket: Bucket; as: string };

/** A parsed sort: `field` is a result column (or, ungrouped, a model column) of type `type`. */
export interface ParsedSort extends Sort {
  type: ColumnType;
}

/** `{field, dir}` normalised; `filters` parsed. Everything named is known to exist. */
export interface ParsedQuery {
  columns: string[];
  filters: Filter[];
  groupBy: GroupBy[];
  aggregates: Aggregate[];
  sort: ParsedSort[];
  limit: number | null;
  offset: number;
  /** IANA zone the date buckets are computed in; UTC when absent. */
  timezone: string | null;
  /** The result's columns, in order: `columns`, then bucket aliases not listed there, then aggregates. */
  result: ResultColumn[];
}
