/**
 * Case `subscriptions`: a subscription run from the API trigger to the mail accepted by an SMTP server, against the
 * raw cost of the same work written by hand, interleaved in one run; then peak RSS while rendering large reports.
 *
 * - Sink: a loopback SMTP server in its own process (bench/smtp-sink.ts) that counts the bytes of DATA and stamps the
 *   end of DATA with the machine's monotonic clock. Every measured mail, ours or raw, goes to it.
 * - plugin: `POST /api/api-tokens/subscriptions/:id/runs` with a bearer token holding `subscriptions:execute` (the app
 *   listening on loopback, scheduler off) → the run queued, claimed by this instance's worker, the report read in
 *   pages, rendered to a file, sent through Strapi's email plugin (nodemailer provider) → the sink's end of DATA.
 * - raw: the report's query in knex by hand (all rows at once), the same serialisation by hand (csv-stringify to a file
 *   with a BOM; exceljs' WorkbookWriter to a file), the file sent with a plain nodemailer transport → the sink's end
 *   of DATA (bench/subscriptions-raw.ts). Checked before timing to produce the file the plugin produces.
 * - raw′: the raw side again, measured as a third side: raw′ / raw is the noise of the comparison.
 * - Rounds: BENCH_SUBSCRIPTIONS_WARMUP uncounted, then BENCH_SUBSCRIPTIONS_ROUNDS; in each, for each format, the
 *   three sides in an order that rotates from round to round, one at a time, a full GC before each.
 * - Memory: for each row count in BENCH_SUBSCRIPTIONS_MEMORY_ROWS and each format, one run in a fresh process
 *   (bench/subscriptions-memory.ts): peak RSS during the run over idle RSS before it.
 */
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { compileStrapi } from '@strapi/strapi';
import ExcelJS from 'exceljs';
import { render } from '../src/plugins/api-tokens/server/src/subscriptions/render';
import { prepareTarget, selectTarget } from '../src/plugins/api-tokens/server/src/subscriptions/targets';
import {
  APP_DIR,
  boot,
  collect,
  DB_FILE,
  fmt,
  intEnv,
  makeLog,
  mb,
  ms,
  now,
  pad,
  percentile,
  runCase,
  sleep,
  teardown,
} from './app';
import { startProfile, summarizeProfile } from './profile';
import type { MemoryResult } from './subscriptions-memory';
import {
  createFixture,
  listen,
  recipientOf,
  startSink,
  trigger,
  type Fixture,
  type Format,
  type Sink,
} from './subscriptions-fixture';
import { rawCsv, rawQuery, rawSend, rawTransport, rawXlsx } from './subscriptions-raw';

const log = makeLog('subscriptions');

const ROWS = intEnv('BENCH_SUBSCRIPTIONS_ROWS', 10_000);
/** 0: the memory part alone. */
const ROUNDS = intEnv('BENCH_SUBSCRIPTIONS_ROUNDS', 20, 0);
const WARMUP = intEnv('BENCH_SUBSCRIPTIONS_WARMUP', 2, 0);
const SAMPLE_MS = intEnv('BENCH_SUBSCRIPTIONS_SAMPLE_MS', 20);
/** Diagnosis only: a forced full GC every this many ms during each memory run (0: none, the measure). */
const FORCED_GC_MS = intEnv('BENCH_SUBSCRIPTIONS_FORCED_GC_MS', 0, 0);
const MEMORY_ROWS = (process.env.BENCH_SUBSCRIPTIONS_MEMORY_ROWS ?? '50000,100000,200000')
  .split(',')
  .map((value) => value.trim().replace(/_/g, ''))
  .filter((value) => value !== '' && value !== '0')
  .map((value) => {
    const rows = Number(value);
    if (!Number.isInteger(rows) || rows < 1)
      throw new Error(`BENCH_SUBSCRIPTIONS_MEMORY_ROWS: bad row count "${value}"`);
    return rows;
  });
const PROFILE = (process.env.BENCH_PROFILE ?? '')
  .split(',')
  .some((c) => ['1', 'all', 'subscriptions'].includes(c.trim()));
const PROFILE_RUNS = 5;

const TARGET_RATIO = 1.5;
const TARGET_GROWTH_MB = 150;
const FORMATS: Format[] = ['csv', 'xlsx'];
const SIDES = ['plugin', 'raw', 'raw′'] as const;
type Side = (typeof SIDES)[number];
const LABEL = 'timing';

interface Sample {
  /** Trigger (or start) → the sink's end of DATA. */
  total: number;
  /** plugin: the trigger's 202 answer; raw: the query. */
  first: number;
  /** plugin: the run claimed by the worker (its startedAt, millisecond clock). */
  claimed: number;
  /** raw: the file written (after the query). */
  serialise: number;
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), min: sorted[0], max: sorted[sorted.length - 1] };
};

/** The plugin's file for a format, rendered in-process by the plugin's own render() (the job's path without mail). */
const pluginFile = async (fixture: Fixture, format: Format, directory: string) => {
  const target = await prepareTarget({ type: 'report', id: fixture.reportId });
  const selection = await selectTarget(target, {});
  const rendered = await render(format, {
    title: target.name,
    targetType: 'report',
    sections: selection.sections,
    directory: await mkdtemp(path.join(directory, 'plugin-')),
    htmlRowLimit: 50,
  });
  return rendered.attachment!.path;
};

const xlsxValues = async (file: string) => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  const values: string[] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => values.push(JSON.stringify((row.values as unknown[]).slice(1))));
  return values;
};

const main = async (): Promise<number> => {
  log(
    `rows=${ROWS.toLocaleString('en')} rounds=${ROUNDS} warmup=${WARMUP} memory rows=${MEMORY_ROWS.join(',') || 'skipped'} ` +
      `sample=${SAMPLE_MS} ms node=${process.version}`
  );
  if (!process.env.BENCH_DIST_DIR) {
    // Run alone: compile once here, for this process and the memory processes.
    const start = now();
    process.env.BENCH_DIST_DIR = (await compileStrapi({ appDir: APP_DIR })).distDir;
    log(`compiled in ${fmt(ms(start) / 1000)} s`);
  }
  const problems: string[] = [];
  let strapi: Core.Strapi | undefined;
  let sink: Sink | undefined;
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-subscriptions-'));
  try {
    sink = await startSink();
    log(`SMTP sink on 127.0.0.1:${sink.port} (its own process)`);
    const timing =
      ROUNDS > 0
        ? await measureTiming(sink, scratch, problems, (s) => {
            strapi = s;
          })
        : [];
    await teardown(strapi, DB_FILE, log);
    strapi = undefined;

    const memory = MEMORY_ROWS.length > 0 ? await measureMemory(sink, problems) : [];
    process.stdout.write(`${[...timing, ...memory].join('\n')}\n\n`);
  } finally {
    await teardown(strapi, DB_FILE, log);
    await sink?.stop();
    await rm(scratch, { recursive: true, force: true });
  }
  for (const problem of problems) process.stderr.write(`[subscriptions] ${problem}\n`);
  return problems.length > 0 ? 1 : 0;
};

/** Part 1: trigger → mail accepted, plugin vs raw vs raw′, interleaved. Returns the report's lines. */
const measureTiming = async (
  sink: Sink,
  scratch: string,
  problems: string[],
  booted: (strapi: Core.Strapi) => void
): Promise<string[]> => {
  const { strapi } = await boot({ log, env: { API_TOKENS_SCHEDULER_ENABLED: 'false', ...sink.env } });
  booted(strapi);
  let start = now();
  const fixture = await createFixture(strapi, { rows: ROWS, formats: FORMATS, label: LABEL });
  log(`snapshot of ${ROWS.toLocaleString('en')} rows, report, subscriptions, token: ${fmt(ms(start) / 1000)} s`);
  const base = await listen(strapi);
  const runs = strapi.plugin('api-tokens').service('runs');
  const knex = strapi.db.connection;
  const transport = rawTransport(sink.port);
  let sequence = 0;

  const run = {
    async plugin(format: Format): Promise<Sample> {
      const to = recipientOf(`${LABEL}-${format}`);
      const wall = Date.now();
      const t0 = now();
      const runId = await trigger(base, fixture.subscriptions[format], fixture.token);
      const accepted = ms(t0);
      const mail = await sink.next(to);
      const total = Number(BigInt(mail.at) - t0) / 1e6;
      const done = await runs.waitFor(runId, 120_000);
      if (done.status !== 'succeeded' || done.stats?.rows !== ROWS || done.stats?.sent !== 1) {
        throw new Error(
          `plugin ${format} run ${runId}: ${done.status} ${JSON.stringify(done.stats)} ${done.error ?? ''}`
        );
      }
      return { total, first: accepted, claimed: Date.parse(done.startedAt ?? '') - wall, serialise: NaN };
    },
    async raw(format: Format, side: Side = 'raw'): Promise<Sample> {
      const to = recipientOf(`${side === 'raw' ? 'raw' : 'raw2'}-${format}`);
      const filename = `${fixture.reportName}.${format}`;
      const file = path.join(scratch, `${(sequence += 1)}-${filename}`);
      const t0 = now();
      const rows = await rawQuery(knex, fixture.table);
      const queried = ms(t0);
      if (format === 'csv') await rawCsv(rows, file);
      else await rawXlsx(rows, file, fixture.reportName);
      const written = ms(t0);
      const sent = rawSend(transport, { to, subject: `${fixture.reportName} (${format})`, file, filename, format });
      const mail = await sink.next(to);
      const total = Number(BigInt(mail.at) - t0) / 1e6;
      await sent;
      await rm(file, { force: true });
      if (rows.length !== ROWS) throw new Error(`raw ${format}: ${rows.length} rows`);
      return { total, first: queried, claimed: NaN, serialise: written - queried };
    },
  };
  const measure = (side: Side, format: Format) => (side === 'plugin' ? run.plugin(format) : run.raw(format, side));

  // Checks: the raw side writes the file the plugin writes, and a run delivers every row to the sink.
  for (const format of FORMATS) {
    const ours = await pluginFile(fixture, format, scratch);
    const raw = path.join(scratch, `check.${format}`);
    const rows = await rawQuery(knex, fixture.table);
    if (format === 'csv') {
      await rawCsv(rows, raw);
      const same = readFileSync(ours).equals(readFileSync(raw));
      if (!same) problems.push(`csv: the raw file differs from the plugin's (${ours} vs ${raw})`);
      log(
        `check csv: raw file ${same ? 'identical to' : 'DIFFERENT from'} the plugin's (${readFileSync(raw).length} bytes)`
      );
    } else {
      await rawXlsx(rows, raw, fixture.reportName);
      const [a, b] = [await xlsxValues(ours), await xlsxValues(raw)];
      const differing = a.findIndex((row, index) => row !== b[index]);
      const same = a.length === b.length && differing < 0;
      if (!same)
        problems.push(`xlsx: raw and plugin cells differ (${a.length} vs ${b.length} rows, first at ${differing})`);
      log(`check xlsx: ${same ? 'same' : 'DIFFERENT'} cell values in ${a.length} rows (header + ${ROWS})`);
    }
    const sample = await run.plugin(format);
    log(`check ${format}: a triggered run mailed ${ROWS.toLocaleString('en')} rows in ${fmt(sample.total, 0)} ms`);
  }

  const samples = new Map<string, Sample[]>();
  for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
    const formats = round % 2 === 0 ? FORMATS : [...FORMATS].reverse();
    for (const format of formats) {
      const order = SIDES.map((_, index) => SIDES[(index + round) % SIDES.length]);
      for (const side of order) {
        collect();
        await sleep(10);
        const sample = await measure(side, format);
        if (round < WARMUP) continue;
        const key = `${format}:${side}`;
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key)!.push(sample);
      }
    }
    if (round === WARMUP - 1) log(`warm-up done (${WARMUP} rounds)`);
    if ((round + 1 - WARMUP) % 5 === 0 && round >= WARMUP) log(`round ${round + 1 - WARMUP}/${ROUNDS}`);
  }

  const out: string[] = [''];
  out.push(
    `Results: ${ROUNDS} interleaved rounds, a ${ROWS.toLocaleString('en')}-row report (6 columns), one recipient, ` +
      'ms from the trigger to the end of DATA at the loopback SMTP sink'
  );
  out.push(
    `${'format'.padEnd(7)}${'side'.padEnd(8)}${pad('p50', 9)}${pad('p95', 9)}${pad('min', 9)}${pad('max', 9)}` +
      `   ${'breakdown (p50)'}`
  );
  const verdicts: string[] = [];
  for (const format of FORMATS) {
    for (const side of SIDES) {
      const list = samples.get(`${format}:${side}`)!;
      const total = stats(list.map((s) => s.total));
      const breakdown =
        side === 'plugin'
          ? `202 answered after ${fmt(stats(list.map((s) => s.first)).p50, 1)}, run claimed after ` +
            `${fmt(stats(list.map((s) => s.claimed)).p50, 0)}`
          : `query ${fmt(stats(list.map((s) => s.first)).p50, 1)}, file ${fmt(stats(list.map((s) => s.serialise)).p50, 1)}, ` +
            `send ${fmt(stats(list.map((s) => s.total - s.first - s.serialise)).p50, 1)}`;
      out.push(
        `${format.padEnd(7)}${side.padEnd(8)}${pad(fmt(total.p50, 1), 9)}${pad(fmt(total.p95, 1), 9)}` +
          `${pad(fmt(total.min, 1), 9)}${pad(fmt(total.max, 1), 9)}   ${breakdown}`
      );
    }
    const p = (side: Side) => stats(samples.get(`${format}:${side}`)!.map((s) => s.total));
    const ratio = p('plugin').p50 / p('raw').p50;
    const ratio95 = p('plugin').p95 / p('raw').p95;
    const noise = p('raw′').p50 / p('raw').p50;
    // Per round: the plugin over the mean of the two raw sides of that round.
    const perRound = samples
      .get(`${format}:plugin`)!
      .map(
        (s, i) => s.total / ((samples.get(`${format}:raw`)![i].total + samples.get(`${format}:raw′`)![i].total) / 2)
      );
    const round = stats(perRound);
    verdicts.push(
      `plugin / raw, ${format}: p50 ${ratio.toFixed(3)}×, p95 ${ratio95.toFixed(3)}× (target ≤ ${TARGET_RATIO}×: ` +
        `${ratio <= TARGET_RATIO ? 'MET' : 'NOT MET'}); per round ${round.min.toFixed(2)}–${round.max.toFixed(2)}× ` +
        `(median ${round.p50.toFixed(2)}×); noise raw′ / raw p50 ${noise.toFixed(3)}×`
    );
  }
  out.push('', ...verdicts);

  if (PROFILE) out.push('', ...(await profileRuns(run, PROFILE_RUNS)));
  transport.close();
  return out;
};

/** The plugin's functions of a run whose inclusive time the profile summary shows. */
const PLUGIN_FUNCTIONS = [
  'execute',
  'prepareTarget',
  'selectTarget',
  'render',
  'renderCsv',
  'renderXlsx',
  'writeSheet',
  'feed',
  'stream',
  'send',
  'composeMessage',
];

/** PROFILE_RUNS more runs per format and side under the CPU profiler (not counted), summarised. */
const profileRuns = async (
  run: { plugin(format: Format): Promise<Sample>; raw(format: Format): Promise<Sample> },
  count: number
): Promise<string[]> => {
  const lines: string[] = [];
  for (const format of FORMATS) {
    for (const side of ['plugin', 'raw'] as const) {
      collect();
      const profiler = await startProfile(100);
      const start = now();
      for (let i = 0; i < count; i += 1) await run[side](format);
      const seconds = ms(start) / 1000;
      const profile = await profiler.stop();
      const file = path.join(APP_DIR, `.tmp/bench-subscriptions-${side}-${format}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      lines.push(
        `Profiled ${side} ${format}: ${count} runs, ${fmt(seconds, 2)} s (${path.relative(APP_DIR, file)})`,
        ...summarizeProfile(profile, 25, side === 'plugin' ? PLUGIN_FUNCTIONS : []),
        ''
      );
    }
  }
  return lines;
};

/** Part 2: peak RSS of one run per format and row count, each in a fresh process. Returns the report's lines. */
const measureMemory = async (sink: Sink, problems: string[]): Promise<string[]> => {
  const results: MemoryResult[] = [];
  const mails = new Map<string, number>();
  for (const rows of MEMORY_ROWS) {
    for (const format of FORMATS) {
      const start = now();
      const child = fork(path.join(__dirname, 'subscriptions-memory.ts'), [], {
        execArgv: process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'],
        env: {
          ...process.env,
          ...sink.env,
          BENCH_SUBSCRIPTIONS_MEMORY_FORMAT: format,
          BENCH_SUBSCRIPTIONS_MEMORY_ROWS: String(rows),
          BENCH_SUBSCRIPTIONS_SAMPLE_MS: String(SAMPLE_MS),
          BENCH_SUBSCRIPTIONS_FORCED_GC_MS: String(FORCED_GC_MS),
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      let result: MemoryResult | undefined;
      child.on('message', (message: MemoryResult) => {
        if (message.type === 'result') result = message;
      });
      const code = await new Promise<number>((resolve) => {
        child.once('error', () => resolve(1));
        child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
      });
      if (!result || code !== 0) {
        problems.push(
          `memory ${format} ${rows}: ${result ? `run ${result.status}: ${result.error}` : 'no result'} (exit ${code})`
        );
        continue;
      }
      results.push(result);
      const mail = await sink.next(recipientOf(`memory-${rows}-${format}`), 5000).catch(() => null);
      if (!mail) problems.push(`memory ${format} ${rows}: no mail at the sink`);
      else mails.set(`${format}:${rows}`, mail.bytes);
      if (result.stats.rows !== rows)
        problems.push(`memory ${format} ${rows}: the run wrote ${result.stats.rows} rows`);
      log(
        `memory ${format} ${rows.toLocaleString('en')} rows: +${fmt(mb(result.peak - result.idle))} MB over idle, ` +
          `run ${fmt(result.seconds, 1)} s (process ${fmt(ms(start) / 1000, 0)} s)`
      );
    }
  }

  const out: string[] = [
    '',
    `Peak RSS during one run (trigger → run finished), each in a fresh process, sampled every ${SAMPLE_MS} ms from a ` +
      'worker thread; idle = median RSS after forced GCs just before the trigger; after = RSS after the run and forced ' +
      'GCs; live = V8 heap + external memory then, over idle' +
      (FORCED_GC_MS > 0 ? `; DIAGNOSIS: a forced full GC every ${FORCED_GC_MS} ms during each run` : ''),
    `${'format'.padEnd(7)}${pad('rows', 9)}${pad('idle MB', 9)}${pad('peak MB', 9)}${pad('+MB', 8)}${pad('kernel +MB', 12)}` +
      `${pad('after +MB', 10)}${pad('live +MB', 10)}${pad('render +MB', 11)}${pad('send +MB', 10)}${pad('heap +MB', 10)}${pad('ext +MB', 9)}${pad('samples', 9)}${pad('run s', 8)}${pad('rows/s', 9)}` +
      `${pad('file MB', 9)}${pad('mail MB', 9)}`,
  ];
  for (const r of results) {
    out.push(
      `${r.format.padEnd(7)}${pad(r.rows.toLocaleString('en'), 9)}${pad(fmt(mb(r.idle)), 9)}${pad(fmt(mb(r.peak)), 9)}` +
        `${pad(fmt(mb(r.peak - r.idle)), 8)}${pad(r.hwmPeak === null ? 'n/a' : fmt(mb(r.hwmPeak - r.idle)), 12)}` +
        `${pad(fmt(mb(r.after - r.idle)), 10)}${pad(fmt(mb(r.liveAfter)), 10)}` +
        `${pad(fmt(mb(Math.max(r.renderPeak, r.renderHwmPeak ?? 0) - r.idle)), 11)}` +
        `${pad(fmt(mb(Math.max(r.sendPeak, r.sendHwmPeak ?? 0) - r.idle)), 10)}` +
        `${pad(fmt(mb(r.heapUsedPeak - r.heapUsedIdle)), 10)}${pad(fmt(mb(r.externalPeak - r.externalIdle)), 9)}${pad(String(r.samples), 9)}` +
        `${pad(fmt(r.seconds, 1), 8)}${pad(fmt(r.rows / r.seconds, 0), 9)}${pad(fmt(mb(Number(r.stats.bytes ?? 0)), 2), 9)}` +
        `${pad(fmt(mb(mails.get(`${r.format}:${r.rows}`) ?? NaN), 2), 9)}`
    );
  }
  out.push('');
  for (const format of FORMATS) {
    const own = results.filter((r) => r.format === format).sort((a, b) => a.rows - b.rows);
    if (own.length === 0) continue;
    const growth = (r: MemoryResult) => mb(Math.max(r.peak, r.hwmPeak ?? 0) - r.idle);
    const worst = Math.max(...own.map(growth));
    const [small, large] = [own[0], own[own.length - 1]];
    // Flat: the largest run grows no more than a quarter (plus 10 MB of slack) beyond the smallest one.
    const flat = growth(large) <= growth(small) * 1.25 + 10;
    out.push(
      `${format}: peak over idle ${own.map((r) => `+${fmt(growth(r))} MB at ${r.rows.toLocaleString('en')}`).join(', ')} ` +
        `(the higher of sampled and kernel peak; target < ${TARGET_GROWTH_MB} MB: ${worst < TARGET_GROWTH_MB ? 'MET' : 'NOT MET'}; ` +
        `flat in row count (largest ≤ 1.25 × smallest + 10 MB): ${own.length < 2 ? 'n/a' : flat ? 'YES' : 'NO'})`
    );
  }
  return out;
};

runCase('subscriptions', main);
