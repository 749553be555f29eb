/**
 * Bench case `scheduler`: the job scheduler holding BENCH_SCHEDULES (alias BENCH_SCHEDULER_MODELS; 10,000) scheduled
 * semantic models, on SQLite or (BENCH_DATABASE=postgres) a fresh PostgreSQL database.
 * Idle RSS over the app's baseline, and tick claim latency.
 *
 * - Boots with API_TOKENS_SCHEDULER_ENABLED=false (no node-schedule tick): the bench calls `scheduler.tick(now)` with
 *   simulated clock values itself.
 * - Nothing executes: the runs worker is stopped (`service('runs').stop()`) before the models exist, so the claims'
 *   kick and the tick's `dispatch()` start nothing. A tick still does all of its scheduling work: read the due schedule
 *   rows and claim them (SQLite: the on-time ones in one `INSERT … SELECT` from the schedule rows,
 *   `runs.claimOnTime()`; the rest planned row by row and inserted by `runs.claimScheduled()`, each INSERT skipping
 *   occurrences already claimed through the unique occurrenceKey/activeKey), move the rows on, recover expired leases,
 *   purge, checkpoint the WAL. Between ticks, outside the timing, the bench marks the queued runs succeeded, as if the
 *   worker had run them instantly, so each target's next occurrence can be claimed (a still-active run would keep it).
 * - The models are inserted with raw knex multi-row INSERTs (500 per statement, one transaction), createdAt = T0 (a Monday
 *   08:00 UTC), with a deterministic mix of crons (hourly, every 5/10/15/30 min, every 6 h, daily, weekdays) and six
 *   IANA zones (two with DST, one at +05:30). They bypass the model service, so the first tick's reconcile creates
 *   their schedule rows (the upgrade path); that warm-up tick is timed and reported on its own.
 * - Memory: RSS after boot (forced GC, settled) is the baseline; idle RSS is measured the same way after the models
 *   exist and BENCH_SCHEDULER_WARMUP_TICKS ticks ran, and again after the measured ticks.
 * - Latency: BENCH_SCHEDULER_TICKS ticks at consecutive minute boundaries T0 + 1 min, … . Reported: tick duration
 *   p50/p99/max, and the claim delay of every claimed occurrence (tick start → the INSERT that queued its run
 *   returned, i.e. how late after the tick fired an occurrence is claimed; this is what "tick claim latency" means
 *   here) and the claiming calls themselves p50/p99.
 * - Then BENCH_SCHEDULER_PROFILE_TICKS extra ticks (not counted) with every step timed and a CPU profile, to show
 *   where a tick's time goes.
 */
import type { Core } from '@strapi/strapi';
import { randomBytes } from 'node:crypto';
import {
  boot,
  DATABASE,
  DATABASE_LABEL,
  DB_FILE,
  fmt,
  hasGc,
  intEnv,
  makeLog,
  mb,
  ms,
  now,
  percentile,
  rss,
  runCase,
  settle,
  sleep,
  startRssSampler,
  teardown,
} from './app';
import { startProfile, summarizeProfile } from './profile';

const log = makeLog('scheduler');
const signedMb = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${fmt(Math.abs(mb(bytes)))} MB`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const MODELS = intEnv('BENCH_SCHEDULES', intEnv('BENCH_SCHEDULER_MODELS', 10_000));
const WARMUP_TICKS = intEnv('BENCH_SCHEDULER_WARMUP_TICKS', 1, 0);
// Two simulated hours: every cron of the mix fires at least once, and the */30 … */5 crons pile up on the hour.
const TICKS = intEnv('BENCH_SCHEDULER_TICKS', 120);
const PROFILE_TICKS = intEnv('BENCH_SCHEDULER_PROFILE_TICKS', 60, 0);
const TARGETS = { rssMb: 100, p99Ms: 50 };

const MODEL_UID = 'plugin::api-tokens.semantic-model';
const RUNS_TABLE = 'api_tokens_job_runs';
const SCHEDULES_TABLE = 'api_tokens_job_schedules';
const MINUTE = 60_000;
/** Monday 2026-03-02 08:00 UTC: away from the DST changes of the zones below. */
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'America/Los_Angeles'];

/**
 * Deterministic cron per model: 40 % hourly, 10 % every 5/10/15/30 min, 10 % every 6 h, 30 % daily, 10 % weekdays;
 * minutes spread evenly over the hour, hours over the day.
 */
const cronOf = (i: number) => {
  const m = Math.floor(i / 10) % 60;
  const h = Math.floor(i / 600) % 24;
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return `${m} * * * *`;
    case 4:
      return `*/${[5, 10, 15, 30][Math.floor(i / 10) % 4]} * * * *`;
    case 5:
      return `${m} */6 * * *`;
    case 9:
      return `${m} ${h} * * 1-5`;
    default:
      return `${m} ${h} * * *`;
  }
};

/** Records the duration of every call of `target[name]` (sync or async) into `into`; returns the undo. */
const timeCalls = (target: Record<string, any>, name: string, into: number[]) => {
  const original = target[name];
  target[name] = (...args: unknown[]) => {
    const begin = now();
    const result = original.apply(target, args);
    if (result instanceof Promise) return result.finally(() => into.push(ms(begin)));
    into.push(ms(begin));
    return result;
  };
  return () => {
    target[name] = original;
  };
};

/** Median RSS over a few samples after forced GCs. */
const idleRss = async () => {
  await settle(600);
  const samples: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    samples.push(rss());
    await sleep(100);
  }
  return percentile(
    samples.sort((a, b) => a - b),
    50
  );
};

const main = async (): Promise<number> => {
  log(
    `models=${MODELS.toLocaleString('en')} warmup-ticks=${WARMUP_TICKS} ticks=${TICKS} profile-ticks=${PROFILE_TICKS} ` +
      `gc=${hasGc ? 'forced' : 'not exposed (run node with --expose-gc)'} node=${process.version}`
  );
  let strapi: Core.Strapi | undefined;
  let sampler: Awaited<ReturnType<typeof startRssSampler>> | undefined;
  try {
    sampler = await startRssSampler(50); // before the baseline, so its thread is in it
    ({ strapi } = await boot({ log, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } }));
    const plugin = strapi.plugin('api-tokens');
    const scheduler = plugin.service('scheduler');
    const runs = plugin.service('runs');
    const knex = strapi.db.connection;
    if (scheduler.isRunning())
      throw new Error('the scheduler tick is running although API_TOKENS_SCHEDULER_ENABLED=false');

    // Warnings during ticks ("could not schedule …") mean the bench measured failures, not claims.
    const warnings: string[] = [];
    const warn = strapi.log.warn.bind(strapi.log);
    (strapi.log as any).warn = (message: unknown, ...rest: unknown[]) => {
      warnings.push(String(message));
      return warn(message as any, ...(rest as any[]));
    };

    const baseline = await idleRss();
    const baselineHeap = process.memoryUsage().heapUsed;
    log(`baseline after boot: RSS ${fmt(mb(baseline))} MB, heap ${fmt(mb(baselineHeap))} MB`);

    await runs.stop(); // see the header: nothing is executed, a tick only claims

    let start = now();
    const stamp = new Date(T0);
    // Raw multi-row INSERTs in one transaction: the query layer's createMany costs ≈ 130 µs per model.
    const modelMeta = strapi.db.metadata.get(MODEL_UID);
    const modelColumn = (attribute: string) => (modelMeta.attributes[attribute] as any).columnName ?? attribute;
    const source = JSON.stringify({ type: 'content-type', uid: 'api::sale.sale', fields: ['region', 'amount'] });
    const idPrefix = randomBytes(4).toString('hex');
    await knex.transaction(async (trx) => {
      for (let i = 0; i < MODELS; i += 500) {
        const data = [];
        for (let j = i; j < Math.min(i + 500, MODELS); j += 1) {
          const row: Record<string, unknown> = {
            documentId: `bench${idPrefix}${j.toString(36).padStart(15, '0')}`,
            name: `bench-scheduled-${j}`,
            nameKey: `bench-scheduled-${j}`,
            source,
            refresh: JSON.stringify({
              mode: 'scheduled',
              cron: cronOf(j),
              timezone: ZONES[Math.floor(j / 7) % ZONES.length],
            }),
            status: 'empty',
            rowCount: 0,
            createdAt: stamp,
            updatedAt: stamp,
          };
          data.push(Object.fromEntries(Object.entries(row).map(([key, value]) => [modelColumn(key), value])));
        }
        await trx(modelMeta.tableName).insert(data);
      }
    });
    const created = await strapi.db.query(MODEL_UID).count();
    if (created !== MODELS) throw new Error(`created ${created} models, expected ${MODELS}`);
    log(`created ${MODELS.toLocaleString('en')} scheduled models in ${fmt(ms(start) / 1000, 2)} s`);

    /** Untimed: the worker would have run what the tick queued; mark it finished so the next occurrence is free. */
    const finishQueued = async () => {
      const at = new Date();
      return knex(RUNS_TABLE)
        .where({ status: 'queued' })
        .update({ status: 'succeeded', active_key: null, started_at: at, finished_at: at, lease_owner: null });
    };

    // Per-claim timing: claimOnTime() (SQLite: the on-time occurrences in one INSERT … SELECT) and claimScheduled()
    // (a batch of occurrences planned in JavaScript) are the claims. A wrapper costs ~1 µs per call.
    let tickStart = now();
    let claimDelays: number[] = [];
    let claimTimes: number[] = [];
    const record = (begin: bigint, claimedRuns: unknown[]) => {
      const end = now();
      if (claimedRuns.length > 0) claimTimes.push(Number(end - begin) / 1e6);
      for (let i = 0; i < claimedRuns.length; i += 1) claimDelays.push(Number(end - tickStart) / 1e6);
    };
    const { claimOnTime, claimScheduled } = runs;
    runs.claimOnTime = async (...args: unknown[]) => {
      const begin = now();
      const result = await claimOnTime.apply(runs, args);
      record(begin, result ?? []);
      return result;
    };
    runs.claimScheduled = async (...args: unknown[]) => {
      const begin = now();
      const result = await claimScheduled.apply(runs, args);
      record(begin, result.queued);
      return result;
    };

    let minute = 0;
    const tickAt = async () => {
      minute += 1;
      tickStart = now();
      const result = await scheduler.tick(new Date(T0 + minute * MINUTE));
      const duration = ms(tickStart);
      const finished = await finishQueued();
      if (finished !== result.queued.length) {
        throw new Error(`tick at +${minute} min queued ${result.queued.length} runs but ${finished} were queued`);
      }
      return { minute, duration, queued: result.queued.length, recovered: result.recovered };
    };

    start = now();
    for (let i = 0; i < WARMUP_TICKS; i += 1) {
      const t = await tickAt();
      log(`warm-up tick +${t.minute} min: ${fmt(t.duration, 0)} ms, ${t.queued} claimed`);
    }
    const idle = await idleRss();
    const idleHeap = process.memoryUsage().heapUsed;
    log(
      `idle with ${MODELS.toLocaleString('en')} models after ${plural(WARMUP_TICKS, 'tick')}: RSS ${fmt(mb(idle))} MB ` +
        `(${signedMb(idle - baseline)}), heap ${fmt(mb(idleHeap))} MB`
    );

    claimDelays = [];
    claimTimes = [];
    const ticks: Awaited<ReturnType<typeof tickAt>>[] = [];
    sampler.begin();
    for (let i = 0; i < TICKS; i += 1) {
      const t = await tickAt();
      ticks.push(t);
      if (i % 20 === 19 || i === TICKS - 1) {
        log(
          `tick ${i + 1}/${TICKS} (+${t.minute} min): ` +
            ticks
              .slice(-5)
              .map((x) => `${fmt(x.duration, 0)} ms/${x.queued}`)
              .join(', ') +
            ' (duration/claimed)'
        );
      }
    }
    const duringTicks = await sampler.end();
    // Copies: the profile ticks below record into fresh arrays.
    const measuredDelays = [...claimDelays];
    const measuredClaims = [...claimTimes];
    const idleAfter = await idleRss();
    const runRows = Number((await knex(RUNS_TABLE).count({ n: '*' }))[0].n);

    // Profile ticks: every step timed, plus a CPU profile.
    const profileLines: string[] = [];
    if (PROFILE_TICKS > 0) {
      const schedules = plugin.service('schedules');
      const steps: Record<'due' | 'plan' | 'advance', number[]> = { due: [], plan: [], advance: [] };
      const restore = (['due', 'plan', 'advance'] as const).map((name) => timeCalls(schedules, name, steps[name]));
      claimTimes = [];
      claimDelays = [];
      const durations: number[] = [];
      const claimed: number[] = [];
      const profiler = await startProfile();
      for (let i = 0; i < PROFILE_TICKS; i += 1) {
        const t = await tickAt();
        durations.push(t.duration);
        claimed.push(t.queued);
      }
      const profile = await profiler.stop();
      for (const undo of restore) undo();
      const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
      const per = (values: number[]) => sum(values) / PROFILE_TICKS;
      const tickMs = per(durations);
      const rest = tickMs - per(steps.due) - per(steps.plan) - per(claimTimes) - per(steps.advance);
      const share = (value: number) => `${((100 * value) / tickMs).toFixed(0).padStart(3)}%`;
      const line = (value: number, what: string) => `  ${share(value)}  ${fmt(value, 1).padStart(7)} ms  ${what}`;
      profileLines.push(
        `Where a tick's time goes (${plural(PROFILE_TICKS, 'extra tick')} with every step timed and the CPU profiler on, ` +
          `${fmt(tickMs, 1)} ms and ${fmt(per(claimed), 0)} claims per tick, ${runRows.toLocaleString('en')}+ run rows):`,
        line(per(steps.due), `schedules.due(): ${fmt(steps.due.length / PROFILE_TICKS, 1)} indexed queries per tick`),
        line(per(steps.plan), `schedules.plan(): ${fmt(steps.plan.length / PROFILE_TICKS, 0)} due rows per tick`),
        line(
          per(claimTimes),
          `runs.claimOnTime() + claimScheduled(): ${fmt(claimTimes.length / PROFILE_TICKS, 1)} claiming calls per tick`
        ),
        line(per(steps.advance), 'schedules.advance(): the next occurrences and their conditional UPDATEs'),
        line(rest, 'the rest: lease recovery, purge, dispatch, the loop'),
        ...summarizeProfile(profile, 15, ['plan', 'advance', 'nextOccurrence', 'latestOccurrence', 'scan'])
      );
      // How the database finds the due rows (the first batch's WHERE / ORDER BY / LIMIT, written with knex).
      const dueQuery = knex(SCHEDULES_TABLE)
        .select('*')
        .where({ kind: 'refresh' })
        .where('next_run_at', '<=', new Date(T0 + minute * MINUTE))
        .orderBy([{ column: 'next_run_at' }, { column: 'id' }])
        .limit(500)
        .toString();
      const plan: string[] =
        DATABASE === 'sqlite'
          ? ((await knex.raw(`EXPLAIN QUERY PLAN ${dueQuery}`).catch(() => [])) as { detail: string }[]).map(
              (row) => row.detail
            )
          : ((await knex.raw(`EXPLAIN ${dueQuery}`).catch(() => ({ rows: [] }))).rows as Record<string, string>[]).map(
              (row) => row['QUERY PLAN'].trim()
            );
      profileLines.push(`query plan of the due rows' query: ${plan.join('; ')}`);
    }
    Object.assign(runs, { claimOnTime, claimScheduled });

    // Report.
    const durations = ticks.map((t) => t.duration).sort((a, b) => a - b);
    const delays = [...measuredDelays].sort((a, b) => a - b);
    const claims = [...measuredClaims].sort((a, b) => a - b);
    const queued = ticks.map((t) => t.queued);
    const p99Tick = percentile(durations, 99);
    const p99Delay = percentile(delays, 99);
    const out: string[] = [''];
    out.push(
      `Results: ${MODELS.toLocaleString('en')} scheduled models, ${DATABASE_LABEL}, ${TICKS} ticks at minute boundaries ` +
        `(claimed per tick: min ${Math.min(...queued)}, median ${percentile(
          [...queued].sort((a, b) => a - b),
          50
        )}, max ${Math.max(...queued)}; ${delays.length.toLocaleString('en')} claims)`
    );
    out.push(
      `idle RSS: baseline ${fmt(mb(baseline))} MB after boot → ${fmt(mb(idle))} MB with the models after ` +
        `${plural(WARMUP_TICKS, 'tick')}: ${signedMb(idle - baseline)} (target < ${TARGETS.rssMb} MB: ` +
        `${mb(idle - baseline) < TARGETS.rssMb ? 'MET' : 'NOT MET'}); after the ${plural(TICKS, 'measured tick')} ` +
        `${signedMb(idleAfter - baseline)} (${runRows.toLocaleString('en')} run rows); ` +
        `peak during the ticks (not idle) ${signedMb(duringTicks.peak - baseline)}`
    );
    out.push(
      `tick duration     p50 ${fmt(percentile(durations, 50), 1)} ms  p99 ${fmt(p99Tick, 1)} ms  ` +
        `max ${fmt(durations[durations.length - 1], 1)} ms`
    );
    out.push(
      `tick claim latency (tick start → occurrence claimed)  p50 ${fmt(percentile(delays, 50), 1)} ms  ` +
        `p99 ${fmt(p99Delay, 1)} ms  (target p99 < ${TARGETS.p99Ms} ms: ${p99Delay < TARGETS.p99Ms ? 'MET' : 'NOT MET'})`
    );
    out.push(
      `claim call (runs.claimOnTime / claimScheduled, one INSERT each)  p50 ${fmt(percentile(claims, 50), 2)} ms  ` +
        `p99 ${fmt(percentile(claims, 99), 2)} ms`
    );
    if (profileLines.length) out.push('', ...profileLines);
    process.stdout.write(`${out.join('\n')}\n\n`);

    const problems: string[] = [];
    if (delays.length === 0) problems.push('no occurrence was claimed during the measured ticks');
    if (warnings.length) problems.push(`${warnings.length} warnings during the ticks, first: ${warnings[0]}`);
    for (const problem of problems) process.stderr.write(`[scheduler] ${problem}\n`);
    return problems.length ? 1 : 0;
  } finally {
    await sampler?.stop();
    await teardown(strapi, DB_FILE, log);
  }
};

runCase('scheduler', main);
