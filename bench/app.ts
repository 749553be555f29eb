/**
 * What the bench cases share: environment knobs, booting the app on a fresh SQLite file, tearing it down (database
 * file included, also on Ctrl-C or when the orchestrator goes away), percentiles, and RSS measurement.
 *
 * Every case (bench/tokens.ts, bench/refresh.ts, bench/scheduler.ts) runs in its own process, forked by bench/run.ts
 * (which compiles the app once and passes BENCH_DIST_DIR), so memory figures of one case are not polluted by another.
 * A case file also runs on its own: `npx tsx --expose-gc bench/refresh.ts` (it then compiles the app itself).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { compileStrapi, createStrapi, type Core } from '@strapi/strapi';

export const APP_DIR = path.resolve(__dirname, '..');

export const intEnv = (name: string, fallback: number, min = 1): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
};

export const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
export const now = () => process.hrtime.bigint();

export const makeLog =
  (tag = 'bench') =>
  (message: string) =>
    process.stdout.write(`[${tag}] ${message}\n`);

export const percentile = (sorted: number[], p: number): number => {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
};
export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50
  );

export const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const pad = (value: string, width: number) => value.padStart(width);
export const mb = (bytes: number) => bytes / (1024 * 1024);

/** This process's database file, relative to the app directory. */
export const DB_FILE = `.tmp/bench-${process.pid}.db`;

/** BENCH_DATABASE: `sqlite` (default, a fresh file) or `postgres` (a fresh database on BENCH_PG_HOST, dropped after). */
export const DATABASE = (() => {
  const value = (process.env.BENCH_DATABASE ?? 'sqlite').trim() || 'sqlite';
  if (value !== 'sqlite' && value !== 'postgres')
    throw new Error(`BENCH_DATABASE must be "sqlite" or "postgres", got "${value}"`);
  return value;
})();
export const DATABASE_LABEL = DATABASE === 'sqlite' ? 'SQLite' : 'PostgreSQL';
/** This process's PostgreSQL database (BENCH_DATABASE=postgres): created by boot(), dropped by removeDatabase(). */
export const PG_DATABASE = `bench_${process.pid}`;
const PG = {
  host: process.env.BENCH_PG_HOST ?? '127.0.0.1',
  port: process.env.BENCH_PG_PORT ?? '5432',
  user: process.env.BENCH_PG_USER ?? 'postgres',
};
/** psql against the server's `postgres` database (synchronous, so the Ctrl-C path can drop the database too). */
const psql = (sql: string) =>
  execFileSync('psql', ['-h', PG.host, '-p', PG.port, '-U', PG.user, '-d', 'postgres', '-qAt', '-c', sql], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PGPASSWORD: process.env.BENCH_PG_PASSWORD ?? '' },
  });

export const removeDatabase = (file: string) => {
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    rmSync(path.join(APP_DIR, `${file}${suffix}`), { force: true });
  if (DATABASE === 'postgres') {
    try {
      psql(`DROP DATABASE IF EXISTS ${PG_DATABASE} WITH (FORCE)`);
    } catch (error) {
      process.stderr.write(`[bench] could not drop database ${PG_DATABASE}: ${(error as Error).message}\n`);
    }
  }
};

/* ------------------------------------------------------------------ memory */

const gcFn = (globalThis as { gc?: () => void }).gc;
export const hasGc = typeof gcFn === 'function';
/** One full GC (when node runs with --expose-gc), so a measurement does not collect what the one before left. */
export const collect = () => gcFn?.();
export const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis));

/** Full GCs (when node runs with --expose-gc; bench/run.ts forks the cases with it), then a short settle. */
export const settle = async (millis = 300) => {
  for (let i = 0; i < 3; i += 1) {
    gcFn?.();
    await sleep(millis / 3);
  }
};

export const rss = () => process.memoryUsage.rss();

/** Linux: the process's peak RSS (VmHWM), and resetting it to the current RSS (`5` → /proc/self/clear_refs). */
const readHwm = (): number | null => {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
};
const resetHwm = (): boolean => {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
};

export interface RssPhase {
  /** RSS when the phase started. */
  start: number;
  /** Highest RSS sampled (every `intervalMs`) during the phase. */
  peak: number;
  /** Peak minus start. */
  growth: number;
  samples: number;
  /** The kernel's peak RSS over the phase (VmHWM after a reset at its start), minus start; null off Linux. */
  hwmGrowth: number | null;
}

/**
 * Samples RSS every `intervalMs` from a worker thread: the main thread blocks inside better-sqlite3 for seconds at a
 * time (an index build over a million rows is one synchronous call), and a setInterval there would miss exactly the
 * moments that matter. RSS is per process, so the worker sees the main thread's memory. The worker exists before any
 * phase starts, so its own few MB are in every phase's starting RSS, not in the growth.
 */
export const startRssSampler = async (intervalMs = 50) => {
  const worker = new Worker(
    `
    const { parentPort } = require('node:worker_threads');
    let peak = 0, samples = 0, timer = null;
    const sample = () => { const r = process.memoryUsage.rss(); samples += 1; if (r > peak) peak = r; };
    parentPort.on('message', (m) => {
      if (m.type === 'start') { peak = 0; samples = 0; sample(); clearInterval(timer); timer = setInterval(sample, m.intervalMs); }
      else if (m.type === 'stop') { clearInterval(timer); timer = null; sample(); parentPort.postMessage({ peak, samples }); }
      else if (m.type === 'exit') { clearInterval(timer); process.exit(0); }
    });
    parentPort.postMessage({ ready: true });
    `,
    { eval: true }
  );
  worker.unref();
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  let phaseStart = 0;
  let hwmReset = false;
  return {
    /** Begins a phase: records the starting RSS and resets the kernel's peak. */
    begin() {
      phaseStart = rss();
      hwmReset = resetHwm();
      worker.postMessage({ type: 'start', intervalMs });
    },
    async end(): Promise<RssPhase> {
      const result = new Promise<{ peak: number; samples: number }>((resolve) => worker.once('message', resolve));
      worker.postMessage({ type: 'stop' });
      const { peak, samples } = await result;
      const hwm = hwmReset ? readHwm() : null;
      const top = Math.max(peak, rss());
      return {
        start: phaseStart,
        peak: top,
        growth: top - phaseStart,
        samples,
        hwmGrowth: hwm === null ? null : hwm - phaseStart,
      };
    },
    async stop() {
      worker.postMessage({ type: 'exit' });
      await new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        setTimeout(resolve, 1000).unref();
      });
    },
  };
};

/* ------------------------------------------------------------------ app */

export interface BootOptions {
  /** Extra environment for the app (e.g. API_TOKENS_SCHEDULER_ENABLED). */
  env?: Record<string, string>;
  log: (message: string) => void;
}

/**
 * Boots the app once, with `createStrapi().load()` (no HTTP listening: a case that needs it mounts the server
 * itself), on a fresh SQLite file `.tmp/bench-<pid>.db`, `LOG_LEVEL=warn`.
 */
export const boot = async ({ env = {}, log }: BootOptions) => {
  process.chdir(APP_DIR); // src/dev-secrets.ts keeps its secrets under the working directory's .tmp/
  const dbFile = DB_FILE;
  removeDatabase(dbFile);
  if (DATABASE === 'postgres') psql(`CREATE DATABASE ${PG_DATABASE}`);
  Object.assign(process.env, {
    ...(DATABASE === 'postgres'
      ? {
          DATABASE_CLIENT: 'postgres',
          DATABASE_HOST: PG.host,
          DATABASE_PORT: PG.port,
          DATABASE_USERNAME: PG.user,
          DATABASE_PASSWORD: process.env.BENCH_PG_PASSWORD ?? '',
          DATABASE_NAME: PG_DATABASE,
        }
      : { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: dbFile }),
    LOG_LEVEL: 'warn', // config/logger.ts: keeps per-request logging out of the measurement
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_HIDE_STARTUP_MESSAGE: 'true',
    BROWSER: 'none',
    ...env,
  });
  delete process.env.DEMO; // a case seeds what it needs itself
  if (DATABASE === 'postgres') delete process.env.DATABASE_URL;

  let distDir = process.env.BENCH_DIST_DIR;
  if (!distDir) {
    const start = now();
    ({ distDir } = await compileStrapi({ appDir: APP_DIR }));
    log(`compiled in ${fmt(ms(start) / 1000)} s`);
  }
  const start = now();
  const instance = createStrapi({ appDir: APP_DIR, distDir });
  const strapi = await instance.load().catch(async (error) => {
    await instance.destroy().catch(() => {});
    removeDatabase(dbFile);
    throw error;
  });
  log(
    `loaded in ${fmt(ms(start) / 1000)} s (database ${DATABASE === 'postgres' ? `PostgreSQL ${PG_DATABASE}` : dbFile})`
  );
  return { strapi, dbFile };
};

export const teardown = async (
  strapi: Core.Strapi | undefined,
  dbFile: string | undefined,
  log: (m: string) => void
) => {
  if (strapi) {
    try {
      await strapi.destroy();
    } catch (error) {
      log(`shutdown failed: ${error}`);
    }
  }
  if (dbFile) removeDatabase(dbFile);
};

/**
 * Runs a case's main: exit code from its result, 1 on a throw. The database file goes in every case: on the way out,
 * on Ctrl-C / SIGTERM, and when the orchestrator that forked this process goes away (its IPC channel closes).
 */
export const runCase = (name: string, main: () => Promise<number>) => {
  const abort = (code: number) => {
    removeDatabase(DB_FILE);
    process.exit(code);
  };
  process.once('SIGINT', () => abort(130));
  process.once('SIGTERM', () => abort(143));
  if (process.send) process.once('disconnect', () => abort(1));
  main().then(
    (code) => abort(code),
    (error) => {
      process.stderr.write(`[${name}] failed: ${error?.stack ?? error}\n`);
      abort(1);
    }
  );
};
