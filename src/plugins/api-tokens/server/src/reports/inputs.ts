import { coerceValue } from '../query/filters';
import { MAX_FILTER_VALUES } from '../query/operators';
import { parseQuery } from '../query/parse';
import type { Filter } from '../query/types';
import type { Column } from '../semantic-models/sources';
import type { ReportInput, ReportInputOptions } from '../shared/types';
import { MAX_INPUT_OPTIONS as MAX_OPTIONS } from '../shared/merge-inputs';
import { fieldError } from '../utils/errors';
import { getService } from '../utils/get-service';

/** Input values from a query string: `inputs[name]=v`, repeated or `inputs[name][]=v` for several. */
export type InputValues = Record<string, string | string[]>;

/** The model a report runs on: its row (whose served snapshot the query layer reads) and its columns. */
export interface ServedModel {
  row: Record<string, any>;
  columns: Column[];
}

/**
 * The filter an input's values stand for (EQUALS for a single-select, IN for a multi-select), coerced by the column's
 * type as every filter is; a 400 naming `path` when a value does not coerce. The column must be one of `columns`.
 */
export const inputFilter = (input: ReportInput, values: string[], columns: Column[], path: string): Filter => {
  const column = columns.find((candidate) => candidate.name === input.column)!;
  if (values.length > MAX_FILTER_VALUES) throw fieldError(path, `${path} takes at most ${MAX_FILTER_VALUES} values`);
  const coerced = values.map((value) => {
    const result = coerceValue(value, column);
    if ('error' in result) throw fieldError(path, `${path}: ${JSON.stringify(value)} ${result.error}`);
    return result.value;
  });
  const operator = input.type === 'single-select' ? 'EQUALS' : 'IN';
  return { column: column.name, type: column.type, operator, values: coerced };
};

/** How a coerced value and a result value compare: a datetime by its instant, anything else by its text. */
const valueKey = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

/** The values of `filter` the column does not hold in the current snapshot, found with one grouped query over them. */
const absentValues = async (model: ServedModel, filter: Filter) => {
  const parsed = parseQuery({ groupBy: [filter.column] }, model.columns);
  const selection = getService('snapshots').select(model.row, { ...parsed, filters: [{ ...filter, operator: 'IN' }] });
  const present = new Set((await selection.rows()).map((result) => valueKey(result[filter.column])));
  return filter.values.filter((value) => !present.has(valueKey(value)));
};

/** Each input with its default, whether it is required, and its options now (among the rows `filters` keep). */
export const inputOptions = async (
  inputs: ReportInput[],
  model: ServedModel,
  filters: Filter[] = []
): Promise<ReportInputOptions[]> => {
  const answer: ReportInputOptions[] = [];
  for (const input of inputs) {
    answer.push({
      name: input.name,
      column: input.column,
      type: input.type,
      default: input.default ?? null,
      required: Boolean(input.required),
      // The model's distinct values, through the query layer: they follow each refresh.
      options: await getService('semantic-models').distinctOf(model, input.column, { limit: MAX_OPTIONS, filters }),
    });
  }
  return answer;
};

/**
 * The filters the inputs' values add to a report, each a 400 naming `inputs.<name>` when wrong: a name the report has
 * no input for, a value that does not coerce or is not among the options (it is absent from the current snapshot),
 * several values for a single-select, or a required input with neither a value nor a default. An input without a
 * value takes its default; an empty value (`inputs[name]=`) asks for none. Defaults are the report's own and are
 * applied without the options check.
 */
export const inputFilters = async (
  inputs: ReportInput[],
  values: InputValues,
  model: ServedModel
): Promise<Filter[]> => {
  for (const name of Object.keys(values)) {
    if (!inputs.some((input) => input.name === name)) {
      throw fieldError(`inputs.${name}`, `inputs.${name}: there is no input named "${name}"`);
    }
  }
  const filters: Filter[] = [];
  for (const input of inputs) {
    const path = `inputs.${input.name}`;
    const given = values[input.name];
    const value = given ?? input.default ?? [];
    const list = [...new Set(typeof value === 'string' ? [value] : value)].filter((item) => item !== '');
    if (list.length === 0) {
      if (input.required) throw fieldError(path, `${path} is required`);
      continue;
    }
    if (input.type === 'single-select' && list.length > 1) {
      throw fieldError(path, `${path} takes one value (it is a single-select)`);
    }
    const filter = inputFilter(input, list, model.columns, path);
    if (given !== undefined) {
      const absent = await absentValues(model, filter);
      if (absent.length > 0) {
        const shown = absent.map((item) => JSON.stringify(valueKey(item))).join(', ');
        throw fieldError(path, `${path}: ${shown} is not among the values of "${input.column}"`);
      }
    }
    filters.push(filter);
  }
  return filters;
};
