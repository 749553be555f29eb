import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Core } from '@strapi/strapi';
import knex, { type Knex } from 'knex';
import { getConfig } from '../config';
import { columnOf } from '../utils/content-type';
import { describeError } from '../utils/errors';
import { LeaseLost, RunCancelRequested } from './errors';
import type { FailurePolicy } from './failure-policy';
import type { KindRegistry } from './kinds';
import { FINISHED, RUN_UID, serializeRun, type Ledger, type RunRow } from './ledger';
import type { Run, RunContext, RunStats, RunStatus } from './types';

/** Runs recovered per pass, and queued runs read per claim beyond the free slots (others may claim some first). */
const CLAIM_BATCH = 50;
const CLAIM_SLACK = 8;

interface Execution {
  row: RunRow;
  controller: AbortController;
  promise: Promise<void>;
}

type Outcome = { status: 'succeeded' | 'failed'; stats?: RunStats; error?: string };

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/** A new fence value: every claim of a run writes one, and only the runner holding it may renew, commit or finish. */
const newFence = () => randomBytes(8).toString('hex');

/**
 * This instance's runs worker. It claims queued runs (a conditional UPDATE queued → running that writes a new fence)
 * up to `runs.concurrency` at a time, renews their leases, and finishes them. Every write a runner makes is
 * conditional on its fence, so a runner whose lease expired (and whose run was recovered and retried elsewhere) can
 * neither commit its results nor overwrite the run's outcome.
 */
export const createWorker = ({
  strapi,
  kinds,
  ledger,
  failures,
}: {
  strapi: Core.Strapi;
  kinds: KindRegistry;
  ledger: Ledger;
  failures: FailurePolicy;
}) => {
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const executions = new Map<string, Execution>();
  let kickHandle: NodeJS.Immediate | null = null;
  let renewTimer: NodeJS.Timeout | null = null;
  let renewing: Promise<void> | null = null;
  let leaseKnex: Knex | null = null;
  let dispatching: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const query = ledger.query;
  const leaseMs = () => getConfig().runs.leaseSeconds * 1000;
  const isPostgres = () => strapi.db.dialect.client === 'postgres';
  /** `runs.concurrency`, or 2 on SQLite (one writer) and 4 on PostgreSQL. */
  const concurrency = () => getConfig().runs.concurrency ?? (isPostgres() ? 4 : 2);
  const column = (key: string) => columnOf(strapi, RUN_UID)(key);
  const table = () => strapi.db.metadata.get(RUN_UID).tableName;

  /**
   * Where lease renewals (and the claims that start a lease) run. On PostgreSQL, a pool of their own with one
   * connection: executions may hold every connection of the main pool (a snapshot load, a slow source), and a renewal
   * queued behind them would let the lease lapse. SQLite has a single writer connection, so they share it (its
   * transactions are one page long).
   */
  const leaseConnection = (): Knex => {
    if (!isPostgres()) return strapi.db.connection;
    leaseKnex ??= knex({ ...(strapi.db.config.connection as Knex.Config), client: 'pg', pool: { min: 0, max: 1 } });
    return leaseKnex;
  };

  const lose = (execution: Execution, reason: Error) => {
    if (!execution.controller.signal.aborted) execution.controller.abort(reason);
  };

  /**
   * Extends the lease of every run this instance executes, in one UPDATE on (id, fence) that also reads their cancel
   * request: a run no longer ours (recovered, so finished or re-fenced) has its signal aborted with LeaseLost, a run
   * asked to stop with RunCancelRequested.
   */
  const renewLeases = async () => {
    const live = [...executions.values()].filter((execution) => !execution.controller.signal.aborted);
    if (live.length === 0) return;
    const now = Date.now();
    const [id, fence, cancelRequestedAt] = ['id', 'fence', 'cancelRequestedAt'].map(column);
    const held = live.map(() => '(?? = ? and ?? = ?)').join(' or ');
    const result = await leaseConnection().raw(
      `update ?? set ?? = ?, ?? = ? where ?? = 'running' and (${held}) returning ??, ??`,
      [
        table(),
        column('leaseExpiresAt'),
        new Date(now + leaseMs()),
        column('heartbeatAt'),
        new Date(now),
        column('status'),
        ...live.flatMap((execution) => [id, execution.row.id, fence, execution.row.fence]),
        id,
        cancelRequestedAt,
      ]
    );
    const renewed = new Map<number, Record<string, unknown>>();
    for (const row of Array.isArray(result) ? result : result.rows) renewed.set(Number(row[id]), row);
    for (const execution of live) {
      const row = renewed.get(Number(execution.row.id));
      if (!row) lose(execution, new LeaseLost(execution.row.documentId));
      else if (row[cancelRequestedAt] != null) lose(execution, new RunCancelRequested(execution.row.documentId));
    }
  };

  /** One renewal timer for the instance, every third of the lease, outside the concurrency limit. */
  const startRenewals = () => {
    if (renewTimer || renewing) return;
    renewTimer = setTimeout(
      () => {
        renewTimer = null;
        renewing = renewLeases()
          .catch((error) => {
            strapi.log.warn(`api-tokens: could not renew run leases: ${describeError(error)}`);
          })
          .finally(() => {
            renewing = null;
            if (executions.size > 0 && !stopped) startRenewals();
          });
      },
      Math.max(200, leaseMs() / 3)
    );
    renewTimer.unref();
  };

  const stopRenewals = () => {
    if (renewTimer) clearTimeout(renewTimer);
    renewTimer = null;
  };

  /** Finishes a run this runner still holds; a run recovered meanwhile (another fence, or finished) is left alone. */
  const finish = async (row: RunRow, outcome: Outcome) => {
    const owned = { id: row.id, status: 'running', fence: row.fence };
    const current = await query().findOne({ where: owned, select: ['id', 'cancelRequestedAt'] });
    if (!current) return;
    const status: RunStatus = current.cancelRequestedAt ? 'cancelled' : outcome.status;
    const willRetry = status === 'failed' && (await failures.shouldRetry(row));
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
    if (count === 1 && status === 'failed') await failures.afterFailure(row, willRetry, outcome.error ?? 'Run failed');
  };

  const contextOf = (execution: Execution): RunContext => {
    const { row } = execution;
    const owned = { id: row.id, status: 'running', fence: row.fence };
    return {
      run: serializeRun(row),
      deliveryKey: row.deliveryKey ?? row.documentId,
      params: typeof row.params === 'string' ? JSON.parse(row.params) : (row.params ?? null),
      signal: execution.controller.signal,

      async isCancelled() {
        if (execution.controller.signal.aborted) return true;
        const current = await query().findOne({
          where: { id: row.id },
          select: ['status', 'fence', 'cancelRequestedAt'],
        });
        if (!current || current.status !== 'running' || current.fence !== row.fence) {
          lose(execution, new LeaseLost(row.documentId));
        } else if (current.cancelRequestedAt != null) {
          lose(execution, new RunCancelRequested(row.documentId));
        }
        return execution.controller.signal.aborted;
      },

      async heartbeat(stats?: RunStats) {
        const now = Date.now();
        const { count } = await query().updateMany({
          where: owned,
          data: { leaseExpiresAt: new Date(now + leaseMs()), heartbeatAt: new Date(now), ...(stats ? { stats } : {}) },
        });
        if (count === 0) lose(execution, new LeaseLost(row.documentId));
      },

      // The fenced UPDATE both checks the fence and locks the run row until the transaction ends, so a recovery (which
      // needs the lease expired, and this extends it) cannot slip in between the check and the writes.
      async commit<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
        // Strapi types the result as the callback's promise; awaiting it gives the value.
        return (await strapi.db.transaction(async ({ trx }) => {
          const now = Date.now();
          const held = await trx(table())
            .where({ [column('id')]: row.id, [column('status')]: 'running', [column('fence')]: row.fence })
            .update({ [column('leaseExpiresAt')]: new Date(now + leaseMs()), [column('heartbeatAt')]: new Date(now) });
          if (held !== 1) {
            lose(execution, new LeaseLost(row.documentId));
            throw new LeaseLost(row.documentId);
          }
          return fn(trx);
        })) as T;
      },
    };
  };

  const runExecution = async (execution: Execution) => {
    const kind = kinds.require(execution.row.kind);
    let outcome: Outcome;
    try {
      outcome = { status: 'succeeded', stats: (await kind.execute(contextOf(execution))) ?? {} };
    } catch (error) {
      outcome = { status: 'failed', error: describeError(error) };
    }
    await finish(execution.row, outcome);
  };

  const start = (row: RunRow): Promise<void> => {
    const execution: Execution = { row, controller: new AbortController(), promise: Promise.resolve() };
    executions.set(row.documentId, execution);
    startRenewals();
    execution.promise = runExecution(execution)
      .catch((error) => {
        strapi.log.error(`api-tokens: run ${row.documentId} could not finish: ${describeError(error)}`);
      })
      .finally(() => {
        executions.delete(row.documentId);
        if (executions.size === 0) stopRenewals();
        // A slot is free: start what waits for one.
        kick();
      });
    return execution.promise;
  };

  /** Claims queued runs (conditional UPDATE queued → running with a new fence) into the free slots and starts them. */
  const claimAndStart = async (now: Date): Promise<Promise<void>[]> => {
    const names = kinds.names();
    const free = concurrency() - executions.size;
    if (stopped || names.length === 0 || free <= 0) return [];
    const candidates = await query().findMany({
      where: {
        status: 'queued',
        // Queued and running runs hold an active key: its unique index finds them without scanning the ledger.
        activeKey: { $gt: '' },
        kind: { $in: names },
        $or: [{ notBefore: null }, { notBefore: { $lte: now } }],
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      limit: free + CLAIM_SLACK,
    });
    const started: Promise<void>[] = [];
    for (const row of candidates) {
      if (stopped || executions.size >= concurrency()) break;
      const startedAt = new Date();
      const claim = {
        status: 'running',
        leaseOwner: owner,
        fence: newFence(),
        leaseExpiresAt: new Date(startedAt.getTime() + leaseMs()),
        heartbeatAt: startedAt,
        startedAt,
      };
      // On the lease connection: the lease counts from now, not from when a busy main pool hands out a connection.
      const claimed = await leaseConnection()(table())
        .where({ [column('id')]: row.id, [column('status')]: 'queued' })
        .update(Object.fromEntries(Object.entries(claim).map(([key, value]) => [column(key), value])));
      if (claimed === 1) started.push(start({ ...row, ...claim }));
    }
    return started;
  };

  /** claimAndStart(), one at a time on this instance, so two callers never both fill the same free slot. */
  const dispatch = (now: Date = new Date()): Promise<Promise<void>[]> => {
    const next = dispatching.then(() => claimAndStart(now));
    dispatching = next.catch(() => {});
    return next;
  };

  const kick = () => {
    if (stopped || kickHandle) return;
    kickHandle = setImmediate(() => {
      kickHandle = null;
      dispatch().catch((error) => strapi.log.warn(`api-tokens: could not start runs: ${describeError(error)}`));
    });
  };

  return {
    /** This instance's lease owner id. */
    owner,

    dispatch,
    kick,

    /**
     * Marks running runs whose lease passed (their runner died or stalled) failed, or cancelled if asked to, and
     * retries them. The runner, if it still runs, finds its fence gone: its commit and its finish write nothing.
     */
    async recoverExpiredLeases(): Promise<number> {
      const now = new Date();
      const expired = await query().findMany({
        where: { status: 'running', activeKey: { $gt: '' }, leaseExpiresAt: { $lt: now } },
        limit: CLAIM_BATCH,
      });
      let recovered = 0;
      for (const row of expired) {
        const cancelled = row.cancelRequestedAt != null;
        const willRetry = !cancelled && (await failures.shouldRetry(row));
        const { count } = await query().updateMany({
          // The lease condition fences off a renewal or a commit that extended it meanwhile.
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
        if (!cancelled) await failures.afterFailure(row, willRetry, 'lease expired');
      }
      return recovered;
    },

    /**
     * Runs everything claimable now and waits until this instance is idle. `now` decides which delayed retries are
     * due (tests pass a later time instead of waiting for the backoff).
     */
    async drain(now?: Date): Promise<void> {
      while (!stopped) {
        const started = await dispatch(now ?? new Date());
        const pending = [...executions.values()].map((execution) => execution.promise);
        if (started.length === 0 && pending.length === 0) return;
        // A finished run frees a slot for the next claim.
        if (pending.length > 0) await Promise.race(pending);
      }
    },

    /**
     * Polls until the run has finished; throws after `timeoutMs`. When this instance executed it, also waits for what
     * follows the final status (the retry row, the auto-disable check).
     */
    async waitFor(runId: string, timeoutMs = 10_000): Promise<Run> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = serializeRun(await ledger.requireRow(runId));
        if (FINISHED.includes(run.status)) {
          await executions.get(runId)?.promise;
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
        Promise.all([...executions.values()].map((execution) => execution.promise)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
      stopRenewals();
      await renewing;
      await leaseKnex?.destroy();
      leaseKnex = null;
    },
  };
};

export type Worker = ReturnType<typeof createWorker>;
