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
export const utcOffsetMs = (date: Date, timezone: string): number => {
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

/**
 * The fast path: away from offset changes a zone is a fixed offset, so the next occurrence is the cron's next wall
 * time computed with plain UTC arithmetic (cron-parser with a zone costs 1–4 ms per step; this costs microseconds).
 * Only cron-parser's parsed fields are used, and its matching rules are mirrored (day of month OR day of week when
 * both are restricted). `L`, `W` and `#` go to the scan.
 */
interface CronFields {
  seconds: number[];
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  daysOfMonth: Set<number>;
  daysOfWeek: Set<number>;
  dayOfWeekWildcard: boolean;
}

const DAY_MS = 24 * 3_600_000;
/** A fixed offset is trusted over at most a week: no zone changes its offset twice within one. */
const FAST_SPAN_MS = 7 * DAY_MS;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MAX_CACHED_CRONS = 10_000;
const fieldsByCron = new Map<string, CronFields | null>();

const cronFields = (cron: string): CronFields | null => {
  const cached = fieldsByCron.get(cron);
  if (cached !== undefined) return cached;
  let fields: CronFields | null = null;
  try {
    const parsed = parseExpression(cron, { tz: 'UTC' }).fields;
    const days = [...parsed.dayOfMonth, ...parsed.dayOfWeek];
    if (!cron.includes('#') && days.every((value) => Number.isInteger(value))) {
      fields = {
        seconds: [...parsed.second].sort((a, b) => a - b),
        minutes: new Set(parsed.minute),
        hours: new Set(parsed.hour),
        months: new Set(parsed.month),
        daysOfMonth: new Set(parsed.dayOfMonth as number[]),
        daysOfWeek: new Set((parsed.dayOfWeek as number[]).map((day) => day % 7)),
        dayOfWeekWildcard: parsed.dayOfWeek.length === 8,
      };
    }
  } catch {
    fields = null;
  }
  if (fieldsByCron.size >= MAX_CACHED_CRONS) fieldsByCron.clear();
  fieldsByCron.set(cron, fields);
  return fields;
};

/** The cron's first wall time after `after` (wall times as UTC milliseconds), or null within `spanMs`. */
const nextWallTime = (fields: CronFields, after: number, spanMs: number): number | null => {
  let t = Math.floor(after / 1000) * 1000 + 1000;
  const end = after + spanMs;
  while (t <= end) {
    const date = new Date(t);
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()];
    const [hour, minute, second] = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
    if (!fields.months.has(month + 1)) {
      t = Date.UTC(year, month + 1, 1);
      continue;
    }
    const dayOfMonth = fields.daysOfMonth.has(day);
    const dayOfWeek = fields.daysOfWeek.has(date.getUTCDay());
    const dayOfMonthWildcard = fields.daysOfMonth.size >= DAYS_IN_MONTH[month];
    if (
      (!dayOfMonth && (!dayOfWeek || fields.dayOfWeekWildcard)) ||
      (dayOfMonthWildcard && !fields.dayOfWeekWildcard && !dayOfWeek)
    ) {
      t = Date.UTC(year, month, day + 1);
      continue;
    }
    if (!fields.hours.has(hour)) {
      t = Date.UTC(year, month, day, hour + 1);
      continue;
    }
    if (!fields.minutes.has(minute)) {
      t = Date.UTC(year, month, day, hour, minute + 1);
      continue;
    }
    const nextSecond = fields.seconds.find((value) => value >= second);
    if (nextSecond === undefined) {
      t = Date.UTC(year, month, day, hour, minute + 1);
      continue;
    }
    return Date.UTC(year, month, day, hour, minute, nextSecond);
  }
  return null;
};

/** The next occurrence by the fast path, or undefined when an offset change is near (or the cron needs the scan). */
const fastNextOccurrence = (schedule: Schedule, after: Date): Date | undefined => {
  const fields = cronFields(schedule.cron);
  if (!fields) return undefined;
  const { timezone } = schedule;
  const offset = utcOffsetMs(after, timezone);
  if (utcOffsetMs(new Date(after.getTime() - LOOKBACK_MS), timezone) !== offset) return undefined;
  const wall = nextWallTime(fields, after.getTime() + offset, FAST_SPAN_MS);
  if (wall === null) return undefined;
  const next = wall - offset;
  if (utcOffsetMs(new Date(next), timezone) !== offset) return undefined;
  if (utcOffsetMs(new Date(next + LOOKBACK_MS), timezone) !== offset) return undefined;
  return new Date(next);
};

/** The first occurrence after `after` by the scan alone (the fast path is tested against it). */
export const scanNextOccurrence = (schedule: Schedule, after: Date): Date | null =>
  scan(schedule, after, null, 1).found[0] ?? null;

/** The first occurrence after `after`, or null when the cron has none. */
export const nextOccurrence = (schedule: Schedule, after: Date): Date | null =>
  fastNextOccurrence(schedule, after) ?? scanNextOccurrence(schedule, after);

/** The next `count` occurrences after `from` (the admin's "next runs" preview). */
export const nextOccurrences = (schedule: Schedule, count: number, from: Date = new Date()): Date[] => {
  const found: Date[] = [];
  for (let after: Date | null = from; found.length < count; ) {
    after = nextOccurrence(schedule, after);
    if (!after) break;
    found.push(after);
  }
  return found;
};

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
  // Exactly five fields: no seconds field (it would fire below the minute the scheduler ticks at) and no @-macros.
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5) {
    const extra = fields === 6 ? ': a seconds field is not supported' : '';
    return `cron must have 5 fields (minute hour day month weekday), got ${fields}${extra}`;
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
