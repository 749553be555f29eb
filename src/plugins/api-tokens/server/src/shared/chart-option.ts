/**
 * A report's chart as an ECharts option. Pure and import-free at runtime: the admin bundles it, and the server renders
 * it with ECharts' SSR SVG renderer (no DOM), so the option holds data only — no formatter callbacks.
 */
import type { EChartsOption } from 'echarts';
import type { ChartSpec, ResultColumn } from './types';

export interface ChartOptionSettings {
  /** Drawn above the chart (mails and PDFs; the admin shows the report's name itself). */
  title?: string;
  /** BCP 47 locale of the KPI's number; the runtime's default when absent. */
  locale?: string;
}

type Row = Record<string, unknown>;

const NUMERIC_TYPES = new Set(['integer', 'biginteger', 'float']);
/** What a missing category or KPI value shows. */
const EMPTY_LABEL = '—';
const TEXT_COLOR = '#32324d';
const MUTED_COLOR = '#666687';

/** A cell as a number: numbers as they are, numeric strings (bigintegers, PostgreSQL sums) parsed, anything else null. */
export const numberOf = (value: unknown): number | null => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
};

const categoryOf = (value: unknown): string =>
  value === null || value === undefined || value === '' ? EMPTY_LABEL : String(value);

const formatKpi = (value: unknown, locale: string | undefined): string => {
  // An integer string keeps every digit through BigInt.
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
    return new Intl.NumberFormat(locale).format(BigInt(value.trim()));
  }
  const number = numberOf(value);
  return number === null ? EMPTY_LABEL : new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(number);
};

/** The plotted columns: the spec's `y` that exist, or else every numeric column but `x` (an unfinished editor spec). */
const measuresOf = (chart: ChartSpec, columns: ResultColumn[]): string[] => {
  const names = new Set(columns.map((column) => column.name));
  const chosen = (chart.y ?? []).filter((name) => names.has(name));
  if (chosen.length > 0) return chosen;
  return columns.filter((column) => NUMERIC_TYPES.has(column.type) && column.name !== chart.x).map((c) => c.name);
};

/** The category column: the spec's `x` when it exists, or else the first non-numeric column. */
const dimensionOf = (chart: ChartSpec, columns: ResultColumn[]): string | undefined =>
  columns.find((column) => column.name === chart.x)?.name ??
  columns.find((column) => !NUMERIC_TYPES.has(column.type))?.name;

const titleOf = (title: string | undefined): EChartsOption['title'] =>
  title ? { text: title, left: 'center', textStyle: { color: TEXT_COLOR, fontSize: 16 } } : undefined;

const cartesian = (
  type: 'bar' | 'line',
  chart: ChartSpec,
  columns: ResultColumn[],
  rows: Row[],
  title: string | undefined
): EChartsOption => {
  const x = dimensionOf(chart, columns);
  const measures = measuresOf(chart, columns);
  const top = (title ? 40 : 16) + (measures.length > 1 ? 28 : 0);
  return {
    ...(title ? { title: titleOf(title) } : {}),
    tooltip: { trigger: 'axis' },
    ...(measures.length > 1 ? { legend: { top: title ? 32 : 0, data: measures } } : {}),
    grid: { top, left: 16, right: 24, bottom: 16 },
    xAxis: {
      type: 'category',
      name: x,
      nameLocation: 'middle',
      nameGap: 28,
      // Category ticks under bars; a line's points sit on the ticks.
      boundaryGap: type === 'bar',
      data: rows.map((row, index) => (x ? categoryOf(row[x]) : String(index + 1))),
    },
    yAxis: { type: 'value' },
    series: measures.map((name) => ({
      type,
      name,
      // null is a gap: no bar, and a break in the line.
      data: rows.map((row) => numberOf(row[name])),
      ...(type === 'line' ? { connectNulls: false, showSymbol: rows.length <= 60 } : {}),
    })),
  } as EChartsOption;
};

const pie = (chart: ChartSpec, columns: ResultColumn[], rows: Row[], title: string | undefined): EChartsOption => {
  const x = dimensionOf(chart, columns);
  const [measure] = measuresOf(chart, columns);
  return {
    ...(title ? { title: titleOf(title) } : {}),
    tooltip: { trigger: 'item' },
    legend: { type: 'scroll', orient: 'horizontal', bottom: 0 },
    series: [
      {
        type: 'pie',
        name: measure,
        radius: ['0%', '65%'],
        center: ['50%', title ? '52%' : '46%'],
        // A slice needs a value: rows without one are left out.
        data: measure
          ? rows.flatMap((row, index) => {
              const value = numberOf(row[measure]);
              return value === null ? [] : [{ name: x ? categoryOf(row[x]) : String(index + 1), value }];
            })
          : [],
      },
    ],
  };
};

const kpi = (chart: ChartSpec, columns: ResultColumn[], rows: Row[], settings: ChartOptionSettings): EChartsOption => {
  const [measure] = measuresOf(chart, columns);
  const value = measure && rows.length > 0 ? rows[0][measure] : null;
  return {
    ...(settings.title ? { title: titleOf(settings.title) } : {}),
    graphic: {
      elements: [
        {
          type: 'text',
          left: 'center',
          top: 'middle',
          style: {
            text: formatKpi(value, settings.locale),
            fontSize: 48,
            fontWeight: 'bold',
            fill: TEXT_COLOR,
            align: 'center',
          },
        },
        ...(measure
          ? [
              {
                type: 'text' as const,
                left: 'center',
                bottom: 16,
                style: { text: measure, fontSize: 14, fill: MUTED_COLOR, align: 'center' as const },
              },
            ]
          : []),
      ],
    },
  };
};

/**
 * The ECharts option of a chart over a report's result, or null for a `table` (callers draw a table). bar/line: a
 * category axis of `x` and one series per `y`; pie: slices named by `x` sized by `y[0]`; kpi: `y[0]` of the first row.
 */
export const chartOption = (
  chart: ChartSpec,
  columns: ResultColumn[],
  rows: Row[],
  settings: ChartOptionSettings = {}
): EChartsOption | null => {
  switch (chart.type) {
    case 'bar':
    case 'line':
      return cartesian(chart.type, chart, columns, rows, settings.title);
    case 'pie':
      return pie(chart, columns, rows, settings.title);
    case 'kpi':
      return kpi(chart, columns, rows, settings);
    default:
      return null;
  }
};
