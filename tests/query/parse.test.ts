import { MAX_LIMIT, parseQuery, referencedColumns } from '../../src/plugins/api-tokens/server/src/query/parse';
import type { Column } from '../../src/plugins/api-tokens/server/src/semantic-models/sources';
import { problemsOf } from './problems';

const COLUMNS: Column[] = [
  { name: 'region', type: 'string', enum: ['North', 'South', 'East', 'West'] },
  { name: 'product', type: 'string' },
  { name: 'amount', type: 'float' },
  { name: 'quantity', type: 'integer' },
  { name: 'units', type: 'biginteger' },
  { name: 'active', type: 'boolean' },
  { name: 'day', type: 'date' },
  { name: 'soldAt', type: 'datetime' },
];

describe('parseQuery: what a valid spec becomes', () => {
  it('reads every column in model order without grouping, with no limit', () => {
    const query = parseQuery({}, COLUMNS);
    expect(query).toEqual({
      columns: COLUMNS.map((column) => column.name),
      filters: [],
      groupBy: [],
      aggregates: [],
      sort: [],
      limit: null,
      offset: 0,
      timezone: null,
      result: COLUMNS.map(({ name, type }) => ({ name, type })),
    });
  });

  it('keeps the listed columns, sorts by any model column, and defaults the direction to asc', () => {
    const query = parseQuery(
      {
        columns: ['product', 'amount'],
        sort: [{ field: 'soldAt' }, { field: 'amount', dir: 'desc' }],
        limit: 10,
        offset: 20,
      },
      COLUMNS
    );
    expect(query.result).toEqual([
      { name: 'product', type: 'string' },
      { name: 'amount', type: 'float' },
    ]);
    expect(query.sort).toEqual([
      { field: 'soldAt', dir: 'asc', type: 'datetime' },
      { field: 'amount', dir: 'desc', type: 'float' },
    ]);
    expect([query.limit, query.offset]).toEqual([10, 20]);
  });

  it('groups: columns default to the plain group-by fields, then bucket aliases, then aggregates, typed', () => {
    const query = parseQuery(
      {
        groupBy: ['region', { field: 'soldAt', bucket: 'month', as: 'month' }, 'active'],
        aggregates: [
          { fn: 'count', as: 'n' },
          { fn: 'count', field: 'amount', as: 'priced' },
          { fn: 'sum', field: 'amount', as: 'total' },
          { fn: 'sum', field: 'quantity', as: 'items' },
          { fn: 'sum', field: 'units', as: 'allUnits' },
          { fn: 'avg', field: 'quantity', as: 'meanItems' },
          { fn: 'min', field: 'soldAt', as: 'first' },
          { fn: 'max', field: 'day', as: 'lastDay' },
          { fn: 'max', field: 'product', as: 'lastProduct' },
        ],
        sort: [{ field: 'total', dir: 'desc' }],
      },
      COLUMNS,
      { timezone: 'Asia/Kathmandu' }
    );
    expect(query.columns).toEqual(['region', 'active']);
    expect(query.groupBy).toEqual([
      { kind: 'column', field: 'region', type: 'string' },
      { kind: 'bucket', field: 'soldAt', type: 'datetime', bucket: 'month', as: 'month' },
      { kind: 'column', field: 'active', type: 'boolean' },
    ]);
    expect(query.result).toEqual([
      { name: 'region', type: 'string' },
      { name: 'active', type: 'boolean' },
      { name: 'month', type: 'date' },
      { name: 'n', type: 'integer' },
      { name: 'priced', type: 'integer' },
      { name: 'total', type: 'float' },
      { name: 'items', type: 'integer' },
      { name: 'allUnits', type: 'biginteger' },
      { name: 'meanItems', type: 'float' },
      { name: 'first', type: 'datetime' },
      { name: 'lastDay', type: 'date' },
      { name: 'lastProduct', type: 'string' },
    ]);
    expect(query.sort).toEqual([{ field: 'total', dir: 'desc', type: 'float' }]);
    expect(query.timezone).toBe('Asia/Kathmandu');
  });

  it('places a bucket alias where columns lists it, and sorts by it', () => {
    const query = parseQuery(
      {
        columns: ['week', 'region'],
        groupBy: ['region', { field: 'day', bucket: 'week', as: 'week' }],
        aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }],
        sort: [{ field: 'week', dir: 'desc' }],
      },
      COLUMNS
    );
    expect(query.result.map((column) => column.name)).toEqual(['week', 'region', 'total']);
    expect(query.sort).toEqual([{ field: 'week', dir: 'desc', type: 'date' }]);
  });

  it('aggregates without group-by: one row, no columns', () => {
    const query = parseQuery({ aggregates: [{ fn: 'sum', field: 'amount', as: 'total' }] }, COLUMNS);
    expect(query.columns).toEqual([]);
    expect(query.result).toEqual([{ name: 'total', type: 'float' }]);
  });

  it('takes the limit up to the maximum (100,000 unless the caller says otherwise)', () => {
    expect(MAX_LIMIT).toBe(100_000);
    expect(parseQuery({ limit: MAX_LIMIT }, COLUMNS).limit).toBe(MAX_LIMIT);
    expect(parseQuery({ limit: 1 }, COLUMNS).limit).toBe(1);
    expect(parseQuery({ limit: 50 }, COLUMNS, { maxLimit: 50 }).limit).toBe(50);
    const [problem] = problemsOf(() => parseQuery({ limit: 51 }, COLUMNS, { maxLimit: 50 }));
    expect(problem).toMatchObject({ path: ['query', 'limit'], message: 'query.limit must be an integer from 1 to 50' });
  });

  it('keeps filters, parsed', () => {
    const query = parseQuery({ filters: [{ column: 'region', operand: 'IN', values: ['North', 'East'] }] }, COLUMNS);
    expect(query.filters).toEqual([{ column: 'region', type: 'string', operator: 'IN', values: ['North', 'East'] }]);
  });
});

describe('parseQuery: bad input is a 400 naming the field', () => {
  const bucket = (as: unknown, field = 'soldAt', more = {}) => ({ field, bucket: 'month', as, ...more });
  const sum = (as: unknown, field = 'amount') => ({ fn: 'sum', field, as });

  it.each<[string, unknown, string[], string]>([
    ['an unknown key', { columns: ['region'], where: 'x' }, ['query', 'where'], 'is not allowed'],
    ['an unknown column', { columns: ['colour'] }, ['query', 'columns', '0'], "must be one of the model's columns"],
    ['a column differing in case', { columns: ['Region'] }, ['query', 'columns', '0'], "model's columns"],
    ['SQL as a column name', { columns: ['region; DROP TABLE x'] }, ['query', 'columns', '0'], "model's columns"],
    ['SQL as a group-by', { groupBy: ['"a" or 1=1'] }, ['query', 'groupBy', '0'], "model's columns"],
    [
      'SQL as a sort',
      { sort: [{ field: 'amount desc; --' }] },
      ['query', 'sort', '0', 'field'],
      'must be a result column',
    ],
    ['columns twice', { columns: ['region', 'region'] }, ['query', 'columns', '1'], 'lists "region" twice'],
    ['columns that is not a list', { columns: 'region' }, ['query', 'columns'], 'must be an array'],
    ['no columns at all', { columns: [] }, ['query', 'columns'], 'must name at least one result column'],
    [
      'an unknown operator',
      { filters: [{ column: 'amount', operator: 'LIKE', values: ['1'] }] },
      ['query', 'filters', '0', 'operator'],
      'must be one of',
    ],
    [
      'a value that does not coerce',
      { filters: [{ column: 'amount', operator: 'GREATER_THAN', values: ['abc'] }] },
      ['query', 'filters', '0', 'values', '0'],
      'query.filters[0].values[0] must be a number for column "amount"',
    ],
    [
      'a wrong value count',
      { filters: [{ column: 'amount', operator: 'EQUALS', values: ['1', '2'] }] },
      ['query', 'filters', '0', 'values'],
      'exactly 1 value',
    ],
    [
      'a BETWEEN whose low is above its high',
      { filters: [{ column: 'quantity', operator: 'BETWEEN', values: ['9', '1'] }] },
      ['query', 'filters', '0', 'values'],
      'low ≤ high',
    ],
    [
      'an unknown aggregate fn',
      { aggregates: [{ fn: 'median', field: 'amount', as: 'm' }] },
      ['query', 'aggregates', '0', 'fn'],
      'must be one of: count, sum, avg, min, max',
    ],
    [
      'sum of a string',
      { aggregates: [sum('total', 'product')] },
      ['query', 'aggregates', '0', 'field'],
      'must be a numeric column for sum',
    ],
    [
      'avg of a date',
      { aggregates: [{ fn: 'avg', field: 'day', as: 'd' }] },
      ['query', 'aggregates', '0', 'field'],
      'numeric column for avg',
    ],
    [
      'max of a boolean',
      { aggregates: [{ fn: 'max', field: 'active', as: 'a' }] },
      ['query', 'aggregates', '0', 'field'],
      'must not be a boolean',
    ],
    [
      'sum without a field',
      { aggregates: [{ fn: 'sum', as: 'total' }] },
      ['query', 'aggregates', '0', 'field'],
      'is required',
    ],
    [
      'an aggregate of an unknown field',
      { aggregates: [{ fn: 'count', field: 'colour', as: 'n' }] },
      ['query', 'aggregates', '0', 'field'],
      "model's columns",
    ],
    [
      'an aggregate without an alias',
      { aggregates: [{ fn: 'count' }] },
      ['query', 'aggregates', '0', 'as'],
      'is required',
    ],
    [
      'an unknown key in an aggregate',
      { aggregates: [{ fn: 'count', as: 'n', distinct: true }] },
      ['query', 'aggregates', '0', 'distinct'],
      'is not allowed',
    ],
    [
      'an alias with a space',
      { aggregates: [sum('total amount')] },
      ['query', 'aggregates', '0', 'as'],
      'must be a plain identifier',
    ],
    [
      'an alias starting with a digit',
      { aggregates: [sum('1total')] },
      ['query', 'aggregates', '0', 'as'],
      'plain identifier',
    ],
    [
      'an alias with a quote',
      { aggregates: [sum('t" or 1=1 --')] },
      ['query', 'aggregates', '0', 'as'],
      'plain identifier',
    ],
    [
      'an alias of 64 characters',
      { aggregates: [sum('a'.repeat(64))] },
      ['query', 'aggregates', '0', 'as'],
      'plain identifier',
    ],
    ['an empty alias', { aggregates: [sum('')] }, ['query', 'aggregates', '0', 'as'], 'plain identifier'],
    ['an alias that is not a string', { aggregates: [sum(7)] }, ['query', 'aggregates', '0', 'as'], 'plain identifier'],
    [
      'an alias naming a column',
      { aggregates: [sum('amount')] },
      ['query', 'aggregates', '0', 'as'],
      `clashes with the model's column "amount"`,
    ],
    [
      'an alias naming a column in another case',
      { aggregates: [sum('AMOUNT')] },
      ['query', 'aggregates', '0', 'as'],
      'clashes',
    ],
    [
      'the row identity as an alias',
      { aggregates: [sum('__row')] },
      ['query', 'aggregates', '0', 'as'],
      'clashes with a reserved name',
    ],
    [
      'two aggregates with one alias',
      { aggregates: [sum('total'), { fn: 'count', as: 'Total' }] },
      ['query', 'aggregates', '1', 'as'],
      'clashes with the alias at query.aggregates[0].as',
    ],
    [
      'a bucket and an aggregate with one alias',
      { groupBy: [bucket('m')], aggregates: [sum('m')] },
      ['query', 'aggregates', '0', 'as'],
      'clashes with the alias at query.groupBy[0].as',
    ],
    [
      'a bucket on a number',
      { groupBy: [bucket('m', 'amount')] },
      ['query', 'groupBy', '0', 'field'],
      'must be a date or datetime column',
    ],
    [
      'an unknown bucket',
      { groupBy: [{ field: 'soldAt', bucket: 'hour', as: 'h' }] },
      ['query', 'groupBy', '0', 'bucket'],
      'must be one of: day, week, month, quarter, year',
    ],
    [
      'a bucket without an alias',
      { groupBy: [{ field: 'soldAt', bucket: 'day' }] },
      ['query', 'groupBy', '0', 'as'],
      'is required',
    ],
    ['a bad bucket alias', { groupBy: [bucket('my-month')] }, ['query', 'groupBy', '0', 'as'], 'plain identifier'],
    [
      'an unknown key in a bucket',
      { groupBy: [bucket('m', 'soldAt', { timezone: 'UTC' })] },
      ['query', 'groupBy', '0', 'timezone'],
      'is not allowed',
    ],
    [
      'a group-by that is neither',
      { groupBy: [42] },
      ['query', 'groupBy', '0'],
      'must be a column name or {field, bucket, as}',
    ],
    ['a group-by twice', { groupBy: ['region', 'region'] }, ['query', 'groupBy', '1'], 'twice'],
    [
      'a grouped column that is not grouped',
      { columns: ['product'], groupBy: ['region'] },
      ['query', 'columns', '0'],
      'must be a group-by field when the query groups or aggregates (region)',
    ],
    [
      'a column beside aggregates alone',
      { columns: ['region'], aggregates: [sum('total')] },
      ['query', 'columns', '0'],
      '(it has none)',
    ],
    [
      'a sort on an unknown field',
      { sort: [{ field: 'colour' }] },
      ['query', 'sort', '0', 'field'],
      'must be a result column',
    ],
    [
      'a grouped sort outside the result',
      { groupBy: ['region'], sort: [{ field: 'amount' }] },
      ['query', 'sort', '0', 'field'],
      'must be a result column: region',
    ],
    [
      'a sort direction',
      { sort: [{ field: 'amount', dir: 'down' }] },
      ['query', 'sort', '0', 'dir'],
      'must be "asc" or "desc"',
    ],
    [
      'a sort twice',
      { sort: [{ field: 'amount' }, { field: 'amount', dir: 'desc' }] },
      ['query', 'sort', '1', 'field'],
      'twice',
    ],
    [
      'an unknown key in a sort',
      { sort: [{ field: 'amount', nulls: 'last' }] },
      ['query', 'sort', '0', 'nulls'],
      'is not allowed',
    ],
    ['a sort that is not an object', { sort: ['amount'] }, ['query', 'sort', '0'], 'must be an object {field, dir}'],
    ['limit 0', { limit: 0 }, ['query', 'limit'], 'must be an integer from 1 to 100,000'],
    ['a negative limit', { limit: -1 }, ['query', 'limit'], 'from 1 to 100,000'],
    ['a limit above the maximum', { limit: MAX_LIMIT + 1 }, ['query', 'limit'], 'from 1 to 100,000'],
    ['a fractional limit', { limit: 1.5 }, ['query', 'limit'], 'from 1 to 100,000'],
    ['a limit as text', { limit: '10' }, ['query', 'limit'], 'from 1 to 100,000'],
    ['a negative offset', { offset: -1 }, ['query', 'offset'], 'must be an integer ≥ 0'],
    ['a fractional offset', { offset: 0.5 }, ['query', 'offset'], 'must be an integer ≥ 0'],
  ])('%s', (_label, spec, path, message) => {
    const problems = problemsOf(() => parseQuery(spec, COLUMNS));
    const problem = problems.find((candidate) => candidate.path.join('.') === path.join('.'));
    expect(problem).toBeDefined();
    expect(problem!.message).toContain(message);
    expect(
      problem!.message.startsWith(
        problem!.path.reduce(
          (shown, key) => (/^\d+$/.test(key) ? `${shown}[${key}]` : shown ? `${shown}.${key}` : key),
          ''
        )
      )
    ).toBe(true);
  });

  it.each([[null], [[]], ['select *'], [42]])('refuses a spec that is not an object: %p', (spec) => {
    expect(problemsOf(() => parseQuery(spec, COLUMNS))).toEqual([
      expect.objectContaining({ path: ['query'], message: expect.stringContaining('query must be an object') }),
    ]);
  });

  it.each([['Mars/Olympus'], ['+05:30'], [''], [42]])('refuses the time zone %p, naming timezone', (timezone) => {
    const [problem] = problemsOf(() => parseQuery({}, COLUMNS, { timezone: timezone as string }));
    expect(problem).toMatchObject({
      path: ['timezone'],
      message: 'timezone must be an IANA time zone, e.g. Europe/Berlin',
    });
  });

  it('names every problem at once, under the path given', () => {
    const problems = problemsOf(() =>
      parseQuery(
        {
          columns: ['colour'],
          filters: [{ column: 'amount', operator: 'GREATER_THAN', values: ['abc'] }],
          aggregates: [sum('amount')],
          limit: 0,
          extra: true,
        },
        COLUMNS,
        { path: 'report.query' }
      )
    );
    expect(problems.map((problem) => problem.path.join('.')).sort()).toEqual(
      [
        'report.query.extra',
        'report.query.filters.0.values.0',
        'report.query.aggregates.0.as',
        'report.query.columns.0',
        'report.query.limit',
      ].sort()
    );
    expect(problems.find((p) => p.path.includes('values'))!.message).toBe(
      'report.query.filters[0].values[0] must be a number for column "amount"'
    );
  });
});

describe('referencedColumns', () => {
  it('lists the model columns a spec names, once each, and no alias', () => {
    expect(
      referencedColumns({
        columns: ['region', 'month'],
        filters: [{ column: 'channel', operator: 'IN', values: ['online'] }],
        groupBy: ['region', { field: 'soldAt', bucket: 'month', as: 'month' }],
        aggregates: [
          { fn: 'count', as: 'n' },
          { fn: 'sum', field: 'amount', as: 'total' },
        ],
        sort: [
          { field: 'total', dir: 'desc' },
          { field: 'quantity', dir: 'asc' },
        ],
      })
    ).toEqual(['region', 'channel', 'soldAt', 'amount', 'quantity']);
  });

  it('names columns the model lacks, and survives a malformed spec', () => {
    expect(referencedColumns({ columns: ['gone'] })).toEqual(['gone']);
    expect(referencedColumns({ filters: 'x', groupBy: [null, 7], sort: [{}] } as never)).toEqual([]);
    expect(referencedColumns(null as never)).toEqual([]);
  });
});
