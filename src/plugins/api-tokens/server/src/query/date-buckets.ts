import { utcOffsetMs } from '../jobs/cron';
import type { Bucket } from './types';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CACHED_HOURS = 100_000;

/** Per zone, the UTC offset of each hour (since the epoch) that holds no offset change. */
const offsets = new Map<string, Map<number, number>>();

/**
 * The zone's UTC offset at an instant. Intl is slow per row, so an hour's offset is cached when the hour starts
 * and ends on the same offset (zones change at most once an hour); an hour holding a change is computed per value.
 */
const offsetAt = (millis: number, timezone: string): number => {
  let hours = offsets.get(timezone);
  if (!hours) offsets.set(timezone, (hours = new Map()));
  const hour = Math.floor(millis / HOUR_MS);
  const cached = hours.get(hour);
  if (cached !== undefined) return cached;
  const start = utcOffsetMs(new Date(hour * HOUR_MS), timezone);
  if (start !== utcOffsetMs(new Date(hour * HOUR_MS + HOUR_MS - 1000), timezone)) {
    return utcOffsetMs(new Date(millis), timezone);
  }
  if (hours.size >= CACHED_HOURS) hours.clear();
  hours.set(hour, start);
  return start;
};

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The first day of the bucket holding the calendar day `day` (days since 1970-01-01), as `YYYY-MM-DD`. */
const bucketStartOfDay = (day: number, bucket: Bucket): string => {
  const date = new Date(day * DAY_MS);
  if (bucket === 'week') date.setTime((day - ((date.getUTCDay() + 6) % 7)) * DAY_MS); // weeks start on Monday
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (bucket === 'day' || bucket === 'week') return `${pad(year, 4)}-${pad(month + 1)}-${pad(date.getUTCDate())}`;
  if (bucket === 'month') return `${pad(year, 4)}-${pad(month + 1)}-01`;
  if (bucket === 'quarter') return `${pad(year, 4)}-${pad(month - (month % 3) + 1)}-01`;
  return `${pad(year, 4)}-01-01`;
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The first day of the bucket a value falls in, as `YYYY-MM-DD`: a date as it is, a datetime (epoch milliseconds,
 * as SQLite snapshots store them, or an ISO string) on its wall clock in `timezone` (UTC when null). SQLite's
 * side of the date buckets (compile.ts); PostgreSQL computes the same with date_trunc.
 */
export const dateBucket = (value: unknown, bucket: Bucket, timezone: string | null): string | null => {
  if (value === null || value === undefined) return null;
  const date = typeof value === 'string' ? DATE.exec(value) : null;
  let day: number;
  if (date) day = new Date(0).setUTCFullYear(Number(date[1]), Number(date[2]) - 1, Number(date[3])) / DAY_MS;
  else {
    const millis = typeof value === 'number' || typeof value === 'bigint' ? Number(value) : Date.parse(String(value));
    if (!Number.isFinite(millis)) return null;
    const local = timezone ? millis + offsetAt(millis, timezone) : millis;
    day = Math.floor(local / DAY_MS);
  }
  return bucketStartOfDay(day, bucket);
};
