import type { ExpiryInput } from '../api/tokens';

export const PRESET_DAYS = [30, 60, 90] as const;
export const MAX_LIFETIME_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ExpiryChoice = '30' | '60' | '90' | 'custom';

export interface ExpiryValue {
  choice: ExpiryChoice;
  /** The custom date (local midnight), when choice is 'custom'. */
  date?: Date;
}

export const DEFAULT_EXPIRY: ExpiryValue = { choice: '30' };

const startOfLocalDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate());

/** Tomorrow: the earliest custom date. */
export const minCustomDate = (now = new Date()) => {
  const day = startOfLocalDay(now);
  day.setDate(day.getDate() + 1);
  return day;
};

/**
 * Today + 365 days: the latest custom date. The server reads a date as the end of that UTC day and
 * allows at most the end of the UTC day a year ahead, so east of UTC this can be one day earlier.
 */
export const maxCustomDate = (now = new Date()) => {
  const local = startOfLocalDay(now);
  local.setDate(local.getDate() + MAX_LIFETIME_DAYS);
  const utc = new Date(now.getTime() + MAX_LIFETIME_DAYS * DAY_MS);
  const serverMax = new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate());
  return serverMax < local ? serverMax : local;
};

/** `YYYY-MM-DD` of a local date. */
export const toIsoDate = (date: Date) =>
  [date.getFullYear(), date.getMonth() + 1, date.getDate()]
    .map((part, index) => String(part).padStart(index === 0 ? 4 : 2, '0'))
    .join('-');

/** Why an expiry choice cannot be sent: a missing custom date, or one outside tomorrow … a year from today. */
export type ExpiryProblem = 'required' | 'past' | 'tooFar';

export const expiryProblem = (value: ExpiryValue, now = new Date()): ExpiryProblem | null => {
  if (value.choice !== 'custom') return null;
  if (!value.date) return 'required';
  const day = startOfLocalDay(value.date);
  if (day < minCustomDate(now)) return 'past';
  if (day > maxCustomDate(now)) return 'tooFar';
  return null;
};

/** The request body fields of an expiry choice; null when a custom date is missing. */
export const toExpiryInput = (value: ExpiryValue): ExpiryInput | null => {
  if (value.choice !== 'custom') return { expiresInDays: Number(value.choice) as 30 | 60 | 90 };
  return value.date ? { expiresAt: toIsoDate(value.date) } : null;
};

/** The expiry date a choice gives, for the "Expires on" hint. */
export const expiryPreview = (value: ExpiryValue, now = new Date()): Date | null => {
  if (value.choice !== 'custom') return new Date(now.getTime() + Number(value.choice) * DAY_MS);
  return value.date ?? null;
};
