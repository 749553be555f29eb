export const EXPIRY_PRESETS_DAYS = [30, 60, 90] as const;
export const MAX_LIFETIME_DAYS = 365;
export const EXPIRING_SOON_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export interface ExpiryInput {
  expiresInDays?: number;
  expiresAt?: string;
}

const endOfUtcDay = (time: number): number => {
  const date = new Date(time);
  date.setUTCHours(23, 59, 59, 999);
  return date.getTime();
};

/** The latest expiry a token may have: the end of the (UTC) day one year from now. */
export const latestExpiry = (now: number): Date => new Date(endOfUtcDay(now + MAX_LIFETIME_DAYS * DAY_MS));

/** Parses a custom expiry: an ISO date (meaning the end of that day, UTC) or an ISO date-time with a zone. */
export const parseCustomExpiry = (value: string): Date | null => {
  if (DATE_ONLY.test(value)) {
    const start = Date.parse(`${value}T00:00:00.000Z`);
    return Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== value
      ? null
      : new Date(endOfUtcDay(start));
  }
  if (!ISO_DATE_TIME.test(value)) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
};

/** Why a custom expiry is refused, or null when it is acceptable. */
export const customExpiryProblem = (value: string, now: number): string | null => {
  const date = parseCustomExpiry(value);
  if (!date) return 'expiresAt must be an ISO 8601 date (YYYY-MM-DD) or date-time with a time zone';
  if (date.getTime() <= now) return 'expiresAt must be in the future';
  if (date.getTime() > latestExpiry(now).getTime()) {
    return `expiresAt must be at most ${MAX_LIFETIME_DAYS} days ahead`;
  }
  return null;
};

/** The absolute expiry of already validated input. */
export const resolveExpiry = (input: ExpiryInput, now: number): Date => {
  if (input.expiresInDays !== undefined) return new Date(now + input.expiresInDays * DAY_MS);
  const date = parseCustomExpiry(input.expiresAt ?? '');
  if (!date) throw new Error('resolveExpiry called with unvalidated input');
  return date;
};

export type TokenStatus = 'active' | 'expiring-soon' | 'expired' | 'revoked';

export const tokenStatus = (token: { revokedAt?: unknown; expiresAt?: unknown }, now: number): TokenStatus => {
  if (token.revokedAt) return 'revoked';
  const expiresAt = new Date(token.expiresAt as string).getTime();
  if (expiresAt <= now) return 'expired';
  if (expiresAt - now <= EXPIRING_SOON_DAYS * DAY_MS) return 'expiring-soon';
  return 'active';
};
