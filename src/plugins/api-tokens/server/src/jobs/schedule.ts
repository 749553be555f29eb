import { parseExpression, type CronExpression } from 'cron-parser';
import type { Schedule } from './types';

/**
 * Cron occurrences in an IANA zone, with one canonical answer whatever instant the search starts from:
 * - spring forward: a wall time that does not exist that day (02:30 in Berlin) runs once, at the shifted time (03:30);
 * - fall back: a wall time that exists twice (02:30 in Berlin, 01:30 in New York) runs once, at its first pass,
 *   unless the cron runs every hour (then each real hour runs).
 * Never cron-parser's prev(): across DST it skips the shifted occurrence and repeats the doubled one.
 */

const MAX_STEPS = 10_000;
const FORWARD_STEPS = 100;
const LOOKBACK_MS = 3 * 3_600_000;
const DST_SHIFTS_MS = [3_600_000, 1_800_000, 7_200_000];

export const isTimeZone = (timezone: unknown): timezone is string => {
  if (typeof timezone !== 'string' || timezone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
};

const formatters = new Map<string, Intl.DateTimeFormat>();
const wallClock = (date: Date, timezone: string): string => {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, format);
  }
  return format.format(date);
};

/** The zone's UTC offset at `date`, from its wall clock ("MM/DD/YYYY, HH:MM:SS"). */
const utcOffsetMs = (date: Date, timezone: string): number => {
  const [month, day, year, hour, minute, second] = wallClock(date, timezone).split(/\D+/).map(Number);
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  return wallMs - Math.floor(date.getTime() / 1000) * 1000;
};

/** True when the zone changed its offset in the few hours before `from` (a walk from there may start in a gap). */
const afterTransition = (from: Date, timezone: string) =>
  utcOffsetMs(from, timezone) !== utcOffsetMs(new Date(from.getTime() - LOOKBACK_MS), timezone);

const parse = (schedule: Schedule, from: Date): CronExpression =>
  parseExpression(schedule.cron, { tz: schedule.timezone, currentDate: from });

const runsEveryHour = (expression: CronExpression) => expression.fields.hour.length === 24;

/** The second pass of a wall time repeated by a fall-back transition. */
const isRepeatedPass = (date: Date, timezone: string) => {
  const local = wallClock(date, timezone);
  return DST_SHIFTS_MS.some((shift) => wallClock(new Date(date.getTime() - shift), timezone) === local);
};

/**
 * Walks occurrences in (from, to] (or the first `limit` when `to` is null). Shortly after an offset change the walk
 * starts a few hours early: started inside a spring-forward gap, cron-parser would skip that day's shifted occurrence
 * of a fixed-hour cron.
 */
const scan = (schedule: Schedule, from: Date, to: Date | null, limit: number) => {
  let expression = parse(schedule, from);
  const everyHour = runsEveryHour(expression);
  if (!everyHour && afterTransition(from, schedule.timezone)) {
    expression = parse(schedule, new Date(from.getTime() - LOOKBACK_MS));
  }
  const found: Date[] = [];
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const next = expression.next().toDate();
    if (to && next.getTime() > to.getTime()) return { found, complete: true };
    if (next.getTime() <= from.getTime()) continue;
    if (!everyHour && isRepeatedPass(next, schedule.timezone)) continue;
    found.push(next);
    if (found.length >= limit) return { found, complete: to === null };
  }
  return { found, complete: false };
};

/** The next `count` occurrences after `from` (the admin's "next runs" preview). */
export const nextOccurrences = (schedule: Schedule, count: number, from: Date = new Date()): Date[] =>
  scan(schedule, from, null, count).found;

/** The first occurrence after `after`, or null when the cron has none. */
export const nextOccurrence = (schedule: Schedule, after: Date): Date | null =>
  scan(schedule, after, null, 1).found[0] ?? null;

/**
 * The latest occurrence in (after, now], or null. Walks forward from `after` (one or two steps when the target ran on
 * time); after long downtime it searches backwards from `now` in doubling windows instead.
 */
export const latestOccurrence = (schedule: Schedule, after: Date, now: Date): Date | null => {
  if (now.getTime() <= after.getTime()) return null;
  const forward = scan(schedule, after, now, FORWARD_STEPS);
  if (forward.complete) return forward.found[forward.found.length - 1] ?? null;
  for (let window = 60_000; ; window *= 2) {
    const from = new Date(Math.max(after.getTime(), now.getTime() - window));
    const { found } = scan(schedule, from, now, MAX_STEPS);
    if (found.length > 0) return found[found.length - 1];
    if (from.getTime() === after.getTime()) return null;
  }
};

/** A problem with a schedule, naming `cron` or `timezone`, or null when it is valid. */
export const validateSchedule = (
  schedule: Partial<Schedule> | null | undefined,
  minIntervalSeconds = 60
): string | null => {
  if (!schedule || typeof schedule !== 'object') return 'schedule must be an object with cron and timezone';
  const { cron, timezone } = schedule;
  if (!isTimeZone(timezone))
    return `timezone must be an IANA time zone such as Europe/Berlin (got ${JSON.stringify(timezone)})`;
  if (typeof cron !== 'string' || cron.trim() === '') return 'cron must be a cron expression such as "0 8 * * 1"';
  const fields = cron.trim().split(/\s+/).length;
  if (!cron.trim().startsWith('@') && (fields < 5 || fields > 6)) {
    return `cron must have 5 fields (minute hour day month weekday), got ${fields}`;
  }
  let upcoming: Date[];
  try {
    upcoming = nextOccurrences({ cron, timezone }, 50, new Date());
  } catch (error) {
    return `cron is not a valid cron expression: ${(error as Error).message}`;
  }
  if (upcoming.length === 0) return 'cron never fires';
  for (let i = 1; i < upcoming.length; i += 1) {
    if (upcoming[i].getTime() - upcoming[i - 1].getTime() < minIntervalSeconds * 1000) {
      return `cron fires more often than the minimum interval of ${minIntervalSeconds} seconds`;
    }
  }
  return null;
};
