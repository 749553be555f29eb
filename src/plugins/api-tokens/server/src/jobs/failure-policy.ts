import type { Core } from '@strapi/strapi';
import { getConfig } from '../config';
import { describeError } from '../utils/errors';
import { getService } from '../utils/get-service';
import type { Claims } from './claims';
import { ConflictError } from '../utils/errors';
import { OccurrenceTaken } from './errors';
import type { KindRegistry } from './kinds';
import type { Ledger, RunRow } from './ledger';

/** What follows a failed run: a retry with exponential backoff, or, after too many final failures, auto-disable. */
export const createFailurePolicy = ({
  strapi,
  kinds,
  ledger,
  claims,
}: {
  strapi: Core.Strapi;
  kinds: KindRegistry;
  ledger: Ledger;
  claims: Claims;
}) => {
  /** After `maxConsecutiveFailures` final failures in a row, the kind disables its target. */
  const disableIfFailing = async (row: RunRow, lastError: string) => {
    const limit = getConfig().runs.maxConsecutiveFailures;
    const recent = await ledger.query().findMany({
      where: { kind: row.kind, targetId: row.targetId, status: { $in: ['succeeded', 'failed'] }, retried: false },
      orderBy: [{ finishedAt: 'desc' }, { id: 'desc' }],
      limit,
      select: ['status'],
    });
    if (recent.length < limit || recent.some((run) => run.status !== 'failed')) return;
    const kind = kinds.get(row.kind);
    const target = kind && (await kinds.findTarget(row.kind, row.targetId));
    if (!kind || !target?.enabled) return;
    await kind.disable(row.targetId, `Disabled after ${limit} consecutive failed runs. Last error: ${lastError}`);
    await getService('schedules').sync(row.kind, row.targetId);
    strapi.log.warn(`api-tokens: ${row.kind} ${row.targetId} disabled after ${limit} consecutive failed runs`);
  };

  return {
    /** Whether a failed run gets another attempt: its target still exists and has attempts left. */
    async shouldRetry(row: RunRow): Promise<boolean> {
      try {
        if (!kinds.get(row.kind)) return false;
        const target = await kinds.findTarget(row.kind, row.targetId);
        return !!target && row.attempt < target.maxAttempts;
      } catch (error) {
        strapi.log.warn(`api-tokens: could not load ${row.kind} target ${row.targetId}: ${describeError(error)}`);
        return false;
      }
    },

    /**
     * After a run was marked failed (with `retried` = willRetry): queues the retry after
     * `retryBaseSeconds × 2^(attempt−1)`, or checks the auto-disable threshold.
     */
    async afterFailure(row: RunRow, willRetry: boolean, lastError: string) {
      if (willRetry) {
        const delayMs = getConfig().runs.retryBaseSeconds * 1000 * 2 ** (row.attempt - 1);
        try {
          await claims.queueRetry(row, new Date(Date.now() + delayMs));
          return;
        } catch (error) {
          if (!(error instanceof ConflictError || error instanceof OccurrenceTaken)) throw error;
          // Another run took the slot: this failure is final after all.
          await ledger.query().updateMany({ where: { id: row.id }, data: { retried: false } });
        }
      }
      await disableIfFailing(row, lastError);
    },
  };
};

export type FailurePolicy = ReturnType<typeof createFailurePolicy>;
