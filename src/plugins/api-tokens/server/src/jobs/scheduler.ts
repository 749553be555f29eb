import type { Core } from '@strapi/strapi';
import schedule from 'node-schedule';
import { getConfig } from '../config';
import { getService } from '../utils/get-service';
import { ConflictError, OccurrenceTaken } from './errors';
import { latestOccurrence } from './schedule';
import type { JobKind, JobTarget, Run } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

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
 * Every instance ticks. A tick queues each due occurrence through runs.trigger(): the unique occurrenceKey makes the
 * claim exactly-once across ticks and instances, and the single-active-run guard still applies (an occurrence due
 * while its target has a run queued or running is not recorded: `skip` drops it once it is out of the window,
 * `once` runs it after the active run finishes).
 */
const scheduler = ({ strapi }: { strapi: Core.Strapi }) => {
  let job: schedule.Job | null = null;
  let inFlight: Promise<unknown> | null = null;

  /** The occurrence to run now, if any: the latest one after the last run (or creation), within the policy. */
  const dueOccurrence = async (kind: JobKind, target: JobTarget, now: Date): Promise<Date | null> => {
    if (!target.enabled || !target.schedule) return null;
    const config = getConfig();
    const windowMs = config.scheduler.tickSeconds * 2 * 1000;
    const last = await getService('runs').lastScheduledFor(kind.kind, target.id);
    const created = target.createdAt ? new Date(target.createdAt).getTime() : NaN;
    const after = Math.max(
      last?.getTime() ?? -Infinity,
      Number.isFinite(created) ? created : now.getTime() - windowMs,
      // Runs older than the retention may be purged; never re-run their occurrences.
      now.getTime() - config.runs.retentionDays * DAY_MS
    );
    const floor = target.missedRunPolicy === 'skip' ? Math.max(after, now.getTime() - windowMs - 1) : after;
    return latestOccurrence(target.schedule, new Date(floor), now);
  };

  const scheduleTarget = async (kind: JobKind, target: JobTarget, now: Date): Promise<Run | null> => {
    try {
      const occurrence = await dueOccurrence(kind, target, now);
      if (!occurrence) return null;
      return await getService('runs').trigger({
        kind: kind.kind,
        targetId: target.id,
        trigger: 'schedule',
        scheduledFor: occurrence,
      });
    } catch (error) {
      if (error instanceof OccurrenceTaken) return null;
      if (error instanceof ConflictError) {
        strapi.log.debug(`api-tokens: ${kind.kind} ${target.id} is due but a run is still active`);
        return null;
      }
      strapi.log.warn(`api-tokens: could not schedule ${kind.kind} ${target.id}: ${(error as Error).message}`);
      return null;
    }
  };

  return {
    /** Queues due occurrences, recovers expired leases, purges old runs and starts what this instance can claim. */
    async tick(now: Date = new Date()): Promise<TickResult> {
      const runs = getService('runs');
      const queued: Run[] = [];
      for (const kind of runs.listKinds()) {
        let targets: JobTarget[];
        try {
          targets = await kind.listScheduled();
        } catch (error) {
          strapi.log.warn(`api-tokens: could not list scheduled ${kind.kind} targets: ${(error as Error).message}`);
          continue;
        }
        for (const target of targets) {
          const run = await scheduleTarget(kind, target, now);
          if (run) queued.push(run);
        }
      }
      const recovered = await runs.recoverExpiredLeases();
      await runs.purgeIfDue();
      await runs.dispatch();
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
