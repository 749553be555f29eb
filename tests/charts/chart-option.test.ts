import * as echarts from 'echarts';
import { chartOption, numberOf } from '../../src/plugins/api-tokens/server/src/shared/chart-option';
import type { ChartSpec, ResultColumn } from '../../src/plugins/api-tokens/server/src/shared/types';

const columns: ResultColumn[] = [
  { name: 'region', type: 'string' },
  { name: 'total', type: 'float' },
  { name: 'orders', type: 'biginteger' },
];
const rows = [
  { region: 'north', total: 120.5, orders: '3' },
  { region: 'south', total: '80.25', orders: '2' },
  { region: 'east', total: null, orders: '0' },
];

const seriesOf = (option: any) => option.series as any[];

/** What the mail and PDF renderers do: render the option with ECharts' SSR SVG renderer, without a DOM. */
const renderSvg = (option: echarts.EChartsOption, width = 600, height = 400) => {
  const chart = echarts.init(null as unknown as HTMLElement, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
};

describe('numberOf', () => {
  it.each([
    [12, 12],
    [1.5, 1.5],
    ['42', 42],
    ['-3.25', -3.25],
    ['9007199254740993', 9007199254740992],
    [null, null],
    [undefined, null],
    ['', null],
    ['  ', null],
    ['abc', null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    [true, null],
  ])('%p → %p', (value, expected) => {
    expect(numberOf(value)).toBe(expected);
  });
});

describe('chartOption', () => {
  it('returns null for a table', () => {
    expect(chartOption({ type: 'table' }, columns, rows)).toBeNull();
  });

  it('bar: a category axis of x and one series of y, strings parsed and nulls kept as gaps', () => {
    const option: any = chartOption({ type: 'bar', x: 'region', y: ['total'] }, columns, rows);
    expect(option.xAxis).toMatchObject({ type: 'category', name: 'region', data: ['north', 'south', 'east'] });
    expect(option.yAxis).toEqual({ type: 'value' });
    expect(seriesOf(option)).toEqual([{ type: 'bar', name: 'total', data: [120.5, 80.25, null] }]);
    expect(option.legend).toBeUndefined();
    expect(option.title).toBeUndefined();
  });

  it('bar with several y: one series each, in order, and a legend', () => {
    const option: any = chartOption({ type: 'bar', x: 'region', y: ['orders', 'total'] }, columns, rows);
    expect(seriesOf(option).map((series) => [series.name, series.data])).toEqual([
      ['orders', [3, 2, 0]],
      ['total', [120.5, 80.25, null]],
    ]);
    expect(option.legend.data).toEqual(['orders', 'total']);
  });

  it('line: keeps the rows’ (time) order, breaks at nulls, and sits points on the ticks', () => {
    const monthly: ResultColumn[] = [
      { name: 'month', type: 'date' },
      { name: 'total', type: 'float' },
    ];
    const data = [
      { month: '2024-01-01', total: '10' },
      { month: '2024-02-01', total: null },
      { month: '2024-03-01', total: 30 },
    ];
    const option: any = chartOption({ type: 'line', x: 'month', y: ['total'] }, monthly, data);
    expect(option.xAxis).toMatchObject({
      type: 'category',
      boundaryGap: false,
      data: ['2024-01-01', '2024-02-01', '2024-03-01'],
    });
    expect(seriesOf(option)).toEqual([
      { type: 'line', name: 'total', data: [10, null, 30], connectNulls: false, showSymbol: true },
    ]);
  });

  it('a null or empty category is shown as a dash', () => {
    const option: any = chartOption({ type: 'bar', x: 'region', y: ['total'] }, columns, [
      { region: null, total: 1 },
      { region: '', total: 2 },
    ]);
    expect(option.xAxis.data).toEqual(['—', '—']);
  });

  it('empty rows give empty axes and series, not an error', () => {
    const option: any = chartOption({ type: 'line', x: 'region', y: ['total', 'orders'] }, columns, []);
    expect(option.xAxis.data).toEqual([]);
    expect(seriesOf(option).map((series) => series.data)).toEqual([[], []]);
  });

  it('an unfinished spec (no axes) plots the numeric columns over the first non-numeric one', () => {
    const option: any = chartOption({ type: 'bar' }, columns, rows);
    expect(option.xAxis.name).toBe('region');
    expect(seriesOf(option).map((series) => series.name)).toEqual(['total', 'orders']);
  });

  it('y names that are not in the result are skipped', () => {
    const option: any = chartOption({ type: 'bar', x: 'region', y: ['gone', 'total'] }, columns, rows);
    expect(seriesOf(option).map((series) => series.name)).toEqual(['total']);
  });

  it('the title goes on top and pushes the plot down', () => {
    const plain: any = chartOption({ type: 'bar', x: 'region', y: ['total'] }, columns, rows);
    const titled: any = chartOption({ type: 'bar', x: 'region', y: ['total'] }, columns, rows, { title: 'Sales' });
    expect(titled.title).toMatchObject({ text: 'Sales', left: 'center' });
    expect(titled.grid.top).toBeGreaterThan(plain.grid.top);
  });

  it('pie: slices named by x and sized by y[0], rows without a value left out', () => {
    const option: any = chartOption({ type: 'pie', x: 'region', y: ['total', 'orders'] }, columns, rows);
    expect(seriesOf(option)).toHaveLength(1);
    expect(seriesOf(option)[0]).toMatchObject({
      type: 'pie',
      name: 'total',
      data: [
        { name: 'north', value: 120.5 },
        { name: 'south', value: 80.25 },
      ],
    });
  });

  it('pie without rows has no slices', () => {
    const option: any = chartOption({ type: 'pie', x: 'region', y: ['total'] }, columns, []);
    expect(seriesOf(option)[0].data).toEqual([]);
  });

  it('kpi: y[0] of the first row, formatted in the locale, with its name underneath', () => {
    const option: any = chartOption(
      { type: 'kpi', y: ['total'] },
      [{ name: 'total', type: 'float' }],
      [{ total: '1234567.891' }, { total: 5 }],
      { locale: 'en-US' }
    );
    const [value, label] = option.graphic.elements;
    expect(value.style.text).toBe('1,234,567.89');
    expect(label.style.text).toBe('total');
    expect(option.series).toBeUndefined();
  });

  it('kpi keeps every digit of a biginteger string', () => {
    const option: any = chartOption(
      { type: 'kpi', y: ['n'] },
      [{ name: 'n', type: 'biginteger' }],
      [{ n: '9007199254740993' }],
      { locale: 'en-US' }
    );
    expect(option.graphic.elements[0].style.text).toBe('9,007,199,254,740,993');
  });

  it('kpi of no rows or a null value is a dash', () => {
    const spec: ChartSpec = { type: 'kpi', y: ['total'] };
    expect((chartOption(spec, columns, []) as any).graphic.elements[0].style.text).toBe('—');
    expect((chartOption(spec, columns, [{ total: null }]) as any).graphic.elements[0].style.text).toBe('—');
  });

  it('holds no functions, so it survives JSON (what SSR and the embed viewer get)', () => {
    for (const type of ['bar', 'line', 'pie', 'kpi'] as const) {
      const option = chartOption({ type, x: 'region', y: ['total'] }, columns, rows, { title: 'T' });
      expect(JSON.parse(JSON.stringify(option))).toEqual(option);
    }
  });
});

describe('chartOption through ECharts’ SSR SVG renderer (no DOM)', () => {
  it.each(['bar', 'line', 'pie'] as const)('%s renders its data', (type) => {
    const svg = renderSvg(
      chartOption({ type, x: 'region', y: ['total', 'orders'] }, columns, rows, { title: 'Sales' })!
    );
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(svg).toContain('Sales');
    // Category names are drawn as axis labels (bar, line) or legend entries (pie).
    expect(svg).toContain('north');
    expect(svg).toContain('south');
  });

  it('bar draws one shape per non-null value', () => {
    const svg = renderSvg(chartOption({ type: 'bar', x: 'region', y: ['total'] }, columns, rows)!);
    const bars = svg.match(/<path d="M[^"]*Z"[^>]*fill="#5070dd"/g) ?? [];
    expect(bars).toHaveLength(2);
  });

  it('kpi renders the number', () => {
    const svg = renderSvg(
      chartOption({ type: 'kpi', y: ['total'] }, columns, [{ total: 4321 }], { locale: 'en-US' })!,
      300,
      200
    );
    expect(svg).toContain('4,321');
    expect(svg).toContain('total');
  });

  it.each(['bar', 'line', 'pie', 'kpi'] as const)('%s renders with no rows', (type) => {
    expect(renderSvg(chartOption({ type, x: 'region', y: ['total'] }, columns, [])!)).toMatch(/^<svg/);
  });
});
