/**
 * One memory measurement of the `subscriptions` case, in a process of its own (forked by bench/subscriptions.ts once
 * per format and row count, so no earlier run or larger snapshot is in its baseline): boot, a snapshot of N rows and a
 * subscription of one format, idle RSS after forced GCs, then one run triggered through the API with RSS sampled
 * every BENCH_SUBSCRIPTIONS_SAMPLE_MS from a worker thread (and the V8 heap from the main thread) until the run has
 * finished, split where the run calls the mail channel (render before, SMTP send after). Answers its parent over IPC
 * with a MemoryResult.
 */
import type { Core } from '@strapi/strapi';
import {
  boot,
  collect,
  DB_FILE,
  makeLog,
  ms,
  now,
  rss,
  runCase,
  settle,
  sleep,
  startRssSampler,
  teardown,
  type RssPhase,
} from './app';
import { createFixture, listen, trigger, type Format } from './subscriptions-fixture';

export interface MemoryResult {
  type: 'result';
  format: Format;
  rows: number;
  /** RSS at rest before the run: the median of five samples after forced GCs. */
  idle: number;
  /** The highest RSS sampled during the run, and the kernel's own peak (VmHWM, reset at the start). */
  peak: number;
  hwmPeak: number | null;
  /** The same two until the mail channel was called (trigger, query, render), and from then on (the SMTP send). */
  renderPeak: number;
  renderHwmPeak: number | null;
  sendPeak: number;
  sendHwmPeak: number | null;
  samples: number;
  /** RSS after the run, once forced GCs have collected what it left (the allocator keeps some pages it freed). */
  after: number;
  /** V8 heap in use + external + array buffers after the run and forced GCs, minus the same at idle: live memory. */
  liveAfter: number;
  /** The highest V8 heap in use, and external + array buffer memory, sampled on the main thread. */
  heapUsedIdle: number;
  heapUsedPeak: number;
  externalIdle: number;
  externalPeak: number;
  seconds: number;
  stats: Record<string, unknown>;
  status: string;
  error: string | null;
}

const format = process.env.BENCH_SUBSCRIPTIONS_MEMORY_FORMAT as Format;
const rows = Number(process.env.BENCH_SUBSCRIPTIONS_MEMORY_ROWS);
const sampleMs = Number(process.env.BENCH_SUBSCRIPTIONS_SAMPLE_MS ?? 20);
/** Diagnosis: a full GC every this many ms during the run, so the peak shows live memory rather than garbage. */
const forcedGcMs = Number(process.env.BENCH_SUBSCRIPTIONS_FORCED_GC_MS ?? 0);
const log = makeLog(`subscriptions memory ${format} ${rows}`);

const main = async (): Promise<number> => {
  if (!['csv', 'xlsx'].includes(format) || !Number.isInteger(rows) || rows < 1) {
    throw new Error(`bad memory case: format ${format}, rows ${rows}`);
  }
  let strapi: Core.Strapi | undefined;
  try {
    ({ strapi } = await boot({
      log: () => undefined,
      env: { API_TOKENS_SCHEDULER_ENABLED: 'false' }, // the SMTP_* of the parent's sink are in the environment
    }));
    const fixture = await createFixture(strapi, { rows, formats: [format], label: `memory-${rows}` });
    const base = await listen(strapi);
    const runs = strapi.plugin('api-tokens').service('runs');

    // The bench's HTTP client (fetch, undici) loads on its first request, ≈ 20 MB of RSS that is not the app's: one
    // request before the idle measurement keeps it out of the run's growth.
    const health = await fetch(`${base}/_health`);
    if (!health.ok) throw new Error(`/_health answered ${health.status}`);
    const sampler = await startRssSampler(sampleMs);
    await settle(900);
    const idleSamples: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      idleSamples.push(rss());
      await sleep(100);
    }
    idleSamples.sort((a, b) => a - b);
    const idle = idleSamples[2];
    const idleUsage = process.memoryUsage();
    const heapUsedIdle = idleUsage.heapUsed;
    const externalIdle = idleUsage.external + idleUsage.arrayBuffers;
    const liveIdle = heapUsedIdle + externalIdle;

    let heapUsedPeak = 0;
    let externalPeak = 0;
    const heapTimer = setInterval(() => {
      const usage = process.memoryUsage();
      heapUsedPeak = Math.max(heapUsedPeak, usage.heapUsed);
      externalPeak = Math.max(externalPeak, usage.external + usage.arrayBuffers);
    }, sampleMs);
    const gcTimer = forcedGcMs > 0 ? setInterval(collect, forcedGcMs) : null;

    // Splits the run where it calls the mail channel: rendering before, sending after.
    const channel = strapi.plugin('api-tokens').service('channels').get('email');
    const send = channel.send;
    let renderPhase: RssPhase | null = null;
    channel.send = async (...args: unknown[]) => {
      renderPhase = await sampler.end();
      sampler.begin();
      return send.apply(channel, args);
    };

    sampler.begin();
    const start = now();
    const runId = await trigger(base, fixture.subscriptions[format], fixture.token);
    const run = await runs.waitFor(runId, 15 * 60_000);
    const seconds = ms(start) / 1000;
    const sendPhase = await sampler.end();
    clearInterval(heapTimer);
    if (gcTimer) clearInterval(gcTimer);
    await sampler.stop();
    const render = renderPhase as RssPhase | null;
    if (!render) throw new Error('the run never called the mail channel');
    const hwm = (phase: RssPhase) => (phase.hwmGrowth === null ? null : phase.start + phase.hwmGrowth);
    await settle(900);
    const after = rss();
    const live = (usage: NodeJS.MemoryUsage) => usage.heapUsed + usage.external + usage.arrayBuffers;
    const liveAfter = live(process.memoryUsage()) - liveIdle;

    const result: MemoryResult = {
      type: 'result',
      format,
      rows,
      idle,
      peak: Math.max(render.peak, sendPhase.peak),
      hwmPeak: render.hwmGrowth === null ? null : Math.max(hwm(render)!, hwm(sendPhase) ?? 0),
      renderPeak: render.peak,
      renderHwmPeak: hwm(render),
      sendPeak: sendPhase.peak,
      sendHwmPeak: hwm(sendPhase),
      samples: render.samples + sendPhase.samples,
      after,
      liveAfter,
      heapUsedIdle,
      heapUsedPeak,
      externalIdle,
      externalPeak,
      seconds,
      stats: run.stats ?? {},
      status: run.status,
      error: run.error ?? null,
    };
    await new Promise<void>((resolve) => (process.send ? process.send(result, () => resolve()) : resolve()));
    if (!process.send) log(JSON.stringify(result));
    return run.status === 'succeeded' ? 0 : 1;
  } finally {
    await teardown(strapi, DB_FILE, () => undefined);
  }
};

runCase(`subscriptions-memory`, main);
