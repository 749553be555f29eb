import type { Core } from '@strapi/strapi';
import { getConfig } from '../config';
import { newDocumentIds } from '../jobs/claims';
import { TOKEN_UID } from '../tokens/service';
import { columnOf } from '../utils/content-type';
import { describeError } from '../utils/errors';
import { getService } from '../utils/get-service';
import { EXPIRED_NOTICE_MS, REMINDER_LEAD_MS, reminderApplies, type ReminderKind, type ReminderStatus } from './kinds';
import { reminderMail } from './mail';

export const REMINDER_UID = 'plugin::api-tokens.token-reminder';

/** Tokens looked at per tick; the rest wait for the next one. */
const BATCH = 100;
/** A failed send is tried this many times in all, `RETRY_AFTER_MS × attempts` apart. */
const MAX_ATTEMPTS = 3;
const RETRY_AFTER_MS = 10 * 60 * 1000;

const NOT_AHEAD = 'The token was created after this reminder was due';
const NO_RECIPIENT = 'The token has no creator with an email address (or the creator is blocked)';

/** A token whose due reminder has no claim yet, or a failed claim whose retry is due. */
interface DueRow {
  tokenId: number;
  kind: ReminderKind;
  /** The token's expiry as the database returned it (written back unchanged into the claim's key). */
  expiresAt: unknown;
  reminderId: number | null;
  attempts: number | null;
}

interface TokenRow {
  id: number;
  documentId: string;
  name: string;
  createdAt: string | Date;
  revokedAt: string | Date | null;
  createdBy: { id: number; email: string | null; firstname: string | null; blocked: boolean | null } | null;
}

export interface ReminderCheck {
  sent: number;
  failed: number;
  skipped: number;
}

/** A datetime as a raw query returns it: a Date on PostgreSQL, epoch milliseconds on SQLite. */
const toDate = (value: unknown) => new Date(value as Date | number | string);

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows);

/**
 * Mails a token's creator 7 days and 1 day before its expiry and when it has expired, once per expiry across every
 * instance: a reminder is claimed by inserting its row (unique per token, expiry and kind) before it is sent, and only
 * the instance whose insert went in sends it.
 */
const reminders = ({ strapi }: { strapi: Core.Strapi }) => {
  const table = (uid: string) => strapi.db.metadata.get(uid).tableName;
  const rows = () => strapi.db.query(REMINDER_UID);

  /**
   * One query: unrevoked tokens expiring within 7 days or expired within the notice window, each with the reminder
   * due now (the latest one whose time has come: an instance that missed the 7-day mail sends only the 1-day one),
   * that has no claim yet or a failed claim due for a retry. Soonest expiry first, at most BATCH.
   */
  const due = async (now: Date): Promise<DueRow[]> => {
    const t = columnOf(strapi, TOKEN_UID);
    const r = columnOf(strapi, REMINDER_UID);
    const dayAhead = new Date(now.getTime() + REMINDER_LEAD_MS['expires-in-1-day']);
    const kind =
      `case when t."${t('expiresAt')}" <= ? then 'expired' ` +
      `when t."${t('expiresAt')}" <= ? then 'expires-in-1-day' else 'expires-in-7-days' end`;
    const statement =
      `select t."id" as "tokenId", ${kind} as "kind", t."${t('expiresAt')}" as "expiresAt", ` +
      `r."id" as "reminderId", r."${r('attempts')}" as "attempts" ` +
      `from "${table(TOKEN_UID)}" t ` +
      `left join "${table(REMINDER_UID)}" r on r."${r('tokenId')}" = t."id" ` +
      `and r."${r('expiresAt')}" = t."${t('expiresAt')}" and r."${r('kind')}" = ${kind} ` +
      `where t."${t('revokedAt')}" is null and t."${t('expiresAt')}" > ? and t."${t('expiresAt')}" <= ? ` +
      `and (r."id" is null or (r."${r('status')}" = 'failed' and r."${r('attempts')}" < ? and r."${r('retryAt')}" <= ?)) ` +
      `order by t."${t('expiresAt')}", t."id" limit ?`;
    const result = await strapi.db.connection.raw(statement, [
      now,
      dayAhead,
      now,
      dayAhead,
      new Date(now.getTime() - EXPIRED_NOTICE_MS),
      new Date(now.getTime() + REMINDER_LEAD_MS['expires-in-7-days']),
      MAX_ATTEMPTS,
      now,
      BATCH,
    ]);
    return rowsOf<DueRow>(result);
  };

  /** Inserts a reminder's row; its id, or null when the row exists already (another instance claimed it). */
  const insertClaim = async (
    due: DueRow,
    status: ReminderStatus,
    fields: { recipient?: string | null; error?: string | null }
  ): Promise<number | null> => {
    const column = columnOf(strapi, REMINDER_UID);
    const createdAt = new Date();
    const row: Record<string, unknown> = {
      documentId: newDocumentIds(1)[0],
      tokenId: due.tokenId,
      expiresAt: due.expiresAt,
      kind: due.kind,
      status,
      recipient: fields.recipient ?? null,
      attempts: status === 'sending' ? 1 : 0,
      error: fields.error ?? null,
      createdAt,
      updatedAt: createdAt,
      publishedAt: createdAt,
    };
    const keys = Object.keys(row);
    const result = await strapi.db.connection.raw(
      `insert into ?? (${keys.map(() => '??').join(', ')}) values (${keys.map(() => '?').join(', ')}) ` +
        'on conflict do nothing returning ??',
      [table(REMINDER_UID), ...keys.map(column), ...keys.map((key) => row[key]), 'id']
    );
    return rowsOf<{ id: number }>(result)[0]?.id ?? null;
  };

  /** Takes over a failed claim for another attempt; false when another instance did first. */
  const reclaim = async (due: DueRow, recipient: string): Promise<boolean> => {
    const { count } = await rows().updateMany({
      where: { id: due.reminderId, status: 'failed', attempts: due.attempts },
      data: { status: 'sending', attempts: (due.attempts ?? 0) + 1, recipient, retryAt: null },
    });
    return count === 1;
  };

  /**
   * The token's page in the admin: under PUBLIC_URL (server.url) when it is set; else the admin's address as Strapi
   * derives it from HOST and PORT, with a wildcard host (0.0.0.0) read as localhost.
   */
  const tokenUrl = (documentId: string) => {
    const admin = new URL(String(strapi.config.get('admin.absoluteUrl')));
    if (admin.hostname === '0.0.0.0' || admin.hostname === '[::]') admin.hostname = 'localhost';
    return `${admin.href.replace(/\/$/, '')}/plugins/api-tokens/tokens/${documentId}`;
  };

  /** Sends a claimed reminder and records the outcome on its row and in the audit log. */
  const send = async (id: number, due: DueRow, token: TokenRow, now: Date): Promise<boolean> => {
    const channel = getService('channels').get('email');
    const to = token.createdBy!.email!;
    const expiresAt = toDate(due.expiresAt);
    const attempts = (due.attempts ?? 0) + 1;
    const where = { id };
    const details = { name: token.name, kind: due.kind, to, expiresAt: expiresAt.toISOString(), attempt: attempts };
    const event = { subjectType: 'api-token', subjectId: token.documentId, actor: null };
    try {
      if (!channel) throw new Error('The email channel is not registered');
      const message = reminderMail({
        kind: due.kind,
        to,
        firstname: token.createdBy!.firstname,
        tokenName: token.name,
        expiresAt,
        tokenUrl: tokenUrl(token.documentId),
        now,
      });
      const receipt = await channel.send(message, { signal: new AbortController().signal });
      await rows().updateMany({
        where,
        data: { status: 'sent', sentAt: new Date(), response: receipt.response, error: null },
      });
      await getService('audit').record({ action: 'token.reminder-sent', ...event, details });
      return true;
    } catch (error) {
      const reason = describeError(error);
      const retryAt = attempts < MAX_ATTEMPTS ? new Date(now.getTime() + RETRY_AFTER_MS * attempts) : null;
      await rows().updateMany({ where, data: { status: 'failed', error: reason, retryAt } });
      await getService('audit').record({
        action: 'token.reminder-failed',
        ...event,
        details: { ...details, error: reason, retryAt: retryAt?.toISOString() ?? null },
      });
      strapi.log.warn(`api-tokens: the ${due.kind} reminder of token ${token.documentId} failed: ${reason}`);
      return false;
    }
  };

  /**
   * Claims a due reminder: its row id when this instance is to send it, `skipped` when it recorded that the reminder
   * does not apply, null when another instance has it (or its failed row is not this tick's to retry).
   */
  const claimFor = async (row: DueRow, token: TokenRow): Promise<number | 'skipped' | null> => {
    const creator = token.createdBy;
    const recipient = creator?.email && !creator.blocked ? creator.email : null;
    if (row.reminderId != null) {
      if (recipient) return (await reclaim(row, recipient)) ? row.reminderId : null;
      // A failed send whose creator is gone since: no retry.
      await rows().updateMany({
        where: { id: row.reminderId, status: 'failed' },
        data: { status: 'skipped', error: NO_RECIPIENT },
      });
      return null;
    }
    // Reminders that do not apply are recorded too, so the query stops returning them.
    let skip: string | null = null;
    if (!reminderApplies(row.kind, new Date(token.createdAt), toDate(row.expiresAt))) skip = NOT_AHEAD;
    else if (!recipient) skip = NO_RECIPIENT;
    if (skip) return (await insertClaim(row, 'skipped', { error: skip })) === null ? null : 'skipped';
    return insertClaim(row, 'sending', { recipient });
  };

  return {
    /**
     * Claims and sends the reminders due at `now` (the scheduler's tick passes its clock). Does nothing when
     * `reminders.enabled` is false. Counts what this call did.
     */
    async check(now: Date = new Date()): Promise<ReminderCheck> {
      const result: ReminderCheck = { sent: 0, failed: 0, skipped: 0 };
      if (!getConfig().reminders.enabled) return result;
      const dueRows = await due(now);
      if (dueRows.length === 0) return result;
      const tokens: TokenRow[] = await strapi.db.query(TOKEN_UID).findMany({
        where: { id: { $in: dueRows.map((row) => row.tokenId) } },
        select: ['id', 'documentId', 'name', 'createdAt', 'revokedAt'],
        populate: { createdBy: { select: ['id', 'email', 'firstname', 'blocked'] } },
      });
      const byId = new Map(tokens.map((token) => [token.id, token]));
      for (const row of dueRows) {
        const token = byId.get(row.tokenId);
        if (!token || token.revokedAt) continue;
        const claim = await claimFor(row, token);
        if (claim === 'skipped') result.skipped += 1;
        else if (claim !== null && (await send(claim, row, token, now))) result.sent += 1;
        else if (claim !== null) result.failed += 1;
      }
      return result;
    },
  };
};

export type RemindersService = ReturnType<typeof reminders>;
export default reminders;
