import { isTimeZone } from '../jobs/cron';
import type { Column, ColumnType } from '../semantic-models/sources';
import { collectFilters, columnsByName } from './filters';
import { isObject, Problems, showPath, type Path } from './problems';
import {
  AGGREGATE_FNS,
  BUCKETS,
  type Aggregate,
  type AggregateFn,
  type GroupBy,
  type ParsedQuery,
  type ParsedSort,
  type QuerySpec,
  type ResultColumn,
} from './types';

/** The most rows one query may ask for. */
export const MAX_LIMIT = 100_000;

const SPEC_KEYS = ['columns', 'filters', 'groupBy', 'aggregates', 'sort', 'limit', 'offset'] as const;
const BUCKET_KEYS = ['field', 'bucket', 'as'] as const;
const AGGREGATE_KEYS = ['fn', 'field', 'as'] as const;
const SORT_KEYS = ['field', 'dir'] as const;
const ALIAS = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** The snapshot tables' row identity column (snapshot-store.ts): never a result column. */
const RESERVED_ALIASES = ['__row'];
const NUMERIC: ColumnType[] = ['integer', 'biginteger', 'float'];

export interface ParseOptions {
  /** Where the spec sits in the request body, for error paths: `query` (default) → `query.filters[1].values[0]`. */
  path?: string;
  /** The IANA zone date buckets are computed in; UTC when absent. Its errors are named `timezone`. */
  timezone?: string | null;
  /** The largest `limit` allowed (default MAX_LIMIT). */
  maxLimit?: number;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The type of an aggregate's result. */
const aggregateType = (aggregate: Aggregate, field: Column | undefined): ColumnType => {
  if (aggregate.fn === 'count') return 'integer';
  if (aggregate.fn === 'avg') return 'float';
  return field!.type;
};

/** Why an aggregate cannot read a column, if it cannot. */
const fieldProblemOf = (fn: AggregateFn, field: Column): string | null => {
  if ((fn === 'sum' || fn === 'avg') && !NUMERIC.includes(field.type)) {
    return `must be a numeric column for ${fn}; "${field.name}" is a ${field.type}`;
  }
  if ((fn === 'min' || fn === 'max') && field.type === 'boolean') return `must not be a boolean column for ${fn}`;
  return null;
};

/** Zones found valid: Intl takes ~0.2 ms to say so, and a report asks on every request. */
const knownZones = new Set<string>();

/** The zone, when it is a valid IANA zone name (Intl's zones; PostgreSQL knows the same), else null. */
const ianaZone = (timezone: unknown): string | null => {
  if (typeof timezone === 'string' && knownZones.has(timezone)) return timezone;
  // Fixed offsets ("+05:30") are refused: PostgreSQL reads their sign the other way round (POSIX).
  if (!isTimeZone(timezone) || !/^[A-Za-z]/.test(timezone)) return null;
  knownZones.add(timezone);
  return timezone;
};

/**
 * A report's query checked against its model's columns: every name known, every alias a plain identifier distinct
 * from the columns, every value coerced. Unknown keys anywhere are refused. Throws one ValidationError naming every
 * problem (`details.errors[].path`, e.g. `['query', 'filters', '1', 'values', '0']`).
 */
export const parseQuery = (raw: unknown, columns: Column[], options: ParseOptions = {}): ParsedQuery => {
  const base: Path = (options.path ?? 'query').split('.');
  const at = (...keys: (string | number)[]) => [...base, ...keys.map(String)];
  const maxLimit = options.maxLimit ?? MAX_LIMIT;
  const problems = new Problems();
  const byName = columnsByName(columns);
  const columnNames = () => columns.map((column) => column.name).join(', ');

  let timezone: string | null = null;
  if (options.timezone !== undefined && options.timezone !== null) {
    timezone = ianaZone(options.timezone);
    if (!timezone) problems.add(['timezone'], 'must be an IANA time zone, e.g. Europe/Berlin');
  }
  if (!isObject(raw)) {
    problems.add(base, 'must be an object {columns, filters, groupBy, aggregates, sort, limit, offset}');
    problems.throwIfAny();
  }
  const spec = raw as Record<string, unknown>;
  problems.unknownKeys(spec, SPEC_KEYS, base);

  const arrayAt = (key: string) => {
    if (spec[key] !== undefined && !Array.isArray(spec[key])) problems.add(at(key), 'must be an array');
    return list(spec[key]);
  };

  /** A model column named at `path`, or a problem. */
  const columnAt = (name: unknown, path: Path) => {
    const column = typeof name === 'string' ? byName.get(name) : undefined;
    if (!column) {
      problems.add(path, name === undefined ? 'is required' : `must be one of the model's columns: ${columnNames()}`);
    }
    return column;
  };

  // Aliases: plain identifiers, distinct from each other and from the columns (case-insensitively: SQLite's
  // identifiers are).
  let aliases: Map<string, string> | undefined;
  const aliasAt = (alias: unknown, path: Path): alias is string => {
    const taken = (aliases ??= new Map([
      ...columns.map((column): [string, string] => [column.name.toLowerCase(), `the model's column "${column.name}"`]),
      ...RESERVED_ALIASES.map((reserved): [string, string] => [reserved, 'a reserved name']),
    ]));
    if (typeof alias !== 'string' || !ALIAS.test(alias)) {
      problems.add(
        path,
        alias === undefined ? 'is required' : 'must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*, ≤ 63 characters)'
      );
      return false;
    }
    const clash = taken.get(alias.toLowerCase());
    if (clash) {
      problems.add(path, `"${alias}" clashes with ${clash}`);
      return false;
    }
    taken.set(alias.toLowerCase(), `the alias at ${showPath(path)}`);
    return true;
  };

  const filters = collectFilters(spec.filters, columns, at('filters'), problems);

  const groupBy: GroupBy[] = [];
  arrayAt('groupBy').forEach((entry, index) => {
    if (typeof entry === 'string') {
      const column = columnAt(entry, at('groupBy', index));
      if (!column) return;
      if (groupBy.some((group) => group.kind === 'column' && group.field === entry)) {
        problems.add(at('groupBy', index), `lists "${entry}" twice`);
      } else groupBy.push({ kind: 'column', field: column.name, type: column.type });
      return;
    }
    if (!isObject(entry)) {
      problems.add(at('groupBy', index), 'must be a column name or {field, bucket, as}');
      return;
    }
    problems.unknownKeys(entry, BUCKET_KEYS, at('groupBy', index));
    const column = columnAt(entry.field, at('groupBy', index, 'field'));
    if (column && column.type !== 'date' && column.type !== 'datetime') {
      problems.add(
        at('groupBy', index, 'field'),
        `must be a date or datetime column to bucket; "${column.name}" is a ${column.type}`
      );
    }
    const bucket = BUCKETS.find((candidate) => candidate === entry.bucket);
    if (!bucket) problems.add(at('groupBy', index, 'bucket'), `must be one of: ${BUCKETS.join(', ')}`);
    if (aliasAt(entry.as, at('groupBy', index, 'as')) && column && bucket) {
      groupBy.push({ kind: 'bucket', field: column.name, type: column.type, bucket, as: entry.as });
    }
  });

  const aggregates: Aggregate[] = [];
  const aggregateTypes: ResultColumn[] = [];
  arrayAt('aggregates').forEach((entry, index) => {
    if (!problems.isShaped(entry, AGGREGATE_KEYS, at('aggregates', index))) return;
    const fn = AGGREGATE_FNS.find((candidate) => candidate === entry.fn);
    if (!fn) problems.add(at('aggregates', index, 'fn'), `must be one of: ${AGGREGATE_FNS.join(', ')}`);
    let field: Column | undefined;
    let fieldProblem = false;
    if (entry.field !== undefined || (fn && fn !== 'count')) {
      field = columnAt(entry.field, at('aggregates', index, 'field'));
      const problem = field && fn && fieldProblemOf(fn, field);
      if (problem) problems.add(at('aggregates', index, 'field'), problem);
      fieldProblem = !field || Boolean(problem);
    }
    if (!aliasAt(entry.as, at('aggregates', index, 'as')) || !fn || fieldProblem) return;
    const aggregate: Aggregate = field ? { fn, field: field.name, as: entry.as } : { fn, as: entry.as };
    aggregates.push(aggregate);
    aggregateTypes.push({ name: entry.as, type: aggregateType(aggregate, field) });
  });

  const grouped = list(spec.groupBy).length + list(spec.aggregates).length > 0;
  const plainGroups = groupBy.flatMap((group) => (group.kind === 'column' ? [group.field] : []));
  const buckets = groupBy.flatMap((group) => (group.kind === 'bucket' ? [group] : []));

  // Result columns: the listed ones, then the buckets not listed, then the aggregates.
  let selected: string[];
  if (spec.columns === undefined) selected = grouped ? plainGroups : columns.map((column) => column.name);
  else {
    selected = [];
    arrayAt('columns').forEach((name, index) => {
      const path = at('columns', index);
      if (grouped) {
        const known = typeof name === 'string' && (plainGroups.includes(name) || buckets.some((b) => b.as === name));
        if (!known) {
          const allowed = [...plainGroups, ...buckets.map((bucket) => bucket.as)];
          problems.add(
            path,
            `must be a group-by field when the query groups or aggregates${allowed.length ? ` (${allowed.join(', ')})` : ' (it has none)'}`
          );
          return;
        }
      } else if (!columnAt(name, path)) return;
      if (selected.includes(name as string)) problems.add(path, `lists "${name}" twice`);
      else selected.push(name as string);
    });
  }
  const result: ResultColumn[] = [
    // A listed name is a model column, or (grouped) a bucket's alias.
    ...selected.map((name) => ({ name, type: byName.get(name)?.type ?? ('date' as const) })),
    ...buckets
      .filter((bucket) => !selected.includes(bucket.as))
      .map((bucket) => ({ name: bucket.as, type: 'date' as const })),
    ...aggregateTypes,
  ];
  if (result.length === 0 && problems.count === 0) problems.add(at('columns'), 'must name at least one result column');

  const sort: ParsedSort[] = [];
  arrayAt('sort').forEach((entry, index) => {
    if (!problems.isShaped(entry, SORT_KEYS, at('sort', index))) return;
    const dir = entry.dir ?? 'asc';
    if (dir !== 'asc' && dir !== 'desc') problems.add(at('sort', index, 'dir'), 'must be "asc" or "desc"');
    const target = grouped
      ? result.find((column) => column.name === entry.field)
      : typeof entry.field === 'string'
        ? byName.get(entry.field)
        : undefined;
    if (!target) {
      const allowed = grouped ? result.map((column) => column.name).join(', ') : columnNames();
      problems.add(
        at('sort', index, 'field'),
        entry.field === undefined ? 'is required' : `must be a result column: ${allowed}`
      );
      return;
    }
    if (sort.some((existing) => existing.field === target.name))
      problems.add(at('sort', index, 'field'), `sorts by "${target.name}" twice`);
    else if (dir === 'asc' || dir === 'desc') sort.push({ field: target.name, dir, type: target.type });
  });

  let limit: number | null = null;
  if (spec.limit !== undefined) {
    if (!Number.isInteger(spec.limit) || (spec.limit as number) < 1 || (spec.limit as number) > maxLimit) {
      problems.add(at('limit'), `must be an integer from 1 to ${maxLimit.toLocaleString('en')}`);
    } else limit = spec.limit as number;
  }
  let offset = 0;
  if (spec.offset !== undefined) {
    if (!Number.isSafeInteger(spec.offset) || (spec.offset as number) < 0)
      problems.add(at('offset'), 'must be an integer ≥ 0');
    else offset = spec.offset as number;
  }

  problems.throwIfAny();
  return { columns: selected, filters, groupBy, aggregates, sort, limit, offset, timezone, result };
};

/**
 * Every model column a saved spec names (columns, filters, group-by and aggregate fields, sorts that are not
 * aliases), without checking anything: a report uses it to tell which of its columns has left the model.
 */
export const referencedColumns = (spec: QuerySpec): string[] => {
  const raw = (isObject(spec) ? spec : {}) as Record<string, unknown>;
  const groups = list(raw.groupBy);
  const aggregates = list(raw.aggregates).filter(isObject);
  const aliases = new Set([...groups.filter(isObject), ...aggregates].map((entry) => entry.as));
  const names = [
    ...list(raw.columns).filter((name) => !aliases.has(name)),
    ...list(raw.filters).map((filter) => (isObject(filter) ? filter.column : undefined)),
    ...groups.map((group) => (isObject(group) ? group.field : group)),
    ...aggregates.map((aggregate) => aggregate.field),
    ...list(raw.sort).map((entry) => (isObject(entry) && !aliases.has(entry.field) ? entry.field : undefined)),
  ];
  return [...new Set(names.filter((name): name is string => typeof name === 'string'))];
};
