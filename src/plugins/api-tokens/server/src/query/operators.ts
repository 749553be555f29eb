import type { Column, ColumnType } from '../semantic-models/sources';
import { OPERATORS, type Operator } from './types';

/** IN lists beyond this are refused (SQLite binds at most 32766 parameters per statement). */
export const MAX_FILTER_VALUES = 10_000;

const EQUALITY: Operator[] = ['IN', 'NOT_IN', 'EQUALS', 'NOT_EQUALS'];
const ORDERED_TYPES: ColumnType[] = ['integer', 'biginteger', 'float', 'date', 'datetime'];

/**
 * The operators a column accepts: every one on numbers, dates and datetimes, equality on the rest. Pure, so the
 * admin's filter editor offers exactly what the server accepts.
 */
export const operatorsFor = (column: Pick<Column, 'type'>): Operator[] =>
  ORDERED_TYPES.includes(column.type) ? [...OPERATORS] : EQUALITY;

/** How many values an operator takes: `[min, max]`. */
export const arity = (operator: Operator): [number, number] =>
  operator === 'IN' || operator === 'NOT_IN' ? [1, MAX_FILTER_VALUES] : operator === 'BETWEEN' ? [2, 2] : [1, 1];
