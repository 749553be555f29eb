import { describeOnDatabase, startStrapi, type Database, type TestApp } from '../helpers/strapi';
import {
  createFakeKind,
  eventually,
  gate,
  RUN_UID,
  runsService,
  schedulerService,
  schedulesService,
  sleep,
} from './fake-kind';

/** Who cancels in these tests (the audit log records it). */
const BY = { actor: 'admin:1', ip: null };

const MINUTE = 60_000;

/** The job ledger on one database: trigger guard, idempotency, cancel, leases, retries, auto-disable, claims. */
export const ledgerSuite = (database: Database) =>
  describeOnDatabase(database)(`job runs on ${database}`, () => {
    let app: TestApp;
    let runs: any;
    let scheduler: any;
    const fake = createFakeKind('fake-delivery');
    const rows = (where: Record<string, unknown>) =>
      app.strapi.db.query(RUN_UID).findMany({ where, orderBy: [{ id: 'asc' }] });

    beforeAll(async () => {
      app = await startStrapi({ database, env: { API_TOKENS_SCHEDULER_ENABLED: 'false' } });
      runs = runsService(app.strapi);
      scheduler = schedulerService(app.strapi);
      runs.registerKind(fake.jobKind);
    });

    afterEach(async () => {
      // No test leaves a run queued for the next one.
      await app.strapi.db
        .query(RUN_UID)
        .updateMany({ where: { status: 'queued' }, data: { status: 'cancelled', activeKey: null } });
      await fake.reset();
      app.strapi.config.set('plugin::api-tokens.runs.retryBaseSeconds', 60);
      app.strapi.config.set('plugin::api-tokens.runs.leaseSeconds', 60);
    });

    afterAll(async () => {
      await app?.stop();
    });

    it('keeps the scheduler tick off when configured so', () => {
      expect(scheduler.isRunning()).toBe(false);
    });

    it('queues a run and executes it on this instance', async () => {
      const target = await fake.addTarget();
      const run = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api', tokenId: 'tok1' });
      expect(run).toMatchObject({
        kind: 'fake-delivery',
        targetId: target.id,
        status: 'queued',
        trigger: 'api',
        attempt: 1,
      });
      expect(run.scheduledFor).toBeNull();
      const done = await runs.waitFor(run.id);
      expect(done).toMatchObject({ status: 'succeeded', stats: { rows: 3 }, error: null });
      expect(Date.parse(done.finishedAt)).toBeGreaterThanOrEqual(Date.parse(done.startedAt));
      const [row] = await rows({ documentId: run.id });
      expect(row).toMatchObject({ tokenId: 'tok1', activeKey: null, occurrenceKey: null });
    });

    it('answers a second trigger while one is active with a 409 naming the active run', async () => {
      const target = await fake.addTarget();
      const release = gate();
      fake.behave(async () => {
        await release.promise;
        return {};
      });
      const first = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
      const error = await runs
        .trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'admin' })
        .catch((e: any) => e);
      expect(error).toMatchObject({ status: 409, name: 'ConflictError', details: { runId: first.id } });
      release.open();
      await runs.waitFor(first.id);
      const second = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
      expect(second.id).not.toBe(first.id);
      await runs.waitFor(second.id);
    });

    it('returns the same run for a repeated Idempotency-Key, even after it finished', async () => {
      const target = await fake.addTarget();
      const release = gate();
      fake.behave(async () => {
        await release.promise;
        return {};
      });
      const input = { kind: 'fake-delivery', targetId: target.id, trigger: 'api', idempotencyKey: 'key-1' };
      const first = await runs.trigger(input);
      expect((await runs.trigger(input)).id).toBe(first.id);
      release.open();
      await runs.waitFor(first.id);
      const again = await runs.trigger(input);
      expect(again).toMatchObject({ id: first.id, status: 'succeeded' });
      const other = await runs.trigger({ ...input, idempotencyKey: 'key-2' });
      expect(other.id).not.toBe(first.id);
      await runs.waitFor(other.id);
    });

    it('lets exactly one of ten concurrent triggers through', async () => {
      const target = await fake.addTarget();
      const release = gate();
      fake.behave(async () => {
        await release.promise;
        return {};
      });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' }))
      );
      const won = results.filter((r): r is PromiseFulfilledResult<any> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      for (const result of lost) {
        expect(result.reason).toMatchObject({ status: 409, details: { runId: won[0].value.id } });
      }
      expect(await rows({ targetId: target.id })).toHaveLength(1);
      release.open();
      await runs.waitFor(won[0].value.id);
    });

    it('gives 404 for an unknown target or run', async () => {
      await expect(runs.trigger({ kind: 'fake-delivery', targetId: 'nope', trigger: 'api' })).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      await expect(runs.get('nope')).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(runs.cancel('nope', BY)).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('cancels a queued run at once and frees the target', async () => {
      const target = await fake.addTarget();
      // A queued retry waiting for its backoff stays queued until cancelled.
      const queued = await app.strapi.db.query(RUN_UID).create({
        data: {
          kind: 'fake-delivery',
          targetId: target.id,
          status: 'queued',
          trigger: 'api',
          attempt: 2,
          notBefore: new Date(Date.now() + 10 * MINUTE),
          activeKey: `fake-delivery:${target.id}`,
          retried: false,
        },
      });
      const cancelled = await runs.cancel(queued.documentId, BY);
      expect(cancelled).toMatchObject({ status: 'cancelled' });
      expect(cancelled.finishedAt).not.toBeNull();
      const next = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
      await runs.waitFor(next.id);
      await expect(runs.cancel(queued.documentId, BY)).rejects.toMatchObject({ status: 409 });
    });

    it('stops a running run at its next page boundary', async () => {
      const target = await fake.addTarget();
      fake.behave(async (context) => {
        for (let page = 1; page <= 500; page += 1) {
          if (await context.isCancelled()) return { rows: page - 1 };
          await context.heartbeat({ rows: page });
          await sleep(10);
        }
        return { rows: 500 };
      });
      const run = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
      await eventually(async () => (await runs.get(run.id)).stats.rows >= 2);
      const requested = await runs.cancel(run.id, BY);
      expect(requested.status).toBe('running');
      expect(requested.cancelRequestedAt).not.toBeNull();
      const done = await runs.waitFor(run.id);
      expect(done.status).toBe('cancelled');
      expect(done.stats.rows).toBeGreaterThan(0);
      expect(done.stats.rows).toBeLessThan(500);
      await expect(runs.cancel(run.id, BY)).rejects.toMatchObject({ status: 409, name: 'ConflictError' });
    });

    it('recovers a run whose lease expired and retries it with backoff', async () => {
      const target = await fake.addTarget({ maxAttempts: 2 });
      const release = gate();
      let sawCancel: boolean | undefined;
      fake.behave(async (context) => {
        await release.promise;
        sawCancel = await context.isCancelled();
        return { rows: 1 };
      });
      const run = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
      await eventually(async () => (await runs.get(run.id)).status === 'running');
      // The owning process "died": its lease ran out.
      await app.strapi.db
        .query(RUN_UID)
        .updateMany({ where: { documentId: run.id }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
      const before = Date.now();
      const { recovered } = await scheduler.tick();
      expect(recovered).toBe(1);
      expect(await runs.get(run.id)).toMatchObject({ status: 'failed', error: 'lease expired' });

      const [, retry] = await rows({ targetId: target.id });
      expect(retry).toMatchObject({ status: 'queued', attempt: 2, trigger: 'api' });
      const delay = new Date(retry.notBefore).getTime() - before;
      expect(delay).toBeGreaterThan(55_000);
      expect(delay).toBeLessThan(70_000);

      // The stuck executor wakes up: it sees the run is no longer its own, and its result is ignored.
      release.open();
      await eventually(async () => sawCancel !== undefined);
      expect(sawCancel).toBe(true);
      expect((await runs.get(run.id)).status).toBe('failed');

      fake.behave(async () => ({ rows: 7 }));
      await runs.drain(new Date(Date.now() + 2 * MINUTE));
      expect(await runs.get(retry.documentId)).toMatchObject({ status: 'succeeded', attempt: 2, stats: { rows: 7 } });
    });

    it('retries with exponential backoff and auto-disables after consecutive failures', async () => {
      const target = await fake.addTarget({ maxAttempts: 3 });
      fake.behave(async () => {
        throw new Error('SMTP refused');
      });
      const first = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
      await runs.waitFor(first.id);
      await runs.drain(new Date(Date.now() + 2 * MINUTE));
      await runs.drain(new Date(Date.now() + 5 * MINUTE));
      const chain = await rows({ targetId: target.id });
      expect(chain.map((row) => [row.attempt, row.status, row.error, row.retried])).toEqual([
        [1, 'failed', 'SMTP refused', true],
        [2, 'failed', 'SMTP refused', true],
        [3, 'failed', 'SMTP refused', false],
      ]);
      const gap = (i: number) => new Date(chain[i + 1].notBefore).getTime() - new Date(chain[i].finishedAt).getTime();
      expect(gap(0)).toBeGreaterThan(58_000);
      expect(gap(0)).toBeLessThan(62_000);
      expect(gap(1)).toBeGreaterThan(118_000);
      expect(gap(1)).toBeLessThan(122_000);
      expect(fake.disabled).toHaveLength(0);

      // Three more final failures (one attempt each) make four in a row.
      target.maxAttempts = 1;
      for (let i = 0; i < 3; i += 1) {
        const run = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
        await runs.waitFor(run.id);
      }
      expect(fake.disabled).toHaveLength(1);
      expect(fake.disabled[0].targetId).toBe(target.id);
      expect(fake.disabled[0].reason).toMatch(/4 consecutive failed runs.*SMTP refused/);
    });

    it('does not auto-disable when a success breaks the streak', async () => {
      const target = await fake.addTarget();
      let fail = true;
      fake.behave(async () => {
        if (fail) throw new Error('flaky');
        return {};
      });
      for (const outcome of [true, true, true, false, true, true, true]) {
        fail = outcome;
        const run = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
        await runs.waitFor(run.id);
      }
      expect(fake.disabled).toHaveLength(0);
    });

    it('claims a scheduled occurrence exactly once when two ticks race', async () => {
      const target = await fake.addTarget({
        schedule: { cron: '*/5 * * * *', timezone: 'UTC' },
        missedRunPolicy: 'skip',
        createdAt: '2030-01-01T00:00:00Z',
      });
      const now = new Date('2030-01-01T10:00:10Z');
      const results = await Promise.all([scheduler.tick(now), scheduler.tick(now), scheduler.tick(now)]);
      expect(results.flatMap((result) => result.queued)).toHaveLength(1);
      await runs.drain();
      const claimed = await rows({ targetId: target.id });
      expect(claimed).toHaveLength(1);
      expect(claimed[0]).toMatchObject({
        trigger: 'schedule',
        status: 'succeeded',
        occurrenceKey: `fake-delivery:2030-01-01T10:00:00.000Z:${target.id}:1`,
      });
      expect(new Date(claimed[0].scheduledFor).toISOString()).toBe('2030-01-01T10:00:00.000Z');
      // Once it has run, later ticks within the window do not run it again.
      const later = await scheduler.tick(new Date('2030-01-01T10:00:25Z'));
      expect(later.queued).toHaveLength(0);
    });

    it('claims many due targets in one tick, once each, when ticks race', async () => {
      const targets = await Promise.all(
        Array.from({ length: 40 }, () =>
          fake.addTarget({
            schedule: { cron: '*/10 * * * *', timezone: 'Europe/Berlin' },
            createdAt: '2030-04-01T09:55:00Z',
          })
        )
      );
      const ids = new Set(targets.map((target) => target.id));
      const now = new Date('2030-04-01T10:00:07Z');
      const results = await Promise.all([scheduler.tick(now), scheduler.tick(now), scheduler.tick(now)]);
      const queued = results.flatMap((result) => result.queued).filter((run: any) => ids.has(run.targetId));
      expect(queued).toHaveLength(40);
      expect(new Set(queued.map((run: any) => run.targetId)).size).toBe(40);
      for (const run of queued) {
        expect(run).toMatchObject({ status: 'queued', trigger: 'schedule', scheduledFor: '2030-04-01T10:00:00.000Z' });
        expect(run.id).toMatch(/^[a-z][a-z0-9]{23}$/);
      }
      await runs.drain();
      const stored = await rows({ targetId: { $in: [...ids] } });
      expect(stored).toHaveLength(40);
      expect(stored.every((row: any) => row.status === 'succeeded')).toBe(true);
      // The batch INSERT wrote what Strapi's query layer reads back.
      expect(stored.map((row: any) => row.documentId).sort()).toEqual(queued.map((run: any) => run.id).sort());
      for (const row of stored) {
        expect(row).toMatchObject({ retried: false, attempt: 1, stats: { rows: 3 }, activeKey: null });
        expect(Math.abs(new Date(row.createdAt).getTime() - Date.now())).toBeLessThan(60_000);
      }
      // The rows moved on to the next occurrence: a later tick in the same window claims nothing.
      expect((await scheduler.tick(new Date('2030-04-01T10:00:22Z'))).queued).toHaveLength(0);
      const next = await schedulesService(app.strapi).find('fake-delivery', targets[0].id);
      expect(new Date(next.nextRunAt).toISOString()).toBe('2030-04-01T10:10:00.000Z');
      expect(new Date(next.followingRunAt).toISOString()).toBe('2030-04-01T10:20:00.000Z');
    });

    it('claims an on-time occurrence with the same run and keys on both claim paths', async () => {
      const target = await fake.addTarget({
        schedule: { cron: '*/10 * * * *', timezone: 'UTC' },
        createdAt: '2030-06-01T09:55:00Z',
      });
      const now = new Date('2030-06-01T10:00:05Z');
      const occurrence = { targetId: target.id, scheduledFor: new Date('2030-06-01T10:00:00Z') };
      // SQLite claims on-time rows in one INSERT … SELECT; PostgreSQL plans them in JavaScript (claimScheduled).
      const onTime = await runs.claimOnTime('fake-delivery', now);
      if (database === 'sqlite') expect(onTime).toHaveLength(1);
      else expect(onTime).toBeNull();
      const first = onTime ?? (await runs.claimScheduled('fake-delivery', [occurrence])).queued;
      expect(first).toMatchObject([
        { targetId: target.id, status: 'queued', trigger: 'schedule', scheduledFor: '2030-06-01T10:00:00.000Z' },
      ]);
      const [row] = await rows({ targetId: target.id });
      expect(row).toMatchObject({
        documentId: first[0].id,
        occurrenceKey: `fake-delivery:2030-06-01T10:00:00.000Z:${target.id}:1`,
        deliveryKey: `fake-delivery:${target.id}:2030-06-01T10:00:00.000Z`,
        activeKey: `fake-delivery:${target.id}`,
        attempt: 1,
        retried: false,
        stats: {},
      });
      expect(row.documentId).toMatch(/^r[a-z0-9]{23}$/);
      // Whichever path claimed it, the other one finds the occurrence taken, and so does a tick.
      const again = await runs.claimScheduled('fake-delivery', [occurrence]);
      expect(again.queued).toHaveLength(0);
      expect([...again.taken]).toEqual([target.id]);
      expect((await scheduler.tick(now)).queued).toHaveLength(0);
      await runs.drain();
      expect(await rows({ targetId: target.id })).toHaveLength(1);
    });

    it('drops an occurrence older than two ticks under `skip` and claims it under `once`', async () => {
      const hourly = { cron: '0 * * * *', timezone: 'UTC' };
      const skip = await fake.addTarget({
        schedule: hourly,
        missedRunPolicy: 'skip',
        createdAt: '2030-07-01T09:30:00Z',
      });
      const once = await fake.addTarget({
        schedule: hourly,
        missedRunPolicy: 'once',
        createdAt: '2030-07-01T09:30:00Z',
      });
      // 45 s late with 15-second ticks: the following occurrence (11:00) has not passed, so this is the on-time path.
      const { queued } = await scheduler.tick(new Date('2030-07-01T10:00:45Z'));
      const claimed = queued.filter((run: any) => [skip.id, once.id].includes(run.targetId));
      expect(claimed.map((run: any) => [run.targetId, run.scheduledFor])).toEqual([
        [once.id, '2030-07-01T10:00:00.000Z'],
      ]);
      for (const target of [skip, once]) {
        const row = await schedulesService(app.strapi).find('fake-delivery', target.id);
        expect(new Date(row.nextRunAt).toISOString()).toBe('2030-07-01T11:00:00.000Z');
      }
      await runs.drain();
    });

    it('keeps a busy target due, and `once` runs its occurrence when the active run is over', async () => {
      const target = await fake.addTarget({
        schedule: { cron: '0 * * * *', timezone: 'UTC' },
        createdAt: '2030-05-01T09:30:00Z',
      });
      const stuck = gate();
      fake.behave(async () => {
        await stuck.promise;
        return {};
      });
      const manual = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'admin' });
      await eventually(async () => (await runs.get(manual.id)).status === 'running');
      expect((await scheduler.tick(new Date('2030-05-01T10:00:05Z'))).queued).toHaveLength(0);
      const due = await schedulesService(app.strapi).find('fake-delivery', target.id);
      expect(new Date(due.nextRunAt).toISOString()).toBe('2030-05-01T10:00:00.000Z');

      stuck.open();
      await runs.waitFor(manual.id);
      const { queued } = await scheduler.tick(new Date('2030-05-01T10:03:00Z'));
      expect(queued.map((run: any) => [run.targetId, run.scheduledFor])).toEqual([
        [target.id, '2030-05-01T10:00:00.000Z'],
      ]);
      await runs.drain();
    });

    it('inserts one run when the same occurrence is claimed concurrently', async () => {
      const target = await fake.addTarget({ schedule: { cron: '0 * * * *', timezone: 'UTC' } });
      const scheduledFor = new Date('2031-05-05T05:00:00Z');
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () =>
          runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'schedule', scheduledFor })
        )
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      await runs.drain();
      expect(await rows({ targetId: target.id })).toHaveLength(1);
    });

    it('applies the missed-run policy after downtime: skip drops, once runs the latest', async () => {
      const base = { schedule: { cron: '0 8 * * *', timezone: 'UTC' }, createdAt: '2030-02-01T00:00:00Z' };
      const skip = await fake.addTarget({ ...base, missedRunPolicy: 'skip' });
      const once = await fake.addTarget({ ...base, missedRunPolicy: 'once' });
      const scheduledFor = async (target: { id: string }) =>
        (await rows({ targetId: target.id })).map((row) => new Date(row.scheduledFor).toISOString());

      // Down from Feb 1 to Feb 3 noon: three 08:00 occurrences were missed.
      await scheduler.tick(new Date('2030-02-03T12:00:00Z'));
      await runs.drain();
      expect(await scheduledFor(skip)).toEqual([]);
      expect(await scheduledFor(once)).toEqual(['2030-02-03T08:00:00.000Z']);

      await scheduler.tick(new Date('2030-02-03T12:00:15Z'));
      await runs.drain();
      expect(await scheduledFor(once)).toHaveLength(1);

      // Back on time: both run the next occurrence, once.
      for (const at of ['2030-02-04T08:00:05Z', '2030-02-04T08:00:20Z', '2030-02-04T08:00:35Z']) {
        await scheduler.tick(new Date(at));
        await runs.drain();
      }
      expect(await scheduledFor(skip)).toEqual(['2030-02-04T08:00:00.000Z']);
      expect(await scheduledFor(once)).toEqual(['2030-02-03T08:00:00.000Z', '2030-02-04T08:00:00.000Z']);
    });

    it('does not schedule a disabled target, and never one created after the occurrence', async () => {
      const disabled = await fake.addTarget({ schedule: { cron: '0 8 * * *', timezone: 'UTC' }, enabled: false });
      const fresh = await fake.addTarget({
        schedule: { cron: '0 8 * * *', timezone: 'UTC' },
        createdAt: '2030-03-01T09:00:00Z',
      });
      await scheduler.tick(new Date('2030-03-01T10:00:00Z'));
      await runs.drain();
      expect(await rows({ targetId: disabled.id })).toHaveLength(0);
      expect(await rows({ targetId: fresh.id })).toHaveLength(0);
    });

    it('runs a second registered kind under its own name, scope and label, with no change to the ledger', async () => {
      const reports = createFakeKind('report-export', { scope: 'reports:export', label: 'Report export' });
      runs.registerKind(reports.jobKind);
      expect(runs.scopeOf('report-export')).toBe('reports:export');
      expect(runs.scopeOf('fake-delivery')).toBe('subscriptions:execute');
      // Documented: an unregistered kind has no scope.
      expect(runs.scopeOf('no-such-kind')).toBeNull();

      const target = await reports.addTarget();
      const run = await runs.trigger({ kind: 'report-export', targetId: target.id, trigger: 'admin' });
      expect(await runs.waitFor(run.id)).toMatchObject({ kind: 'report-export', status: 'succeeded' });
      expect(reports.executed).toEqual([run.id]);
      expect((await runs.list({ kind: 'report-export' })).results.map((r: any) => r.id)).toEqual([run.id]);

      // The label names the target in the 404 and the 409.
      await expect(runs.trigger({ kind: 'report-export', targetId: 'missing', trigger: 'api' })).rejects.toMatchObject({
        name: 'NotFoundError',
        message: 'Report export not found',
      });
      const release = gate();
      reports.behave(async () => {
        await release.promise;
        return {};
      });
      const busy = await runs.trigger({ kind: 'report-export', targetId: target.id, trigger: 'admin' });
      await expect(
        runs.trigger({ kind: 'report-export', targetId: target.id, trigger: 'admin' })
      ).rejects.toMatchObject({ status: 409, message: 'This report export already has a run queued or running' });
      release.open();
      await runs.waitFor(busy.id);

      // The target falls back to the kind's defaults (one attempt here).
      expect(await runs.findTarget('report-export', target.id)).toMatchObject({
        maxAttempts: 1,
        missedRunPolicy: 'once',
      });
      expect(() => runs.registerKind(reports.jobKind)).toThrow(/already registered/);
      expect(() => runs.registerKind({ ...reports.jobKind, kind: 'Report export' })).toThrow(/must match/);
      expect(() => runs.registerKind({ ...reports.jobKind, kind: 'no-label', label: '' })).toThrow(/label/);
      expect(() => runs.registerKind({ ...reports.jobKind, kind: 'no-defaults', defaults: undefined })).toThrow(
        /defaults\.maxAttempts/
      );
    });

    it('cancels what a target has queued or running with cancelActive, and nothing of other targets', async () => {
      const target = await fake.addTarget();
      const other = await fake.addTarget();
      const release = gate();
      fake.behave(async (context) => {
        await release.promise;
        if (await context.isCancelled()) return {};
        return { rows: 1 };
      });
      const active = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
      const untouched = await runs.trigger({ kind: 'fake-delivery', targetId: other.id, trigger: 'api' });
      await eventually(async () => (await runs.get(active.id)).status === 'running');
      expect(await runs.cancelActive('fake-delivery', target.id)).toBe(1);
      release.open();
      expect((await runs.waitFor(active.id)).status).toBe('cancelled');
      expect((await runs.waitFor(untouched.id)).status).toBe('succeeded');

      const waiting = await app.strapi.db.query(RUN_UID).create({
        data: {
          kind: 'fake-delivery',
          targetId: target.id,
          status: 'queued',
          trigger: 'api',
          attempt: 2,
          notBefore: new Date(Date.now() + 10 * MINUTE),
          activeKey: `fake-delivery:${target.id}`,
        },
      });
      expect(await runs.cancelActive('fake-delivery', target.id)).toBe(1);
      expect(await runs.get(waiting.documentId)).toMatchObject({ status: 'cancelled' });
      expect(await runs.cancelActive('fake-delivery', target.id)).toBe(0);
    });

    it('keeps an Idempotency-Key per caller: the same key from two tokens gives two runs', async () => {
      const target = await fake.addTarget();
      const release = gate();
      fake.behave(async () => {
        await release.promise;
        return {};
      });
      const input = { kind: 'fake-delivery', targetId: target.id, trigger: 'api', idempotencyKey: 'nightly' };
      const first = await runs.trigger({ ...input, tokenId: 'token-a' });
      expect((await runs.trigger({ ...input, tokenId: 'token-a' })).id).toBe(first.id);
      // Another caller's request is a request of its own: while the target is busy, a 409.
      await expect(runs.trigger({ ...input, tokenId: 'token-b' })).rejects.toMatchObject({
        status: 409,
        details: { runId: first.id },
      });
      release.open();
      await runs.waitFor(first.id);
      const second = await runs.trigger({ ...input, tokenId: 'token-b' });
      expect(second.id).not.toBe(first.id);
      await runs.waitFor(second.id);
      expect((await runs.trigger({ ...input, tokenId: 'token-a' })).id).toBe(first.id);
      expect((await runs.trigger({ ...input, tokenId: 'token-b' })).id).toBe(second.id);
      // The database holds it: a second run with the same kind, target, token and key is refused.
      const duplicate = await app.strapi.db
        .query(RUN_UID)
        .create({ data: { ...input, status: 'succeeded', tokenId: 'token-a' } })
        .then(
          (row: unknown) => ({ inserted: row }),
          (error: Error) => error
        );
      expect(String((duplicate as Error).message ?? JSON.stringify(duplicate))).toMatch(/unique/i);
    });

    it('gives the retries of one occurrence the same delivery key', async () => {
      const target = await fake.addTarget({ maxAttempts: 2 });
      const seen: [number, string][] = [];
      fake.behave(async (context) => {
        seen.push([context.run.attempt, context.deliveryKey]);
        if (context.run.attempt === 1) throw new Error('SMTP refused');
        return {};
      });
      // Triggered: the first attempt's run id.
      const triggered = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
      await runs.waitFor(triggered.id);
      await runs.drain(new Date(Date.now() + 2 * MINUTE));
      expect(seen).toEqual([
        [1, triggered.id],
        [2, triggered.id],
      ]);
      // Scheduled: kind, target and occurrence.
      seen.length = 0;
      const scheduledFor = new Date('2031-01-01T08:00:00Z');
      const scheduled = await runs.trigger({
        kind: 'fake-delivery',
        targetId: target.id,
        trigger: 'schedule',
        scheduledFor,
      });
      await runs.waitFor(scheduled.id);
      await runs.drain(new Date(Date.now() + 2 * MINUTE));
      const key = `fake-delivery:${target.id}:2031-01-01T08:00:00.000Z`;
      expect(seen).toEqual([
        [1, key],
        [2, key],
      ]);
      const chain = await rows({ targetId: target.id, scheduledFor });
      expect(chain.map((row: any) => [row.attempt, row.status, row.deliveryKey])).toEqual([
        [1, 'failed', key],
        [2, 'succeeded', key],
      ]);
    });

    it("refuses the commit of a runner that lost its lease, and aborts that runner's signal", async () => {
      const target = await fake.addTarget({ maxAttempts: 2 });
      const stuck = gate();
      const committed: string[] = [];
      let staleCommit: unknown;
      let staleSignal: AbortSignal | undefined;
      fake.behave(async (context) => {
        if (context.run.attempt === 1) {
          staleSignal = context.signal;
          await stuck.promise; // a long GC pause, a stalled disk
          staleCommit = await context
            .commit(async () => {
              committed.push('stale');
            })
            .catch((error: Error) => error);
          return {};
        }
        await context.commit(async () => {
          committed.push('retry');
        });
        return {};
      });
      const run = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
      await eventually(async () => (await runs.get(run.id)).status === 'running');
      await app.strapi.db
        .query(RUN_UID)
        .updateMany({ where: { documentId: run.id }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
      expect(await runs.recoverExpiredLeases()).toBe(1);
      // The retry runs while the stale runner still holds its slot (drain() would wait for that one too).
      const [, retry] = await rows({ targetId: target.id });
      await runs.dispatch(new Date(Date.now() + 2 * MINUTE));
      expect(await runs.waitFor(retry.documentId)).toMatchObject({ status: 'succeeded', attempt: 2 });
      expect(committed).toEqual(['retry']);

      stuck.open();
      await runs.waitFor(run.id);
      await eventually(async () => staleCommit !== undefined);
      expect(staleCommit).toMatchObject({ name: 'LeaseLost' });
      expect(committed).toEqual(['retry']);
      expect(staleSignal!.aborted).toBe(true);
      expect((staleSignal!.reason as Error).name).toBe('LeaseLost');
      // Its outcome is not written either: the run stays as the recovery left it.
      expect(await runs.get(run.id)).toMatchObject({ status: 'failed', error: 'lease expired' });
    });

    it('aborts the signal at the next lease renewal on a cancel request or a takeover', async () => {
      app.strapi.config.set('plugin::api-tokens.runs.leaseSeconds', 1); // renewals every ~330 ms
      const target = await fake.addTarget();
      const reasons: string[] = [];
      // The executor never polls isCancelled(): only the renewals can tell it.
      fake.behave(async (context) => {
        await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
        reasons.push((context.signal.reason as Error).name);
        return {};
      });
      const cancelled = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
      await eventually(async () => (await runs.get(cancelled.id)).status === 'running');
      await runs.cancel(cancelled.id, BY);
      expect((await runs.waitFor(cancelled.id)).status).toBe('cancelled');

      const taken = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'api' });
      await eventually(async () => (await runs.get(taken.id)).status === 'running');
      // Another runner claimed it: the row carries another fence.
      await app.strapi.db.query(RUN_UID).updateMany({ where: { documentId: taken.id }, data: { fence: 'other' } });
      await eventually(async () => reasons.length === 2);
      expect(reasons).toEqual(['RunCancelRequested', 'LeaseLost']);
      await runs.waitFor(taken.id, 200).catch(() => {});
      // The runner that lost it did not finish it: that is the new holder's to do.
      expect((await runs.get(taken.id)).status).toBe('running');
      await app.strapi.db
        .query(RUN_UID)
        .updateMany({ where: { documentId: taken.id }, data: { status: 'cancelled', activeKey: null } });
    });

    it('executes at most runs.concurrency runs at once on an instance; the rest wait queued', async () => {
      const limit = database === 'postgres' ? 4 : 2; // the default when runs.concurrency is unset
      const targets = await Promise.all(Array.from({ length: limit + 3 }, () => fake.addTarget()));
      const ids = targets.map((target) => target.id);
      const release = gate();
      let running = 0;
      let peak = 0;
      fake.behave(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await release.promise;
        await sleep(10);
        running -= 1;
        return {};
      });
      const triggered = [];
      for (const id of ids) triggered.push(await runs.trigger({ kind: 'fake-delivery', targetId: id, trigger: 'api' }));
      await eventually(async () => (await rows({ targetId: { $in: ids }, status: 'running' })).length === limit);
      await sleep(150);
      expect(await rows({ targetId: { $in: ids }, status: 'running' })).toHaveLength(limit);
      expect(await rows({ targetId: { $in: ids }, status: 'queued' })).toHaveLength(3);
      release.open();
      // Each finished run frees a slot for a queued one, with no tick.
      for (const run of triggered) expect((await runs.waitFor(run.id)).status).toBe('succeeded');
      expect(peak).toBe(limit);
      expect(new Set(fake.executed).size).toBe(ids.length);
      expect(fake.executed).toHaveLength(ids.length);
    });

    it('lists runs with filters and pagination, and purges finished runs past retention', async () => {
      const target = await fake.addTarget();
      for (let i = 0; i < 3; i += 1) {
        const run = await runs.trigger({ kind: 'fake-delivery', targetId: target.id, trigger: 'admin' });
        await runs.waitFor(run.id);
      }
      const page = await runs.list({ targetId: target.id, status: 'succeeded' }, { page: 1, pageSize: 2 });
      expect(page.results).toHaveLength(2);
      expect(page.pagination).toMatchObject({ page: 1, pageSize: 2, pageCount: 2, total: 3 });

      const old = new Date(Date.now() - 100 * 24 * 60 * MINUTE);
      await app.strapi.db.query(RUN_UID).updateMany({ where: { targetId: target.id }, data: { finishedAt: old } });
      expect(await runs.purge(90)).toBeGreaterThanOrEqual(3);
      expect(await rows({ targetId: target.id })).toHaveLength(0);
    });
  });
