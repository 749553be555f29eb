export const REMINDER_KINDS = ['expires-in-7-days', 'expires-in-1-day', 'expired'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export const REMINDER_STATUSES = ['sending', 'sent', 'failed', 'skipped'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long before the expiry each reminder is due. */
export const REMINDER_LEAD_MS: Record<ReminderKind, number> = {
  'expires-in-7-days': 7 * DAY_MS,
  'expires-in-1-day': DAY_MS,
  expired: 0,
};

/** The `expired` mail is sent at most this long after the expiry (older expiries, e.g. from before an upgrade, get none). */
export const EXPIRED_NOTICE_MS = 7 * DAY_MS;

/**
 * A reminder applies only when the token's expiry was already ahead of it when the token was created: a token
 * created 5 days before its expiry gets the 1-day and the expired mail, not the 7-day one.
 */
export const reminderApplies = (kind: ReminderKind, createdAt: Date, expiresAt: Date): boolean =>
  createdAt.getTime() <= expiresAt.getTime() - REMINDER_LEAD_MS[kind];
