import { Client } from 'pg';
import { POSTGRES } from '../helpers/services';
import { describeOnDatabase, startStrapi, type TestApp } from '../helpers/strapi';
import { createFakeKind, runsService, schedulerService, sleep } from './fake-kind';

const RUNS = 50;
const POOL_MAX = 3;
const LIMIT = 4; // runs.concurrency's default on PostgreSQL
const LEASE_SECONDS = 2;
const HOLD_SECONDS = 2.5; // each run holds a pool connection for longer than its lease

describeOnDatabase('postgres')('50 due runs on PostgreSQL with a small pool and a short lease', () => {
  let app: TestApp;
  let watcher: Client;
  const fake = createFakeKind('load-test', { label: 'Load test' });

  beforeAll(async () => {
    app = await startStrapi({
      database: 'postgres',
      env: { API_TOKENS_SCHEDULER_ENABLED: 'false', DATABASE_POOL_MIN: '0', DATABASE_POOL_MAX: String(POOL_MAX) },
    });
    app.strapi.config.set('plugin::api-tokens.runs.leaseSeconds', LEASE_SECONDS);
    runsService(app.strapi).registerKind(fake.jobKind);
    // Watches the ledger from outside Strapi's pool.
    watcher = new Client({ ...POSTGRES, database: app.databaseName });
    await watcher.connect();
  });

  afterAll(async () => {
    await watcher?.end();
    await app?.stop();
    delete process.env.DATABASE_POOL_MIN;
    delete process.env.DATABASE_POOL_MAX;
  });

  it('renews every lease while runs hold the pool, runs each once, and never more than the limit at once', async () => {
    const runs = runsService(app.strapi);
    const targets = await Promise.all(
      Array.from({ length: RUNS }, () =>
        fake.addTarget({ schedule: { cron: '*/5 * * * *', timezone: 'UTC' }, createdAt: '2030-01-01T00:00:00Z' })
      )
    );
    let running = 0;
    let peak = 0;
    fake.behave(async (context) => {
      running += 1;
      peak = Math.max(peak, running);
      try {
        // A long step that keeps one of the pool's connections busy well past the lease.
        await app.strapi.db.connection.raw('select pg_sleep(?)', [HOLD_SECONDS]);
        await context.commit(async () => undefined);
        return { rows: 1 };
      } finally {
        running -= 1;
      }
    });

    let expiredSeen = 0;
    let mostRunning = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const { rows } = await watcher.query(
          `select count(*) filter (where lease_expires_at < now()) as expired, count(*) as running
           from api_tokens_job_runs where kind = 'load-test' and status = 'running'`
        );
        expiredSeen += Number(rows[0].expired);
        mostRunning = Math.max(mostRunning, Number(rows[0].running));
        await sleep(50);
      }
    })();

    // All 50 fall due in one tick.
    const { queued } = await schedulerService(app.strapi).tick(new Date('2030-01-01T10:00:05Z'));
    expect(queued).toHaveLength(RUNS);
    await runs.drain();
    watching = false;
    await watch;

    const { rows: finished } = await watcher.query(
      `select status, attempt, error, target_id from api_tokens_job_runs where kind = 'load-test'`
    );
    expect(finished).toHaveLength(RUNS);
    expect(finished.every((row) => row.status === 'succeeded' && row.attempt === 1 && row.error === null)).toBe(true);
    expect(new Set(finished.map((row) => row.target_id))).toEqual(new Set(targets.map((target) => target.id)));
    expect(expiredSeen).toBe(0);
    expect(await runs.recoverExpiredLeases()).toBe(0);
    expect(fake.executed).toHaveLength(RUNS);
    expect(new Set(fake.executed).size).toBe(RUNS);
    expect(peak).toBe(LIMIT);
    expect(mostRunning).toBeLessThanOrEqual(LIMIT);
  });
});
