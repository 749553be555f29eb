import { arity, operatorsFor as operatorsForColumn } from '../../../../server/src/query/operators';
import { AGGREGATE_FNS, BUCKETS, OPERATORS } from '../../../../server/src/query/types';
import type { AggregateFn, Operator } from '../../api/reports';
import type { Column } from '../../api/semantic-models';

export { AGGREGATE_FNS, BUCKETS, OPERATORS };

export const NUMERIC_TYPES = new Set<string>(['integer', 'biginteger', 'float']);
const DATE_TYPES = new Set<string>(['date', 'datetime']);

export const isNumeric = (column: Column | undefined) => Boolean(column && NUMERIC_TYPES.has(column.type));
/** A date or datetime column: it can be grouped by a date bucket. */
export const isDate = (column: Column | undefined) => Boolean(column && DATE_TYPES.has(column.type));

/** The server's own rule (query/operators.ts); a column not picked yet takes the equality operators. */
export const operatorsFor = (column: Column | undefined): Operator[] =>
  operatorsForColumn(column ?? { type: 'string' });

/** IN and NOT_IN take one value or more. */
export const isMultiValue = (operator: string) => operator === 'IN' || operator === 'NOT_IN';

/** The number of value inputs an operator starts with: two for BETWEEN, one otherwise. */
export const valueCountOf = (operator: string) =>
  (OPERATORS as readonly string[]).includes(operator) ? arity(operator as Operator)[0] : 1;

/** The columns an aggregate may take: any for count (or none: all rows), numbers for sum/avg, all but booleans for min/max. */
export const aggregateColumns = (fn: AggregateFn, columns: Column[]) => {
  if (fn === 'count') return columns;
  if (fn === 'sum' || fn === 'avg') return columns.filter(isNumeric);
  return columns.filter((column) => column.type !== 'boolean');
};
