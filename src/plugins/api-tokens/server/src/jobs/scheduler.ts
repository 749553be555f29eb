import type { Core } from '@strapi/strapi';
import schedule from 'node-schedule';
import { getConfig } from '../config';
import { describeError } from '../utils/errors';
import { getService } from '../utils/get-service';
import { SCHEDULE_BATCH, type DuePlan, type ScheduleRow } from './schedule-rows';
import type { JobKind, Run, RunKind } from './types';

export interface TickResult {
  /** The runs this tick queued for due occurrences. */
  queued: Run[];
  /** Running runs whose lease had expired. */
  recovered: number;
}

/** The clock-aligned rule for a tick every `seconds` (whole minutes past 60). */
const tickRule = (seconds: number) => {
  const rule = new schedule.RecurrenceRule();
  if (seconds < 60) {
    rule.second = new schedule.Range(0, 59, Math.max(1, Math.round(seconds)));
  } else {
    const minutes = Math.round(seconds / 60);
    rule.second = 0;
    rule.minute = minutes >= 60 ? 0 : new schedule.Range(0, 59, minutes);
  }
  return rule;
};

/**
 * Every instance ticks. A tick reads the schedule rows whose next occurrence has passed (jobs/schedule-rows.ts) and claims
 * them in one batch; the run ledger's unique occurrenceKey makes each claim exactly-once across ticks and instances,
 * and the single-active-run guard still applies (an occurrence due while its target has a run queued or running is
 * not recorded: `skip` drops it once it is out of the window, `once` runs it after the active run finishes).
 */
const scheduler = ({ strapi }: { strapi: Core.Strapi }) => {
  let job: schedule.Job | null = null;
  let inFlight: Promise<unknown> | null = null;
  /** When each kind's rows were last reconciled with its targets (this instance's clock). */
  const reconciledAt = new Map<RunKind, number>();
  const reconciling = new Map<RunKind, Promise<unknown>>();

  /** One reconcile per kind at a time on this instance; racing ticks wait for the same one. */
  const reconcile = (kind: JobKind, now: Date) => {
    let pending = reconciling.get(kind.kind);
    if (!pending) {
      pending = getService('schedules')
        .reconcile(kind, now)
        .then(() => reconciledAt.set(kind.kind, Date.now()))
        .finally(() => reconciling.delete(kind.kind));
      reconciling.set(kind.kind, pending);
    }
    return pending;
  };

  /**
   * SQLite in WAL mode: moves the log into the database file now (PASSIVE: waits for no one), so the checkpoint and
   * its fsync, which SQLite otherwise runs inside whichever commit crosses `wal_autocheckpoint`, do not land in the
   * next tick's claims. A no-op for a rollback journal.
   */
  const checkpointSqliteLog = async () => {
    if (strapi.db.dialect.client === 'sqlite') await strapi.db.connection.raw('PRAGMA wal_checkpoint(PASSIVE)');
  };

  /**
   * Claims the kind's due occurrences (on SQLite the on-time ones first, in one statement), then the rest a batch of
   * schedule rows at a time, then moves the rows on.
   */
  const claimDue = async (kind: JobKind, now: Date): Promise<Run[]> => {
    const schedules = getService('schedules');
    const runs = getService('runs');
    const queued: Run[] = (await runs.claimOnTime(kind.kind, now)) ?? [];
    const claimedOnTime = new Set(queued.map((run) => `${run.targetId}@${run.scheduledFor}`));
    const settled: DuePlan[] = [];
    let cursor: ScheduleRow | undefined;
    for (;;) {
      const due = await schedules.due(kind.kind, now, cursor);
      if (due.length === 0) break;
      cursor = due[due.length - 1];
      const plans = due.map((row) => schedules.plan(row, now));
      const claims = plans.flatMap(({ row, occurrence }) =>
        occurrence && !claimedOnTime.has(`${row.targetId}@${occurrence.toISOString()}`)
          ? [{ targetId: row.targetId, scheduledFor: occurrence }]
          : []
      );
      const { queued: claimed, active } = await runs.claimScheduled(kind.kind, claims);
      queued.push(...claimed);
      for (const targetId of active) {
        strapi.log.debug(`api-tokens: ${kind.kind} ${targetId} is due but a run is still active`);
      }
      // A target kept busy keeps its row: `once` claims the occurrence when the run is over.
      settled.push(...plans.filter(({ row }) => !active.has(row.targetId)));
      if (due.length < SCHEDULE_BATCH) break;
    }
    // After every claim: moving a row on evaluates its cron, and claims should not wait for that.
    await schedules.advance(settled);
    return queued;
  };

  return {
    /**
     * Queues due occurrences, recovers expired leases, purges old runs, audit events and embed-token revocations,
     * starts what this instance can claim, and sends the token expiry reminders due at `now` (reminders/service.ts).
     */
    async tick(now: Date = new Date()): Promise<TickResult> {
      const runs = getService('runs');
      const queued: Run[] = [];
      const { reconcileSeconds } = getConfig().scheduler;
      for (const kind of runs.listKinds()) {
        try {
          // The first tick reconciles before it claims; later ones after, so claims never wait for it.
          if (!reconciledAt.has(kind.kind)) await reconcile(kind, now);
          queued.push(...(await claimDue(kind, now)));
          if (Date.now() - (reconciledAt.get(kind.kind) ?? 0) >= reconcileSeconds * 1000) await reconcile(kind, now);
        } catch (error) {
          strapi.log.warn(`api-tokens: could not schedule ${kind.kind} runs: ${describeError(error)}`);
        }
      }
      const recovered = await runs.recoverExpiredLeases();
      await runs.purgeIfDue();
      await getService('audit').purgeIfDue();
      await getService('embeds').purgeRevocationsIfDue();
      await runs.dispatch();
      try {
        await getService('reminders').check(now);
      } catch (error) {
        strapi.log.warn(`api-tokens: could not send token expiry reminders: ${describeError(error)}`);
      }
      await checkpointSqliteLog();
      return { queued, recovered };
    },

    /** Starts the node-schedule tick when `scheduler.enabled`; a tick still in flight makes the next one skip. */
    start() {
      const { enabled, tickSeconds } = getConfig().scheduler;
      if (!enabled || job) return;
      job = schedule.scheduleJob(tickRule(tickSeconds), () => {
        if (inFlight) return;
        inFlight = this.tick()
          .catch((error) => strapi.log.warn(`api-tokens: scheduler tick failed: ${(error as Error).message}`))
          .finally(() => {
            inFlight = null;
          });
      });
    },

    isRunning() {
      return job !== null;
    },

    /** Cancels the tick, waits for the one in flight and stops the runs worker. */
    async destroy() {
      job?.cancel();
      job = null;
      await inFlight;
      await getService('runs').stop();
    },
  };
};

export type SchedulerService = ReturnType<typeof scheduler>;
export default scheduler;
