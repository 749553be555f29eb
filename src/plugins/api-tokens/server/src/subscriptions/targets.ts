import { errors } from '@strapi/utils';
import type { FilterInput, QuerySpec } from '../query/types';
import type { InputValues } from '../reports/inputs';
import type { PreparedReport } from '../reports/service';
import { chartOption } from '../shared/chart-option';
import type { ChartSpec, DashboardItem, SubscriptionTarget } from '../shared/types';
import { fieldError } from '../utils/errors';
import { getService } from '../utils/get-service';
import type { RenderSection } from './types';

/** How many rows a chart in a mail or PDF draws: the first page of the result. */
export const CHART_ROWS = 1000;

type NamedReport = PreparedReport & { name: string; chart: ChartSpec; query: QuerySpec };

/** A subscription's report or dashboard, ready to render: its name and its reports in item order. */
export interface PreparedTarget {
  type: SubscriptionTarget['type'];
  name: string;
  reports: NamedReport[];
}

/** The target's name, or a 400 naming `target.id` when it does not exist (or is not of that type). */
export const findTarget = async ({ type, id }: SubscriptionTarget): Promise<{ name: string }> => {
  try {
    const row =
      type === 'report' ? await getService('reports').findRow(id) : await getService('dashboards').findRow(id);
    return { name: row.name };
  } catch (error) {
    if (!(error instanceof errors.NotFoundError)) throw error;
    throw fieldError('target.id', `target.id "${id}" is not the documentId of a ${type}`);
  }
};

/** The target's reports prepared to run (409 MODEL_NOT_READY, 400 REPORT_COLUMN_MISSING as their own data would). */
export const prepareTarget = async ({ type, id }: SubscriptionTarget): Promise<PreparedTarget> => {
  if (type === 'report') {
    const row = await getService('reports').findRow(id);
    const prepared = await getService('reports').prepare(row);
    return { type, name: row.name, reports: [{ ...prepared, name: row.name, chart: row.chart, query: row.query }] };
  }
  const dashboards = getService('dashboards');
  const row = await dashboards.findRow(id);
  const prepared = await dashboards.prepareReports(row);
  const reports = ((row.items ?? []) as DashboardItem[]).map(({ report }) => prepared.get(report)!);
  return { type, name: row.name, reports };
};

/** The values that apply to one report: those of its own inputs. */
const valuesFor = (report: NamedReport, values: InputValues): InputValues =>
  Object.fromEntries(Object.entries(values).filter(([name]) => report.inputs.some((input) => input.name === name)));

/** A 400 naming `<path>.<name>` for a value no report of the target has an input for. */
const checkNames = (target: PreparedTarget, values: InputValues, path: string) => {
  const known = new Set(target.reports.flatMap((report) => report.inputs.map((input) => input.name)));
  const unknown = Object.keys(values).find((name) => !known.has(name));
  if (unknown !== undefined) {
    throw fieldError(`${path}.${unknown}`, `${path}.${unknown}: the ${target.type} has no input named "${unknown}"`);
  }
};

/** `inputs.region: …` errors re-rooted at `path` (`recipients[1].inputs`). */
const rerooted = async <T>(path: string, run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    const details = (error as errors.ValidationError).details as { errors?: { path: string[]; message: string }[] };
    if (!(error instanceof errors.ValidationError) || path === 'inputs' || !details?.errors) throw error;
    const prefix = path.split(/[.[\]]+/).filter(Boolean);
    const problems = details.errors.map((problem) => ({
      ...problem,
      path: [...prefix, ...problem.path.slice(1)],
      message: problem.message.replace(/^inputs\./, `${path}.`),
    }));
    throw new errors.ValidationError(problems.map((problem) => problem.message).join('; '), { errors: problems });
  }
};

const describeFilter = (filter: FilterInput) =>
  `${filter.column} ${(filter.operator ?? filter.operand ?? '').replace(/_/g, ' ')} ${filter.values.join(', ')}`;

const describeValues = (report: NamedReport, values: InputValues) =>
  report.inputs.flatMap((input) => {
    const value = values[input.name] ?? input.default;
    const list = value === undefined || value === null ? [] : typeof value === 'string' ? [value] : value;
    return list.length > 0 ? [`${input.name}: ${list.join(', ')}`] : [];
  });

export interface TargetSelection {
  sections: RenderSection[];
  /** The number of result rows over every section (for skip-if-empty, without rendering). */
  count(): Promise<number>;
}

/**
 * The target's result with these input values, as render sections, or a 400 naming `<path>.<name>` for a value that
 * is not an input or not among its options.
 */
export const selectTarget = async (
  target: PreparedTarget,
  values: InputValues,
  path = 'inputs'
): Promise<TargetSelection> => {
  checkNames(target, values, path);
  const selections: { count(): Promise<number> }[] = [];
  const sections: RenderSection[] = [];
  for (const report of target.reports) {
    const own = valuesFor(report, values);
    const selection = await rerooted(path, () => getService('reports').selection(report, own));
    const chartRows = report.chart.type === 'table' ? [] : await selection.rows({ offset: 0, limit: CHART_ROWS });
    selections.push(selection);
    const summary = [...(report.query.filters ?? []).map(describeFilter), ...describeValues(report, own)];
    sections.push({
      title: report.name,
      columns: selection.columns,
      rows: () => selection.stream(),
      chart: chartOption(report.chart, selection.columns, chartRows, { title: report.name }),
      summary,
    });
  }
  return {
    sections,
    async count() {
      let total = 0;
      for (const selection of selections) total += await selection.count();
      return total;
    },
  };
};
