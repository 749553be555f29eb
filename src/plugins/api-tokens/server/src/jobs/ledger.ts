import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig } from '../config';
import { ERROR_CODES } from '../shared/error-codes';
import { ConflictError } from '../utils/errors';
import type { Run, RunKind, RunStatus, RunTrigger } from './types';

export const RUN_UID = 'plugin::api-tokens.job-run';

export const FINISHED: RunStatus[] = ['succeeded', 'failed', 'cancelled'];
const PURGE_EVERY_MS = 60 * 60 * 1000;

export type RunRow = Record<string, any>;

export interface RunFilters {
  kind?: RunKind;
  status?: RunStatus;
  trigger?: RunTrigger;
  targetId?: string;
}

export interface RunPage {
  results: Run[];
  pagination: { page: number; pageSize: number; pageCount: number; total: number };
}

const iso = (value: unknown): string | null => (value == null ? null : new Date(value as string).toISOString());

const toRun = (row: RunRow, format: (value: unknown) => string | null): Run => ({
  id: row.documentId,
  kind: row.kind,
  targetId: row.targetId,
  status: row.status,
  trigger: row.trigger,
  scheduledFor: format(row.scheduledFor),
  createdAt: format(row.createdAt)!,
  startedAt: format(row.startedAt),
  finishedAt: format(row.finishedAt),
  attempt: row.attempt ?? 1,
  error: row.error ?? null,
  stats: row.stats ?? {},
  notBefore: format(row.notBefore),
  cancelRequestedAt: format(row.cancelRequestedAt),
});

export const serializeRun = (row: RunRow): Run => toRun(row, iso);

/** serializeRun() for many rows, formatting each distinct date once: a tick's claims share their timestamps. */
export const serializeRuns = (rows: RunRow[]): Run[] => {
  const formatted = new Map<unknown, string | null>();
  const format = (value: unknown) => {
    const key = value instanceof Date ? value.getTime() : value;
    let text = formatted.get(key);
    if (text === undefined) {
      text = iso(value);
      formatted.set(key, text);
    }
    return text;
  };
  return rows.map((row) => toRun(row, format));
};

/** The run records: reads, cancels and the retention purge. Claims and execution live in claims.ts and worker.ts. */
export const createLedger = (strapi: Core.Strapi) => {
  const query = () => strapi.db.query(RUN_UID);
  let lastPurgeAt = 0;

  const requireRow = async (runId: unknown): Promise<RunRow> => {
    const row = typeof runId === 'string' && runId ? await query().findOne({ where: { documentId: runId } }) : null;
    if (!row) throw new errors.NotFoundError('Run not found');
    return row;
  };

  /** Cancels a queued run; asks a running one to stop. The counts of each. */
  const cancelWhere = async (where: RunRow) => {
    const now = new Date();
    const queued = await query().updateMany({
      where: { ...where, status: 'queued' },
      data: { status: 'cancelled', finishedAt: now, cancelRequestedAt: now, activeKey: null, leaseExpiresAt: null },
    });
    const running = await query().updateMany({
      where: { ...where, status: 'running', cancelRequestedAt: null },
      data: { cancelRequestedAt: now },
    });
    return { queued: queued.count, running: running.count };
  };

  return {
    query,
    requireRow,

    async get(runId: string): Promise<Run> {
      return serializeRun(await requireRow(runId));
    },

    async list(filters: RunFilters = {}, pagination: { page?: number; pageSize?: number } = {}): Promise<RunPage> {
      const where: RunRow = {};
      for (const key of ['kind', 'status', 'trigger', 'targetId'] as const) if (filters[key]) where[key] = filters[key];
      const { results, pagination: meta } = await query().findPage({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        page: pagination.page ?? 1,
        pageSize: pagination.pageSize ?? 25,
      });
      return { results: serializeRuns(results), pagination: meta };
    },

    /** The first run a caller (API token) created with this idempotency key for the kind and target. */
    findIdempotent: (kind: RunKind, targetId: string, tokenId: string | null, idempotencyKey: string) =>
      query().findOne({ where: { kind, targetId, tokenId, idempotencyKey }, orderBy: [{ id: 'asc' }] }),

    /**
     * A queued run is cancelled at once; a running one gets `cancelRequestedAt`, which aborts its executor's signal
     * at the next lease renewal and answers its next `isCancelled()`. 404 for an unknown run, 409 for a finished one.
     */
    async cancel(runId: string): Promise<Run> {
      const row = await requireRow(runId);
      const { queued, running } = await cancelWhere({ id: row.id });
      if (queued === 0 && running === 0) {
        const current = await requireRow(runId);
        if (FINISHED.includes(current.status)) {
          throw new ConflictError(`The run has already finished (${current.status})`, {
            code: ERROR_CODES.RUN_FINISHED,
            runId,
          });
        }
      }
      return serializeRun(await requireRow(runId));
    },

    /** Cancels whatever run of the target is queued or running (e.g. when the target is deleted); how many. */
    async cancelActive(kind: RunKind, targetId: string): Promise<number> {
      const { queued, running } = await cancelWhere({ kind, targetId });
      return queued + running;
    },

    /**
     * The latest occurrence that has a run (any attempt), per target of a kind: for `targetIds` only, or for every
     * target (the scheduler's reconcile) in one grouped query.
     */
    async lastScheduledFor(kind: RunKind, targetIds?: string[]): Promise<Map<string, Date>> {
      const { tableName } = strapi.db.metadata.get(RUN_UID);
      const select = strapi.db
        .connection(tableName)
        .select({ targetId: 'target_id' })
        .max({ last: 'scheduled_for' })
        .where({ kind })
        .whereNotNull('scheduled_for')
        .groupBy('target_id');
      if (targetIds) select.whereIn('target_id', targetIds);
      const rows = (await select) as { targetId: string; last: string | number }[];
      return new Map(rows.map((row) => [row.targetId, new Date(row.last)]));
    },

    /** The newest run of each of these targets of a kind (for lists that show a target's last run), in two queries. */
    async latest(kind: RunKind, targetIds: string[]): Promise<Map<string, Run>> {
      if (targetIds.length === 0) return new Map();
      const { tableName } = strapi.db.metadata.get(RUN_UID);
      const newest = (await strapi.db
        .connection(tableName)
        .max({ id: 'id' })
        .where({ kind })
        .whereIn('target_id', targetIds)
        .groupBy('target_id')) as { id: number }[];
      const rows = await query().findMany({ where: { id: { $in: newest.map((row) => row.id) } } });
      return new Map(serializeRuns(rows).map((run) => [run.targetId, run]));
    },

    /** Deletes finished runs older than `olderThanDays`; returns how many. */
    async purge(olderThanDays: number = getConfig().runs.retentionDays): Promise<number> {
      const cutoff = new Date(Date.now() - olderThanDays * 24 * 60 * 60 * 1000);
      const { count } = await query().deleteMany({ where: { status: { $in: FINISHED }, finishedAt: { $lt: cutoff } } });
      return count;
    },

    /** purge(), at most once an hour per instance (the scheduler calls this every tick). */
    async purgeIfDue(): Promise<number> {
      if (Date.now() - lastPurgeAt < PURGE_EVERY_MS) return 0;
      lastPurgeAt = Date.now();
      return this.purge();
    },
  };
};

export type Ledger = ReturnType<typeof createLedger>;
