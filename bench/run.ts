/**
 * `npm run bench`: compiles the app once, then runs each selected case in its own process, one after the other:
 *
 *   tokens     bench/tokens.ts     auth cost per request: ours vs no auth vs Strapi's API tokens (autocannon)
 *   refresh    bench/refresh.ts    semantic-model refresh of a 1,000,000-row source vs a bulk load through the driver
 *              (SQLite prepared INSERTs, PostgreSQL COPY) and a plain knex copy; peak RSS
 *   scheduler  bench/scheduler.ts  10,000 (BENCH_SCHEDULES) scheduled models: idle RSS over the app's baseline, tick claim
 *              latency
 *   reports    bench/reports.ts    report queries through the query layer vs the same queries by hand, 1M-row snapshot
 *   subscriptions  bench/subscriptions.ts  API trigger → mail at a loopback SMTP sink vs query + file + nodemailer by
 *              hand (10,000-row CSV and XLSX); peak RSS rendering 50k–200k rows
 *   cluster    bench/cluster.ts    3 instances (processes) on one PostgreSQL database, 10,000 due no-op runs: claim
 *              latency, runs/s, duplicates and missing runs. Only on request: `npm run bench -- --cluster` (or
 *              BENCH_CASES=cluster); it needs PostgreSQL (DATABASE_HOST…, default 127.0.0.1:5432, user postgres).
 *
 * BENCH_CASES=tokens,refresh,scheduler,reports,subscriptions (default: all, in that order) selects cases. A case gets a fresh SQLite file
 * and a fresh process (node --expose-gc, so memory figures can force a GC and are not polluted by another case).
 * Not a test: exits 0 whatever the figures; non-zero when a case broke (set-up failed, a check failed, errors
 * during a measurement). Knobs and results: bench/README.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { compileStrapi } from '@strapi/strapi';
import { APP_DIR, fmt, makeLog, ms, now } from './app';

const log = makeLog('bench');
const CASES = ['tokens', 'refresh', 'scheduler', 'reports', 'subscriptions', 'embed', 'cluster'] as const;
type CaseName = (typeof CASES)[number];
/** Cases `all` leaves out: they need more than the app (PostgreSQL, several processes). */
const ON_REQUEST: CaseName[] = ['cluster'];

const selected = (): CaseName[] => {
  if (process.argv.includes('--cluster')) return ['cluster'];
  const raw = (process.env.BENCH_CASES ?? '').trim();
  if (raw === '' || raw === 'all') return CASES.filter((name) => !ON_REQUEST.includes(name));
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !CASES.includes(name as CaseName));
  if (unknown.length) throw new Error(`BENCH_CASES: unknown case(s) ${unknown.join(', ')}; known: ${CASES.join(', ')}`);
  return CASES.filter((name) => names.includes(name)); // fixed order, each once
};

let current: ChildProcess | null = null;

const runChild = (name: CaseName, distDir: string) =>
  new Promise<number>((resolve) => {
    const child = fork(path.join(__dirname, `${name}.ts`), [], {
      // Under tsx these flags carry its loader, so the case can be TypeScript too.
      execArgv: [...process.execArgv, '--expose-gc'],
      env: { ...process.env, BENCH_DIST_DIR: distDir },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    current = child;
    child.once('error', (error) => {
      log(`${name}: could not start: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      current = null;
      resolve(code ?? (signal ? 1 : 0));
    });
  });

const main = async (): Promise<number> => {
  const cases = selected();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      // A case deletes its database on the signal (Ctrl-C reaches it from the terminal too) or when we disconnect.
      current?.kill(signal);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  process.chdir(APP_DIR);
  log(`cases: ${cases.join(', ')}`);
  let start = now();
  const { distDir } = await compileStrapi({ appDir: APP_DIR });
  log(`compiled in ${fmt(ms(start) / 1000)} s`);

  const outcomes: { name: CaseName; code: number; seconds: number }[] = [];
  for (const name of cases) {
    log(`── ${name} ──`);
    start = now();
    const code = await runChild(name, distDir);
    outcomes.push({ name, code, seconds: ms(start) / 1000 });
  }
  log(
    `done: ${outcomes
      .map((o) => `${o.name} ${o.code === 0 ? 'ok' : `FAILED (exit ${o.code})`} in ${fmt(o.seconds, 0)} s`)
      .join(', ')}`
  );
  return outcomes.some((o) => o.code !== 0) ? 1 : 0;
};

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`[bench] failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  }
);
