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
 * - control: the hand code again; control / hand is the noise of the machine, printed beside service / hand.
 * - Rounds: BENCH_REPORTS_WARMUP uncounted, then BENCH_REPORTS_ROUNDS; in each, every query runs its passes (query 3
 *   six, the others one) of the three sides, each pass in the next of the six side orders. p50/p95 over the
 *   samples, per query and side, of rows, count and both.
 */
import { loadavg } from 'node:os';
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
/** Multiplies each query's passes per round (query 3 makes 6, the others 1). */
const REPEAT = intEnv('BENCH_REPORTS_REPEAT', 1);
/** Iterations of each query 3 side in the profiled run. */
const PROFILE_PASSES = intEnv('BENCH_REPORTS_PROFILE_PASSES', 2000);
const PROFILE = (process.env.BENCH_PROFILE ?? '').split(',').some((c) => ['1', 'all', 'reports'].includes(c.trim()));
const TARGET_RATIO = 1.2;
/** A page of the report data route (its pageSize is at most 1,000). */
const PAGE = 1000;

type Row = Record<string, unknown>;
/** control: the hand code again, so control / hand is the noise a ratio carries. */
type Side = 'service' | 'hand' | 'control';
const SIDES: Side[] = ['service', 'hand', 'control'];
/** Every order of the three sides: a pass takes the next one, so no side always goes first. */
const ORDERS: Side[][] = SIDES.flatMap((a) =>
  SIDES.filter((b) => b !== a).flatMap((b) => [[a, b, SIDES.find((c) => c !== a && c !== b)!]])
);
interface Case {
  name: string;
  /** Passes of every side per round: a cheap query gets more samples. */
  passes: number;
  spec: QuerySpec;
  /** The rows query and the count query, by hand. */
  hand: (knex: Knex, table: string) => { rows: Knex.QueryBuilder; count: Knex.QueryBuilder };
}

const MARCH = ['2026-03-01T00:00:00Z', '2026-03-31T23:59:59Z'];
const ALL_CASES: Case[] = [
  {
    name: 'group by region: sum(amount), count',
    passes: 1,
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
    passes: 1,
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
    passes: 6,
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

/** BENCH_REPORTS_QUERIES=3 (or 1,3): only these queries, numbered from 1. */
const CASES = (() => {
  const raw = (process.env.BENCH_REPORTS_QUERIES ?? '').trim();
  if (raw === '') return ALL_CASES;
  const picked = raw.split(',').map((n) => ALL_CASES[Number(n) - 1]);
  if (picked.some((entry) => !entry)) throw new Error(`BENCH_REPORTS_QUERIES: 1 to ${ALL_CASES.length}, got "${raw}"`);
  return picked;
})();

const main = async (): Promise<number> => {
  log(
    `rows=${ROWS.toLocaleString('en')} rounds=${ROUNDS} repeat=${REPEAT} warmup=${WARMUP} page=${PAGE} ` +
      `node=${process.version} load=${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`
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
      control: (entry: Case) => run.hand(entry),
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

    /** cpuMs: the process's CPU time over the request (rows and count), which a loaded machine blurs less. */
    type Sample = { rowsMs: number; countMs: number; cpuMs: number };
    const samples = new Map<string, Sample[]>();
    await settle();
    for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
      for (const [index, entry] of CASES.entries()) {
        const passes = entry.passes * REPEAT;
        for (let pass = 0; pass < passes; pass += 1) {
          for (const side of ORDERS[(round * passes + pass) % ORDERS.length]) {
            const cpu = process.cpuUsage();
            const { rowsMs, countMs } = await run[side](entry);
            const { user, system } = process.cpuUsage(cpu);
            if (round < WARMUP) continue;
            const key = `${index}:${side}`;
            if (!samples.has(key)) samples.set(key, []);
            samples.get(key)!.push({ rowsMs, countMs, cpuMs: (user + system) / 1000 });
          }
        }
      }
      if (round === WARMUP - 1) log(`warm-up done (${WARMUP} rounds)`);
    }

    const out: string[] = [''];
    out.push(
      `Results: ${ROUNDS} interleaved rounds on a ${ROWS.toLocaleString('en')}-row snapshot (SQLite); ms per request ` +
        `(rows: the first page of ${PAGE}; count: the pagination total); load average at the end ` +
        `${loadavg()
          .map((n) => n.toFixed(2))
          .join(' ')}`
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
      const p50 = (side: Side, pick: (s: Sample) => number = (s) => s.rowsMs + s.countMs) =>
        stats(samples.get(`${index}:${side}`)!, pick).p50;
      for (const side of SIDES) {
        const list = samples.get(`${index}:${side}`)!;
        const rows = stats(list, (s) => s.rowsMs);
        const count = stats(list, (s) => s.countMs);
        const both = stats(list, (s) => s.rowsMs + s.countMs);
        out.push(
          `${entry.name.padEnd(50)} ${side.padEnd(8)}${pad(fmt(rows.p50, 2), 10)}${pad(fmt(rows.p95, 2), 10)}` +
            `${pad(fmt(count.p50, 2), 11)}${pad(fmt(count.p95, 2), 11)}${pad(fmt(both.p50, 2), 10)}` +
            `${pad(fmt(both.p95, 2), 10)}`
        );
      }
      const ratio = p50('service') / p50('hand');
      const control = p50('control') / p50('hand');
      const rowsRatio = p50('service', (s) => s.rowsMs) / p50('hand', (s) => s.rowsMs);
      const cpu = (side: Side) => p50(side, (s) => s.cpuMs);
      ratios.push(
        `service / hand, ${entry.name}: p50 ${ratio.toFixed(3)}× (control / hand ${control.toFixed(3)}×; ` +
          `rows alone ${rowsRatio.toFixed(3)}×; target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'MET' : 'NOT MET'})`,
        `  CPU time p50 (ms): service ${fmt(cpu('service'), 3)}, hand ${fmt(cpu('hand'), 3)}, control ` +
          `${fmt(cpu('control'), 3)}; service / hand ${(cpu('service') / cpu('hand')).toFixed(3)}×, control / hand ` +
          `${(cpu('control') / cpu('hand')).toFixed(3)}×`
      );
    }
    out.push('', ...ratios);
    process.stdout.write(`${out.join('\n')}\n\n`);

    if (PROFILE) {
      // Query 3 alone: the two heavy queries would drown it. The hand side first, for its share of the same areas.
      const q3 = ALL_CASES[2];
      for (const side of ['hand', 'service'] as Side[]) {
        await settle();
        const profiler = await startProfile(100);
        const start = now();
        for (let i = 0; i < PROFILE_PASSES; i += 1) await run[side](q3);
        const perRequest = ms(start) / PROFILE_PASSES;
        process.stdout.write(
          `Profiled: ${q3.name}, ${side}, ${PROFILE_PASSES} requests (not counted), ${fmt(perRequest, 3)} ms each\n` +
            `${summarizeProfile(await profiler.stop(), 20).join('\n')}\n\n`
        );
      }
    }

    for (const problem of broken) process.stderr.write(`[reports] answers differ: ${problem}\n`);
    return broken.length > 0 ? 1 : 0;
  } finally {
    await teardown(strapi, DB_FILE, log);
  }
};

runCase('reports', main);
