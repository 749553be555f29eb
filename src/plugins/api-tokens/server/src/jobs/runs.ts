import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { getConfig } from '../config';
import { columnOf } from '../utils/content-type';
import { describeError, isUniqueViolation } from '../utils/errors';
import { getService } from '../utils/get-service';
import { ERROR_CODES } from '../shared/error-codes';
import { ConflictError, OccurrenceTaken } from './errors';
import { oldestClaimable, SCHEDULE_UID } from './schedules';
import {
  RUN_KIND_SCOPES,
  RUN_KINDS,
  type JobKind,
  type Run,
  type RunContext,
  type RunKind,
  type RunStats,
  type RunStatus,
  type RunTrigger,
} from './types';

export const RUN_UID = 'plugin::api-tokens.job-run';

const FINISHED: RunStatus[] = ['succeeded', 'failed', 'cancelled'];
const CLAIM_BATCH = 50;
/** Rows per multi-row INSERT (×16 parameters: within SQLite's 32,766 and PostgreSQL's 65,535). */
const INSERT_CHUNK = 500;
const PURGE_EVERY_MS = 60 * 60 * 1000;

type Row = Record<string, any>;

export interface TriggerInput {
  kind: RunKind;
  targetId: string;
  trigger: RunTrigger;
  /** The API token's documentId, for api triggers. */
  tokenId?: string | null;
  /** A repeated key for the same kind and target returns the first run instead of a 409. */
  idempotencyKey?: string | null;
  /** The cron occurrence, for scheduled runs only. */
  scheduledFor?: Date | null;
}

export interface ScheduledOccurrence {
  targetId: string;
  scheduledFor: Date;
}

/** What claimScheduled() did with each occurrence. */
export interface ClaimResult {
  /** The runs it queued. */
  queued: Run[];
  /** Targets whose occurrence already had a run (claimed by another tick or instance). */
  taken: Set<string>;
  /** Targets that have a run queued or running, so their occurrence was not claimed. */
  active: Set<string>;
}

export interface RunFilters {
  kind?: RunKind;
  status?: RunStatus;
  targetId?: string;
}

export interface RunPage {
  results: Run[];
  pagination: { page: number; pageSize: number; pageCount: number; total: number };
}

const iso = (value: unknown): string | null => (value == null ? null : new Date(value as string).toISOString());

const toRun = (row: Row, format: (value: unknown) => string | null): Run => ({
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

export const serializeRun = (row: Row): Run => toRun(row, iso);

/** serializeRun() for many rows, formatting each distinct date once: a tick's claims share their timestamps. */
export const serializeRuns = (rows: Row[]): Run[] => {
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

const activeKeyOf = (kind: string, targetId: string) => `${kind}:${targetId}`;
// Time before target: the keys one tick inserts sit side by side in the unique index, not all over it.
const occurrenceKeyOf = (kind: string, targetId: string, scheduledFor: Date, attempt: number) =>
  `${kind}:${scheduledFor.toISOString()}:${targetId}:${attempt}`;

/** The first 10 characters of the documentIds runs.ts generates: a letter, then the time in base 36. */
const documentIdPrefix = () => `r${Date.now().toString(36).padStart(9, '0')}`;

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * The job ledger and this instance's worker. Every state change is a conditional UPDATE on the run row, so two
 * instances never both start, finish or recover the same run, and `activeKey` (unique, null once finished) keeps at
 * most one queued-or-running run per target on SQLite and PostgreSQL alike.
 */
const runs = ({ strapi }: { strapi: Core.Strapi }) => {
  const kinds = new Map<RunKind, JobKind>();
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const inFlight = new Map<string, Promise<void>>();
  const leaseTimers = new Set<NodeJS.Timeout>();
  let kickHandle: NodeJS.Immediate | null = null;
  let stopped = false;
  let lastPurgeAt = 0;

  const query = () => strapi.db.query(RUN_UID);
  const leaseMs = () => getConfig().runs.leaseSeconds * 1000;

  const requireKind = (kind: RunKind): JobKind => {
    const registered = kinds.get(kind);
    if (!registered) throw new errors.ApplicationError(`No job kind "${kind}" is registered`);
    return registered;
  };

  const requireRow = async (runId: unknown): Promise<Row> => {
    const row = typeof runId === 'string' && runId ? await query().findOne({ where: { documentId: runId } }) : null;
    if (!row) throw new errors.NotFoundError('Run not found');
    return row;
  };

  const findIdempotent = (kind: RunKind, targetId: string, idempotencyKey: string) =>
    query().findOne({ where: { kind, targetId, idempotencyKey }, orderBy: [{ id: 'asc' }] });

  /** Inserts a queued run, turning the unique indexes into OccurrenceTaken, a 409 or the idempotent run. */
  const insert = async (data: Row): Promise<Row> => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        return await query().create({ data });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        if (data.idempotencyKey) {
          const same = await findIdempotent(data.kind, data.targetId, data.idempotencyKey);
          if (same) return same;
        }
        if (data.occurrenceKey) {
          const taken = await query().findOne({ where: { occurrenceKey: data.occurrenceKey }, select: ['id'] });
          if (taken) throw new OccurrenceTaken(data.occurrenceKey);
        }
        const active = await query().findOne({ where: { activeKey: data.activeKey }, select: ['documentId'] });
        if (active) {
          throw new ConflictError(`A ${data.kind} run is already queued or running for this target`, {
            code: ERROR_CODES.RUN_ACTIVE,
            runId: active.documentId,
          });
        }
        // The active run finished in between: the slot is free again.
      }
    }
    throw new ConflictError(`A ${data.kind} run is already queued or running for this target`, {
      code: ERROR_CODES.RUN_ACTIVE,
    });
  };

  /** The row of a new queued run (first attempt). */
  const newRunData = (input: TriggerInput): Row => {
    const scheduledFor = input.scheduledFor ?? null;
    return {
      kind: input.kind,
      targetId: input.targetId,
      status: 'queued',
      trigger: input.trigger,
      scheduledFor,
      attempt: 1,
      tokenId: input.tokenId ?? null,
      idempotencyKey: input.idempotencyKey || null,
      occurrenceKey: scheduledFor ? occurrenceKeyOf(input.kind, input.targetId, scheduledFor, 1) : null,
      activeKey: activeKeyOf(input.kind, input.targetId),
      retried: false,
      stats: {},
    };
  };

  /**
   * `count` documentIds in the format Strapi's (cuid2) have: 24 lowercase alphanumerics starting with a letter. They
   * start with the time in base 36, so the ids of one tick land side by side in the documents index, then 14 random
   * characters (≈ 72 bits). cuid2's hashing would cost ~20 µs per id, and a tick may claim thousands at once.
   */
  const newDocumentIds = (count: number): string[] => {
    const prefix = documentIdPrefix();
    const bytes = randomBytes(14 * count);
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      let id = prefix;
      for (let j = i * 14; j < (i + 1) * 14; j += 1) id += (bytes[j] % 36).toString(36);
      ids.push(id);
    }
    return ids;
  };

  /**
   * Inserts queued runs with one `INSERT … VALUES … ON CONFLICT DO NOTHING RETURNING` per chunk, writing the values
   * Strapi's createMany would (which costs ~3× as much per row: per-row processing, then a read back). A row whose
   * occurrence or target already has a run is skipped by the unique indexes, also when another instance inserts it
   * at the same moment. Completes the inserted rows in place and returns them, as db.query() would.
   */
  const insertQueuedRows = async (rows: Row[], trx: Knex.Transaction): Promise<Row[]> => {
    const { tableName } = strapi.db.metadata.get(RUN_UID);
    const now = new Date();
    const documentIds = newDocumentIds(rows.length);
    const keys = Object.keys(rows[0]);
    const columns = [...keys, 'documentId', 'createdAt', 'updatedAt', 'publishedAt'].map(columnOf(strapi, RUN_UID));
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const sql = (count: number) =>
      `insert into ?? (${columns.map(() => '??').join(', ')}) values ${Array(count).fill(tuple).join(', ')} ` +
      'on conflict do nothing returning ??, ??';
    const inserted: Row[] = [];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const values: unknown[] = [];
      chunk.forEach((row, j) => {
        for (const key of keys) values.push(key === 'stats' ? JSON.stringify(row[key]) : row[key]);
        values.push(documentIds[i + j], now, now, now);
      });
      const result = await trx.raw(sql(chunk.length), [tableName, ...columns, ...values, 'id', 'document_id']);
      const byDocumentId = new Map<string, number>();
      for (const { id, document_id: documentId } of Array.isArray(result) ? result : result.rows) {
        byDocumentId.set(documentId, id);
      }
      chunk.forEach((row, j) => {
        const id = byDocumentId.get(documentIds[i + j]);
        if (id === undefined) return;
        Object.assign(row, { id, documentId: documentIds[i + j], createdAt: now, updatedAt: now, publishedAt: now });
        inserted.push(row);
      });
    }
    return inserted;
  };

  const shouldRetry = async (row: Row): Promise<boolean> => {
    try {
      const target = await kinds.get(row.kind)?.findTarget(row.targetId);
      return !!target && row.attempt < target.maxAttempts;
    } catch (error) {
      strapi.log.warn(`api-tokens: could not load ${row.kind} target ${row.targetId}: ${describeError(error)}`);
      return false;
    }
  };

  /** After `maxConsecutiveFailures` final failures in a row, the kind disables its target. */
  const disableIfFailing = async (row: Row, lastError: string) => {
    const limit = getConfig().runs.maxConsecutiveFailures;
    const recent = await query().findMany({
      where: { kind: row.kind, targetId: row.targetId, status: { $in: ['succeeded', 'failed'] }, retried: false },
      orderBy: [{ finishedAt: 'desc' }, { id: 'desc' }],
      limit,
      select: ['status'],
    });
    if (recent.length < limit || recent.some((run) => run.status !== 'failed')) return;
    const kind = kinds.get(row.kind);
    const target = await kind?.findTarget(row.targetId);
    if (!kind || !target?.enabled) return;
    await kind.disable(row.targetId, `Disabled after ${limit} consecutive failed runs. Last error: ${lastError}`);
    await getService('schedules').sync(row.kind, row.targetId);
    strapi.log.warn(`api-tokens: ${row.kind} ${row.targetId} disabled after ${limit} consecutive failed runs`);
  };

  /** Queues the retry (attempt + 1, exponential backoff in `notBefore`) or checks the auto-disable threshold. */
  const afterFailure = async (row: Row, willRetry: boolean, lastError: string) => {
    if (willRetry) {
      const attempt = row.attempt + 1;
      const delayMs = getConfig().runs.retryBaseSeconds * 1000 * 2 ** (row.attempt - 1);
      const scheduledFor = row.scheduledFor ? new Date(row.scheduledFor) : null;
      try {
        await insert({
          kind: row.kind,
          targetId: row.targetId,
          status: 'queued',
          trigger: row.trigger,
          scheduledFor,
          notBefore: new Date(Date.now() + delayMs),
          attempt,
          tokenId: row.tokenId ?? null,
          occurrenceKey: scheduledFor ? occurrenceKeyOf(row.kind, row.targetId, scheduledFor, attempt) : null,
          activeKey: activeKeyOf(row.kind, row.targetId),
          retried: false,
          stats: {},
        });
        return;
      } catch (error) {
        if (!(error instanceof ConflictError || error instanceof OccurrenceTaken)) throw error;
        // Another run took the slot: this failure is final after all.
        await query().updateMany({ where: { id: row.id }, data: { retried: false } });
      }
    }
    await disableIfFailing(row, lastError);
  };

  /** Finishes a run this instance still owns; a run whose lease was recovered meanwhile is left alone. */
  const finish = async (row: Row, outcome: { status: 'succeeded' | 'failed'; stats?: RunStats; error?: string }) => {
    const owned = { id: row.id, status: 'running', leaseOwner: owner };
    const current = await query().findOne({ where: owned, select: ['id', 'cancelRequestedAt'] });
    if (!current) return;
    const status: RunStatus = current.cancelRequestedAt ? 'cancelled' : outcome.status;
    const willRetry = status === 'failed' && (await shouldRetry(row));
    const { count } = await query().updateMany({
      where: owned,
      data: {
        status,
        finishedAt: new Date(),
        error: status === 'failed' ? outcome.error : null,
        ...(outcome.stats ? { stats: outcome.stats } : {}),
        activeKey: null,
        leaseExpiresAt: null,
        retried: willRetry,
      },
    });
    if (count === 1 && status === 'failed') await afterFailure(row, willRetry, outcome.error ?? 'Run failed');
  };

  const runExecution = async (row: Row) => {
    const kind = requireKind(row.kind);
    const owned = { id: row.id, status: 'running', leaseOwner: owner };
    let lost = false;
    const renew = async (stats?: RunStats) => {
      if (lost) return;
      const now = Date.now();
      const { count } = await query().updateMany({
        where: owned,
        data: { leaseExpiresAt: new Date(now + leaseMs()), heartbeatAt: new Date(now), ...(stats ? { stats } : {}) },
      });
      if (count === 0) lost = true;
    };
    // Renews the lease even while the executor is busy in one long step; a dead process stops renewing.
    const timer = setInterval(() => renew().catch(() => {}), Math.max(1000, leaseMs() / 3));
    timer.unref();
    leaseTimers.add(timer);

    const context: RunContext = {
      run: serializeRun(row),
      async isCancelled() {
        if (lost) return true;
        const current = await query().findOne({
          where: { id: row.id },
          select: ['status', 'leaseOwner', 'cancelRequestedAt'],
        });
        if (!current || current.status !== 'running' || current.leaseOwner !== owner) {
          lost = true;
          return true;
        }
        return current.cancelRequestedAt != null;
      },
      heartbeat: (stats) => renew(stats),
    };

    let outcome: { status: 'succeeded' | 'failed'; stats?: RunStats; error?: string };
    try {
      outcome = { status: 'succeeded', stats: (await kind.execute(context)) ?? {} };
    } catch (error) {
      outcome = { status: 'failed', error: describeError(error) };
    } finally {
      clearInterval(timer);
      leaseTimers.delete(timer);
    }
    await finish(row, outcome);
  };

  const execute = (row: Row): Promise<void> => {
    const promise = runExecution(row)
      .catch((error) => {
        strapi.log.error(`api-tokens: run ${row.documentId} could not finish: ${describeError(error)}`);
      })
      .finally(() => inFlight.delete(row.documentId));
    inFlight.set(row.documentId, promise);
    return promise;
  };

  /** Claims the queued runs this instance can execute (conditional UPDATE queued → running) and starts them. */
  const dispatch = async (now: Date = new Date()): Promise<Promise<void>[]> => {
    if (stopped || kinds.size === 0) return [];
    const candidates = await query().findMany({
      where: {
        status: 'queued',
        kind: { $in: [...kinds.keys()] },
        $or: [{ notBefore: null }, { notBefore: { $lte: now } }],
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      limit: CLAIM_BATCH,
    });
    const started: Promise<void>[] = [];
    for (const row of candidates) {
      if (stopped) break;
      const startedAt = new Date();
      const claim = {
        status: 'running',
        leaseOwner: owner,
        leaseExpiresAt: new Date(startedAt.getTime() + leaseMs()),
        heartbeatAt: startedAt,
        startedAt,
      };
      const { count } = await query().updateMany({ where: { id: row.id, status: 'queued' }, data: claim });
      if (count === 1) started.push(execute({ ...row, ...claim }));
    }
    return started;
  };

  const kick = () => {
    if (stopped || kickHandle) return;
    kickHandle = setImmediate(() => {
      kickHandle = null;
      dispatch().catch((error) => strapi.log.warn(`api-tokens: could not start runs: ${describeError(error)}`));
    });
  };

  return {
    /** Registers what a capability runs; one JobKind per kind. */
    registerKind(kind: JobKind) {
      if (!RUN_KINDS.includes(kind?.kind)) throw new Error(`api-tokens: unknown job kind "${kind?.kind}"`);
      if (kinds.has(kind.kind)) throw new Error(`api-tokens: job kind "${kind.kind}" is already registered`);
      kinds.set(kind.kind, kind);
    },

    getKind(kind: RunKind): JobKind | undefined {
      return kinds.get(kind);
    },

    requireKind,

    listKinds(): JobKind[] {
      return [...kinds.values()];
    },

    /** The scope an API token needs for runs of this kind. */
    scopeOf(kind: RunKind): string {
      return kinds.get(kind)?.scope ?? RUN_KIND_SCOPES[kind];
    },

    /**
     * Queues a run and starts it on this instance. 404 for an unknown target; 409 (`details.runId`) while another run
     * of the target is queued or running; a repeated idempotency key returns the first run. A scheduled occurrence that
     * is already claimed throws OccurrenceTaken.
     */
    async trigger(input: TriggerInput): Promise<Run> {
      const kind = requireKind(input.kind);
      const idempotencyKey = input.idempotencyKey || null;
      if (idempotencyKey) {
        const same = await findIdempotent(input.kind, input.targetId, idempotencyKey);
        if (same) return serializeRun(same);
      }
      if (input.trigger !== 'schedule' && !(await kind.findTarget(input.targetId))) {
        throw new errors.NotFoundError(`${input.kind === 'refresh' ? 'Semantic model' : 'Subscription'} not found`);
      }
      const row = await insert(newRunData(input));
      kick();
      return serializeRun(row);
    },

    /**
     * Claims scheduled occurrences in one batch: one multi-row INSERT that skips occurrences already claimed (by
     * another tick or instance) and targets with an active run. Only skipped rows are looked up, to tell which is
     * which; a skipped row whose conflict is gone meanwhile (the active run just finished) is inserted on its own.
     */
    async claimScheduled(kind: RunKind, occurrences: ScheduledOccurrence[]): Promise<ClaimResult> {
      requireKind(kind);
      const result: ClaimResult = { queued: [], taken: new Set(), active: new Set() };
      if (occurrences.length === 0) return result;
      const data = occurrences.map(({ targetId, scheduledFor }) =>
        newRunData({ kind, targetId, trigger: 'schedule', scheduledFor })
      );
      const inserted = await strapi.db.transaction(({ trx }) => insertQueuedRows(data, trx));
      const claimed = new Set(inserted.map((row) => row.occurrenceKey));
      const skipped = data.filter((row) => !claimed.has(row.occurrenceKey));
      if (skipped.length > 0) {
        const existing = await query().findMany({
          where: {
            $or: [
              { occurrenceKey: { $in: skipped.map((row) => row.occurrenceKey) } },
              { activeKey: { $in: skipped.map((row) => row.activeKey) } },
            ],
          },
          select: ['occurrenceKey', 'activeKey'],
        });
        const takenKeys = new Set(existing.map((row) => row.occurrenceKey));
        const activeKeys = new Set(existing.map((row) => row.activeKey));
        for (const row of skipped) {
          if (takenKeys.has(row.occurrenceKey)) result.taken.add(row.targetId);
          else if (activeKeys.has(row.activeKey)) result.active.add(row.targetId);
          else {
            try {
              inserted.push(await insert(row));
            } catch (error) {
              if (error instanceof OccurrenceTaken) result.taken.add(row.targetId);
              else if (error instanceof ConflictError) result.active.add(row.targetId);
              else throw error;
            }
          }
        }
      }
      result.queued = serializeRuns(inserted);
      if (inserted.length > 0) kick();
      return result;
    },

    /**
     * SQLite: claims the kind's on-time occurrences (the due schedule rows whose following occurrence has not passed)
     * in one `INSERT … SELECT` from the schedule table, with the row, keys and conflict handling claimScheduled() uses.
     * A surge of due rows is then claimed without a trip through JavaScript. Rows it skips (claimed already, or a run
     * is active) and overdue rows are left to the scheduler's row-by-row pass. Null on other databases.
     */
    async claimOnTime(kind: RunKind, now: Date): Promise<Run[] | null> {
      requireKind(kind);
      if (strapi.db.dialect.client !== 'sqlite') return null;
      const runColumn = columnOf(strapi, RUN_UID);
      const scheduleColumn = columnOf(strapi, SCHEDULE_UID);
      const run = (key: string) => `"${runColumn(key)}"`;
      const s = (key: string) => `s."${scheduleColumn(key)}"`;
      const occurrence = `strftime('%Y-%m-%dT%H:%M:%fZ', ${s('nextRunAt')} / 1000.0, 'unixepoch')`;
      // Each run column with the expression that fills it, in the formats newRunData() and insertQueuedRows() use.
      const values: [string, string][] = [
        ['documentId', `? || lower(hex(randomblob(7)))`], // documentIdPrefix(), then 14 random hex digits
        ['kind', s('kind')],
        ['targetId', s('targetId')],
        ['status', `'queued'`],
        ['trigger', `'schedule'`],
        ['scheduledFor', s('nextRunAt')],
        ['attempt', '1'],
        ['occurrenceKey', `${s('kind')} || ':' || ${occurrence} || ':' || ${s('targetId')} || ':1'`],
        ['activeKey', `${s('kind')} || ':' || ${s('targetId')}`],
        ['retried', '0'],
        ['stats', `'{}'`],
        ['createdAt', '?'],
        ['updatedAt', '?'],
        ['publishedAt', '?'],
      ];
      const sql =
        `insert into "${strapi.db.metadata.get(RUN_UID).tableName}" (${values.map(([key]) => run(key)).join(', ')}) ` +
        `select ${values.map(([, value]) => value).join(', ')} ` +
        `from "${strapi.db.metadata.get(SCHEDULE_UID).tableName}" s ` +
        `where ${s('kind')} = ? and ${s('nextRunAt')} <= ? ` +
        `and (${s('followingRunAt')} is null or ${s('followingRunAt')} > ?) ` +
        `and ${s('nextRunAt')} >= case ${s('missedRunPolicy')} when 'skip' then ? else ? end ` +
        `on conflict do nothing ` +
        `returning "id", ${run('documentId')} as "documentId", ${run('targetId')} as "targetId", ` +
        `${run('scheduledFor')} as "scheduledFor"`;
      const createdAt = new Date();
      const [skipFrom, onceFrom] = [oldestClaimable('skip', now), oldestClaimable('once', now)];
      const bindings = [documentIdPrefix(), createdAt, createdAt, createdAt, kind, now, now, skipFrom, onceFrom];
      const inserted: Row[] = await strapi.db.transaction(({ trx }) => trx.raw(sql, bindings));
      if (inserted.length > 0) kick();
      return serializeRuns(
        inserted.map(({ id, documentId, targetId, scheduledFor }) => ({
          id,
          documentId,
          targetId,
          scheduledFor,
          kind,
          status: 'queued',
          trigger: 'schedule',
          attempt: 1,
          stats: {},
          createdAt,
        }))
      );
    },

    async get(runId: string): Promise<Run> {
      return serializeRun(await requireRow(runId));
    },

    async list(filters: RunFilters = {}, pagination: { page?: number; pageSize?: number } = {}): Promise<RunPage> {
      const where: Row = {};
      for (const key of ['kind', 'status', 'targetId'] as const) if (filters[key]) where[key] = filters[key];
      const { results, pagination: meta } = await query().findPage({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        page: pagination.page ?? 1,
        pageSize: pagination.pageSize ?? 25,
      });
      return { results: serializeRuns(results), pagination: meta };
    },

    /**
     * A queued run is cancelled at once; a running one gets `cancelRequestedAt` and stops at its executor's next
     * `isCancelled()` check. 404 for an unknown run, 409 for a finished one.
     */
    async cancel(runId: string): Promise<Run> {
      const row = await requireRow(runId);
      const now = new Date();
      const queued = await query().updateMany({
        where: { id: row.id, status: 'queued' },
        data: { status: 'cancelled', finishedAt: now, cancelRequestedAt: now, activeKey: null, leaseExpiresAt: null },
      });
      if (queued.count === 0) {
        const running = await query().updateMany({
          where: { id: row.id, status: 'running' },
          data: { cancelRequestedAt: now },
        });
        if (running.count === 0) {
          const current = await requireRow(runId);
          throw new ConflictError(`The run has already finished (${current.status})`, {
            code: ERROR_CODES.RUN_FINISHED,
            runId,
          });
        }
      }
      return serializeRun(await requireRow(runId));
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

    dispatch,

    /** Marks running runs whose lease passed (their instance died) failed, or cancelled if asked to, and retries them. */
    async recoverExpiredLeases(): Promise<number> {
      const now = new Date();
      const expired = await query().findMany({
        where: { status: 'running', leaseExpiresAt: { $lt: now } },
        limit: CLAIM_BATCH,
      });
      let recovered = 0;
      for (const row of expired) {
        const cancelled = row.cancelRequestedAt != null;
        const willRetry = !cancelled && (await shouldRetry(row));
        const { count } = await query().updateMany({
          // The lease condition fences off a heartbeat that extended it meanwhile.
          where: { id: row.id, status: 'running', leaseExpiresAt: { $lt: now } },
          data: {
            status: cancelled ? 'cancelled' : 'failed',
            error: cancelled ? null : 'lease expired',
            finishedAt: now,
            activeKey: null,
            retried: willRetry,
          },
        });
        if (count !== 1) continue;
        recovered += 1;
        strapi.log.warn(`api-tokens: run ${row.documentId} lost its lease (owner ${row.leaseOwner})`);
        if (!cancelled) await afterFailure(row, willRetry, 'lease expired');
      }
      return recovered;
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

    /**
     * Runs everything claimable now and waits until this instance is idle. `now` decides which delayed retries are
     * due (tests pass a later time instead of waiting for the backoff).
     */
    async drain(now?: Date): Promise<void> {
      for (let round = 0; round < 1000 && !stopped; round += 1) {
        const started = await dispatch(now ?? new Date());
        const pending = [...inFlight.values()];
        if (started.length === 0 && pending.length === 0) return;
        await Promise.all(pending);
      }
    },

    /**
     * Polls until the run has finished; throws after `timeoutMs`. When this instance executed it, also waits for what
     * follows the final status (the retry row, the auto-disable check).
     */
    async waitFor(runId: string, timeoutMs = 10_000): Promise<Run> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = serializeRun(await requireRow(runId));
        if (FINISHED.includes(run.status)) {
          await inFlight.get(runId);
          return run;
        }
        if (Date.now() > deadline) throw new Error(`Run ${runId} still ${run.status} after ${timeoutMs} ms`);
        await sleep(20);
      }
    },

    /** Stops claiming and waits up to `graceMs` for executions in flight; unfinished ones are recovered by lease. */
    async stop(graceMs = 2000) {
      stopped = true;
      if (kickHandle) clearImmediate(kickHandle);
      kickHandle = null;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(inFlight.values()),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
      for (const lease of leaseTimers) clearInterval(lease);
      leaseTimers.clear();
    },

    /** This instance's lease owner id. */
    owner,
  };
};

export type RunsService = ReturnType<typeof runs>;
export default runs;
