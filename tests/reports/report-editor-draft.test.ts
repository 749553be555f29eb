import {
  bodyOf,
  draftOf,
  emptyDraft,
  modelColumnsNamedBy,
  previewOf,
  resultColumnsOf,
  withModel,
  type ReportDraft,
} from '../../src/plugins/api-tokens/admin/src/pages/reports/reportDraft';
import { newKey } from '../../src/plugins/api-tokens/admin/src/utils/rows';
import {
  errorsByField,
  fieldKeyOf,
  otherErrorsOf,
} from '../../src/plugins/api-tokens/admin/src/pages/reports/reportErrors';
import type { Report } from '../../src/plugins/api-tokens/server/src/shared/types';

const report: Report = {
  id: 1,
  documentId: 'r1',
  name: 'Sales by region',
  semanticModel: 'm1',
  query: {
    columns: ['region', 'month'],
    groupBy: ['region', { field: 'soldAt', bucket: 'month', as: 'month' }],
    aggregates: [
      { fn: 'sum', field: 'amount', as: 'total' },
      { fn: 'count', as: 'orders' },
    ],
    filters: [{ column: 'channel', operator: 'IN', values: ['online', 'retail'] }],
    sort: [{ field: 'total', dir: 'desc' }],
    limit: 10,
  },
  chart: { type: 'bar', x: 'region', y: ['total', 'orders'] },
  inputs: [
    { name: 'channel', column: 'channel', type: 'single-select', default: 'online', required: true },
    { name: 'regions', column: 'region', type: 'multi-select', default: null },
  ],
  timezone: 'Europe/Berlin',
  embed: { enabled: true, allowedOrigins: ['https://a.example', 'https://b.example'], embedId: 'Ab3dE6gH' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/** A draft of `report` with one row of each list added and left unstarted where noted. */
const draftWith = (patch: Partial<ReportDraft>): ReportDraft => ({ ...draftOf(report), ...patch });

describe('the report editor draft', () => {
  it('turns a saved report into a draft and back into the same body', () => {
    const { name, semanticModel, query, chart, inputs, timezone } = report;
    expect(bodyOf(draftOf(report))).toEqual({
      name,
      semanticModel,
      query,
      chart,
      inputs: [inputs[0], { name: 'regions', column: 'region', type: 'multi-select' }],
      timezone,
      embed: { enabled: true, allowedOrigins: ['https://a.example', 'https://b.example'] },
    });
  });

  it('leaves empty lists, an unset limit and an empty zone out of the body', () => {
    const body = bodyOf({ ...emptyDraft(), name: '  Totals  ', semanticModel: 'm1' });
    expect(body).toEqual({
      name: 'Totals',
      semanticModel: 'm1',
      query: {},
      chart: { type: 'table' },
      inputs: [],
      timezone: null,
      embed: { enabled: false, allowedOrigins: [] },
    });
  });

  it('draws only the axes a chart type takes', () => {
    const base = draftOf(report);
    expect(bodyOf({ ...base, chart: { type: 'kpi', x: 'region', y: ['total', 'orders'] } }).chart).toEqual({
      type: 'kpi',
      y: ['total'],
    });
    expect(bodyOf({ ...base, chart: { type: 'pie', x: 'region', y: ['orders', 'total'] } }).chart).toEqual({
      type: 'pie',
      x: 'region',
      y: ['orders'],
    });
    expect(bodyOf({ ...base, chart: { type: 'table', x: 'region', y: ['total'] } }).chart).toEqual({ type: 'table' });
  });

  it('names the result columns in the server order: columns, bucket aliases, aggregates', () => {
    expect(resultColumnsOf(draftWith({ columns: ['region'] }))).toEqual(['region', 'month', 'total', 'orders']);
  });

  it('lists the model columns a draft names, bucket aliases excepted', () => {
    expect(modelColumnsNamedBy(draftOf(report)).sort()).toEqual(['amount', 'channel', 'region', 'soldAt']);
  });

  it('keeps the name, chart type, limit, zone and embedding when the model changes, and nothing that names a column', () => {
    const next = withModel(draftOf(report), 'm2');
    expect(next).toMatchObject({ name: 'Sales by region', semanticModel: 'm2', limit: 10, timezone: 'Europe/Berlin' });
    expect(next.chart).toEqual({ type: 'bar', x: '', y: [] });
    expect([next.columns, next.groupBy, next.aggregates, next.filters, next.sort, next.inputs]).toEqual([
      [],
      [],
      [],
      [],
      [],
      [],
    ]);
  });

  it('previews without the rows not started yet, and maps their errors back to the draft rows', () => {
    const saved = draftOf(report);
    const draft = draftWith({
      filters: [
        { key: newKey(), column: '', operator: 'EQUALS', values: [''] },
        { key: newKey(), column: 'channel', operator: 'EQUALS', values: [''] },
        saved.filters[0],
        { key: newKey(), column: 'amount', operator: 'BETWEEN', values: ['5', ''] },
      ],
      aggregates: [{ key: newKey(), fn: 'sum', field: '', as: '' }, ...saved.aggregates],
      name: 'Not sent',
    });
    const { body, indexes } = previewOf(draft);
    expect(body.name).toBe('Preview');
    expect(body.query.filters).toEqual([
      { column: 'channel', operator: 'IN', values: ['online', 'retail'] },
      { column: 'amount', operator: 'BETWEEN', values: ['5', ''] },
    ]);
    expect(body.query.aggregates).toEqual(report.query.aggregates);
    expect(indexes['query.filters']).toEqual([2, 3]);

    const errors = errorsByField(
      {
        'query.filters.1.values.1': 'must be a number',
        'query.aggregates.0.as': 'clashes',
        'inputs.0.default': 'not an option',
      },
      indexes
    );
    expect(errors).toEqual({
      'query.filters.3.values': 'must be a number',
      'query.aggregates.1.as': 'clashes',
      'inputs.0.default': 'not an option',
    });
  });
});

describe('the report editor error paths', () => {
  it.each([
    ['query.filters.1.values.0', 'query.filters.1.values'],
    ['filters[1].values[0]', 'query.filters.1.values'],
    ['query.filters.0.operand', 'query.filters.0.operator'],
    ['query.groupBy.2', 'query.groupBy.2'],
    ['query.columns.3', 'query.columns'],
    ['query.limit', 'query.limit'],
    ['chart.y.0', 'chart.y'],
    ['chart.y[1]', 'chart.y'],
    ['inputs[0].name', 'inputs.0.name'],
    ['embed.allowedOrigins.1', 'embed.allowedOrigins'],
    ['name', 'name'],
  ])('%s is shown under %s', (path, key) => {
    expect(fieldKeyOf(path)).toBe(key);
  });

  it('lists apart the errors no field shows', () => {
    const draft = draftOf(report);
    expect(
      otherErrorsOf(
        {
          'query.filters.0.values': 'shown under the values',
          'query.filters.5.column': 'no such row',
          unknown: 'Unknown field(s): unknown',
        },
        draft
      )
    ).toEqual([
      ['query.filters.5.column', 'no such row'],
      ['unknown', 'Unknown field(s): unknown'],
    ]);
  });
});
