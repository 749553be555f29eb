import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { ERROR_CODES } from '../shared/error-codes';
import { columnOf } from '../utils/content-type';
import { ConflictError } from '../utils/errors';
import { OccurrenceTaken } from './errors';
import type { KindRegistry } from './kinds';
import { RUN_UID, serializeRun, serializeRuns, type Ledger, type RunRow } from './ledger';
import { oldestClaimable, SCHEDULE_UID } from './schedule-rows';
import type { Run, RunKind, RunTrigger } from './types';

/** Rows per multi-row INSERT (×18 parameters: within SQLite's 32,766 and PostgreSQL's 65,535). */
const INSERT_CHUNK = 500;

export interface TriggerInput {
  kind: RunKind;
  targetId: string;
  trigger: RunTrigger;
  /** The API token's documentId, for api triggers. */
  tokenId?: string | null;
  /** A key this caller (token) repeats for the same kind and target returns its first run instead of a 409. */
  idempotencyKey?: string | null;
  /** The cron occurrence, for scheduled runs only. */
  scheduledFor?: Date | null;
  /** What this run does differently from its target's saved settings (a subscription's input values); kept by retries. */
  params?: Record<string, unknown> | null;
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

/** What a new run row is built from: each a JavaScript value, or an SQL expression over a schedule row. */
interface RunSeed<T> {
  documentId: T;
  kind: T;
  targetId: T;
  trigger: T;
  scheduledFor: T;
  /** scheduledFor as ISO text, or null. */
  occurrence: T;
  attempt: T;
  tokenId: T;
  idempotencyKey: T;
  notBefore: T;
  /** A retry's inherited delivery key; null on a first attempt. */
  deliveryKey: T;
  /** The run's params as JSON text, or null. */
  params: T;
  createdAt: T;
}

/** How values combine: in JavaScript, or as SQL (where `||` and coalesce() give null for null parts the same way). */
interface Terms<T> {
  value(value: unknown): T;
  concat(...parts: T[]): T;
  coalesce(...parts: T[]): T;
}

/**
 * The one description of a new queued run row, column by column. Every insert path builds its rows from it: trigger()
 * and the retries (JavaScript values), claimScheduled() (the same, many rows per INSERT) and claimOnTime() (SQL
 * expressions in an `INSERT … SELECT` from the schedule rows).
 */
const runRow = <T>(seed: RunSeed<T>, { value, concat, coalesce }: Terms<T>): Record<string, T> => {
  const sep = value(':');
  return {
    documentId: seed.documentId,
    kind: seed.kind,
    targetId: seed.targetId,
    status: value('queued'),
    trigger: seed.trigger,
    scheduledFor: seed.scheduledFor,
    notBefore: seed.notBefore,
    attempt: seed.attempt,
    tokenId: seed.tokenId,
    idempotencyKey: seed.idempotencyKey,
    // Time before target: the keys one tick inserts sit side by side in the unique index, not all over it.
    occurrenceKey: concat(seed.kind, sep, seed.occurrence, sep, seed.targetId, sep, seed.attempt),
    activeKey: concat(seed.kind, sep, seed.targetId),
    // `kind:target:scheduledFor` for an occurrence, else the first attempt's run id.
    deliveryKey: coalesce(
      seed.deliveryKey,
      concat(seed.kind, sep, seed.targetId, sep, seed.occurrence),
      seed.documentId
    ),
    retried: value(false),
    stats: value('{}'),
    params: seed.params,
    createdAt: seed.createdAt,
    updatedAt: seed.createdAt,
    publishedAt: seed.createdAt,
  };
};

const jsTerms: Terms<unknown> = {
  value: (value) => value,
  concat: (...parts) => (parts.some((part) => part == null) ? null : parts.join('')),
  coalesce: (...parts) => parts.find((part) => part != null) ?? null,
};

interface Sql {
  sql: string;
  bindings: unknown[];
}
const sql = (text: string, ...bindings: unknown[]): Sql => ({ sql: text, bindings });
const joinSql = (parts: Sql[], separator: string): Sql => ({
  sql: parts.map((part) => part.sql).join(separator),
  bindings: parts.flatMap((part) => part.bindings),
});
const sqlTerms: Terms<Sql> = {
  value: (value) => sql('?', value),
  concat: (...parts) => {
    const joined = joinSql(parts, ' || ');
    return { ...joined, sql: `(${joined.sql})` };
  },
  coalesce: (...parts) => {
    const joined = joinSql(parts, ', ');
    return { ...joined, sql: `coalesce(${joined.sql})` };
  },
};

/** The first 10 characters of the documentIds generated here: a letter, then the time in base 36. */
const documentIdPrefix = () => `r${Date.now().toString(36).padStart(9, '0')}`;

/**
 * `count` documentIds in the format Strapi's (cuid2) have: 24 lowercase alphanumerics starting with a letter. They
 * start with the time in base 36, so the ids of one tick land side by side in the documents index, then 14 random
 * characters (≈ 72 bits). cuid2's hashing would cost ~20 µs per id, and a tick may claim thousands at once.
 */
export const newDocumentIds = (count: number): string[] => {
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

type FirstAttempt = Omit<TriggerInput, 'kind'> & { kind: RunKind };

/**
 * Queues runs. Every insert is `ON CONFLICT DO NOTHING`: the unique keys (occurrence, active slot, the caller's
 * idempotency key) decide, also between instances, and only the rows that were skipped are looked up to tell why.
 */
export const createClaims = ({
  strapi,
  kinds,
  ledger,
  onQueued,
}: {
  strapi: Core.Strapi;
  kinds: KindRegistry;
  ledger: Ledger;
  /** Called when runs were queued, to start them on this instance. */
  onQueued: () => void;
}) => {
  const conflict = (kind: RunKind, runId?: string) =>
    new ConflictError(`This ${(kinds.get(kind)?.label ?? kind).toLowerCase()} already has a run queued or running`, {
      code: ERROR_CODES.RUN_ACTIVE,
      ...(runId ? { runId } : {}),
    });

  /** A first attempt's row, from JavaScript values. */
  const firstAttempt = (input: FirstAttempt, documentId: string, createdAt: Date): RunRow => {
    const scheduledFor = input.scheduledFor ?? null;
    return runRow(
      {
        documentId,
        kind: input.kind,
        targetId: input.targetId,
        trigger: input.trigger,
        scheduledFor,
        occurrence: scheduledFor?.toISOString() ?? null,
        attempt: 1,
        tokenId: input.tokenId ?? null,
        idempotencyKey: input.idempotencyKey || null,
        notBefore: null,
        deliveryKey: null,
        params: input.params ? JSON.stringify(input.params) : null,
        createdAt,
      },
      jsTerms
    );
  };

  /**
   * Inserts rows with one `INSERT … VALUES … ON CONFLICT DO NOTHING RETURNING` per chunk. Returns the rows that were
   * inserted, completed with their ids as db.query() would return them.
   */
  const insertRows = async (rows: RunRow[], trx: Knex | Knex.Transaction = strapi.db.connection): Promise<RunRow[]> => {
    if (rows.length === 0) return [];
    const { tableName } = strapi.db.metadata.get(RUN_UID);
    const keys = Object.keys(rows[0]);
    const columns = keys.map(columnOf(strapi, RUN_UID));
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const statement = (count: number) =>
      `insert into ?? (${columns.map(() => '??').join(', ')}) values ${Array(count).fill(tuple).join(', ')} ` +
      'on conflict do nothing returning ??, ??';
    const inserted: RunRow[] = [];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const values = chunk.flatMap((row) => keys.map((key) => row[key]));
      const result = await trx.raw(statement(chunk.length), [tableName, ...columns, ...values, 'id', 'document_id']);
      const ids = new Map<string, number>();
      for (const { id, document_id: documentId } of Array.isArray(result) ? result : result.rows) {
        ids.set(documentId, id);
      }
      for (const row of chunk) {
        const id = ids.get(row.documentId);
        if (id !== undefined) inserted.push(Object.assign(row, { id, stats: {} }));
      }
    }
    return inserted;
  };

  /** Inserts one queued run, turning a skip into the idempotent run, OccurrenceTaken or a 409. */
  const insertOne = async (row: RunRow): Promise<RunRow> => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const [inserted] = await insertRows([{ ...row }]);
      if (inserted) return inserted;
      if (row.idempotencyKey) {
        const same = await ledger.findIdempotent(row.kind, row.targetId, row.tokenId, row.idempotencyKey);
        if (same) return same;
      }
      if (row.occurrenceKey) {
        const taken = await ledger.query().findOne({ where: { occurrenceKey: row.occurrenceKey }, select: ['id'] });
        if (taken) throw new OccurrenceTaken(row.occurrenceKey);
      }
      const active = await ledger.query().findOne({ where: { activeKey: row.activeKey }, select: ['documentId'] });
      if (active) throw conflict(row.kind, active.documentId);
      // The active run finished in between: the slot is free again.
    }
    throw conflict(row.kind);
  };

  return {
    /**
     * Queues a run and starts it on this instance. 404 for an unknown target; 409 (`details.runId`) while another run
     * of the target is queued or running; an idempotency key this caller used before returns its first run. A
     * scheduled occurrence that is already claimed throws OccurrenceTaken.
     */
    async trigger(input: TriggerInput): Promise<Run> {
      kinds.require(input.kind);
      const idempotencyKey = input.idempotencyKey || null;
      if (idempotencyKey) {
        const same = await ledger.findIdempotent(input.kind, input.targetId, input.tokenId ?? null, idempotencyKey);
        if (same) return serializeRun(same);
      }
      if (input.trigger !== 'schedule' && !(await kinds.findTarget(input.kind, input.targetId))) {
        throw kinds.notFound(input.kind);
      }
      const row = await insertOne(firstAttempt(input, newDocumentIds(1)[0], new Date()));
      onQueued();
      return serializeRun(row);
    },

    /**
     * Claims scheduled occurrences in one batch: one multi-row INSERT that skips occurrences already claimed (by
     * another tick or instance) and targets with an active run. Only skipped rows are looked up, to tell which is
     * which; a skipped row whose conflict is gone meanwhile (the active run just finished) is inserted on its own.
     */
    async claimScheduled(kind: RunKind, occurrences: ScheduledOccurrence[]): Promise<ClaimResult> {
      kinds.require(kind);
      const result: ClaimResult = { queued: [], taken: new Set(), active: new Set() };
      if (occurrences.length === 0) return result;
      const createdAt = new Date();
      const documentIds = newDocumentIds(occurrences.length);
      const data = occurrences.map(({ targetId, scheduledFor }, i) =>
        firstAttempt({ kind, targetId, trigger: 'schedule', scheduledFor }, documentIds[i], createdAt)
      );
      const inserted = await strapi.db.transaction(({ trx }) =>
        insertRows(
          data.map((row) => ({ ...row })),
          trx
        )
      );
      const claimed = new Set(inserted.map((row) => row.occurrenceKey));
      const skipped = data.filter((row) => !claimed.has(row.occurrenceKey));
      if (skipped.length > 0) {
        const existing = await ledger.query().findMany({
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
              inserted.push(await insertOne(row));
            } catch (error) {
              if (error instanceof OccurrenceTaken) result.taken.add(row.targetId);
              else if (error instanceof ConflictError) result.active.add(row.targetId);
              else throw error;
            }
          }
        }
      }
      result.queued = serializeRuns(inserted);
      if (inserted.length > 0) onQueued();
      return result;
    },

    /**
     * SQLite: claims the kind's on-time occurrences (the due schedule rows whose following occurrence has not passed)
     * in one `INSERT … SELECT` from the schedule table, with the row, keys and conflict handling claimScheduled() uses.
     * A surge of due rows is then claimed without a trip through JavaScript. Rows it skips (claimed already, or a run
     * is active) and overdue rows are left to the scheduler's row-by-row pass. Null on other databases.
     */
    async claimOnTime(kind: RunKind, now: Date): Promise<Run[] | null> {
      kinds.require(kind);
      if (strapi.db.dialect.client !== 'sqlite') return null;
      const runColumn = columnOf(strapi, RUN_UID);
      const scheduleColumn = columnOf(strapi, SCHEDULE_UID);
      const s = (key: string) => sql(`s."${scheduleColumn(key)}"`);
      const createdAt = new Date();
      const row = runRow(
        {
          // documentIdPrefix(), then 14 random hex digits.
          documentId: sql('(? || lower(hex(randomblob(7))))', documentIdPrefix()),
          kind: s('kind'),
          targetId: s('targetId'),
          trigger: sql('?', 'schedule'),
          scheduledFor: s('nextRunAt'),
          occurrence: sql(`strftime('%Y-%m-%dT%H:%M:%fZ', ${s('nextRunAt').sql} / 1000.0, 'unixepoch')`),
          attempt: sql('1'),
          tokenId: sql('null'),
          idempotencyKey: sql('null'),
          notBefore: sql('null'),
          deliveryKey: sql('null'),
          params: sql('null'),
          createdAt: sql('?', createdAt),
        },
        sqlTerms
      );
      const keys = Object.keys(row);
      const select = joinSql(
        keys.map((key) => row[key]),
        ', '
      );
      const statement =
        `insert into "${strapi.db.metadata.get(RUN_UID).tableName}" ` +
        `(${keys.map((key) => `"${runColumn(key)}"`).join(', ')}) ` +
        `select ${select.sql} ` +
        `from "${strapi.db.metadata.get(SCHEDULE_UID).tableName}" s ` +
        `where ${s('kind').sql} = ? and ${s('nextRunAt').sql} <= ? ` +
        `and (${s('followingRunAt').sql} is null or ${s('followingRunAt').sql} > ?) ` +
        `and ${s('nextRunAt').sql} >= case ${s('missedRunPolicy').sql} when 'skip' then ? else ? end ` +
        `on conflict do nothing ` +
        `returning "id", "${runColumn('documentId')}" as "documentId", "${runColumn('targetId')}" as "targetId", ` +
        `"${runColumn('scheduledFor')}" as "scheduledFor"`;
      const bindings = [...select.bindings, kind, now, now, oldestClaimable('skip', now), oldestClaimable('once', now)];
      const inserted: RunRow[] = await strapi.db.transaction(({ trx }) => trx.raw(statement, bindings));
      if (inserted.length > 0) onQueued();
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

    /**
     * Queues the next attempt of a failed run, not before `notBefore`, with its occurrence, trigger, caller and
     * delivery key. OccurrenceTaken or a 409 when another run took the slot meanwhile.
     */
    async queueRetry(failed: RunRow, notBefore: Date): Promise<RunRow> {
      const scheduledFor = failed.scheduledFor ? new Date(failed.scheduledFor) : null;
      const documentId = newDocumentIds(1)[0];
      return insertOne(
        runRow(
          {
            documentId,
            kind: failed.kind,
            targetId: failed.targetId,
            trigger: failed.trigger,
            scheduledFor,
            occurrence: scheduledFor?.toISOString() ?? null,
            attempt: failed.attempt + 1,
            tokenId: failed.tokenId ?? null,
            // The key names the first attempt: a repeated request returns that run, not this retry.
            idempotencyKey: null,
            notBefore,
            deliveryKey: failed.deliveryKey ?? null,
            params:
              failed.params == null || typeof failed.params === 'string' ? (failed.params ?? null) : JSON.stringify(failed.params),
            createdAt: new Date(),
          },
          jsTerms
        )
      );
    },
  };
};

export type Claims = ReturnType<typeof createClaims>;
