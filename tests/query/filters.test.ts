import { parseFilters } from '../../src/plugins/api-tokens/server/src/query/filters';
import { OPERATORS, type Operator } from '../../src/plugins/api-tokens/server/src/query/types';
import type { Column } from '../../src/plugins/api-tokens/server/src/semantic-models/sources';
import { problemsOf } from './problems';

const COLUMNS: Column[] = [
  { name: 'product', type: 'string' },
  { name: 'region', type: 'string', enum: ['North', 'South', 'East', 'West'] },
  { name: 'quantity', type: 'integer' },
  { name: 'units', type: 'biginteger' },
  { name: 'amount', type: 'float' },
  { name: 'active', type: 'boolean' },
  { name: 'day', type: 'date' },
  { name: 'soldAt', type: 'datetime' },
];

const one = (column: string, operator: string, values: unknown) => [{ column, operator, values }];

/** Two valid values per column, low first, and how they coerce. */
const GOOD: Record<string, [string, unknown][]> = {
  product: [
    ['Gadget', 'Gadget'],
    ['Widget', 'Widget'],
  ],
  region: [
    ['East', 'East'],
    ['West', 'West'],
  ],
  quantity: [
    ['-7', -7],
    ['42', 42],
  ],
  units: [
    ['-0012', '-12'],
    ['9007199254740993', '9007199254740993'],
  ],
  amount: [
    ['.5', 0.5],
    ['1e3', 1000],
  ],
  active: [
    ['false', false],
    ['true', true],
  ],
  day: [
    ['2024-02-29', '2024-02-29'],
    ['2026-12-31', '2026-12-31'],
  ],
  soldAt: [
    ['2026-03-08T02:30:00-05:00', new Date('2026-03-08T07:30:00.000Z')],
    ['2026-03-08T13:45:00.123456+05:45', new Date('2026-03-08T08:00:00.123Z')],
  ],
};

const ORDERED = ['quantity', 'units', 'amount', 'day', 'soldAt'];

describe('parseFilters: every operator on every column type', () => {
  const cases = OPERATORS.flatMap((operator) => COLUMNS.map((column) => [operator, column.name] as const));

  it.each(cases)('%s on %s', (operator: Operator, name) => {
    const [[low, lowValue], [high, highValue]] = GOOD[name];
    const values = operator === 'IN' || operator === 'NOT_IN' || operator === 'BETWEEN' ? [low, high] : [low];
    const filters = one(name, operator, values);
    const applies = ORDERED.includes(name) || ['IN', 'NOT_IN', 'EQUALS', 'NOT_EQUALS'].includes(operator);
    if (applies) {
      const type = COLUMNS.find((column) => column.name === name)!.type;
      const expected = values.length === 2 ? [lowValue, highValue] : [lowValue];
      expect(parseFilters(filters, COLUMNS)).toEqual([{ column: name, type, operator, values: expected }]);
    } else {
      const [problem] = problemsOf(() => parseFilters(filters, COLUMNS));
      expect(problem.path).toEqual(['filters', '0', 'operator']);
      expect(problem.message).toMatch(
        new RegExp(`^filters\\[0\\]\\.operator ${operator} does not apply to column "${name}"`)
      );
    }
  });
});

describe('parseFilters: values coerce by column type', () => {
  const good = Object.entries(GOOD).flatMap(([name, pairs]) =>
    pairs.map(([raw, value]) => [name, raw, value] as const)
  );

  it.each(good)('%s accepts %p', (name, raw, value) => {
    expect(parseFilters(one(name, 'EQUALS', [raw]), COLUMNS)[0].values).toEqual([value]);
  });

  it.each([
    ['product', 'region; DROP TABLE x', 'region; DROP TABLE x'],
    ['product', '', ''],
    ['soldAt', '2026-03-08T07:30Z', new Date('2026-03-08T07:30:00.000Z')],
    ['soldAt', '2024-02-29T23:59:59.999+00:00', new Date('2024-02-29T23:59:59.999Z')],
    ['amount', '-3', -3],
    ['amount', '+2.25', 2.25],
  ])('%s accepts %p', (name, raw, value) => {
    expect(parseFilters(one(name, 'IN', [raw]), COLUMNS)[0].values).toEqual([value]);
  });

  const bad: [string, string, string][] = [
    ['region', 'north', 'must be one of: North, South, East, West'],
    ['region', 'Central', 'must be one of: North, South, East, West'],
    ['quantity', '1.5', 'must be an integer'],
    ['quantity', 'abc', 'must be an integer'],
    ['quantity', '', 'must be an integer'],
    ['quantity', ' 1', 'must be an integer'],
    ['quantity', '1e3', 'must be an integer'],
    ['quantity', '9007199254740993', 'must be an integer'],
    ['units', '1.5', 'must be an integer'],
    ['units', 'abc', 'must be an integer'],
    ['units', '9223372036854775808', 'must be an integer between -2^63 and 2^63-1'],
    ['amount', 'abc', 'must be a number'],
    ['amount', '', 'must be a number'],
    ['amount', 'NaN', 'must be a number'],
    ['amount', 'Infinity', 'must be a number'],
    ['amount', '0x10', 'must be a number'],
    ['amount', '1,5', 'must be a number'],
    ['amount', '1e999', 'must be a number'],
    ['active', 'TRUE', 'must be "true" or "false"'],
    ['active', '1', 'must be "true" or "false"'],
    ['active', 'yes', 'must be "true" or "false"'],
    ['day', '2023-02-29', 'must be a date (YYYY-MM-DD)'],
    ['day', '2026-13-01', 'must be a date (YYYY-MM-DD)'],
    ['day', '2026-1-5', 'must be a date (YYYY-MM-DD)'],
    ['day', '2026-01-05T00:00:00Z', 'must be a date (YYYY-MM-DD)'],
    [
      'soldAt',
      '2026-03-08T07:30:00',
      'must be an ISO 8601 datetime with a zone (2026-03-01T09:30:00Z or 2026-03-01T09:30:00+01:00)',
    ],
    [
      'soldAt',
      '2026-03-08',
      'must be an ISO 8601 datetime with a zone (2026-03-01T09:30:00Z or 2026-03-01T09:30:00+01:00)',
    ],
    [
      'soldAt',
      '2026-02-30T00:00:00Z',
      'must be an ISO 8601 datetime with a zone (2026-03-01T09:30:00Z or 2026-03-01T09:30:00+01:00)',
    ],
    [
      'soldAt',
      '2026-03-08T24:00:00Z',
      'must be an ISO 8601 datetime with a zone (2026-03-01T09:30:00Z or 2026-03-01T09:30:00+01:00)',
    ],
    [
      'soldAt',
      '2026-03-08T07:30:00+25:00',
      'must be an ISO 8601 datetime with a zone (2026-03-01T09:30:00Z or 2026-03-01T09:30:00+01:00)',
    ],
    [
      'soldAt',
      'yesterday',
      'must be an ISO 8601 datetime with a zone (2026-03-01T09:30:00Z or 2026-03-01T09:30:00+01:00)',
    ],
  ];

  it.each(bad)('%s refuses %p', (name, raw, message) => {
    const problems = problemsOf(() =>
      parseFilters([...one('product', 'EQUALS', ['ok']), ...one(name, 'EQUALS', [raw])], COLUMNS)
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toEqual(['filters', '1', 'values', '0']);
    expect(problems[0].message).toContain(`filters[1].values[0] ${message} for column "${name}"`);
  });

  it('names the issue example: amount GREATER_THAN "abc"', () => {
    const problems = problemsOf(() =>
      parseFilters([one('region', 'IN', ['North'])[0], one('amount', 'GREATER_THAN', ['abc'])[0]], COLUMNS)
    );
    expect(problems).toEqual([
      {
        path: ['filters', '1', 'values', '0'],
        message: 'filters[1].values[0] must be a number for column "amount"',
        name: 'ValidationError',
      },
    ]);
  });

  it('refuses values that are not strings', () => {
    const problems = problemsOf(() => parseFilters(one('quantity', 'IN', [3, null, '4']), COLUMNS));
    expect(problems.map((p) => p.path)).toEqual([
      ['filters', '0', 'values', '0'],
      ['filters', '0', 'values', '1'],
    ]);
    expect(problems[0].message).toBe('filters[0].values[0] must be a string');
  });
});

describe('parseFilters: value counts and ranges', () => {
  it.each([
    ['EQUALS', [], 'exactly 1 value for EQUALS, got 0'],
    ['EQUALS', ['1', '2'], 'exactly 1 value for EQUALS, got 2'],
    ['NOT_EQUALS', ['1', '2'], 'exactly 1 value for NOT_EQUALS, got 2'],
    ['GREATER_THAN', ['1', '2'], 'exactly 1 value for GREATER_THAN, got 2'],
    ['GREAT_THAN_EQUALS_TO', [], 'exactly 1 value for GREAT_THAN_EQUALS_TO, got 0'],
    ['LESS_THAN', ['1', '2'], 'exactly 1 value for LESS_THAN, got 2'],
    ['LESS_THAN_EQUALS_TO', [], 'exactly 1 value for LESS_THAN_EQUALS_TO, got 0'],
    ['IN', [], '1 to 10,000 values for IN, got 0'],
    ['NOT_IN', [], '1 to 10,000 values for NOT_IN, got 0'],
    ['BETWEEN', ['1'], 'exactly 2 values for BETWEEN, got 1'],
    ['BETWEEN', ['1', '2', '3'], 'exactly 2 values for BETWEEN, got 3'],
  ])('%s with %p', (operator, values, message) => {
    const [problem] = problemsOf(() => parseFilters(one('quantity', operator, values), COLUMNS));
    expect(problem.path).toEqual(['filters', '0', 'values']);
    expect(problem.message).toBe(`filters[0].values must hold ${message}`);
  });

  it('takes many values for IN, up to 10,000', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => String(i));
    expect(parseFilters(one('quantity', 'IN', values), COLUMNS)[0].values).toHaveLength(10_000);
    problemsOf(() => parseFilters(one('quantity', 'IN', [...values, '1']), COLUMNS));
  });

  it.each([
    ['quantity', ['5', '3']],
    ['units', ['10', '9']], // compared as numbers, not as text
    ['units', ['9223372036854775807', '-9223372036854775808']],
    ['amount', ['2.5', '2.49']],
    ['day', ['2026-02-01', '2026-01-31']],
    ['soldAt', ['2026-03-08T07:30:00Z', '2026-03-08T02:29:59-05:00']],
  ])('BETWEEN on %s refuses a low above its high: %p', (name, values) => {
    const [problem] = problemsOf(() => parseFilters(one(name, 'BETWEEN', values), COLUMNS));
    expect(problem.path).toEqual(['filters', '0', 'values']);
    expect(problem.message).toContain('low ≤ high');
  });

  it.each([
    ['quantity', ['3', '3']],
    ['units', ['9', '10']],
    ['soldAt', ['2026-03-08T07:30:00Z', '2026-03-08T02:30:00-05:00']],
  ])('BETWEEN on %s takes equal or ordered bounds: %p', (name, values) => {
    expect(parseFilters(one(name, 'BETWEEN', values), COLUMNS)[0].values).toHaveLength(2);
  });
});

describe('parseFilters: operators, columns and shape', () => {
  it('accepts operand as an alias of operator, and normalises GREATER_THAN_EQUALS_TO', () => {
    expect(parseFilters([{ column: 'quantity', operand: 'GREATER_THAN_EQUALS_TO', values: ['2'] }], COLUMNS)).toEqual([
      { column: 'quantity', type: 'integer', operator: 'GREAT_THAN_EQUALS_TO', values: [2] },
    ]);
  });

  it.each([
    [
      { column: 'quantity', operator: 'EQUALS', operand: 'EQUALS', values: ['1'] },
      ['filters', '0', 'operand'],
      'alias of operator',
    ],
    [{ column: 'quantity', operator: 'in', values: ['1'] }, ['filters', '0', 'operator'], 'must be one of: IN, NOT_IN'],
    [{ column: 'quantity', operand: 'LIKE', values: ['1'] }, ['filters', '0', 'operand'], 'must be one of: IN'],
    [{ column: 'quantity', values: ['1'] }, ['filters', '0', 'operator'], 'is required'],
    [
      { column: 'Region', operator: 'IN', values: ['North'] },
      ['filters', '0', 'column'],
      "must be one of the model's columns",
    ],
    [{ column: 'region; DROP TABLE x', operator: 'IN', values: ['a'] }, ['filters', '0', 'column'], "model's columns"],
    [{ column: '"a" or 1=1', operator: 'IN', values: ['a'] }, ['filters', '0', 'column'], "model's columns"],
    [{ operator: 'IN', values: ['a'] }, ['filters', '0', 'column'], 'is required'],
    [{ column: 'quantity', operator: 'IN' }, ['filters', '0', 'values'], 'is required'],
    [{ column: 'quantity', operator: 'IN', values: '1' }, ['filters', '0', 'values'], 'must be an array of strings'],
    [{ column: 'quantity', operator: 'IN', values: ['1'], value: '2' }, ['filters', '0', 'value'], 'is not allowed'],
  ])('refuses %p', (filter, path, message) => {
    const problems = problemsOf(() => parseFilters([filter], COLUMNS));
    expect(problems.map((p) => p.path)).toContainEqual(path);
    expect(problems.find((p) => p.path.join() === path.join())!.message).toContain(message);
  });

  it.each([
    [{ filters: 'x' }, 'must be an array'],
    [[null], 'must be an object'],
    [['region'], 'must be an object'],
  ])('refuses a malformed list %p', (raw, message) => {
    const input = Array.isArray(raw) ? raw : (raw as { filters: unknown }).filters;
    const [problem] = problemsOf(() => parseFilters(input, COLUMNS));
    expect(problem.message).toContain(message);
  });

  it('takes no filters as none', () => {
    expect(parseFilters(undefined, COLUMNS)).toEqual([]);
    expect(parseFilters([], COLUMNS)).toEqual([]);
  });

  it('collects every problem, each with its own path, under the path given', () => {
    const problems = problemsOf(() =>
      parseFilters(
        [
          { column: 'colour', operator: 'IN', values: ['red'] },
          { column: 'amount', operator: 'GREATER_THAN', values: ['abc'] },
          { column: 'region', operator: 'LESS_THAN', values: ['North'] },
          { column: 'day', operator: 'BETWEEN', values: ['2026-01-02', 'soon'] },
        ],
        COLUMNS,
        'embed.filters'
      )
    );
    expect(problems.map((p) => p.path)).toEqual([
      ['embed', 'filters', '0', 'column'],
      ['embed', 'filters', '1', 'values', '0'],
      ['embed', 'filters', '2', 'operator'],
      ['embed', 'filters', '3', 'values', '1'],
    ]);
    expect(problems[1].message).toBe('embed.filters[1].values[0] must be a number for column "amount"');
    expect(problems[2].message).toContain('(an enumeration)');
  });
});
