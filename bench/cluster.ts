/**
 * Bench case `cluster` (`npm run bench -- --cluster`): three instances of the app, each its own OS process
 * (bench/cluster-instance.ts), on one fresh PostgreSQL database, with BENCH_CLUSTER_RUNS (10,000) targets of a no-op
 * job kind registered by the bench, all due at the same occurrence.
 *
 * - The instances boot with the node-schedule tick off; the bench drives the clock: a warm-up tick on each instance
 *   (its first tick reconciles the kind's targets into schedule rows; nothing is due yet), then
 *   BENCH_CLUSTER_ROUNDS rounds at consecutive hourly occurrences. In a round every instance at once ticks (claims the
 *   due occurrences, racing the others through the ledger's unique occurrence key) and drains (its worker claims
 *   queued runs, `runs.concurrency` at a time, and runs them) until no run of the kind is queued anywhere.
 * - Claim latency: tick start → the claiming INSERT returned, per occurrence, on the instance that claimed it.
 *   runs/s: the round's occurrences / (round start → the last instance idle).
 * - Duplicates: executions beyond one per occurrence (from what each instance's executor recorded) plus ledger rows
 *   beyond one per occurrence. Missing: occurrences with no execution, or whose run did not succeed. Both must be 0.
 * - The load average of the machine is printed before and after: the figures depend on what else runs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { APP_DIR, fmt, intEnv, makeLog, ms, now, percentile } from './app';

const log = makeLog('cluster');

const RUNS = intEnv('BENCH_CLUSTER_RUNS', 10_000);
const INSTANCES = intEnv('BENCH_CLUSTER_INSTANCES', 3);
const ROUNDS = intEnv('BENCH_CLUSTER_ROUNDS', 1);
const CONCURRENCY = process.env.BENCH_CLUSTER_CONCURRENCY;
const HOUR = 3_600_000;
/** Monday 2026-03-02 08:00 UTC; the targets fire at minute 30 of every hour. */
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const CRON = '30 * * * *';
const firstOccurrence = T0 + 30 * 60_000;

const PG = {
  host: process.env.DATABASE_HOST ?? '127.0.0.1',
  port: Number(process.env.DATABASE_PORT ?? 5432),
  user: process.env.DATABASE_USERNAME ?? 'postgres',
  password: process.env.DATABASE_PASSWORD ?? '',
};
const DATABASE = `bench_cluster_${process.pid}`;

const admin = async (sql: string) => {
  const client = new Client({ ...PG, database: process.env.BENCH_CLUSTER_ADMIN_DB ?? 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

interface Instance {
  owner: string;
  call<T>(message: object): Promise<T>;
  stop(): Promise<void>;
  child: ChildProcess;
}

const startInstance = (env: NodeJS.ProcessEnv) =>
  new Promise<Instance>((resolve, reject) => {
    const child = fork(path.join(__dirname, 'cluster-instance.ts'), [], {
      execArgv: process.execArgv.filter((arg) => arg !== '--expose-gc'),
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
    let nextId = 0;
    child.once('exit', (code, signal) => {
      const error = new Error(`instance ${child.pid} exited (${code ?? signal})`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
    });
    child.on('message', (message: any) => {
      if (message.type === 'ready') {
        resolve({
          owner: message.owner,
          child,
          call: (request) =>
            new Promise((res, rej) => {
              const id = (nextId += 1);
              pending.set(id, { resolve: res, reject: rej });
              child.send({ ...request, id });
            }),
          async stop() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            const exited = new Promise((done) => child.once('exit', done));
            child.send({ type: 'stop', id: 0 });
            const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            await exited;
            clearTimeout(timer);
          },
        });
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
  });

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');

const main = async (): Promise<number> => {
  log(
    `instances=${INSTANCES} runs=${RUNS.toLocaleString('en')} rounds=${ROUNDS} concurrency=${CONCURRENCY ?? 'default (4 on PostgreSQL)'} ` +
      `database=${DATABASE} node=${process.version}`
  );
  log(`load average (1/5/15 min) before: ${load()}`);
  await admin(`CREATE DATABASE "${DATABASE}"`);
  const instances: Instance[] = [];
  const client = new Client({ ...PG, database: DATABASE });
  const cleanup = async () => {
    await Promise.all(instances.map((instance) => instance.stop().catch(() => instance.child.kill('SIGKILL'))));
    await client.end().catch(() => {});
    await admin(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`).catch((error) =>
      log(`could not drop ${DATABASE}: ${error.message}`)
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const instance of instances) instance.child.kill('SIGKILL');
      admin(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`).finally(() => process.exit(1));
    });
  }

  try {
    process.chdir(APP_DIR);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_CLIENT: 'postgres',
      DATABASE_HOST: PG.host,
      DATABASE_PORT: String(PG.port),
      DATABASE_USERNAME: PG.user,
      DATABASE_PASSWORD: PG.password,
      DATABASE_NAME: DATABASE,
      API_TOKENS_SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      STRAPI_TELEMETRY_DISABLED: 'true',
      STRAPI_HIDE_STARTUP_MESSAGE: 'true',
      BENCH_CLUSTER_RUNS: String(RUNS),
      BENCH_CLUSTER_T0: String(T0),
      BENCH_CLUSTER_CRON: CRON,
      ...(CONCURRENCY ? { API_TOKENS_RUN_CONCURRENCY: CONCURRENCY } : {}),
    };
    delete env.DEMO;
    let start = now();
    // The first alone: it creates the schema.
    instances.push(await startInstance(env));
    instances.push(...(await Promise.all(Array.from({ length: INSTANCES - 1 }, () => startInstance(env)))));
    log(`${INSTANCES} instances booted in ${fmt(ms(start) / 1000)} s`);
    await client.connect();

    // Warm-up: each instance's first tick reconciles the targets into schedule rows (the first one creates them).
    start = now();
    const warmAt = new Date(T0 + 60_000);
    await instances[0].call({ type: 'tick', at: warmAt });
    await Promise.all(instances.slice(1).map((instance) => instance.call({ type: 'tick', at: warmAt })));
    const [{ n: scheduleRows }] = (
      await client.query(`select count(*)::int as n from api_tokens_job_schedules where kind = 'bench-noop'`)
    ).rows;
    log(`warm-up ticks (reconcile ${scheduleRows.toLocaleString('en')} schedule rows): ${fmt(ms(start) / 1000, 2)} s`);

    const rounds: {
      occurrence: string;
      seconds: number;
      claimed: number[];
      latencies: number[];
      ticks: number[];
    }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const occurrence = new Date(firstOccurrence + round * HOUR);
      const at = new Date(occurrence.getTime() + 1000);
      const roundStart = now();
      const results = await Promise.all(
        instances.map((instance) =>
          instance.call<{ queued: number; tickMs: number; doneMs: number }>({ type: 'round', at })
        )
      );
      const seconds = ms(roundStart) / 1000;
      rounds.push({
        occurrence: occurrence.toISOString(),
        seconds,
        claimed: results.map((result) => result.queued),
        latencies: [],
        ticks: results.map((result) => result.tickMs),
      });
      // Claim latencies of this round (each instance keeps those of its last tick).
      const stats = await Promise.all(
        instances.map((instance) => instance.call<{ claimLatencies: number[] }>({ type: 'stats' }))
      );
      rounds[round].latencies = stats.flatMap((stat) => stat.claimLatencies).sort((a, b) => a - b);
      log(
        `round ${round + 1} (${occurrence.toISOString()}): ${fmt(seconds, 2)} s, ${fmt(RUNS / seconds, 0)} runs/s, ` +
          `claimed per instance ${results.map((result) => result.queued).join(' / ')}, ` +
          `claim p50 ${fmt(percentile(rounds[round].latencies, 50), 1)} ms p99 ${fmt(percentile(rounds[round].latencies, 99), 1)} ms`
      );
    }
    const loadAfter = load();

    // Exactly once: executions per occurrence (each instance's record) and ledger rows per occurrence.
    const stats = await Promise.all(
      instances.map((instance) => instance.call<{ owner: string; executed: string[] }>({ type: 'stats' }))
    );
    const executions = new Map<string, number>();
    for (const stat of stats) for (const key of stat.executed) executions.set(key, (executions.get(key) ?? 0) + 1);
    const expected: string[] = [];
    for (const round of rounds) for (let i = 0; i < RUNS; i += 1) expected.push(`noop-${i}@${round.occurrence}`);
    const executedDuplicates = [...executions.values()].reduce((sum, n) => sum + n - 1, 0);
    const executedMissing = expected.filter((key) => !executions.has(key)).length;
    const ledger = (
      await client.query(
        `select count(*)::int as total,
                count(distinct (target_id, scheduled_for))::int as occurrences,
                count(*) filter (where status = 'succeeded')::int as succeeded
         from api_tokens_job_runs where kind = 'bench-noop'`
      )
    ).rows[0];
    const ledgerDuplicates = ledger.total - ledger.occurrences;
    const ledgerMissing = expected.length - ledger.succeeded;
    const perInstance = stats.map((stat) => stat.executed.length);

    const all = rounds.flatMap((round) => round.latencies).sort((a, b) => a - b);
    const totalSeconds = rounds.reduce((sum, round) => sum + round.seconds, 0);
    const out = [
      '',
      `Results: ${INSTANCES} instances (separate processes) on one PostgreSQL database, ${RUNS.toLocaleString('en')} ` +
        `no-op runs due at once, ${ROUNDS} round(s), worker concurrency ${CONCURRENCY ?? 4} per instance`,
      `claim latency (tick start → occurrence claimed)  p50 ${fmt(percentile(all, 50), 1)} ms  p99 ${fmt(percentile(all, 99), 1)} ms  ` +
        `max ${fmt(all[all.length - 1], 1)} ms`,
      `throughput  ${fmt((RUNS * ROUNDS) / totalSeconds, 0)} runs/s (${rounds
        .map((round) => `${fmt(RUNS / round.seconds, 0)}`)
        .join(', ')} per round; tick start → every run finished)`,
      `tick duration per instance  ${rounds.map((round) => round.ticks.map((t) => fmt(t, 0)).join('/')).join(', ')} ms`,
      `runs executed per instance  ${perInstance.join(' / ')}`,
      `duplicates  ${executedDuplicates + ledgerDuplicates} (executions ${executedDuplicates}, ledger rows ${ledgerDuplicates})`,
      `missing     ${executedMissing + ledgerMissing} (not executed ${executedMissing}, not succeeded in the ledger ${ledgerMissing})`,
      `load average (1/5/15 min) after: ${loadAfter}`,
      '',
    ];
    process.stdout.write(out.join('\n'));
    const broken = executedDuplicates + ledgerDuplicates + executedMissing + ledgerMissing > 0;
    if (broken) process.stderr.write('[cluster] duplicates or missing runs: the exactly-once check FAILED\n');
    return broken ? 1 : 0;
  } finally {
    await cleanup();
  }
};

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`[cluster] failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  }
);
