/**
 * One instance of the `cluster` bench case (bench/cluster.ts forks three): the compiled app on the PostgreSQL database
 * its environment names, with the scheduler's node-schedule tick off, plus a no-op job kind `bench-noop` whose
 * BENCH_CLUSTER_RUNS targets are scheduled by BENCH_CLUSTER_CRON (UTC) since BENCH_CLUSTER_T0. Every instance
 * registers the same targets, as every instance of a real deployment registers the same kinds.
 *
 * Over IPC: `round` (tick at `at`, then drain until no run of the kind is queued), `tick`, `stats` (what this
 * instance executed and how late after the tick's start it claimed each occurrence), `stop`.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createStrapi } from '@strapi/strapi';
import type { JobKind, JobTarget } from '../src/plugins/api-tokens/server/src/jobs/types';

const APP_DIR = path.resolve(__dirname, '..');
export const NOOP_KIND = 'bench-noop';

type Request =
  | { id: number; type: 'tick' | 'round'; at: string }
  | { id: number; type: 'stats' }
  | { id: number; type: 'stop' };

const main = async () => {
  const strapi = await createStrapi({
    appDir: APP_DIR,
    distDir: process.env.BENCH_DIST_DIR ?? path.join(APP_DIR, 'dist'),
  }).load();
  const plugin = strapi.plugin('api-tokens');
  const runs = plugin.service('runs') as any;
  const scheduler = plugin.service('scheduler') as any;

  const count = Number(process.env.BENCH_CLUSTER_RUNS);
  const createdAt = new Date(Number(process.env.BENCH_CLUSTER_T0));
  const schedule = { cron: process.env.BENCH_CLUSTER_CRON!, timezone: 'UTC' };
  const targets: JobTarget[] = Array.from({ length: count }, (_, i) => ({
    id: `noop-${i}`,
    schedule,
    enabled: true,
    createdAt,
  }));
  const byId = new Map(targets.map((target) => [target.id, target]));
  /** `targetId@scheduledFor` of every run this instance executed. */
  const executed: string[] = [];

  const kind: JobKind = {
    kind: NOOP_KIND,
    scope: 'subscriptions:execute',
    label: 'Bench no-op',
    defaults: { maxAttempts: 1, missedRunPolicy: 'once' },
    findTarget: async (id) => byId.get(id) ?? null,
    listScheduled: async () => targets,
    execute: async ({ run }) => {
      executed.push(`${run.targetId}@${run.scheduledFor}`);
      return {};
    },
    disable: async () => {},
  };
  runs.registerKind(kind);

  // Claim latency: tick start → the claiming INSERT returned, for every occurrence this instance claimed.
  let tickStart = performance.now();
  let claimLatencies: number[] = [];
  for (const name of ['claimOnTime', 'claimScheduled'] as const) {
    const original = runs[name];
    runs[name] = async (...args: unknown[]) => {
      const result = await original.apply(runs, args);
      const claimed = (Array.isArray(result) ? result : result?.queued) ?? [];
      const latency = performance.now() - tickStart;
      for (let i = 0; i < claimed.length; i += 1) claimLatencies.push(latency);
      return result;
    };
  }

  const knex = strapi.db.connection;
  const queuedLeft = async () =>
    Number((await knex('api_tokens_job_runs').where({ kind: NOOP_KIND, status: 'queued' }).count({ n: '*' }))[0].n);

  const reply = (message: object) => process.send!(message);
  process.on('message', async (request: Request) => {
    try {
      if (request.type === 'tick' || request.type === 'round') {
        const at = new Date(request.at);
        claimLatencies = [];
        tickStart = performance.now();
        const { queued } = await scheduler.tick(at);
        const tickMs = performance.now() - tickStart;
        if (request.type === 'round') {
          // Drained when nothing is left to claim anywhere: another instance may still be inserting its claims.
          do await runs.drain(at);
          while ((await queuedLeft()) > 0);
        }
        reply({ id: request.id, result: { queued: queued.length, tickMs, doneMs: performance.now() - tickStart } });
      } else if (request.type === 'stats') {
        reply({ id: request.id, result: { owner: runs.owner, executed, claimLatencies } });
      } else {
        await strapi.destroy();
        reply({ id: request.id, result: null });
        process.disconnect();
        process.exit(0);
      }
    } catch (error) {
      reply({ id: request.id, error: (error as Error).stack ?? String(error) });
    }
  });
  reply({ type: 'ready', owner: runs.owner });
};

main().catch((error) => {
  process.stderr.write(`bench instance failed to boot: ${(error as Error).stack}\n`);
  process.exit(1);
});
