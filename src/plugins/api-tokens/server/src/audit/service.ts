import type { Core } from '@strapi/strapi';
import { getConfig } from '../config';

export const AUDIT_UID = 'plugin::api-tokens.audit-event';

const DAY_MS = 24 * 60 * 60 * 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;
/** Events recorded off the request path are written together, at most this late. */
const BATCH_DELAY_MS = 250;

/** One audit event. Capabilities write their own actions (`<subject>.<verb>`); no entry ever holds a secret. */
export interface AuditEntry {
  action: string;
  /** What the event is about, e.g. `api-token`, `semantic-model`, `run`. */
  subjectType?: string | null;
  /** The subject's documentId. */
  subjectId?: string | null;
  /** `admin:<id>` or `token:<documentId>`. */
  actor?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditFilters {
  action?: string;
  subjectType?: string;
  subjectId?: string;
  actor?: string;
  /** Actions starting with this, e.g. `embed-token.`. */
  actionPrefix?: string;
}

const audit = ({ strapi }: { strapi: Core.Strapi }) => {
  const lastSampled = new Map<string, number>();
  let lastPurgeAt = 0;
  const query = () => strapi.db.query(AUDIT_UID);

  const record = async (entry: AuditEntry): Promise<void> => {
    await query().create({ data: entry });
  };

  // Write-behind: one multi-row insert per batch instead of Strapi's create (insert, transaction, read back) per event.
  let pending: (AuditEntry & { createdAt: Date })[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const writePending = () => {
    timer = null;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return writing;
    writing = writing
      .then(() => query().createMany({ data: batch }))
      .then(
        () => undefined,
        (error) => {
          strapi.log.warn(`api-tokens: could not record ${batch.length} audit event(s): ${error}`);
        }
      );
    return writing;
  };
  /** Records an event within BATCH_DELAY_MS, off the request path (its time is when it was asked for). */
  const recordSoon = (entry: AuditEntry) => {
    pending.push({ ...entry, createdAt: new Date() });
    timer ??= setTimeout(writePending, BATCH_DELAY_MS);
  };

  const purge = async (olderThanDays: number = getConfig().audit.retentionDays): Promise<number> => {
    const { count } = await query().deleteMany({
      where: { createdAt: { $lt: new Date(Date.now() - olderThanDays * DAY_MS) } },
    });
    return count;
  };

  return {
    record,

    /**
     * Records an event at most once per `sampleSeconds` for the same key (e.g. a denial's reason and token or IP), so
     * a client hammering with a bad token cannot flood the table. Never awaited by the request.
     */
    recordSampled(key: string, entry: AuditEntry, sampleSeconds: number, now = Date.now()): boolean {
      const last = lastSampled.get(key);
      if (last !== undefined && now - last < sampleSeconds * 1000) return false;
      lastSampled.set(key, now);
      if (lastSampled.size > 10_000) lastSampled.clear();
      recordSoon(entry);
      return true;
    },

    recordSoon,

    /** Writes the events recordSoon() holds (shutdown and tests). */
    async flush(): Promise<void> {
      if (timer) clearTimeout(timer);
      await writePending();
    },

    /** Newest first, filtered by exact action, subject and actor, or by an action prefix. */
    async list(filters: AuditFilters = {}, pagination: { page?: number; pageSize?: number } = {}) {
      const where: Record<string, unknown> = {};
      for (const key of ['action', 'subjectType', 'subjectId', 'actor'] as const) {
        if (filters[key]) where[key] = filters[key]!;
      }
      if (filters.actionPrefix && !filters.action) where.action = { $startsWith: filters.actionPrefix };
      return query().findPage({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        page: pagination.page ?? 1,
        pageSize: pagination.pageSize ?? 25,
      });
    },

    /** Deletes events older than `audit.retentionDays`; returns how many. */
    purge,

    /** purge(), at most once an hour per instance (the scheduler calls this every tick). */
    async purgeIfDue(): Promise<number> {
      if (Date.now() - lastPurgeAt < PURGE_EVERY_MS) return 0;
      lastPurgeAt = Date.now();
      return purge();
    },
  };
};

export type AuditService = ReturnType<typeof audit>;
export default audit;
