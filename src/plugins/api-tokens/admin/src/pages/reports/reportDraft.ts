import type {
  Aggregate,
  AggregateFn,
  Bucket,
  ChartSpec,
  ChartType,
  FilterInput,
  GroupByInput,
  InputType,
  Operator,
  QuerySpec,
  Report,
  ReportBody,
  ReportInput,
} from '../../api/reports';
import { newKey } from '../../utils/rows';

/**
 * The report editor's state: the report body with every list row keyed (so rows can be removed and reordered) and
 * text where the form has text. `bodyOf` turns it into what the server takes.
 */
export interface GroupByDraft {
  key: string;
  field: string;
  /** Empty: group by the column's values. */
  bucket: Bucket | '';
  as: string;
}
export interface AggregateDraft {
  key: string;
  fn: AggregateFn;
  /** Empty for `count`: all rows. */
  field: string;
  as: string;
}
export interface FilterDraft {
  key: string;
  column: string;
  operator: Operator;
  values: string[];
}
export interface SortDraft {
  key: string;
  field: string;
  dir: 'asc' | 'desc';
}
export interface InputDraft {
  key: string;
  name: string;
  column: string;
  type: InputType;
  /** One value for a single-select; none for no default. */
  default: string[];
  required: boolean;
}

export interface ReportDraft {
  name: string;
  semanticModel: string;
  columns: string[];
  groupBy: GroupByDraft[];
  aggregates: AggregateDraft[];
  filters: FilterDraft[];
  sort: SortDraft[];
  limit: number | undefined;
  timezone: string;
  chart: { type: ChartType; x: string; y: string[] };
  inputs: InputDraft[];
  /** `allowedOrigins`: one origin a line. */
  embed: { enabled: boolean; allowedOrigins: string };
}

/** The lists whose rows the editor keys, by their path in the body. */
export type RowList = 'query.groupBy' | 'query.aggregates' | 'query.filters' | 'query.sort' | 'inputs';

export const emptyDraft = (): ReportDraft => ({
  name: '',
  semanticModel: '',
  columns: [],
  groupBy: [],
  aggregates: [],
  filters: [],
  sort: [],
  limit: undefined,
  timezone: '',
  chart: { type: 'table', x: '', y: [] },
  inputs: [],
  embed: { enabled: false, allowedOrigins: '' },
});

/** A new model invalidates every column the query, the chart and the inputs name. */
export const withModel = (draft: ReportDraft, semanticModel: string): ReportDraft => ({
  ...emptyDraft(),
  name: draft.name,
  semanticModel,
  limit: draft.limit,
  timezone: draft.timezone,
  chart: { type: draft.chart.type, x: '', y: [] },
  embed: draft.embed,
});

const defaultValues = (value: ReportInput['default']): string[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

export const draftOf = (report: Report): ReportDraft => {
  const query: QuerySpec = report.query ?? {};
  return {
    name: report.name,
    semanticModel: report.semanticModel,
    columns: [...(query.columns ?? [])],
    groupBy: (query.groupBy ?? []).map((entry) =>
      typeof entry === 'string'
        ? { key: newKey(), field: entry, bucket: '', as: '' }
        : { key: newKey(), field: entry.field, bucket: entry.bucket, as: entry.as }
    ),
    aggregates: (query.aggregates ?? []).map((aggregate) => ({
      key: newKey(),
      fn: aggregate.fn,
      field: aggregate.field ?? '',
      as: aggregate.as,
    })),
    filters: (query.filters ?? []).map((filter) => ({
      key: newKey(),
      column: filter.column,
      operator: (filter.operator ?? filter.operand ?? 'EQUALS') as Operator,
      values: [...filter.values],
    })),
    sort: (query.sort ?? []).map((sort) => ({ key: newKey(), field: sort.field, dir: sort.dir })),
    limit: query.limit ?? undefined,
    timezone: report.timezone ?? '',
    chart: { type: report.chart.type, x: report.chart.x ?? '', y: [...(report.chart.y ?? [])] },
    inputs: (report.inputs ?? []).map((input) => ({
      key: newKey(),
      name: input.name,
      column: input.column,
      type: input.type,
      default: defaultValues(input.default),
      required: Boolean(input.required),
    })),
    embed: {
      enabled: Boolean(report.embed?.enabled),
      allowedOrigins: (report.embed?.allowedOrigins ?? []).join('\n'),
    },
  };
};

/** The names of the result's columns as the server orders them: columns, bucket aliases, aggregate aliases. */
export const resultColumnsOf = (draft: ReportDraft): string[] => {
  const names = [...draft.columns];
  for (const entry of draft.groupBy) if (entry.bucket && entry.as && !names.includes(entry.as)) names.push(entry.as);
  for (const aggregate of draft.aggregates) if (aggregate.as && !names.includes(aggregate.as)) names.push(aggregate.as);
  return names;
};

const groupByOf = (entry: GroupByDraft): GroupByInput =>
  entry.bucket ? { field: entry.field, bucket: entry.bucket, as: entry.as } : entry.field;

const aggregateOf = ({ fn, field, as }: AggregateDraft): Aggregate => (field ? { fn, field, as } : { fn, as });

const filterOf = ({ column, operator, values }: FilterDraft): FilterInput => ({ column, operator, values });

const inputOf = (input: InputDraft): ReportInput => {
  const out: ReportInput = { name: input.name.trim(), column: input.column, type: input.type };
  if (input.default.length > 0) out.default = input.type === 'multi-select' ? input.default : input.default[0];
  if (input.required) out.required = true;
  return out;
};

const chartOf = ({ type, x, y }: ReportDraft['chart']): ChartSpec => {
  if (type === 'table') return { type };
  const chart: ChartSpec = { type };
  if (x && type !== 'kpi') chart.x = x;
  if (y.length > 0) chart.y = type === 'pie' || type === 'kpi' ? y.slice(0, 1) : y;
  return chart;
};

type Rows = Pick<ReportDraft, 'groupBy' | 'aggregates' | 'filters' | 'sort' | 'inputs'>;

/** The body the server takes; lists left empty are left out (an update replaces the whole query). */
const bodyOfRows = (draft: ReportDraft, rows: Rows): ReportBody => {
  const query: QuerySpec = {};
  if (draft.columns.length > 0) query.columns = draft.columns;
  if (rows.groupBy.length > 0) query.groupBy = rows.groupBy.map(groupByOf);
  if (rows.aggregates.length > 0) query.aggregates = rows.aggregates.map(aggregateOf);
  if (rows.filters.length > 0) query.filters = rows.filters.map(filterOf);
  if (rows.sort.length > 0) query.sort = rows.sort.map(({ field, dir }) => ({ field, dir }));
  if (draft.limit !== undefined) query.limit = draft.limit;
  return {
    name: draft.name.trim(),
    semanticModel: draft.semanticModel,
    query,
    chart: chartOf(draft.chart),
    inputs: rows.inputs.map(inputOf),
    timezone: draft.timezone || null,
    embed: {
      enabled: draft.embed.enabled,
      allowedOrigins: draft.embed.allowedOrigins
        .split('\n')
        .map((origin) => origin.trim())
        .filter(Boolean),
    },
  };
};

export const bodyOf = (draft: ReportDraft): ReportBody => bodyOfRows(draft, draft);

/** Where each row of the previewed body came from in the draft, to put the preview's errors under the right row. */
export type RowIndexes = Record<RowList, number[]>;

const started = <Row>(rows: Row[], isStarted: (row: Row) => boolean) => {
  const kept: Row[] = [];
  const indexes: number[] = [];
  rows.forEach((row, index) => {
    if (!isStarted(row)) return;
    kept.push(row);
    indexes.push(index);
  });
  return { kept, indexes };
};

/**
 * The body the live preview asks for: rows not started yet (no column picked, no value typed) are left out, so
 * adding a row does not turn the preview into errors before it is filled in.
 */
export const previewOf = (draft: ReportDraft): { body: ReportBody; indexes: RowIndexes } => {
  const groupBy = started(draft.groupBy, (row) => Boolean(row.field));
  const aggregates = started(draft.aggregates, (row) => Boolean(row.field) || row.fn === 'count');
  const filters = started(draft.filters, (row) => Boolean(row.column) && row.values.some((value) => value !== ''));
  const sort = started(draft.sort, (row) => Boolean(row.field));
  const inputs = started(draft.inputs, (row) => Boolean(row.column));
  return {
    body: {
      ...bodyOfRows(draft, {
        groupBy: groupBy.kept,
        aggregates: aggregates.kept,
        filters: filters.kept,
        sort: sort.kept,
        inputs: inputs.kept,
      }),
      // The result does not depend on the name: renaming asks for no new preview, and an unnamed report has one.
      name: 'Preview',
    },
    indexes: {
      'query.groupBy': groupBy.indexes,
      'query.aggregates': aggregates.indexes,
      'query.filters': filters.indexes,
      'query.sort': sort.indexes,
      inputs: inputs.indexes,
    },
  };
};

/** The model columns the draft names (its columns that are not bucket aliases, groupings, aggregates, filters, inputs). */
export const modelColumnsNamedBy = (draft: ReportDraft): string[] => {
  const aliases = new Set(draft.groupBy.filter((entry) => entry.bucket).map((entry) => entry.as));
  const named = [
    ...draft.columns.filter((name) => !aliases.has(name)),
    ...draft.groupBy.map((entry) => entry.field),
    ...draft.aggregates.map((aggregate) => aggregate.field),
    ...draft.filters.map((filter) => filter.column),
    ...draft.inputs.map((input) => input.column),
  ];
  return [...new Set(named.filter(Boolean))];
};
