import { demoSales, seedSales } from '../../src/demo/seed';
import { parseQuery } from '../../src/plugins/api-tokens/server/src/query/parse';
import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';

type Row = Record<string, any>;
type ColumnType = 'string' | 'integer' | 'biginteger' | 'float' | 'boolean' | 'date' | 'datetime';
interface Column {
  name: string;
  type: ColumnType;
  enum?: string[];
}

const DAY_MS = 86_400_000;
const SALES = 1200;
const SALE_FIELDS = ['region', 'channel', 'product', 'amount', 'quantity', 'soldAt'];

/**
 * Sales at the instants where zones disagree, and with the values that sort differently by collation (lower case,
 * an accent) or hold NULLs. New York springs forward on 2026-03-08 and falls back on 2026-11-01; Kathmandu is
 * UTC+05:45 all year.
 */
const EDGE_SALES = [
  ['2026-03-08T04:30:00.000Z', 'North'], // NY: Mar 7 23:30 EST
  ['2026-03-08T06:59:59.000Z', 'South'], // NY: 01:59:59 EST, the last second before the gap
  ['2026-03-08T07:00:00.000Z', 'East'], // NY: 03:00 EDT, the first after
  ['2026-03-09T03:00:00.000Z', 'West'], // NY: Sunday Mar 8 23:00 (week of Mar 2); UTC: Monday Mar 9
  ['2026-03-31T18:14:59.000Z', 'North'], // Kathmandu: Mar 31 23:59:59 (Q1)
  ['2026-03-31T18:15:00.000Z', 'South'], // Kathmandu: Apr 1 00:00 (Q2)
  ['2025-12-31T23:30:00.000Z', 'East'], // UTC and NY: 2025; Kathmandu: 2026
  ['2026-11-01T05:30:00.000Z', 'West'], // NY: 01:30 EDT, the first pass
  ['2026-11-01T06:30:00.000Z', 'North'], // NY: 01:30 EST, the second pass
  ['2026-11-02T04:30:00.000Z', 'South'], // NY: Nov 1 23:30 EST
].map(([soldAt, region], i) => ({
  region,
  channel: ['online', 'retail', 'partner'][i % 3],
  product: ['apple', 'Éclair', 'Widget', 'zebra', 'Apple'][i % 5],
  quantity: 1 + i,
  amount: 10 + i * 2.5,
  soldAt: new Date(soldAt),
}));
const NULL_SALES = [
  {
    region: null,
    channel: 'online',
    product: null,
    quantity: 3,
    amount: null,
    soldAt: new Date('2026-05-01T12:00:00Z'),
  },
  {
    region: 'West',
    channel: 'retail',
    product: 'Widget',
    quantity: 4,
    amount: 77.25,
    soldAt: new Date('2026-05-02T12:00:00Z'),
  },
];

/** A source of every column type, to test what the sales cannot hold: dates, booleans, bigintegers past 2^53. */
const TYPED_COLUMNS: Column[] = [
  { name: 'label', type: 'string' },
  { name: 'size', type: 'string', enum: ['S', 'M', 'L'] },
  { name: 'count', type: 'integer' },
  { name: 'big', type: 'biginteger' },
  { name: 'ratio', type: 'float' },
  { name: 'flag', type: 'boolean' },
  { name: 'day', type: 'date' },
  { name: 'at', type: 'datetime' },
];
const TYPED_ROWS = 600;
const typedRow = (i: number) => {
  const at = new Date(Date.UTC(2026, 2, 1) + i * (7 * 3_600_000 + 13 * 60_000));
  return {
    label: i % 31 === 0 ? null : ['alpha', 'Beta', 'gamma', 'Éclair', 'beta'][i % 5],
    size: i % 7 === 0 ? null : ['S', 'M', 'L'][i % 3],
    count: i % 11 === 0 ? null : ((i * 37) % 50) - 10,
    big: i % 13 === 0 ? null : i % 6 === 0 ? '-5' : String(9007199254740993n + BigInt(i % 4)),
    ratio: i % 17 === 0 ? null : ((i * 7919) % 1000) / 8 - 20,
    flag: i % 19 === 0 ? null : i % 3 === 0,
    day: i % 23 === 0 ? null : new Date(Date.UTC(2026, 0, 1) + ((i * 5) % 420) * DAY_MS).toISOString().slice(0, 10),
    // Sources may yield Dates or ISO strings with any offset: the snapshot stores one form.
    at: i % 29 === 0 ? null : i % 2 === 0 ? at : isoWithOffset(at, 345),
  };
};
/** The instant as ISO 8601 on the wall clock of a fixed offset: `2026-03-01T05:45:00+05:45`. */
const isoWithOffset = (date: Date, minutes: number) => {
  const local = new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(minutes);
  const offset = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local}${minutes < 0 ? '-' : '+'}${offset}`;
};
const typedSource = {
  type: 'every-type',
  displayName: 'Every type',
  validate: () => null,
  columns: () => TYPED_COLUMNS,
  async *read() {
    for (let start = 0; start < TYPED_ROWS; start += 250) {
      yield Array.from({ length: Math.min(250, TYPED_ROWS - start) }, (_, i) => typedRow(start + i));
    }
  },
};

/* ---------------------------------------------------------------- the same queries, computed in JS */

/** A value as the snapshot serves it. */
const served = (value: unknown, type: ColumnType) => {
  if (value === null || value === undefined) return null;
  if (type === 'datetime') return new Date(value as string).toISOString();
  return value;
};
const servedRows = (rows: Row[], columns: Column[]) =>
  rows.map((row) => Object.fromEntries(columns.map(({ name, type }) => [name, served(row[name], type)])));

/** A comparable JS value: numbers, BigInts, epoch ms, or the string itself. */
const comparable = (value: unknown, type: ColumnType): any => {
  if (value === null) return null;
  if (type === 'integer' || type === 'float') return Number(value);
  if (type === 'biginteger') return BigInt(value as string);
  if (type === 'datetime') return Date.parse(value as string);
  if (type === 'boolean') return value === true || value === 'true';
  return value;
};

const PREDICATES: Record<string, (value: any, values: any[]) => boolean> = {
  IN: (v, values) => v !== null && values.includes(v),
  NOT_IN: (v, values) => v === null || !values.includes(v),
  EQUALS: (v, [x]) => v !== null && v === x,
  NOT_EQUALS: (v, [x]) => v === null || v !== x,
  GREATER_THAN: (v, [x]) => v !== null && v > x,
  GREAT_THAN_EQUALS_TO: (v, [x]) => v !== null && v >= x,
  LESS_THAN: (v, [x]) => v !== null && v < x,
  LESS_THAN_EQUALS_TO: (v, [x]) => v !== null && v <= x,
  BETWEEN: (v, [low, high]) => v !== null && v >= low && v <= high,
};

interface FilterCase {
  column: string;
  operator: string;
  values: string[];
}
const filterRows = (rows: Row[], columns: Column[], filters: FilterCase[]) =>
  rows.filter((row) =>
    filters.every(({ column, operator, values }) => {
      const type = columns.find((c) => c.name === column)!.type;
      return PREDICATES[operator](
        comparable(row[column], type),
        values.map((value) => comparable(value, type))
      );
    })
  );

/** NULL first, then ascending; strings by code unit (byte-wise for these values). */
const compareNullsFirst = (a: any, b: any) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/** The calendar day of an instant in a zone, from Intl, and the first day of its bucket. */
const bucketOf = (iso: string | null, bucket: string, timeZone: string | null, isDate = false): string | null => {
  if (iso === null) return null;
  const ymd = isDate
    ? iso
    : new Intl.DateTimeFormat('en-CA', {
        timeZone: timeZone ?? 'UTC',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(new Date(iso));
  const [y, m, d] = ymd.split('-').map(Number);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (bucket === 'day') return ymd;
  if (bucket === 'week') {
    const date = Date.UTC(y, m - 1, d);
    return new Date(date - ((new Date(date).getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
  }
  if (bucket === 'month') return `${y}-${pad(m)}-01`;
  if (bucket === 'quarter') return `${y}-${pad(m - ((m - 1) % 3))}-01`;
  return `${y}-01-01`;
};

const groupRows = <K>(rows: Row[], key: (row: Row) => K) => {
  const groups = new Map<K, Row[]>();
  for (const row of rows) {
    const k = key(row);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(row);
  }
  return groups;
};

const ZONES = [null, 'America/New_York', 'Asia/Kathmandu'];
const BUCKETS = ['day', 'week', 'month', 'quarter', 'year'];

/* ---------------------------------------------------------------- the suite */

/**
 * The query layer on a real snapshot: every operator's rows against the same filter computed in JS over the seeded
 * rows, group-by and aggregates, date buckets in three zones across DST changes, and paging (`rows`, `count`,
 * `stream`). The SQLite and PostgreSQL runs compare with the same JS values, so they agree with each other.
 */
export const selectSuite = (database: Database) =>
  describeOnDatabase(database)(`the query layer on ${database}`, () => {
    let app: TestApp;
    let sales: { model: Row; rows: Row[]; columns: Column[] };
    let typed: { model: Row; rows: Row[]; columns: Column[] };
    const plugin = () => app.strapi.plugin('api-tokens');

    /** parseQuery → snapshots.select, as the report routes do. */
    const select = (on: { model: Row; columns: Column[] }, spec: object, options: object = {}) =>
      plugin()
        .service('snapshots')
        .select(on.model, parseQuery(spec, on.model.columns, options));

    const refreshModel = async (name: string, source: object) => {
      const models = plugin().service('semantic-models');
      const { documentId } = await models.create({ name, source, refresh: { mode: 'manual' } });
      await models.refresh(documentId);
      return models.findRow(documentId);
    };

    beforeAll(async () => {
      app = await startStrapi({ database, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
      plugin().service('sources').register(typedSource);
      await seedSales(app.strapi, SALES);
      await app.strapi.db.query('api::sale.sale').createMany({ data: [...EDGE_SALES, ...NULL_SALES] as any });
      const saleRows = [...demoSales(SALES), ...EDGE_SALES, ...NULL_SALES];
      const salesModel = await refreshModel('Sales', {
        type: 'content-type',
        uid: 'api::sale.sale',
        fields: SALE_FIELDS,
      });
      sales = { model: salesModel, columns: salesModel.columns, rows: servedRows(saleRows, salesModel.columns) };
      const typedModel = await refreshModel('Every type', { type: 'every-type' });
      if (database === 'postgres') {
        // As a database whose default collation is a language's would create them (this one's may be C): sorts,
        // min and max must stay byte-wise, as on SQLite.
        for (const [table, column] of [
          [salesModel.snapshotTable, 'product'],
          [typedModel.snapshotTable, 'label'],
        ]) {
          await app.strapi.db.connection.raw('ALTER TABLE ?? ALTER COLUMN ?? TYPE text COLLATE "en-x-icu"', [
            table,
            column,
          ]);
        }
      }
      const typedRows = Array.from({ length: TYPED_ROWS }, (_, i) => typedRow(i));
      typed = { model: typedModel, columns: TYPED_COLUMNS, rows: servedRows(typedRows, TYPED_COLUMNS) };
    });
    afterAll(async () => {
      await app?.stop();
    });

    it('serves the seeded rows in load order, typed as normalize() gives them', async () => {
      expect(sales.columns.find((c) => c.name === 'region')).toEqual({
        name: 'region',
        type: 'string',
        enum: ['North', 'South', 'East', 'West'],
      });
      expect(await select(sales, {}).rows()).toEqual(sales.rows);
      expect(await select(typed, {}).rows()).toEqual(typed.rows);
      expect(typed.rows.map((row) => row.big)).toContain('9007199254740993'); // past 2^53, every digit kept
    });

    describe('filters: each operator against the same filter in JS', () => {
      const SALE_CASES: FilterCase[][] = [
        [{ column: 'region', operator: 'IN', values: ['North', 'East'] }],
        [{ column: 'region', operator: 'NOT_IN', values: ['North'] }],
        [{ column: 'channel', operator: 'EQUALS', values: ['online'] }],
        [{ column: 'product', operator: 'NOT_EQUALS', values: ['Widget'] }],
        [{ column: 'product', operator: 'IN', values: ['apple', 'Éclair'] }],
        [{ column: 'amount', operator: 'GREATER_THAN', values: ['500'] }],
        [{ column: 'amount', operator: 'GREAT_THAN_EQUALS_TO', values: ['77.25'] }],
        [{ column: 'amount', operator: 'LESS_THAN', values: ['77.25'] }],
        [{ column: 'amount', operator: 'LESS_THAN_EQUALS_TO', values: ['12.5'] }],
        [{ column: 'amount', operator: 'BETWEEN', values: ['100', '200.5'] }],
        [{ column: 'quantity', operator: 'EQUALS', values: ['7'] }],
        [{ column: 'quantity', operator: 'NOT_EQUALS', values: ['7'] }],
        [{ column: 'quantity', operator: 'BETWEEN', values: ['5', '5'] }],
        [{ column: 'soldAt', operator: 'GREATER_THAN', values: ['2026-03-08T07:00:00Z'] }],
        [{ column: 'soldAt', operator: 'GREAT_THAN_EQUALS_TO', values: ['2026-03-08T03:00:00-04:00'] }],
        [{ column: 'soldAt', operator: 'LESS_THAN_EQUALS_TO', values: ['2026-03-08T12:44:59+05:45'] }],
        [{ column: 'soldAt', operator: 'EQUALS', values: ['2026-03-31T18:15:00.000Z'] }],
        [{ column: 'soldAt', operator: 'NOT_IN', values: ['2026-03-31T18:15:00Z', '2026-11-01T05:30:00Z'] }],
        [{ column: 'soldAt', operator: 'BETWEEN', values: ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00+01:00'] }],
        [
          { column: 'region', operator: 'IN', values: ['South', 'West'] },
          { column: 'soldAt', operator: 'BETWEEN', values: ['2026-04-01T00:00:00Z', '2026-06-30T23:59:59Z'] },
          { column: 'quantity', operator: 'GREATER_THAN', values: ['10'] },
        ],
      ];

      it.each(SALE_CASES.map((filters) => [JSON.stringify(filters), filters]))('sales %s', async (_label, filters) => {
        const expected = filterRows(sales.rows, sales.columns, filters);
        expect(expected.length).toBeGreaterThan(0);
        expect(expected.length).toBeLessThan(sales.rows.length);
        expect(await select(sales, { filters }).rows()).toEqual(expected);
      });

      /** Per column and operator, values taken from the data (so the bounds are met exactly). */
      const typedCases = (): FilterCase[] =>
        TYPED_COLUMNS.flatMap(({ name, type, enum: values }) => {
          const distinct = [
            ...new Set(
              typedRowsServed()
                .map((row) => row[name])
                .filter((value) => value !== null)
            ),
          ].sort((a, b) => compareNullsFirst(comparable(a, type), comparable(b, type)));
          const pick = (share: number) => String(distinct[Math.floor(share * (distinct.length - 1))]);
          const [low, mid, high] = [pick(0.25), pick(0.5), pick(0.75)];
          const ordered = !['string', 'boolean'].includes(type);
          const cases: FilterCase[] = [
            { column: name, operator: 'IN', values: [low, high] },
            { column: name, operator: 'NOT_IN', values: [mid] },
            { column: name, operator: 'EQUALS', values: [mid] },
            { column: name, operator: 'NOT_EQUALS', values: [mid] },
          ];
          if (values) cases.push({ column: name, operator: 'IN', values: ['L'] });
          if (!ordered) return cases;
          return [
            ...cases,
            { column: name, operator: 'GREATER_THAN', values: [mid] },
            { column: name, operator: 'GREAT_THAN_EQUALS_TO', values: [mid] },
            { column: name, operator: 'LESS_THAN', values: [mid] },
            { column: name, operator: 'LESS_THAN_EQUALS_TO', values: [mid] },
            { column: name, operator: 'BETWEEN', values: [low, high] },
          ];
        });
      const typedRowsServed = () =>
        servedRows(
          Array.from({ length: TYPED_ROWS }, (_, i) => typedRow(i)),
          TYPED_COLUMNS
        );

      it.each(
        typedCases().map((filter) => [`${filter.column} ${filter.operator} ${filter.values.join(', ')}`, filter])
      )('every type: %s', async (_label, filter) => {
        const expected = filterRows(typed.rows, typed.columns, [filter]);
        expect(expected.length).toBeGreaterThan(0);
        expect(await select(typed, { filters: [filter] }).rows()).toEqual(expected);
      });

      it('a datetime filter with an offset means the same instant', async () => {
        const instant = typed.rows.find((row) => row.at !== null)!.at as string;
        const offset = isoWithOffset(new Date(instant), -300);
        const [a, b] = await Promise.all(
          [instant, offset].map((value) =>
            select(typed, { filters: [{ column: 'at', operator: 'EQUALS', values: [value] }] }).rows()
          )
        );
        expect(a).toHaveLength(1);
        expect(b).toEqual(a);
      });
    });

    describe('sorting', () => {
      it.each([
        [[{ field: 'label' }]],
        [[{ field: 'label', dir: 'desc' }]],
        [[{ field: 'big', dir: 'desc' }]],
        [[{ field: 'at' }]],
        [[{ field: 'flag', dir: 'desc' }, { field: 'count' }]],
        [
          [
            { field: 'day', dir: 'desc' },
            { field: 'ratio', dir: 'asc' },
          ],
        ],
      ])('%j: byte-wise strings, numbers as numbers, NULL smallest, ties in load order', async (sort) => {
        const expected = typed.rows
          .map((row, index) => ({ row, index }))
          .sort((a, b) => {
            for (const { field, dir } of sort as { field: string; dir?: string }[]) {
              const type = TYPED_COLUMNS.find((c) => c.name === field)!.type;
              const order = compareNullsFirst(comparable(a.row[field], type), comparable(b.row[field], type));
              if (order !== 0) return dir === 'desc' ? -order : order;
            }
            return a.index - b.index;
          })
          .map(({ row }) => row);
        expect(await select(typed, { sort }).rows()).toEqual(expected);
      });
    });

    describe('group-by and aggregates, in the database', () => {
      it('sales by region and channel: count, sum, avg, min, max, sorted by the sum', async () => {
        const selection = select(sales, {
          groupBy: ['region', 'channel'],
          aggregates: [
            { fn: 'count', as: 'n' },
            { fn: 'count', field: 'amount', as: 'priced' },
            { fn: 'sum', field: 'amount', as: 'total' },
            { fn: 'sum', field: 'quantity', as: 'items' },
            { fn: 'avg', field: 'quantity', as: 'meanItems' },
            { fn: 'min', field: 'soldAt', as: 'first' },
            { fn: 'max', field: 'product', as: 'lastProduct' },
          ],
          sort: [{ field: 'total', dir: 'desc' }],
        });
        expect(selection.columns).toEqual([
          { name: 'region', type: 'string' },
          { name: 'channel', type: 'string' },
          { name: 'n', type: 'integer' },
          { name: 'priced', type: 'integer' },
          { name: 'total', type: 'float' },
          { name: 'items', type: 'integer' },
          { name: 'meanItems', type: 'float' },
          { name: 'first', type: 'datetime' },
          { name: 'lastProduct', type: 'string' },
        ]);
        const expected = [...groupRows(sales.rows, (row) => `${row.region}|${row.channel}`).values()].map((rows) => {
          const amounts = rows.map((row) => row.amount).filter((amount) => amount !== null);
          return {
            region: rows[0].region,
            channel: rows[0].channel,
            n: rows.length,
            priced: amounts.length,
            total: amounts.length ? amounts.reduce((a, b) => a + b, 0) : null,
            items: rows.reduce((a, row) => a + row.quantity, 0),
            meanItems: rows.reduce((a, row) => a + row.quantity, 0) / rows.length,
            first: rows.map((row) => row.soldAt).sort()[0],
            lastProduct:
              rows
                .map((row) => row.product)
                .filter((p) => p !== null)
                .sort()
                .pop() ?? null,
          };
        });
        // Sorted by total, NULL smallest (last when descending), ties by the group keys.
        expected.sort(
          (a, b) =>
            -compareNullsFirst(
              a.total === null ? null : Math.round(a.total * 100),
              b.total === null ? null : Math.round(b.total * 100)
            ) ||
            compareNullsFirst(a.region, b.region) ||
            compareNullsFirst(a.channel, b.channel)
        );
        const rows = await selection.rows();
        expect(rows.map(({ total, meanItems, ...rest }: Row) => rest)).toEqual(
          expected.map(({ total, meanItems, ...rest }) => rest)
        );
        rows.forEach((row: Row, i: number) => {
          if (expected[i].total === null) expect(row.total).toBeNull();
          else expect(row.total).toBeCloseTo(expected[i].total!, 6);
          expect(row.meanItems).toBeCloseTo(expected[i].meanItems, 9);
        });
        expect(await selection.count()).toBe(expected.length);
      });

      it('every type: exact biginteger sums, min/max of each type, byte-wise string min/max', async () => {
        const rows = await select(typed, {
          groupBy: ['size'],
          aggregates: [
            { fn: 'sum', field: 'big', as: 'bigSum' },
            { fn: 'min', field: 'big', as: 'bigMin' },
            { fn: 'max', field: 'big', as: 'bigMax' },
            { fn: 'sum', field: 'ratio', as: 'ratioSum' },
            { fn: 'sum', field: 'count', as: 'countSum' },
            { fn: 'min', field: 'day', as: 'firstDay' },
            { fn: 'max', field: 'at', as: 'lastAt' },
            { fn: 'min', field: 'label', as: 'firstLabel' },
            { fn: 'max', field: 'label', as: 'lastLabel' },
          ],
        }).rows();
        const present = (rows: Row[], field: string) => rows.map((row) => row[field]).filter((v) => v !== null);
        const expected = [...groupRows(typed.rows, (row) => row.size).entries()]
          .sort(([a], [b]) => compareNullsFirst(a, b))
          .map(([size, group]) => {
            const bigs = present(group, 'big').map((v) => BigInt(v));
            const labels = present(group, 'label').sort();
            return {
              size,
              bigSum: bigs.reduce((a, b) => a + b, 0n).toString(),
              bigMin: bigs.reduce((a, b) => (b < a ? b : a)).toString(),
              bigMax: bigs.reduce((a, b) => (b > a ? b : a)).toString(),
              ratioSum: present(group, 'ratio').reduce((a, b) => a + b, 0),
              countSum: present(group, 'count').reduce((a, b) => a + b, 0),
              firstDay: present(group, 'day').sort()[0],
              lastAt: present(group, 'at').sort().pop(),
              firstLabel: labels[0],
              lastLabel: labels[labels.length - 1],
            };
          });
        expect(rows).toEqual(expected);
        expect(BigInt(rows[1].bigSum)).toBeGreaterThan(2n ** 53n);
      });

      it('aggregates without group-by give one row', async () => {
        const rows = await select(sales, {
          aggregates: [
            { fn: 'count', as: 'n' },
            { fn: 'max', field: 'amount', as: 'top' },
          ],
        }).rows();
        const amounts = sales.rows.map((row) => row.amount).filter((a) => a !== null);
        expect(rows).toEqual([{ n: sales.rows.length, top: Math.max(...amounts) }]);
      });
    });

    describe('date buckets, in UTC and in zones, across DST changes', () => {
      const cases = ZONES.flatMap((zone) => BUCKETS.map((bucket) => [zone ?? 'UTC', bucket, zone] as const));

      it.each(cases)('soldAt by %s %s', async (_label, bucket, zone) => {
        const rows = await select(
          sales,
          {
            groupBy: [{ field: 'soldAt', bucket, as: 'period' }],
            aggregates: [
              { fn: 'count', as: 'n' },
              { fn: 'sum', field: 'quantity', as: 'items' },
            ],
          },
          { timezone: zone }
        ).rows();
        const expected = [...groupRows(sales.rows, (row) => bucketOf(row.soldAt, bucket, zone)).entries()]
          .sort(([a], [b]) => compareNullsFirst(a, b))
          .map(([period, group]) => ({
            period,
            n: group.length,
            items: group.reduce((a, row) => a + row.quantity, 0),
          }));
        expect(rows).toEqual(expected);
      });

      it.each(cases)('every type: at by %s %s, and day (a date: no zone applies)', async (_label, bucket, zone) => {
        const rows = await select(
          typed,
          {
            groupBy: [
              { field: 'at', bucket, as: 'atPeriod' },
              { field: 'day', bucket, as: 'dayPeriod' },
            ],
            aggregates: [{ fn: 'count', as: 'n' }],
          },
          { timezone: zone }
        ).rows();
        const groups = groupRows(typed.rows, (row) =>
          JSON.stringify([bucketOf(row.at, bucket, zone), bucketOf(row.day, bucket, null, true)])
        );
        const expected = [...groups.entries()]
          .map(([key, group]) => {
            const [atPeriod, dayPeriod] = JSON.parse(key);
            return { atPeriod, dayPeriod, n: group.length };
          })
          .sort((a, b) => compareNullsFirst(a.atPeriod, b.atPeriod) || compareNullsFirst(a.dayPeriod, b.dayPeriod));
        expect(rows).toEqual(expected);
      });

      it('the edge instants land where Intl says, in each zone', async () => {
        const filters = [
          { column: 'soldAt', operator: 'IN', values: EDGE_SALES.map((sale) => sale.soldAt.toISOString()) },
        ];
        const periodsOf = async (bucket: string, timezone: string | null) =>
          (
            await select(
              sales,
              {
                filters,
                columns: ['soldAt', 'period'],
                groupBy: ['soldAt', { field: 'soldAt', bucket, as: 'period' }],
              },
              { timezone }
            ).rows()
          ).map((row: Row) => row.period);
        expect(await periodsOf('day', 'America/New_York')).toEqual([
          '2025-12-31',
          '2026-03-07',
          '2026-03-08',
          '2026-03-08',
          '2026-03-08',
          '2026-03-31',
          '2026-03-31',
          '2026-11-01',
          '2026-11-01',
          '2026-11-01',
        ]);
        expect(await periodsOf('quarter', 'Asia/Kathmandu')).toEqual([
          '2026-01-01',
          '2026-01-01',
          '2026-01-01',
          '2026-01-01',
          '2026-01-01',
          '2026-01-01',
          '2026-04-01',
          '2026-10-01',
          '2026-10-01',
          '2026-10-01',
        ]);
        expect((await periodsOf('week', null))[4]).toBe('2026-03-09');
        expect((await periodsOf('week', 'America/New_York'))[4]).toBe('2026-03-02');
      });
    });

    describe('paging: count, rows and stream', () => {
      it('pages within the query’s own offset and limit', async () => {
        const selection = select(sales, {
          columns: ['product', 'amount'],
          sort: [{ field: 'amount', dir: 'desc' }],
          limit: 250,
          offset: 100,
        });
        const all = await selection.rows();
        expect(all).toHaveLength(250);
        expect(await selection.count()).toBe(250);
        const pages = [];
        for (let offset = 0; offset < 300; offset += 100) pages.push(...(await selection.rows({ offset, limit: 100 })));
        expect(pages).toEqual(all);
        expect(await selection.rows({ offset: 200, limit: 100 })).toHaveLength(50);
        expect(await selection.rows({ offset: 250, limit: 10 })).toEqual([]);
        const everything = await select(sales, {
          columns: ['product', 'amount'],
          sort: [{ field: 'amount', dir: 'desc' }],
        }).rows();
        expect(all).toEqual(everything.slice(100, 350));
      });

      it('counts the rows of a query, or its groups, past an offset', async () => {
        const filters = [{ column: 'region', operator: 'IN', values: ['North'] }];
        const north = filterRows(sales.rows, sales.columns, filters as FilterCase[]).length;
        expect(await select(sales, { filters }).count()).toBe(north);
        expect(await select(sales, { filters, offset: north - 3 }).count()).toBe(3);
        expect(await select(sales, { filters, offset: north + 3 }).count()).toBe(0);
        expect(await select(sales, { groupBy: ['region'] }).count()).toBe(5); // four regions and NULL
        expect(await select(sales, { aggregates: [{ fn: 'count', as: 'n' }] }).count()).toBe(1);
      });

      it.each([
        ['ungrouped, unsorted (keyset pages)', {}],
        ['ungrouped, within an offset and limit', { offset: 7, limit: 1000 }],
        ['sorted (offset pages)', { sort: [{ field: 'product' }, { field: 'amount', dir: 'desc' }] }],
        ['grouped', { groupBy: ['product', 'channel'], aggregates: [{ fn: 'count', as: 'n' }] }],
      ])('streams %s page by page, the same rows as rows()', async (_label, spec) => {
        const selection = select(sales, spec);
        const pages: Row[][] = [];
        for await (const page of selection.stream({ pageSize: 128 })) pages.push(page);
        const all = await selection.rows();
        expect(pages.flat()).toEqual(all);
        expect(pages.slice(0, -1).every((page) => page.length === 128)).toBe(true);
        expect(pages.flat()).toHaveLength(await selection.count());
      });
    });

    describe('statements kept per shape', () => {
      it('binds each run its own values: the same shape with other values, other IN lengths, other windows', async () => {
        const cases: FilterCase[][] = [
          [{ column: 'amount', operator: 'GREATER_THAN', values: ['100'] }],
          [{ column: 'amount', operator: 'GREATER_THAN', values: ['400'] }],
          [{ column: 'region', operator: 'IN', values: ['North'] }],
          [{ column: 'region', operator: 'IN', values: ['South'] }],
          [{ column: 'region', operator: 'IN', values: ['South', 'West'] }],
        ];
        for (const filters of cases) {
          for (const window of [{}, { limit: 5 }, { limit: 5, offset: 3 }]) {
            const spec = { filters, sort: [{ field: 'amount', dir: 'desc' }], ...window };
            const expected = (await select(sales, { filters, sort: spec.sort }).rows()).slice(
              (window as { offset?: number }).offset ?? 0
            );
            const selection = select(sales, spec);
            const limit = (window as { limit?: number }).limit;
            expect(await selection.rows()).toEqual(limit ? expected.slice(0, limit) : expected);
            expect(await selection.count()).toBe(limit ? Math.min(limit, expected.length) : expected.length);
          }
          const all = filterRows(sales.rows, sales.columns, filters);
          expect(await select(sales, { filters }).count()).toBe(all.length);
        }
      });
    });

    describe('snapshots', () => {
      it('answers 409 MODEL_NOT_READY for a model without a snapshot', () => {
        const spec = parseQuery({}, sales.columns);
        let error: any;
        try {
          plugin().service('snapshots').select({ snapshotTable: null, columns: null }, spec);
        } catch (thrown) {
          error = thrown;
        }
        expect(error).toMatchObject({ status: 409, name: 'ConflictError', details: { code: 'MODEL_NOT_READY' } });
      });

      it('reads a snapshot built before the row identity, without its order', async () => {
        const knex = app.strapi.db.connection;
        const table = 'api_tokens_snapshot_0_legacy';
        await knex.schema.createTable(table, (t) => {
          t.text('region');
          t.bigInteger('quantity');
        });
        await knex(table).insert([
          { region: 'North', quantity: 2 },
          { region: 'South', quantity: 5 },
          { region: 'North', quantity: 1 },
        ]);
        const columns: Column[] = [
          { name: 'region', type: 'string' },
          { name: 'quantity', type: 'integer' },
        ];
        const model = { snapshotTable: table, columns };
        const pages = [];
        const selection = plugin().service('snapshots').select(model, parseQuery({}, columns));
        for await (const page of selection.stream({ pageSize: 2 })) pages.push(page);
        expect(pages.flat()).toHaveLength(3);
        expect(await selection.count()).toBe(3);
        const grouped = plugin()
          .service('snapshots')
          .select(
            model,
            parseQuery({ groupBy: ['region'], aggregates: [{ fn: 'sum', field: 'quantity', as: 'q' }] }, columns)
          );
        expect(await grouped.rows()).toEqual([
          { region: 'North', q: 3 },
          { region: 'South', q: 5 },
        ]);
        await plugin().service('snapshots').drop(table);
      });

      if (database === 'sqlite') {
        it('registers the bucket function on a connection the pool creates later', async () => {
          const spec = {
            groupBy: [{ field: 'soldAt', bucket: 'year', as: 'year' }],
            aggregates: [{ fn: 'count', as: 'n' }],
          };
          const before = await select(sales, spec).rows();
          const pool = (app.strapi.db.connection.client as any).pool;
          const old = pool.free[0].resource;
          // knex's pool validates a connection on acquire and replaces one marked disposed.
          old.__knex__disposed = 'replaced by the test';
          expect(await select(sales, spec).rows()).toEqual(before);
          const held = [...pool.free, ...pool.used].map((entry: { resource: unknown }) => entry.resource);
          expect(held.length).toBeGreaterThan(0);
          expect(held).not.toContain(old);
        });
      }
    });
  });
