import type { Column, ColumnType } from '../semantic-models/sources';
import { arity, operatorsFor } from './operators';
import { Problems, type Path } from './problems';
import { OPERATORS, type Filter, type FilterValue } from './types';

const FILTER_KEYS = ['column', 'operator', 'operand', 'values'] as const;
const MIN_BIGINT = -(2n ** 63n);
const MAX_BIGINT = 2n ** 63n - 1n;

const INTEGER = /^-?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

const isCalendarDate = (year: number, month: number, day: number) => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** An ISO 8601 datetime with a zone (`Z` or `±hh:mm`) as an instant; null when it is not one. */
const parseDatetime = (value: string): Date | null => {
  const match = DATETIME.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second = 0] = match.slice(1, 7).map((part) => Number(part ?? 0));
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const millis = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const offsetHours = Number(match[10] ?? 0);
  const offsetMinutes = Number(match[11] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const offset = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, millis);
  return new Date(utc.getTime() - offset);
};

/** A filter value coerced by its column's type, or what it must be. */
export const coerceValue = (value: string, column: Column): { value: FilterValue } | { error: string } => {
  switch (column.type) {
    case 'integer': {
      const number = Number(value);
      return INTEGER.test(value) && Number.isSafeInteger(number) ? { value: number } : { error: 'must be an integer' };
    }
    case 'biginteger': {
      if (!INTEGER.test(value)) return { error: 'must be an integer' };
      const number = BigInt(value);
      return number >= MIN_BIGINT && number <= MAX_BIGINT
        ? { value: number.toString() }
        : { error: 'must be an integer between -2^63 and 2^63-1' };
    }
    case 'float': {
      const number = Number(value);
      return FLOAT.test(value) && Number.isFinite(number) ? { value: number } : { error: 'must be a number' };
    }
    case 'boolean':
      return value === 'true' || value === 'false'
        ? { value: value === 'true' }
        : { error: 'must be "true" or "false"' };
    case 'date': {
      const match = DATE.exec(value);
      return match && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))
        ? { value }
        : { error: 'must be a date (YYYY-MM-DD)' };
    }
    case 'datetime': {
      const date = parseDatetime(value);
      return date
        ? { value: date }
        : { error: 'must be an ISO 8601 datetime with a zone (2026-03-01T09:30:00Z or 2026-03-01T09:30:00+01:00)' };
    }
    default:
      if (column.enum && !column.enum.includes(value)) return { error: `must be one of: ${column.enum.join(', ')}` };
      return { value };
  }
};

/** Orders two coerced values of the same column: negative when `a` comes first. */
const compareValues = (a: FilterValue, b: FilterValue, type: ColumnType): number => {
  if (type === 'biginteger') return BigInt(a as string) < BigInt(b as string) ? -1 : a === b ? 0 : 1;
  if (type === 'datetime') return (a as Date).getTime() - (b as Date).getTime();
  if (type === 'date') return (a as string) < (b as string) ? -1 : a === b ? 0 : 1;
  return (a as number) - (b as number);
};

/** A model's columns by name, built once per columns list (a model row's list is not changed once read). */
const indexes = new WeakMap<Column[], Map<string, Column>>();
export const columnsByName = (columns: Column[]): Map<string, Column> => {
  let index = indexes.get(columns);
  if (!index) {
    index = new Map(columns.map((column) => [column.name, column]));
    indexes.set(columns, index);
  }
  return index;
};

/** The filters of `raw` checked against `columns`, adding what is wrong to `problems`. */
export const collectFilters = (raw: unknown, columns: Column[], path: Path, problems: Problems): Filter[] => {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.add(path, 'must be an array of {column, operator, values}');
    return [];
  }
  const byName = columnsByName(columns);
  const filters: Filter[] = [];
  raw.forEach((entry: unknown, index) => {
    const at = [...path, String(index)];
    const before = problems.count;
    if (!problems.isShaped(entry, FILTER_KEYS, at)) return;

    const column = typeof entry.column === 'string' ? byName.get(entry.column) : undefined;
    if (!column) {
      problems.add(
        [...at, 'column'],
        entry.column === undefined
          ? 'is required'
          : `must be one of the model's columns: ${columns.map((c) => c.name).join(', ')}`
      );
    }

    if (entry.operator !== undefined && entry.operand !== undefined) {
      problems.add([...at, 'operand'], 'is an alias of operator: give one of them');
    }
    const operatorKey = entry.operator === undefined && entry.operand !== undefined ? 'operand' : 'operator';
    const rawOperator = entry[operatorKey];
    const named = rawOperator === 'GREATER_THAN_EQUALS_TO' ? 'GREAT_THAN_EQUALS_TO' : rawOperator;
    let operator = OPERATORS.find((candidate) => candidate === named);
    if (rawOperator === undefined) problems.add([...at, 'operator'], 'is required');
    else if (!operator) problems.add([...at, operatorKey], `must be one of: ${OPERATORS.join(', ')}`);
    else if (column && !operatorsFor(column).includes(operator)) {
      const kind = column.enum ? 'an enumeration' : `a ${column.type}`;
      problems.add(
        [...at, operatorKey],
        `${operator} does not apply to column "${column.name}" (${kind}); it takes ${operatorsFor(column).join(', ')}`
      );
      operator = undefined;
    }

    const values: FilterValue[] = [];
    if (!Array.isArray(entry.values)) {
      problems.add([...at, 'values'], entry.values === undefined ? 'is required' : 'must be an array of strings');
    } else {
      if (operator) {
        const [min, max] = arity(operator);
        const count = entry.values.length;
        if (count < min || count > max) {
          const expected =
            min === max ? `exactly ${min} value${min > 1 ? 's' : ''}` : `${min} to ${max.toLocaleString('en')} values`;
          problems.add([...at, 'values'], `must hold ${expected} for ${operator}, got ${count}`);
        }
      }
      entry.values.forEach((value: unknown, valueIndex) => {
        const valuePath = [...at, 'values', String(valueIndex)];
        if (typeof value !== 'string') {
          problems.add(valuePath, 'must be a string');
          return;
        }
        if (!column) return;
        const coerced = coerceValue(value, column);
        if ('error' in coerced) problems.add(valuePath, `${coerced.error} for column "${column.name}"`);
        else values.push(coerced.value);
      });
    }

    if (problems.count > before || !column || !operator) return;
    if (operator === 'BETWEEN' && compareValues(values[0], values[1], column.type) > 0) {
      problems.add([...at, 'values'], `must be [low, high] with low ≤ high for BETWEEN, got [${entry.values}]`);
      return;
    }
    filters.push({ column: column.name, type: column.type, operator, values });
  });
  return filters;
};

/**
 * Report, embed-token and viewer filters, `{column, operator, values: [strings]}` (`operand` aliases `operator`),
 * checked against a model's columns and coerced by their types; ANDed by whoever applies them. Every problem is
 * named in one ValidationError (`details.errors[].path`: `['filters', '1', 'values', '0']`).
 */
export const parseFilters = (raw: unknown, columns: Column[], path = 'filters'): Filter[] => {
  const problems = new Problems();
  const filters = collectFilters(raw, columns, path.split('.'), problems);
  problems.throwIfAny();
  return filters;
};
