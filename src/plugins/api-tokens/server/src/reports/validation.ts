import { yup } from '@strapi/utils';
import { isTimeZone } from '../jobs/cron';
import { parseQuery } from '../query/parse';
import type { ParsedQuery, ResultColumn } from '../query/types';
import type { Column } from '../semantic-models/sources';
import type { ChartSpec, ChartType, ReportBody, ReportInput } from '../shared/types';
import { embedSchema } from '../utils/embed';
import { inputFilter, type InputValues } from './inputs';
import { fieldError } from '../utils/errors';
import {
  bodySchema as body,
  nameSchema as name,
  pageFields,
  paginationOf,
  UNKNOWN_KEYS,
  validator,
} from '../utils/validation';

export const CHART_TYPES = ['table', 'bar', 'line', 'pie', 'kpi'] as const;
export const INPUT_TYPES = ['single-select', 'multi-select'] as const;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const MAX_INPUTS = 20;
const MAX_Y = 20;
/** The most rows a page of data or a preview holds. */
export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

const chart = yup
  .object({
    type: yup
      .string()
      .typeError('chart.type must be a string')
      .oneOf([...CHART_TYPES], `chart.type must be one of: ${CHART_TYPES.join(', ')}`)
      .required('chart.type is required'),
    x: yup.string().typeError('chart.x must be a string'),
    y: yup
      .array()
      .of(yup.string().typeError('chart.y must hold strings'))
      .typeError('chart.y must be an array')
      .max(MAX_Y, `chart.y takes at most ${MAX_Y} columns`),
  })
  .typeError('chart must be an object')
  .noUnknown(true, UNKNOWN_KEYS);

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

const input = yup
  .object({
    name: yup
      .string()
      .typeError('${path} must be a string')
      .required('${path} is required')
      .matches(IDENTIFIER, '${path} must be an identifier (letters, digits and _, not starting with a digit)'),
    column: yup.string().typeError('${path} must be a string').required('${path} is required'),
    type: yup
      .string()
      .typeError('${path} must be a string')
      .oneOf([...INPUT_TYPES], `\${path} must be one of: ${INPUT_TYPES.join(', ')}`)
      .required('${path} is required'),
    default: yup.mixed().nullable(),
    required: yup.boolean().typeError('${path} must be a boolean'),
  })
  .typeError('inputs must hold objects')
  .noUnknown(true, UNKNOWN_KEYS)
  .test('default', '', function check(value) {
    if (!value || value.default === undefined || value.default === null) return true;
    const single = value.type === 'single-select';
    const ok = single ? typeof value.default === 'string' : isStrings(value.default) && value.default.length > 0;
    return (
      ok ||
      this.createError({
        path: `${this.path}.default`,
        message: `${this.path}.default must be ${single ? 'a string' : 'a non-empty array of strings'} or null`,
      })
    );
  });

const inputs = yup
  .array()
  .of(input)
  .typeError('inputs must be an array')
  .max(MAX_INPUTS, `inputs takes at most ${MAX_INPUTS} inputs`)
  .test('unique', '', function check(value) {
    const seen = new Set<string>();
    for (const [index, item] of (value ?? []).entries()) {
      if (!item?.name) continue;
      if (seen.has(item.name)) {
        return this.createError({
          path: `inputs[${index}].name`,
          message: `inputs[${index}].name "${item.name}" is already the name of another input`,
        });
      }
      seen.add(item.name);
    }
    return true;
  });

const fields = {
  name,
  semanticModel: yup.string().typeError('semanticModel must be a string'),
  query: yup.object().typeError('query must be an object'),
  chart,
  inputs,
  timezone: yup
    .string()
    .nullable()
    .typeError('timezone must be a string')
    .test('zone', 'timezone must be an IANA time zone such as Europe/Berlin', (value) => !value || isTimeZone(value)),
  embed: embedSchema,
};

const validateCreateShape = validator(
  body({
    ...fields,
    name: name.required('name is required'),
    semanticModel: fields.semanticModel.required('semanticModel is required'),
    query: fields.query.required('query is required'),
    chart: chart.required('chart is required'),
  })
);
// A preview shows an unsaved body: its name may be missing or another report's.
const validatePreviewShape = validator(
  body({
    ...fields,
    semanticModel: fields.semanticModel.required('semanticModel is required'),
    query: fields.query.required('query is required'),
    chart: chart.required('chart is required'),
  })
);
const validateUpdateShape = validator(
  body({ ...fields, chart: chart.default(undefined) }).test(
    'not-empty',
    'Provide at least one of: name, semanticModel, query, chart, inputs, timezone, embed',
    (value: any) => !value || typeof value !== 'object' || Object.keys(value).length > 0
  )
);

export const validateCreateReport = async (raw: unknown) => (await validateCreateShape(raw)) as ReportBody;
export const validatePreviewReport = async (raw: unknown) =>
  (await validatePreviewShape(raw)) as Partial<ReportBody> & Omit<ReportBody, 'name'>;
export const validateUpdateReport = async (raw: unknown) => (await validateUpdateShape(raw)) as Partial<ReportBody>;

const NUMERIC = new Set(['integer', 'biginteger', 'float']);
const AXES: Record<ChartType, { x: boolean; y: [min: number, max: number] }> = {
  table: { x: false, y: [0, MAX_Y] },
  bar: { x: true, y: [1, MAX_Y] },
  line: { x: true, y: [1, MAX_Y] },
  pie: { x: true, y: [1, 1] },
  kpi: { x: false, y: [1, 1] },
};

/** The chart's axes against the query's result: they must be its columns, in the number the chart type draws. */
const checkChart = (spec: ChartSpec, result: ResultColumn[]) => {
  const rule = AXES[spec.type];
  const names = result.map((column) => column.name).join(', ');
  const find = (path: string, axis: string) => {
    const column = result.find((candidate) => candidate.name === axis);
    if (!column) throw fieldError(path, `${path} must be a column of the query's result (${names})`);
    return column;
  };
  if (spec.x !== undefined) {
    if (spec.type === 'kpi') throw fieldError('chart.x', 'chart.x does not apply to a kpi chart');
    find('chart.x', spec.x);
  } else if (rule.x) {
    throw fieldError('chart.x', `chart.x is required for a ${spec.type} chart`);
  }
  const y = spec.y ?? [];
  const [min, max] = rule.y;
  if (y.length < min || y.length > max) {
    const count = min === max ? `exactly ${min}` : `at least ${min}`;
    throw fieldError('chart.y', `chart.y takes ${count} column(s) for a ${spec.type} chart`);
  }
  y.forEach((axis, index) => {
    const column = find(`chart.y[${index}]`, axis);
    if (spec.type !== 'table' && !NUMERIC.has(column.type)) {
      throw fieldError(`chart.y[${index}]`, `chart.y[${index}] must be a numeric column ("${axis}" is ${column.type})`);
    }
  });
};

/** Each input's column is a model column, and its default coerces to the column's type. */
const checkInputs = (list: ReportInput[], columns: Column[]) => {
  list.forEach((item, index) => {
    if (!columns.some((column) => column.name === item.column)) {
      throw fieldError(
        `inputs[${index}].column`,
        `inputs[${index}].column must be a column of the model: ${columns.map((c) => c.name).join(', ')}`
      );
    }
    if (item.default === undefined || item.default === null) return;
    const values = typeof item.default === 'string' ? [item.default] : item.default;
    inputFilter(item, values, columns, `inputs[${index}].default`);
  });
};

export type CheckedReport = Pick<ReportBody, 'query' | 'chart' | 'inputs' | 'timezone'>;

/**
 * What only the model's columns can tell: the query (`query.*` paths), the chart's axes against its result and the
 * inputs' columns and defaults. Returns the parsed query.
 */
export const checkReport = (report: CheckedReport, columns: Column[]): ParsedQuery => {
  const parsed = parseQuery(report.query, columns, { path: 'query', timezone: report.timezone });
  checkChart(report.chart, parsed.result);
  checkInputs(report.inputs ?? [], columns);
  return parsed;
};

const inputValues = yup.mixed().test('inputs', '', function check(value: unknown) {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return this.createError({ path: 'inputs', message: 'inputs must be given as inputs[<name>]=<value>' });
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string' && !isStrings(item)) {
      return this.createError({
        path: `inputs.${key}`,
        message: `inputs.${key} must be a value, or values as inputs[${key}][]=<value>`,
      });
    }
  }
  return true;
});

const validateDataShape = validator(
  yup
    .object({ inputs: inputValues, ...pageFields(MAX_PAGE_SIZE) })
    .noUnknown(true, 'Unknown query parameter(s): ${unknown}')
);
const validateInputsShape = validator(
  yup.object({ inputs: inputValues }).noUnknown(true, 'Unknown query parameter(s): ${unknown}')
);
const validatePageSizeShape = validator(
  yup.object({ pageSize: pageFields(MAX_PAGE_SIZE).pageSize }).noUnknown(true, 'Unknown query parameter(s): ${unknown}')
);

/** `?inputs[<name>]=&page=&pageSize=` of a report's data (pageSize ≤ 1000, default 100). */
export const validateDataQuery = async (query: unknown) => {
  const { inputs: values, page, pageSize } = await validateDataShape(query ?? {});
  return { inputs: (values ?? {}) as InputValues, ...paginationOf({ page, pageSize }, DEFAULT_PAGE_SIZE) };
};

/** `?inputs[<name>]=` of a dashboard's data. */
export const validateInputsQuery = async (query: unknown) =>
  ((await validateInputsShape(query ?? {})).inputs ?? {}) as InputValues;

/** `?pageSize=` of a preview (≤ 1000, default 100). */
export const validatePreviewQuery = async (query: unknown) =>
  paginationOf(await validatePageSizeShape(query ?? {}), DEFAULT_PAGE_SIZE).pageSize;
