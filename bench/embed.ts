/**
 * Bench case `embed` (`npm run bench`, BENCH_CASES=embed): the cost of issuing embed tokens.
 *
 * Boots the app once (bench/app.ts), runs the demo seed (its "Sales by region" card is embeddable), creates an API
 * token with `embed-tokens:create`, adds one comparison route from here, and load-tests, interleaved round by round
 * with autocannon in a child process (bench/load.ts):
 *
 *   ours     POST /v1/cards/embed/auth   the seed's sample request (region IN North, East), API token
 *   no-op    POST /api/bench/no-op       auth:false, no policy; answers a fixed body of the same shape with 201
 *
 * Prints requests/s, p50/p99 and server CPU per request, and ours / no-op against the target (≥ 0.8×).
 *
 * Then the data route on a BENCH_EMBED_ROWS-row snapshot (bench/snapshot-fixture.ts), one card over every column and a
 * token per filter (IN, BETWEEN, GREATER_THAN), interleaved per round:
 *
 *   service  what the data route runs: verify the token, then embedData() (the page of 100 rows and the count)
 *   hand     the same two statements written in knex (the filter, the row order, the limit; a count)
 *   http     POST /embed/cards/:embedId/data with the token as the bearer (the service plus HTTP: reported apart)
 *
 * Target: service p50 ≤ 1.2× hand. Not a test: exits 0 whatever the ratios, 1 when something broke (set-up, a check,
 * a non-2xx during the measurement, answers that differ between the sides).
 * Knobs (environment): see bench/README.md.
 */
import type { AddressInfo } from 'node:net';
import type { Core } from '@strapi/strapi';
import { runDemo } from '../src/demo/seed';
import type { Knex } from 'knex';
import { embedData } from '../src/plugins/api-tokens/server/src/embeds/embed-data';
import {
  boot,
  DB_FILE,
  fmt,
  intEnv,
  makeLog,
  median,
  ms,
  now,
  pad,
  percentile,
  runCase,
  settle,
  teardown,
} from './app';
import { buildSnapshot, FIELDS } from './snapshot-fixture';
import { startLoadGenerator, type LoadGenerator } from './load-client';
import { startProfile, summarizeProfile } from './profile';

const SECONDS = intEnv('BENCH_SECONDS', 4);
const ROUNDS = intEnv('BENCH_ROUNDS', 5);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 10);
const WARMUP_SECONDS = intEnv('BENCH_WARMUP_SECONDS', 2, 0);
const TARGET_RATIO = 0.8;
const DATA_ROWS = intEnv('BENCH_EMBED_ROWS', 1_000_000, 0);
const DATA_ROUNDS = intEnv('BENCH_EMBED_DATA_ROUNDS', 20);
const DATA_WARMUP = intEnv('BENCH_EMBED_DATA_WARMUP', 2, 0);
const DATA_TARGET = 1.2;
/** The viewer's page. */
const PAGE_SIZE = 100;
const MARCH = ['2026-03-01T00:00:00Z', '2026-03-31T23:59:59Z'];

type Row = Record<string, unknown>;
interface DataCase {
  name: string;
  filter: { column: string; operator: string; values: string[] };
  where: (query: Knex.QueryBuilder) => Knex.QueryBuilder;
}
const DATA_CASES: DataCase[] = [
  {
    name: 'region IN (North, East)',
    filter: { column: 'region', operator: 'IN', values: ['North', 'East'] },
    where: (query) => query.whereIn('region', ['North', 'East']),
  },
  {
    name: 'soldAt BETWEEN March',
    filter: { column: 'soldAt', operator: 'BETWEEN', values: MARCH },
    // SQLite snapshots hold datetimes as epoch milliseconds.
    where: (query) => query.whereBetween('soldAt', [Date.parse(MARCH[0]), Date.parse(MARCH[1])]),
  },
  {
    name: 'amount GREATER_THAN 1500',
    filter: { column: 'amount', operator: 'GREATER_THAN', values: ['1500'] },
    where: (query) => query.where('amount', '>', 1500),
  },
];
const PROFILE = (process.env.BENCH_PROFILE ?? '').split(',').some((c) => ['1', 'all', 'embed'].includes(c.trim()));

const log = makeLog('embed');

interface Target {
  name: 'ours' | 'no-op';
  path: string;
  headers: Record<string, string>;
  body: string;
}

interface Totals {
  duration: number;
  ok: number;
  failures: number;
  statuses: Record<string, number>;
  latencies: number[];
  roundRps: number[];
  cpuMicros: number;
}

/** A route that reads the same JSON body and answers the same shape: what any POST costs in Strapi. */
const addNoOpRoute = (strapi: Core.Strapi, answer: { authentication: string; expiration: number }) => {
  strapi.server.routes({
    type: 'content-api',
    prefix: '/bench',
    routes: [
      {
        method: 'POST',
        path: '/no-op',
        handler: (ctx: any) => {
          if (!Array.isArray(ctx.request.body?.authorizations)) ctx.throw(400, 'authorizations missing');
          ctx.status = 201;
          ctx.body = answer;
        },
        config: { auth: false },
      },
    ],
  } as any);
};

/** The data route's three token filters on a large snapshot: service and hand interleaved, HTTP apart. */
const measureData = async (strapi: Core.Strapi, base: string, subject: string): Promise<string[]> => {
  const plugin = strapi.plugin('api-tokens');
  const model = await buildSnapshot(strapi, { rows: DATA_ROWS, name: 'bench-embed', log });
  const report = await plugin.service('reports').create({
    name: 'bench-embed',
    semanticModel: model.documentId,
    query: { columns: FIELDS },
    chart: { type: 'table' },
    embed: { enabled: true },
  });
  const embedId: string = report.embed.embedId;
  const table: string = model.snapshotTable;
  const knex = strapi.db.connection;
  const snapshots = plugin.service('snapshots');
  const embeds = plugin.service('embeds');
  const viewerQuery = { filters: [], inputs: {}, page: 1, pageSize: PAGE_SIZE };
  const tokens = new Map<string, string>();
  for (const entry of DATA_CASES) {
    const body = { authorizations: [{ token: embedId, permissions: ['READ'], filters: [entry.filter] }] };
    tokens.set(entry.name, (await embeds.issue('card', body, { subject, actor: 'bench' })).authentication);
  }

  const sides = {
    async service(entry: DataCase) {
      const start = now();
      const verified = await embeds.verify(tokens.get(entry.name), 'card', embedId);
      const answer = await embedData(verified, viewerQuery);
      const { rows } = answer.data as { rows: Row[] };
      return { ms: ms(start), rows, total: answer.meta.pagination!.total };
    },
    async hand(entry: DataCase) {
      const start = now();
      const rows: Row[] = await entry.where(knex(table).select(FIELDS)).orderBy('__row').limit(PAGE_SIZE);
      const [{ n }] = await entry.where(knex(table)).count({ n: '*' });
      return { ms: ms(start), rows, total: Number(n) };
    },
    async http(entry: DataCase) {
      const start = now();
      const res = await fetch(`${base}/embed/cards/${embedId}/data`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.get(entry.name)}`, 'content-type': 'application/json' },
        body: '{}',
      });
      const answer = (await res.json()) as any;
      if (res.status !== 200)
        throw new Error(`${entry.name}: the data route answered ${res.status} ${JSON.stringify(answer)}`);
      return { ms: ms(start), rows: answer.data.rows as Row[], total: answer.meta.pagination.total as number };
    },
  };
  type SideName = keyof typeof sides;

  // The sides must agree: the hand rows normalised as the service does, the same total, over HTTP too.
  const columns = model.columns.filter((column: { name: string }) => FIELDS.includes(column.name));
  for (const entry of DATA_CASES) {
    const [service, hand, http] = [await sides.service(entry), await sides.hand(entry), await sides.http(entry)];
    const handRows = hand.rows.map((row) => snapshots.normalize(columns, row));
    const same =
      JSON.stringify(service.rows) === JSON.stringify(handRows) &&
      JSON.stringify(http.rows) === JSON.stringify(handRows);
    if (!same || service.total !== hand.total || http.total !== hand.total) {
      throw new Error(
        `${entry.name}: the sides differ (totals service ${service.total}, hand ${hand.total}, http ${http.total})`
      );
    }
    log(`${entry.name}: ${service.rows.length} rows on the first page of ${service.total.toLocaleString('en')}`);
  }

  const samples = new Map<string, number[]>();
  await settle();
  const order: SideName[] = ['service', 'hand', 'http'];
  for (let round = 0; round < DATA_WARMUP + DATA_ROUNDS; round += 1) {
    const rotated = order.map((_, i) => order[(i + round) % order.length]);
    for (const [index, entry] of DATA_CASES.entries()) {
      for (const side of rotated) {
        const { ms: took } = await sides[side](entry);
        if (round < DATA_WARMUP) continue;
        const key = `${index}:${side}`;
        samples.set(key, [...(samples.get(key) ?? []), took]);
      }
    }
  }

  const lines = [
    `Data route: ${DATA_ROUNDS} interleaved rounds on a ${DATA_ROWS.toLocaleString('en')}-row snapshot (SQLite), a page of ${PAGE_SIZE} and the count; ms per request`,
    `${'token filter'.padEnd(28)}${pad('service p50', 13)}${pad('p95', 9)}${pad('hand p50', 10)}${pad('p95', 9)}${pad('http p50', 10)}${pad('p95', 9)}${pad('service/hand', 14)}${pad('HTTP +ms', 10)}`,
  ];
  const verdicts: string[] = [];
  for (const [index, entry] of DATA_CASES.entries()) {
    const stat = (side: SideName) => {
      const sorted = [...samples.get(`${index}:${side}`)!].sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
    };
    const [service, hand, http] = [stat('service'), stat('hand'), stat('http')];
    const ratio = service.p50 / hand.p50;
    lines.push(
      `${entry.name.padEnd(28)}${pad(fmt(service.p50, 2), 13)}${pad(fmt(service.p95, 2), 9)}${pad(fmt(hand.p50, 2), 10)}` +
        `${pad(fmt(hand.p95, 2), 9)}${pad(fmt(http.p50, 2), 10)}${pad(fmt(http.p95, 2), 9)}${pad(`${ratio.toFixed(3)}×`, 14)}` +
        `${pad(fmt(http.p50 - service.p50, 2), 10)}`
    );
    verdicts.push(
      `service / hand, ${entry.name}: p50 ${ratio.toFixed(3)}× (target ≤ ${DATA_TARGET}×: ${ratio <= DATA_TARGET ? 'MET' : 'NOT MET'})`
    );
  }
  return [...lines, '', ...verdicts];
};

const main = async (): Promise<number> => {
  log(
    `rounds=${ROUNDS} seconds=${SECONDS} connections=${CONNECTIONS} warmup=${WARMUP_SECONDS}s node=${process.version}`
  );
  let strapi: Core.Strapi | undefined;
  let loader: LoadGenerator | undefined;
  try {
    ({ strapi } = await boot({
      log,
      env: { API_TOKENS_SCHEDULER_ENABLED: 'false', API_TOKENS_RATE_LIMIT_PER_MINUTE: '1000000000' },
    }));
    await runDemo(strapi);
    const plugin = strapi.plugin('api-tokens');
    const card = (await plugin.service('reports').list()).find((report: any) => report.name === 'Sales by region');
    if (!card?.embed?.embedId) throw new Error('the demo card "Sales by region" is not embeddable');
    const admin = await strapi.db.query('admin::user').findOne({ select: ['id'] });
    const token = await plugin
      .service('tokens')
      .create(
        { name: 'bench-embed', scopes: ['embed-tokens:create'], expiresInDays: 30 },
        { type: 'admin', id: admin.id }
      );

    const body = JSON.stringify({
      sessionLength: 1440,
      authorizations: [
        {
          token: card.embed.embedId,
          permissions: ['READ', 'FILTER', 'EXPORT'],
          filters: [{ column: 'region', operator: 'IN', values: ['North', 'East'] }],
        },
      ],
    });
    const sample = await plugin
      .service('embeds')
      .issue('card', JSON.parse(body), { subject: token.documentId, actor: 'bench' });
    addNoOpRoute(strapi, sample);
    strapi.server.mount();
    const httpServer = strapi.server.httpServer;
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(0, '127.0.0.1', () => resolve());
    });
    const base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    log(`listening on ${base}; card ${card.embed.embedId}`);

    const json = { 'content-type': 'application/json; charset=utf-8' };
    const targets: Target[] = [
      {
        name: 'ours',
        path: '/v1/cards/embed/auth',
        headers: { ...json, authorization: `Bearer ${token.accessKey}` },
        body,
      },
      { name: 'no-op', path: '/api/bench/no-op', headers: json, body },
    ];
    for (const target of targets) {
      const res = await fetch(`${base}${target.path}`, { method: 'POST', headers: target.headers, body });
      const answer = (await res.json()) as { authentication?: string; expiration?: number };
      if (res.status !== 201 || typeof answer.authentication !== 'string' || typeof answer.expiration !== 'number') {
        throw new Error(`check ${target.name}: POST ${target.path} answered ${res.status} ${JSON.stringify(answer)}`);
      }
      log(`check ok: ${target.name} → 201`);
    }

    loader = await startLoadGenerator();
    const round = (target: Target, seconds: number) =>
      loader!.run({
        url: `${base}${target.path}`,
        method: 'POST',
        headers: target.headers,
        body: target.body,
        connections: CONNECTIONS,
        seconds,
      });
    if (WARMUP_SECONDS > 0) {
      for (const target of targets) {
        const result = await round(target, WARMUP_SECONDS);
        if (result.error) throw new Error(`warm-up of ${target.name} failed: ${result.error}`);
      }
      log(`warmed up (${WARMUP_SECONDS} s per route, not counted)`);
    }

    const totals = new Map<Target['name'], Totals>(
      targets.map((t) => [
        t.name,
        { duration: 0, ok: 0, failures: 0, statuses: {}, latencies: [], roundRps: [], cpuMicros: 0 },
      ])
    );
    for (let r = 0; r < ROUNDS; r += 1) {
      const order = r % 2 === 0 ? targets : [...targets].reverse();
      const line: string[] = [];
      for (const target of order) {
        const cpuBefore = process.cpuUsage();
        const result = await round(target, SECONDS);
        const cpu = process.cpuUsage(cpuBefore);
        if (result.error) throw new Error(`round ${r + 1} of ${target.name} failed: ${result.error}`);
        const total = totals.get(target.name)!;
        total.cpuMicros += cpu.user + cpu.system;
        total.duration += result.duration;
        total.ok += result.ok;
        total.failures += result.non2xx + result.errors;
        for (const [status, count] of Object.entries(result.statuses)) {
          total.statuses[status] = (total.statuses[status] ?? 0) + count;
        }
        for (const latency of result.latencies) total.latencies.push(latency);
        total.roundRps.push(result.ok / result.duration);
        line.push(`${target.name} ${fmt(result.ok / result.duration, 0)}/s`);
      }
      log(`round ${r + 1}/${ROUNDS}: ${line.join(', ')}`);
    }

    const out: string[] = [
      '',
      `Results: ${ROUNDS} interleaved rounds × ${SECONDS} s per route, ${CONNECTIONS} connections`,
    ];
    out.push(
      `${'route'.padEnd(8)}${pad('req/s', 9)}${pad('(median round)', 16)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}` +
        `${pad('CPU µs/req', 12)}${pad('2xx', 9)}${pad('failed', 8)}  path`
    );
    const rps = (name: Target['name']) => totals.get(name)!.ok / totals.get(name)!.duration;
    for (const target of targets) {
      const total = totals.get(target.name)!;
      const sorted = total.latencies.sort((a, b) => a - b);
      out.push(
        `${target.name.padEnd(8)}${pad(fmt(rps(target.name), 0), 9)}${pad(fmt(median(total.roundRps), 0), 16)}` +
          `${pad(fmt(percentile(sorted, 50), 2), 9)}${pad(fmt(percentile(sorted, 99), 2), 9)}` +
          `${pad(fmt(total.cpuMicros / Math.max(1, total.ok + total.failures), 0), 12)}${pad(String(total.ok), 9)}` +
          `${pad(String(total.failures), 8)}  ${target.path}`
      );
    }
    const ratio = rps('ours') / rps('no-op');
    const perRound = totals.get('ours')!.roundRps.map((value, i) => value / totals.get('no-op')!.roundRps[i]);
    out.push(
      '',
      `embed auth / no-op: ${ratio.toFixed(3)}× req/s (target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? 'MET' : 'NOT MET'}; ` +
        `per round ${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)})`
    );
    if (DATA_ROWS > 0) out.push('', ...(await measureData(strapi, base, token.documentId)));
    if (PROFILE) {
      const profiler = await startProfile(100);
      const result = await round(targets[0], SECONDS);
      const lines = summarizeProfile(await profiler.stop(), 25, [
        'issue',
        'checkAuthRequest',
        'resolve',
        'authenticate',
      ]);
      out.push('', `Profiled: one more ${SECONDS} s round of ours (${result.ok} requests, not counted)`, ...lines);
    }
    process.stdout.write(`${out.join('\n')}\n\n`);

    const broken = targets.filter((t) => totals.get(t.name)!.failures > 0 || totals.get(t.name)!.ok === 0);
    for (const t of broken) {
      process.stderr.write(
        `[embed] ${t.name}: ${JSON.stringify(totals.get(t.name)!.statuses)} failures during the measurement\n`
      );
    }
    return broken.length > 0 ? 1 : 0;
  } finally {
    await loader?.stop().catch(() => {});
    await teardown(strapi, DB_FILE, log);
  }
};

runCase('embed', main);
