/**
 * Case `reports`: report queries through the query layer against the same queries written by hand in knex, on a
 * 1,000,000-row snapshot (SQLite), interleaved in one run.
 *
 * - The snapshot: demoSales() rows (src/demo/seed.ts, deterministic) written by the snapshots service's own build()
 *   (typed columns, the __row identity, one index per column), then served by a model created through the
 *   semantic-models service, as a refresh would leave it. Building it is not timed.
 * - service: what the report data route runs per request: parseQuery(spec, model columns) → snapshots.select(model,
 *   query) → rows({offset: 0, limit: page}) then count(): rows normalised (ISO datetimes, numbers), the count for
 *   the pagination.
 * - hand: the same two statements written in knex by hand, raw rows as the driver gives them (no normalisation),
 *   with the same filters, grouping, order and limit, so both sides return the same rows (checked before timing).
 * - Rounds: BENCH_REPORTS_WARMUP uncounted, then BENCH_REPORTS_ROUNDS; in each, every query runs on both sides,
 *   the side going first alternating. p50/p95 over the rounds, per query and side, of rows, count and both.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { parseQuery } from '../src/plugins/api-tokens/server/src/query/parse';
import type { QuerySpec } from '../src/plugins/api-tokens/server/src/query/types';
import { boot, DB_FILE, fmt, intEnv, makeLog, ms, now, pad, percentile, runCase, settle, teardown } from './app';
import { startProfile, summarizeProfile } from './profile';
import { buildSnapshot, FIELDS } from './snapshot-fixture';

const log = makeLog('reports');

const ROWS = intEnv('BENCH_REPORTS_ROWS', 1_000_000);
const ROUNDS = intEnv('BENCH_REPORTS_ROUNDS', 20);
const WARMUP = intEnv('BENCH_REPORTS_WARMUP', 2, 0);
/** Back-to-back service/hand pairs of each query per round: more samples of the cheap queries. */
const REPEAT = intEnv('BENCH_REPORTS_REPEAT', 1);
const PROFILE = (process.env.BENCH_PROFILE ?? '').split(',').some((c) => ['1', 'all', 'reports'].includes(c.trim()));
const TARGET_RATIO = 1.2;
/** A page of the report data route (its pageSize is at most 1,000). */
const PAGE = 1000;

type Row = Record<string, unknown>;
type Side = 'service' | 'hand';
interface Case {
  name: string;
  spec: QuerySpec;
  /** The rows query and the count query, by hand. */
  hand: (knex: Knex, table: string) => { rows: Knex.QueryBuilder; count: Knex.QueryBuilder };
}

const MARCH = ['2026-03-01T00:00:00Z', '2026-03-31T23:59:59Z'];
const CASES: Case[] = [
  {
    name: 'group by region: sum(amount), count',
    spec: {
      groupBy: ['region'],
      aggregates: [
        { fn: 'sum', field: 'amount', as: 'total' },
        { fn: 'count', as: 'sales' },
      ],
    },
    hand: (knex, table) => {
      const grouped = () =>
        knex(table).select('region').sum({ total: 'amount' }).count({ sales: '*' }).groupBy('region');
      return {
        rows: grouped().orderBy('region').limit(PAGE),
        count: knex.from(grouped().as('q')).count({ n: '*' }),
      };
    },
  },
  {
    name: 'region IN (North, East) and soldAt BETWEEN March',
    spec: {
      filters: [
        { column: 'region', operator: 'IN', values: ['North', 'East'] },
        { column: 'soldAt', operator: 'BETWEEN', values: MARCH },
      ],
    },
    hand: (knex, table) => {
      const filtered = () =>
        knex(table)
          .whereIn('region', ['North', 'East'])
          .whereBetween('soldAt', [Date.parse(MARCH[0]), Date.parse(MARCH[1])]);
      return {
        rows: filtered().select(FIELDS).orderBy('__row').limit(PAGE),
        count: filtered().count({ n: '*' }),
      };
    },
  },
  {
    name: 'amount > 1500, sorted by amount desc, limit 100',
    spec: {
      filters: [{ column: 'amount', operator: 'GREATER_THAN', values: ['1500'] }],
      sort: [{ field: 'amount', dir: 'desc' }],
      limit: 100,
    },
    hand: (knex, table) => ({
      rows: knex(table).select(FIELDS).where('amount', '>', 1500).orderBy('amount', 'desc').orderBy('__row').limit(100),
      count: knex.from(knex(table).select('__row').where('amount', '>', 1500).limit(100).as('q')).count({ n: '*' }),
    }),
  },
];

const main = async (): Promise<number> => {
  log(
    `rows=${ROWS.toLocaleString('en')} rounds=${ROUNDS} repeat=${REPEAT} warmup=${WARMUP} page=${PAGE} node=${process.version}`
  );
  let strapi: Core.Strapi | undefined;
  try {
    ({ strapi } = await boot({ log, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } }));
    const snapshots = strapi.plugin('api-tokens').service('snapshots');
    const model = await buildSnapshot(strapi, { rows: ROWS, name: 'bench-reports', log });
    const table: string = model.snapshotTable;
    const knex = strapi.db.connection;

    const run = {
      async service(entry: Case) {
        const start = now();
        const selection = snapshots.select(model, parseQuery(entry.spec, model.columns));
        const rows: Row[] = await selection.rows({ offset: 0, limit: PAGE });
        const mid = now();
        const count: number = await selection.count();
        return { rows, count, rowsMs: Number(mid - start) / 1e6, countMs: ms(mid) };
      },
      async hand(entry: Case) {
        const start = now();
        const statements = entry.hand(knex, table);
        const rows: Row[] = await statements.rows;
        const mid = now();
        const [{ n }] = await statements.count;
        return { rows, count: Number(n), rowsMs: Number(mid - start) / 1e6, countMs: ms(mid) };
      },
    };

    // Both sides must answer the same: the hand rows normalised as the service does, and the same count.
    const broken: string[] = [];
    for (const entry of CASES) {
      const service = await run.service(entry);
      const hand = await run.hand(entry);
      const parsed = parseQuery(entry.spec, model.columns);
      const handRows = hand.rows.map((row) => snapshots.normalize(parsed.result, row));
      const same = (a: unknown, b: unknown) =>
        JSON.stringify(a, (_key, value) => (typeof value === 'number' ? Math.round(value * 100) / 100 : value)) ===
        JSON.stringify(b, (_key, value) => (typeof value === 'number' ? Math.round(value * 100) / 100 : value));
      if (service.count !== hand.count || !same(service.rows, handRows)) {
        broken.push(
          `${entry.name}: service ${service.rows.length} rows / count ${service.count}, hand ${hand.rows.length} / ${hand.count}`
        );
      }
      log(`${entry.name}: ${service.rows.length} rows on the first page, count ${service.count}`);
    }

    type Sample = { rowsMs: number; countMs: number };
    const samples = new Map<string, Sample[]>();
    await settle();
    for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
      const order: Side[] = round % 2 === 0 ? ['service', 'hand'] : ['hand', 'service'];
      for (const [index, entry] of CASES.entries()) {
        for (let repeat = 0; repeat < REPEAT; repeat += 1) {
          for (const side of order) {
            const { rowsMs, countMs } = await run[side](entry);
            if (round < WARMUP) continue;
            const key = `${index}:${side}`;
            if (!samples.has(key)) samples.set(key, []);
            samples.get(key)!.push({ rowsMs, countMs });
          }
        }
      }
      if (round === WARMUP - 1) log(`warm-up done (${WARMUP} rounds)`);
    }

    const out: string[] = [''];
    out.push(
      `Results: ${ROUNDS} interleaved rounds on a ${ROWS.toLocaleString('en')}-row snapshot (SQLite); ms per request ` +
        `(rows: the first page of ${PAGE}; count: the pagination total)`
    );
    out.push(
      `${'query'.padEnd(50)} ${'side'.padEnd(8)}${pad('rows p50', 10)}${pad('rows p95', 10)}${pad('count p50', 11)}` +
        `${pad('count p95', 11)}${pad('both p50', 10)}${pad('both p95', 10)}`
    );
    const stats = (list: Sample[], pick: (s: Sample) => number) => {
      const sorted = list.map(pick).sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
    };
    const ratios: string[] = [];
    for (const [index, entry] of CASES.entries()) {
      const both = (side: Side) => stats(samples.get(`${index}:${side}`)!, (s) => s.rowsMs + s.countMs);
      for (const side of ['service', 'hand'] as Side[]) {
        const list = samples.get(`${index}:${side}`)!;
        const rows = stats(list, (s) => s.rowsMs);
        const count = stats(list, (s) => s.countMs);
        out.push(
          `${entry.name.padEnd(50)} ${side.padEnd(8)}${pad(fmt(rows.p50, 2), 10)}${pad(fmt(rows.p95, 2), 10)}` +
            `${pad(fmt(count.p50, 2), 11)}${pad(fmt(count.p95, 2), 11)}${pad(fmt(both(side).p50, 2), 10)}` +
            `${pad(fmt(both(side).p95, 2), 10)}`
        );
      }
      const ratio = both('service').p50 / both('hand').p50;
      const rowsRatio =
        stats(samples.get(`${index}:service`)!, (s) => s.rowsMs).p50 /
        stats(samples.get(`${index}:hand`)!, (s) => s.rowsMs).p50;
      ratios.push(
        `service / hand, ${entry.name}: p50 ${ratio.toFixed(3)}× (rows alone ${rowsRatio.toFixed(3)}×; ` +
          `target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'MET' : 'NOT MET'})`
      );
    }
    out.push('', ...ratios);
    process.stdout.write(`${out.join('\n')}\n\n`);

    if (PROFILE) {
      const profiler = await startProfile(100);
      const start = now();
      for (let i = 0; i < 5; i += 1) for (const entry of CASES) await run.service(entry);
      const seconds = ms(start) / 1000;
      process.stdout.write(
        `Profiled: 5 more service rounds (not counted), ${fmt(seconds, 2)} s\n${summarizeProfile(await profiler.stop(), 15).join('\n')}\n\n`
      );
    }

    for (const problem of broken) process.stderr.write(`[reports] answers differ: ${problem}\n`);
    return broken.length > 0 ? 1 : 0;
  } finally {
    await teardown(strapi, DB_FILE, log);
  }
};

runCase('reports', main);
