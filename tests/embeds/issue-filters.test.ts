import { errors } from '@strapi/utils';
import { checkAuthRequest, type ResolveEmbed } from '../../src/plugins/api-tokens/server/src/embeds/auth-request';
import type { EmbedTarget, EmbedType } from '../../src/plugins/api-tokens/server/src/embeds/types';
import { OPERATORS, type Operator } from '../../src/plugins/api-tokens/server/src/query/types';
import type { Column } from '../../src/plugins/api-tokens/server/src/semantic-models/sources';
import { shownPath } from '../helpers/field-errors';

/** One column of every type the query layer knows, plus an enumeration. */
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
const ORDERED = ['quantity', 'units', 'amount', 'day', 'soldAt'];

/** Two good values per column (low first) and values its type refuses. */
const VALUES: Record<string, { good: [string, string]; bad: string[] }> = {
  product: { good: ['Gadget', 'Widget'], bad: [] },
  region: { good: ['East', 'West'], bad: ['Atlantis', 'north'] },
  quantity: { good: ['-7', '42'], bad: ['1.5', 'ten', '9007199254740993', ''] },
  units: { good: ['-12', '9007199254740993'], bad: ['1.5', '9223372036854775808', 'x'] },
  amount: { good: ['.5', '1e3'], bad: ['ten', 'Infinity', '1,5'] },
  active: { good: ['false', 'true'], bad: ['yes', '1', 'TRUE'] },
  day: { good: ['2024-02-29', '2026-12-31'], bad: ['2026-02-29', '2026-13-01', '01/02/2026'] },
  soldAt: {
    good: ['2026-03-08T02:30:00-05:00', '2026-03-08T13:45:00Z'],
    bad: ['2026-03-08T02:30:00', '2026-03-08', 'yesterday'],
  },
};

const target = (type: EmbedType, embedId: string, enabled = true): EmbedTarget => ({
  type,
  embedId,
  documentId: `doc-${embedId}`,
  name: embedId,
  enabled,
  allowedOrigins: [],
  revokedBefore: null,
});

/** A card `card1` over COLUMNS, a story `story1` of two cards (one without `region`), a disabled card `off1`. */
const resolve: ResolveEmbed = async (type, embedId) => {
  if (type === 'card' && embedId === 'card1') return { target: target(type, embedId), columns: [COLUMNS] };
  if (type === 'card' && embedId === 'off1') return { target: target(type, embedId, false), columns: [] };
  if (type === 'story' && embedId === 'story1') {
    return {
      target: target(type, embedId),
      columns: [COLUMNS, COLUMNS.filter((column) => column.name !== 'region')],
    };
  }
  return null;
};

/** The second filter of card1's only authorization is `filter`; the first, a good one, keeps the index honest. */
const request = (filter: Record<string, unknown>) => ({
  authorizations: [
    {
      token: 'card1',
      permissions: ['READ', 'FILTER'],
      filters: [{ column: 'product', operator: 'EQUALS', values: ['Gadget'] }, filter],
    },
  ],
});

/** The paths a rejected request names, or null when it is accepted. */
const pathsOf = async (body: unknown, type: EmbedType = 'card'): Promise<string[] | null> => {
  try {
    await checkAuthRequest(body, type, resolve);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(errors.ValidationError);
    const list = ((error as errors.ValidationError).details as any).errors as { path: string[] }[];
    return list.map((problem) => shownPath(problem.path));
  }
};

const goodValues = (operator: Operator, column: string): string[] => {
  const [low, high] = VALUES[column].good;
  if (operator === 'BETWEEN') return [low, high];
  if (operator === 'IN' || operator === 'NOT_IN') return [low, high];
  return [low];
};

const appliesTo = (operator: Operator, column: string) =>
  ORDERED.includes(column) || ['IN', 'NOT_IN', 'EQUALS', 'NOT_EQUALS'].includes(operator);

const AT = 'authorizations[0].filters[1]';

describe('checkAuthRequest: every operator × column type', () => {
  const cases = OPERATORS.flatMap((operator) => COLUMNS.map((column) => [operator, column.name] as const));

  it.each(cases)('%s on %s', async (operator, column) => {
    const values = goodValues(operator, column);
    const paths = await pathsOf(request({ column, operator, values }));
    if (!appliesTo(operator, column)) {
      expect(paths).toEqual([`${AT}.operator`]);
      return;
    }
    expect(paths).toBeNull();
    const checked = await checkAuthRequest(request({ column, operator, values }), 'card', resolve);
    // The claim carries the values as sent, under the canonical operator name.
    expect(checked.grants[0].filters[1]).toEqual({ column, operator, values });

    // Every bad value is named by its index, whichever position it takes.
    for (const bad of VALUES[column].bad) {
      const position = values.length - 1;
      const spoiled = values.map((value, index) => (index === position ? bad : value));
      expect(await pathsOf(request({ column, operator, values: spoiled }))).toEqual([`${AT}.values[${position}]`]);
    }
    expect(await pathsOf(request({ column, operator, values: [values[0], 7].slice(0, values.length) }))).toEqual(
      values.length > 1 ? [`${AT}.values[1]`] : null
    );

    // A wrong value count names `values`.
    const wrongCount = operator === 'BETWEEN' ? [values[0]] : operator.endsWith('IN') ? [] : [values[0], values[0]];
    expect(await pathsOf(request({ column, operator, values: wrongCount }))).toEqual([`${AT}.values`]);
  });

  it.each(ORDERED)('BETWEEN on %s wants low ≤ high', async (column) => {
    const [low, high] = VALUES[column].good;
    expect(await pathsOf(request({ column, operator: 'BETWEEN', values: [high, low] }))).toEqual([`${AT}.values`]);
    expect(await pathsOf(request({ column, operator: 'BETWEEN', values: [low, low] }))).toBeNull();
  });
});

describe('checkAuthRequest: operator spellings', () => {
  it('writes GREATER_THAN_EQUALS_TO as GREAT_THAN_EQUALS_TO, and operand as operator', async () => {
    const checked = await checkAuthRequest(
      {
        authorizations: [
          {
            token: 'card1',
            permissions: ['READ'],
            filters: [
              { column: 'amount', operator: 'GREATER_THAN_EQUALS_TO', values: ['1'] },
              { column: 'quantity', operand: 'GREATER_THAN_EQUALS_TO', values: ['2'] },
              { column: 'region', operand: 'IN', values: ['North', 'East'] },
            ],
          },
        ],
      },
      'card',
      resolve
    );
    expect(checked.grants).toEqual([
      {
        token: 'card1',
        type: 'card',
        permissions: ['READ'],
        filters: [
          { column: 'amount', operator: 'GREAT_THAN_EQUALS_TO', values: ['1'] },
          { column: 'quantity', operator: 'GREAT_THAN_EQUALS_TO', values: ['2'] },
          { column: 'region', operator: 'IN', values: ['North', 'East'] },
        ],
      },
    ]);
    expect(checked.targets.map((entry) => entry.embedId)).toEqual(['card1']);
  });

  it('names operand when the alias is wrong, and refuses both spellings at once', async () => {
    expect(await pathsOf(request({ column: 'amount', operand: 'ABOVE', values: ['1'] }))).toEqual([`${AT}.operand`]);
    expect(await pathsOf(request({ column: 'amount', operator: 'ABOVE', values: ['1'] }))).toEqual([`${AT}.operator`]);
    expect(await pathsOf(request({ column: 'amount', operand: 'IN', operator: 'IN', values: ['1'] }))).toEqual([
      `${AT}.operand`,
    ]);
    expect(await pathsOf(request({ column: 'amount', values: ['1'] }))).toEqual([`${AT}.operator`]);
  });

  it('names a value that is no string, a missing column and an unknown one', async () => {
    expect(await pathsOf(request({ column: 'quantity', operator: 'IN', values: ['1', 2] }))).toEqual([
      `${AT}.values[1]`,
    ]);
    expect(await pathsOf(request({ column: 'quantity', operator: 'IN', values: '1' }))).toEqual([`${AT}.values`]);
    expect(await pathsOf(request({ operator: 'IN', values: ['1'] }))).toEqual([`${AT}.column`]);
    expect(await pathsOf(request({ column: 'State', operator: 'IN', values: ['1'] }))).toEqual([`${AT}.column`]);
  });
});

describe('checkAuthRequest: stories, embeds and permissions', () => {
  const story = (filters: unknown[]) => ({ authorizations: [{ token: 'story1', permissions: ['READ'], filters }] });

  it("takes only the columns every one of a story's cards has", async () => {
    expect(await pathsOf(story([{ column: 'amount', operator: 'GREATER_THAN', values: ['3'] }]), 'story')).toBeNull();
    expect(await pathsOf(story([{ column: 'region', operator: 'IN', values: ['North'] }]), 'story')).toEqual([
      'authorizations[0].filters[0].column',
    ]);
  });

  it('names the token of an unknown, disabled or wrong-route embed, and goes on to the next authorization', async () => {
    const body = {
      authorizations: [
        { token: 'nope', permissions: ['READ'] },
        { token: 'off1', permissions: ['READ'] },
        { token: 'story1', permissions: ['READ'] },
        { token: 'card1', permissions: ['READ'], filters: [{ column: 'x', operator: 'IN', values: ['1'] }] },
      ],
    };
    expect(await pathsOf(body)).toEqual([
      'authorizations[0].token',
      'authorizations[1].token',
      'authorizations[2].token',
      'authorizations[3].filters[0].column',
    ]);
    expect(await pathsOf({ authorizations: [{ token: 'card1', permissions: ['READ'] }] }, 'story')).toEqual([
      'authorizations[0].token',
    ]);
  });

  it.each([
    [['READ'], null],
    [['READ', 'FILTER', 'EXPORT'], null],
    [['EXPORT', 'READ', 'READ'], null],
    [['FILTER'], ['authorizations[0].permissions']],
    [['FILTER', 'FILTER'], ['authorizations[0].permissions']],
    [[], ['authorizations[0].permissions']],
    ['READ', ['authorizations[0].permissions']],
    [['READ', 'write'], ['authorizations[0].permissions[1]']],
  ])('permissions %j', async (permissions, paths) => {
    expect(await pathsOf({ authorizations: [{ token: 'card1', permissions }] })).toEqual(paths);
  });
});
