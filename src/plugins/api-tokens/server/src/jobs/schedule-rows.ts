import type { Core } from '@strapi/strapi';
import { getConfig } from '../config';
import { columnOf } from '../utils/content-type';
import { isUniqueViolation } from '../utils/errors';
import { getService } from '../utils/get-service';
import { latestOccurrence, nextOccurrence } from './cron';
import type { JobKind, MissedRunPolicy, ResolvedTarget, RunKind, Schedule } from './types';

export const SCHEDULE_UID = 'plugin::api-tokens.job-schedule';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows per due query, per createMany and per deleteMany. */
export const SCHEDULE_BATCH = 500;

export interface ScheduleRow {
  id: number;
  kind: RunKind;
  targetId: string;
  cron: string;
  timezone: string;
  missedRunPolicy: MissedRunPolicy;
  /** As the database returns it: a Date, an ISO string or epoch milliseconds (SQLite). */
  nextRunAt: string | number | Date;
  followingRunAt: string | number | Date | null;
}

const ROW_FIELDS: (keyof ScheduleRow)[] = [
  'id',
  'kind',
  'targetId',
  'cron',
  'timezone',
  'missedRunPolicy',
  'nextRunAt',
  'followingRunAt',
];

/** What a tick does with one due schedule row. */
export interface DuePlan {
  row: ScheduleRow;
  /** The occurrence to claim now, or null when the missed-run policy drops what passed. */
  occurrence: Date | null;
  /** Where the row moves once the occurrence is claimed (null: the cron has no further occurrence). */
  nextRunAt: Date | null;
}

type ScheduledTarget = ResolvedTarget & { schedule: Schedule };

/** The oldest occurrence a tick at `now` still claims: within two ticks for `skip`, within the retention for `once`. */
export const oldestClaimable = (policy: MissedRunPolicy, now: Date): Date => {
  const { scheduler, runs } = getConfig();
  return new Date(now.getTime() - (policy === 'skip' ? scheduler.tickSeconds * 2 * 1000 : runs.retentionDays * DAY_MS));
};

const slotOf = (kind: RunKind, targetId: string) => `${kind}:${targetId}`;
const isScheduled = (target: ResolvedTarget | null | undefined): target is ScheduledTarget =>
  !!target && target.enabled && !!target.schedule;
const scheduleOf = (row: ScheduleRow): Schedule => ({ cron: row.cron, timezone: row.timezone });
const sameSchedule = (row: ScheduleRow, target: ScheduledTarget) =>
  row.cron === target.schedule.cron &&
  row.timezone === target.schedule.timezone &&
  row.missedRunPolicy === target.missedRunPolicy;
const latest = (...dates: (Date | string | null | undefined)[]): Date =>
  new Date(Math.max(...dates.filter((date) => date != null).map((date) => new Date(date!).getTime())));

/**
 * One row per scheduled target holding its next occurrence (the Quartz `NEXT_FIRE_TIME` pattern): a tick reads only
 * the rows that are due, through an index, and evaluates no cron for the others. Rows follow the targets through
 * `sync()` (called by a kind when a target's schedule changes) and `reconcile()` (the scheduler's periodic full pass).
 * An occurrence stays claimed exactly once by the run ledger's unique occurrence key; these rows only decide when to
 * try, and move forward with conditional UPDATEs, so racing ticks and instances agree.
 */
const schedules = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(SCHEDULE_UID);

  /** The row for a target whose occurrences count from `after`, or null when its cron never fires again. */
  const rowData = (kind: RunKind, target: ScheduledTarget, after: Date) => {
    const nextRunAt = nextOccurrence(target.schedule, after);
    if (!nextRunAt) return null;
    return {
      kind,
      targetId: target.id,
      slot: slotOf(kind, target.id),
      cron: target.schedule.cron,
      timezone: target.schedule.timezone,
      missedRunPolicy: target.missedRunPolicy,
      nextRunAt,
      followingRunAt: nextOccurrence(target.schedule, nextRunAt),
    };
  };

  /**
   * Where a target's occurrences start: after its last scheduled run and its creation. A schedule that changed starts
   * at `now`: occurrences of the old cron are not caught up under the new one.
   */
  const startOf = (target: ScheduledTarget, last: Date | null, changed: boolean, now: Date) =>
    latest(last, target.createdAt ?? now, changed ? now : null);

  /** Inserts rows; a slot another instance inserted meanwhile is left to it. */
  const insertRows = async (rows: Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += SCHEDULE_BATCH) {
      const chunk = rows.slice(i, i + SCHEDULE_BATCH);
      try {
        await query().createMany({ data: chunk });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        for (const data of chunk) {
          await query()
            .create({ data })
            .catch((rowError: unknown) => {
              if (!isUniqueViolation(rowError)) throw rowError;
            });
        }
      }
    }
  };

  return {
    /** Brings one target's row in line with the target (after a create, an update, a delete or an auto-disable). */
    async sync(kind: RunKind, targetId: string, now: Date = new Date()): Promise<ScheduleRow | null> {
      const target = await getService('runs').findTarget(kind, targetId);
      const row: ScheduleRow | null = await query().findOne({ where: { slot: slotOf(kind, targetId) } });
      if (!isScheduled(target)) {
        if (row) await query().delete({ where: { id: row.id } });
        return null;
      }
      if (row && sameSchedule(row, target)) return row;
      const last = (await getService('runs').lastScheduledFor(kind, [targetId])).get(targetId) ?? null;
      const data = rowData(kind, target, startOf(target, last, !!row, now));
      if (!data) {
        if (row) await query().delete({ where: { id: row.id } });
        return null;
      }
      if (row) return query().update({ where: { id: row.id }, data });
      await insertRows([data]);
      return query().findOne({ where: { slot: data.slot } });
    },

    /** Makes the kind's rows match `listScheduled()`: creates the missing, moves the changed, drops the orphaned. */
    async reconcile(kind: JobKind, now: Date = new Date()) {
      const targets = (await getService('runs').listScheduled(kind)).filter(isScheduled);
      const rows: ScheduleRow[] = await query().findMany({
        where: { kind: kind.kind },
        select: ['id', 'targetId', 'cron', 'timezone', 'missedRunPolicy'],
      });
      const orphans = new Map(rows.map((row) => [row.targetId, row]));
      const lastRuns = await getService('runs').lastScheduledFor(kind.kind);
      const creates: Record<string, unknown>[] = [];
      const updates: { id: number; data: Record<string, unknown> }[] = [];
      const removals: number[] = [];
      for (const target of targets) {
        const row = orphans.get(target.id);
        orphans.delete(target.id);
        if (row && sameSchedule(row, target)) continue;
        const data = rowData(kind.kind, target, startOf(target, lastRuns.get(target.id) ?? null, !!row, now));
        if (!data) {
          if (row) removals.push(row.id);
        } else if (row) {
          updates.push({ id: row.id, data });
        } else {
          creates.push(data);
        }
      }
      removals.push(...[...orphans.values()].map((row) => row.id));
      await insertRows(creates);
      for (const { id, data } of updates) await query().update({ where: { id }, data });
      for (let i = 0; i < removals.length; i += SCHEDULE_BATCH) {
        await query().deleteMany({ where: { id: { $in: removals.slice(i, i + SCHEDULE_BATCH) } } });
      }
      return { created: creates.length, updated: updates.length, removed: removals.length };
    },

    /**
     * The kind's rows whose next occurrence has passed, in (nextRunAt, id) order after `cursor` (the last row of the
     * previous batch), so the `next_run_at` index serves both the filter and the order.
     */
    async due(kind: RunKind, now: Date, cursor?: ScheduleRow): Promise<ScheduleRow[]> {
      // `$gte` gives the index scan its lower bound; the `$or` alone would make SQLite walk from the oldest due row.
      const after = cursor
        ? {
            nextRunAt: { $gte: new Date(cursor.nextRunAt), $lte: now },
            $or: [{ nextRunAt: { $gt: new Date(cursor.nextRunAt) } }, { id: { $gt: cursor.id } }],
          }
        : { nextRunAt: { $lte: now } };
      // Unmapped rows, renamed here: the query layer's per-field mapping took ~40 % of this query's time.
      const rows: Record<string, unknown>[] = await strapi.db
        .queryBuilder(SCHEDULE_UID)
        .init({
          where: { kind, ...after },
          orderBy: [{ nextRunAt: 'asc' }, { id: 'asc' }],
          limit: SCHEDULE_BATCH,
          select: ROW_FIELDS,
        })
        .execute({ mapResults: false });
      const column = columnOf(strapi, SCHEDULE_UID);
      const columns = ROW_FIELDS.map((key) => [key, column(key)]);
      return rows.map(
        (row) => Object.fromEntries(columns.map(([key, column]) => [key, row[column]])) as unknown as ScheduleRow
      );
    },

    /**
     * Which occurrence of a due row to claim at `now`. When the occurrence after `nextRunAt` has not passed (a tick on
     * time), that is `nextRunAt` itself and no cron is evaluated. Otherwise (downtime, or a target kept busy by a long
     * run) the missed-run policy picks: `skip` only what is within two ticks, `once` the latest within the retention.
     */
    plan(row: ScheduleRow, now: Date): DuePlan {
      const next = new Date(row.nextRunAt).getTime();
      const following = row.followingRunAt == null ? null : new Date(row.followingRunAt);
      const floor = Math.max(next - 1, oldestClaimable(row.missedRunPolicy, now).getTime() - 1);
      if (!following || following.getTime() > now.getTime()) {
        return { row, occurrence: next > floor ? new Date(next) : null, nextRunAt: following };
      }
      const schedule = scheduleOf(row);
      return {
        row,
        occurrence: latestOccurrence(schedule, new Date(floor), now),
        nextRunAt: nextOccurrence(schedule, now),
      };
    },

    /** Moves claimed (or dropped) rows to their next occurrence; a row another tick moved first is left alone. */
    async advance(plans: DuePlan[]): Promise<void> {
      if (plans.length === 0) return;
      // Rows that move from and to the same instants (every `*/5` cron in a tick, say) move in one UPDATE.
      const moves = new Map<
        string,
        { from: Date; nextRunAt: Date | null; followingRunAt: Date | null; ids: number[] }
      >();
      for (const { row, nextRunAt } of plans) {
        const from = new Date(row.nextRunAt);
        const followingRunAt = nextRunAt ? nextOccurrence(scheduleOf(row), nextRunAt) : null;
        const key = `${from.getTime()}:${nextRunAt?.getTime()}:${followingRunAt?.getTime()}`;
        const move = moves.get(key) ?? { from, nextRunAt, followingRunAt, ids: [] };
        move.ids.push(row.id);
        moves.set(key, move);
      }
      await strapi.db.transaction(async () => {
        for (const { from, nextRunAt, followingRunAt, ids } of moves.values()) {
          for (let i = 0; i < ids.length; i += SCHEDULE_BATCH) {
            const where = { id: { $in: ids.slice(i, i + SCHEDULE_BATCH) }, nextRunAt: from };
            if (nextRunAt) await query().updateMany({ where, data: { nextRunAt, followingRunAt } });
            else await query().deleteMany({ where });
          }
        }
      });
    },

    /** The next occurrence of each of these targets that has a schedule row. */
    async nextRuns(kind: RunKind, targetIds: string[]): Promise<Map<string, Date>> {
      if (targetIds.length === 0) return new Map();
      const rows: Pick<ScheduleRow, 'targetId' | 'nextRunAt'>[] = await query().findMany({
        where: { kind, targetId: { $in: targetIds } },
        select: ['targetId', 'nextRunAt'],
      });
      return new Map(rows.map((row) => [row.targetId, new Date(row.nextRunAt)]));
    },

    /** A target's schedule row, or null when it has none (manual, disabled or never firing again). */
    async find(kind: RunKind, targetId: string): Promise<ScheduleRow | null> {
      return query().findOne({ where: { slot: slotOf(kind, targetId) } });
    },
  };
};

export type SchedulesService = ReturnType<typeof schedules>;
export default schedules;
